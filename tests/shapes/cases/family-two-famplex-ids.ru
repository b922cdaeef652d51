# expect: nscr:family/FGFR | skos:exactMatch | sh:MaxCountConstraintComponent | nscr:GeneFamilyShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA { <https://w3id.org/nscr/family/FGFR> skos:exactMatch <https://identifiers.org/fplx:NTRK> }
