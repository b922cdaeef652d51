# expect: nscr:regimen/gefitinib~and~osimertinib | nscr:interactionType | sh:ClassConstraintComponent | nscr:RegimenShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX IAO: <http://purl.obolibrary.org/obo/IAO_>
DELETE { <https://w3id.org/nscr/regimen/gefitinib~and~osimertinib> nscr:interactionType ?t }
INSERT { <https://w3id.org/nscr/regimen/gefitinib~and~osimertinib> nscr:interactionType "combination" }
WHERE { <https://w3id.org/nscr/regimen/gefitinib~and~osimertinib> nscr:interactionType ?t }
