# expect: nscr:ranking/kras-r02 | nscr:rankPosition | sh:MinInclusiveConstraintComponent | nscr:RankingShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE { <https://w3id.org/nscr/ranking/kras-r02> nscr:rankPosition ?r } INSERT { <https://w3id.org/nscr/ranking/kras-r02> nscr:rankPosition 0 }
WHERE { <https://w3id.org/nscr/ranking/kras-r02> nscr:rankPosition ?r }
