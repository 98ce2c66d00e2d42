"""IMF DOTS parser on the real workbooks, and on damaged copies of one of them."""

from __future__ import annotations

import re
import shutil
import zipfile
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from _trade_data import MIRROR, dots, dots_paths
from python_calamine import CalamineWorkbook

from nonaligned.countries import country_table
from nonaligned.errors import DataError, UnknownCountryError
from nonaligned.sources import imf_dots
from nonaligned.sources.acquire import sha256_of

pytestmark = pytest.mark.usefixtures("mirror")  # reads the mirror's files

KEYS = ["reporter_iso3", "partner_code", "year", "flow"]
RESIDUALS = {"ASIA_NS", "EUROPE_NS", "MECA_NS", "AFRICA_NS", "WHEM_NS", "SPECIAL", "NOT_SPECIFIED"}


@cache
def workbook_of(reporter: str) -> Path:
    """The mirror workbook whose reporter (row 4) maps to ``reporter``."""
    for path in dots_paths():
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Exports, FOB")
        name = rows.to_python(skip_empty_area=False)[3][1]
        if imf_dots.partner_code(name) == (reporter, False):
            return path
    raise LookupError(reporter)


def test_source_lists_every_mirror_workbook_with_its_checksum() -> None:
    files = imf_dots.SOURCE.files
    on_disk = sorted(p.name for p in (MIRROR / imf_dots.DIRECTORY).glob("DOTS_*.xlsx"))
    assert sorted(Path(f.relpath).name for f in files) == on_disk
    sample = files[::40]
    for remote in sample:
        path = MIRROR / remote.relpath
        assert sha256_of(path) == remote.sha256
        assert path.stat().st_size == remote.size
        assert remote.url.endswith(Path(remote.relpath).name)
        assert imf_dots.COMMIT in remote.url


def test_schema_and_keys() -> None:
    table = dots()
    assert list(table.columns) == imf_dots.COLUMNS
    assert str(table.year.dtype) == "int64"
    assert table.value_usd.dtype == "float64"
    assert table.partner_is_aggregate.dtype == bool
    assert table.estimated.dtype == bool
    assert set(table.flow) == {"exports", "imports"}
    assert not table.duplicated(KEYS).any()
    assert table.value_usd.notna().all() and (table.value_usd >= 0).all()


def test_codes_are_countries_former_economies_or_aggregates() -> None:
    table = dots()
    iso3 = set(country_table().ISO3.dropna()) | {"DDR", "YMD", "CSK"}
    former = set(imf_dots.SEPARATE_ECONOMIES.values())
    aggregates = set(imf_dots.AGGREGATES.values())
    assert not aggregates & iso3, "an aggregate code collides with a country code"
    partners = table.drop_duplicates("partner_code").set_index("partner_code")
    assert set(partners.index[partners.partner_is_aggregate]) <= aggregates
    assert set(partners.index[~partners.partner_is_aggregate]) <= iso3 | former
    assert set(table.reporter_iso3) <= iso3 | former
    assert {"CHN", "HKG", "MAC", "USA", "RUS", "TWN", "WLD", "EU_IMF"} <= set(partners.index)


def test_coverage_ends_in_2020_and_blanks_are_absent_not_zero() -> None:
    table = dots()
    assert table.year.max() == 2020
    assert not (table.year == 2021).any()
    # Taiwan never reports to the IMF: it only appears as a partner
    assert "TWN" not in set(table.reporter_iso3)


def test_values_match_the_raw_cells_in_dollars() -> None:
    """Chile's exports to China, read straight from the workbook, times a million."""
    path = workbook_of("CHL")
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Exports, FOB")
    rows = rows.to_python(skip_empty_area=False)
    years = [int(y) for y in rows[6][2:]]
    china = next(r for r in rows if r[1] == "China, P.R.: Mainland")
    table = dots()
    parsed = table[
        (table.reporter_iso3 == "CHL") & (table.partner_code == "CHN") & (table.flow == "exports")
    ].set_index("year")
    checked = 0
    for year, raw in zip(years, china[2:], strict=True):
        if isinstance(raw, float):
            assert parsed.value_usd[year] == pytest.approx(raw * 1e6)
            assert not parsed.estimated[year]
            checked += 1
        elif raw == "":
            assert year not in parsed.index
    assert checked > 10


def test_estimate_flags_survive() -> None:
    """Count the ' e' cells of one workbook independently of the parser."""
    path = workbook_of("SLE")
    expected = 0
    workbook = CalamineWorkbook.from_path(str(path))
    for sheet in workbook.sheet_names:
        seen = set()
        for row in workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)[7:]:
            if row[1] in seen:  # repeated partner rows are dropped by the parser
                continue
            seen.add(row[1])
            partner = imf_dots.partner_code(row[1]) if row[1] else None
            if partner is None:
                continue
            expected += sum(isinstance(v, str) and v.endswith(" e") for v in row[2:])
    table = dots()
    assert table[table.reporter_iso3 == "SLE"].estimated.sum() == expected > 0


@pytest.mark.parametrize("reporter", ["CHL", "BRA", "IND", "AGO", "DEU", "USA", "ZAF", "JPN"])
@pytest.mark.parametrize("year", [2000, 2010, 2020])
def test_partners_add_up_to_the_world_total(reporter: str, year: int) -> None:
    """Country partners plus the 'not specified' buckets give the World row.

    Not exactly: IMF estimates are rounded to 0.01 million in the workbooks and
    the World row is computed by the IMF from unrounded data, so a tolerance of
    1 percent is allowed. Country partners alone may fall short of World (the
    unallocated remainder) but not exceed it beyond the same tolerance.
    """
    table = dots()
    rows = table[(table.reporter_iso3 == reporter) & (table.year == year)]
    for flow in ("exports", "imports"):
        one = rows[rows.flow == flow]
        world = one.value_usd[one.partner_code == "WLD"].item()
        countries = one.value_usd[~one.partner_is_aggregate].sum()
        residual = one.value_usd[one.partner_code.isin(RESIDUALS)].sum()
        assert countries + residual == pytest.approx(world, rel=0.01)
        assert countries <= world * 1.01


def test_chile_largest_partner_2020_is_china() -> None:
    table = dots()
    chile = table[
        (table.reporter_iso3 == "CHL") & (table.year == 2020) & ~table.partner_is_aggregate
    ]
    assert chile.groupby("partner_code").value_usd.sum().idxmax() == "CHN"


def test_mirror_flows_are_close_but_not_equal() -> None:
    """Chile's exports to China vs China's imports from Chile: same trade, two valuations."""
    table = dots().set_index(KEYS).value_usd
    for year in (2005, 2010, 2015, 2020):
        exports = table["CHL", "CHN", year, "exports"]
        imports = table["CHN", "CHL", year, "imports"]
        assert 0.5 < imports / exports < 2


def test_identical_duplicate_reporter_is_kept_once(tmp_path: Path) -> None:
    path = workbook_of("SLE")
    copy = tmp_path / "copy.xlsx"
    shutil.copy(path, copy)
    alone = imf_dots.parse([path])
    assert imf_dots.parse([path, copy]).equals(alone)


# --- damaged copies -----------------------------------------------------------------------


def rewrite_cell(source: Path, target: Path, sheet_xml: str, cell: str, inline_text: str) -> None:
    """Copy ``source`` with one cell of one sheet replaced by an inline string."""
    pattern = re.compile(rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)', re.S)
    replacement = f'<c r="{cell}" t="inlineStr"><is><t>{inline_text}</t></is></c>'
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == f"xl/worksheets/{sheet_xml}":
                text, count = pattern.subn(replacement, data.decode("utf-8"), count=1)
                assert count == 1, f"cell {cell} not found"
                data = text.encode("utf-8")
            zout.writestr(item, data)


@pytest.fixture()
def sierra_leone() -> Path:
    return workbook_of("SLE")


def test_text_cell_names_file_sheet_and_cell(sierra_leone: Path, tmp_path: Path) -> None:
    broken = tmp_path / "text_cell.xlsx"
    rewrite_cell(sierra_leone, broken, "sheet1.xml", "D12", "n/a")
    with pytest.raises(DataError) as error:
        imf_dots.parse([broken])
    assert error.value.path == str(broken)
    assert error.value.line == 12
    assert error.value.field == "'Exports, FOB'!D12"
    assert "n/a" in str(error.value)


def test_broken_year_header_names_the_cell(sierra_leone: Path, tmp_path: Path) -> None:
    broken = tmp_path / "header.xlsx"
    rewrite_cell(sierra_leone, broken, "sheet2.xml", "E7", "19x2")
    with pytest.raises(DataError) as error:
        imf_dots.parse([broken])
    assert (error.value.path, error.value.line) == (str(broken), 7)
    assert error.value.field == "'Imports, CIF'!E7"


def test_unknown_partner_name_names_file_and_row(sierra_leone: Path, tmp_path: Path) -> None:
    broken = tmp_path / "unknown.xlsx"
    rewrite_cell(sierra_leone, broken, "sheet1.xml", "B20", "Atlantis")
    with pytest.raises(UnknownCountryError) as error:
        imf_dots.parse([broken])
    assert (error.value.path, error.value.line) == (str(broken), 20)
    assert error.value.field == "'Exports, FOB'!B20"
    assert "Atlantis" in str(error.value)


def test_truncated_workbook_names_the_file(sierra_leone: Path, tmp_path: Path) -> None:
    broken = tmp_path / "truncated.xlsx"
    broken.write_bytes(sierra_leone.read_bytes()[: sierra_leone.stat().st_size // 2])
    with pytest.raises(DataError) as error:
        imf_dots.parse([broken])
    assert error.value.path == str(broken)


def test_reporter_with_two_different_workbooks_is_an_error(
    sierra_leone: Path, tmp_path: Path
) -> None:
    changed = tmp_path / "changed.xlsx"
    rewrite_cell(sierra_leone, changed, "sheet1.xml", "C9", "1.00 e")
    with pytest.raises(DataError, match="different data"):
        imf_dots.parse([sierra_leone, changed])


def test_every_mirror_name_resolves() -> None:
    """Each reporter and partner name in the workbooks is a country or a listed aggregate."""
    names = set()
    for path in dots_paths()[::10]:
        workbook = CalamineWorkbook.from_path(str(path))
        for sheet in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            names.update(r[1] for r in rows[7:] if r[1])
    names -= imf_dots.SECTION_HEADERS
    assert all(imf_dots.partner_code(name) is not None for name in names)
    assert pd.Series(sorted(names)).map(imf_dots.partner_code).notna().all()
