"""Fuzz targets: every parser, fed real files from the mirror that hypothesis damages.

Shared by tests/cli/test_fuzz.py (a bounded number of examples in CI) and
benchmarks/fuzz.py (many more). The contract checked is the project's: a
parser either returns or raises a :class:`~nonaligned.errors.NonalignedError`
(its own clear error type), never anything else.

Each target starts from real upstream bytes (large files cut to their first
lines, so one example stays fast) and applies byte mutations: truncation,
flipped bytes, junk lines inserted, lines dropped or doubled, a CSV field or
JSON value replaced. R data files are also mutated as tables (a column
dropped, retyped or filled with junk) and written back with pyreadr, so that
the parser logic behind the decompression is reached too. Offer documents
are mutated as TOML text and generated as arbitrary mappings.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadr
from conftest import EXAMPLES, MIRROR
from hypothesis import strategies as st

from nonaligned.errors import NonalignedError
from nonaligned.sources import (
    aiddata,
    cow,
    hrt,
    imf_dots,
    memberships,
    unvotes,
    unxml,
    us_aid,
    us_travels,
    voeten_votes,
    wdi,
)

EXAMPLES = EXAMPLES / "offers"
JUNK = [b"", b"\x00\xff\xfe", b"{", b"}", b"[1, 2", b'"', b",,,,", b"NaN", b"-1e309", b"\xe9t\xe9"]
JUNK += [b"9" * 40, b'{"symbol": null}', b"null", b"true", b"A/RES/1/1", b"\r\n", b"\t"]


@dataclass(frozen=True)
class Target:
    """A parser and the real inputs it is fuzzed from (one bytes value per input file)."""

    name: str
    files: tuple[str, ...]  # file names the inputs are written to (the parser may check them)
    parse: Callable[[list[Path]], object]
    head_lines: int | None = None  # keep only this many lines of each real file
    tables: tuple[str, ...] = ()  # R object names, for table-level mutation of .rda inputs


def _head(path: Path, lines: int | None) -> bytes:
    data = path.read_bytes()
    if lines is None:
        return data
    return b"".join(data.splitlines(keepends=True)[:lines])


@cache
def _cow_codes() -> pd.DataFrame:
    return cow.parse(MIRROR / "countries" / "COW-country-codes.csv")


@cache
def _roll_calls() -> pd.DataFrame:
    unga = MIRROR / "unga" / "unvotes"
    return unvotes.parse_roll_calls(unga / "un_roll_calls.rda", unga / "un_roll_call_issues.rda")


def _smallest_workbook() -> Path:
    folder = MIRROR / "trade" / "imf_dots_by_reporter_2022snapshot"
    return min(folder.glob("DOTS_*.xlsx"), key=lambda p: p.stat().st_size)


def _offers(paths: list[Path]) -> object:
    """The offers parser on the file's text (undecodable bytes replaced).

    Decoded here rather than through ``offers.load``, which lets a
    UnicodeDecodeError out (see test_fuzz.py's strict xfail); the TOML parser
    and validation behind it are what this target fuzzes.
    """
    from nonaligned.strategy import offers

    text = paths[0].read_bytes().decode("utf-8", errors="replace")
    return offers.parse(text, offers.known_codes(COUNTRIES), path=paths[0])


COUNTRIES = ("KEN", "AGO", "USA", "CHN", "RUS")


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("unxml", ("ES-11.json",), lambda p: unxml.parse_file(p[0]), head_lines=40),
        Target("cow", ("COW-country-codes.csv",), lambda p: cow.parse(p[0])),
        Target("memberships", ("memberships.csv",), lambda p: memberships.parse(p[0])),
        Target(
            "wdi", ("gdp_current_usd.csv", "population.csv"), lambda p: wdi.parse(*p), head_lines=60
        ),
        Target("hrt", ("HRT_ChinaDebtStockDatabase.csv",), lambda p: hrt.parse(p[0])),
        Target("us_aid", ("us_bilateral_aid.csv",), lambda p: us_aid.parse(p[0]), head_lines=200),
        Target(
            "us_travels",
            ("biden-joseph-r.xml", "travel-role-codes.xml"),
            lambda p: us_travels.parse([p[0]], p[1]),
        ),
        Target(
            "aiddata_commitments",
            ("gcdf3_country_commitments.rda",),
            lambda p: aiddata.parse_country_commitments(p[0]),
            tables=("gcdf3_country_commitments",),
        ),
        Target(
            "aiddata_flows",
            ("gcdf3_yearly_flows.rda",),
            lambda p: aiddata.parse_yearly_flows(p[0]),
            tables=("gcdf3_yearly_flows",),
        ),
        Target(
            "unvotes_roll_calls",
            ("un_roll_calls.rda", "un_roll_call_issues.rda"),
            lambda p: unvotes.parse_roll_calls(*p),
            tables=("un_roll_calls", "un_roll_call_issues"),
        ),
        Target(
            "unvotes_votes",
            ("un_votes.rda",),
            lambda p: unvotes.parse_votes(p[0], _roll_calls()),
            tables=("un_votes",),
        ),
        Target(
            "voeten",
            ("UNVotesPublished.RData",),
            lambda p: voeten_votes.parse(
                p[0], _cow_codes(), _roll_calls().set_index("roll_call_id").date
            ),
            tables=("UNVotesPublished",),
        ),
        Target("imf_workbook", ("DOTS_1.xlsx",), lambda p: imf_dots.parse(p)),
        Target("offers_toml", ("offers.toml",), _offers),
    )
}

SOURCES: dict[str, tuple[Path, ...]] = {
    "unxml": (MIRROR / "unga" / "unxml_GAresolutions" / "data_extract" / "ES-11.json",),
    "cow": (MIRROR / "countries" / "COW-country-codes.csv",),
    "memberships": (MIRROR / "memberships" / "memberships.csv",),
    "wdi": (MIRROR / "wdi" / "gdp_current_usd.csv", MIRROR / "wdi" / "population.csv"),
    "hrt": (MIRROR / "finance" / "HRT_ChinaDebtStockDatabase.csv",),
    "us_aid": (MIRROR / "finance" / "us_aid" / "us_bilateral_aid.csv",),
    "us_travels": (
        MIRROR / "engagement" / "us_travels" / "president-travels" / "biden-joseph-r.xml",
        MIRROR / "engagement" / "us_travels" / "code-tables" / "travel-role-codes.xml",
    ),
    "aiddata_commitments": (MIRROR / "finance" / "gcdf3_country_commitments.rda",),
    "aiddata_flows": (MIRROR / "finance" / "gcdf3_yearly_flows.rda",),
    "unvotes_roll_calls": (
        MIRROR / "unga" / "unvotes" / "un_roll_calls.rda",
        MIRROR / "unga" / "unvotes" / "un_roll_call_issues.rda",
    ),
    "unvotes_votes": (MIRROR / "unga" / "unvotes" / "un_votes.rda",),
    "voeten": (MIRROR / "unga" / "voeten" / "UNVotesPublished.RData",),
}
ROWS_KEPT = 3000  # rows of the large R tables kept for table-level mutation


def real_inputs(target: Target) -> list[bytes]:
    """The real bytes a target starts from."""
    if target.name == "imf_workbook":
        return [_smallest_workbook().read_bytes()]
    if target.name == "offers_toml":
        return [min(EXAMPLES.glob("*.toml")).read_bytes()]
    return [_head(path, target.head_lines) for path in SOURCES[target.name]]


@cache
def real_tables(name: str) -> tuple[pd.DataFrame, ...]:
    """The R tables of a target, large ones cut to their first rows."""
    frames = []
    for path in SOURCES[name]:
        frame = next(iter(pyreadr.read_r(str(path)).values()))
        frames.append(frame.head(ROWS_KEPT).reset_index(drop=True))
    return tuple(frames)


def one_mutated(items: Sequence, mutate: Callable) -> st.SearchStrategy[list]:
    """``items`` with one of them (drawn) replaced by ``mutate(item)``, a strategy.

    Every fuzz target reads several inputs; damaging one at a time keeps the
    others valid, so the parser reaches the damaged one.
    """

    def replace(which: int) -> st.SearchStrategy[list]:
        return mutate(items[which]).map(lambda new: [*items[:which], new, *items[which + 1 :]])

    return st.integers(0, len(items) - 1).flatmap(replace)


# --- byte mutations -----------------------------------------------------------------------


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` after one to three random edits."""
    for _ in range(draw(st.integers(1, 3))):
        data = draw(_one_edit(data))
    return data


def _one_edit(data: bytes) -> st.SearchStrategy[bytes]:
    n = len(data)
    lines = data.splitlines(keepends=True) or [b""]
    position = st.integers(0, max(n - 1, 0))
    line = st.integers(0, len(lines) - 1)
    junk = st.one_of(st.sampled_from(JUNK), st.binary(max_size=30))

    def flip(at: int, mask: int) -> bytes:
        return data[:at] + bytes([data[at] ^ mask]) + data[at + 1 :] if n else data

    def insert(at: int, text: bytes) -> bytes:
        return b"".join([*lines[:at], text + b"\n", *lines[at:]])

    def field(at: int, text: bytes, column: int) -> bytes:
        for separator in (b",", b'": '):
            cells = lines[at].split(separator)
            if len(cells) > 1:
                cells[column % len(cells)] = text
                return b"".join([*lines[:at], separator.join(cells), *lines[at + 1 :]])
        return data

    return st.one_of(
        st.builds(lambda at: data[:at], position),
        st.builds(flip, position, st.integers(1, 255)),
        st.builds(insert, line, junk),
        st.builds(lambda at: b"".join(lines[:at] + lines[at + 1 :]), line),
        st.builds(lambda at: b"".join([*lines[: at + 1], *lines[at:]]), line),
        st.builds(field, line, junk, st.integers(0, 40)),
    )


# --- table mutations ----------------------------------------------------------------------

JUNK_VALUES = [None, np.nan, -1, 0, 10**12, 1.5, "", "junk", "1946-13-45", "NA", True]


@st.composite
def mutated_table(draw: st.DrawFn, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a column dropped, renamed, retyped, or some of its cells replaced."""
    frame = frame.copy()
    column = draw(st.sampled_from(list(frame.columns)))
    kind = draw(st.sampled_from(["drop", "rename", "retype", "cells", "empty"]))
    if kind == "drop":
        return frame.drop(columns=column)
    if kind == "rename":
        return frame.rename(columns={column: column + "_x"})
    if kind == "empty":
        return frame.head(0)
    if kind == "retype":
        value = draw(st.sampled_from(JUNK_VALUES))
        frame[column] = pd.Series([value] * len(frame), dtype=object)
        return frame
    rows = draw(st.lists(st.integers(0, max(len(frame) - 1, 0)), min_size=1, max_size=5))
    values = frame[column].astype(object).to_numpy().copy()
    for row in rows:
        values[row] = draw(st.sampled_from(JUNK_VALUES))
    frame[column] = values
    return frame


def write_rda(frames: Sequence[pd.DataFrame], names: Sequence[str], paths: Sequence[Path]) -> None:
    """Write each frame to an R data file under its R object name."""
    for frame, name, path in zip(frames, names, paths, strict=True):
        # pyreadr writes object columns only as strings
        frame = frame.copy()
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].map(lambda v: v if v is None else str(v))
        pyreadr.write_rdata(str(path), frame, df_name=name)


# --- offer documents ----------------------------------------------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.sampled_from(["KEN", "CHN", "USA", "EU", "loan", "grant", "equity", "annuity", "bullet"]),
)
_KEYS = st.one_of(
    st.sampled_from(
        [
            *("country", "project", "offers", "id", "partner", "kind", "amount_usd"),
            *("interest_rate", "maturity_years", "grace_years", "repayment"),
            *("payments_per_year", "upfront_fee_rate", "commitment_fee_rate", "disbursement"),
            *("value_to_partner_usd", "conditions", "collateral", "exclusivity", "local_content"),
        ]
    ),
    st.text(max_size=8),
)
offer_documents = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=8)),
    max_leaves=30,
).filter(lambda doc: isinstance(doc, dict))


def generated_offer_document(document: dict) -> object:
    from nonaligned.strategy import offers

    return offers.parse(document, offers.known_codes(COUNTRIES))


# --- running one example ------------------------------------------------------------------


def run_bytes(target: Target, inputs: Sequence[bytes]) -> None:
    """Write ``inputs`` to fresh files and parse them; a NonalignedError is a fine outcome."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        paths = [Path(folder) / name for name in target.files]
        for path, data in zip(paths, inputs, strict=True):
            path.write_bytes(data)
        expect_parse_or_own_error(target.parse, paths)


def run_tables(target: Target, frames: Sequence[pd.DataFrame]) -> None:
    """Write mutated tables as R data files and parse them."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        paths = [Path(folder) / name for name in target.files]
        try:
            write_rda(frames, target.tables, paths)
        except Exception:  # a table pyreadr cannot write is not an input the parser can meet
            return
        expect_parse_or_own_error(target.parse, paths)


def expect_parse_or_own_error(parse: Callable[[list[Path]], object], paths: list[Path]) -> None:
    """The contract: return, or raise the project's own error. Anything else propagates."""
    with contextlib.suppress(NonalignedError):
        parse(paths)
