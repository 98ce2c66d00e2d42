"""The country-code layer: the Namibia trap, dated seats, UN and COW spellings."""

from __future__ import annotations

import csv
import datetime as dt

import country_converter as coco
import pandas as pd
import pytest
from conftest import FIXTURES

from nonaligned import countries
from nonaligned.errors import UnknownCountryError
from nonaligned.sources import cow


def test_country_converter_default_loader_breaks_on_namibia_under_this_pandas():
    """Documents the trap we work around; if coco fixes it, this tells us to simplify."""
    if int(pd.__version__.split(".")[0]) < 3:
        pytest.skip("the trap only springs under pandas 3")
    with pytest.raises(TypeError):
        coco.CountryConverter()


def test_namibia_keeps_its_iso2_code():
    table = countries.country_table()
    assert table.loc[table.ISO3 == "NAM", "ISO2"].tolist() == ["NA"]
    assert countries.iso3_from_iso2("NA") == "NAM"
    assert countries.iso3_from_name("Namibia") == "NAM"


@pytest.mark.parametrize(
    ("code", "date", "expected"),
    [
        ("CN", dt.date(1971, 10, 24), "TWN"),  # ROC in the China seat until Res. 2758
        ("CN", dt.date(1971, 10, 25), "CHN"),
        ("TW", dt.date(1960, 1, 1), "TWN"),
        ("YU", dt.date(1990, 1, 1), "YUG"),
        ("YU", dt.date(2001, 1, 1), "SRB"),  # FRY admitted 1 Nov 2000, continued by Serbia
        ("SU", dt.date(1980, 1, 1), "RUS"),  # Russia continues the USSR's seat
        ("DD", dt.date(1980, 1, 1), "DDR"),
        ("DE", dt.date(1995, 1, 1), "DEU"),
        ("YD", dt.date(1980, 1, 1), "YMD"),
        ("CS", dt.date(1980, 1, 1), "CSK"),
        ("UA", dt.date(1946, 1, 1), "UKR"),
        ("BY", dt.date(1946, 1, 1), "BLR"),
        ("GB", None, "GBR"),  # coco stores these two ISO2 cells as regexes
        ("UK", None, "GBR"),
        ("GR", None, "GRC"),
        ("ZZ", None, None),
    ],
)
def test_iso2_with_dated_seats(code, date, expected):
    assert countries.iso3_from_iso2(code, date) == expected


def test_tricky_un_names_fixture():
    """Names as printed in UN documents over the years, each with the state it means."""
    with (FIXTURES / "un_names.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 20
    wrong = {
        r["name"]: countries.iso3_from_name(r["name"])
        for r in rows
        if countries.iso3_from_name(r["name"]) != r["iso3"]
    }
    assert wrong == {}


def test_map_names_reports_every_unknown_name():
    with pytest.raises(UnknownCountryError) as info:
        countries.map_names(pd.Series(["FRANCE", "ATLANTIS", "NARNIA"]))
    assert "ATLANTIS" in str(info.value) and "NARNIA" in str(info.value)


def test_cow_table_maps_every_state_of_the_un_era(mirror):
    table = cow.parse(mirror / "countries" / "COW-country-codes.csv")
    by_code = table.set_index("cow_code").iso3
    assert by_code[260] == by_code[255] == "DEU"
    assert by_code[265] == "DDR"
    assert by_code[678] == by_code[679] == "YEM"
    assert by_code[680] == "YMD"
    assert by_code[710] == "CHN" and by_code[713] == "TWN"
    assert by_code[365] == "RUS"
    assert by_code[970] == "NRU"  # coco's GW column would say KIR here
    assert by_code[345] == "YUG"
    seat = countries.apply_seat_rules(
        pd.Series(["YUG", "YUG"]), pd.Series(["1999-01-01", "2010-01-01"])
    )
    assert seat.tolist() == ["YUG", "SRB"]


def test_countries_frame_has_one_row_per_iso3_and_the_historical_states():
    frame = countries.countries_frame()
    assert frame.iso3.is_unique
    assert {"DDR", "YMD", "YUG", "CSK", "TWN", "EAZ"} <= set(frame.iso3)
    assert frame.set_index("iso3").successor_iso3["DDR"] == "DEU"
