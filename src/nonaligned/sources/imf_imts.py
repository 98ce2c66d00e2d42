"""IMF International Trade in Goods (IMTS), the successor of DOTS: bilateral goods trade, live.

DOTS, as shipped with the project, ends in 2020 (:mod:`nonaligned.sources.imf_dots`).
The IMF now publishes the same statistics as the dataflow ``IMF.STA:IMTS(1.0.0)``
of its SDMX 3.0 data API. This module downloads, for each reporter, exports
FOB (``XG_FOB_USD``) and imports CIF (``MG_CIF_USD``) to every counterpart,
annual, and parses them into the rows of the store's ``trade_flows`` table.
It is a *live* source (:mod:`nonaligned.sources.live`): there is no fixed
release to check a checksum against, so every response is checked by schema
and plausibility, and the provenance records what was received.

What the request and the response look like, and where that was learnt (no
network reaches the API from here; the tests serve fixtures on loopback):

* **Base URL** ``https://api.imf.org/external/sdmx/3.0`` (the servers entry of
  the community OpenAPI description github.com/api-evangelist/imf
  ``openapi.yml``; the R package readimf's ``.imf_base_url``). Override with
  ``NONALIGNED_IMTS_URL``.
* **Path** ``/data/dataflow/IMF.STA/IMTS/1.0.0/{key}``, key
  ``COUNTRY.INDICATOR.COUNTERPART_COUNTRY.FREQUENCY``, values of one
  dimension joined by ``+`` (readimf ``R/request.R`` and its ``imf_dots``
  wrapper in ``R/databases.R``, which uses exactly these two indicators).
  The counterpart is ``*``: a project that queried IMTS reports that an
  *empty* wildcard answers HTTP 200 with zero series, a silent truncation.
  Years are restricted with ``c[TIME_PERIOD]=ge:YYYY`` (SDMX 3.0 filter
  syntax, as in the IMF's own MATLAB/Python examples mirrored on GitHub).
* **CSV by content negotiation**: ``Accept:
  application/vnd.sdmx.data+csv;version=2.0.0`` (readimf). Columns are read by
  name, never by position: the SDMX-CSV 2.0 layout leads with
  ``STRUCTURE,STRUCTURE_ID,ACTION`` (readimf's test) or ``DATAFLOW`` (an IMTS
  fixture in another project), then the dimensions ``COUNTRY, INDICATOR,
  COUNTERPART_COUNTRY, FREQUENCY``, ``TIME_PERIOD``, ``OBS_VALUE`` and
  attributes such as ``SCALE``, ``UNIT`` and ``STATUS``.
* **Units.** ``OBS_VALUE`` is *not* assumed to be in US dollars: the sources
  disagree (one IMTS client checks ``UNIT=USD`` with ``SCALE=6``, another
  states raw dollars). ``SCALE`` is therefore required and applied as the
  SDMX unit multiplier (value × 10^SCALE); ``UNIT``, where present, must be
  ``USD``. A misread scale cannot pass unnoticed: a single flow above
  US$ :data:`MAX_FLOW_USD` is an error, and the overlap with DOTS
  (2015-2020) is compared cell by cell at every build (``nonaligned
  coverage --trade``).
* **Missing values** appear as an empty ``OBS_VALUE`` or as ``NaN`` (both
  seen in published fixtures); either is no data and produces no row, never
  a zero. ``STATUS`` ``e`` marks an IMF estimate (``estimated`` true).
* **No data for a reporter**: SDMX REST answers 404 ("no results"); that
  reporter is recorded as reporting nothing. If *no* reporter has data the
  query itself is wrong, and the download fails.

Partners: ISO3 codes the countries module knows are countries; ``G001``
(the IMF's World) is ``WLD``, as in DOTS, so that shares keep the same
denominator; other IMF group codes (``G`` + digits) are kept as aggregates
prefixed ``IMF_``. Any other code is excluded, counted and recorded in the
store's ``exclusions`` table (one row per reporter file and code), not
guessed. A reporter file whose ``COUNTRY`` is not the reporter asked for, a
bad year, frequency, indicator, scale or value, or a repeated cell is a
DataError naming the file, line and field.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nonaligned.countries import countries_frame
from nonaligned.errors import AcquisitionError, DataError
from nonaligned.sources import live
from nonaligned.sources._columns import line_of, numeric, unique_keys, years
from nonaligned.sources._read import parser, read_csv
from nonaligned.sources.base import Source
from nonaligned.sources.imf_dots import COLUMNS, DTYPES  # the same rows as DOTS

if TYPE_CHECKING:
    from nonaligned.build import Progress

__all__ = [
    "DIRECTORY",
    "MAX_FLOW_USD",
    "SOURCE",
    "fetch",
    "load",
    "parse",
    "parse_reporter",
    "url_for",
]

log = logging.getLogger(__name__)

DEFAULT_BASE = "https://api.imf.org/external/sdmx/3.0"
DATAFLOW = "IMF.STA/IMTS/1.0.0"
ACCEPT = "application/vnd.sdmx.data+csv;version=2.0.0"
INDICATORS = {"XG_FOB_USD": "exports", "MG_CIF_USD": "imports"}
START_YEAR = 2015  # six years of overlap with DOTS (to 2020) for the agreement check
DIRECTORY = "trade/imf_imts"
WORLD = "G001"
MAX_FLOW_USD = 1e13  # no economy's goods trade with all partners reaches US$10 trillion
MISSING = frozenset({"", "NaN", "NAN", "nan", "NA"})
REQUIRED = [
    "COUNTRY",
    "INDICATOR",
    "COUNTERPART_COUNTRY",
    "FREQUENCY",
    "TIME_PERIOD",
    "OBS_VALUE",
    "SCALE",
]
USED = frozenset({*REQUIRED, "UNIT", "STATUS"})

SOURCE = Source(
    name="imf_imts",
    title="IMF International Trade in Goods by partner country (IMTS), live from the SDMX API",
    version="live: IMF.STA:IMTS(1.0.0), retrieved per reporter (see retrieved_at)",
    files=(),
    citation="International Monetary Fund, International Trade in Goods (by partner country) "
    "(IMTS), dataflow IMF.STA:IMTS(1.0.0), https://data.imf.org/en/datasets/IMF.STA:IMTS.",
    bibtex="@misc{imf_imts,\n  author = {{International Monetary Fund}},\n"
    "  title = {International Trade in Goods (by partner country) (IMTS)},\n"
    "  note = {Dataflow IMF.STA:IMTS(1.0.0), SDMX 3.0 API},\n"
    "  howpublished = {\\url{https://data.imf.org/en/datasets/IMF.STA:IMTS}}\n}",
    terms="IMF data: reuse with attribution under the IMF copyright and usage terms "
    "(https://www.imf.org/external/terms.htm).",
    coverage=f"reporters x partners, annual from {START_YEAR} to the latest year published, "
    "goods, exports FOB and imports CIF, US$",
)


def base_url() -> str:
    """``NONALIGNED_IMTS_URL`` or the IMF's SDMX 3.0 API."""
    return os.environ.get("NONALIGNED_IMTS_URL", DEFAULT_BASE).rstrip("/")


def url_for(reporter: str, base: str | None = None, start_year: int = START_YEAR) -> str:
    """The data query for one reporter: both flows, every counterpart, annual."""
    key = f"{reporter}.{'+'.join(INDICATORS)}.*.A"
    return f"{base or base_url()}/data/dataflow/{DATAFLOW}/{key}?c[TIME_PERIOD]=ge:{start_year}"


def default_reporters() -> list[str]:
    """Every current country's ISO3 code (former states report nothing after 1992)."""
    frame = countries_frame()
    return sorted(frame.iso3[~frame.historical])


def fetch(
    cache_dir: Path,
    reporters: Sequence[str] | None = None,
    *,
    base: str | None = None,
    start_year: int = START_YEAR,
    progress: Progress | None = None,
    client: live.PoliteClient | None = None,
) -> Path:
    """Download every reporter into a snapshot of the cache; the snapshot's folder.

    Resumable: reporters already in the unfinished snapshot are not asked
    again. Each response is checked (:func:`parse_reporter`) before it
    counts; a rejected one is kept beside as ``ISO3.csv.rejected`` for
    inspection and the DataError names it. A reporter that fails to download
    is an AcquisitionError naming it, the HTTP status or transport failure,
    and the host.
    """
    base = (base or base_url()).rstrip("/")
    reporters = sorted(reporters or default_reporters())
    request = {"base": base, "start_year": start_year, "reporters": reporters}
    snapshot = live.open_snapshot(cache_dir, DIRECTORY, request)
    todo = [r for r in reporters if not (snapshot / f"{r}.csv").is_file()]
    if progress:
        progress.start("download IMF IMTS", len(reporters))
        progress.advance("download IMF IMTS", len(reporters) - len(todo))
    with client or live.PoliteClient(headers={"Accept": ACCEPT}) as active:
        for reporter in todo:
            _fetch_one(active, snapshot, reporter, url_for(reporter, base, start_year))
            if progress:
                progress.advance("download IMF IMTS")
    empty = [r for r in reporters if (snapshot / f"{r}.csv").stat().st_size == 0]
    if len(empty) == len(reporters):
        raise AcquisitionError(
            f"IMF IMTS: no data for any of the {len(reporters)} reporter(s) from {base}: "
            "the query is wrong or the API has changed; nothing will be used"
        )
    live.finish_snapshot(snapshot, {**request, "no_data": empty})
    return snapshot


def _fetch_one(client: live.PoliteClient, snapshot: Path, reporter: str, url: str) -> None:
    target = snapshot / f"{reporter}.csv"
    unchecked = snapshot / f"{reporter}.csv.unchecked"
    status = client.download(url, unchecked, f"IMF IMTS reporter {reporter}")
    if status == 404:  # SDMX REST: no results for this key
        live.write_atomic(target, b"")
        return
    if status != 200:
        raise AcquisitionError(
            f"IMF IMTS reporter {reporter}: HTTP {status} from {url}; "
            "the reporters downloaded so far are kept and a rerun resumes from here"
        )
    live.accept(unchecked, target, lambda path: parse_reporter(path, reporter))


def _check(bad: pd.Series, raw: pd.DataFrame, path: Path, field: str, message: str) -> None:
    if bool(bad.any()):
        value = raw[field][bad].iloc[0] if field in raw else None
        raise DataError(f"{message}: {value!r}", path=path, line=line_of(raw, bad), field=field)


def _partners(codes: pd.Series, known: frozenset[str]) -> tuple[pd.Series, pd.Series]:
    """Partner codes as stored, and whether each is an aggregate; NA where unknown."""
    is_group = codes.str.fullmatch(r"G\d{3}") & (codes != WORLD)
    stored = codes.where(codes.isin(known))
    stored = stored.mask(codes == WORLD, "WLD").mask(is_group, "IMF_" + codes)
    return stored, (codes == WORLD) | is_group


@parser
def parse_reporter(path: Path, reporter: str) -> tuple[pd.DataFrame, list[dict]]:
    """One reporter's response: rows shaped like ``trade_flows``, and exclusions.

    An empty file is a reporter with no data (no rows). Exclusions are
    ``{source, file, line, symbol, rule, detail}`` dicts, one per unknown
    partner code (its first line and the count of cells dropped).
    """
    path = Path(path)
    if path.stat().st_size == 0:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in DTYPES.items()}), []
    # only the columns used: the API adds a score of attributes (names, notes, citations)
    raw = read_csv(path, REQUIRED, usecols=lambda column: column in USED)
    if raw.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in DTYPES.items()}), []
    text = {c: raw[c].fillna("").str.strip() for c in raw.columns}
    _check(text["COUNTRY"] != reporter, raw, path, "COUNTRY", f"not the reporter {reporter}")
    flow = text["INDICATOR"].map(INDICATORS)
    _check(flow.isna(), raw, path, "INDICATOR", f"not one of {sorted(INDICATORS)}")
    _check(text["FREQUENCY"] != "A", raw, path, "FREQUENCY", "not annual ('A')")
    if "UNIT" in raw:
        _check(text["UNIT"] != "USD", raw, path, "UNIT", "not US dollars ('USD')")
    scale = numeric(raw, "SCALE", path)
    _check((scale % 1 != 0) | (scale < 0) | (scale > 12), raw, path, "SCALE", "not a scale 0-12")
    year = years(raw, "TIME_PERIOD", path)
    present = ~text["OBS_VALUE"].isin(MISSING)
    value = pd.Series(np.nan, index=raw.index)
    value[present] = numeric(raw[present], "OBS_VALUE", path) * 10.0 ** scale[present]
    bad = present & (~np.isfinite(value) | (value < 0) | (value > MAX_FLOW_USD))
    _check(bad, raw, path, "OBS_VALUE", f"not a plausible trade value (0 to {MAX_FLOW_USD:g} US$)")

    stored, aggregate = _partners(text["COUNTERPART_COUNTRY"], live.known_codes())
    exclusions = []
    unknown = present & stored.isna()
    for code, cells in text["COUNTERPART_COUNTRY"][unknown].value_counts().sort_index().items():
        exclusions.append(
            {
                "source": SOURCE.name,
                "file": path.name,
                "line": line_of(raw, unknown & (text["COUNTERPART_COUNTRY"] == code)),
                "symbol": code,
                "rule": "unknown IMF counterpart code",
                "detail": f"{cells} cell(s) of reporter {reporter} with partner code {code!r} "
                "(neither an ISO3 country nor an IMF group code) excluded",
            }
        )
    kept = present & stored.notna()
    estimated = text["STATUS"][kept].str.lower().eq("e") if "STATUS" in raw else False
    table = pd.DataFrame(
        {
            "reporter_iso3": reporter,
            "partner_code": stored[kept],
            "partner_is_aggregate": aggregate[kept],
            "year": year[kept],
            "flow": flow[kept],
            "value_usd": value[kept],
            "estimated": estimated,
        }
    )
    unique_keys(table, ["partner_code", "year", "flow"], path)
    return table.astype(DTYPES)[COLUMNS], exclusions


def parse(snapshot: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every reporter of a complete snapshot: ``(trade rows, exclusions)``."""
    manifest = live.read_manifest(snapshot)
    frames, exclusions = [], []
    for reporter in manifest["reporters"]:
        path = snapshot / f"{reporter}.csv"
        if not path.is_file():
            raise DataError(
                f"the snapshot's manifest lists reporter {reporter} but its file is missing",
                path=path,
            )
        frame, excluded = parse_reporter(path, reporter)
        frames.append(frame)
        exclusions.extend(excluded)
    for row in exclusions:
        row["file"] = f"{snapshot.name}/{row['file']}"
    if exclusions:
        log.info("IMF IMTS: %d unknown counterpart code(s) excluded", len(exclusions))
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    table = table.astype(DTYPES).sort_values(
        ["reporter_iso3", "flow", "partner_code", "year"], ignore_index=True
    )
    return table, pd.DataFrame(exclusions, columns=_EXCLUSION_COLUMNS)


def load(
    mirror: Path | None, cache_dir: Path
) -> live.Loaded[tuple[pd.DataFrame, pd.DataFrame]] | None:
    """The newest complete IMTS snapshot in the mirror or the cache: ``data`` is
    ``(trade rows, exclusions)``; None if there is none."""
    return live.load(SOURCE, DIRECTORY, mirror, cache_dir, _read)


def _read(snapshot: Path, manifest: dict) -> tuple:
    rows, exclusions = parse(snapshot)
    first, last = (int(rows.year.min()), int(rows.year.max())) if len(rows) else (None, None)
    coverage = (
        f"{rows.reporter_iso3.nunique()} reporters, {first}-{last}, "
        f"{len(manifest['no_data'])} reporter(s) with no data"
    )
    files = [
        (snapshot / f"{r}.csv", url_for(r, manifest["base"], manifest["start_year"]))
        for r in manifest["reporters"]
    ]
    return (rows, exclusions), files, coverage


_EXCLUSION_COLUMNS = ["source", "file", "line", "symbol", "rule", "detail"]
