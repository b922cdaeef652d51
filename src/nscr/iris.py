"""Stable IRIs for individuals, derived only from curated keys."""
from __future__ import annotations

from urllib.parse import quote

from rdflib import URIRef

from .prefixes import NSCR

KINDS = ("query", "gene", "family", "drug", "alteration", "profile", "mechanism", "statement", "strategy", "trial", "figure",
         "regimen", "drugclass", "passage", "section", "source", "mention", "ranking", "fragment",
         "subject", "definition", "criterion", "intervention")


def mint(kind: str, key: str) -> URIRef:
    """https://w3id.org/nscr/<kind>/<key>: the same key always gives the same IRI."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    return URIRef(f"{NSCR}{kind}/{quote(key, safe='+-_.():')}")


def regimen_key(interaction: str, component_keys: list[str]) -> str:
    """combination/sequential/substitutes + components; sorted unless the order matters (sequential)."""
    parts = component_keys if interaction == "sequential" else sorted(component_keys)
    return f"{interaction}/" + "+".join(parts)


def regimen(interaction: str, component_keys: list[str]) -> URIRef:
    return URIRef(f"{NSCR}regimen/{quote(regimen_key(interaction, component_keys), safe='/+-_.():')}")
