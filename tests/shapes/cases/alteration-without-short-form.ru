# expect: nscr:alteration/EGFR-T790M | nscr:shortForm | sh:MinCountConstraintComponent | nscr:AlterationShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX IAO: <http://purl.obolibrary.org/obo/IAO_>
DELETE WHERE { <https://w3id.org/nscr/alteration/EGFR-T790M> nscr:shortForm ?f }
