"""The small language of therapy cells: drugs, classes and regimens.

    expr    := term (('+' | 'then' | '/') term)*     one operator kind per level
    term    := DRUG_KEY | 'class:' CLASS_KEY | '(' expr ')'

A DRUG_KEY may also be the key of a non-drug intervention (interventions.tsv): `pembrolizumab + radiotherapy`.

'+' is a combination, 'then' a sequence, '/' substitutes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

OPERATORS = {"+": "combination", "then": "sequential", "/": "substitutes"}
TOKEN = re.compile(r"\s*(\(|\)|\+|/|\bthen\b|class:[A-Za-z0-9_]+|[A-Za-z0-9][A-Za-z0-9_.-]*)")


@dataclass(frozen=True)
class DrugRef:
    key: str


@dataclass(frozen=True)
class ClassRef:
    key: str


@dataclass(frozen=True)
class RegimenExpr:
    interaction: str
    components: tuple


Therapy = DrugRef | ClassRef | RegimenExpr


class TherapySyntaxError(ValueError):
    pass


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise TherapySyntaxError(f"cannot read {text[pos:]!r} in {text!r}")
        out.append(m.group(1))
        pos = m.end()
    return out


def parse(text: str) -> Therapy:
    tokens = _tokens(text)
    expr, rest = _expr(tokens, text)
    if rest:
        raise TherapySyntaxError(f"unexpected {' '.join(rest)!r} in {text!r}")
    return expr


def _expr(tokens: list[str], text: str):
    first, tokens = _term(tokens, text)
    parts, op = [first], None
    while tokens and tokens[0] in OPERATORS:
        if op is not None and tokens[0] != op:
            raise TherapySyntaxError(f"mixes '{op}' and '{tokens[0]}' without parentheses in {text!r}")
        op = tokens[0]
        nxt, tokens = _term(tokens[1:], text)
        parts.append(nxt)
    if op is None:
        return first, tokens
    return RegimenExpr(OPERATORS[op], tuple(parts)), tokens


def _term(tokens: list[str], text: str):
    if not tokens:
        raise TherapySyntaxError(f"{text!r} ends where a drug was expected")
    tok = tokens[0]
    if tok == "(":
        inner, rest = _expr(tokens[1:], text)
        if not rest or rest[0] != ")":
            raise TherapySyntaxError(f"missing ')' in {text!r}")
        return inner, rest[1:]
    if tok in OPERATORS or tok == ")":
        raise TherapySyntaxError(f"unexpected {tok!r} in {text!r}")
    if tok.startswith("class:"):
        return ClassRef(tok[len("class:"):]), tokens[1:]
    return DrugRef(tok), tokens[1:]


def drug_keys(expr: Therapy) -> list[str]:
    if isinstance(expr, DrugRef):
        return [expr.key]
    if isinstance(expr, RegimenExpr):
        return [k for c in expr.components for k in drug_keys(c)]
    return []


def class_keys(expr: Therapy) -> list[str]:
    if isinstance(expr, ClassRef):
        return [expr.key]
    if isinstance(expr, RegimenExpr):
        return [k for c in expr.components for k in class_keys(c)]
    return []


def key_of(expr: Therapy) -> str:
    """The component key used inside regimen IRIs."""
    if isinstance(expr, DrugRef):
        return expr.key
    if isinstance(expr, ClassRef):
        return "class:" + expr.key
    from .iris import regimen_key
    return "(" + regimen_key(expr.interaction, [key_of(c) for c in expr.components]) + ")"


def render(expr: Therapy) -> str:
    """An expression written back in the cell syntax (for messages)."""
    if isinstance(expr, DrugRef):
        return expr.key
    if isinstance(expr, ClassRef):
        return "class:" + expr.key
    op = {v: k for k, v in OPERATORS.items()}[expr.interaction]
    return f" {op} ".join(render(c) if not isinstance(c, RegimenExpr) else f"({render(c)})" for c in expr.components)
