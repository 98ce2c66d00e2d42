"""HRT, AidData GCDF 3.0 and WDI parsers on the real files, and the finance measures."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _trade_data import MIRROR

from nonaligned.countries import country_table, iso3_from_name
from nonaligned.errors import DataError, UnknownCountryError
from nonaligned.measures import finance
from nonaligned.sources import aiddata, hrt, wdi
from nonaligned.sources.acquire import sha256_of

pytestmark = pytest.mark.usefixtures("mirror")  # reads the mirror's files

HRT_CSV = MIRROR / "finance" / "HRT_ChinaDebtStockDatabase.csv"


@cache
def debt() -> pd.DataFrame:
    return hrt.parse(HRT_CSV)


@cache
def gdp_population() -> pd.DataFrame:
    return wdi.parse(MIRROR / "wdi" / "gdp_current_usd.csv", MIRROR / "wdi" / "population.csv")


@pytest.mark.parametrize("source", [hrt.SOURCE, wdi.SOURCE, aiddata.SOURCE])
def test_known_versions_match_the_mirror(source) -> None:
    for remote in source.files:
        path = MIRROR / remote.relpath
        assert sha256_of(path) == remote.sha256
        assert path.stat().st_size == remote.size


def test_hrt_schema_and_coverage() -> None:
    table = debt()
    assert list(table.columns) == hrt.COLUMNS
    assert not table.duplicated(["iso3", "year"]).any()
    assert table.year.between(2000, 2017).all()
    assert (table.debt_to_china_usd >= 0).all()
    assert set(table.iso3) <= set(country_table().ISO3.dropna())
    assert "ROU" in set(table.iso3)  # written ROM in the file


def test_hrt_codes_agree_with_country_names() -> None:
    """The file's ISO column and its country names, mapped independently, agree."""
    raw = pd.read_csv(HRT_CSV, encoding="utf-8-sig", dtype=str).iloc[:, :3].drop_duplicates()
    by_name = raw.Country.map(iso3_from_name)
    by_code = raw.ISO.replace(hrt.LEGACY_CODES)
    assert (by_name == by_code).all()


def test_hrt_amounts_are_dollars_not_thousands() -> None:
    """Debt/GDP from the parsed dollars matches the authors' own percentage (median ratio ~1)."""
    table = finance.china_debt(debt(), gdp_population())
    ok = (table.debt_to_china_usd > 0) & (table.debt_to_china_pct_gdp_hrt > 0)
    ratio = (table.debt_to_china_pct_gdp / table.debt_to_china_pct_gdp_hrt)[ok].dropna()
    assert len(ratio) > 500
    assert ratio.median() == pytest.approx(1, abs=0.05)


def test_debt_outside_coverage_is_missing() -> None:
    table = finance.china_debt(debt(), gdp_population())
    angola = table[table.iso3 == "AGO"]
    assert angola.year.min() == 2000 and 1999 not in set(angola.year)
    assert angola.debt_to_china_usd.notna().all()
    no_gdp = table.gdp_usd.isna()
    assert table.debt_to_china_pct_gdp[no_gdp].isna().all()


def test_hrt_bad_amount_names_line_and_field(tmp_path: Path) -> None:
    lines = HRT_CSV.read_text(encoding="utf-8-sig").splitlines()
    index = next(i for i in range(3, len(lines)) if '"' not in lines[i])  # no quoted commas
    fields = lines[index].split(",")
    fields[4] = "n.a."
    lines[index] = ",".join(fields)
    broken = tmp_path / "hrt.csv"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as error:
        hrt.parse(broken)
    assert (error.value.path, error.value.line, error.value.field) == (
        str(broken),
        index + 1,
        "ChinaDebt_USD",
    )


def test_hrt_unknown_code_is_an_error(tmp_path: Path) -> None:
    text = HRT_CSV.read_text(encoding="utf-8-sig").replace("Albania,914,ALB", "Albania,914,XXX")
    broken = tmp_path / "hrt.csv"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(UnknownCountryError) as error:
        hrt.parse(broken)
    assert (error.value.line, error.value.field) == (2, "ISO")


def test_gcdf_country_totals_and_world_flows_agree() -> None:
    countries = aiddata.parse_country_commitments(
        MIRROR / "finance" / "gcdf3_country_commitments.rda"
    )
    yearly = aiddata.parse_yearly_flows(MIRROR / "finance" / "gcdf3_yearly_flows.rda")
    assert list(countries.columns) == aiddata.COUNTRY_COLUMNS
    assert list(yearly.columns) == aiddata.YEARLY_COLUMNS
    assert not countries.iso3.duplicated().any()
    assert yearly.year.min() == aiddata.FIRST_YEAR and yearly.year.max() == aiddata.LAST_YEAR
    # Two independent totals of the same commitments: by recipient and by year.
    # Country totals leave out regional and unallocated projects, so they may
    # fall short of the world total, never exceed it.
    ratio = countries.commitments_usd.sum() / yearly.commitments_usd.sum()
    assert 0.9 < ratio <= 1 + 1e-9
    assert countries.set_index("iso3").commitments_usd.idxmax() in {
        "RUS",
        "AGO",
        "PAK",
        "VEN",
        "ARG",
    }
    per_capita = finance.china_commitments(countries, gdp_population())
    assert (per_capita.commitments_per_capita_usd.dropna() >= 0).all()  # published zeros stay


def test_gcdf_damaged_file_is_a_data_error(tmp_path: Path) -> None:
    source = MIRROR / "finance" / "gcdf3_country_commitments.rda"
    broken = tmp_path / "gcdf.rda"
    broken.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    with pytest.raises(DataError) as error:
        aiddata.parse_country_commitments(broken)
    assert error.value.path == str(broken)
    wrong = tmp_path / "flows.rda"
    shutil.copy(MIRROR / "finance" / "gcdf3_yearly_flows.rda", wrong)
    with pytest.raises(DataError, match="gcdf_country_commitments"):
        aiddata.parse_country_commitments(wrong)


def test_wdi_keeps_countries_only() -> None:
    table = gdp_population()
    assert list(table.columns) == wdi.COLUMNS
    assert not table.duplicated(["iso3", "year"]).any()
    assert not {"WLD", "SSF", "EUU", "ARB"} & set(table.iso3)
    assert {"AGO", "CHL", "CHN", "USA", "XKX"} <= set(table.iso3)
    raw = pd.read_csv(MIRROR / "wdi" / "gdp_current_usd.csv", dtype={"Country Code": str})
    dropped = set(raw["Country Code"]) - set(table.iso3)
    assert not dropped & set(country_table().ISO3.dropna())
    # GDP ends a year before population: the missing year is missing, not zero
    last_gdp = table.dropna(subset=["gdp_usd"]).year.max()
    assert table[table.year > last_gdp].gdp_usd.isna().all()
    assert table[table.year > last_gdp].population.notna().any()
    assert (table.gdp_usd.dropna() > 0).all() and (table.population.dropna() > 0).all()


def test_wdi_gdp_matches_the_raw_file() -> None:
    raw = pd.read_csv(MIRROR / "wdi" / "gdp_current_usd.csv")
    raw = raw[raw["Country Code"] == "CHL"].set_index("Year").Value
    parsed = gdp_population().query("iso3 == 'CHL'").set_index("year").gdp_usd.dropna()
    assert np.allclose(parsed.reindex(raw.index), raw)
