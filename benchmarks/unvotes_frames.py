"""Votes and roll calls in the store's shape, for benchmarks and real-data tests.

The library's measures take DataFrames shaped like the store's ``votes`` and
``roll_calls`` tables. Until a built store is available this module reads the
same upstream files directly (R package unvotes 0.3.0, 1946-2019, from the
shared mirror) so that benchmarks and validation can run on real votes. It is
deliberately not part of the library: the store is the library's only input.

Absences are not in unvotes; similarity measures and ideal points ignore them
anyway.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyreadr

from nonaligned.countries import iso3_from_iso2, iso3_from_name

MIRROR = Path(os.environ.get("NONALIGNED_MIRROR", "/work/shared/data"))
UNVOTES = MIRROR / "unga" / "unvotes"
VOETEN = MIRROR / "unga" / "voeten"
ISSUES = ("me", "nu", "di", "hr", "co", "ec")


def _read(name: str) -> pd.DataFrame:
    return next(iter(pyreadr.read_r(UNVOTES / f"{name}.rda").values()))


def _flag(values: pd.Series) -> pd.Series:
    """unvotes codes flags as 0/1 (or '0'/'1') with missing where not coded."""
    return pd.to_numeric(values, errors="coerce").map({0: False, 1: True}).astype("boolean")


def load_roll_calls() -> pd.DataFrame:
    """unvotes roll calls with the store's columns."""
    raw = _read("un_roll_calls")
    issues = _read("un_roll_call_issues")
    date = pd.to_datetime(raw["date"])
    frame = pd.DataFrame(
        {
            "roll_call_id": raw["rcid"].astype("int64"),
            "session": raw["session"].astype("int64"),
            "date": date.dt.date,
            "year": date.dt.year.astype("int64"),
            "symbol": raw["unres"],
            "title": raw["short"],
            "description": raw["descr"],
            "important": _flag(raw["importantvote"]),
            "amendment": _flag(raw["amend"]),
            "paragraph": _flag(raw["para"]),
        }
    )
    for code in ISSUES:
        ids = issues.loc[issues["short_name"] == code, "rcid"].astype("int64")
        frame[f"issue_{code}"] = frame["roll_call_id"].isin(ids)
    frame["source"] = "unvotes"
    return frame


def _iso3(code: object, country: str, date: object) -> str | None:
    """ISO2 first, the unvotes country name as fallback.

    Three seats (FRG, Yemen Arab Republic, Zanzibar) have no ISO2 code in
    unvotes, and countries.iso3_from_iso2 currently misses GB and GR (their
    ISO2 cells in country_converter's table are regexes); names cover both.
    """
    iso3 = iso3_from_iso2(code, date) if isinstance(code, str) else None
    return iso3 or iso3_from_name(country, date)


def load_votes(roll_calls: pd.DataFrame | None = None) -> pd.DataFrame:
    """unvotes votes keyed by ISO3 (seat rules applied at the date of each vote)."""
    roll_calls = load_roll_calls() if roll_calls is None else roll_calls
    raw = _read("un_votes")
    votes = pd.DataFrame(
        {
            "roll_call_id": raw["rcid"].astype("int64"),
            "code": raw["country_code"].astype(object),
            "country": raw["country"].astype(str),
            "vote": raw["vote"].astype(str),
        }
    )
    votes = votes.merge(roll_calls[["roll_call_id", "date"]], on="roll_call_id", how="left")
    keys = ["code", "country", "date"]
    pairs = votes[keys].drop_duplicates()
    pairs["iso3"] = [_iso3(c, n, d) for c, n, d in pairs.itertuples(index=False)]
    votes = votes.merge(pairs, on=keys, how="left")
    unmapped = votes["iso3"].isna()
    if unmapped.any():
        codes = sorted(votes.loc[unmapped, "country"].unique())
        raise ValueError(f"unvotes countries without ISO3: {codes}")
    return votes[["roll_call_id", "iso3", "vote"]].reset_index(drop=True)


def load_store() -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """(votes, roll_calls) from the built store, or None if there is none yet."""
    try:
        import nonaligned
        from nonaligned import query
        from nonaligned.store import default_db_path
    except ImportError:
        return None
    path = default_db_path()
    if not path.exists():
        return None
    with nonaligned.open(path) as store:
        if not {"votes", "roll_calls"} <= query.table_names(store):
            return None
        return query.votes(store), query.roll_calls(store)


def load(source: str = "auto") -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """(votes, roll_calls, name of the source): the store if built, else unvotes."""
    if source in ("auto", "store"):
        found = load_store()
        if found is not None:
            return (*found, "store")
        if source == "store":
            raise FileNotFoundError("no built store with votes and roll_calls")
    roll_calls = load_roll_calls()
    return load_votes(roll_calls), roll_calls, "unvotes"


def load_memberships() -> pd.DataFrame:
    """The hand-compiled memberships table (EU membership by year, among others)."""
    return pd.read_csv(MIRROR / "memberships" / "memberships.csv")
