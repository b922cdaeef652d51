"""Stable IRIs for individuals, derived only from curated keys."""
from __future__ import annotations

import re
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


WORDS = {"combination": "and", "sequential": "then", "substitutes": "or"}


def regimen_key(interaction: str, component_keys: list[str]) -> str:
    """A readable slug for a regimen: its components joined by ~and~, ~then~ or ~or~, sorted unless the
    order matters (sequential), with one more ~ on each side per level of nesting, e.g.
    carboplatin~or~cisplatin~~and~~osimertinib~~and~~pemetrexed. Keys never contain ~, so a slug
    reads back to one regimen only; no parentheses, no nested slashes."""
    parts = component_keys if interaction == "sequential" else sorted(component_keys)
    height = 1 + max((len(run) for c in parts for run in re.findall(r"~+", c)), default=0)
    return ("~" * height + WORDS[interaction] + "~" * height).join(parts)


def regimen(interaction: str, component_keys: list[str]) -> URIRef:
    return URIRef(f"{NSCR}regimen/{quote(regimen_key(interaction, component_keys), safe='+-_.:~')}")
