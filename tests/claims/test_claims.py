"""Claim checks: the example file against the session store, judged by independent SQL;
validation of bad files; the nearest-year and tolerance rules.

The expected verdicts are never the code's own output: each claim of
examples/claims.toml is recomputed here straight from the store's tables
(votes, trade_flows with its own mirror rule, debt_to_china, wdi,
gcdf_country_commitments) and judged with the tolerances documented in
docs/claims.md, written out below.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from conftest import EXAMPLES
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from nonaligned import claims
from nonaligned.claims.compare import nearest_year, verdict, within
from nonaligned.cli import app
from nonaligned.errors import ClaimsFileError

runner = CliRunner()
EXAMPLE = EXAMPLES / "claims.toml"

# docs/claims.md: default tolerance and maximum year gap per kind
DEFAULT_TOLERANCE = {
    "trade_share": 2.5,  # percentage points
    "trade_growth": 0.10,  # relative
    "vote_count": 0,
    "vote": None,
    "largest_recipient": 0,
    "debt_to_china": 0.15,  # relative
    "debt_to_china_gdp": 2.0,  # percentage points
    "us_aid": 0.15,  # relative
    "us_visit": None,
}
RELATIVE = {"trade_growth", "debt_to_china", "us_aid"}
MAX_YEAR_GAP = 3
# UN M49 sub-regions of the regions the example file names
SUBREGIONS = {
    "Africa": (
        "Northern Africa",
        "Eastern Africa",
        "Middle Africa",
        "Southern Africa",
        "Western Africa",
    ),
    "Latin America and the Caribbean": ("Caribbean", "Central America", "South America"),
}


# --- independent computations, straight from the store's tables -------------------------


def _nearest(years: list[int], claimed: int) -> int | None:
    best = sorted(years, key=lambda y: (abs(y - claimed), y))
    return best[0] if best and abs(best[0] - claimed) <= MAX_YEAR_GAP else None


def _roll_call_votes(store, symbol: str) -> list[tuple[str, str, str]]:
    return store.fetchall(
        "SELECT v.iso3, v.vote, c.un_region FROM votes v JOIN roll_calls r USING (roll_call_id) "
        "JOIN countries c USING (iso3) WHERE r.symbol = ?",
        [symbol],
    )


def _pole_value_sql(partner: str) -> str:
    """Reporter-side flows with a pole, per reporter, year and flow (CHN, USA, RUS or EU)."""
    if partner == "EU":
        return """
            SELECT t.reporter_iso3 AS iso3, t.year, t.flow, sum(t.value_usd) AS value
            FROM trade_flows t JOIN memberships m
              ON m.iso3 = t.partner_code AND m.grouping = 'EU'
             AND m.joined_year <= t.year AND (m.left_year IS NULL OR m.left_year > t.year)
            GROUP BY ALL"""
    return f"""
        SELECT reporter_iso3 AS iso3, year, flow, value_usd AS value
        FROM trade_flows WHERE partner_code = '{partner}'"""


def _bilateral(store, partner: str, iso3s: list[str], years: list[int]) -> dict:
    """Total (exports + imports) trade with ``partner`` by (iso3, year): the country's own
    report where it reports that flow and year at all, else the partner's mirror report."""
    assert partner in ("CHN", "USA", "RUS")
    rows = store.fetchall(
        f"""
        WITH reported AS (SELECT DISTINCT reporter_iso3 AS iso3, year, flow FROM trade_flows),
        own AS ({_pole_value_sql(partner)}),
        mirror AS (
            SELECT partner_code AS iso3, year,
                   CASE flow WHEN 'exports' THEN 'imports' ELSE 'exports' END AS flow,
                   value_usd AS value
            FROM trade_flows WHERE reporter_iso3 = '{partner}'),
        flows AS (
            SELECT * FROM own
            UNION ALL
            SELECT m.* FROM mirror m ANTI JOIN reported r USING (iso3, year, flow))
        SELECT iso3, year, flow, value FROM flows WHERE iso3 IN ? AND year IN ?""",
        [iso3s, years],
    )
    by_flow: dict = {}
    for iso3, year, flow, value in rows:
        by_flow[(iso3, year, flow)] = value
    return {
        (iso3, year): by_flow[(iso3, year, "exports")] + by_flow[(iso3, year, "imports")]
        for (iso3, year, flow) in by_flow
        if flow == "exports" and (iso3, year, "imports") in by_flow
    }


def _share(store, claim: dict) -> tuple[float, int]:
    """Reporter-side share (percent) of a pole in a reporting country's flow."""
    flows = ("exports", "imports") if claim.get("flow", "total") == "total" else (claim["flow"],)
    pole = dict(
        ((y, f), v)
        for _, y, f, v in store.fetchall(
            f"SELECT * FROM ({_pole_value_sql(claim['partner'])}) WHERE iso3 = ?",
            [claim["country"]],
        )
    )
    world = dict(
        ((y, f), v)
        for y, f, v in store.fetchall(
            "SELECT year, flow, value_usd FROM trade_flows "
            "WHERE reporter_iso3 = ? AND partner_code = 'WLD'",
            [claim["country"]],
        )
    )
    years = [y for y in {y for y, _ in world} if all((y, f) in pole for f in flows)]
    year = _nearest(years, claim["year"])
    if year is None:  # not even context within the year gap
        return None, None
    value = 100 * sum(pole[(year, f)] for f in flows) / sum(world[(year, f)] for f in flows)
    return value, year


def _growth(store, claim: dict) -> tuple[float, int]:
    first, last = store.fetchone("SELECT min(year), max(year) FROM trade_flows")
    start = min(max(claim["from_year"], first), last)
    end = min(max(claim["to_year"], first), last)
    if "region" in claim:
        members = [
            iso3
            for (iso3,) in store.fetchall(
                "SELECT iso3 FROM countries WHERE un_region IN ? AND iso3 <> ?",
                [list(SUBREGIONS[claim["region"]]), claim["partner"]],
            )
        ]
    else:
        members = [claim["country"]]
    if claim.get("flow", "total") == "total":
        totals = _bilateral(store, claim["partner"], members, [start, end])
    else:  # one flow, reporter side (the example's country reports both years)
        totals = {
            (iso3, year): value
            for iso3, year, flow, value in store.fetchall(
                f"SELECT * FROM ({_pole_value_sql(claim['partner'])}) "
                "WHERE iso3 IN ? AND year IN ? AND flow = ?",
                [members, [start, end], claim["flow"]],
            )
        }
    both = [m for m in members if (m, start) in totals and (m, end) in totals]
    return sum(totals[(m, end)] for m in both) / sum(totals[(m, start)] for m in both), end


def _rank(store, claim: dict) -> tuple[int, int | None]:
    members = [
        iso3
        for (iso3,) in store.fetchall(
            "SELECT iso3 FROM countries WHERE un_region IN ?", [list(SUBREGIONS[claim["region"]])]
        )
    ]
    if claim["measure"] == "gcdf_commitments":
        rows, year = (
            store.fetchall(
                "SELECT iso3 FROM gcdf_country_commitments WHERE iso3 IN ? "
                "AND commitments_usd IS NOT NULL ORDER BY commitments_usd DESC",
                [members],
            ),
            None,
        )
    else:
        years = [y for (y,) in store.fetchall("SELECT DISTINCT year FROM debt_to_china")]
        year = _nearest(years, claim["year"])
        if year is None:
            return None, None
        rows = store.fetchall(
            "SELECT iso3 FROM debt_to_china WHERE iso3 IN ? AND year = ? "
            "AND debt_to_china_usd IS NOT NULL ORDER BY debt_to_china_usd DESC",
            [members, year],
        )
    return [r[0] for r in rows].index(claim["country"]) + 1, year


def _debt(store, claim: dict, percent: bool) -> tuple[float, int]:
    rows = store.fetchall(
        "SELECT d.year, d.debt_to_china_usd, w.gdp_usd FROM debt_to_china d "
        "LEFT JOIN wdi w USING (iso3, year) WHERE d.iso3 = ? AND d.debt_to_china_usd IS NOT NULL",
        [claim["country"]],
    )
    if percent:
        rows = [r for r in rows if r[2]]
    year = _nearest([r[0] for r in rows], claim["year"])
    _, debt, gdp = next(r for r in rows if r[0] == year)
    return (100 * debt / gdp if percent else debt), year


def _us_aid(store, claim: dict) -> tuple[float | None, int | None]:
    """US net aid to the country in the nearest year with a value (None beyond the gap)."""
    rows = dict(
        store.fetchall(
            "SELECT year, us_net_aid_usd FROM us_aid WHERE iso3 = ? AND us_net_aid_usd IS NOT NULL",
            [claim["country"]],
        )
    )
    year = _nearest(list(rows), claim["year"])
    return (rows[year] if year is not None else None), year


def _us_visit(store, claim: dict) -> tuple[str, int | None, int | None]:
    """docs/claims.md: a trip in the year supports a visit (and 'first' when none is earlier);
    no trip refutes it only where the record covers the whole year, else not checkable."""
    year = claim["year"]
    first, last = store.fetchone("SELECT min(start_date), max(end_date) FROM us_travels")
    starts = [
        d
        for (d,) in store.fetchall(
            "SELECT start_date FROM us_travels WHERE iso3 = ? AND role = ?",
            [claim["country"], claim.get("role", "president")],
        )
    ]
    found = [d for d in starts if d.year == year]
    whole = first <= dt.date(year, 1, 1) and dt.date(year, 12, 31) <= last
    if not first.year <= year <= last.year or (not found and not whole):
        return "not checkable", None, None
    if not found:
        return "not supported", 0, year
    if claim.get("first") and any(d < min(found) for d in starts):
        return "not supported", len(found), year
    return "supported", len(found), year


def _coverage(store, kind: str) -> tuple[int, int] | None:
    """First and last year of the source a kind of claim reads (None: no years)."""
    tables = {"trade_share": "trade_flows", "trade_growth": "trade_flows", "us_aid": "us_aid"}
    table = tables.get(kind)
    if kind in ("debt_to_china", "debt_to_china_gdp", "largest_recipient"):
        table = "debt_to_china"
    return store.fetchone(f"SELECT min(year), max(year) FROM {table}") if table else None


def _outside_coverage(store, claim: dict) -> bool:
    """docs/claims.md: a claimed year beyond the source's coverage is not checkable."""
    coverage = _coverage(store, claim["kind"])
    years = [claim.get(k) for k in ("year", "from_year", "to_year") if claim.get(k) is not None]
    if claim["kind"] == "largest_recipient" and claim["measure"] != "debt_to_china":
        return False
    return coverage is not None and any(not coverage[0] <= y <= coverage[1] for y in years)


def _expected(store, claim: dict) -> tuple[str, object, int | None]:
    """Verdict, value and year used for one claim of the example file, computed here; beyond
    the coverage, the value and year are the nearest year's, shown as context."""
    kind = claim["kind"]
    tolerance = claim.get("tolerance", DEFAULT_TOLERANCE[kind])
    if kind == "us_visit":
        return _us_visit(store, claim)
    if kind in ("vote", "vote_count"):
        votes = _roll_call_votes(store, claim["symbol"])
        year = store.fetchone("SELECT year FROM roll_calls WHERE symbol = ?", [claim["symbol"]])[0]
        if kind == "vote":
            value = next(v for iso3, v, _ in votes if iso3 == claim["country"])
            return ("supported" if value == claim["vote"] else "not supported"), value, year
        regions = SUBREGIONS.get(claim.get("region"))
        value = sum(v == claim["vote"] and (regions is None or r in regions) for _, v, r in votes)
        claimed = claim["count"]
    elif kind == "trade_share":
        (value, year), claimed = _share(store, claim), claim["percent"]
    elif kind == "us_aid":
        (value, year), claimed = _us_aid(store, claim), claim["usd"]
    elif kind == "trade_growth":
        (value, year), claimed = _growth(store, claim), claim["multiple"]
    elif kind == "largest_recipient":
        (value, year), claimed = _rank(store, claim), claim.get("rank", 1)
        if value is None:
            return "not checkable", None, None
    else:
        percent = kind == "debt_to_china_gdp"
        (value, year) = _debt(store, claim, percent)
        claimed = claim["percent"] if percent else claim["usd"]
    if _outside_coverage(store, claim) or value is None:
        return "not checkable", value, year
    gap = value / claimed - 1 if kind in RELATIVE else value - claimed
    bound = claim.get("compare", "about")
    ok = (
        abs(gap) <= tolerance + 1e-9
        if bound == "about"
        else (gap if bound == "at_least" else -gap) >= -tolerance - 1e-9
    )
    return ("supported" if ok else "not supported"), value, year


@pytest.fixture(scope="module")
def example_records(store_path) -> list[dict]:
    result = runner.invoke(
        app, ["check", str(EXAMPLE), "--db", str(store_path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_example_verdicts_match_an_independent_computation(store, example_records):
    written = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))["claim"]
    by_id = {r["claim_id"]: r for r in example_records}
    assert list(by_id) == [c["id"] for c in written]
    for claim in written:
        record = by_id[claim["id"]]
        verdict_, value, year = _expected(store, claim)
        assert record["verdict"] == verdict_, claim["id"]
        if isinstance(value, str) or value is None:
            assert record["value"] == value, claim["id"]
        else:
            assert record["value"] == pytest.approx(value, rel=1e-3), claim["id"]
        if claim["kind"] not in ("vote", "vote_count"):
            assert record["year_used"] == year, claim["id"]


def test_example_covers_every_kind_and_every_verdict(example_records):
    assert {r["kind"] for r in example_records} == set(claims.KINDS)
    assert {r["verdict"] for r in example_records} == {
        "supported",
        "not supported",
        "not checkable",
    }
    for record in example_records:
        assert record["said_by"] and record["source"] and record["statement"]
        if record["verdict"] != "not checkable":
            assert record["sources"], record["claim_id"]


def test_records_name_their_sources_with_versions(store, example_records):
    versions = dict(store.fetchall("SELECT source, any_value(version) FROM provenance GROUP BY 1"))
    by_id = {r["claim_id"]: r for r in example_records}
    trade = by_id["chl-chn-share-2015"]["sources"]
    assert trade == f"imf_dots {versions['imf_dots']}"
    assert by_id["bra-eu-imports-2020"]["sources"].split("; ")[1].startswith("memberships ")
    assert by_id["dji-debt-gdp-2017"]["sources"].startswith("hrt ")
    assert "wdi " in by_id["dji-debt-gdp-2017"]["sources"]


def test_a_year_beyond_the_coverage_is_context_not_a_verdict(example_records):
    record = {r["claim_id"]: r for r in example_records}["bra-chn-exports-2021"]
    assert record["verdict"] == "not checkable"
    assert (record["year"], record["year_used"]) == (2021, 2020)
    assert record["explanation"].startswith("The trade data (IMF DOTS) cover 1960-2020, not 2021")
    assert "For context only, the nearest year with data" in record["explanation"]


def test_the_angola_2024_presidential_visit_is_supported_as_the_first(store, example_records):
    record = {r["claim_id"]: r for r in example_records}["ago-us-president-2024-first"]
    assert (record["verdict"], record["year_used"], record["value"]) == ("supported", 2024, 1)
    (traveller, start) = store.fetchone(
        "SELECT traveller, start_date FROM us_travels "
        "WHERE iso3 = 'AGO' AND role = 'president' AND year(start_date) = 2024"
    )
    assert f"{traveller} {start:%Y-%m-%d}" in record["explanation"]
    assert record["explanation"].endswith(": the first")
    assert record["sources"].startswith("us_travels ")


def test_seed_period_claims_beyond_the_store_are_not_checkable(store, example_records):
    """US aid in 2024 (WDI ends 2023), a presidential visit in May 2025 (the travel record ends
    in February 2025) and Chile's trade shares in 2023-2024 while the trade data end earlier."""
    by_id = {r["claim_id"]: r for r in example_records}
    (last_aid,) = store.fetchone("SELECT max(year) FROM us_aid")
    aid = by_id["eth-us-aid-2024"]
    assert last_aid < 2024 and aid["verdict"] == "not checkable"
    context, used = _us_aid(store, {"country": "ETH", "year": 2024})
    assert (aid["year_used"], aid["value"]) == (used, pytest.approx(context, rel=1e-3))
    (first_aid,) = store.fetchone("SELECT min(year) FROM us_aid")
    assert (
        f"cover {first_aid}-{last_aid}, not 2024: the claim is not checkable" in aid["explanation"]
    )
    visit = by_id["sau-us-president-2025"]
    assert (visit["verdict"], visit["value"], visit["year_used"]) == ("not checkable", None, None)
    (last_trip,) = store.fetchone("SELECT max(end_date) FROM us_travels")
    assert (
        f"to {last_trip:%Y-%m-%d}, not all of 2025: the claim is not checkable"
        in visit["explanation"]
    )
    (last_trade,) = store.fetchone("SELECT max(year) FROM trade_flows")
    for claim_id in ("chl-chn-exports-2024", "chl-usa-exports-2024", "chl-chn-imports-2024"):
        expected = "not checkable" if last_trade < 2024 else by_id[claim_id]["verdict"]
        assert by_id[claim_id]["verdict"] == expected, claim_id


VISIT = """
[[claim]]
id = "v"
kind = "us_visit"
country = "{country}"
year = {year}
{extra}
"""


def test_visit_claims_by_hand(store, tmp_path):
    """A year with no trip within the record is not supported and names the nearest trips; a
    'first' visit with an earlier one on record is not supported; a year past the record is
    not checkable; exact kinds take no tolerance."""
    rows = store.fetchall(
        "SELECT year(start_date), traveller FROM us_travels "
        "WHERE iso3 = 'AGO' AND role = 'secretary' ORDER BY start_date"
    )
    first_year, first_traveller = rows[0]
    gap = next(y for y in range(first_year + 1, 2024) if y not in {r[0] for r in rows})
    cases = [
        (("AGO", gap, ""), "not supported", "no recorded trip of a US President to AGO"),
        (("AGO", rows[-1][0], 'role = "secretary"\nfirst = true'), "not supported",
         f"not the first: the first recorded was {first_traveller}"),
        (("AGO", first_year, 'role = "secretary"\nfirst = true'), "supported", ": the first"),
        (("AGO", 2030, ""), "not checkable", "not 2030: the claim is not checkable"),
    ]  # fmt: skip
    for (country, year, extra), verdict_, words in cases:
        path = _write(tmp_path, VISIT.format(country=country, year=year, extra=extra))
        record = claims.check(store, claims.load(path, store)).iloc[0]
        assert (record.verdict, words in record.explanation) == (verdict_, True), (year, extra)
    bad = _write(tmp_path, VISIT.format(country="AGO", year=2024, extra="tolerance = 1"))
    with pytest.raises(ClaimsFileError, match="compared exactly"):
        claims.load(bad, store)
    wrong_role = _write(tmp_path, VISIT.format(country="AGO", year=2024, extra='role = "king"'))
    with pytest.raises(ClaimsFileError, match="'role'"):
        claims.load(wrong_role, store)


def test_nearest_year_within_the_coverage_is_judged_and_reported(store, tmp_path):
    """A gap inside the source's years (WDI has no Venezuelan GDP after 2014) still uses the
    nearest year, and says so."""
    (gdp_year,) = store.fetchone(
        "SELECT max(year) FROM wdi WHERE iso3 = 'VEN' AND gdp_usd > 0 AND year <= 2017"
    )
    assert 2017 - gdp_year <= MAX_YEAR_GAP
    path = _write(
        tmp_path,
        '[[claim]]\nid = "v"\nkind = "debt_to_china_gdp"\ncountry = "VEN"\nyear = 2017\n'
        "percent = 5\n",
    )
    record = claims.check(store, claims.load(path, store)).iloc[0]
    assert record.verdict in ("supported", "not supported")
    assert record.year_used == gdp_year
    assert f"no debt data for 2017, nearest year used: {gdp_year}" in record.explanation


FORTYFOLD = """
[[claim]]
id = "lac-chn-fortyfold"
kind = "trade_growth"
region = "Latin America and the Caribbean"
partner = "CHN"
from_year = 2000
to_year = 2023
multiple = {multiple}
"""


@pytest.mark.parametrize("multiple", [40, 24.8])
def test_fortyfold_growth_to_2023_is_not_checkable_whatever_the_multiple(store, tmp_path, multiple):
    """Issue 15: judged on 2000-2020 (24.8-fold) and marked not supported. The data end in
    2020, so no multiple to 2023 can be judged, not even the one 2000-2020 would support."""
    path = _write(tmp_path, FORTYFOLD.format(multiple=multiple))
    record = claims.check(store, claims.load(path, store)).iloc[0]
    (last,) = store.fetchone("SELECT max(year) FROM trade_flows")
    context, _ = _growth(
        store, {"region": "Latin America and the Caribbean", "partner": "CHN",
              "from_year": 2000, "to_year": last},
    )  # fmt: skip
    assert record.verdict == "not checkable"
    assert (record.year_used, record.from_year_used) == (last, 2000)
    assert record.value == pytest.approx(context, rel=1e-3)
    assert round(context, 1) == 24.8
    assert f"cover 1960-{last}, not 2023" in record.explanation


@pytest.mark.parametrize("beyond", [-3, -1, 1, 3])
@pytest.mark.parametrize("kind", ["trade_share", "debt_to_china", "debt_to_china_gdp"])
def test_every_claim_beyond_its_source_is_not_checkable(store, tmp_path, kind, beyond):
    """Claims about years outside the coverage are never judged, whatever is claimed: here
    each claims exactly the nearest year's value, which would be supported if it were judged."""
    first, last = _coverage(store, kind)
    year = last + beyond if beyond > 0 else first + beyond
    nearest = last if beyond > 0 else first
    if kind == "trade_share":
        country, (value, used) = (
            "CHL",
            _share(store, {"country": "CHL", "partner": "USA", "year": nearest}),
        )
    else:
        country = "PAK"  # owed China something in 2000 already (a claim of 0 is refused)
        value, used = _debt(store, {"country": country, "year": nearest}, kind != "debt_to_china")
    field = {"trade_share": "percent", "debt_to_china": "usd", "debt_to_china_gdp": "percent"}
    partner = 'partner = "USA"\n' if kind == "trade_share" else ""
    path = _write(
        tmp_path,
        f'[[claim]]\nid = "x"\nkind = "{kind}"\ncountry = "{country}"\n{partner}'
        f"year = {year}\n{field[kind]} = {value!r}\n",
    )
    record = claims.check(store, claims.load(path, store)).iloc[0]
    assert record.verdict == "not checkable"
    assert record.year_used == used == nearest
    assert record.value == pytest.approx(value, rel=1e-3, abs=5e-5)  # shown to 4 decimals
    assert f"cover {first}-{last}, not {year}" in record.explanation


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "claims.toml"
    path.write_text(text, encoding="utf-8")
    return path


VOTE_CLAIM = """
[[claim]]
id = "africa-yes"
kind = "vote_count"
symbol = "A/RES/ES-11/6"
region = "Africa"
vote = "yes"
count = {count}
{extra}
"""


def test_tolerance_override_is_used_and_reported(store, tmp_path):
    (africa_yes,) = [
        v
        for (v,) in store.fetchall(
            "SELECT count(*) FROM votes JOIN roll_calls USING (roll_call_id) "
            "JOIN countries USING (iso3) WHERE symbol = 'A/RES/ES-11/6' AND vote = 'yes' "
            "AND un_region IN ?",
            [list(SUBREGIONS["Africa"])],
        )
    ]
    claimed = africa_yes - 2
    strict = _write(tmp_path, VOTE_CLAIM.format(count=claimed, extra=""))
    record = claims.check(store, claims.load(strict, store)).iloc[0]
    assert (record.verdict, record.tolerance) == ("not supported", 0)
    loose = _write(tmp_path, VOTE_CLAIM.format(count=claimed, extra="tolerance = 2"))
    record = claims.check(store, claims.load(loose, store)).iloc[0]
    assert (record.verdict, record.tolerance, record.value) == ("supported", 2, africa_yes)


def test_symbol_missing_from_the_store_is_not_checkable(store, tmp_path):
    path = _write(
        tmp_path,
        '[[claim]]\nid = "x"\nkind = "vote"\ncountry = "IND"\nsymbol = "A/RES/ES-11/99"\n'
        'vote = "abstain"\n',
    )
    record = claims.check(store, claims.load(path, store)).iloc[0]
    assert record.verdict == "not checkable"
    assert "A/RES/ES-11/99" in record.explanation


def test_year_beyond_the_gap_is_not_checkable(store, tmp_path):
    (last,) = store.fetchone("SELECT max(year) FROM trade_flows")
    path = _write(
        tmp_path,
        f'[[claim]]\nid = "far"\nkind = "trade_share"\ncountry = "CHL"\npartner = "CHN"\n'
        f"year = {last + 4}\npercent = 30\n",
    )
    record = claims.check(store, claims.load(path, store)).iloc[0]
    assert record.verdict == "not checkable" and pd.isna(record.value)
    # a wider gap brings the nearest year in as context, still without a verdict
    widened = _write(tmp_path, path.read_text() + "max_year_gap = 4\n")
    record = claims.check(store, claims.load(widened, store)).iloc[0]
    assert (record.verdict, record.year_used) == ("not checkable", last)
    assert record.value > 0


# --- bad files: every problem located, nothing computed --------------------------------


def _problems(path: Path, store=None) -> ClaimsFileError:
    with pytest.raises(ClaimsFileError) as info:
        claims.load(path, store)
    return info.value


def test_malformed_toml_names_file_and_line(tmp_path):
    path = _write(tmp_path, '[[claim]]\nid = "a"\nkind = = "vote"\n')
    error = _problems(path)
    assert str(path) in str(error)
    assert error.problems[0].line == 3


def test_every_problem_is_reported_with_claim_field_and_line(tmp_path):
    path = _write(
        tmp_path,
        """[[claim]]
id = "a"
kind = "rumour"

[[claim]]
id = "b"
kind = "trade_share"
country = "CHL"
partner = "CHN"
percent = "a lot"
colour = "red"

[[claim]]
id = "b"
kind = "vote"
country = "IND"
symbol = "A/RES/ES-11/1"
vote = "abstain"
tolerance = 1
""",
    )
    found = {(p.claim, p.field): p for p in _problems(path).problems}
    assert found[("a", "kind")].line == 3
    assert "rumour" in found[("a", "kind")].message
    assert found[("b", "year")].message == "missing (required)"
    assert found[("b", "percent")].line == 10
    assert found[("b", "colour")].line == 11
    assert "compared exactly" in found[("b", "tolerance")].message
    assert set(found) == {
        ("a", "kind"),
        ("b", "year"),
        ("b", "percent"),
        ("b", "colour"),
        ("b", "tolerance"),
    }


def test_duplicate_ids_and_one_of_fields(tmp_path):
    text = """[[claim]]
id = "g"
kind = "trade_growth"
partner = "CHN"
from_year = 2010
to_year = 2000
multiple = 2
"""
    found = {(p.claim, p.field): p.message for p in _problems(_write(tmp_path, text)).problems}
    assert "exactly one of region, country" in found[("g", "region")]
    assert "before to_year" in found[("g", "from_year")]
    twice = _write(tmp_path, (text.replace("to_year = 2000", "to_year = 2020")) * 2)
    text_region = twice.read_text().replace('partner = "CHN"', 'partner = "CHN"\ncountry = "CHL"')
    found = _problems(_write(tmp_path, text_region)).problems
    assert [(p.claim, p.field) for p in found] == [("g", "id")]


def test_unknown_country_and_region_are_checked_in_the_store(store, tmp_path):
    path = _write(
        tmp_path,
        """[[claim]]
id = "c"
kind = "debt_to_china"
country = "XXZ"
year = 2017
usd = 1e9

[[claim]]
id = "r"
kind = "vote_count"
symbol = "A/RES/ES-11/1"
region = "Atlantis"
vote = "yes"
count = 1
""",
    )
    found = {(p.claim, p.field): p for p in _problems(path, store).problems}
    assert "XXZ" in found[("c", "country")].message and found[("c", "country")].line == 4
    assert "Atlantis" in found[("r", "region")].message


def test_cli_bad_file_exits_2_and_prints_nothing_on_stdout(store_path, tmp_path):
    path = _write(
        tmp_path,
        '[[claim]]\nid = "ok"\nkind = "vote"\ncountry = "IND"\nsymbol = "A/RES/ES-11/1"\n'
        'vote = "abstain"\n\n[[claim]]\nid = "bad"\nkind = "vote"\ncountry = "IND"\n',
    )
    result = runner.invoke(app, ["check", str(path), "--db", str(store_path), "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'bad'" in result.stderr and "'symbol'" in result.stderr and str(path) in result.stderr


def test_cli_missing_file_exits_2(store_path, tmp_path):
    missing = tmp_path / "nope.toml"
    result = runner.invoke(app, ["check", str(missing), "--db", str(store_path)])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


# --- the rules on their own ------------------------------------------------------------


def test_nearest_year_by_hand():
    assert nearest_year([2000, 2017], 2018, 3) == 2017
    assert nearest_year([2014, 2016], 2015, 3) == 2014  # tie: the earlier year
    assert nearest_year([2017], 2021, 3) is None
    assert nearest_year([], 2000, 3) is None


@given(
    st.lists(st.integers(1950, 2030), max_size=20),
    st.integers(1940, 2040),
    st.integers(0, 10),
)
def test_nearest_year_properties(years, claimed, gap):
    chosen = nearest_year(years, claimed, gap)
    close = [y for y in years if abs(y - claimed) <= gap]
    if not close:
        assert chosen is None
    else:
        assert chosen in years
        assert all(abs(chosen - claimed) <= abs(y - claimed) for y in years)


def test_tolerance_by_hand():
    assert within(27.5, 25, 2.5, "percentage points")
    assert not within(27.6, 25, 2.5, "percentage points")
    assert within(3.7949, 4, 0.10, "relative")  # 5.1 percent below
    assert not within(3.5, 4, 0.10, "relative")  # 12.5 percent below
    assert verdict(19.85, 25, 2.0, "percentage points", "at_least") == "not supported"
    assert verdict(23.5, 25, 2.0, "percentage points", "at_least") == "supported"
    assert verdict(40, 25, 2.0, "percentage points", "at_most") == "not supported"


@given(
    st.floats(0.01, 1e6),
    st.floats(0.01, 1e6),
    st.floats(0, 1),
)
def test_about_is_at_least_and_at_most_together(value, claimed, tolerance):
    for unit in ("relative", "percentage points"):
        about = verdict(value, claimed, tolerance, unit) == "supported"
        both = all(
            verdict(value, claimed, tolerance, unit, bound) == "supported"
            for bound in ("at_least", "at_most")
        )
        assert about == both
