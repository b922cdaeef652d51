# expect: nscr:alteration/EGFR-T790M | nscr:proteinChange | sh:PatternConstraintComponent | nscr:AlterationShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
DELETE { ?a nscr:proteinChange ?c } INSERT { ?a nscr:proteinChange "Thr790Met" } WHERE { BIND(<https://w3id.org/nscr/alteration/EGFR-T790M> AS ?a) ?a nscr:proteinChange ?c }
