# expect: nscr:regimen/gefitinib~and~osimertinib | nscr:hasComponent | sh:MinCountConstraintComponent | nscr:RegimenShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
DELETE DATA { <https://w3id.org/nscr/regimen/gefitinib~and~osimertinib> nscr:hasComponent <https://w3id.org/nscr/drug/gefitinib> }
