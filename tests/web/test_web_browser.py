"""The web app in a real browser: Playwright driving Debian's headless Chromium.

Every test fails on a console error, an uncaught page error, or any request
to an address other than the local server (requests are intercepted and
aborted). Screenshots go to each test's pytest output folder; with
``NONALIGNED_SCREENSHOTS=docs/img`` the map and profile shots are also
written there for the README (docs/img/map.png, docs/img/country.png).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from conftest import ROOT

from nonaligned import alignment
from nonaligned.measures.votes import Selection
from nonaligned.session import Store
from nonaligned.web import create_app
from nonaligned.web.report import CHROMIUM_ARGS

CHROMIUM = Path("/usr/bin/chromium")
README_SHOTS = {
    "map",
    "country",
    "map-phone",
    "country-phone",
}  # copied to $NONALIGNED_SCREENSHOTS (docs/img for the README)
TIMEOUT_MS = 120_000  # the first agreement trajectory computes the whole vote record

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium package")


def important_ideal_points(con):
    """The real ideal-point fit on important votes, two bootstrap replicates (seconds)."""
    return alignment.ideal_points(con, Selection(important_only=True), n_boot=2, cache=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(store_path: Path, mirror: Path, tmp_path_factory: pytest.TempPathFactory):
    app = create_app(
        Store(store_path),
        mirror=mirror,
        cache_dir=tmp_path_factory.mktemp("webcache"),
        fit_ideal_points=important_ideal_points,
    )
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        if time.monotonic() > deadline:
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        yield launched
        launched.close()


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@contextlib.contextmanager
def _tab(browser, server: str, viewport: dict[str, int]):
    """A page that records console errors and aborts every non-local request."""
    local = urlsplit(server).netloc
    problems: list[str] = []
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)

    def guard(route):
        if urlsplit(route.request.url).netloc == local or route.request.url.startswith(
            ("data:", "blob:")
        ):
            route.continue_()
        else:
            problems.append(f"request to a non-local address: {route.request.url}")
            route.abort()

    tab.route("**/*", guard)
    tab.expected_errors = []  # type: ignore[attr-defined]  # substrings a test provokes on purpose

    def console(message) -> None:
        if message.type == "error" and not any(e in message.text for e in tab.expected_errors):
            problems.append(f"console: {message.text}")

    tab.on("console", console)
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.base = server  # type: ignore[attr-defined]
    yield tab
    context.close()
    assert not problems, problems


@pytest.fixture()
def page(browser, server):
    with _tab(browser, server, DESKTOP) as tab:
        yield tab


@pytest.fixture()
def phone(browser, server):
    with _tab(browser, server, PHONE) as tab:
        yield tab


def _shoot(tab, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    target = os.environ.get("NONALIGNED_SCREENSHOTS")
    if target and name in README_SHOTS:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(target) / path.name)
    return path


def _rendered(tab, selector: str) -> None:
    tab.wait_for_selector(f'{selector}[data-rendered="true"] canvas')


def test_map_year_change_and_click_to_profile(page, tmp_path):
    page.goto(page.base + "/?year=2022")
    _rendered(page, "#map")
    assert page.locator("#map").get_attribute("data-year") == "2022"
    # change the year with the slider: the map is redrawn for 1990
    page.locator("#year").fill("1990")
    page.locator("#year").dispatch_event("change")
    page.wait_for_selector('#map[data-year="1990"][data-rendered="true"] canvas')
    assert page.locator("#year-label").inner_text() == "1990"
    page.locator("#year").fill("2022")
    page.locator("#year").dispatch_event("change")
    page.wait_for_selector('#map[data-year="2022"][data-rendered="true"] canvas')
    # colour by lean, then back to the index class
    for colour in ("lean", "class"):
        page.locator("#colour").select_option(colour)
        page.wait_for_selector(f'#map[data-colour="{colour}"][data-rendered="true"] canvas')
    _shoot(page, tmp_path, "map")
    # click India on the map
    _click_country(page, "IND")
    page.wait_for_url("**/country/IND")
    for chart in ("#index", "#agreement", "#trade", "#idealpoint"):
        _rendered(page, chart)
    assert "India" in page.locator("#country-name").inner_text()
    _shoot(page, tmp_path, "country")


def _click_country(tab, iso3: str) -> None:
    """Click the map at the centroid of ``iso3``'s shape, located by the Vega view."""
    xy = tab.evaluate(
        """(iso3) => {
            const view = document.querySelector('#map').vegaView;
            const items = [];
            (function walk(node) {
                if (node.items) node.items.forEach(walk);
                if (node.datum && node.datum.iso3 === iso3 && node.bounds) items.push(node);
            })(view.scenegraph().root);
            const b = items[0].bounds;
            const origin = view.origin();
            const box = view.container().querySelector('canvas').getBoundingClientRect();
            const x = box.left + origin[0] + (b.x1 + b.x2) / 2;
            return [x, box.top + origin[1] + (b.y1 + b.y2) / 2];
        }""",
        iso3,
    )
    tab.mouse.click(*xy)


def test_resolution_page_es11_1(page, tmp_path):
    page.goto(page.base + "/resolution?symbol=A/RES/ES-11/1")
    _rendered(page, "#map")
    cells = page.locator("#totals tbody td").all_inner_texts()
    assert cells[:3] == ["141", "5", "35"]
    assert page.locator("#members tbody tr").count() > 150
    _shoot(page, tmp_path, "resolution")


def test_comparison_page(page, tmp_path):
    page.goto(page.base + "/compare?countries=BRA,IND")
    for pole in ("USA", "CHN", "RUS", "EU"):
        _rendered(page, f"#compare-{pole}")
    _shoot(page, tmp_path, "compare")


def test_offer_evaluator(page, tmp_path):
    page.goto(page.base + "/offers")
    page.locator("#evaluate").click()
    _rendered(page, "#schedule")
    rows = page.locator("#evaluation tbody tr")
    assert rows.count() == 2
    first = rows.nth(0).locator("td").all_inner_texts()
    assert first[0] == "lender-a-loan" and first[5].endswith("%")
    _shoot(page, tmp_path, "offers")
    # a malformed document is refused (the browser logs the 400) with its problems listed
    page.expected_errors.append("the server responded with a status of 400")
    page.locator("#document").fill('country = "XXX"\n[[offers]]\nid = "a"\n')
    page.locator("#evaluate").click()
    page.wait_for_selector("#problems li")
    assert "problem" in page.locator("#status").inner_text()
    # ...and the earlier results are gone, not left beside the error
    assert page.locator("#evaluation tbody tr").count() == 0
    assert page.locator("#schedule canvas").count() == 0
    assert page.locator("#schedule").get_attribute("data-rendered") == "false"


PAGES = {
    "map": ("/?year=2010", ["#map"]),
    "country": ("/country/ZAF", ["#index", "#agreement", "#trade", "#trips"]),
    "resolution": ("/resolution?symbol=A/RES/ES-11/1", ["#map"]),
    "resolutions": ("/resolutions?year=2022&q=ukraine", []),
    "compare": ("/compare?countries=BRA,%20IND", ["#compare-USA"]),
    "offers": ("/offers", []),
    "countries": ("/country?q=guin", []),
}

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"  # axe-core 4.14.1, npm
AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .filter((v) => ['serious', 'critical'].includes(v.impact))
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`)"""


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violation(page, name):
    """axe-core's automated check (WCAG rules: contrast, names, labels, landmarks...)."""
    url, charts = PAGES[name]
    page.goto(page.base + url)
    for chart in charts:
        _rendered(page, chart)
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the browser, not the page's CSP
    assert page.evaluate(AXE_RUN) == [], name


UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter((e) => !e.labels.length && !e.getAttribute('aria-label')).map((e) => e.outerHTML)"""


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_fits_a_phone_and_is_labelled(phone, tmp_path, name):
    url, charts = PAGES[name]
    phone.goto(phone.base + url)
    for chart in charts:
        _rendered(phone, chart)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide"
    for box in phone.locator("canvas").all():  # the legend is drawn inside, below the plot
        bounds = box.bounding_box()
        assert bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= PHONE["width"], name
    assert phone.locator('#status[aria-live="polite"]').count() == 1
    assert phone.evaluate(UNLABELLED) == []
    _shoot(phone, tmp_path, f"{name}-phone")


def test_search_then_profile_then_resolution_then_country_by_clicks(page):
    page.goto(page.base + "/resolution?symbol=A/RES/ES-11/1")
    page.locator("#country-search").click()
    page.wait_for_function("document.querySelectorAll('#country-options option').length > 190")
    page.locator("#country-search").fill("India (IND)")  # what picking the type-ahead enters
    page.locator("#country-search").press("Enter")
    page.wait_for_url("**/country/IND")
    page.get_by_role("link", name="A/RES/ES-11/1").click()
    page.wait_for_url("**/resolution?symbol=A%2FRES%2FES-11%2F1**")
    _rendered(page, "#map")
    page.locator("#members").get_by_role("link", name="Brazil", exact=True).click()
    page.wait_for_url("**/country/BRA")
    page.locator("#compare-link").click()
    page.wait_for_url("**/compare?countries=BRA**")
    _rendered(page, "#compare-USA")


def test_table_toggle_and_downloads_are_the_data_shown(page):
    page.goto(page.base + "/country/ZAF")
    _rendered(page, "#agreement")
    figure = page.locator("figure", has=page.locator("#agreement"))
    figure.get_by_role("button", name="Table").click()
    table = figure.locator("table.data-table")
    assert table.is_visible() and not page.locator("#agreement").is_visible()
    api = page.request.get(page.base + "/api/alignment/ZAF").json()
    assert table.locator("tbody tr").count() == len(api)
    with page.expect_download() as done:
        figure.get_by_role("button", name="CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(done.value.path()).read_text())))
    assert [(int(r["year"]), r["pole"]) for r in rows] == [(r["year"], r["pole"]) for r in api]
    for row, expected in zip(rows, api, strict=True):  # every digit, as the API gives it
        assert (float(row["agreement"]) if row["agreement"] else None) == expected["agreement"]
    for fmt in ("PNG", "SVG"):
        with page.expect_download() as done:
            figure.get_by_role("button", name=fmt).click()
        assert done.value.suggested_filename == f"agreement.{fmt.lower()}"
        assert Path(done.value.path()).stat().st_size > 1000
    assert "Source:" in figure.locator("figcaption").inner_text()


def test_map_state_is_a_permalink_and_the_year_plays(page):
    page.goto(page.base + "/?year=2000&colour=agreement&axis=west-russia&pole=RUS")
    page.wait_for_selector('#map[data-year="2000"][data-rendered="true"] canvas')
    assert page.locator("#colour").input_value() == "agreement"
    assert page.locator("#pole").input_value() == "RUS"
    page.locator("#pole").select_option("CHN")
    page.wait_for_function("location.search.includes('pole=CHN')")
    page.reload()
    page.wait_for_selector('#map[data-year="2000"][data-rendered="true"] canvas')
    assert page.locator("#pole").input_value() == "CHN"
    assert page.locator("#axis").input_value() == "west-russia"
    # play from the year before the last: the map steps to the last year, labelled provisional
    last = page.locator("#year").get_attribute("max")
    page.goto(page.base + f"/?year={int(last) - 1}&colour=agreement")
    _rendered(page, "#map")
    page.locator("#play").click()
    page.wait_for_selector(f'#map[data-year="{last}"][data-rendered="true"] canvas')
    page.wait_for_selector('#play[aria-pressed="false"]')
    assert "provisional" in page.locator("#year-label").inner_text()
    assert f"year={last}" in page.url


def test_map_has_a_keyboard_list_of_its_countries(page):
    page.goto(page.base + "/?year=2010&colour=agreement")
    _rendered(page, "#map")
    page.locator("figure").get_by_role("button", name="Table").focus()
    page.keyboard.press("Enter")
    links = page.locator("figure table.data-table a")
    assert links.count() > 150
    links.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/country/*")


def test_resolution_browser_leads_to_a_roll_call(page):
    page.goto(page.base + "/resolutions")
    page.get_by_label("Year").fill("2022")
    page.get_by_label("Words of the title or symbol").fill("ukraine")
    page.get_by_role("button", name="Find").click()
    page.wait_for_url("**/resolutions?year=2022&q=ukraine")
    page.locator("#roll-calls").get_by_role("link", name="A/RES/ES-11/1", exact=True).click()
    _rendered(page, "#map")
    assert page.locator("#totals tbody td").all_inner_texts()[:3] == ["141", "5", "35"]
    # a symbol with several roll calls: the picker offers each, and choosing one shows it
    page.goto(page.base + "/resolution?symbol=a/res/72/50")
    _rendered(page, "#map")
    options = page.locator("#roll-call option")
    assert options.count() > 1
    other = page.evaluate(
        "[...document.querySelectorAll('#roll-call option')].find((o) => !o.selected).value"
    )
    page.locator("#roll-call").select_option(other)
    page.wait_for_url(f"**roll_call={other}**")
    _rendered(page, "#map")
    assert page.locator("#title").inner_text() == "A/RES/72/50"
