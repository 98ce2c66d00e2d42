"""IMF Direction of Trade Statistics (DOTS): bilateral goods trade by reporter, 1960-2020.

The only bilateral trade totals that ship with the project are the 2022
snapshot of the DOTS "Exports and Imports by Areas and Countries" country
reports: one workbook per reporter, sheets ``Exports, FOB`` and ``Imports,
CIF``, partners by IMF *name* in column B, years from column C, US$ millions.
This module turns them into one long table keyed by ISO3.

Rules, each applied openly:

* **Names.** Partner and reporter names go through :mod:`nonaligned.countries`
  except for two explicit lists kept here: IMF aggregates (World, European
  Union, regions, "not specified" buckets...), which are not countries and get
  aggregate codes (:data:`AGGREGATES`), and economies that DOTS keeps as
  partner rows of their own *alongside* their successors (the USSR is reported
  as a partner until 2013, Yugoslavia until 2016, Belgium-Luxembourg until
  2015), which therefore keep ISO 3166-3 codes instead of being merged into the
  successor as the UN-seat rules do (:data:`SEPARATE_ECONOMIES`). Any other
  name that the countries module cannot map is an error naming file and cell.
* **Missing is missing.** A blank cell is no data and produces no row; zero
  only comes from a cell that says zero.
* **Estimates.** Cells such as ``"2,756.88 e"`` are IMF estimates (rounded to
  0.01 million): the value is kept and ``estimated`` is true.
* **Duplicates.** A partner row that repeats an earlier row of the same sheet
  with identical values (every workbook lists Australia twice) is dropped; a
  repeat with different values is an error. A reporter whose workbook appears
  twice with identical contents (Nicaragua) is kept once; different contents
  are an error. Both are logged with counts.
* **Aggregate reporters** (World, European Union, regions, SACCA) are not
  countries: their workbooks are skipped, logged with a count.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from nonaligned.countries import iso3_from_name
from nonaligned.errors import DataError, UnknownCountryError
from nonaligned.sources._read import parser
from nonaligned.sources.base import Source, listed_files

__all__ = [
    "AGGREGATES",
    "COLUMNS",
    "DTYPES",
    "SEPARATE_ECONOMIES",
    "SOURCE",
    "parse",
    "partner_code",
]

log = logging.getLogger(__name__)

DIRECTORY = "trade/imf_dots_by_reporter_2022snapshot"
COMMIT = "a769819d9b25a21a362d6cabfb10f150903f834d"
RAW_URL = f"https://raw.githubusercontent.com/SamLeBlanc/Direction-of-Trade-Map/{COMMIT}/data/DOTS"

# The IMF's aggregates and residual buckets, with the codes used for them here.
# WLD follows the World Bank; the others are spelled out so that no aggregate
# code can be mistaken for an ISO3 country code.
AGGREGATES: dict[str, str] = {
    "World": "WLD",
    "Advanced Economies": "ADVANCED",
    "Emerging and Developing Economies": "EMDE",
    "Emerging and Developing Asia": "EMDE_ASIA",
    "Emerging and Developing Europe": "EMDE_EUROPE",
    "Middle East and Central Asia": "MECA",
    "Sub-Saharan Africa": "SSA",
    "Western Hemisphere": "WHEM",
    "Euro Area": "EURO_AREA",
    "European Union": "EU_IMF",  # fixed current composition; the EU pole is built from members
    "Africa": "AFRICA",
    "Middle East": "MIDDLE_EAST",
    "Emerging Market and Developing Economies by Source of Export Earnings: Fuel": "EMDE_FUEL",
    "Emerging Market and Developing Economies by Source of Export Earnings: Nonfuel": (
        "EMDE_NONFUEL"
    ),
    "Asia not specified": "ASIA_NS",
    "Europe not specified": "EUROPE_NS",
    "Middle East and Central Asia not specified": "MECA_NS",
    "Africa not specified": "AFRICA_NS",
    "Western Hemisphere not specified": "WHEM_NS",
    "Other Countries not included elsewhere": "OTHER_NIE",
    "Special Categories": "SPECIAL",
    "Countries & Areas not specified": "NOT_SPECIFIED",
    "South African Common Customs Area (SACCA)": "SACCA",
    # Peninsular Malaysia, 1960-63 only: part of a country whose own row runs
    # alongside it, so it is kept apart like an aggregate.
    "Malaysia, West": "MYS_WEST",
}

# Former economies that DOTS reports as partners alongside their successors.
# BLX is not an ISO code (Belgium-Luxembourg was a customs union, not a state).
SEPARATE_ECONOMIES: dict[str, str] = {
    "USSR": "SUN",
    "Yugoslavia": "YUG",
    "Serbia and Montenegro": "SCG",
    "Belgium-Luxembourg": "BLX",
}

# Rows that only head a block and must stay empty.
SECTION_HEADERS = frozenset({"Memorandum Items"})

SHEETS: dict[str, tuple[str, str]] = {
    "Exports, FOB": ("exports", "Exports, FOB to Partner Countries"),
    "Imports, CIF": ("imports", "Imports, CIF from Partner Countries"),
}
UNIT = "US Dollars, Millions"
MILLION = 1_000_000.0

# Layout (0-based row indices): title, reporter, unit, year header, first partner.
TITLE_ROW, REPORTER_ROW, UNIT_ROW, YEAR_ROW, FIRST_ROW = 1, 3, 4, 6, 7
NAME_COL, FIRST_VALUE_COL = 1, 2

COLUMNS = [
    "reporter_iso3",
    "partner_code",
    "partner_is_aggregate",
    "year",
    "flow",
    "value_usd",
    "estimated",
]

_ESTIMATE = re.compile(r"(\d{1,3}(?:,\d{3})*(?:\.\d+)?) e")

Progress = Callable[[int, int], None]  # (workbooks done, workbooks total)


SOURCE = Source(
    name="imf_dots",
    title="IMF Direction of Trade Statistics, exports and imports by partner (2022 snapshot)",
    version=f"2022 snapshot (SamLeBlanc/Direction-of-Trade-Map@{COMMIT[:7]})",
    files=listed_files("imf_dots_files.csv", DIRECTORY, RAW_URL),
    citation="International Monetary Fund, Direction of Trade Statistics (DOTS), accessed 2022; "
    "country workbooks as archived in github.com/SamLeBlanc/Direction-of-Trade-Map.",
    bibtex="@misc{imf_dots_2022,\n  author = {{International Monetary Fund}},\n"
    "  title = {Direction of Trade Statistics (DOTS)},\n  year = {2022},\n"
    "  note = {Country workbooks, accessed 2022, archived at "
    "github.com/SamLeBlanc/Direction-of-Trade-Map}\n}",
    terms="IMF data: reuse with attribution under the IMF copyright and usage terms. "
    "Archive repository under the MIT License.",
    coverage="234 reporters (incl. IMF aggregates) x 242 partners, 1960-2020, annual, "
    "goods, US$ millions (exports FOB, imports CIF)",
)


def _column_letter(index: int) -> str:
    """Excel column letters for a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell(sheet: str, row: int, col: int) -> str:
    return f"'{sheet}'!{_column_letter(col)}{row + 1}"


def partner_code(name: str) -> tuple[str, bool] | None:
    """``(code, is_aggregate)`` for an IMF name, or None if it is unknown."""
    name = " ".join(name.split())
    if name in AGGREGATES:
        return AGGREGATES[name], True
    if name in SEPARATE_ECONOMIES:
        return SEPARATE_ECONOMIES[name], False
    iso3 = iso3_from_name(name)
    return (iso3, False) if iso3 else None


def _resolve(name: str, path: Path, sheet: str, row: int, role: str) -> tuple[str, bool]:
    resolved = partner_code(name)
    if resolved is None:
        raise UnknownCountryError(
            f"unknown IMF {role} name {name!r}: neither a country nor a known IMF aggregate",
            path=path,
            line=row + 1,
            field=_cell(sheet, row, NAME_COL),
        )
    return resolved


def _expect(rows: list[list], row: int, col: int, expected: str, path: Path, sheet: str) -> None:
    actual = rows[row][col] if row < len(rows) and col < len(rows[row]) else None
    if actual != expected:
        raise DataError(
            f"expected {expected!r}, found {actual!r}: not the DOTS workbook layout",
            path=path,
            line=row + 1,
            field=_cell(sheet, row, col),
        )


def _years(rows: list[list], path: Path, sheet: str) -> list[int]:
    header = rows[YEAR_ROW][FIRST_VALUE_COL:]
    years = []
    for offset, raw in enumerate(header):
        text = str(raw).removesuffix(".0")
        if not (text.isdigit() and 1900 <= int(text) <= 2100):
            raise DataError(
                f"year header {raw!r} is not a year",
                path=path,
                line=YEAR_ROW + 1,
                field=_cell(sheet, YEAR_ROW, FIRST_VALUE_COL + offset),
            )
        years.append(int(text))
    if len(set(years)) != len(years) or not years:
        raise DataError(
            "year headers are empty or repeated",
            path=path,
            line=YEAR_ROW + 1,
            field=_cell(sheet, YEAR_ROW, FIRST_VALUE_COL),
        )
    return years


def _value(raw: object, path: Path, sheet: str, row: int, col: int) -> tuple[float, bool] | None:
    """A cell as ``(US$ millions, estimated)``, None for a blank; anything else is an error."""
    if raw == "" or raw is None:
        return None
    if isinstance(raw, float | int) and not isinstance(raw, bool) and np.isfinite(raw):
        return float(raw), False
    if isinstance(raw, str):
        match = _ESTIMATE.fullmatch(raw.strip())
        if match:
            return float(match.group(1).replace(",", "")), True
    raise DataError(
        f"cell value {raw!r} is neither a number, an estimate like '12.34 e', nor blank",
        path=path,
        line=row + 1,
        field=_cell(sheet, row, col),
    )


def _read_sheet(path: Path, sheet: str, rows: list[list]) -> tuple[str, pd.DataFrame]:
    """The reporter name and the sheet's non-blank cells as a long frame."""
    flow, title = SHEETS[sheet]
    _expect(rows, TITLE_ROW, NAME_COL, title, path, sheet)
    _expect(rows, UNIT_ROW, NAME_COL, UNIT, path, sheet)
    reporter = rows[REPORTER_ROW][NAME_COL] if len(rows) > REPORTER_ROW else ""
    if not isinstance(reporter, str) or not reporter.strip():
        raise DataError(
            "no reporter name",
            path=path,
            line=REPORTER_ROW + 1,
            field=_cell(sheet, REPORTER_ROW, NAME_COL),
        )
    years = _years(rows, path, sheet)
    width = FIRST_VALUE_COL + len(years)

    seen: dict[str, tuple[int, list]] = {}  # partner name -> (row, values)
    codes: dict[str, tuple[int, str, set[int]]] = {}  # code -> (row, name, years with data)
    partner, aggregate, year, value, estimated = [], [], [], [], []
    for r in range(FIRST_ROW, len(rows)):
        cells = rows[r]
        name = cells[NAME_COL] if len(cells) > NAME_COL else ""
        values = list(cells[FIRST_VALUE_COL:width])
        if len(cells) > width and any(v not in ("", None) for v in cells[width:]):
            extra = next(i for i in range(width, len(cells)) if cells[i] not in ("", None))
            raise DataError(
                "value beyond the last year column",
                path=path,
                line=r + 1,
                field=_cell(sheet, r, extra),
            )
        if not isinstance(name, str) or not name.strip():
            if any(v not in ("", None) for v in values):
                raise DataError(
                    "values without a partner name",
                    path=path,
                    line=r + 1,
                    field=_cell(sheet, r, NAME_COL),
                )
            continue
        name = " ".join(name.split())
        if name in SECTION_HEADERS:
            if any(v not in ("", None) for v in values):
                raise DataError(
                    f"section heading {name!r} carries values",
                    path=path,
                    line=r + 1,
                    field=_cell(sheet, r, NAME_COL),
                )
            continue
        if name in seen:
            first_row, first_values = seen[name]
            if first_values != values:
                raise DataError(
                    f"partner {name!r} appears twice with different values "
                    f"(rows {first_row + 1} and {r + 1})",
                    path=path,
                    line=r + 1,
                    field=_cell(sheet, r, NAME_COL),
                )
            log.debug(
                "%s %s: dropped identical repeat of %r at row %d", path.name, sheet, name, r + 1
            )
            continue
        seen[name] = (r, values)
        code, is_aggregate = _resolve(name, path, sheet, r, "partner")
        row_years = []
        for offset, raw in enumerate(values):
            parsed = _value(raw, path, sheet, r, FIRST_VALUE_COL + offset)
            if parsed is None:
                continue
            partner.append(code)
            aggregate.append(is_aggregate)
            year.append(years[offset])
            value.append(parsed[0])
            estimated.append(parsed[1])
            row_years.append(years[offset])
        if code in codes and codes[code][2] & set(row_years):
            other_row, other_name, other_years = codes[code]
            raise DataError(
                f"partners {other_name!r} (row {other_row + 1}) and {name!r} both map to "
                f"{code} and both have data for {min(other_years & set(row_years))}",
                path=path,
                line=r + 1,
                field=_cell(sheet, r, NAME_COL),
            )
        earlier = codes.get(code, (r, name, set()))
        codes[code] = (earlier[0], earlier[1], earlier[2] | set(row_years))
    frame = pd.DataFrame(
        {
            "partner_code": partner,
            "partner_is_aggregate": np.array(aggregate, dtype=bool),
            "year": np.array(year, dtype="int64"),
            "flow": flow,
            "value_usd": np.array(value, dtype="float64") * MILLION,
            "estimated": np.array(estimated, dtype=bool),
        }
    )
    return " ".join(reporter.split()), frame


def _read_workbook(path: Path) -> tuple[str, pd.DataFrame]:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        if sorted(workbook.sheet_names) != sorted(SHEETS):
            raise DataError(
                f"sheets {workbook.sheet_names}, expected {list(SHEETS)}",
                path=path,
                field="sheets",
            )
        sheets = {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in SHEETS
        }
    except DataError:
        raise
    except Exception as exc:  # calamine raises its own and zip errors on damaged files
        raise DataError(f"cannot read workbook ({type(exc).__name__}: {exc})", path=path) from exc
    reporters, frames = set(), []
    for sheet, rows in sheets.items():
        reporter, frame = _read_sheet(path, sheet, rows)
        reporters.add(reporter)
        frames.append(frame)
    if len(reporters) != 1:
        raise DataError(
            f"the two sheets name different reporters: {sorted(reporters)}",
            path=path,
            line=REPORTER_ROW + 1,
            field="reporter",
        )
    return reporters.pop(), pd.concat(frames, ignore_index=True)


def _merge_reporter(
    first: pd.DataFrame, first_path: Path, frame: pd.DataFrame, path: Path, code: str
) -> pd.DataFrame:
    """Two workbooks whose reporters map to one code (Yemen Arab Rep. and Yemen, Rep. of).

    They are combined when they never report the same partner, flow and year;
    otherwise the overlap is an error, since neither can be preferred blindly.
    """
    keys = ["partner_code", "year", "flow"]
    overlap = first[keys].merge(frame[keys], on=keys)
    if len(overlap):
        clash = overlap.iloc[0]
        raise DataError(
            f"reporter {code} also has a workbook with different data ({first_path}), and both "
            f"report {clash.flow} with {clash.partner_code} in {clash.year}",
            path=path,
            line=REPORTER_ROW + 1,
            field="reporter",
        )
    return pd.concat([first, frame], ignore_index=True)


@parser
def parse(paths: Sequence[Path], progress: Progress | None = None) -> pd.DataFrame:
    """All workbooks as one long table, one row per non-blank cell.

    Columns: ``reporter_iso3`` (str), ``partner_code`` (ISO3, ISO 3166-3 code of
    a former economy, or aggregate code; str), ``partner_is_aggregate`` (bool),
    ``year`` (int64), ``flow`` ("exports" | "imports"), ``value_usd`` (float64,
    US dollars), ``estimated`` (bool). Unique on (reporter_iso3, partner_code,
    year, flow). Read with python-calamine, which is several times faster than
    openpyxl on these files (see ``benchmarks/trade_ingest.py``).
    """
    by_reporter: dict[str, tuple[Path, pd.DataFrame]] = {}
    skipped_aggregates, skipped_duplicates, merged = [], [], []
    for done, path in enumerate(paths, start=1):
        path = Path(path)
        name, frame = _read_workbook(path)
        code, is_aggregate = _resolve(name, path, next(iter(SHEETS)), REPORTER_ROW, "reporter")
        if progress:
            progress(done, len(paths))
        if is_aggregate:
            skipped_aggregates.append(f"{path.name} ({name})")
            continue
        if code in by_reporter:
            first_path, first = by_reporter[code]
            if first.equals(frame):
                skipped_duplicates.append(f"{path.name} (same as {first_path.name})")
                continue
            frame = _merge_reporter(first, first_path, frame, path, code)
            merged.append(f"{first_path.name}+{path.name} ({code})")
            path = first_path
        by_reporter[code] = (path, frame)
    if skipped_aggregates:
        log.info(
            "IMF DOTS: skipped %d aggregate reporter workbook(s): %s",
            len(skipped_aggregates),
            ", ".join(skipped_aggregates),
        )
    if skipped_duplicates:
        log.info(
            "IMF DOTS: skipped %d duplicate workbook(s): %s",
            len(skipped_duplicates),
            ", ".join(skipped_duplicates),
        )
    if merged:
        log.info(
            "IMF DOTS: merged %d pair(s) of workbooks of one reporter over disjoint years: %s",
            len(merged),
            ", ".join(merged),
        )
    frames = [frame.assign(reporter_iso3=code) for code, (_, frame) in by_reporter.items()]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in DTYPES.items()})
    table = pd.concat(frames, ignore_index=True)[COLUMNS]
    table = table.astype(DTYPES)
    return table.sort_values(["reporter_iso3", "flow", "partner_code", "year"], ignore_index=True)


DTYPES = {
    "reporter_iso3": "str",
    "partner_code": "str",
    "partner_is_aggregate": "bool",
    "year": "int64",
    "flow": "str",
    "value_usd": "float64",
    "estimated": "bool",
}
