"""Voeten's vote-level UNGA file (Dataverse layout, 1946–2015): absences and membership.

Unlike unvotes it keeps every member on every roll call (vote 8 = absent) and
non-members (vote 9), which is what tells an absence from a non-member.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nonaligned.countries import apply_seat_rules
from nonaligned.errors import DataError, UnknownCountryError
from nonaligned.sources._read import parser, read_rda, require_columns
from nonaligned.sources.base import RemoteFile, Source

SOURCE = Source(
    name="voeten_votes",
    title="United Nations General Assembly Voting Data, vote-level file (UNVotes)",
    version="2017-03 (sessions 1-70)",
    files=(
        RemoteFile(
            "unga/voeten/UNVotesPublished.RData",
            "https://raw.githubusercontent.com/dgrtwo/unvotes/"
            "0afecd9683197b8d6ae46e38ace2bfa2bc45fa6f/data-raw/UNVotesPublished.RData",
            "7cf08a10ceb316711f94e6c16889be49a5400f84fcb015801b5c2b9116c572f6",
            3157053,
        ),
    ),
    citation="Erik Voeten, Anton Strezhnev and Michael Bailey. 2009. United Nations General "
    "Assembly Voting Data. Harvard Dataverse, hdl:1902.1/12379.",
    bibtex="@data{voeten2009unga,\n  author = {Voeten, Erik and Strezhnev, Anton and Bailey, "
    "Michael},\n  title = {United Nations General Assembly Voting Data},\n  publisher = "
    "{Harvard Dataverse},\n  year = {2009},\n  doi = {10.7910/DVN/LEJUQZ}\n}",
    terms="Harvard Dataverse terms of use; cite Voeten, Strezhnev and Bailey.",
    coverage="5,429 roll calls, sessions 1-70, 1946-2015; codes 1 yes, 2 abstain, 3 no, "
    "8 absent, 9 not a member",
)

VOTE_CODES = {1: "yes", 2: "abstain", 3: "no", 8: "absent"}


@parser
def parse(path: Path, cow: pd.DataFrame, roll_call_dates: pd.Series | None = None) -> pd.DataFrame:
    """Member-state rows ``roll_call_id, iso3, vote`` (yes/abstain/no/absent).

    ``cow`` is the parsed COW table (``cow_code, iso3``). Rows with code 9
    (not a member) are dropped; they define membership by their absence.
    Dated seats are resolved with ``roll_call_dates`` (date by roll-call id,
    from unvotes) where given: this file's own dates are sometimes years off,
    and one roll call must resolve to the same seat in both sources.
    """
    raw = read_rda(path, "x")
    require_columns(raw, ["rcid", "vote", "ccode", "date"], path)
    raw = raw[raw.vote != 9]
    unknown_codes = set(raw.vote.unique()) - set(VOTE_CODES)
    if unknown_codes:
        row = int(raw.vote.isin(unknown_codes).to_numpy().argmax())
        raise DataError(
            f"unknown vote code(s) {sorted(unknown_codes)}",
            path=path,
            line=int(raw.index[row]),
            field="vote",
        )
    iso3 = raw.ccode.astype("int64").map(cow.dropna(subset=["iso3"]).set_index("cow_code").iso3)
    if iso3.isna().any():
        missing = sorted(raw.ccode[iso3.isna()].unique().tolist())
        raise UnknownCountryError(f"COW code(s) without ISO3: {missing}", path=path, field="ccode")
    dates = pd.to_datetime(raw.date, format="%m/%d/%Y")
    if roll_call_dates is not None:
        known = pd.to_datetime(raw.rcid.astype("int64").map(roll_call_dates))
        dates = known.fillna(dates)
    frame = pd.DataFrame(
        {
            "roll_call_id": raw.rcid.astype("int64").to_numpy(),
            "iso3": apply_seat_rules(iso3.astype("string"), dates).to_numpy(),
            "vote": raw.vote.map(VOTE_CODES).astype("string").to_numpy(),
        }
    )
    # One seat, one row: in 1971 the file lists both Chinas as members on some
    # roll calls (one of them absent). Keep the row with a vote.
    frame = frame.sort_values(
        ["roll_call_id", "iso3", "vote"], key=lambda c: c.eq("absent") if c.name == "vote" else c
    )
    seat = frame.duplicated(["roll_call_id", "iso3"])
    clash = frame[seat | frame.duplicated(["roll_call_id", "iso3"], keep="last")]
    if (clash.vote != "absent").groupby([clash.roll_call_id, clash.iso3]).sum().gt(1).any():
        raise DataError("two different votes for one UN seat", path=path, field="ccode")
    return frame[~seat].reset_index(drop=True)
