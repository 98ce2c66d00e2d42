"""The JSON API on the real store: every endpoint, good and bad input, headers, limits."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from nonaligned import alignment, query
from nonaligned.measures.votes import Selection
from nonaligned.store import SCHEMA, write_store
from nonaligned.web import create_app
from nonaligned.web.security import CSP


def important_ideal_points(con) -> pd.DataFrame:
    """The real ideal-point fit on important votes only, two bootstrap replicates: seconds,
    where the web app's default (every vote, 20 replicates) takes about a minute."""
    return alignment.ideal_points(con, Selection(important_only=True), n_boot=2, cache=False)


@pytest.fixture(scope="module")
def client(store_path: Path, mirror: Path, tmp_path_factory: pytest.TempPathFactory):
    app = create_app(
        store_path,
        mirror=mirror,
        cache_dir=tmp_path_factory.mktemp("webcache"),
        fit_ideal_points=important_ideal_points,
    )
    with TestClient(app) as test_client:
        yield test_client


def _message(response) -> str:
    body = response.json()
    assert set(body) >= {"message", "status"} and body["status"] == response.status_code
    return body["message"]


def test_countries_match_the_library(client, con):
    body = client.get("/api/countries").json()
    expected = query.countries(con)
    assert [r["iso3"] for r in body] == list(expected.iso3)
    one = client.get("/api/countries/ind").json()
    assert one["iso3"] == "IND" and one["name"] == expected.set_index("iso3").name["IND"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/countries/XXX", 404),
        ("/api/countries/12", 422),
        ("/api/countries/INDIA", 422),
        ("/api/alignment/ZZZ", 404),
        ("/api/trade/ZZZ", 404),
        ("/api/trade/BRA?year=1800", 422),
        ("/api/trade/BRA?year=2025", 400),
        ("/api/map?year=1800", 422),
        ("/api/map?year=2022&pole=XXX", 422),
        ("/api/map?year=2099", 400),
        ("/api/resolutions", 422),
        ("/api/resolutions?symbol=A/RES/1/999", 404),
        ("/api/resolutions?symbol=<script>", 422),
        ("/api/charts/compare?countries=BRA;IND", 422),
        ("/api/charts/compare?countries=BRA,ZZZ", 404),
        ("/api/nothing-here", 404),
    ],
)
def test_bad_input_is_a_json_4xx(client, url, status):
    response = client.get(url)
    assert response.status_code == status, response.text
    assert _message(response)


def test_resolution_es11_1_matches_the_library(client, con):
    body = client.get("/api/resolutions", params={"symbol": "A/RES/ES-11/1"}).json()
    votes = query.resolution_votes(con, "A/RES/ES-11/1")
    assert body["totals"] == query.vote_totals(votes)
    assert len(body["votes"]) == len(votes)
    assert body["by_region"][-1]["un_region"] == "World"
    # the symbol can also be given url-encoded
    encoded = client.get("/api/resolutions?symbol=A%2FRES%2FES-11%2F1").json()
    assert encoded["totals"] == body["totals"]


def test_resolution_with_several_roll_calls_asks_to_choose(client, con):
    symbol = con.execute(
        "SELECT symbol FROM roll_calls WHERE symbol IS NOT NULL "
        "GROUP BY symbol HAVING count(*) > 1 ORDER BY symbol LIMIT 1"
    ).fetchone()[0]
    response = client.get("/api/resolutions", params={"symbol": symbol})
    assert response.status_code == 400
    assert "roll calls" in _message(response)


def test_trade_matches_the_library(client, con):
    from nonaligned import exposure

    body = client.get("/api/trade/CHL?year=2020").json()
    expected = exposure.trade(con, "CHL", 2020)
    assert [r["partner"] for r in body] == list(expected.partner)
    assert [r["share"] for r in body] == pytest.approx(list(expected.share))


def test_map_is_each_states_agreement_with_the_pole(client, con):
    from nonaligned import alignment

    body = client.get("/api/map?year=2022&pole=CHN").json()
    dyads = alignment.dyads(con, 2022)
    bra = dyads[(dyads.iso3_a == "BRA") & (dyads.iso3_b == "CHN")].agreement.iloc[0]
    row = next(r for r in body if r["iso3"] == "BRA")
    assert row["agreement"] == pytest.approx(bra)
    assert row["id"] == "076"  # world-atlas ids are zero-padded ISO numeric codes
    assert all(r["iso3"] != "CHN" for r in body)


def test_alignment_and_its_chart(client, con):
    body = client.get("/api/alignment/BRA").json()
    assert {r["pole"] for r in body} == {"USA", "CHN", "RUS", "EU"}
    spec = client.get("/api/charts/agreement/BRA").json()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    values = next(iter(spec["datasets"].values()))
    assert len(values) == len(body)


@pytest.mark.parametrize(
    "url",
    [
        "/api/charts/trade/CHL",
        "/api/charts/index/IND",
        "/api/charts/map?year=2022&pole=USA",
        "/api/charts/resolution?symbol=A/RES/ES-11/1",
        "/api/charts/compare?countries=BRA,IND&pole=EU",
    ],
)
def test_chart_specs_reference_only_local_data(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.text
    text = response.text
    urls = [u for u in text.split('"url":')[1:]]
    assert all(u.lstrip().startswith('"/') for u in urls)


def test_pages_and_assets_are_local(client):
    for url in ["/", "/?year=1990", "/country/IND", "/resolution?symbol=A/RES/ES-11/1", "/compare"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "http://" not in response.text and "https://" not in response.text
    topo = client.get("/geo/countries-110m.json")
    assert topo.status_code == 200 and topo.json()["type"] == "Topology"


def test_map_opens_on_the_last_year_with_trade(client, con):
    """Later years have no trade, so their classes rest on votes alone; the map opens earlier."""
    (last_trade,) = con.execute("SELECT max(year) FROM trade_flows").fetchone()
    assert f'data-year="{last_trade}"' in client.get("/").text
    assert 'data-year="1990"' in client.get("/?year=1990").text


def test_security_headers_on_every_response(client):
    for url in ["/", "/api/countries/IND", "/api/countries/XXX", "/static/style.css"]:
        headers = client.get(url).headers
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_no_request_path_reaches_the_filesystem(client):
    for url in ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/geo/../etc"]:
        response = client.get(url)
        assert response.status_code == 404, url


def test_request_body_limit(client):
    response = client.post("/api/countries", content=b"x" * (65 * 1024))
    assert response.status_code == 413
    assert "limit" in _message(response)


def test_no_store_is_a_503(tmp_path, mirror):
    app = create_app(tmp_path / "missing.duckdb", mirror=mirror, cache_dir=tmp_path)
    with TestClient(app) as test_client:
        response = test_client.get("/api/countries")
    assert response.status_code == 503
    assert "nonaligned build" in _message(response)


def test_openapi_lists_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/countries", "/api/resolutions", "/api/alignment/{iso3}", "/api/map"} <= set(paths)


def test_index_endpoints_match_the_library(client, con):
    from nonaligned import index

    body = client.get("/api/index?year=2022&axis=west-russia").json()
    expected = index.country_index(con, year=2022, axis="west-russia", n_boot=0)
    assert sorted(r["iso3"] for r in body) == sorted(expected.iso3)
    ind = next(r for r in body if r["iso3"] == "IND")
    assert ind["class"] == expected.set_index("iso3").loc["IND", "class"]
    profile = client.get("/api/index/IND").json()
    assert {r["axis"] for r in profile} == {"west-china", "west-russia"}
    assert client.get("/api/index?year=1964").status_code == 400  # no roll calls that year
    assert client.get("/api/index?year=2022&axis=north-south").status_code == 422
    assert client.get("/api/index/ZZZ").status_code == 404


@pytest.mark.parametrize("colour", ["class", "lean", "agreement"])
def test_map_chart_colours(client, colour):
    spec = client.get(f"/api/charts/map?year=2010&colour={colour}").json()
    shaded = spec["layer"][1]
    field = {"class": "class", "lean": "lean", "agreement": "agreement"}[colour]
    assert shaded["encoding"]["color"]["field"] == field


EXAMPLE_OFFERS = Path(__file__).resolve().parents[1] / "examples" / "offers"


def test_offers_evaluate_matches_the_strategy_desk(client, con):
    from nonaligned.strategy import evaluate

    text = (EXAMPLE_OFFERS / "kenya_port.toml").read_text(encoding="utf-8")
    response = client.post("/api/offers/evaluate", json={"toml": text, "discount_rate": 0.05})
    assert response.status_code == 200, response.text
    body = response.json()
    expected = evaluate.evaluate(con, text, 0.05)
    assert [r["offer_id"] for r in body["evaluation"]] == list(expected.offer_id)
    assert [r["grant_element"] for r in body["evaluation"]] == pytest.approx(
        list(expected.grant_element)
    )
    assert len(body["schedules"]) == len(evaluate.schedules(con, text))
    assert body["chart"]["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"toml": "country = "}, 400),  # not TOML
        ({"toml": 'country = "XXX"\nproject = "p"\n[[offers]]\nid = "a"\n'}, 400),
        ({"toml": "x", "discount_rate": 1.5}, 422),
        ({"toml": "x", "surprise": 1}, 422),
        ({"document": "x"}, 422),
        ({"toml": "x" * 40_000}, 422),
    ],
)
def test_malformed_offers_are_4xx(client, payload, status):
    response = client.post("/api/offers/evaluate", json=payload)
    assert response.status_code == status, response.text
    assert _message(response)


def test_offer_problems_are_listed(client):
    text = 'country = "XXX"\n[[offers]]\nid = "a"\nkind = "loan"\n'
    body = client.post("/api/offers/evaluate", json={"toml": text}).json()
    fields = {p["field"] for p in body["problems"]}
    assert {"country", "project", "partner", "amount_usd"} <= fields


def test_offers_body_must_be_json(client):
    response = client.post(
        "/api/offers/evaluate", content=b"not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


@pytest.fixture(scope="module")
def api_schema(store_path: Path, mirror: Path, tmp_path_factory: pytest.TempPathFactory):
    app = create_app(
        store_path,
        mirror=mirror,
        cache_dir=tmp_path_factory.mktemp("fuzzcache"),
        fit_ideal_points=important_ideal_points,
    )
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_schemathesis_finds_no_server_error(api_schema):
    """Generated requests (valid and invalid) against every operation: never a 5xx."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case):
            case.call_and_validate(checks=[not_a_server_error])

        no_server_error()


def _tiny_store(name: str) -> dict[str, pd.DataFrame]:
    """Every store table empty except one country called ``name``."""
    scratch = duckdb.connect()
    tables = {}
    for table, columns in SCHEMA.items():
        scratch.execute(f"CREATE TABLE {table} ({columns})")
        tables[table] = scratch.execute(f"SELECT * FROM {table}").df()
    scratch.close()
    row = dict.fromkeys(tables["countries"].columns)
    row.update(iso3="AAA", iso2="AA", iso_numeric=1, name=name, historical=False)
    tables["countries"] = pd.DataFrame([row])
    return tables


def test_readers_keep_answering_during_a_rebuild(tmp_path, mirror):
    path = tmp_path / "store.duckdb"
    write_store(path, _tiny_store("Before"))
    app = create_app(path, mirror=mirror, cache_dir=tmp_path)
    statuses: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        with TestClient(app) as own:
            while not stop.is_set():
                statuses.append(own.get("/api/countries/AAA").status_code)

    with TestClient(app) as main:
        assert main.get("/api/countries/AAA").json()["name"] == "Before"
        threads = [threading.Thread(target=reader) for _ in range(3)]
        for thread in threads:
            thread.start()
        for version in ("During", "After"):  # each build writes aside and renames over
            write_store(path, _tiny_store(version))
        time.sleep(0.2)
        stop.set()
        for thread in threads:
            thread.join()
        assert main.get("/api/countries/AAA").json()["name"] == "After"
    assert statuses and set(statuses) == {200}


def test_ideal_points_are_computed_in_the_background(client, con):
    first = client.get("/api/idealpoints/IND")
    if first.status_code == 202:  # the fit runs in the background; the request did not wait
        assert "ask again" in first.json()["message"]
    deadline = time.monotonic() + 120
    while (response := client.get("/api/idealpoints/IND")).status_code == 202:
        assert time.monotonic() < deadline, "the ideal points never arrived"
        time.sleep(0.5)
    assert response.status_code == 200
    expected = important_ideal_points(con)
    expected = expected[expected.iso3 == "IND"]
    assert [r["year"] for r in response.json()] == list(expected.year)
    assert [r["ideal_point"] for r in response.json()] == pytest.approx(list(expected.ideal_point))
    spec = client.get("/api/charts/idealpoint/IND").json()
    assert spec["layer"][0]["mark"]["type"] == "area"  # the 95% band
    assert client.get("/api/idealpoints/ZZZ").status_code == 404
