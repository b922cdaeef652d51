# expect: nscr:profile/EGFR-C797S-without-T790M | | sh:SPARQLConstraintComponent | nscr:CompoundProfileShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE WHERE { <https://w3id.org/nscr/profile/EGFR-C797S-without-T790M> nscr:lacksComponent ?a }
