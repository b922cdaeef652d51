# expect: nscr:figure/egfr-f01 |  | sh:SPARQLConstraintComponent | nscr:FigureShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
DELETE { ?f nscr:highValue ?h } INSERT { ?f nscr:highValue "5.0"^^xsd:decimal } WHERE { BIND(<https://w3id.org/nscr/figure/egfr-f01> AS ?f) ?f nscr:highValue ?h }
