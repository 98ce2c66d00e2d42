"""The country brief (HTML and PDF) and the ``serve``/``report`` commands."""

from __future__ import annotations

import html
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

import nonaligned
from nonaligned import query
from nonaligned.cli import app
from nonaligned.errors import QueryError
from nonaligned.web.report import chromium, country_brief, print_pdf


@pytest.fixture(scope="module")
def angola(store_path: Path) -> str:
    with nonaligned.open(store_path) as store:
        return country_brief(store, "ago")


def test_brief_is_self_contained_with_charts_sources_and_citations(angola, store):
    assert "<h1>Angola (AGO)</h1>" in angola
    # index profile, ideal point, agreement with the poles, trade shares, US trips
    assert angola.count('src="data:image/png;base64,') == 5
    assert "Active nonalignment: lean and class by year" in angola
    assert 'src="http' not in angola and "<script" not in angola and "<link" not in angola
    text = html.unescape(angola)
    for citation in query.citations(store):
        assert citation in text
    for source in query.sources(store).source:
        assert f"<td>{source}</td>" in angola


def test_brief_of_unknown_country_is_refused(store):
    with pytest.raises(QueryError, match="unknown country"):
        country_brief(store, "XXX")


@pytest.mark.skipif(chromium() is None, reason="needs Chromium to print")
def test_brief_prints_to_pdf(angola, tmp_path):
    page = tmp_path / "ago.html"
    page.write_text(angola, encoding="utf-8")
    print_pdf(page, tmp_path / "ago.pdf")
    assert (tmp_path / "ago.pdf").read_bytes().startswith(b"%PDF")


def test_report_command(store_path, tmp_path):
    runner = CliRunner()
    out = tmp_path / "chl.html"
    done = runner.invoke(app, ["report", "CHL", "--out", str(out), "--db", str(store_path)])
    assert done.exit_code == 0, done.output
    assert "Chile (CHL)" in out.read_text(encoding="utf-8")
    unknown = tmp_path / "xxx.html"
    bad = runner.invoke(app, ["report", "XXX", "--out", str(unknown), "--db", str(store_path)])
    assert bad.exit_code == 2 and "unknown country code 'XXX'" in bad.output
    assert not unknown.exists()


def test_serve_prints_its_address_and_answers(store_path, mirror, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [
        str(Path(sys.executable).parent / "nonaligned"),
        "serve",
        "--db",
        str(store_path),
        "--port",
        str(port),
        "--mirror",
        str(mirror),
        "--cache",
        str(tmp_path),
        "--offline",
    ]
    env = {**os.environ, "COLUMNS": "200"}
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = server.stdout.readline()
        address = f"http://127.0.0.1:{port}/"
        assert address in line
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(address + "api/countries/IND", timeout=5)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "the server did not start listening"
                time.sleep(0.2)
        assert response.status_code == 200 and response.json()["name"] == "India"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_brief_shows_us_engagement_as_one_sided_and_data_through(angola, store):
    """Issue 17: the US trips timeline (a chart, trips per year by role, the latest trips),
    US net aid beside the debt owed to China, and the data-through line of every component."""
    from nonaligned.coverage_years import data_through, through_line
    from nonaligned.engagement import ONE_SIDED

    text = html.unescape(angola)
    assert "<h2>US high-level engagement</h2>" in angola
    assert ONE_SIDED in text and "it does not enter the index" in text
    assert 'alt="Trips of US Presidents and Secretaries of State to Angola by date"' in angola
    counts = dict(
        store.fetchall(
            "SELECT role, count(*) FROM us_travels WHERE iso3 = 'AGO' AND year = 2024 GROUP BY 1"
        )
    )
    row = f"<tr><td>2024</td><td>{counts['president']}</td><td>{counts['secretary']}</td></tr>"
    assert row in angola
    (first_president,) = store.fetchone(
        "SELECT min(start_date) FROM us_travels WHERE iso3 = 'AGO' AND role = 'president'"
    )
    assert f"<td>{first_president:%Y-%m-%d}" in angola  # the latest trips list it
    (last_aid,) = store.fetchone("SELECT max(year) FROM us_aid WHERE iso3 = 'AGO'")
    assert f"<tr><td>{last_aid}</td>" in angola and "never added to it" in text
    line = through_line(data_through(store))
    assert text.count(line) == 2  # under the title and above the sources


def test_brief_without_us_trips_says_so(store):
    (code,) = store.fetchone(
        "SELECT iso3 FROM countries WHERE iso3 NOT IN (SELECT iso3 FROM us_travels) "
        "AND iso3 IN (SELECT iso3 FROM votes) ORDER BY iso3 LIMIT 1"
    )
    brief = html.unescape(country_brief(store, code))
    assert "No recorded trip of a US President or Secretary of State to" in brief
