"""The country brief: one self-contained HTML file (and a PDF where Chromium exists).

The brief shows the same charts as the web profile, rendered to PNG by
vl-convert and inlined as data URIs, so the file opens anywhere with no
network and no server. Tables and figures come from the same library calls
as the web app; the sources and citations from :mod:`nonaligned.query`, and
how far each component reaches from :func:`nonaligned.coverage_years.data_through`.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import vl_convert
from jinja2 import Environment, PackageLoader, select_autoescape

from nonaligned import alignment, engagement, exposure, index, query
from nonaligned.coverage_years import data_through, through_line
from nonaligned.errors import QueryError, ReportError
from nonaligned.measures.finance import NET_AID
from nonaligned.web import charts

if TYPE_CHECKING:
    from nonaligned.session import Store

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
RECENT_YEARS = 6
RECENT_TRIPS = 10
ROLE_NAMES = {"president": "President", "secretary": "Secretary of State"}
PDF_TIMEOUT_SECONDS = 120


def _png(spec: dict) -> str:
    data = vl_convert.vegalite_to_png(spec, scale=2)
    return "data:image/png;base64," + base64.b64encode(data).decode()


def _recent_agreement(table: pd.DataFrame) -> pd.DataFrame:
    wide = table.pivot(index="year", columns="pole", values="agreement")
    wide = wide.reindex(columns=[p for p in charts.POLE_COLOURS if p in wide.columns])
    return wide.tail(RECENT_YEARS).round(3).reset_index().rename_axis(columns=None)


def _recent_classes(profile: pd.DataFrame) -> pd.DataFrame:
    """Class (and its bootstrap probability) on each axis in the last years with a class."""
    rows = profile.dropna(subset=["class"])
    rows = rows.assign(
        label=rows["class"].str.replace("_", " ")
        + " ("
        + (100 * rows.class_probability).round().astype("Int64").astype(str)
        + "%)"
    )
    wide = rows.pivot(index="year", columns="axis", values="label")
    return wide.tail(RECENT_YEARS).reset_index().rename_axis(columns=None)


def _latest_trade(table: pd.DataFrame) -> pd.DataFrame:
    latest = table[table.year == table.year.max()]
    shown = latest[["year", "partner", "exports_usd", "imports_usd", "total_usd", "share"]]
    return shown.assign(
        exports_usd=(shown.exports_usd / 1e9).round(2),
        imports_usd=(shown.imports_usd / 1e9).round(2),
        total_usd=(shown.total_usd / 1e9).round(2),
        share=(shown.share * 100).round(1),
    ).rename(
        columns={
            "exports_usd": "exports (US$ bn)",
            "imports_usd": "imports (US$ bn)",
            "total_usd": "total (US$ bn)",
            "share": "share of trade (%)",
        }
    )


def _finance_table(table: pd.DataFrame) -> pd.DataFrame:
    debt = table.dropna(subset=["year"])
    return pd.DataFrame(
        {
            "year": debt.year,
            "debt to China (US$ bn)": (debt.debt_to_china_usd / 1e9).round(2),
            "% of GDP (WDI)": debt.debt_to_china_pct_gdp.round(2),
        }
    )


def _us_aid_table(table: pd.DataFrame) -> pd.DataFrame:
    """The recent years of US net aid (a flow) from :func:`nonaligned.exposure.official_finance`."""
    aid = table[(table.pole == "USA") & (table.measure == NET_AID)].tail(RECENT_YEARS)
    return pd.DataFrame(
        {
            "year": aid.year,
            "US net aid (US$ m)": (aid.value_usd / 1e6).round(1),
            "% of GDP (WDI)": aid.pct_gdp.round(3),
        }
    )


def _trips_per_year(trips: pd.DataFrame) -> pd.DataFrame:
    """Trips per year by role, one row per year with at least one trip (others had none)."""
    counts = trips.assign(role=trips.role.map(ROLE_NAMES)).pivot_table(
        index="year", columns="role", values="start_date", aggfunc="count", fill_value=0
    )
    counts = counts.reindex(columns=list(ROLE_NAMES.values()), fill_value=0)
    return counts.reset_index().rename_axis(columns=None)


def _recent_trips(trips: pd.DataFrame) -> pd.DataFrame:
    """The last :data:`RECENT_TRIPS` trips, newest first: dates, who, where, what."""
    recent = trips.sort_values("start_date", ascending=False).head(RECENT_TRIPS)
    return pd.DataFrame(
        {
            "dates": [
                f"{a:%Y-%m-%d}" + ("" if a == b else f" to {b:%Y-%m-%d}")
                for a, b in zip(recent.start_date, recent.end_date, strict=True)
            ],
            "role": recent.role.map(ROLE_NAMES),
            "traveller": recent.traveller,
            "places": recent.locale.fillna(""),
            "remarks": recent.remarks.fillna(""),
        }
    )


def _timeline(trips: pd.DataFrame, name: str, record_end: str) -> dict:
    """A Vega-Lite timeline: one mark per trip at its start date, on the row of its role, from
    the year before the first trip to the end of the record (so that a gap reads as no trip)."""
    values = [
        {"date": f"{d:%Y-%m-%d}", "role": ROLE_NAMES[r]}
        for d, r in zip(trips.start_date, trips.role, strict=True)
    ]
    first = f"{trips.start_date.min().year - 1}-01-01"
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": f"US trips to {name}, by date (the record ends {record_end}; US engagement only)",
        "width": 640,
        "height": 90,
        "data": {"values": values},
        "mark": {"type": "tick", "thickness": 2},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": None,
                  "scale": {"domain": [first, record_end]}},
            "y": {"field": "role", "type": "nominal", "title": None,
                  "sort": list(ROLE_NAMES.values())},
            "color": {"field": "role", "type": "nominal", "legend": None},
        },
    }  # fmt: skip


def _optional(compute):
    try:
        return compute()
    except QueryError as exc:
        return str(exc)


def country_brief(store: Store, iso3: str) -> str:
    """The brief of ``iso3`` as one HTML document (charts inlined as PNG)."""
    code = query.check_country(store, iso3)
    countries = query.countries(store)
    country = countries[countries.iso3 == code].iloc[0].to_dict()
    agreement = alignment.alignment(store, code)
    profile = index.country_profile(store, code, n_boot=50)
    points = alignment.ideal_points(store, n_boot=0)
    points = points[points.iso3 == code]
    trade = _optional(lambda: exposure.trade(store, code))
    finance = _optional(lambda: exposure.finance(store, code))
    official = _optional(lambda: exposure.official_finance(store, code))
    us_aid = _us_aid_table(official) if isinstance(official, pd.DataFrame) else None
    travel = _optional(lambda: (engagement.coverage(store), engagement.us_trips(store, code)))
    span, trips = travel if isinstance(travel, tuple) else (None, pd.DataFrame())
    through = data_through(store).set_index("component")
    record_end = through.last_date.get("us_travels")
    sections = {
        "index_png": _png(charts.index_profile(profile)) if len(profile) else None,
        "class_table": _recent_classes(profile) if len(profile) else None,
        "ideal_png": _png(charts.ideal_point(points)) if len(points) else None,
        "agreement_png": _png(charts.agreement(agreement)) if len(agreement) else None,
        "agreement_table": _recent_agreement(agreement) if len(agreement) else None,
        "trade_png": _png(charts.trade_shares(trade)) if isinstance(trade, pd.DataFrame) else None,
        "trade_table": _latest_trade(trade) if isinstance(trade, pd.DataFrame) else None,
        "trade_note": trade if isinstance(trade, str) else None,
        "finance_table": _finance_table(finance) if isinstance(finance, pd.DataFrame) else None,
        "gcdf": finance.iloc[0].to_dict() if isinstance(finance, pd.DataFrame) else None,
        "finance_note": finance if isinstance(finance, str) else None,
        "us_aid_table": us_aid if us_aid is not None and len(us_aid) else None,
        "travel_png": (_png(_timeline(trips, country["name"], record_end)) if len(trips) else None),
        "travel_table": _trips_per_year(trips) if len(trips) else None,
        "recent_trips": _recent_trips(trips) if len(trips) else None,
        "travel_span": span,
        "travel_note": travel if isinstance(travel, str) else None,
        "one_sided": engagement.ONE_SIDED,
        "data_through": through_line(through.reset_index()),
        "trade_through": through.last_year.get("trade"),
    }
    environment = Environment(
        loader=PackageLoader("nonaligned.web", "templates"), autoescape=select_autoescape()
    )
    return environment.get_template("brief.html").render(
        country=country,
        sources=query.sources(store),
        citations=query.citations(store),
        **sections,
    )


def chromium() -> str | None:
    """Path of a Chromium or Chrome executable, if one is installed."""
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # nothing leaves the machine
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
"""Headless Chromium as the brief's PDF printer and the browser tests run it."""


def print_pdf(html: Path, pdf: Path) -> None:
    """Print the brief at ``html`` to ``pdf`` with headless Chromium."""
    browser = chromium()
    if browser is None:
        raise ReportError(
            f"cannot write {pdf}: PDF output needs Chromium (Debian: apt-get install chromium); "
            f"the HTML brief {html} is written and prints from any browser"
        )
    with tempfile.TemporaryDirectory() as profile:
        command = [
            browser,
            "--headless",
            *CHROMIUM_ARGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={Path(pdf).resolve()}",
            Path(html).resolve().as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=PDF_TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise ReportError(
                f"Chromium did not print {pdf} within {PDF_TIMEOUT_SECONDS} s"
            ) from None
    if done.returncode != 0 or not Path(pdf).is_file():
        raise ReportError(f"Chromium could not print {pdf}: {done.stderr.strip()[-500:]}")
