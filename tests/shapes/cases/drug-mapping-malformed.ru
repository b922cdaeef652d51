# expect: nscr:drug/osimertinib | skos:exactMatch | sh:PatternConstraintComponent | nscr:DrugShape
# expect: nscr:drug/osimertinib | skos:exactMatch | nscr:ReferenceIdentifierConstraint | nscr:ReferenceIdentifiersShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
DELETE { ?d skos:exactMatch ?m } INSERT { ?d skos:exactMatch ?bad }
WHERE { BIND(<https://w3id.org/nscr/drug/osimertinib> AS ?d) ?d skos:exactMatch ?m
        FILTER(STRSTARTS(STR(?m), "https://identifiers.org/drugbank:DB"))
        BIND(IRI(CONCAT(STR(?m), "X")) AS ?bad) }
