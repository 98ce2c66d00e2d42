"""Hand-compiled memberships of international groupings, with years and cited sources.

These files have no upstream download: they are compiled for the project and
distributed with the data mirror, each row citing its own source (see the
mirror's ``memberships/SOURCES.md``). ``alliances.csv`` is that file's
addendum (treaty allies, post-Soviet blocs, G20, OPEC) in the same columns,
so the store keeps both, as-is and concatenated, in one table keyed by ISO3.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from nonaligned.errors import DataError
from nonaligned.sources._read import parser, read_csv
from nonaligned.sources.base import RemoteFile, Source

SOURCE = Source(
    name="memberships",
    title="Memberships of NAM, G77, BRICS, SCO, NATO, EU, AU, CELAC, BRI, Quad, AUKUS, CSTO, "
    "EAEU; alliances and context groupings MNNA, ANZUS, US_JPN, US_KOR, US_PHL, RIO, SEATO, "
    "CIS, UNION_STATE, RUS_PRK, RUS_ARM, AES, CHN_PRK, ALBA, G20, OPEC",
    version="2025 compilation with the alliances addendum",
    files=(
        RemoteFile(
            relpath="memberships/memberships.csv",
            url="",  # distributed with the data mirror only
            sha256="6ae5f3d96fcee5f10e6da061b3b4006208a4c309c8b1efa37dc7ea29455fee6d",
            size=20235,
        ),
        RemoteFile(
            relpath="memberships/alliances.csv",
            url="",  # distributed with the data mirror only
            sha256="1a8d07b8b71d0fc448646ab5f3707015eb573d1a3e7a01d89f4e286064656943",
            size=5375,
        ),
    ),
    citation="nonaligned memberships compilation (2025), each row citing its official roster; "
    "see memberships/SOURCES.md in the data mirror.",
    bibtex="@misc{nonaligned_memberships,\n  title = {Memberships of international groupings, "
    "with years},\n  year = {2025},\n  note = {Compiled from official rosters; "
    "see memberships/SOURCES.md}\n}",
    terms="Compiled from public official rosters; cite the rosters named in SOURCES.md.",
    coverage="29 groupings (13 in memberships.csv, 16 in alliances.csv), founding to 2026",
)

COLUMNS = ["iso3", "grouping", "status", "joined_year", "left_year", "source_id"]


@parser
def parse(path: Path) -> pd.DataFrame:
    """Rows ``iso3, grouping, status, joined_year, left_year, source_id`` (years nullable).

    ``status`` is kept as written: each file's SOURCES.md section defines its
    values, and the measures pick the ones they count (mostly ``member``).
    """
    raw = read_csv(path, COLUMNS)
    for field in ("joined_year", "left_year"):
        years = pd.to_numeric(raw[field], errors="coerce")
        bad = years.isna() & raw[field].notna()
        if bad.any():
            line = int(bad.to_numpy().argmax()) + 2
            raise DataError(
                f"not a year: {raw[field][bad].iloc[0]!r}", path=path, line=line, field=field
            )
        raw[field] = years.astype("Int64")
    bad_iso = ~raw.iso3.fillna("").str.fullmatch(r"[A-Z]{3}")
    if bad_iso.any():
        line = int(bad_iso.to_numpy().argmax()) + 2
        raise DataError(
            f"not an ISO3 code: {raw.iso3[bad_iso].iloc[0]!r}", path=path, line=line, field="iso3"
        )
    return raw[COLUMNS]


def parse_all(paths: Sequence[Path]) -> pd.DataFrame:
    """Every file's rows in the order given: the files are parts of one compilation, one table."""
    return pd.concat([parse(path) for path in paths], ignore_index=True)
