"""US net aid (WDI DC.DAC.USAL.CD) and US travels (Office of the Historian) on the real files.

Counts are checked against counts read independently from the files (the csv
module, a regular expression over the XML), values against cells read
directly, and damaged copies in tmp_path against the DataError they must give.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from _trade_data import MIRROR

from nonaligned.countries import iso3_from_name
from nonaligned.errors import DataError, UnknownCountryError
from nonaligned.measures import finance
from nonaligned.sources import aiddata, hrt, us_aid, us_travels, wdi
from nonaligned.sources.acquire import sha256_of

pytestmark = pytest.mark.usefixtures("mirror")  # reads the mirror's files

AID_CSV = MIRROR / us_aid.SOURCE.files[0].relpath
TRAVELS = MIRROR / us_travels.DIRECTORY
ROLE_TABLE = TRAVELS / us_travels.ROLE_TABLE
TRIP = re.compile(r"<trip\b[^>]*>(.*?)</trip>", re.S)


def trip_files() -> list[Path]:
    return sorted(
        [*TRAVELS.glob("president-travels/*.xml"), *TRAVELS.glob("secretary-travels/*.xml")]
    )


@cache
def aid() -> pd.DataFrame:
    return us_aid.parse(AID_CSV)


@cache
def travels() -> tuple[pd.DataFrame, pd.DataFrame]:
    return us_travels.parse(trip_files(), ROLE_TABLE)


@cache
def raw_aid() -> list[dict[str, str]]:
    with AID_CSV.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def raw_trips() -> list[tuple[str, str]]:
    """(role directory, trip XML) for every <trip> in the files, found by a regular expression."""
    return [
        (path.parent.name, body) for path in trip_files() for body in TRIP.findall(path.read_text())
    ]


def _field(body: str, tag: str) -> str:
    return re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", body, re.S).group(1)


@pytest.mark.parametrize("source", [us_aid.SOURCE, us_travels.SOURCE])
def test_known_versions_match_the_mirror(source) -> None:
    for remote in source.files:
        path = MIRROR / remote.relpath
        assert sha256_of(path) == remote.sha256, remote.relpath
        assert path.stat().st_size == remote.size, remote.relpath


def test_listing_names_every_travel_file_in_the_mirror() -> None:
    listed = {MIRROR / f.relpath for f in us_travels.SOURCE.files}
    assert listed == {*trip_files(), ROLE_TABLE}


# --- US net aid ---------------------------------------------------------------------------


def test_us_aid_rows_match_the_file() -> None:
    table, raw = aid(), raw_aid()
    assert list(table.columns) == us_aid.COLUMNS
    assert len(table) == len(raw) == 3174
    assert table.iso3.nunique() == len({r["country_iso"] for r in raw}) == 162
    assert (table.year.min(), table.year.max()) == (2001, 2023)
    negative = sum(float(r["aid_usd"]) < 0 for r in raw)
    assert (table.us_net_aid_usd < 0).sum() == negative == 160  # net flows: kept as published


def test_us_aid_values_read_from_the_file() -> None:
    by_key = aid().set_index(["iso3", "year"]).us_net_aid_usd
    for row in raw_aid()[::97]:
        assert by_key[row["country_iso"], int(row["year"])] == float(row["aid_usd"])
    assert by_key["AFG", 2001] == 7699999.80926514  # the API's single-precision artefact, kept
    assert by_key["UKR", 2022] == pytest.approx(9.24e9, rel=0.001)
    assert by_key["UKR", 2023] == pytest.approx(11.79e9, rel=0.001)
    assert by_key["AGO", 2023] == pytest.approx(0.061e9, rel=0.01)


def test_us_aid_codes_agree_with_country_names() -> None:
    """The file's ISO3 codes and its country names, mapped independently, agree."""
    pairs = {(r["country"], r["country_iso"]) for r in raw_aid()}
    assert all(iso3_from_name(name) == code for name, code in pairs)


def _broken(tmp_path: Path, line: int, column: int, value: str) -> Path:
    lines = AID_CSV.read_text(encoding="utf-8").splitlines()
    fields = lines[line - 1].split(",")
    fields[column] = value
    lines[line - 1] = ",".join(fields)
    broken = tmp_path / "us_bilateral_aid.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return broken


@pytest.mark.parametrize(
    ("line", "column", "value", "field", "error"),
    [
        (1200, 3, "n/a", "aid_usd", DataError),
        (1200, 3, "", "aid_usd", DataError),
        (30, 0, "20O5", "year", DataError),
        (2001, 2, "XXX", "country_iso", UnknownCountryError),
    ],
)
def test_us_aid_bad_row_names_file_line_and_field(tmp_path, line, column, value, field, error):
    broken = _broken(tmp_path, line, column, value)
    with pytest.raises(error) as caught:
        us_aid.parse(broken)
    assert (caught.value.path, caught.value.line, caught.value.field) == (str(broken), line, field)


def test_us_aid_repeated_recipient_year_is_an_error(tmp_path: Path) -> None:
    lines = AID_CSV.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "us_bilateral_aid.csv"
    broken.write_text("\n".join([*lines, lines[5]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="repeated key") as caught:
        us_aid.parse(broken)
    assert (caught.value.line, caught.value.field) == (len(lines) + 1, "iso3")


def test_us_net_aid_over_same_year_gdp() -> None:
    gdp = wdi.parse(MIRROR / "wdi" / "gdp_current_usd.csv", MIRROR / "wdi" / "population.csv")
    table = finance.us_net_aid(aid(), gdp)
    assert len(table) == len(aid())
    angola = table[(table.iso3 == "AGO") & (table.year == 2023)].iloc[0]
    same_year = gdp[(gdp.iso3 == "AGO") & (gdp.year == 2023)].gdp_usd.iloc[0]
    assert angola.us_net_aid_pct_gdp == pytest.approx(100 * angola.us_net_aid_usd / same_year)
    # no GDP that year (WDI has none for Venezuela after 2014): the share is missing, not zero
    no_gdp = table[table.gdp_usd.isna()]
    assert len(no_gdp) and no_gdp.us_net_aid_pct_gdp.isna().all()
    assert (table.us_net_aid_pct_gdp.dropna() < 0).any()  # a negative flow stays negative


def test_official_finance_keeps_the_three_measures_apart() -> None:
    gdp = wdi.parse(MIRROR / "wdi" / "gdp_current_usd.csv", MIRROR / "wdi" / "population.csv")
    debt = hrt.parse(MIRROR / "finance" / "HRT_ChinaDebtStockDatabase.csv")
    gcdf = aiddata.parse_country_commitments(MIRROR / "finance" / "gcdf3_country_commitments.rda")
    table = finance.official_finance(debt, aid(), gcdf, gdp)
    counts = table.groupby("measure").size()
    assert counts[finance.NET_AID] == len(aid())
    assert counts[finance.DEBT_STOCK] == len(debt)
    assert counts[finance.COMMITMENTS] == len(gcdf)
    commitments = table[table.measure == finance.COMMITMENTS]
    assert commitments.year.isna().all() and commitments.pct_gdp.isna().all()
    assert set(commitments.dollars) == {"constant 2021"}
    dated = table[table.year.notna()]
    known = dated.gdp_year.notna()
    assert (dated.gdp_year[known] == dated.year[known]).all()  # same-year GDP only
    assert dated.pct_gdp[~known].isna().all()
    assert set(table.pole) == {"USA", "CHN"}


# --- US travels ---------------------------------------------------------------------------


def test_every_trip_is_kept_or_excluded() -> None:
    trips, excluded = travels()
    assert list(trips.columns) == us_travels.COLUMNS
    assert len(trips) + len(excluded) == len(raw_trips()) == 4271
    by_role = trips.role.value_counts()
    presidents = sum(folder == "president-travels" for folder, _ in raw_trips())
    assert by_role["president"] == presidents == 832
    assert by_role["secretary"] + len(excluded) == len(raw_trips()) - presidents
    assert trips.trip_id.is_unique
    assert (trips.end_date >= trips.start_date).all()
    assert (trips.year == trips.start_date.dt.year).all()


def test_only_antarctica_is_excluded_and_its_line_is_the_trip() -> None:
    trips, excluded = travels()
    slugs = {re.search(r'<country id="([^"]*)"', body).group(1) for _, body in raw_trips()}
    assert len(slugs) == 177
    assert set(trips.country_slug) == slugs - {"antarctica"}
    (row,) = excluded.to_dict("records")
    assert (row["source"], row["rule"]) == ("us_travels", "us_travels_not_a_state")
    assert "'antarctica'" in row["detail"]
    lines = (TRAVELS / row["file"]).read_text().splitlines()
    assert lines[row["line"] - 1].strip().startswith("<trip ")
    assert 'id="antarctica"' in "\n".join(lines[row["line"] : row["line"] + 10])


def test_slugs_map_through_the_countries_module() -> None:
    trips, _ = travels()
    iso3 = trips.drop_duplicates("country_slug").set_index("country_slug").iso3
    expected = {
        "angola": "AGO",
        "russia": "RUS",  # also printed "U.S.S.R.": one continuous seat, as in the votes
        "taiwan": "TWN",
        "china": "CHN",
        "german-democratic-republic": "DDR",
        "czechoslovakia": "CSK",
        "yugoslavia": "YUG",
        "korea-south": "KOR",
        "kosovo": "XKX",
        "holy-see": "VAT",
        "palestinian-authority": "PSE",
        "burma": "MMR",
    }
    assert {slug: iso3[slug] for slug in expected} == expected
    assert "U.S.S.R." in set(trips[trips.iso3 == "RUS"].country_name)


def test_the_lobito_corridor_visit_reads_as_in_the_file() -> None:
    trips, _ = travels()
    visit = trips[(trips.iso3 == "AGO") & (trips.role == "president")]
    body = next(b for _, b in raw_trips() if 'id="angola"' in b and "president" in b)
    (row,) = visit.to_dict("records")
    assert row["traveller"] == _field(body, "name") == "Joseph R. Biden"
    assert str(row["start_date"].date()) == _field(body, "start-date") == "2024-12-02"
    assert str(row["end_date"].date()) == _field(body, "end-date") == "2024-12-04"
    assert row["locale"] == _field(body, "locale") == "Luanda"
    assert row["remarks"] == "Met with President João Lourenço."


def _copy(tmp_path: Path, edit) -> Path:
    """A copy of Biden's file with ``edit`` applied to its text."""
    source = TRAVELS / "president-travels" / "biden-joseph-r.xml"
    broken = tmp_path / "president-travels" / source.name
    broken.parent.mkdir()
    broken.write_text(edit(source.read_text(encoding="utf-8")), encoding="utf-8")
    return broken


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            "<start-date>2024-12-02</start-date>",
            "<start-date>2024-12-32</start-date>",
            "start-date",
        ),
        ("<end-date>2024-12-04</end-date>", "<end-date>2024-11-04</end-date>", "end-date"),
        ("<role>president</role>", "<role>ambassador</role>", "role"),
        ("<id>4298</id>", "<id>4116</id>", "id"),
        ('<country id="angola">Angola</country>', "<country>Angola</country>", "country"),
        ("<name>Joseph R. Biden</name>", "<name/>", "name"),
    ],
)
def test_bad_trip_names_file_line_and_field(tmp_path, old, new, field) -> None:
    def edit(text: str) -> str:
        # the last occurrence: the Angola trip, the file's last
        head, _, tail = text.rpartition(old)
        return head + new + tail

    broken = _copy(tmp_path, edit)
    with pytest.raises(DataError) as caught:
        us_travels.parse([broken], ROLE_TABLE)
    text = broken.read_text()
    edited_line = text[: text.rindex(new)].count("\n") + 1
    assert (caught.value.path, caught.value.line, caught.value.field) == (
        str(broken),
        edited_line,
        field,
    )


def test_truncated_file_names_its_last_line(tmp_path: Path) -> None:
    broken = _copy(tmp_path, lambda text: text[: len(text) // 2])
    with pytest.raises(DataError, match="malformed XML") as caught:
        us_travels.parse([broken], ROLE_TABLE)
    assert caught.value.path == str(broken)
    assert caught.value.line == len(broken.read_text().splitlines())


def test_unknown_slug_is_a_counted_exclusion_not_an_error(tmp_path: Path) -> None:
    broken = _copy(tmp_path, lambda t: t.replace('id="angola"', 'id="atlantis"'))
    trips, excluded = us_travels.parse([broken], ROLE_TABLE)
    raw = len(TRIP.findall(broken.read_text()))
    assert len(trips) == raw - 1 and "AGO" not in set(trips.iso3)
    (row,) = excluded.to_dict("records")
    assert row["rule"] == "us_travels_unmapped_country" and "'atlantis'" in row["detail"]
    assert row["line"] == _line_of(broken, "<id>4298</id>") - 1
    assert row["file"] == "president-travels/biden-joseph-r.xml"


def test_role_table_defines_the_roles(tmp_path: Path) -> None:
    assert us_travels.roles(ROLE_TABLE) == {"president", "secretary"}
    empty = tmp_path / "roles.xml"
    empty.write_text("<code-table><items/></code-table>", encoding="utf-8")
    with pytest.raises(DataError, match="no role codes"):
        us_travels.roles(empty)
    wrong = tmp_path / "wrong.xml"
    wrong.write_text("<trips/>", encoding="utf-8")
    with pytest.raises(DataError, match="expected <code-table>") as caught:
        us_travels.roles(wrong)
    assert caught.value.line == 1


def test_whitespace_in_remarks_is_collapsed() -> None:
    trips, _ = travels()
    assert not trips.remarks.dropna().str.contains(r"\s{2,}|\n").any()
    body = next(b for _, b in raw_trips() if "<id>4113</id>" in b)
    assert "\n" in _field(body, "remarks")  # wrapped in the file
    remarks = trips.set_index("trip_id").remarks[4113]
    assert remarks == " ".join(_field(body, "remarks").split())
