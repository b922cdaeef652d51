# expect: nscr:statement/egfr-s10 | nscr:therapyScope | sh:MinCountConstraintComponent | nscr:StatementShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE WHERE { <https://w3id.org/nscr/statement/egfr-s10> nscr:therapyScope ?s }
