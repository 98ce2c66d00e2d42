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

from nonaligned import query
from nonaligned.cli import app
from nonaligned.errors import QueryError
from nonaligned.web.report import chromium, country_brief, print_pdf


@pytest.fixture(scope="module")
def angola(store_path: Path) -> str:
    from nonaligned.store import connect

    con = connect(store_path)
    try:
        return country_brief(con, "ago")
    finally:
        con.close()


def test_brief_is_self_contained_with_charts_sources_and_citations(angola, con):
    assert "<h1>Angola (AGO)</h1>" in angola
    # index profile, ideal point, agreement with the poles, trade shares
    assert angola.count('src="data:image/png;base64,') == 4
    assert "Active nonalignment: lean and class by year" in angola
    assert 'src="http' not in angola and "<script" not in angola and "<link" not in angola
    text = html.unescape(angola)
    for citation in query.citations(con):
        assert citation in text
    for source in query.sources(con).source:
        assert f"<td>{source}</td>" in angola


def test_brief_of_unknown_country_is_refused(con):
    with pytest.raises(QueryError, match="unknown country"):
        country_brief(con, "XXX")


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
