# expect: nscr:strategy/kras-x03 |  | sh:SPARQLConstraintComponent | nscr:StrategyShape
PREFIX nscr: <https://w3id.org/nscr/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
DELETE { ?s a ?c } WHERE { BIND(<https://w3id.org/nscr/strategy/kras-x03> AS ?s) ?s a ?c FILTER (?c NOT IN (nscr:Strategy, owl:NamedIndividual)) }
