# expect: nscr:gene/EGFR | skos:exactMatch | sh:QualifiedMinCountConstraintComponent | nscr:GeneShape
# expect: nscr:gene/EGFR | skos:exactMatch | nscr:ReferenceIdentifierConstraint | nscr:ReferenceIdentifiersShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
DELETE DATA { <https://w3id.org/nscr/gene/EGFR> skos:exactMatch <https://identifiers.org/hgnc:3236> }
