"""Trade measures: hand-computed cases on tiny frames, properties, and real-data checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _trade_data import dots, member_table
from hypothesis import given, settings
from hypothesis import strategies as st

from nonaligned.measures import trade


def flows(*rows: tuple) -> pd.DataFrame:
    """(reporter, partner, year, flow, value) rows in the parser's shape."""
    frame = pd.DataFrame(
        rows, columns=["reporter_iso3", "partner_code", "year", "flow", "value_usd"]
    )
    frame["partner_is_aggregate"] = frame.partner_code.isin(["WLD", "EU_IMF", "NOT_SPECIFIED"])
    frame["estimated"] = False
    frame["value_usd"] = frame.value_usd.astype(float)
    return frame[
        [
            "reporter_iso3",
            "partner_code",
            "partner_is_aggregate",
            "year",
            "flow",
            "value_usd",
            "estimated",
        ]
    ]


def eu(*rows: tuple) -> pd.DataFrame:
    """(iso3, joined_year, left_year) rows as a memberships table."""
    frame = pd.DataFrame(rows, columns=["iso3", "joined_year", "left_year"])
    frame["grouping"], frame["status"] = "EU", "member"
    frame[["joined_year", "left_year"]] = frame[["joined_year", "left_year"]].astype("Int64")
    return frame


NO_EU = eu(("FRA", 1952, None))


def row(table: pd.DataFrame, **where) -> pd.Series:
    mask = np.logical_and.reduce([table[k] == v for k, v in where.items()])
    return table[mask].squeeze()


# --- hand-computed ------------------------------------------------------------------------


def test_shares_hand_computed() -> None:
    data = flows(
        ("BRA", "WLD", 2010, "exports", 100),
        ("BRA", "WLD", 2010, "imports", 50),
        ("BRA", "CHN", 2010, "exports", 30),
        ("BRA", "CHN", 2010, "imports", 10),
        ("BRA", "USA", 2010, "exports", 20),
        ("BRA", "USA", 2010, "imports", 15),
        ("BRA", "FRA", 2010, "exports", 10),
        ("BRA", "FRA", 2010, "imports", 5),
        ("BRA", "HKG", 2010, "exports", 6),
    )
    table = trade.pole_trade(data, NO_EU)
    china = row(table, iso3="BRA", partner="CHN")
    assert (china.exports_usd, china.imports_usd, china.total_usd) == (30, 10, 40)
    assert china.share == pytest.approx(40 / 150)
    assert china.exports_share == pytest.approx(0.3)
    assert china.imports_share == pytest.approx(0.2)
    assert row(table, iso3="BRA", partner="EU").share == pytest.approx(15 / 150)
    assert row(table, iso3="BRA", partner="WLD").share == 1.0
    # no data for Russia: missing, not zero
    assert np.isnan(row(table, iso3="BRA", partner="RUS").total_usd)
    assert np.isnan(row(table, iso3="BRA", partner="RUS").share)
    # Hong Kong only on request; its imports are missing, so the total is too
    with_hk = trade.pole_trade(data, NO_EU, include_hk_macao=True)
    assert row(with_hk, iso3="BRA", partner="CHN").exports_usd == 36
    assert row(with_hk, iso3="BRA", partner="CHN").imports_usd == 10


def test_hhi_hand_computed() -> None:
    data = flows(
        ("KEN", "CHN", 2015, "exports", 50),
        ("KEN", "USA", 2015, "exports", 30),
        ("KEN", "IND", 2015, "exports", 20),
        ("KEN", "WLD", 2015, "exports", 120),
        ("KEN", "NOT_SPECIFIED", 2015, "exports", 20),
        ("KEN", "CHN", 2015, "imports", 10),
        ("KEN", "IND", 2015, "imports", 10),
    )
    result = row(trade.concentration(data), iso3=data.reporter_iso3.iloc[0])
    assert result.hhi_exports == pytest.approx(0.5**2 + 0.3**2 + 0.2**2)  # 0.38
    assert result.hhi_imports == pytest.approx(0.5)
    # totals per partner: CHN 60, USA 30, IND 30 of 120
    assert result.hhi_total == pytest.approx(0.5**2 + 0.25**2 + 0.25**2)


def test_hhi_total_needs_both_flows() -> None:
    data = flows(("KEN", "CHN", 2015, "exports", 50), ("KEN", "USA", 2015, "exports", 50))
    result = row(trade.concentration(data), iso3=data.reporter_iso3.iloc[0])
    assert result.hhi_exports == pytest.approx(0.5)
    assert np.isnan(result.hhi_imports) and np.isnan(result.hhi_total)


def test_mirror_fills_a_silent_reporter_only() -> None:
    data = flows(
        # AAA reports in 2000 (one partner) and is silent in 2001
        ("AAA", "BBB", 2000, "exports", 5),
        ("AAA", "WLD", 2000, "exports", 5),
        # BBB and CCC report their trade with AAA
        ("BBB", "AAA", 2000, "imports", 6),
        ("BBB", "AAA", 2001, "imports", 7),
        ("BBB", "AAA", 2001, "exports", 3),
        ("CCC", "AAA", 2000, "imports", 4),
        ("CCC", "AAA", 2001, "imports", 2),
    )
    result = trade.partner_flows(data).set_index(["iso3", "partner", "year", "flow"])
    # 2000: AAA's own report wins, and its blank for CCC stays missing
    assert result.loc[("AAA", "BBB", 2000, "exports")].value_usd == 5
    assert not result.loc[("AAA", "BBB", 2000, "exports")].mirrored
    assert ("AAA", "CCC", 2000, "exports") not in result.index
    # 2001: filled from the partners' reverse flows
    assert result.loc[("AAA", "BBB", 2001, "exports")].value_usd == 7
    assert result.loc[("AAA", "CCC", 2001, "exports")].value_usd == 2
    assert result.loc[("AAA", "BBB", 2001, "imports")].value_usd == 3
    assert result.loc[("AAA", "WLD", 2001, "exports")].value_usd == 9
    assert result.xs(2001, level="year").loc["AAA"].mirrored.all()
    assert not trade.partner_flows(data, mirror=False).mirrored.any()
    assert ("AAA", "BBB", 2001, "exports") not in trade.partner_flows(data, mirror=False).set_index(
        ["iso3", "partner", "year", "flow"]
    ).index
    poles = trade.pole_trade(data, NO_EU)
    assert row(poles, iso3="AAA", year=2001, partner="WLD").mirrored
    assert not row(poles, iso3="AAA", year=2000, partner="WLD").mirrored


def test_importer_check_hand_computed() -> None:
    """Each case of the importer check on one reporter; the factor is 2."""
    data = flows(
        ("SAU", "WLD", 2000, "exports", 500),
        ("SAU", "CHN", 2000, "exports", 100),  # CHN records 10: ratio 10, replaced
        ("CHN", "SAU", 2000, "imports", 10),
        ("SAU", "USA", 2000, "exports", 100),  # 150: within the factor, kept
        ("USA", "SAU", 2000, "imports", 150),
        ("SAU", "KOR", 2000, "exports", 40),  # 20: ratio exactly 2, kept
        ("KOR", "SAU", 2000, "imports", 20),
        ("SAU", "IND", 2000, "exports", 0),  # zero against 40: replaced
        ("IND", "SAU", 2000, "imports", 40),
        ("SAU", "BRA", 2000, "exports", 0),  # zero against zero: kept
        ("BRA", "SAU", 2000, "imports", 0),
        ("SAU", "JPN", 2000, "exports", 30),  # Japan reports nothing: kept
        ("SAU", "CHN", 2000, "imports", 7),  # the importer's own record: kept
        ("CHN", "SAU", 2000, "exports", 70),  # SAU records 7: replaced
    )
    data.loc[(data.reporter_iso3 == "IND") & (data.flow == "imports"), "estimated"] = True
    keys = ["iso3", "partner", "year", "flow"]
    plain = trade.partner_flows(data, mirror=False).set_index(keys)
    checked = trade.partner_flows(data, mirror=False, importer_factor=2).set_index(keys)
    assert not plain.importer_replaced.any()
    assert plain.loc[("SAU", "CHN", 2000, "exports")].value_usd == 100
    expected = {
        ("SAU", "CHN", 2000, "exports"): (10, True),
        ("SAU", "USA", 2000, "exports"): (100, False),
        ("SAU", "KOR", 2000, "exports"): (40, False),
        ("SAU", "IND", 2000, "exports"): (40, True),
        ("SAU", "BRA", 2000, "exports"): (0, False),
        ("SAU", "JPN", 2000, "exports"): (30, False),
        ("SAU", "CHN", 2000, "imports"): (7, False),
        ("CHN", "SAU", 2000, "exports"): (7, True),
        ("CHN", "SAU", 2000, "imports"): (10, False),
        ("SAU", "WLD", 2000, "exports"): (500, False),
    }
    for key, (value, replaced) in expected.items():
        assert (checked.loc[key].value_usd, checked.loc[key].importer_replaced) == (value, replaced)
    # the importer's estimate flag comes with its value
    assert checked.loc[("SAU", "IND", 2000, "exports")].estimated
    assert not checked.loc[("SAU", "USA", 2000, "exports")].estimated
    poles = trade.pole_trade(data, NO_EU, importer_factor=2)
    china = row(poles, iso3="SAU", partner="CHN")
    assert (china.exports_usd, china.imports_usd, china.importer_replaced) == (10, 7, True)
    assert not row(poles, iso3="SAU", partner="USA").importer_replaced
    assert not row(poles, iso3="SAU", partner="WLD").importer_replaced
    assert not trade.pole_trade(data, NO_EU).importer_replaced.any()
    with pytest.raises(ValueError, match="at least 1"):
        trade.partner_flows(data, importer_factor=0.5)


def test_eu_pole_follows_membership_years() -> None:
    members = eu(("FRA", 1952, None), ("GBR", 1973, 2020), ("POL", 2004, None))
    data = flows(
        *[
            (r, p, y, f, v)
            for y in (2003, 2004, 2019, 2020)
            for f in ("exports", "imports")
            for r, p, v in (
                ("IND", "FRA", 1),
                ("IND", "GBR", 10),
                ("IND", "POL", 100),
                ("IND", "WLD", 1000),
            )
        ]
    )
    table = trade.pole_trade(data, members)
    eu_exports = (
        table[(table.iso3 == "IND") & (table.partner == "EU")].set_index("year").exports_usd
    )
    assert eu_exports.to_dict() == {2003: 11, 2004: 111, 2019: 111, 2020: 101}


def test_belgium_luxembourg_counts_for_the_eu_and_ussr_for_russia() -> None:
    members = eu(("BEL", 1952, None), ("LUX", 1952, None))
    data = flows(
        *[
            (r, p, y, f, v)
            for y in (1990, 1995)
            for f in ("exports", "imports")
            for r, p, v in (("IND", "BLX", 4), ("IND", "SUN", 3), ("IND", "WLD", 100))
        ]
    )
    table = trade.pole_trade(data, members)
    assert row(table, iso3="IND", year=1990, partner="EU").exports_usd == 4
    assert row(table, iso3="IND", year=1990, partner="RUS").exports_usd == 3
    assert np.isnan(row(table, iso3="IND", year=1995, partner="RUS").exports_usd)


def test_growth_multiple_hand_computed() -> None:
    data = flows(
        *[
            (r, p, y, f, v)
            for r, y, v in (
                ("BRA", 2000, 2),
                ("BRA", 2020, 20),
                ("ARG", 2000, 3),
                ("ARG", 2020, 9),
                ("PER", 2020, 50),
            )  # Peru lacks 2000
            for p in ("CHN", "WLD")
            for f in ("exports", "imports")
        ]
    )
    args = {"partner": "CHN", "from_year": 2000, "to_year": 2020}
    brazil = trade.growth(data, NO_EU, iso3="BRA", **args).squeeze()
    assert (brazil.value_from_usd, brazil.value_to_usd, brazil.multiple) == (4, 40, 10)
    region = trade.growth(data, NO_EU, region="South America", **args).squeeze()
    assert (region.value_from_usd, region.value_to_usd) == (10, 58)
    assert region.multiple == pytest.approx(5.8)
    assert region.n_countries == 2
    exports = trade.growth(data, NO_EU, iso3="ARG", flow="exports", **args).squeeze()
    assert exports.multiple == 3
    later = trade.growth(data, NO_EU, iso3="BRA", partner="CHN", from_year=2000, to_year=2021)
    assert np.isnan(later.multiple.item()) and later.n_countries.item() == 0


def test_regions() -> None:
    lac = trade.region_members("Latin America and the Caribbean")
    ssa = trade.region_members("Sub-Saharan Africa")
    assert {"BRA", "MEX", "CHL", "CUB", "JAM"} <= lac and not {"USA", "CAN", "ESP"} & lac
    assert {"AGO", "NGA", "KEN", "ZAF"} <= ssa and not {"EGY", "MAR", "DZA"} & ssa
    assert not lac & ssa
    with pytest.raises(ValueError, match="unknown region"):
        trade.region_members("Atlantis")


# --- properties -----------------------------------------------------------------------------

positive = st.floats(min_value=1e-3, max_value=1e12, allow_nan=False)


@pytest.mark.slow  # property test of many engine queries: the full run only
@settings(max_examples=60, deadline=None)
@given(st.lists(positive, min_size=1, max_size=30))
def test_hhi_between_one_over_n_and_one(values: list[float]) -> None:
    data = flows(
        *[("AAA", f"P{i:02d}", 2010, "exports", v) for i, v in enumerate(values)],
        *[("AAA", f"P{i:02d}", 2010, "imports", v) for i, v in enumerate(values)],
    )
    result = row(trade.concentration(data), iso3=data.reporter_iso3.iloc[0])
    for column in ("hhi_exports", "hhi_imports", "hhi_total"):
        assert 1 / len(values) - 1e-12 <= result[column] <= 1 + 1e-12


@pytest.mark.slow  # property test of many engine queries: the full run only
@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["USA", "CHN", "RUS", "FRA", "DEU", "IND", "HKG"]), positive),
    st.floats(min_value=0, max_value=1e12),
)
def test_pole_shares_sum_to_at_most_one(partners: dict[str, float], residual: float) -> None:
    members = eu(("FRA", 1952, None), ("DEU", 1952, None))
    world = sum(partners.values()) + residual
    data = flows(
        *[("BRA", p, 2010, f, v) for p, v in partners.items() for f in ("exports", "imports")],
        *[("BRA", "WLD", 2010, f, world) for f in ("exports", "imports")],
    )
    table = trade.pole_trade(data, members, include_hk_macao=True)
    shares = table[(table.iso3 == "BRA") & table.partner.isin(trade.POLES)].share
    assert (shares.dropna() >= 0).all()
    assert shares.sum() <= 1 + 1e-9


CODES = ["AAA", "BBB", "CCC", "DDD"]
cell_keys = st.tuples(
    st.sampled_from(CODES),
    st.sampled_from(CODES),
    st.sampled_from([2000, 2001]),
    st.sampled_from(["exports", "imports"]),
).filter(lambda key: key[0] != key[1])


@pytest.mark.slow  # property test of many engine queries: the full run only
@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(cell_keys, st.one_of(st.just(0.0), positive), max_size=40),
    st.floats(min_value=1, max_value=20),
)
def test_importer_check_takes_the_importer_record_or_nothing(
    cells: dict[tuple, float], factor: float
) -> None:
    data = flows(*[(*key, value) for key, value in cells.items()])
    keys = ["iso3", "partner", "year", "flow"]
    plain = trade.partner_flows(data)
    checked = trade.partner_flows(data, importer_factor=factor)
    # off: the old output, every reported cell as reported
    assert not plain.importer_replaced.any()
    own = plain[~plain.mirrored]
    assert own.set_index(keys).value_usd.to_dict() == cells
    # on: the same rows, changed only where replaced, and then to the importer's record
    pd.testing.assert_frame_equal(plain[[*keys, "mirrored"]], checked[[*keys, "mirrored"]])
    hit = checked.importer_replaced
    assert (plain.value_usd[~hit] == checked.value_usd[~hit]).all()
    for r in checked[hit].itertuples():
        assert r.flow == "exports" and not r.mirrored
        reporter = cells[(r.iso3, r.partner, r.year, "exports")]
        importer = cells[(r.partner, r.iso3, r.year, "imports")]
        assert r.value_usd == importer
        assert max(reporter, importer) > factor * min(reporter, importer)
    kept = checked[~hit & ~checked.mirrored & (checked.flow == "exports")]
    for r in kept.itertuples():
        importer = cells.get((r.partner, r.iso3, r.year, "imports"))
        if importer is not None:
            assert max(r.value_usd, importer) <= factor * min(r.value_usd, importer)


# --- real data ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def poles(mirror: Path) -> pd.DataFrame:
    return trade.pole_trade(dots(), member_table())


def test_real_chile_2020_leans_to_china(poles: pd.DataFrame) -> None:
    chile = poles[(poles.iso3 == "CHL") & (poles.year == 2020)].set_index("partner")
    assert chile.total_usd["CHN"] > chile.total_usd["USA"] > chile.total_usd["RUS"]
    assert not chile.mirrored.any()


def test_real_pole_values_equal_partner_sums(poles: pd.DataFrame) -> None:
    """The EU pole computed independently from the memberships table and partner rows."""
    table = dots()
    members = member_table()
    members = members[(members.grouping == "EU") & (members.status == "member")]
    for year in (2003, 2004, 2019, 2020):
        left = members.left_year.astype("float64").fillna(np.inf)
        in_eu = set(members.iso3[(members.joined_year <= year) & (year < left)])
        assert ("GBR" in in_eu) == (year < 2020)
        assert ("POL" in in_eu) == (year >= 2004)
        rows = table[(table.reporter_iso3 == "USA") & (table.year == year)]
        expected = rows[rows.partner_code.isin(in_eu) & (rows.flow == "exports")].value_usd.sum()
        actual = poles[(poles.iso3 == "USA") & (poles.year == year) & (poles.partner == "EU")]
        assert actual.exports_usd.item() == pytest.approx(expected)


def test_real_shares_and_hhi_in_range(poles: pd.DataFrame) -> None:
    recent = poles[(poles.year >= 2000) & poles.partner.isin(trade.POLES)]
    assert (recent.share.dropna() >= 0).all()
    # World rows and country partners agree to about one percent (see test_imf_dots)
    assert (recent.groupby(["iso3", "year"]).share.sum() <= 1.05).all()
    hhi = trade.concentration(dots())
    for column in ("hhi_exports", "hhi_imports", "hhi_total"):
        values = hhi[column].dropna()
        assert ((values > 0) & (values <= 1 + 1e-12)).all()


def test_real_taiwan_is_mirrored(poles: pd.DataFrame) -> None:
    taiwan = poles[(poles.iso3 == "TWN") & (poles.year == 2020)]
    assert taiwan.mirrored.all() and taiwan.total_usd.notna().all()


def test_real_no_trade_after_2020(poles: pd.DataFrame) -> None:
    assert poles.year.max() == 2020
    result = trade.growth(
        dots(), member_table(), iso3="CHL", partner="CHN", from_year=2000, to_year=2021
    )
    assert np.isnan(result.multiple.item())


def test_real_latin_america_china_growth_is_country_sum(poles: pd.DataFrame) -> None:
    """The region's multiple equals the sum over its members computed from pole_trade."""
    result = trade.growth(
        dots(),
        member_table(),
        region="Latin America and the Caribbean",
        partner="CHN",
        from_year=2000,
        to_year=2020,
    ).squeeze()
    china = poles[(poles.partner == "CHN")].set_index(["iso3", "year"]).total_usd.dropna()
    members = trade.region_members("Latin America and the Caribbean")
    start = china.xs(2000, level="year")
    end = china.xs(2020, level="year")
    both = start.index.intersection(end.index).intersection(list(members))
    assert result.n_countries == len(both) > 10
    assert result.multiple == pytest.approx(end[both].sum() / start[both].sum())
    assert result.multiple > 1


def reported(reporter: str, partner: str, year: int, flow: str) -> float:
    """One cell of the real DOTS flows, as the parser read it."""
    table = dots()
    cell = table[
        (table.reporter_iso3 == reporter)
        & (table.partner_code == partner)
        & (table.year == year)
        & (table.flow == flow)
    ]
    return cell.value_usd.item()


def test_real_importer_check_takes_china_record_of_saudi_exports(mirror: Path) -> None:
    """Saudi Arabia's 2000 exports to China become China's imports from it."""
    saudi, china = reported("SAU", "CHN", 2000, "exports"), reported("CHN", "SAU", 2000, "imports")
    assert saudi > trade.IMPORTER_FACTOR * china  # the contradiction the check is for
    keys = ["iso3", "partner", "year", "flow"]
    cell = ("SAU", "CHN", 2000, "exports")
    plain = trade.partner_flows(dots()).set_index(keys).loc[cell]
    checked = trade.partner_flows(dots(), importer_factor=trade.IMPORTER_FACTOR)
    checked = checked.set_index(keys).loc[cell]
    assert (plain.value_usd, plain.importer_replaced) == (saudi, False)
    assert (checked.value_usd, checked.importer_replaced) == (china, True)


def test_real_importer_check_in_pole_trade_kuwait_2020(mirror: Path) -> None:
    """Kuwait files most 2020 exports as "not specified"; China's record replaces its own."""
    year = dots()[dots().year == 2020]
    plain = row(trade.pole_trade(year, member_table()), iso3="KWT", partner="CHN")
    checked = trade.pole_trade(year, member_table(), importer_factor=trade.IMPORTER_FACTOR)
    china = row(checked, iso3="KWT", partner="CHN")
    own = reported("KWT", "CHN", 2020, "exports")
    assert (plain.exports_usd, plain.importer_replaced) == (own, False)
    assert (china.exports_usd, china.importer_replaced) == (
        reported("CHN", "KWT", 2020, "imports"),
        True,
    )
    assert china.exports_share > plain.exports_share
    assert not row(checked, iso3="KWT", partner="WLD").importer_replaced
