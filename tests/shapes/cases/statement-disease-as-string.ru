# expect: nscr:statement/egfr-s02 | nscr:diseaseContext | sh:NodeKindConstraintComponent | nscr:StatementShape
# expect: http://purl.obolibrary.org/obo/MONDO_0005233 |  | sh:NodeKindConstraintComponent | nscr:DiseaseShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX IAO: <http://purl.obolibrary.org/obo/IAO_>
DELETE { <https://w3id.org/nscr/statement/egfr-s02> nscr:diseaseContext ?d }
INSERT { <https://w3id.org/nscr/statement/egfr-s02> nscr:diseaseContext "http://purl.obolibrary.org/obo/MONDO_0005233" }
WHERE { <https://w3id.org/nscr/statement/egfr-s02> nscr:diseaseContext ?d }
