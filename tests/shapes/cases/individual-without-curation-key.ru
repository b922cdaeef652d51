# expect: nscr:drug/osimertinib | nscr:curationKey | sh:MinCountConstraintComponent | nscr:CuratedRowShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX IAO: <http://purl.obolibrary.org/obo/IAO_>
DELETE WHERE { <https://w3id.org/nscr/drug/osimertinib> nscr:curationKey ?k }
