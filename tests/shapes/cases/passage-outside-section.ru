# expect: nscr:passage/20426-20547 |  | sh:SPARQLConstraintComponent | nscr:PassageShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
DELETE { ?p nscr:inSection ?s } INSERT { ?p nscr:inSection <https://w3id.org/nscr/section/2.1.1> } WHERE { BIND(<https://w3id.org/nscr/passage/20426-20547> AS ?p) ?p nscr:inSection ?s }
