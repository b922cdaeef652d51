# expect: nscr:gene/ROS1 | skos:closeMatch | sh:PatternConstraintComponent | nscr:GeneShape
# expect: nscr:gene/ROS1 | skos:exactMatch | nscr:ReferenceIdentifierConstraint | nscr:ReferenceIdentifiersShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
DELETE { <https://w3id.org/nscr/gene/ROS1> skos:closeMatch <http://purl.uniprot.org/uniprot/P08922> }
INSERT { <https://w3id.org/nscr/gene/ROS1> skos:closeMatch <http://purl.uniprot.org/uniprot/P0892Q> }
WHERE { <https://w3id.org/nscr/gene/ROS1> skos:closeMatch <http://purl.uniprot.org/uniprot/P08922> }
