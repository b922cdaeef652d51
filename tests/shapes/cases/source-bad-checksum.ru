# expect: nscr:source/review | nscr:sha256 | sh:PatternConstraintComponent | nscr:SourceDocumentShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
DELETE { ?d nscr:sha256 ?s } INSERT { ?d nscr:sha256 "abc" } WHERE { BIND(<https://w3id.org/nscr/source/review> AS ?d) ?d nscr:sha256 ?s }
