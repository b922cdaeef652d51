# expect: nscr:drug/osimertinib | nscr:generation | sh:MaxInclusiveConstraintComponent | nscr:DrugShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
DELETE { ?d nscr:generation ?g } INSERT { ?d nscr:generation 7 } WHERE { BIND(<https://w3id.org/nscr/drug/osimertinib> AS ?d) ?d nscr:generation ?g }
