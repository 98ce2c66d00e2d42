"""Alignment and dyads from the real store, through the CLI."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from nonaligned.cli import app

runner = CliRunner()


def _json(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_alignment_records_with_each_pole(store_path):
    records = _json("alignment", "GBR", "--db", str(store_path), "--format", "json")
    keys = {"iso3", "year", "pole", "agreement", "kappa", "pi", "s_score", "n_votes"}
    assert keys <= set(records[0])
    in_2022 = {r["pole"]: r for r in records if r["year"] == 2022}
    assert set(in_2022) == {"USA", "CHN", "RUS", "EU"}
    # a Western state agrees more with Washington than with Moscow
    assert in_2022["USA"]["agreement"] > in_2022["RUS"]["agreement"]


def test_dyads_one_row_per_pair_and_consistent_with_alignment(store_path):
    rows = _json("dyads", "--year", "2022", "--db", str(store_path), "--format", "json")
    pairs = [(r["iso3_a"], r["iso3_b"]) for r in rows]
    assert len(pairs) == len(set(pairs)) and all(a < b for a, b in pairs)
    bra_usa = next(r for r in rows if (r["iso3_a"], r["iso3_b"]) == ("BRA", "USA"))
    pole = next(
        r
        for r in _json("alignment", "BRA", "--db", str(store_path), "--format", "json")
        if r["year"] == 2022 and r["pole"] == "USA"
    )
    assert abs(bra_usa["agreement"] - pole["agreement"]) < 1e-12
    assert bra_usa["n_votes"] == pole["n_votes"]


def test_bad_issue_code_exit_2(store_path):
    result = runner.invoke(app, ["alignment", "BRA", "--issue", "zz", "--db", str(store_path)])
    assert result.exit_code == 2 and "unknown issue code" in result.output
