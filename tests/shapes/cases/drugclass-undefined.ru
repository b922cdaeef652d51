# expect: nscr:drugclass/EGFRTKI |  | sh:SPARQLConstraintComponent | nscr:DrugClassShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
DELETE { ?d nscr:definedByClass ?c } INSERT { ?d nscr:definedByClass nscr:NoSuchClass } WHERE { BIND(<https://w3id.org/nscr/drugclass/EGFRTKI> AS ?d) ?d nscr:definedByClass ?c }
