"""The CLI's contracts: JSON records, formats and exit codes, on the real store."""

from __future__ import annotations

import csv
import io
import json

from conftest import MIRROR_SOURCES
from typer.testing import CliRunner

from nonaligned.cli import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args))


def test_vote_json_contract(store_path):
    result = _run("vote", "A/RES/ES-11/1", "--db", str(store_path), "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert len(records) == 193  # one per UN member in March 2022
    assert {"iso3", "country", "vote"} <= set(records[0])
    assert {r["vote"] for r in records} == {"yes", "no", "abstain", "absent"}
    by_iso3 = {r["iso3"]: r["vote"] for r in records}
    assert (by_iso3["RUS"], by_iso3["CHN"], by_iso3["USA"]) == ("no", "abstain", "yes")


def test_votes_csv_for_one_country_year(store_path):
    result = _run(
        "votes", "--country", "zaf", "--year", "2022", "--db", str(store_path), "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["iso3"] for r in rows} == {"ZAF"}
    assert {r["year"] for r in rows} == {"2022"}


def test_coverage_and_exclusions(store_path):
    result = _run("coverage", "--db", str(store_path), "--format", "json")
    years = {r["year"] for r in json.loads(result.stdout)}
    assert 1964 not in years and {1946, 2022, 2025} <= years
    result = _run("coverage", "--exclusions", "--db", str(store_path), "--format", "json")
    rules = {r["rule"] for r in json.loads(result.stdout)}
    assert {"empty_lists", "doubled_names", "count_mismatch", "absence_inferred"} <= rules


def test_sources_and_cite(store_path):
    result = _run("sources", "--db", str(store_path), "--format", "json")
    names = {r["source"] for r in json.loads(result.stdout)}
    assert names == MIRROR_SOURCES
    bib = _run("cite", "--bibtex", "--db", str(store_path)).stdout
    assert bib.count("@data{voeten2009unga,") == 1


def test_unknown_inputs_exit_2_with_a_message(store_path):
    result = _run("votes", "--country", "XXX", "--db", str(store_path))
    assert result.exit_code == 2 and "unknown country code 'XXX'" in result.output
    result = _run("vote", "A/RES/99/999", "--db", str(store_path))
    assert result.exit_code == 2 and "no recorded vote" in result.output


def test_error_text_is_not_read_as_markup(store_path):
    result = _run("votes", "--country", "[/red]", "--db", str(store_path))
    assert result.exit_code == 2 and "[/red]" in result.output


def test_symbol_with_several_votes_asks_for_a_roll_call(store_path):
    result = _run("vote", "A/RES/72/50", "--db", str(store_path))
    assert result.exit_code == 2 and "--roll-call" in result.output


def test_missing_store_exit_3(tmp_path):
    result = _run("coverage", "--db", str(tmp_path / "none.duckdb"))
    assert result.exit_code == 3 and "nonaligned build" in result.output
