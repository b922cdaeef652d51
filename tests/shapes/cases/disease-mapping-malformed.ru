# expect: MONDO:0005233 | skos:exactMatch | sh:PatternConstraintComponent | nscr:DiseaseShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA { <http://purl.obolibrary.org/obo/MONDO_0005233> skos:exactMatch <http://purl.obolibrary.org/obo/DOID_39O8> }
