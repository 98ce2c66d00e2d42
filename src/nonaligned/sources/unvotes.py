"""UNGA roll calls and votes 1946–2019 from the R package unvotes 0.3.0 (Voeten's data).

unvotes drops absences and non-members; absences come from Voeten's own
vote-level file (see :mod:`nonaligned.sources.voeten_votes`) and from UN
membership when the two are reconciled.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nonaligned.countries import apply_seat_rules, iso3_from_iso2, iso3_from_name
from nonaligned.errors import UnknownCountryError
from nonaligned.sources._read import parser, read_rda, require_columns
from nonaligned.sources.base import RemoteFile, Source

_BASE = "https://raw.githubusercontent.com/cran/unvotes/0.3.0/data/"
ISSUES = ("me", "nu", "di", "hr", "co", "ec")

SOURCE = Source(
    name="unvotes",
    title="unvotes: United Nations General Assembly Voting Data (R package data)",
    version="0.3.0",
    files=(
        RemoteFile(
            "unga/unvotes/un_votes.rda",
            _BASE + "un_votes.rda",
            "36228d584d9cd8ea67dd33072da029628dabcc6faf3dffb183f916cc254660d9",
            262141,
        ),
        RemoteFile(
            "unga/unvotes/un_roll_calls.rda",
            _BASE + "un_roll_calls.rda",
            "61a83d780e07cdfda635ca89e05875ceb58c6d64f876f85ac45f36b966a02ec0",
            213221,
        ),
        RemoteFile(
            "unga/unvotes/un_roll_call_issues.rda",
            _BASE + "un_roll_call_issues.rda",
            "eec1b509ebce692c242b842837d5d861b52b65b2868a7c66f573d4a87d2eb0be",
            8512,
        ),
    ),
    citation="Erik Voeten, Anton Strezhnev and Michael Bailey. 2009. United Nations General "
    "Assembly Voting Data. Harvard Dataverse, hdl:1902.1/12379. Packaged as the R package "
    "unvotes 0.3.0 by David Robinson and Mine Çetinkaya-Rundel (2021).",
    bibtex="@data{voeten2009unga,\n  author = {Voeten, Erik and Strezhnev, Anton and Bailey, "
    "Michael},\n  title = {United Nations General Assembly Voting Data},\n  publisher = "
    "{Harvard Dataverse},\n  year = {2009},\n  doi = {10.7910/DVN/LEJUQZ}\n}\n"
    "@manual{unvotes030,\n  author = {Robinson, David and Çetinkaya-Rundel, Mine},\n"
    "  title = {unvotes: United Nations General Assembly Voting Data},\n  note = "
    "{R package version 0.3.0},\n  year = {2021}\n}",
    terms="Package MIT licence (David Robinson, 2016); cite Voeten's UNGA voting data.",
    coverage="6,202 roll calls, sessions 1-74, 1946-01-01 to 2019-12-27; yes/no/abstain only",
)


def _flag(values: pd.Series) -> pd.Series:
    """unvotes codes flags as "0"/"1" text with gaps; keep the gaps as missing."""
    return pd.to_numeric(values, errors="coerce").map({0: False, 1: True}).astype("boolean")


@parser
def parse_roll_calls(roll_calls_path: Path, issues_path: Path) -> pd.DataFrame:
    """Roll calls: ``roll_call_id, session, date, unres, important, amendment, paragraph,
    short, descr, issue_me … issue_ec``."""
    raw = read_rda(roll_calls_path, "un_roll_calls")
    require_columns(
        raw,
        ["rcid", "session", "importantvote", "date", "unres", "amend", "para", "short", "descr"],
        roll_calls_path,
    )
    issues = read_rda(issues_path, "un_roll_call_issues")
    require_columns(issues, ["rcid", "short_name"], issues_path)
    frame = pd.DataFrame(
        {
            "roll_call_id": raw.rcid.astype("int64"),
            "session": raw.session.astype("int64"),
            "date": pd.to_datetime(raw.date).dt.date,
            "unres": raw.unres.where(raw.unres.str.strip() != "", None),
            "important": _flag(raw.importantvote),
            "amendment": _flag(raw.amend),
            "paragraph": _flag(raw.para),
            "short": raw.short.str.strip(),
            "descr": raw.descr.str.strip(),
        }
    )
    for issue in ISSUES:
        ids = set(issues.rcid[issues.short_name == issue].astype("int64"))
        frame[f"issue_{issue}"] = frame.roll_call_id.isin(ids)
    return frame


@parser
def parse_votes(votes_path: Path, roll_calls: pd.DataFrame) -> pd.DataFrame:
    """Votes ``roll_call_id, iso3, vote`` (yes/no/abstain), seats resolved by date."""
    raw = read_rda(votes_path, "un_votes")
    require_columns(raw, ["rcid", "country", "country_code", "vote"], votes_path)
    keys = raw[["country", "country_code"]].drop_duplicates()
    mapping = {}
    for name, code in zip(keys.country, keys.country_code, strict=True):
        iso3 = iso3_from_iso2(code) if isinstance(code, str) else None
        mapping[(name, code)] = iso3 or iso3_from_name(name)
    unknown = [f"{n} ({c})" for (n, c), iso3 in mapping.items() if iso3 is None]
    if unknown:
        raise UnknownCountryError(
            f"unknown countries: {', '.join(unknown)}", path=votes_path, field="country_code"
        )
    iso3 = pd.Series(
        [mapping[k] for k in zip(raw.country, raw.country_code, strict=True)], dtype="string"
    )
    rcid = raw.rcid.astype("int64")
    dates = rcid.map(roll_calls.set_index("roll_call_id").date)
    return pd.DataFrame(
        {
            "roll_call_id": rcid,
            "iso3": apply_seat_rules(iso3, dates),
            "vote": raw.vote.astype("string"),
        }
    )
