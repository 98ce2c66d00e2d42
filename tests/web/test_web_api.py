"""The JSON API on the real store: every endpoint, good and bad input, headers, limits."""

from __future__ import annotations

import itertools
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest
import schemathesis
import uvicorn
import vl_convert
from _synthetic import empty_tables
from conftest import EXAMPLES
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from nonaligned import alignment, engagement, query
from nonaligned.measures.votes import Selection
from nonaligned.session import Store
from nonaligned.store import write_store
from nonaligned.web import charts, create_app
from nonaligned.web.security import CSP


def important_ideal_points(store) -> pd.DataFrame:
    """The real ideal-point fit on important votes only, two bootstrap replicates: seconds,
    where the web app's default (every vote, 20 replicates) takes about a minute."""
    return alignment.ideal_points(store, Selection(important_only=True), n_boot=2, cache=False)


@pytest.fixture(scope="module")
def client(store_path: Path, mirror: Path, tmp_path_factory: pytest.TempPathFactory):
    app = create_app(
        Store(store_path),
        mirror=mirror,
        cache_dir=tmp_path_factory.mktemp("webcache"),
        fit_ideal_points=important_ideal_points,
    )
    with TestClient(app) as test_client:
        yield test_client


def _ready(client, url: str, timeout: float = 300):
    """GET ``url``, waiting out 202 "computing" answers (the index's background fit)."""
    deadline = time.monotonic() + timeout
    while (response := client.get(url)).status_code == 202:
        assert "s so far" in response.json()["message"]  # the fit's progress is shown
        assert time.monotonic() < deadline, f"{url} still computing after {timeout} s"
        time.sleep(0.5)
    return response


def _message(response) -> str:
    body = response.json()
    assert set(body) >= {"message", "status"} and body["status"] == response.status_code
    return body["message"]


def test_countries_match_the_library(client, store):
    body = client.get("/api/countries").json()
    expected = query.countries(store)
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
        ("/api/charts/compare?countries=BRA1IND", 400),
        ("/api/charts/compare?countries=BRA,IND,ZAF,CHN,RUS,USA,FRA", 400),
        ("/api/charts/compare?countries=BRA,ZZZ", 404),
        ("/api/charts/compare?countries=BRA&partner=ZZZ", 404),
        ("/api/agreement/BRA/BRA", 400),
        ("/api/nothing-here", 404),
    ],
)
def test_bad_input_is_a_json_4xx(client, url, status):
    response = client.get(url)
    assert response.status_code == status, response.text
    assert _message(response)


def test_resolution_es11_1_matches_the_library(client, store):
    body = client.get("/api/resolutions", params={"symbol": "A/RES/ES-11/1"}).json()
    votes = query.resolution_votes(store, "A/RES/ES-11/1")
    assert body["totals"] == query.vote_totals(votes)
    assert len(body["votes"]) == len(votes)
    assert body["by_region"][-1]["un_region"] == "World"
    # the symbol can also be given url-encoded
    encoded = client.get("/api/resolutions?symbol=A%2FRES%2FES-11%2F1").json()
    assert encoded["totals"] == body["totals"]


def test_resolution_symbols_ignore_case_and_offer_every_roll_call(client, store):
    symbol = store.fetchone(
        "SELECT symbol FROM roll_calls WHERE symbol IS NOT NULL "
        "GROUP BY symbol HAVING count(*) > 1 ORDER BY symbol LIMIT 1"
    )[0]
    calls = query.roll_calls_for_symbol(store, symbol)
    body = client.get("/api/resolutions", params={"symbol": symbol.lower()}).json()
    assert body["symbol"] == symbol
    assert [c["roll_call_id"] for c in body["roll_calls"]] == list(calls.roll_call_id)
    other = int(calls.roll_call_id.iloc[0])
    chosen = client.get("/api/resolutions", params={"symbol": symbol, "roll_call": other}).json()
    assert chosen["roll_call_id"] == other
    assert chosen["totals"] == query.vote_totals(query.resolution_votes(store, symbol, other))


def test_trade_matches_the_library(client, store):
    from nonaligned import exposure

    body = client.get("/api/trade/CHL?year=2020").json()
    expected = exposure.trade(store, "CHL", 2020)
    assert [r["partner"] for r in body] == list(expected.partner)
    assert [r["share"] for r in body] == pytest.approx(list(expected.share))


def test_map_is_each_states_agreement_with_the_pole(client, store):
    from nonaligned import alignment

    body = client.get("/api/map?year=2022&pole=CHN").json()
    dyads = alignment.dyads(store, 2022)
    bra = dyads[(dyads.iso3_a == "BRA") & (dyads.iso3_b == "CHN")].agreement.iloc[0]
    row = next(r for r in body if r["iso3"] == "BRA")
    assert row["agreement"] == pytest.approx(bra)
    assert row["id"] == "076"  # world-atlas ids are zero-padded ISO numeric codes
    assert all(r["iso3"] != "CHN" for r in body)


def test_alignment_and_its_chart(client, store):
    body = client.get("/api/alignment/BRA").json()
    assert {r["pole"] for r in body} == {"USA", "CHN", "RUS", "EU"}
    spec = client.get("/api/charts/agreement/BRA").json()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    # the chart's rows (its table and CSV) are the API's, every digit
    rows = spec["usermeta"]["rows"]
    assert [(r["year"], r["pole"], r["agreement"]) for r in rows] == [
        (r["year"], r["pole"], r["agreement"]) for r in body
    ]


def test_json_keeps_every_digit(client, store):
    """As the CLI's --format json: pandas' JSON writer kept ten decimals."""
    body = client.get("/api/alignment/BRA").json()
    expected = alignment.alignment(store, "BRA")
    assert [r["agreement"] for r in body] == [None if pd.isna(x) else x for x in expected.agreement]
    assert any(len(repr(r["agreement"])) > 12 for r in body)  # more than ten decimals to keep


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
    response = _ready(client, url)
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


def test_map_opens_on_the_last_year_with_trade(client, store):
    """Later years have no trade, so their classes rest on votes alone; the map opens earlier."""
    (last_trade,) = store.fetchone("SELECT max(year) FROM trade_flows")
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
    app = create_app(Store(tmp_path / "missing.duckdb"), mirror=mirror, cache_dir=tmp_path)
    with TestClient(app) as test_client:
        response = test_client.get("/api/countries")
    assert response.status_code == 503
    assert "nonaligned build" in _message(response)


def test_openapi_lists_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/countries", "/api/resolutions", "/api/alignment/{iso3}", "/api/map"} <= set(paths)
    for path, operations in paths.items():  # the 4xx the API really answers are documented
        for operation in operations.values():
            documented = set(operation["responses"])
            assert {"400", "404", "503"} <= documented, path
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in documented, path
    assert "413" in paths["/api/offers/evaluate"]["post"]["responses"]


def test_index_endpoints_match_the_library(client, store):
    from nonaligned import index

    body = _ready(client, "/api/index?year=2022&axis=west-russia").json()
    expected = index.country_index(store, year=2022, axis="west-russia", n_boot=0)
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
    spec = _ready(client, f"/api/charts/map?year=2010&colour={colour}").json()
    shaded = spec["layer"][1]
    field = {"class": "class", "lean": "lean", "agreement": "agreement"}[colour]
    assert shaded["encoding"]["color"]["field"] == field


EXAMPLE_OFFERS = EXAMPLES / "offers"


def test_offers_evaluate_matches_the_strategy_desk(client, store):
    from nonaligned.strategy import evaluate

    text = (EXAMPLE_OFFERS / "kenya_port.toml").read_text(encoding="utf-8")
    response = client.post("/api/offers/evaluate", json={"toml": text, "discount_rate": 0.05})
    assert response.status_code == 200, response.text
    body = response.json()
    expected = evaluate.evaluate(store, text, 0.05)
    assert [r["offer_id"] for r in body["evaluation"]] == list(expected.offer_id)
    assert [r["grant_element"] for r in body["evaluation"]] == pytest.approx(
        list(expected.grant_element)
    )
    assert len(body["schedules"]) == len(evaluate.schedules(store, text))
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
        Store(store_path),
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
    tables = empty_tables()
    row = dict.fromkeys(tables["countries"].columns)
    row.update(iso3="AAA", iso2="AA", iso_numeric=1, name=name, historical=False)
    tables["countries"] = pd.DataFrame([row])
    return tables


def test_readers_keep_answering_during_a_rebuild(tmp_path, mirror):
    path = tmp_path / "store.duckdb"
    write_store(path, _tiny_store("Before"))
    app = create_app(Store(path), mirror=mirror, cache_dir=tmp_path)
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


def test_ideal_points_are_computed_in_the_background(client, store):
    first = client.get("/api/idealpoints/IND")
    if first.status_code == 202:  # the fit runs in the background; the request did not wait
        assert "ask again" in first.json()["message"]
    deadline = time.monotonic() + 120
    while (response := client.get("/api/idealpoints/IND")).status_code == 202:
        assert time.monotonic() < deadline, "the ideal points never arrived"
        time.sleep(0.5)
    assert response.status_code == 200
    expected = important_ideal_points(store)
    expected = expected[expected.iso3 == "IND"]
    assert [r["year"] for r in response.json()] == list(expected.year)
    assert [r["ideal_point"] for r in response.json()] == pytest.approx(list(expected.ideal_point))
    spec = client.get("/api/charts/idealpoint/IND").json()
    assert spec["layer"][0]["mark"]["type"] == "area"  # the 95% band
    assert client.get("/api/idealpoints/ZZZ").status_code == 404


# --- issue 14: a server that stays up, honest marks, a linked explorer ---------------------


def test_unknown_query_parameters_do_not_enter_the_memo(client):
    client.get("/api/countries")
    before = len(client.app.state.store.memo)
    for n in range(300):  # more than the memo holds: junk used to evict every real entry
        assert client.get(f"/api/countries?junk={n}").status_code == 200
    assert len(client.app.state.store.memo) == before


def test_static_assets_are_gzipped(client):
    for url in ["/vendor/vega-bundle.js", "/static/common.js", "/geo/countries-110m.json"]:
        with client.stream("GET", url, headers={"accept-encoding": "gzip"}) as response:
            raw = b"".join(response.iter_raw())
            assert response.headers["content-encoding"] == "gzip", url
            assert response.headers["x-content-type-options"] == "nosniff"
        plain = client.get(url, headers={"accept-encoding": "identity"}).content
        assert len(raw) < len(plain) / 2, (url, len(raw), len(plain))


def test_six_parallel_cold_requests_never_fail(store_path, mirror, tmp_path):
    """A fresh app (empty memo): six first-time index years at once, then the map page."""
    app = create_app(Store(store_path), mirror=mirror, cache_dir=tmp_path)
    with TestClient(app) as fresh:
        _ready(fresh, "/api/index?year=2000")  # the background fit, shared by every year

        def ask(year: int) -> int:
            return fresh.get(f"/api/index?year={year}").status_code

        with ThreadPoolExecutor(6) as pool:
            statuses = list(pool.map(ask, range(1990, 1996)))
    assert statuses == [200] * 6


def test_server_answers_within_two_seconds_while_the_index_fit_runs(store_path, mirror, tmp_path):
    """From the app's creation to its first answered page over a real socket: at most 2 s,
    with the index's fit running (held in its slot here, so that it costs no CPU). Until
    the fit is done, index answers are 202 with its progress; others are answered."""
    started = time.monotonic()
    app = create_app(Store(store_path), mirror=mirror, cache_dir=tmp_path)
    release = threading.Event()
    app.state.jobs.start((app.state.store.identity(), "index ideal points"), release.wait)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                first = httpx.get(base + "/", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() - started < 10, "the server never listened"
                time.sleep(0.02)
        elapsed = time.monotonic() - started
        assert first.status_code == 200 and elapsed <= 2, elapsed
        computing = httpx.get(base + "/api/charts/map?year=2000&colour=class", timeout=5)
        assert computing.status_code == 202 and "s so far" in computing.json()["message"]
        agreement = httpx.get(base + "/api/charts/map?year=2000&colour=agreement", timeout=30)
        assert agreement.status_code == 200
    finally:
        release.set()
        server.should_exit = True
        thread.join(timeout=10)


def _headers_ok(response) -> None:
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-frame-options"] == "DENY"


def test_an_unexpected_error_is_a_json_500_with_the_security_headers(store_path, mirror, tmp_path):
    def broken(store):
        raise ZeroDivisionError("a bug")

    app = create_app(Store(store_path), mirror=mirror, cache_dir=tmp_path, fit_ideal_points=broken)
    with TestClient(app, raise_server_exceptions=False) as fresh:
        deadline = time.monotonic() + 30
        while (response := fresh.get("/api/idealpoints/IND")).status_code == 202:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    assert response.status_code == 500
    _headers_ok(response)
    assert response.json() == {"message": _message(response), "status": 500}


LOAN = """country = "KEN"
project = "p"
[[offers]]
id = "a"
partner = "CHN"
kind = "loan"
amount_usd = 500_000_000
interest_rate = {rate}
maturity_years = {maturity}
grace_years = 5
repayment = "annuity"
payments_per_year = {ppy}
"""


@pytest.mark.parametrize(
    ("toml", "discount", "status"),
    [
        (LOAN.format(rate=0.03, maturity=50, ppy=12), 0.05, 200),  # monthly, 50 years: 600 rows
        (LOAN.format(rate=0.03, maturity=20, ppy=1_000_000_000), 0.05, 400),
        (LOAN.format(rate=0.03, maturity=1000, ppy=12), 0.05, 400),
        (LOAN.format(rate=3, maturity=20, ppy=2), 0.05, 400),  # 300 percent: a typo
        (
            LOAN.format(rate=0.03, maturity=20, ppy=2)
            + "disbursement = ["
            + ", ".join(["0.001"] * 1000)
            + "]\n",
            0.99,
            400,
        ),
        ("a = " + "[" * 5000 + "]" * 5000, 0.05, 400),  # nested beyond tomllib's recursion
    ],
)
def test_offers_are_bounded(client, toml, discount, status):
    response = client.post("/api/offers/evaluate", json={"toml": toml, "discount_rate": discount})
    assert response.status_code == status, response.text
    _headers_ok(response)
    if status == 200:
        assert len(response.json()["schedules"]) <= 1200
    else:
        assert _message(response)


def test_implausible_terms_are_warned_not_refused(client):
    text = LOAN.format(rate=0.35, maturity=60, ppy=2)
    body = client.post("/api/offers/evaluate", json={"toml": text}).json()
    assert len(body["evaluation"]) == 1
    assert any("35%" in w for w in body["warnings"])
    assert any("60 years" in w for w in body["warnings"])
    plain = client.post(
        "/api/offers/evaluate", json={"toml": LOAN.format(rate=0.03, maturity=20, ppy=2)}
    )
    assert plain.json()["warnings"] == []


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# Machado, Oliveira and Fernandes (2009), severity 1, on linear RGB
PROTANOPIA = np.array(
    [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ]
)
DEUTERANOPIA = np.array(
    [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ]
)


def _lab(colour: str, vision: np.ndarray) -> np.ndarray:
    channels = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    x = xyz @ np.clip(vision @ linear, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(x > 0.008856, np.cbrt(x), 7.787 * x + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize(
    "palette", [charts.CLASS_COLOURS, charts.POLE_COLOURS, charts.VOTE_COLOURS, charts.OKABE_ITO]
)
def test_palettes_contrast_and_stay_apart_for_colour_blind_readers(palette):
    colours = list(palette.values()) if isinstance(palette, dict) else palette
    for colour in colours:  # WCAG 2 contrast of a mark on the white page
        assert 1.05 / (_luminance(colour) + 0.05) >= 3, colour
    for vision in (np.eye(3), PROTANOPIA, DEUTERANOPIA):
        for a, b in itertools.combinations(colours, 2):  # CIE76 delta-E; the old palette: 4.6
            assert np.linalg.norm(_lab(a, vision) - _lab(b, vision)) > 10, (a, b)


def _svg_paths(spec: dict) -> list[str]:
    return re.findall(r'<path[^>]* d="(M[^"]*)"', vl_convert.vegalite_to_svg(spec))


def test_lines_break_across_years_without_data(client, store):
    """South Africa did not vote from 1974 to 1994: its lines stop and start again."""
    years = set(alignment.alignment(store, "ZAF").year)
    assert 1980 not in years and {1973, 1995} <= years
    spec = client.get("/api/charts/agreement/ZAF").json()
    lines = [d for d in _svg_paths(spec) if d.count("L") > 5]
    assert lines and all(d.count("M") >= 2 for d in lines)  # each pole's line is broken


def test_points_on_fewer_than_ten_votes_are_not_plotted(client, store):
    table = alignment.alignment(store, "SOM")
    few = table[(table.n_votes < charts.MIN_VOTES) & table.agreement.notna()]
    assert len(few), "Somalia has years with few votes in the record"
    spec = client.get("/api/charts/agreement/SOM").json()
    scene = vl_convert.vegalite_to_scenegraph(spec)["scenegraph"]
    points = 0

    def walk(node):
        nonlocal points
        if node.get("marktype") == "symbol" and node.get("role") == "mark":
            points += len(node["items"])
        for item in node.get("items", []):
            if isinstance(item, dict):
                walk(item)

    walk(scene)
    assert points == int((table.agreement.notna() & (table.n_votes >= charts.MIN_VOTES)).sum())
    # ...but they stay in the table and the CSV, where n_votes says why
    rows = {(r["year"], r["pole"]) for r in spec["usermeta"]["rows"]}
    assert set(zip(few.year, few.pole, strict=True)) <= rows


def test_provisional_years_are_labelled(client, store):
    counts = query.coverage(store).groupby("year").roll_calls.sum()
    last = int(counts.index.max())
    assert counts[last] < charts.MIN_ROLL_CALLS  # the mirror's last session is partial
    spec = client.get(f"/api/charts/map?year={last}&colour=agreement").json()
    assert "provisional" in spec["title"]
    rows = client.get("/api/charts/agreement/BRA").json()["usermeta"]["rows"]
    assert {r["year"] for r in rows if r["provisional"]} == {
        int(y) for y in counts[counts < charts.MIN_ROLL_CALLS].index
    } & {r["year"] for r in rows}
    listed = re.search(r'data-provisional="([^"]*)"', client.get("/").text).group(1)
    assert str(last) in listed.split(",")  # the slider labels it


def test_classes_and_tooltips_read_as_words_and_rounded_numbers(client):
    spec = _ready(client, "/api/charts/map?year=2010&colour=class").json()
    classes = {r["class"] for r in spec["usermeta"]["rows"]} - {None}
    assert classes and classes <= set(charts.CLASS_NAMES.values())
    for layer in spec["layer"][1:]:
        for tip in layer["encoding"]["tooltip"]:
            if isinstance(tip, dict) and tip.get("type") == "quantitative":
                assert "format" in tip or tip["field"] == "n_votes", tip


def test_country_search(client):
    for q, target in [
        ("india", "/country/IND"),
        ("India (IND)", "/country/IND"),
        ("bra", "/country/BRA"),
    ]:
        response = client.get("/country", params={"q": q}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == target, q
    listing = client.get("/country", params={"q": "guin"})
    assert listing.status_code == 200 and 'href="/country/PNG"' in listing.text
    assert client.get("/country", params={"q": "atlantis"}).status_code == 404
    everything = client.get("/country")
    assert everything.text.count('href="/country/') > 190  # every country, reachable by keyboard
    assert 'list="country-options"' in client.get("/offers").text  # the search is on every page


def test_compare_accepts_what_people_type_with_one_error(client):
    specs = [
        client.get("/api/charts/compare", params={"countries": "bra, ind", "pole": pole}).json()
        for pole in ("USA", "CHN")
    ]
    scales = [s["layer"][0]["encoding"]["color"]["scale"] for s in specs]
    assert scales[0] == scales[1] and scales[0]["domain"] == ["BRA", "IND"]  # stable colours
    page = client.get("/compare", params={"countries": "bra ind"})
    assert page.status_code == 200 and 'data-countries="BRA,IND"' in page.text
    bad = client.get("/compare", params={"countries": "B1A, IND"})
    assert bad.status_code == 400 and bad.text.count('role="alert"') == 1
    assert 'data-countries=""' in bad.text  # no chart asks the API and fails again


def test_agreement_of_any_two_countries_matches_the_dyads(client, store):
    body = client.get("/api/agreement/bra/ind").json()
    dyads = alignment.dyads(store, 2000)
    expected = dyads[(dyads.iso3_a == "BRA") & (dyads.iso3_b == "IND")].iloc[0]
    row = next(r for r in body if r["year"] == 2000)
    assert row["agreement"] == expected.agreement and row["n_votes"] == expected.n_votes
    spec = client.get("/api/charts/compare", params={"countries": "BRA IND", "partner": "chn"})
    assert spec.json()["title"] == "Agreement with CHN"


def test_several_countries_ideal_points_on_one_chart(client):
    deadline = time.monotonic() + 120
    while (response := client.get("/api/charts/idealpoints?countries=BRA,IND")).status_code == 202:
        assert time.monotonic() < deadline
        time.sleep(0.5)
    rows = response.json()["usermeta"]["rows"]
    assert {r["country"] for r in rows} == {"BRA", "IND"}


def test_us_engagement_is_one_sided_evidence(client, store):
    body = client.get("/api/engagement/AGO").json()
    assert body["note"] == engagement.ONE_SIDED
    assert len(body["trips"]) == len(engagement.us_trips(store, "AGO")) > 0
    assert "one-sided" in body["chart"]["title"]


def test_notable_votes_link_a_profile_to_resolutions(client, store):
    body = client.get("/api/countries/IND/notable-votes").json()
    symbols = {r["symbol"] for r in body}
    assert "A/RES/ES-11/1" in symbols
    votes = query.resolution_votes(store, "A/RES/ES-11/1")
    assert (
        next(r for r in body if r["symbol"] == "A/RES/ES-11/1")["vote"]
        == (votes.set_index("iso3").vote["IND"])
    )


def test_footer_says_how_far_each_component_reaches(client, store):
    """The brief's line on every page, and the same figures from the API, read by hand here."""
    (votes,) = store.fetchone("SELECT max(date) FROM roll_calls")
    (trade,) = store.fetchone("SELECT max(year) FROM trade_flows")
    page = client.get("/offers").text
    assert f"UN General Assembly recorded votes {votes.isoformat()}" in page
    assert f"goods trade with each partner {trade}" in page
    rows = {r["component"]: r for r in client.get("/api/coverage").json()}
    assert rows["votes"]["last_date"] == votes.isoformat() and rows["trade"]["last_year"] == trade


def test_outlines_come_from_the_store_without_a_mirror(store_path, tmp_path):
    app = create_app(
        Store(store_path), mirror=tmp_path / "no-mirror", cache_dir=tmp_path, offline=True
    )
    with TestClient(app) as fresh:
        response = fresh.get("/geo/countries-110m.json")
    assert response.status_code == 200 and response.json()["type"] == "Topology"


def test_resolution_browser_finds_roll_calls_by_year_and_words(client, store):
    body = client.get("/api/roll-calls", params={"year": 2022, "q": "  UKRAINE "}).json()
    expected = query.find_roll_calls(store, 2022, "ukraine")
    assert [r["roll_call_id"] for r in body] == list(expected.roll_call_id)
    assert "A/RES/ES-11/1" in {r["symbol"] for r in body}
    assert all("ukraine" in (r["title"] + r["symbol"]).lower() for r in body)
    assert {r["year"] for r in client.get("/api/roll-calls?year=1971").json()} == {1971}
    assert client.get("/api/roll-calls").status_code == 400  # neither a year nor words
