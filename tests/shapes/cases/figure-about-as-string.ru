# expect: nscr:figure/kras-f01 | IAO:0000136 | sh:NodeKindConstraintComponent | nscr:FigureShape
# expect: nscr:figure/kras-f01 | IAO:0000136 | sh:OrConstraintComponent | nscr:FigureShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX IAO: <http://purl.obolibrary.org/obo/IAO_>
DELETE { <https://w3id.org/nscr/figure/kras-f01> IAO:0000136 ?a }
INSERT { <https://w3id.org/nscr/figure/kras-f01> IAO:0000136 "KRAS-G12C" }
WHERE { <https://w3id.org/nscr/figure/kras-f01> IAO:0000136 ?a }
