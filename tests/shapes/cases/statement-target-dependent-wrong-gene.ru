# expect: nscr:statement/egfr-s20 |  | sh:SPARQLConstraintComponent | nscr:StatementShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
DELETE { ?s nscr:hasObject ?o } INSERT { ?s nscr:hasObject <https://w3id.org/nscr/drug/crizotinib> } WHERE { BIND(<https://w3id.org/nscr/statement/egfr-s20> AS ?s) ?s nscr:hasObject ?o }
