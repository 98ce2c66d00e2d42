"""Read a claims file (TOML) and validate all of it before anything is computed.

Every problem is collected, located (claim id, field, line) and reported
together in one :class:`ClaimsFileError`, so that a user fixes a file in one
pass and never gets half a report from a file that was half right.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nonaligned.claims.kinds import KINDS
from nonaligned.claims.spec import COMPARISONS, Claim, Field, Kind, Problem
from nonaligned.errors import ClaimsFileError, QueryError
from nonaligned.measures import trade as trade_measures
from nonaligned.query import check_country, roll_calls_for_symbol

if TYPE_CHECKING:
    from nonaligned.session import Store

__all__ = ["DEFAULT_MAX_YEAR_GAP", "load"]

DEFAULT_MAX_YEAR_GAP = 3
TOP_LEVEL = ("title", "description", "claim")

COMMON = (
    Field("id", str, "unique name of the claim"),
    Field("kind", str, "kind of claim", choices=tuple(KINDS)),
    Field("statement", str, "the claim in words, as made", required=False),
    Field("said_by", str, "who made it, and when", required=False),
    Field("source", str, "where it was made (URL or reference)", required=False),
    Field("tolerance", float, "overrides the kind's default tolerance", required=False),
    Field(
        "compare",
        str,
        "about (default), at_least ('more than P'), at_most ('fewer than N')",
        required=False,
        choices=COMPARISONS,
        default="about",
    ),
    Field(
        "max_year_gap",
        int,
        "furthest year the nearest-year rule may use",
        required=False,
        default=DEFAULT_MAX_YEAR_GAP,
    ),
)
_COMMON_NAMES = {f.name for f in COMMON}


def _typed(value: Any, spec: Field) -> tuple[Any, str | None]:
    """The value converted to the field's type, or an error message."""
    if spec.type is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), None
    if spec.type is int and isinstance(value, int) and not isinstance(value, bool):
        return value, None
    if spec.type in (str, bool) and isinstance(value, spec.type):
        if spec.choices is not None and value not in spec.choices:
            return value, f"{value!r} is not one of {', '.join(spec.choices)}"
        return value, None
    names = {float: "a number", int: "an integer", str: "a string", bool: "true or false"}
    return value, f"must be {names[spec.type]}, got {value!r}"


class _Locator:
    """Line numbers of each ``[[claim]]`` table and of the keys inside it."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = [
            i for i, line in enumerate(self.lines) if re.match(r"\s*\[\[\s*claim\s*\]\]", line)
        ]

    def line(self, index: int, key: str | None = None) -> int | None:
        if index >= len(self.headers):
            return None  # claims written as inline tables: no line to point at
        start = self.headers[index]
        if key is None:
            return start + 1
        end = self.headers[index + 1] if index + 1 < len(self.headers) else len(self.lines)
        pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
        hit = next((i for i in range(start, end) if pattern.match(self.lines[i])), None)
        return start + 1 if hit is None else hit + 1


def _parse(text: str, path: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        # no line in the message means "at end of document"
        line = int(found.group(1)) if found else max(len(text.splitlines()), 1)
        raise ClaimsFileError(path, [Problem(f"not valid TOML: {exc}", line=line)]) from None


def _validate_claim(table: Any, index: int, where: _Locator) -> tuple[Claim | None, list[Problem]]:
    """A claim from one ``[[claim]]`` table, with what is wrong in it (static checks only)."""
    if not isinstance(table, dict):
        return None, [Problem(f"claim {index + 1} is not a table", line=where.line(index))]
    cid = table.get("id") if isinstance(table.get("id"), str) else f"#{index + 1}"
    problems: list[Problem] = []

    def problem(message: str, key: str | None = None) -> None:
        problems.append(Problem(message, cid, key, where.line(index, key)))

    kind: Kind | None = KINDS.get(table.get("kind")) if isinstance(table.get("kind"), str) else None
    fields = COMMON + (kind.fields if kind else ())
    values: dict[str, Any] = {}
    for spec in fields:
        if spec.name not in table:
            if spec.required:
                problem("missing (required)", spec.name)
            values[spec.name] = spec.default
            continue
        values[spec.name], message = _typed(table[spec.name], spec)
        if message:
            problem(message, spec.name)
    if kind is None:
        return None, problems  # unknown kind: its fields cannot be checked
    known = _COMMON_NAMES | {f.name for f in kind.fields}
    for key in table:
        if key not in known:
            problem(f"unknown field for kind {kind.name!r}; known: {', '.join(sorted(known))}", key)
    for group in kind.one_of:
        if sum(values[name] is not None for name in group) != 1:
            problem(f"give exactly one of {', '.join(group)}", group[0])
    for name, (other, value) in kind.requires.items():
        if values[other] == value and values[name] is None:
            problem(f"required when {other} = {value!r}", name)
    for key in ("tolerance", "compare"):
        if kind.tolerance is None and key in table:
            problem(f"kind {kind.name!r} is compared exactly; it takes no {key}", key)
    if values["tolerance"] is not None and values["tolerance"] < 0:
        problem("must not be negative", "tolerance")
    if values["max_year_gap"] is not None and values["max_year_gap"] < 0:
        problem("must not be negative", "max_year_gap")
    for name in kind.claimed:
        value = values[name]
        if isinstance(value, int | float) and not isinstance(value, bool):
            if kind.tolerance_unit == "relative" and value <= 0:
                problem("must be positive (the tolerance is relative to it)", name)
            elif value < 0:
                problem("must not be negative", name)
    start, end = values.get("from_year"), values.get("to_year")
    if start is not None and end is not None and start >= end:
        problem("must be before to_year", "from_year")
    if problems:
        return None, problems
    params = {f.name: values[f.name] for f in kind.fields}
    claim = Claim(
        id=values["id"],
        kind=kind.name,
        params=params,
        tolerance=kind.tolerance if values["tolerance"] is None else values["tolerance"],
        max_year_gap=values["max_year_gap"],
        compare=values["compare"],
        statement=values["statement"],
        said_by=values["said_by"],
        source=values["source"],
        line=where.line(index),
    )
    return claim, []


def _check_against_store(store: Store, claim: Claim, index: int, where: _Locator) -> list[Problem]:
    """Countries, partners, regions and ambiguous symbols, checked in the store (codes
    are upper-cased in place)."""
    problems: list[Problem] = []
    for spec in KINDS[claim.kind].fields:
        value = claim.params[spec.name]
        if value is None or spec.role == "plain":
            continue
        try:
            if spec.role == "country":
                claim.params[spec.name] = check_country(store, value)
            elif spec.role == "partner":
                code = value.strip().upper()
                poles = (*trade_measures.POLES, trade_measures.WORLD)
                claim.params[spec.name] = code if code in poles else check_country(store, code)
            elif spec.role == "region":
                trade_measures.region_members(value)
            elif spec.role == "symbol":
                _check_symbol(store, value, claim.params.get("roll_call"))
        except (QueryError, ValueError) as exc:
            problems.append(Problem(str(exc), claim.id, spec.name, where.line(index, spec.name)))
    return problems


def _check_symbol(store: Store, symbol: str, roll_call: int | None) -> None:
    """A symbol with several roll calls needs ``roll_call``; one with none is left to the
    evaluator, which reports it as not checkable (the store may simply not cover it)."""
    ids = list(roll_calls_for_symbol(store, symbol).roll_call_id)
    if not ids:
        return
    if roll_call is None and len(ids) > 1:
        raise QueryError(
            f"{symbol} has {len(ids)} recorded votes (roll calls "
            f"{', '.join(map(str, ids))}): choose one with roll_call"
        )
    if roll_call is not None and roll_call not in ids:
        raise QueryError(f"roll call {roll_call} is not a vote on {symbol}")


def load(path: str | Path, store: Store | None = None) -> list[Claim]:
    """The claims of a TOML file, every one validated; a :class:`ClaimsFileError` listing
    every problem otherwise.

    With a store connection, countries, partners and ambiguous symbols are
    checked against it too (regions against the M49 table).
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ClaimsFileError(name, [Problem(f"cannot read the file: {exc}")]) from None
    document = _parse(text, name)
    where = _Locator(text)
    problems = [
        Problem(f"unknown top-level key {key!r}; known: {', '.join(TOP_LEVEL)}")
        for key in document
        if key not in TOP_LEVEL
    ]
    tables = document.get("claim")
    if not isinstance(tables, list) or not tables:
        problems.append(Problem("no claims: write each as a [[claim]] table"))
        raise ClaimsFileError(name, problems)
    claims, seen = [], {}
    for index, table in enumerate(tables):
        claim, found = _validate_claim(table, index, where)
        problems += found
        if claim is None:
            continue
        if claim.id in seen:
            problems.append(
                Problem(
                    f"duplicate id (first at line {seen[claim.id]})", claim.id, "id", claim.line
                )
            )
        seen.setdefault(claim.id, claim.line)
        if store is not None:
            problems += _check_against_store(store, claim, index, where)
        claims.append(claim)
    if problems:
        raise ClaimsFileError(name, problems)
    return claims
