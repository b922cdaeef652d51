# expect: nscr:drug/osimertinib | skos:exactMatch | nscr:ReferenceIdentifierConstraint | nscr:ReferenceIdentifiersShape
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
DELETE DATA { <https://w3id.org/nscr/drug/osimertinib> skos:exactMatch <http://purl.obolibrary.org/obo/CHEBI_90943> }
