"""A tiny synthetic store: ten states, twenty roll calls a year for five years, trade, the EU.

The fast test layer's store: built in well under a second from a fixed seed,
with no file from the mirror, so library and CLI tests run anywhere. Two
blocs vote apart (a Western one around the USA, another around China and
Russia) and the rest mostly with the majority, so every measure has
something to find. Expected values in tests are computed from these frames
directly, never from the code under test.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from nonaligned.store import SCHEMA

YEARS = tuple(range(2016, 2021))
ROLL_CALLS_PER_YEAR = 20
STATES = {  # iso3: (name, bloc): +1 votes with the USA, -1 with China, 0 in between
    "USA": ("United States", 1),
    "FRA": ("France", 1),
    "DEU": ("Germany", 1),
    "JPN": ("Japan", 1),
    "CHN": ("China", -1),
    "RUS": ("Russia", -1),
    "CUB": ("Cuba", -1),
    "IND": ("India", 0),
    "BRA": ("Brazil", 0),
    "ZAF": ("South Africa", 0),
}
VOTES = np.array(["yes", "abstain", "no"])
WORLD = "WLD"


def empty_tables() -> dict[str, pd.DataFrame]:
    """Every table of the store's schema, empty, with the store's column types."""
    con = duckdb.connect()
    frames = {}
    for name, columns in SCHEMA.items():
        con.execute(f"CREATE TABLE {name} ({columns})")
        frames[name] = con.execute(f"SELECT * FROM {name}").df()
    con.close()
    return frames


def tables(seed: int = 7) -> dict[str, pd.DataFrame]:
    """The synthetic store's tables (see the module docstring)."""
    rng = np.random.default_rng(seed)
    frames = empty_tables()
    frames["countries"] = _fill(
        frames["countries"],
        iso3=list(STATES),
        name=[name for name, _ in STATES.values()],
        historical=False,
    )
    frames["memberships"] = _fill(
        frames["memberships"], iso3=["FRA", "DEU"], grouping="EU", status="member", joined_year=1958
    )
    ids = np.arange(1, len(YEARS) * ROLL_CALLS_PER_YEAR + 1)
    years = np.repeat(YEARS, ROLL_CALLS_PER_YEAR)
    frames["roll_calls"] = _fill(
        frames["roll_calls"],
        roll_call_id=ids,
        session=years - 1945,
        date=pd.to_datetime([f"{y}-10-01" for y in years]),
        year=years,
        symbol=[f"A/RES/{y - 1945}/{i}" for y, i in zip(years, ids, strict=True)],
        title=[f"Synthetic resolution {i}" for i in ids],
        source="synthetic",
    )
    frames["votes"] = pd.DataFrame(
        [
            {"roll_call_id": rc, "iso3": iso3, "vote": _vote(rng, bloc, side)}
            for rc, side in zip(ids, rng.choice([-1, 1], size=len(ids)), strict=True)
            for iso3, (_, bloc) in STATES.items()
        ]
    )
    frames["trade_flows"] = trade_flows(rng)
    frames["provenance"] = _fill(
        frames["provenance"],
        source="synthetic",
        version="1",
        file="tests/_synthetic.py",
        sha256="0" * 64,
    )
    return frames


def trade_flows(rng: np.random.Generator) -> pd.DataFrame:
    """Every state reports exports and imports with every other, and a World total that
    adds trade with the rest of the world (partners outside the ten)."""
    rows = []
    for year in YEARS:
        for reporter in STATES:
            for flow in ("exports", "imports"):
                values = {p: float(rng.integers(1, 1000)) * 1e6 for p in STATES if p != reporter}
                rest = float(rng.integers(0, 5000)) * 1e6
                for partner, value in [*values.items(), (WORLD, sum(values.values()) + rest)]:
                    rows.append(
                        {
                            "reporter_iso3": reporter,
                            "partner_code": partner,
                            "partner_is_aggregate": partner == WORLD,
                            "year": year,
                            "flow": flow,
                            "value_usd": value,
                            "estimated": False,
                            "source": "imf_dots",
                        }
                    )
    return pd.DataFrame(rows)


def _vote(rng: np.random.Generator, bloc: int, side: int) -> str:
    """A bloc votes yes on its side's resolutions, no on the other's; the middle mostly yes."""
    if bloc == 0:
        return str(rng.choice(VOTES, p=[0.7, 0.2, 0.1]))
    return "yes" if bloc == side else str(rng.choice(VOTES[1:], p=[0.3, 0.7]))


def _fill(empty: pd.DataFrame, **columns: object) -> pd.DataFrame:
    """``empty``'s columns, with ``columns`` given and the rest missing."""
    frame = pd.DataFrame(
        columns, index=[0] if all(np.isscalar(v) for v in columns.values()) else None
    )
    return frame.reindex(columns=empty.columns)
