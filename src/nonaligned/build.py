"""Build the store from the upstream sources: acquire, parse, reconcile, write.

The build either produces a complete store or changes nothing: every file is
acquired and verified and every table parsed and reconciled in memory before
:func:`nonaligned.store.write_store` swaps the new file into place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path
from typing import Protocol

import pandas as pd

from nonaligned.countries import countries_frame
from nonaligned.reconcile import reconcile
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
from nonaligned.sources.acquire import acquire
from nonaligned.sources.base import Source
from nonaligned.store import check_writable, write_store

SOURCES: tuple[Source, ...] = (
    cow.SOURCE,
    memberships.SOURCE,
    unvotes.SOURCE,
    voeten_votes.SOURCE,
    unxml.SOURCE,
    imf_dots.SOURCE,
    hrt.SOURCE,
    aiddata.SOURCE,
    wdi.SOURCE,
    us_aid.SOURCE,
    us_travels.SOURCE,
)


class Progress(Protocol):
    """What the build reports: a task per stage, advanced as files or steps finish."""

    def start(self, task: str, total: int) -> None: ...
    def advance(self, task: str, steps: int = 1) -> None: ...


class _Silent:
    def start(self, task: str, total: int) -> None:
        pass

    def advance(self, task: str, steps: int = 1) -> None:
        pass


def _acquire_all(
    mirror: Path | None, cache_dir: Path | None, offline: bool, progress: Progress
) -> tuple[dict[str, Path], list[dict]]:
    paths: dict[str, Path] = {}
    provenance = []
    for source in SOURCES:
        progress.start(f"acquire {source.name}", len(source.files))
        for remote in source.files:
            path = acquire(remote, mirror=mirror, cache_dir=cache_dir, offline=offline)
            paths[remote.relpath] = path
            fields = asdict(source)
            del fields["files"], fields["name"]
            provenance.append(
                {
                    **fields,
                    "source": source.name,
                    "file": remote.relpath,
                    "url": remote.url,
                    "sha256": remote.sha256,
                    "size": remote.size,
                    "retrieved_at": dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(
                        tzinfo=None
                    ),
                    "origin": "mirror" if mirror and path.is_relative_to(mirror) else "cache",
                }
            )
            progress.advance(f"acquire {source.name}")
    return paths, provenance


def build_tables(
    mirror: Path | None = None,
    cache_dir: Path | None = None,
    offline: bool = False,
    progress: Progress | None = None,
) -> dict[str, pd.DataFrame]:
    """Every table of the store, in memory."""
    progress = progress or _Silent()
    mirror = Path(mirror).resolve() if mirror else None
    paths, provenance = _acquire_all(mirror, cache_dir, offline, progress)

    def path_of(source: Source, suffix: str) -> Path:
        return paths[source.file(suffix).relpath]

    progress.start("parse", 10)
    cow_codes = cow.parse(path_of(cow.SOURCE, "COW-country-codes.csv"))
    progress.advance("parse")
    groups = memberships.parse_all([paths[f.relpath] for f in memberships.SOURCE.files])
    progress.advance("parse")
    old_calls = unvotes.parse_roll_calls(
        path_of(unvotes.SOURCE, "un_roll_calls.rda"),
        path_of(unvotes.SOURCE, "un_roll_call_issues.rda"),
    )
    old_votes = unvotes.parse_votes(path_of(unvotes.SOURCE, "un_votes.rda"), old_calls)
    progress.advance("parse")
    voeten = voeten_votes.parse(
        path_of(voeten_votes.SOURCE, "UNVotesPublished.RData"),
        cow_codes,
        old_calls.set_index("roll_call_id").date,
    )
    progress.advance("parse")
    new_calls, new_votes, anomalies, _ = unxml.parse([paths[f.relpath] for f in unxml.SOURCE.files])
    progress.advance("parse")
    debt = hrt.parse(path_of(hrt.SOURCE, "HRT_ChinaDebtStockDatabase.csv"))
    progress.advance("parse")
    gcdf_countries = aiddata.parse_country_commitments(
        path_of(aiddata.SOURCE, "gcdf3_country_commitments.rda")
    )
    gcdf_years = aiddata.parse_yearly_flows(path_of(aiddata.SOURCE, "gcdf3_yearly_flows.rda"))
    progress.advance("parse")
    gdp_population = wdi.parse(
        path_of(wdi.SOURCE, "gdp_current_usd.csv"), path_of(wdi.SOURCE, "population.csv")
    )
    progress.advance("parse")
    net_aid = us_aid.parse(path_of(us_aid.SOURCE, "us_bilateral_aid.csv"))
    progress.advance("parse")
    role_table = path_of(us_travels.SOURCE, us_travels.ROLE_TABLE)
    trips, trip_exclusions = us_travels.parse(
        [paths[f.relpath] for f in us_travels.SOURCE.files if paths[f.relpath] != role_table],
        role_table,
    )
    progress.advance("parse")

    workbooks = [paths[f.relpath] for f in imf_dots.SOURCE.files]
    progress.start("parse trade workbooks", len(workbooks))
    trade_flows = imf_dots.parse(
        workbooks, lambda done, total: progress.advance("parse trade workbooks")
    )

    progress.start("reconcile", 1)
    result = reconcile(old_calls, old_votes, voeten, new_calls, new_votes, anomalies)
    progress.advance("reconcile")
    countries = countries_frame(cow_codes.rename(columns={"cow_code": "CCode"}))
    return {
        "countries": countries,
        "memberships": groups,
        "un_membership": result.un_membership,
        "roll_calls": result.roll_calls,
        "votes": result.votes,
        "exclusions": pd.concat([result.exclusions, trip_exclusions], ignore_index=True),
        "trade_flows": trade_flows,
        "debt_to_china": debt,
        "wdi": gdp_population,
        "gcdf_country_commitments": gcdf_countries,
        "gcdf_yearly_flows": gcdf_years,
        "us_aid": net_aid,
        "us_travels": trips,
        "provenance": pd.DataFrame(provenance),
    }


def build(
    db_path: Path,
    mirror: Path | None = None,
    cache_dir: Path | None = None,
    offline: bool = False,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Build the store at ``db_path`` atomically; returns the row count of each table."""
    progress = progress or _Silent()
    check_writable(db_path)  # before the parse, not after it
    tables = build_tables(mirror, cache_dir, offline, progress)
    progress.start("write store", 1)
    write_store(db_path, tables)
    progress.advance("write store")
    return {name: len(frame) for name, frame in tables.items()}
