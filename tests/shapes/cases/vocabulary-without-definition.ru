# expect: nscr:Cis | IAO:0000115 | sh:MinCountConstraintComponent | nscr:ControlledValueShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX IAO: <http://purl.obolibrary.org/obo/IAO_>
DELETE WHERE { nscr:Cis IAO:0000115 ?d }
