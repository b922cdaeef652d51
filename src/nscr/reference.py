"""Identifiers from the frozen reference snapshot, through the project's filtered copy.

`refresh()` reads ../shared/reference and writes data/reference/ with only the
rows the curation uses (same columns, same order as the snapshot); `Reference`
resolves genes and drugs against either folder with the same rules, so the copy
gives exactly the answers the full snapshot gives. Nothing is typed by hand.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import paths

FILES = ["hgnc.tsv", "chebi.tsv", "chebi_chembl.tsv", "chembl_compounds.tsv", "drug_xrefs.tsv", "ncit_map.tsv",
         "mesh.tsv", "mesh_supp.tsv", "mondo.tsv", "go_bp.tsv", "ontology_terms.tsv",
         "famplex_entities.tsv", "famplex_relations.tsv", "famplex_equivalences.tsv", "civic_evidence.tsv", "chebi_pubchem.tsv"]
OBO_IRI = re.compile(r"http://purl\.obolibrary\.org/obo/([A-Za-z]+)_([0-9A-Za-z]+)")


def read_tsv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return list(reader.fieldnames or []), list(reader)


def _norm(name: str) -> str:
    return " ".join(name.lower().split())


@dataclass(frozen=True)
class Route:
    """How an identifier was found: the reference file, the kind of match (`lexical`: an exact name or
    symbol match; `xref`: a cross-reference in the matched row itself; `chain`: a cross-reference of an
    identifier found first (drug -> ChEBI -> ChEMBL); `curated`: an identifier a curator wrote and the file
    confirmed), what was matched, and whether the match is only close (skos:closeMatch)."""
    file: str
    method: str
    detail: str
    close: bool = False


@dataclass
class Resolved:
    """Identifiers found for one entity: CURIE (reference style) -> label from its source row ('' if none),
    and the route by which each was first found."""
    ids: dict[str, str] = field(default_factory=dict)
    how: dict[str, Route] = field(default_factory=dict)

    def add(self, curie: str, label: str = "", route: Route | None = None) -> None:
        if curie and (curie not in self.ids or not self.ids[curie]):
            self.ids[curie] = label
        if curie and route is not None and _better(route, self.how.get(curie)):
            self.how[curie] = route

    def by_prefix(self, prefix: str) -> list[str]:
        return sorted((c for c in self.ids if c.split(":")[0] == prefix), key=_curie_sort)


PREFERENCE = {"curated": 0, "lexical": 1, "xref": 2, "chain": 3}


def _better(route: Route, than: Route | None) -> bool:
    """The most direct route stands (a name match before a row's cross-reference before a chain);
    between equals, the first found."""
    return than is None or PREFERENCE[route.method] < PREFERENCE[than.method]


def _curie_sort(curie: str):
    prefix, _, local = curie.partition(":")
    digits = re.sub(r"\D", "", local)
    return (prefix, int(digits) if digits else 0, local)


class Reference:
    """Lookups over one reference folder (the snapshot, or the project's filtered copy)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.tables = {}
        self.headers = {}
        for name in FILES:
            path = folder / name
            if path.exists():
                self.headers[name], self.tables[name] = read_tsv(path)
            else:
                self.headers[name], self.tables[name] = [], []
        self._index()

    def _index(self) -> None:
        t = self.tables
        self.hgnc_by_symbol = {r["symbol"]: r for r in t["hgnc.tsv"]}
        self.chebi_by_id = {r["chebi_id"]: r for r in t["chebi.tsv"]}
        self.chebi_by_name: dict[str, list[dict]] = {}
        for r in t["chebi.tsv"]:
            self.chebi_by_name.setdefault(_norm(r["name"]), []).append(r)
        self.chembl_by_id = {r["chembl_id"]: r for r in t["chembl_compounds.tsv"]}
        self.chembl_by_name: dict[str, list[dict]] = {}
        for r in t["chembl_compounds.tsv"]:
            if r["pref_name"]:
                self.chembl_by_name.setdefault(_norm(r["pref_name"]), []).append(r)
        self.drugbank_by_name: dict[str, list[dict]] = {}
        for r in t["drug_xrefs.tsv"]:
            if r["name"]:
                self.drugbank_by_name.setdefault(_norm(r["name"]), []).append(r)
        self.chembl_by_chebi: dict[str, list[str]] = {}
        for r in t["chebi_chembl.tsv"]:
            self.chembl_by_chebi.setdefault(r["chebi_id"], []).append(r["chembl_id"])
        self.ncit_by_target: dict[tuple[str, str], list[str]] = {}
        for r in t["ncit_map.tsv"]:
            self.ncit_by_target.setdefault((r["target_ns"], r["target_id"]), []).append(r["ncit_id"])
        self.mesh_by_name: dict[str, list[dict]] = {}
        self.mesh_procedures: dict[str, list[dict]] = {}  # descriptors of tree E: techniques, procedures, therapies
        for r in t["mesh.tsv"]:
            if any(n.startswith("E") for n in r["tree_numbers"].split("|")):
                self.mesh_procedures.setdefault(_norm(r["name"]), []).append(r)
        for name in ("mesh.tsv", "mesh_supp.tsv"):
            for r in t[name]:
                for n in [r["name"]] + [s for s in r.get("synonyms", "").split("|") if s]:
                    self.mesh_by_name.setdefault(_norm(n), []).append(r)
        self.mondo_by_id = {r["mondo_id"]: r for r in t["mondo.tsv"]}
        self.go_by_id = {r["go_id"]: r for r in t["go_bp.tsv"]}
        self.terms_by_curie = {r["curie"]: r for r in t["ontology_terms.tsv"]}
        self.ncit_by_label: dict[str, list[dict]] = {}
        for r in t["ontology_terms.tsv"]:
            if r["ontology"] == "NCIT" and r["obsolete"] != "true":
                self.ncit_by_label.setdefault(_norm(r["label"]), []).append(r)
        self.fplx_by_id = {r["fplx_id"]: r for r in t.get("famplex_entities.tsv", [])}
        self.pubchem_by_chebi: dict[str, list[dict]] = {}
        for r in t.get("chebi_pubchem.tsv", []):
            self.pubchem_by_chebi.setdefault(r["chebi_id"], []).append(r)
        self.fplx_children: dict[str, list[dict]] = {}
        for r in t.get("famplex_relations.tsv", []):
            self.fplx_children.setdefault(r["parent_fplx_id"], []).append(r)

    # -- genes ---------------------------------------------------------
    def gene(self, symbol: str) -> Resolved | None:
        row = self.hgnc_by_symbol.get(symbol)
        if row is None:
            return None
        res = Resolved()
        same_row = Route("hgnc.tsv", "xref", f"in the HGNC row of {symbol}")
        res.add(row["hgnc_id"], row["symbol"], Route("hgnc.tsv", "lexical", f"approved symbol {symbol}"))
        if row["ncbi_gene_id"]:
            res.add("NCBIGene:" + row["ncbi_gene_id"], route=same_row)
        for acc in filter(None, row["uniprot_ids"].split("|")):
            res.add("UniProt:" + acc, route=same_row)
        if row["ensembl_gene_id"]:
            res.add("Ensembl:" + row["ensembl_gene_id"], route=same_row)
        for code in self.ncit_by_target.get(("HGNC", row["hgnc_id"].split(":")[1]), []):
            res.add("NCIT:" + code, route=Route("ncit_map.tsv", "chain", f"NCIt code mapped to {row['hgnc_id']}"))
        return res

    # -- drugs ---------------------------------------------------------
    def drug(self, names: list[str]) -> Resolved:
        """Exact (case- and space-insensitive) name matches in DrugBank, ChEBI, ChEMBL and MeSH, plus the
        cross-references their rows assert (DrugBank->ChEBI/ChEMBL, ChEBI->ChEMBL, ChEBI->NCIt)."""
        res = Resolved()
        keys = {_norm(n) for n in names if n}
        chebis: dict[str, Route] = {}
        for k in sorted(keys):
            for r in self.drugbank_by_name.get(k, []):
                res.add("DrugBank:" + r["drugbank_id"], r["name"], Route("drug_xrefs.tsv", "lexical", f"DrugBank name {k!r}"))
                linked = Route("drug_xrefs.tsv", "xref", f"asserted by DrugBank {r['drugbank_id']}")
                for c in filter(None, r["chebi_id_per_drugbank"].split("|")):
                    if _better(linked, chebis.get(c)):
                        chebis[c] = linked
                for c in filter(None, r["chembl_id"].split("|")):
                    res.add("CHEMBL:" + c, self.chembl_by_id.get(c, {}).get("pref_name", ""), linked)
            for r in self.chebi_by_name.get(k, []):
                named = Route("chebi.tsv", "lexical", f"ChEBI name {k!r}")
                if _better(named, chebis.get(r["chebi_id"])):
                    chebis[r["chebi_id"]] = named
            for r in self.chembl_by_name.get(k, []):
                res.add("CHEMBL:" + r["chembl_id"], r["pref_name"],
                        Route("chembl_compounds.tsv", "lexical", f"ChEMBL preferred name {k!r}"))
            for r in self.mesh_by_name.get(k, []):
                file = "mesh.tsv" if r["mesh_id"].startswith("D") else "mesh_supp.tsv"
                res.add("MESH:" + r["mesh_id"], r["name"], Route(file, "lexical", f"MeSH name or entry term {k!r}"))
        for c in sorted(chebis):
            res.add(c, self.chebi_by_id.get(c, {}).get("name", ""), chebis[c])
            for chembl in self.chembl_by_chebi.get(c, []):
                res.add("CHEMBL:" + chembl, self.chembl_by_id.get(chembl, {}).get("pref_name", ""),
                        Route("chebi_chembl.tsv", "chain", f"ChEMBL compound paired with {c}"))
            for code in self.ncit_by_target.get(("CHEBI", c), []):
                res.add("NCIT:" + code, route=Route("ncit_map.tsv", "chain", f"NCIt code mapped to {c}"))
            for r in self.pubchem_by_chebi.get(c, []):
                agreed = r["inchikey_match"] == "yes"
                res.add("PubChem:" + r["pubchem_cid"], route=Route(
                    "chebi_pubchem.tsv", "chain", f"ChEBI cross-reference of {c}"
                    + ("; the InChIKeys agree" if agreed else "; no InChIKey agreement"), close=not agreed))
        return res

    # -- non-drug interventions -----------------------------------------
    def intervention(self, names: list[str]) -> Resolved:
        """NCIt and MeSH terms whose own label is one of the names (case- and space-insensitive): a MeSH
        descriptor heading of tree E (techniques and therapeutic procedures), an NCIt preferred name.
        Entry terms and other trees are not matched, since they give near terms: MeSH lists "Surgery"
        under the specialty General Surgery, and the heading "Radiation" (G01) is the physical agent."""
        res = Resolved()
        for k in sorted({_norm(n) for n in names if n}):
            for r in self.mesh_procedures.get(k, []):
                res.add("MESH:" + r["mesh_id"], r["name"], Route("mesh.tsv", "lexical", f"MeSH tree-E heading {k!r}"))
            for r in self.ncit_by_label.get(k, []):
                res.add(r["curie"], r["label"], Route("ontology_terms.tsv", "lexical", f"NCIt preferred name {k!r}"))
        return res

    # -- gene families (FamPlex) ----------------------------------------
    def family(self, fplx_id: str) -> dict | None:
        return self.fplx_by_id.get(fplx_id)

    def family_ids(self, fplx_id: str) -> Resolved | None:
        """The FamPlex identifier a curator gave, when famplex_entities.tsv holds it."""
        row = self.family(fplx_id)
        if row is None:
            return None
        res = Resolved()
        res.add(fplx_id, row["name"], Route("famplex_entities.tsv", "curated", "FamPlex identifier given in families.tsv"))
        return res

    def family_members(self, fplx_id: str) -> list[dict]:
        """Direct FamPlex children (isa members, partof subunits), in snapshot order."""
        return self.fplx_children.get(fplx_id, [])

    def family_tree(self, fplx_id: str) -> set[str]:
        """The family and every FamPlex family below it."""
        out, todo = set(), [fplx_id]
        while todo:
            f = todo.pop()
            if f not in out:
                out.add(f)
                todo.extend(r["child_id"] for r in self.family_members(f) if r["child_namespace"] == "FPLX")
        return out

    def family_genes(self, fplx_id: str) -> list[str]:
        """HGNC symbols of the family's genes, through sub-families, sorted."""
        return sorted({r["child_name"] for f in self.family_tree(fplx_id) for r in self.family_members(f)
                       if r["child_namespace"] == "HGNC"})

    # -- diseases and upstream terms ----------------------------------
    def disease(self, mondo_id: str) -> Resolved | None:
        row = self.mondo_by_id.get(mondo_id)
        if row is None:
            return None
        res = Resolved()
        res.add(mondo_id, row["name"])
        for x in row["xrefs"].split("|"):
            if x.startswith(("NCIT:", "DOID:")):
                term = self.terms_by_curie.get(x)
                res.add(x, term["label"] if term else "", Route("mondo.tsv", "xref", f"cross-reference of {mondo_id}"))
        return res

    def term(self, curie: str) -> dict | None:
        row = self.terms_by_curie.get(curie)
        if row is None and curie.startswith("GO:") and curie in self.go_by_id:
            go = self.go_by_id[curie]
            row = {"curie": curie, "iri": f"http://purl.obolibrary.org/obo/GO_{curie[3:]}", "label": go["name"],
                   "ontology": "GO", "obsolete": "false", "parents": go["is_a"], "definition": ""}
        if row is None and curie.startswith("MONDO:") and curie in self.mondo_by_id:
            # a disease a statement names (e.g. breast cancer for a finding from breast cancer studies) is
            # declared from mondo.tsv when ontology_terms.tsv does not list it
            mondo = self.mondo_by_id[curie]
            row = {"curie": curie, "iri": f"http://purl.obolibrary.org/obo/MONDO_{curie[6:]}", "label": mondo["name"],
                   "ontology": "MONDO", "obsolete": "false", "parents": "", "definition": ""}
        return row

    def ancestors(self, curies: set[str]) -> set[str]:
        """The curies and all their asserted parents that the reference knows."""
        out, todo = set(), list(curies)
        while todo:
            c = todo.pop()
            if c in out:
                continue
            out.add(c)
            row = self.term(c)
            if row:
                todo.extend(p for p in row["parents"].split("|") if p)
        return out


def obo_curies_in(text: str) -> set[str]:
    """CURIEs of every OBO PURL or OBO-prefixed name (SO:0001583) in a text."""
    found = {f"{p}:{i}" for p, i in OBO_IRI.findall(text)}
    found |= set(re.findall(r"\b((?:SO|RO|BFO|ECO|CL|GO|IAO|OBI|MONDO|NCIT):[0-9]{7}|NCIT:C[0-9]+)\b", text))
    return found


# -- refreshing the filtered copy ---------------------------------------

def _wanted(curation, full: Reference) -> dict[str, set]:
    """Which rows of each snapshot file the project uses (keys per file)."""
    from .tables import load_curation  # local: curation is only needed when refreshing
    curation = curation or load_curation()
    want: dict[str, set] = {name: set() for name in FILES}
    for row in curation["genes"]:
        g = full.hgnc_by_symbol.get(row["symbol"])
        if g:
            want["hgnc.tsv"].add(g["hgnc_id"])
            want["ncit_map.tsv"].update(("HGNC", g["hgnc_id"].split(":")[1], c)
                                        for c in full.ncit_by_target.get(("HGNC", g["hgnc_id"].split(":")[1]), []))
    for row in curation["drugs"]:
        names = [row["label"], *row.get("code_names", [])]
        keys = {_norm(n) for n in names}
        res = full.drug(names)
        for k in keys:
            want["drug_xrefs.tsv"].update(r["drugbank_id"] for r in full.drugbank_by_name.get(k, []))
            want["mesh.tsv"].update(r["mesh_id"] for r in full.mesh_by_name.get(k, []) if r["mesh_id"].startswith("D"))
            want["mesh_supp.tsv"].update(r["mesh_id"] for r in full.mesh_by_name.get(k, []) if r["mesh_id"].startswith("C"))
            want["chembl_compounds.tsv"].update(r["chembl_id"] for r in full.chembl_by_name.get(k, []))
        for curie in res.ids:
            prefix, _, local = curie.partition(":")
            if prefix == "CHEBI":
                want["chebi.tsv"].add(curie)
                want["chebi_chembl.tsv"].update((curie, c) for c in full.chembl_by_chebi.get(curie, []))
                want["ncit_map.tsv"].update(("CHEBI", curie, c) for c in full.ncit_by_target.get(("CHEBI", curie), []))
                want["chebi_pubchem.tsv"].update((curie, r["pubchem_cid"]) for r in full.pubchem_by_chebi.get(curie, []))
            elif prefix == "CHEMBL":
                want["chembl_compounds.tsv"].add(local)
    for row in curation["interventions"]:
        names = [row["label"], *row.get("synonyms", [])]
        for curie in full.intervention(names).ids:
            prefix, _, local = curie.partition(":")
            if prefix == "MESH":
                want["mesh.tsv"].add(local)
            else:
                want["ontology_terms.tsv"].add(curie)
    for row in curation["families"]:
        if row.get("fplx") and row["fplx"] in full.fplx_by_id:
            tree = full.family_tree(row["fplx"])
            want["famplex_entities.tsv"].update(tree)
            want["famplex_relations.tsv"].update((r["parent_fplx_id"], r["child_namespace"], r["child_name"])
                                                 for f in tree for r in full.family_members(f))
            want["famplex_equivalences.tsv"].update(
                (r["fplx_id"], r["namespace"], r["external_id"]) for r in full.tables["famplex_equivalences.tsv"]
                if r["fplx_id"] in tree)
    from .concordance import wanted_eids  # CIViC items for comparison only (concordance.py says which)
    want["civic_evidence.tsv"] = wanted_eids(full.tables["civic_evidence.tsv"], {r["symbol"] for r in curation["genes"]})
    text = paths.ONTOLOGY.read_text(encoding="utf-8")
    curies = obo_curies_in(text)
    for row in curation["mechanisms"]:
        curies.update(row.get("pathways", []))
        curies.update(row.get("cell_types", []))
    for row in curation["subjects"]:
        curies.update(row.get("pathways", []))
        curies.update(row.get("cell_type", []))
    diseases = {row.get("disease") or "MONDO:0005233" for row in curation["statements"]} | {"MONDO:0005233"}
    for d in diseases:
        want["mondo.tsv"].add(d)
        mondo = full.mondo_by_id.get(d)
        if mondo:
            curies.update(x for x in mondo["xrefs"].split("|") if x.startswith(("NCIT:", "DOID:")))
        curies.add(d)
    for c in full.ancestors(curies):
        if c in full.terms_by_curie:
            want["ontology_terms.tsv"].add(c)
        if c.startswith("GO:") and c in full.go_by_id:
            want["go_bp.tsv"].add(c)
    return want


def _row_key(name: str, row: dict):
    return {
        "hgnc.tsv": lambda r: r["hgnc_id"], "chebi.tsv": lambda r: r["chebi_id"],
        "chebi_chembl.tsv": lambda r: (r["chebi_id"], r["chembl_id"]),
        "chembl_compounds.tsv": lambda r: r["chembl_id"], "drug_xrefs.tsv": lambda r: r["drugbank_id"],
        "ncit_map.tsv": lambda r: (r["target_ns"], r["target_id"], r["ncit_id"]),
        "mesh.tsv": lambda r: r["mesh_id"], "mesh_supp.tsv": lambda r: r["mesh_id"],
        "mondo.tsv": lambda r: r["mondo_id"], "go_bp.tsv": lambda r: r["go_id"],
        "ontology_terms.tsv": lambda r: r["curie"],
        "famplex_entities.tsv": lambda r: r["fplx_id"],
        "famplex_relations.tsv": lambda r: (r["parent_fplx_id"], r["child_namespace"], r["child_name"]),
        "famplex_equivalences.tsv": lambda r: (r["fplx_id"], r["namespace"], r["external_id"]),
        "civic_evidence.tsv": lambda r: r["evidence_id"],
        "chebi_pubchem.tsv": lambda r: (r["chebi_id"], r["pubchem_cid"]),
    }[name](row)


def filtered_files(shared: Path, curation=None) -> dict[str, str]:
    """File name -> text of the filtered copy (rows kept in snapshot order)."""
    full = Reference(shared)
    want = _wanted(curation, full)
    out = {}
    for name in FILES:
        header, rows = full.headers[name], full.tables[name]
        buf = io.StringIO()
        buf.write("\t".join(header) + "\n")
        for r in rows:
            if _row_key(name, r) in want[name]:
                buf.write("\t".join(r[h] for h in header) + "\n")
        out[name] = buf.getvalue()
    sums = _snapshot_sums(shared)
    lines = ["file\tsnapshot_sha256\trows_kept\trows_in_snapshot\n"]
    for name in FILES:
        lines.append(f"{name}\t{sums.get(name, '')}\t{out[name].count(chr(10)) - 1}\t{len(full.tables[name])}\n")
    out["SOURCES.tsv"] = "".join(lines)
    return out


def _snapshot_sums(shared: Path) -> dict[str, str]:
    sums = {}
    for line in (shared / "SHA256SUMS").read_text().splitlines():
        digest, _, name = line.partition("  ")
        sums[name.strip().lstrip("*")] = digest
    return sums


def verify_snapshot(shared: Path) -> list[str]:
    """Files of the snapshot whose checksum differs from SHA256SUMS."""
    bad = []
    for name, digest in _snapshot_sums(shared).items():
        if name in FILES and hashlib.sha256((shared / name).read_bytes()).hexdigest() != digest:
            bad.append(name)
    return bad


def load() -> Reference:
    return Reference(paths.REFERENCE)


def hgnc_slice_graph(ref: Reference):
    """The HGNC rows of the project's copy as RDF (symbol, approved name, locus type, NCBI Gene),
    for a second endpoint that federated queries join with the graph on the HGNC identifier."""
    from rdflib import Graph, Literal
    from rdflib.namespace import RDFS, SKOS

    from .prefixes import NSCR, bind_all, expand
    g = bind_all(Graph())
    for row in ref.tables["hgnc.tsv"]:
        node = expand("hgnc:" + row["hgnc_id"].split(":")[1])
        g.add((node, RDFS.label, Literal(row["symbol"])))
        g.add((node, SKOS.prefLabel, Literal(row["name"])))
        g.add((node, NSCR.locusType, Literal(row["locus_type"])))
        if row["ncbi_gene_id"]:
            g.add((node, SKOS.exactMatch, expand("NCBIGene:" + row["ncbi_gene_id"])))
    return g
