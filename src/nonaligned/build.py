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
    geo,
    hrt,
    imf_dots,
    imf_imts,
    memberships,
    unvotes,
    unxml,
    unxml_live,
    us_aid,
    us_travels,
    voeten_votes,
    wdi,
    wdi_api,
)
from nonaligned.sources.acquire import acquire, default_cache_dir
from nonaligned.sources.base import Source
from nonaligned.store import check_writable, write_store
from nonaligned.trade_merge import merge_trade

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
    geo.SOURCE,
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
    live_cache = Path(cache_dir or default_cache_dir())  # where refresh keeps live snapshots

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
    sessions = {paths[f.relpath].name: paths[f.relpath] for f in unxml.SOURCE.files}
    live_sessions = unxml_live.load(mirror, live_cache)
    if live_sessions:  # a refreshed extract replaces the pinned files and adds new sessions
        sessions.update(live_sessions.data)
        provenance.extend(live_sessions.provenance)
    new_calls, new_votes, anomalies, _ = unxml.parse(list(sessions.values()))
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
    live_wdi = wdi_api.load(mirror, live_cache)
    if live_wdi:  # a refreshed WDI supersedes the copies cell by cell
        gdp_population = wdi_api.supersede(gdp_population, live_wdi.data, ["gdp_usd", "population"])
        net_aid = wdi_api.supersede(net_aid, live_wdi.data, ["us_net_aid_usd"])
        provenance.extend(live_wdi.provenance)
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
    # live IMTS enters only where a snapshot was fetched (refresh) or mirrored
    imts = imf_imts.load(mirror, live_cache)
    trade_flows, trade_overlap = merge_trade(trade_flows, imts.data[0] if imts else None)
    if imts:
        provenance.extend(imts.provenance)
        trip_exclusions = pd.concat([trip_exclusions, imts.data[1]], ignore_index=True)

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
        "trade_overlap": trade_overlap,
        "debt_to_china": debt,
        "wdi": gdp_population,
        "gcdf_country_commitments": gcdf_countries,
        "gcdf_yearly_flows": gcdf_years,
        "us_aid": net_aid,
        "us_travels": trips,
        # the web app's map outlines, so that serving needs no mirror (not parsed: served as is)
        "geo_outlines": pd.DataFrame(
            {
                "name": ["countries-110m"],
                "topojson": [path_of(geo.SOURCE, "countries-110m.json").read_text()],
            }
        ),
        "provenance": _with_last_years(
            pd.DataFrame(provenance),
            trade_flows,
            result.roll_calls,
            {
                "hrt": debt,
                "aiddata_gcdf3": gcdf_years,
                "wdi": gdp_population,
                "us_aid": net_aid,
                "us_travels": trips,
                "wdi_api": live_wdi.data if live_wdi else gdp_population.iloc[:0],
                "unxml_live": result.roll_calls[result.roll_calls.source == "unxml"]
                if live_sessions
                else result.roll_calls.iloc[:0],
            },
        ),
    }


def _with_last_years(
    provenance: pd.DataFrame,
    trade: pd.DataFrame,
    roll_calls: pd.DataFrame,
    yearly: dict[str, pd.DataFrame],
) -> pd.DataFrame:
    """Provenance with each source's last year of data, for `nonaligned sources`."""
    last = {
        **trade.groupby("source").year.max().to_dict(),
        **roll_calls.groupby("source").year.max().to_dict(),
        **{name: frame.year.max() for name, frame in yearly.items()},
    }
    return provenance.assign(last_year=provenance.source.map(last).astype("Int64"))


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
