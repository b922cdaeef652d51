"""The release's version and dates from release.toml (one input file, never the clock), and the ontology
header the build stamps with them."""
from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass

from rdflib import OWL, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from . import paths
from .errors import CurationError

ONTOLOGY = URIRef("https://w3id.org/nscr/ontology")
FIELDS = ("version", "date", "created", "creator")
VERSION = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+")


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    created: str
    creator: str

    @property
    def version_iri(self) -> URIRef:
        return URIRef(f"https://w3id.org/nscr/releases/{self.version}/nscr.owl")


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if line.split("=")[0].strip() == key:
            return number
    return None


def load(path=None) -> Release:
    """release.toml read and checked; a bad file raises CurationError naming the file, line and field."""
    path = path or paths.ROOT / "release.toml"
    shown = paths.rel(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CurationError(shown, None, None, f"not valid TOML ({e})") from None
    for key in FIELDS:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise CurationError(shown, _line_of(text, key), key, "missing: give it as a quoted string")
    if not VERSION.fullmatch(data["version"]):
        raise CurationError(shown, _line_of(text, "version"), "version",
                            f"{data['version']!r} is not MAJOR.MINOR.PATCH (e.g. 0.2.0)")
    for key in ("date", "created"):
        try:
            datetime.date.fromisoformat(data[key])
        except ValueError:
            raise CurationError(shown, _line_of(text, key), key, f"{data[key]!r} is not a date YYYY-MM-DD") from None
        if len(data[key]) != 10:
            raise CurationError(shown, _line_of(text, key), key, f"{data[key]!r} is not a date YYYY-MM-DD")
    if data["created"] > data["date"]:
        raise CurationError(shown, _line_of(text, "created"), "created", "is later than the release date")
    return Release(*(data[key] for key in FIELDS))


def stamp(graph: Graph, release: Release | None = None) -> Graph:
    """Give the ontology header the release's version IRI, version, dates and creator (replacing any)."""
    release = release or load()
    for p in (OWL.versionIRI, OWL.versionInfo, DCTERMS.issued, DCTERMS.created, DCTERMS.creator, DCTERMS.contributor):
        graph.remove((ONTOLOGY, p, None))
    graph.add((ONTOLOGY, OWL.versionIRI, release.version_iri))
    graph.add((ONTOLOGY, OWL.versionInfo, Literal(release.version)))
    graph.add((ONTOLOGY, DCTERMS.issued, Literal(release.date, datatype=XSD.date)))
    graph.add((ONTOLOGY, DCTERMS.created, Literal(release.created, datatype=XSD.date)))
    graph.add((ONTOLOGY, DCTERMS.creator, Literal(release.creator)))
    graph.add((ONTOLOGY, DCTERMS.contributor, Literal(release.creator)))
    return graph


def public_base(path=None) -> tuple[str, str, int | None]:
    """release.toml's `public_base` (the URL of the public host that serves `nscr serve`, where w3id.org
    sends https://w3id.org/nscr/...; "" until one exists), with the file and line it is on, for errors."""
    path = path or paths.ROOT / "release.toml"
    text = path.read_text(encoding="utf-8")
    try:
        value = tomllib.loads(text).get("public_base", "")
    except tomllib.TOMLDecodeError as e:
        raise CurationError(paths.rel(path), None, None, f"not valid TOML ({e})") from None
    if not isinstance(value, str):
        raise CurationError(paths.rel(path), _line_of(text, "public_base"), "public_base", "give it as a quoted string")
    return value.strip(), paths.rel(path), _line_of(text, "public_base")
