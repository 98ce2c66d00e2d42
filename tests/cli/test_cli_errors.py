"""Issue 15's reproductions on the real store, each a test, and the error contract.

Every refusal is the project's own error, reported by the CLI with the exit
code and by the web app with the HTTP status its class carries
(``nonaligned.errors``), and never a traceback.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import stat
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from nonaligned import engines, errors, query, userfiles
from nonaligned.cli import app
from nonaligned.cli._app import handle_errors
from nonaligned.errors import (
    AcquisitionError,
    ClaimsFileError,
    DataError,
    EngineError,
    NonalignedError,
    NotFoundError,
    OfferError,
    QueryError,
    ReportError,
    StoreError,
    UnknownCountryError,
    UsageError,
)
from nonaligned.session import Store
from nonaligned.web import create_app
from nonaligned.web.report import chromium

runner = CliRunner()

# (exit code, HTTP status) of each class, as cli/_app.py and docs/web.md document them
DOCUMENTED: dict[type[NonalignedError], tuple[int, int]] = {
    QueryError: (2, 400),
    NotFoundError: (2, 404),
    UsageError: (2, 400),
    EngineError: (2, 500),
    ReportError: (2, 500),
    StoreError: (3, 503),
    AcquisitionError: (4, 503),
    DataError: (5, 500),
    UnknownCountryError: (5, 500),
}


def invoke(*args: object) -> Result:
    """The CLI run in process; anything but an exit escaping it fails the test with its cause."""
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args} raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.output
    return result


def refused(*args: object, match: str) -> str:
    """Run a command that must be refused with exit code 2 and a message matching ``match``."""
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert re.search(match, result.output, re.S), result.output
    return result.output


def _all_subclasses(cls: type) -> set[type]:
    return {c for sub in cls.__subclasses__() for c in {sub, *_all_subclasses(sub)}}


# --- the contract -------------------------------------------------------------------------


def test_errors_module_holds_every_documented_class():
    defined = {
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, NonalignedError)
    }
    # the two input-file errors list every problem, so they are raised with their problems
    assert defined - {NonalignedError} == set(DOCUMENTED) | {OfferError, ClaimsFileError}
    for located in (OfferError, ClaimsFileError):
        assert (located.exit_code, located.http_status) == DOCUMENTED[QueryError]


def test_every_project_error_class_carries_a_documented_code_and_a_status():
    """Including those defined beside their parsers (offers, claims), imported by the CLI."""
    classes = _all_subclasses(NonalignedError)
    assert len(classes) >= len(DOCUMENTED)
    for cls in classes:
        assert cls.exit_code in {2, 3, 4, 5}, cls
        assert 400 <= cls.http_status < 600, cls


@pytest.mark.parametrize("error", DOCUMENTED, ids=lambda cls: cls.__name__)
def test_cli_and_web_report_an_error_as_its_class_says(error, store_path):
    exit_code, status = DOCUMENTED[error]
    assert (error.exit_code, error.http_status) == (exit_code, status)
    with pytest.raises(typer.Exit) as exited, handle_errors():
        raise error("the message")
    assert exited.value.exit_code == exit_code
    web = create_app(Store(store_path))

    @web.get("/raise")
    def raise_it() -> None:
        raise error("the message")

    response = TestClient(web).get("/raise")
    assert response.status_code == status
    assert response.json() == {"message": "the message", "status": status}


# --- thresholds, years and flags the data do not cover --------------------------------------


@pytest.mark.parametrize(
    "option, value, match",
    [
        ("--lean", "nan", "lean threshold must lie in \\(0, 1\\), not nan"),
        ("--lean", "inf", "lean threshold must lie in \\(0, 1\\), not inf"),
        ("--activity", "-1", "activity threshold must lie in \\[0, 1\\], not -1"),
    ],
)
def test_index_threshold_out_of_range_is_exit_2(store_path, option, value, match):
    refused("index", "--year", 2020, option, value, "--boot", 0, "--db", store_path, match=match)


@pytest.mark.parametrize(
    "command", [["index", "--year", 2020], ["country", "IND"], ["idealpoints", "--year", 2020]]
)
def test_bootstrap_replicates_are_bounded(store_path, command):
    limit = 200 if command[0] == "idealpoints" else 1000  # each replicate refits the record
    bound = f"less than or equal to {limit}"
    refused(*command, "--boot", limit + 1, "--db", store_path, match=bound)


def test_votes_in_a_year_outside_the_record_is_exit_2_naming_its_years(store_path, store):
    first, last = query.vote_years(store)
    refused(
        "votes", "--country", "ZAF", "--year", 2099, "--db", store_path,
        match=f"no roll calls in 2099: the vote record covers {first}-{last}",
    )  # fmt: skip


def test_trade_growth_backwards_is_exit_2(store_path):
    refused(
        "trade-growth", "--partner", "CHN", "--from", 2020, "--to", 2000, "--country", "BRA",
        "--db", store_path, match="start year 2020 is after the end year 2000",
    )  # fmt: skip


def test_important_votes_past_the_flag_are_exit_2_naming_its_last_year(store_path, store):
    last_important, last_issue = query.flag_years(store)
    assert (last_important, last_issue) == (2017, 2019)  # the sources of the current build
    refused(
        "index", "--year", last_important + 5, "--important", "--boot", 0, "--db", store_path,
        match=f"important-vote flag ends in {last_important}",
    )  # fmt: skip
    refused(
        "dyads", "--year", last_issue + 1, "--issue", "me", "--db", store_path,
        match=f"issue codes end in {last_issue}",
    )  # fmt: skip
    done = invoke("dyads", "--year", last_important, "--important", "--db", store_path, "-f", "csv")
    assert done.exit_code == 0 and len(done.stdout.splitlines()) > 1000


def test_no_middle_east_past_the_issue_codes_warns_on_stderr(store_path, store):
    _, last_issue = query.flag_years(store)
    args = ["--no-middle-east", "--boot", 0, "--no-ideal-points", "--db", store_path, "-f", "csv"]
    late = invoke("index", "--year", last_issue + 3, *args)
    assert late.exit_code == 0
    assert f"issue codes end in {last_issue}" in late.stderr
    assert "--no-middle-east excludes nothing" in late.stderr
    assert late.stdout.startswith("iso3,year,axis")  # the table is still given, on stdout
    covered = invoke("index", "--year", last_issue, *args)
    assert covered.exit_code == 0 and "warning" not in covered.stderr


# --- input files -----------------------------------------------------------------------------


@pytest.fixture()
def oversized(tmp_path: Path) -> Path:
    path = tmp_path / "big.toml"
    path.write_bytes(b"# " + b"x" * userfiles.MAX_INPUT_BYTES)
    return path


@pytest.mark.parametrize("command", [["offers", "evaluate"], ["check"]], ids=" ".join)
def test_input_files_are_capped_and_named(store_path, tmp_path, oversized, command):
    db = ["--db", store_path]
    refused(*command, "/dev/zero", *db, match="/dev/zero is not a regular file")
    refused(*command, oversized, *db, match=f"{oversized} is larger than 1,000,000 bytes")
    refused(*command, tmp_path, *db, match=f"{tmp_path} is a directory")
    refused(*command, tmp_path / "none.toml", *db, match="cannot read .*none.toml")


def test_read_capped_reads_up_to_the_limit(tmp_path):
    path = tmp_path / "a.toml"
    path.write_bytes(b"x" * 10)
    assert userfiles.read_capped(path, limit=10) == b"x" * 10
    with pytest.raises(UsageError, match="larger than 9 bytes"):
        userfiles.read_capped(path, limit=9)


# --- report --out ----------------------------------------------------------------------------


@pytest.fixture()
def quick_brief(monkeypatch) -> str:
    """The brief's content replaced by a constant: these tests are about where it is written
    (the real brief is tested in test_web_report.py)."""
    html = "<html>brief</html>"
    monkeypatch.setattr("nonaligned.web.report.country_brief", lambda store, iso3: html)
    return html


def report(store_path: Path, out: Path, *extra: object) -> Result:
    return invoke("report", "IND", "--out", out, "--db", store_path, *extra)


def test_report_creates_the_missing_folder(store_path, tmp_path, quick_brief):
    out = tmp_path / "missing" / "dir" / "x.html"
    assert report(store_path, out).exit_code == 0
    assert out.read_text() == quick_brief
    assert os.listdir(out.parent) == ["x.html"]  # no temporary file left beside it


def test_report_refuses_a_directory_and_a_device(store_path, tmp_path, quick_brief):
    refused("report", "IND", "--out", tmp_path, "--db", store_path, match="is a directory")
    assert os.listdir(tmp_path) == []
    for device in ("/dev/full", "/dev/null"):
        refused(
            "report", "IND", "--out", device, "--force", "--db", store_path,
            match=f"{device} is not a regular file",
        )  # fmt: skip
        assert stat.S_ISCHR(os.stat(device).st_mode)


def test_report_replaces_a_file_only_with_force(store_path, tmp_path, quick_brief):
    out = tmp_path / "x.html"
    out.write_text("mine")
    refused("report", "IND", "--out", out, "--db", store_path, match="exists: pass --force")
    assert out.read_text() == "mine"
    assert report(store_path, out, "--force").exit_code == 0
    assert out.read_text() == quick_brief


def test_report_never_writes_through_a_symlink(store_path, tmp_path, quick_brief):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "x.html"
    link.symlink_to(victim)
    for extra in ([], ["--force"]):
        refused(
            "report", "IND", "--out", link, *extra, "--db", store_path,
            match="is a symbolic link: not written through",
        )  # fmt: skip
    assert link.is_symlink() and victim.read_text() == "precious"


def test_report_checks_the_pdf_path_before_the_work(store_path, tmp_path, monkeypatch):
    def no_brief(store, iso3):
        raise AssertionError("the brief was computed before the output paths were checked")

    monkeypatch.setattr("nonaligned.web.report.country_brief", no_brief)
    out = tmp_path / "x.html"
    refused(
        "report", "IND", "--out", out, "--pdf", tmp_path, "--db", store_path,
        match="is a directory",
    )  # fmt: skip
    assert not out.exists()


@pytest.mark.skipif(chromium() is None, reason="needs Chromium to print")
def test_report_pdf_is_written_aside_then_renamed(store_path, tmp_path, quick_brief):
    out, pdf = tmp_path / "x.html", tmp_path / "x.pdf"
    assert report(store_path, out, "--pdf", pdf).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(os.listdir(tmp_path)) == ["x.html", "x.pdf"]


def test_failed_write_leaves_the_old_file_and_no_partial(tmp_path):
    out = tmp_path / "x.html"
    out.write_text("old")
    no_space = pytest.raises(UsageError, match=f"cannot write {out}: No space left")
    with no_space, userfiles.atomic_output(out, force=True) as aside:
        aside.write_text("half of it")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert out.read_text() == "old"
    assert os.listdir(tmp_path) == ["x.html"]


# --- a damaged cache heals -------------------------------------------------------------------


@pytest.fixture()
def store_copy(store_path: Path, tmp_path: Path) -> Path:
    """A copy of the store, whose cache beside it starts empty and may be damaged."""
    copy = tmp_path / "store.duckdb"
    shutil.copyfile(store_path, copy)
    return copy


def _damage(entries: list[Path], content: bytes) -> list[Path]:
    assert entries, "no cache entry to damage"
    for entry in entries:
        entry.write_bytes(content)
    return entries


def _assert_healed(entries: list[Path], caplog: pytest.LogCaptureFixture) -> None:
    warnings = [r for r in caplog.records if "unreadable cache entry" in r.getMessage()]
    assert len(warnings) == len(entries)  # once per entry
    for entry in entries:
        assert len(pd.read_parquet(entry)) > 1000  # rewritten, readable
    caplog.clear()


def test_garbage_or_empty_cache_entries_are_discarded_and_recomputed(
    store_copy, mirror, tmp_path, caplog
):
    """idealpoints, index and the web app's background fit each meet a damaged entry and
    heal it. The first two use important votes only, whose fit takes a second where the
    whole record's takes several (the web app fits the whole record, after it listens)."""
    caplog.set_level(logging.WARNING, logger="nonaligned.frame_cache")
    cache = store_copy.with_name(store_copy.name + ".cache")
    ideal = ["idealpoints", "--year", 2015, "--important", "--boot", 0, "--db", store_copy]
    first = invoke(*ideal, "-f", "csv")
    assert first.exit_code == 0
    important = sorted(cache.glob("idealpoints-*.parquet"))
    assert len(important) == 1

    _damage(important, b"PAR1 this is not parquet")
    again = invoke(*ideal, "-f", "csv")
    assert again.exit_code == 0 and again.stdout == first.stdout
    _assert_healed(important, caplog)
    assert invoke(*ideal).exit_code == 0 and not caplog.records  # healed: no second warning

    _damage(important, b"")
    index = ["index", "--year", 2015, "--important", "--boot", 0, "--db", store_copy]
    assert invoke(*index).exit_code == 0
    _assert_healed(important, caplog)

    assert invoke("index", "--year", 2015, "--boot", 0, "--db", store_copy).exit_code == 0
    whole = sorted(set(cache.glob("idealpoints-*.parquet")) - set(important))
    assert whole, "the whole record's fit left no cache entry"
    _damage(whole, os.urandom(4096))
    app = create_app(Store(store_copy), mirror=mirror, cache_dir=tmp_path / "web", offline=True)
    with TestClient(app) as client:
        deadline = time.monotonic() + 300
        while (answer := client.get("/api/index?year=2015")).status_code == 202:
            assert time.monotonic() < deadline, "the background fit never finished"
            time.sleep(0.5)
    assert answer.status_code == 200
    _assert_healed(whole, caplog)


# --- engines ---------------------------------------------------------------------------------


@pytest.fixture()
def fresh_backends():
    """No engine backend remembered from other tests, before or after."""
    engines.forget_backends()
    yield
    engines.forget_backends()


def test_spark_without_pyspark_names_the_extra_and_java(store_path, monkeypatch, fresh_backends):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # what an install without the extra has
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    monkeypatch.setenv(engines.ENGINE_ENV, "spark")
    refused(
        "dyads", "--year", 1996, "--db", store_path,
        match=r"needs PySpark and Java 17 or later: pip install 'nonaligned\[spark\]'",
    )  # fmt: skip


def test_spark_without_java_names_the_jdk(store_path, monkeypatch, fresh_backends):
    monkeypatch.setattr(engines.shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    refused(
        "alignment", "BRA", "--engine", "spark", "--db", store_path,
        match=r"needs Java 17 or later: pip install 'nonaligned\[spark\]' and a JDK 17\+",
    )  # fmt: skip


def test_unknown_engine_is_exit_2(store_path, fresh_backends):
    refused(
        "alignment", "BRA", "--engine", "oracle", "--db", store_path,
        match="unknown engine 'oracle': use one of duckdb, spark",
    )  # fmt: skip


# --- serve and build refuse what they cannot use ---------------------------------------------


def test_serve_on_a_bad_host_is_exit_2(store_path):
    # a documentation address (RFC 5737): no interface has it, and no DNS is asked
    refused("serve", "--db", store_path, "--host", "192.0.2.1", match="cannot listen on 192.0.2.1")


def test_build_refuses_a_device_as_the_store(tmp_path):
    result = invoke("build", "--db", "/dev/null", "--mirror", tmp_path, "--offline")
    assert result.exit_code == 3 and "/dev/null is not a store file" in result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
