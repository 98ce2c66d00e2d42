"""Where every country-code system meets ISO3.

Inside the store a country is always its ISO 3166-1 alpha-3 code. This module
is the only place that knows how to get there from ISO2, ISO numeric, M49,
Correlates of War (COW) numbers, UN member-state names as printed in UN
documents over the years, and IMF country names.

It rests on country_converter's table, read here with care (see
:func:`country_table`), plus a small set of explicit, dated rules for the
cases that no static table gets right:

* **The China seat.** The Republic of China held "China"'s seat until UNGA
  Res. 2758 (25 October 1971); votes cast as China before that date are
  ``TWN``'s, afterwards ``CHN``'s.
* **USSR / Russia.** The Russian Federation continued the USSR's seat in
  December 1991, so the USSR's votes are keyed ``RUS``: one continuous seat,
  which is what the Russia pole needs.
* **Germany.** The Federal Republic (COW 260) and unified Germany (COW 255)
  are ``DEU``; the German Democratic Republic is ``DDR`` (ISO 3166-3).
* **Yemen.** The Yemen Arab Republic (COW 678) and unified Yemen (679) are
  ``YEM``; the People's Democratic Republic (680) is ``YMD`` (ISO 3166-3).
* **Yugoslavia / Serbia.** The seat coded COW 345 / ISO2 ``YU`` is ``YUG``
  before the Federal Republic of Yugoslavia's admission on 1 November 2000,
  then ``SRB`` (Serbia and Montenegro, continued by Serbia in 2006).
* **Czechoslovakia** is ``CSK`` (ISO 3166-3); Czechia ``CZE`` from 1993.
* **Zanzibar**, a UN member for a few months before the union with
  Tanganyika, keeps country_converter's ``EAZ``.
* Ukraine and Belarus were founding UN members as Soviet republics; their
  votes are ``UKR`` and ``BLR`` throughout.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from functools import cache
from importlib import resources
from typing import Literal

import country_converter as coco
import pandas as pd

from nonaligned.errors import UnknownCountryError

__all__ = [
    "HISTORICAL",
    "apply_seat_rules",
    "countries_frame",
    "country_table",
    "cow_table",
    "iso3_from_iso2",
    "iso3_from_name",
    "map_names",
]

CHINA_SEAT_CHANGE = dt.date(1971, 10, 25)  # UNGA Res. 2758
FRY_ADMISSION = dt.date(2000, 11, 1)  # Federal Republic of Yugoslavia admitted

# States that no longer exist and that country_converter's table lacks.
# (iso3, name, successor iso3)
HISTORICAL: tuple[tuple[str, str, str], ...] = (
    ("CSK", "Czechoslovakia", "CZE"),
    ("DDR", "German Democratic Republic", "DEU"),
    ("YMD", "Yemen People's Republic", "YEM"),
    ("YUG", "Yugoslavia", "SRB"),
)

_COW_OVERRIDES: dict[int, str] = {
    255: "DEU",
    260: "DEU",
    265: "DDR",
    315: "CSK",
    316: "CZE",
    365: "RUS",
    511: "EAZ",
    678: "YEM",
    679: "YEM",
    680: "YMD",
    710: "CHN",
    713: "TWN",
    816: "VNM",
}

_ISO2_OVERRIDES: dict[str, str] = {
    "SU": "RUS",
    "DD": "DDR",
    "YD": "YMD",
    "CS": "CSK",  # in the UN vote files CS is Czechoslovakia, never Serbia and Montenegro
}

# Names (after :func:`_normalise_name`) that country_converter's regexes miss or
# get wrong, as they appear in the UN and IMF files.
_NAME_OVERRIDES: dict[str, str] = {
    "TURKYYE": "TUR",  # mojibake of TÜRKİYE in the UN files
    "FEDERAL REPUBLIC OF GERMANY": "DEU",
    "GERMAN DEMOCRATIC REPUBLIC": "DDR",
    "YEMEN ARAB REPUBLIC": "YEM",
    "YEMEN PEOPLE'S REPUBLIC": "YMD",
    "CZECHOSLOVAKIA": "CSK",
    "ZANZIBAR": "EAZ",
    "USSR": "RUS",
    "UNION OF SOVIET SOCIALIST REPUBLICS": "RUS",
    # IMF Direction of Trade Statistics names
    "ARUBA, KINGDOM OF THE NETHERLANDS": "ABW",
    "CURACAO, KINGDOM OF THE NETHERLANDS": "CUW",
    "SINT MAARTEN, KINGDOM OF THE NETHERLANDS": "SXM",
    "EASTERN GERMANY": "DDR",
    "YEMEN ARAB REP.": "YEM",
    "YEMEN, PEOPLE'S DEM. REP. OF": "YMD",
}


def _normalise_name(name: str) -> str:
    """Upper-case, strip accents and collapse whitespace (incl. no-break spaces)."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(ascii_only.replace("\u2019", "'").upper().split())


@cache
def country_table() -> pd.DataFrame:
    """country_converter's table, read so that Namibia keeps its ISO2 code.

    country_converter 1.3.2 reads its TSV with pandas' default missing-value
    markers minus ``"NA"``; under pandas 3 the string columns still turn
    Namibia's ``"NA"`` into a missing value and ``CountryConverter()`` then
    fails while compiling its ISO2 regexes. Reading every column as text with
    only the empty string as missing avoids both problems.
    """
    source = resources.files(coco).joinpath("country_data.tsv")
    with source.open("rb") as handle:
        table = pd.read_csv(
            handle, sep="\t", dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8"
        )
    return table


@cache
def _converter() -> coco.CountryConverter:
    # Rows without ISO2 (Zanzibar, Channel Islands...) would break coco's ISO2
    # regexes; the names among them that matter are handled by overrides.
    table = country_table().dropna(subset=["ISO2"])
    numeric = ["ISOnumeric", "UNcode", "UNmember", "obsolete", "GWcode"]
    typed = table.astype({col: "Int64" for col in numeric if col in table})
    return coco.CountryConverter(country_data=typed, include_obsolete=True)


def _dated(iso3: str, date: dt.date | None) -> str:
    """Apply the seat rules that depend on the date of the vote or record.

    Without a date the code is returned as the static tables give it (China
    is CHN, Yugoslavia YUG), so that callers can apply the rules vectorised
    later with :func:`apply_seat_rules`.
    """
    if date is None:
        return iso3
    if iso3 == "CHN" and date < CHINA_SEAT_CHANGE:
        return "TWN"
    if iso3 == "YUG" and date >= FRY_ADMISSION:
        return "SRB"
    return iso3


@cache
def _iso2_index() -> dict[str, str]:
    """ISO2 -> ISO3. coco writes a few ISO2 cells as regexes (``^GB$|^UK$``): expand them."""
    table = country_table().dropna(subset=["ISO2", "ISO3"])
    index = {}
    for cell, iso3 in zip(table.ISO2, table.ISO3, strict=True):
        for code in cell.split("|"):
            index[code.strip("^$").upper()] = iso3
    index.update(_ISO2_OVERRIDES)
    index["YU"] = "YUG"
    return index


def iso3_from_iso2(code: str, date: dt.date | None = None) -> str | None:
    """ISO3 for an ISO2 code at ``date`` (None: no dated rule), or None if unknown."""
    iso3 = _iso2_index().get(code.strip().upper())
    return _dated(iso3, date) if iso3 else None


def cow_table(cow_list: pd.DataFrame) -> pd.DataFrame:
    """ISO3 for every state in the COW list (columns ``CCode``, ``StateNme``).

    Names are matched through country_converter, then the explicit seat rules
    above override them. The result has one row per COW number with columns
    ``cow_code, name, iso3`` (iso3 missing for pre-UN states such as Bavaria).
    COW 345 is given as ``YUG``; :func:`apply_seat_rules` turns it into ``SRB``
    from the FRY's admission on.
    """
    table = cow_list.drop_duplicates("CCode")[["CCode", "StateNme"]]
    table = table.rename(columns={"CCode": "cow_code", "StateNme": "name"})
    iso3 = [
        _COW_OVERRIDES.get(int(code)) or _name_lookup(_normalise_name(name))
        for code, name in zip(table.cow_code, table.name, strict=True)
    ]
    table["iso3"] = pd.Series(iso3, index=table.index, dtype="string")
    table.loc[table.cow_code == 345, "iso3"] = "YUG"
    return table.reset_index(drop=True)


def apply_seat_rules(iso3: pd.Series, dates: pd.Series) -> pd.Series:
    """Vectorised :func:`_dated`: the China seat before 1971 and Yugoslavia after 2000."""
    dates = pd.to_datetime(dates)
    result = iso3.copy()
    result[(iso3 == "CHN") & (dates < pd.Timestamp(CHINA_SEAT_CHANGE))] = "TWN"
    result[(iso3 == "YUG") & (dates >= pd.Timestamp(FRY_ADMISSION))] = "SRB"
    return result


@cache
def _name_lookup(normalised: str) -> str | None:
    if normalised in _NAME_OVERRIDES:
        return _NAME_OVERRIDES[normalised]
    for iso3, name, _ in HISTORICAL:
        if normalised == name.upper():
            return iso3
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    result = _converter().convert(normalised, src="regex", to="ISO3", not_found=None)
    # coco hands back the input itself when nothing matches
    return result if isinstance(result, str) and result in _known_iso3() else None


@cache
def _known_iso3() -> frozenset[str]:
    return frozenset(country_table().ISO3.dropna())


def iso3_from_name(name: str, date: dt.date | None = None) -> str | None:
    """ISO3 for a country name (UN, IMF or common spelling), or None if unknown."""
    iso3 = _name_lookup(_normalise_name(name))
    return _dated(iso3, date) if iso3 else None


Scheme = Literal["name", "iso2"]


def map_names(values: pd.Series, *, scheme: Scheme = "name") -> pd.Series:
    """Map a Series of names or ISO2 codes to ISO3, failing on any unknown value.

    Date-dependent seats are not applied here; use the scalar functions with a
    date where a seat changed hands. Raises :class:`UnknownCountryError` listing
    every unknown value, so that one run shows the whole problem.
    """
    lookup = iso3_from_name if scheme == "name" else iso3_from_iso2
    uniques = pd.unique(values.dropna())
    mapping = {value: lookup(value) for value in uniques}
    unknown = sorted(value for value, iso3 in mapping.items() if iso3 is None)
    if unknown:
        raise UnknownCountryError(f"unknown country {scheme}(s): {', '.join(map(repr, unknown))}")
    return values.map(mapping)


def countries_frame(cow_codes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``countries`` table of the store: one row per ISO3 code.

    Columns: ``iso3, iso2, iso_numeric, m49, name, name_official, continent,
    un_region, un_member_since, historical, successor_iso3, cow_code``.
    ``cow_code`` is filled from the COW list (``cow_codes`` with ``CCode`` and
    ``iso3``) where a state has exactly one current COW number.
    """
    table = country_table()
    frame = pd.DataFrame(
        {
            "iso3": table.ISO3,
            "iso2": table.ISO2,
            "iso_numeric": pd.to_numeric(table.ISOnumeric).astype("Int64"),
            "m49": pd.to_numeric(table.UNcode).astype("Int64"),
            "name": table.name_short,
            "name_official": table.name_official,
            "continent": table.continent,
            "un_region": table.UNregion,
            "un_member_since": pd.to_numeric(table.UNmember).astype("Int64"),
            "historical": table.obsolete.notna(),
            "successor_iso3": pd.Series([None] * len(table), dtype="string"),
        }
    )
    frame.loc[frame.iso3 == "EAZ", "successor_iso3"] = "TZA"
    extra = pd.DataFrame(
        [
            {"iso3": iso3, "name": name, "historical": True, "successor_iso3": successor}
            for iso3, name, successor in HISTORICAL
        ]
    )
    frame = pd.concat([frame, extra], ignore_index=True)
    frame = frame[frame.iso3.notna() & ~frame.iso3.str.fullmatch(r"[A-Z]{2}\d")]
    if cow_codes is not None:
        current = cow_codes.dropna(subset=["iso3"]).drop_duplicates("iso3", keep="last")
        frame["cow_code"] = frame.iso3.map(current.set_index("iso3").CCode).astype("Int64")
    else:
        frame["cow_code"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    return frame.sort_values("iso3").reset_index(drop=True)
