"""The web app in a real browser: Playwright driving Debian's headless Chromium.

Every test fails on a console error, an uncaught page error, or any request
to an address other than the local server (requests are intercepted and
aborted). Screenshots go to each test's pytest output folder; with
``NONALIGNED_SCREENSHOTS=docs/img`` the map and profile shots are also
written there for the README (docs/img/map.png, docs/img/country.png).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn

from nonaligned import alignment
from nonaligned.measures.votes import Selection
from nonaligned.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
README_SHOTS = {"map", "country"}  # copied to $NONALIGNED_SCREENSHOTS (docs/img for the README)
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
        store_path,
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
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser, server, tmp_path: Path):
    """A page that records console errors and aborts every non-local request."""
    local = urlsplit(server).netloc
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)

    def guard(route):
        if urlsplit(route.request.url).netloc == local or route.request.url.startswith("data:"):
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
