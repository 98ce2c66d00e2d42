"""World Bank WDI API, live: GDP, population and US net aid for the years the copies lack.

The fixed WDI sources (:mod:`nonaligned.sources.wdi`, the Datahub copies, and
:mod:`nonaligned.sources.us_aid`, a third-party copy) stop where they were
copied. The World Bank publishes the same series at its Indicators API
(``https://api.worldbank.org/v2``; override with ``NONALIGNED_WDI_URL``), so
``nonaligned refresh wdi_api`` downloads them anew into a snapshot
(:mod:`nonaligned.sources.live`), one file per indicator and page:
``/country/all/indicator/{code}?format=json&per_page=20000&page={n}``.

The response is a JSON array ``[metadata, records]``: metadata carries
``page`` and ``pages``; each record has ``countryiso3code``, ``date`` (the
year) and ``value`` (``null`` where the Bank has no figure: missing, never
zero). An error answers a one-element array ``[{"message": [...]}]``, which
is refused naming the file. Records of aggregates (regions, income groups:
codes the countries module does not know) are dropped and counted, as the
fixed parser does. Values are checked for plausibility (GDP and population
positive and below bounds no economy reaches, aid within ±US$100 billion).

**Rule**: where a snapshot exists, its values supersede the fixed copy's cell
by cell (the Bank revises its series); the copy's values remain where the
API has none. Both stay in the provenance.
"""

from __future__ import annotations

import json
import logging
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from nonaligned.errors import AcquisitionError, DataError
from nonaligned.sources import live
from nonaligned.sources._read import parser
from nonaligned.sources.base import Source

if TYPE_CHECKING:
    from nonaligned.build import Progress

__all__ = ["INDICATORS", "SOURCE", "fetch", "load", "parse", "supersede"]

log = logging.getLogger(__name__)

DEFAULT_BASE = "https://api.worldbank.org/v2"
DIRECTORY = "wdi/api"
PER_PAGE = 20000
# indicator -> (column, lowest plausible value, highest plausible value)
INDICATORS: dict[str, tuple[str, float, float]] = {
    "NY.GDP.MKTP.CD": ("gdp_usd", 0.0, 1e15),
    "SP.POP.TOTL": ("population", 0.0, 2e9),
    "DC.DAC.USAL.CD": ("us_net_aid_usd", -1e11, 1e11),
}

SOURCE = Source(
    name="wdi_api",
    title="World Bank WDI API, live: GDP (current US$), population, net bilateral aid from the US",
    version="live: api.worldbank.org/v2 (see retrieved_at)",
    files=(),
    citation="World Bank, World Development Indicators: NY.GDP.MKTP.CD, SP.POP.TOTL and "
    "DC.DAC.USAL.CD (OECD DAC data), via the World Bank Indicators API.",
    bibtex="@misc{worldbank_wdi_api,\n  author = {{World Bank}},\n"
    "  title = {World Development Indicators: NY.GDP.MKTP.CD, SP.POP.TOTL, DC.DAC.USAL.CD},\n"
    "  howpublished = {\\url{https://api.worldbank.org/v2}}\n}",
    terms="World Bank data under CC BY 4.0.",
    coverage="countries x years as published at retrieval",
)


def base_url() -> str:
    """``NONALIGNED_WDI_URL`` or the World Bank's Indicators API."""
    return os.environ.get("NONALIGNED_WDI_URL", DEFAULT_BASE).rstrip("/")


def url_for(indicator: str, page: int, base: str | None = None) -> str:
    return (
        f"{base or base_url()}/country/all/indicator/{indicator}"
        f"?format=json&per_page={PER_PAGE}&page={page}"
    )


def _pages(path: Path) -> int:
    """The page count a first page declares; a DataError naming the file if it is not one."""
    meta = _document(path)[0]
    pages = meta.get("pages")
    if not isinstance(pages, int) or pages < 1:
        raise DataError(
            f"metadata 'pages' is {pages!r}, not a page count", path=path, field="pages"
        )
    return pages


def _document(path: Path) -> list:
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataError(f"not JSON ({exc})", path=path) from exc
    if isinstance(document, list) and len(document) == 1 and isinstance(document[0], dict):
        raise DataError(f"the API answered an error: {document[0].get('message')}", path=path)
    if not (isinstance(document, list) and len(document) == 2 and isinstance(document[0], dict)):
        raise DataError("not a [metadata, records] array", path=path)
    return document


def fetch(
    cache_dir: Path,
    *,
    base: str | None = None,
    progress: Progress | None = None,
    client: live.PoliteClient | None = None,
) -> Path:
    """Download every page of every indicator into a snapshot (resumable); its folder."""
    base = (base or base_url()).rstrip("/")
    request = {"base": base, "indicators": list(INDICATORS)}
    snapshot = live.open_snapshot(cache_dir, DIRECTORY, request)
    if progress:
        progress.start("download WDI API", len(INDICATORS))
    files = []
    with client or live.PoliteClient(headers={"Accept": "application/json"}) as active:
        for indicator in INDICATORS:
            page, pages = 1, 1
            while page <= pages:
                target = snapshot / f"{indicator}-{page}.json"
                if not target.is_file():
                    _fetch_page(active, url_for(indicator, page, base), target, indicator)
                pages = _pages(snapshot / f"{indicator}-1.json")
                files.append(target.name)
                page += 1
            if progress:
                progress.advance("download WDI API")
    live.finish_snapshot(snapshot, {**request, "files": files})
    return snapshot


def _fetch_page(client: live.PoliteClient, url: str, target: Path, indicator: str) -> None:
    what = f"WDI API {target.stem}"
    unchecked = target.with_name(target.name + ".unchecked")
    status = client.download(url, unchecked, what)
    if status != 200:
        raise AcquisitionError(f"{what}: HTTP {status} from {url}")
    live.accept(unchecked, target, lambda path: (_pages(path), parse_page(path, indicator)))


@parser
def parse_page(path: Path, indicator: str) -> pd.DataFrame:
    """One page: ``iso3, year, value`` for the countries it holds (aggregates dropped)."""
    records = _document(path)[1] or []
    column, low, high = INDICATORS[indicator]
    known = live.known_codes()
    rows, aggregates = [], 0
    for i, record in enumerate(records):
        field = f"[1][{i}]"
        if not isinstance(record, dict):
            raise DataError("a record is not an object", path=path, field=field)
        code = str(record.get("countryiso3code") or "")
        if code not in known:
            aggregates += 1
            continue
        year, value = str(record.get("date", "")), record.get("value")
        if not (year.isdigit() and 1900 <= int(year) <= 2100):
            raise DataError(f"date {year!r} is not a year", path=path, field=f"{field}.date")
        if value is None:
            continue
        if (
            not isinstance(value, int | float)
            or not math.isfinite(value)
            or not low <= value <= high
        ):
            raise DataError(
                f"value {value!r} is not a plausible {column} ({low:g} to {high:g})",
                path=path,
                field=f"{field}.value",
            )
        rows.append((code, int(year), float(value)))
    if aggregates:
        log.debug("WDI API %s: dropped %d aggregate record(s)", path.name, aggregates)
    return pd.DataFrame(rows, columns=["iso3", "year", "value"]).astype(
        {"iso3": "str", "year": "int64", "value": "float64"}
    )


def parse(snapshot: Path) -> pd.DataFrame:
    """Every indicator of a complete snapshot: ``iso3, year`` and one column per indicator."""
    manifest = live.read_manifest(snapshot)
    table = None
    for indicator, (column, _, _) in INDICATORS.items():
        pages = [snapshot / f for f in manifest["files"] if f.startswith(f"{indicator}-")]
        frame = pd.concat([parse_page(p, indicator) for p in pages], ignore_index=True)
        frame = frame.rename(columns={"value": column})
        repeated = frame.duplicated(["iso3", "year"])
        if repeated.any():
            first = frame[repeated].iloc[0]
            raise DataError(
                f"{first.iso3} {first.year} appears twice", path=snapshot, field=indicator
            )
        table = frame if table is None else table.merge(frame, on=["iso3", "year"], how="outer")
    return table.sort_values(["iso3", "year"], ignore_index=True)


def supersede(fixed: pd.DataFrame, live: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``fixed`` with ``live``'s values of ``columns`` wherever live has one (by iso3, year)."""
    keys = ["iso3", "year"]
    merged = fixed.merge(live[[*keys, *columns]], on=keys, how="outer", suffixes=("", "_live"))
    for column in columns:
        merged[column] = merged[f"{column}_live"].combine_first(merged[column])
    merged = merged[fixed.columns].dropna(subset=columns, how="all")
    return merged.astype(fixed.dtypes.to_dict()).sort_values(keys, ignore_index=True)


def load(mirror: Path | None, cache_dir: Path) -> live.Loaded[pd.DataFrame] | None:
    """The newest complete WDI snapshot in the mirror or the cache: ``data`` is the table of
    :func:`parse`; None if there is none."""
    return live.load(SOURCE, DIRECTORY, mirror, cache_dir, _read)


def _read(snapshot: Path, manifest: dict) -> tuple:
    table = parse(snapshot)
    coverage = f"{table.iso3.nunique()} countries, {table.year.min()}-{table.year.max()}"
    files = []
    for name in manifest["files"]:
        indicator, page = name.removesuffix(".json").rsplit("-", 1)
        files.append((snapshot / name, url_for(indicator, int(page), manifest["base"])))
    return table, files, coverage
