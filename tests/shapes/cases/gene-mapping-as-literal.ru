# expect: nscr:gene/EGFR | skos:closeMatch | sh:NodeKindConstraintComponent | nscr:GeneShape
# expect: nscr:gene/EGFR | skos:closeMatch | sh:PatternConstraintComponent | nscr:GeneShape
# expect: nscr:gene/EGFR | skos:exactMatch | nscr:ReferenceIdentifierConstraint | nscr:ReferenceIdentifiersShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
DELETE { <https://w3id.org/nscr/gene/EGFR> skos:closeMatch <http://purl.uniprot.org/uniprot/P00533> }
INSERT { <https://w3id.org/nscr/gene/EGFR> skos:closeMatch "P00533" }
WHERE { <https://w3id.org/nscr/gene/EGFR> skos:closeMatch <http://purl.uniprot.org/uniprot/P00533> }
