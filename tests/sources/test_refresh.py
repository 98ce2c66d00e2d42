"""One trade table (DOTS, then IMTS), its overlap agreement in `coverage`, and `refresh`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from _live_server import imts_csv, serve, wdi_json
from _synthetic import empty_tables
from typer.testing import CliRunner

from nonaligned import refresh as refresh_module
from nonaligned.cli import app
from nonaligned.errors import AcquisitionError, DataError
from nonaligned.sources import imf_dots, imf_imts, live, unxml, unxml_live, wdi_api
from nonaligned.store import connect, write_store
from nonaligned.trade_merge import MIN_CELL_USD, TOLERANCE, merge_trade

runner = CliRunner()
KEYS = ["reporter_iso3", "partner_code", "year", "flow"]


@pytest.fixture(scope="module")
def dots(mirror: Path) -> pd.DataFrame:
    """Three real DOTS workbooks, parsed (one second, not the whole snapshot)."""
    return imf_dots.parse([mirror / f.relpath for f in imf_dots.SOURCE.files[:3]])


def _imts_like(dots: pd.DataFrame, reporter: str) -> dict:
    """IMTS cells for ``reporter``: 2019-2020 as in DOTS but one in ten off by half, and
    2021-2022 new (values in US$ millions, as the fixture API writes them)."""
    mine = dots[(dots.reporter_iso3 == reporter) & dots.year.isin([2019, 2020])]
    mine = mine[~mine.partner_is_aggregate | (mine.partner_code == "WLD")]
    cells = {}
    for i, row in enumerate(mine.itertuples()):
        partner = "G001" if row.partner_code == "WLD" else row.partner_code
        factor = 1.5 if i % 10 == 0 else 1.01
        cells[(partner, row.year, row.flow)] = row.value_usd / 1e6 * factor
        cells[(partner, row.year + 2, row.flow)] = row.value_usd / 1e6 * 2
    return cells


def _snapshot(tmp_path: Path, dots: pd.DataFrame) -> tuple[Path, str]:
    reporter = dots.reporter_iso3.iloc[0]
    with serve() as api:
        api.responses = {reporter: (200, imts_csv(reporter, _imts_like(dots, reporter)))}
        imf_imts.fetch(
            tmp_path,
            [reporter],
            base=api.base,
            client=live.PoliteClient(interval=0, backoff=0),
        )
    return tmp_path, reporter


def test_merged_table_keeps_dots_through_its_last_year(tmp_path, dots):
    cache, reporter = _snapshot(tmp_path, dots)
    imts = imf_imts.load(None, cache).data[0]
    merged, _ = merge_trade(dots, imts)
    old = merged[merged.year <= 2020]
    pd.testing.assert_frame_equal(  # every DOTS value, and only those, through 2020
        old.drop(columns="source").sort_values(KEYS, ignore_index=True),
        dots.sort_values(KEYS, ignore_index=True),
    )
    assert set(old.source) == {"imf_dots"}
    new = merged[merged.year > 2020]
    assert set(new.source) == {"imf_imts"} and set(new.year) == {2021, 2022}
    assert set(new.reporter_iso3) == {reporter}
    # without IMTS the table is DOTS exactly, and there is no overlap to report
    alone, none = merge_trade(dots, None)
    pd.testing.assert_frame_equal(alone.drop(columns="source"), dots)
    assert none.empty


def test_overlap_agreement_counts_cells_within_tolerance(tmp_path, dots):
    cache, reporter = _snapshot(tmp_path, dots)
    _, overlap = merge_trade(dots, imf_imts.load(None, cache).data[0])
    total = overlap[overlap.year.isna()].iloc[0]
    years = overlap.dropna(subset=["year"])
    assert set(years.year) == {2019, 2020} and years.cells.sum() == total.cells
    # expected by hand: cells of at least US$1 million in DOTS, one in ten set half off
    cells = _imts_like(dots, reporter)
    large = {k for k, v in cells.items() if k[1] <= 2020 and v >= MIN_CELL_USD / 1e6 * 1.01}
    off = {k for k in large if cells[k] / cells[(k[0], k[1] + 2, k[2])] == pytest.approx(0.75)}
    assert total.cells == len(large) and total.cells - total.within_tolerance == len(off) > 0
    assert total.median_rel_diff == pytest.approx(0.01 / 1.01, rel=1e-3)
    assert (overlap.tolerance == TOLERANCE).all()


def _store_with(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    write_store(path, {**empty_tables(), **tables})


def test_coverage_reports_the_overlap_agreement(tmp_path, dots):
    cache, _ = _snapshot(tmp_path / "cache", dots)
    merged, overlap = merge_trade(dots, imf_imts.load(None, cache).data[0])
    store = tmp_path / "store.duckdb"
    _store_with(store, {"trade_flows": merged, "trade_overlap": overlap})
    result = runner.invoke(app, ["coverage", "--trade", "--db", str(store), "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    by_year = {(r["year"], r["source"]): r for r in rows}
    assert by_year[(2020, "imf_dots")]["overlap_cells"] > 0
    assert by_year[(2021, "imf_imts")]["overlap_cells"] is None
    total = next(r for r in rows if r["year"] is None)
    assert total["overlap_cells"] == int(overlap[overlap.year.isna()].cells.iloc[0])
    table = runner.invoke(app, ["coverage", "--trade", "--db", str(store)])
    assert f"within {TOLERANCE:.0%}" in table.stdout and f"{MIN_CELL_USD:,.0f}" in table.stdout


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_refresh_without_network_says_so_and_leaves_the_store(tmp_path, monkeypatch, dots):
    store = tmp_path / "store.duckdb"
    _store_with(store, {"trade_flows": merge_trade(dots, None)[0]})
    before = _sha256(store)
    with serve() as api:
        dead = api.base  # the port is closed once the block ends
    monkeypatch.setenv("NONALIGNED_IMTS_URL", dead)
    result = runner.invoke(app, ["refresh", "--db", str(store), "--cache", str(tmp_path / "cache")])
    assert result.exit_code == 4, result.output
    message = " ".join(result.output.split())
    assert "refresh of imf_imts failed" in message and "cannot reach 127.0.0.1" in message
    assert f"The store {store} is unchanged" in message
    assert _sha256(store) == before
    con = connect(store)
    assert con.execute("SELECT count(*) FROM trade_flows").fetchone()[0] == len(dots)
    con.close()


def test_refresh_fetches_then_rebuilds(tmp_path, monkeypatch):
    built = {}
    monkeypatch.setattr(
        refresh_module, "build", lambda db, **kwargs: built.update(db=db, **kwargs) or {}
    )
    monkeypatch.setattr(live, "BACKOFF", 0.0)
    with serve() as api:
        api.responses = {"CHL": (200, imts_csv("CHL", {("CHN", 2024, "exports"): 1.5}))}
        monkeypatch.setenv("NONALIGNED_IMTS_URL", api.base)
        monkeypatch.setattr(imf_imts, "default_reporters", lambda: ["CHL", "PER"])
        monkeypatch.setattr(live.PoliteClient, "__init__", _fast_init)
        refresh_module.refresh(
            tmp_path / "store.duckdb", ["imf_imts"], cache_dir=tmp_path / "cache"
        )
    assert [r for r, _ in api.requests] == ["CHL", "PER"]
    assert built["cache_dir"] == tmp_path / "cache" and built["db"] == tmp_path / "store.duckdb"
    rows = imf_imts.load(None, tmp_path / "cache").data[0]
    assert rows.value_usd.tolist() == [1.5e6]


_slow_init = live.PoliteClient.__init__


def _fast_init(self, **kwargs) -> None:
    _slow_init(self, **{**kwargs, "interval": 0})


def test_refresh_of_an_unknown_source_is_refused(tmp_path):
    result = runner.invoke(app, ["refresh", "nosuch", "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 2 and "not a live source: nosuch" in result.output
    assert not (tmp_path / "s.duckdb").exists()


def _wdi_pages(api, values: dict[str, dict]) -> None:
    """Every indicator on two pages (the first declares both), as the API paginates."""
    for indicator in wdi_api.INDICATORS:
        cells = list(values.get(indicator, {}).items())
        half = len(cells) // 2
        for page, part in ((1, cells[:half]), (2, cells[half:])):
            api.responses[f"{indicator}-{page}"] = (
                200,
                wdi_json(indicator, dict(part), page=page, pages=2),
            )


WDI = {
    "NY.GDP.MKTP.CD": {("CHL", 2023): 3.3e11, ("CHL", 2024): 3.4e11, ("WLD", 2024): 1e14},
    "SP.POP.TOTL": {("CHL", 2024): 2.0e7, ("AGO", 2024): None},
    "DC.DAC.USAL.CD": {("AGO", 2024): 1.2e8, ("AGO", 2023): -5e6},
}


def test_wdi_api_pages_are_fetched_and_supersede_the_copies(tmp_path):
    with serve() as api:
        _wdi_pages(api, WDI)
        wdi_api.fetch(tmp_path, base=api.base, client=live.PoliteClient(interval=0, backoff=0))
    assert len(api.requests) == 6  # three indicators, two pages each
    loaded = wdi_api.load(None, tmp_path)
    table = loaded.data.set_index(["iso3", "year"])
    assert "WLD" not in table.index.get_level_values(0)  # an aggregate, dropped
    assert table.loc[("CHL", 2024), "population"] == 2.0e7
    assert pd.isna(table.loc[("CHL", 2023), "population"])  # null: missing, never zero
    assert {row["url"] for row in loaded.provenance} >= {
        wdi_api.url_for("SP.POP.TOTL", 2, api.base)
    }
    fixed = pd.DataFrame(
        {
            "iso3": ["CHL", "CHL"],
            "year": [2022, 2023],
            "gdp_usd": [3.0e11, 3.2e11],
            "population": [1.9e7, 1.95e7],
        }
    )
    merged = wdi_api.supersede(fixed, loaded.data, ["gdp_usd", "population"]).set_index(
        ["iso3", "year"]
    )
    assert merged.loc[("CHL", 2022), "gdp_usd"] == 3.0e11  # the copy where the API has none
    assert merged.loc[("CHL", 2023), "gdp_usd"] == 3.3e11  # the API's revision wins
    assert merged.loc[("CHL", 2023), "population"] == 1.95e7  # per cell, not per row
    assert merged.loc[("CHL", 2024), "population"] == 2.0e7  # a year the copy lacks
    assert ("AGO", 2024) not in merged.index  # aid only: not a GDP/population row


def test_wdi_api_error_answer_names_the_file(tmp_path):
    with serve() as api:
        _wdi_pages(api, WDI)
        api.responses["SP.POP.TOTL-1"] = (
            200,
            '[{"message": [{"id": "120", "key": "Invalid value"}]}]',
        )
        with pytest.raises(DataError, match="the API answered an error") as caught:
            wdi_api.fetch(tmp_path, base=api.base, client=live.PoliteClient(interval=0))
    assert caught.value.path.endswith("SP.POP.TOTL-1.json.unchecked")
    api.responses["SP.POP.TOTL-1"] = (200, wdi_json("SP.POP.TOTL", {("CHL", 2024): -3}))
    with serve() as again:
        again.responses = api.responses
        with pytest.raises(DataError, match="not a plausible population") as caught:
            wdi_api.fetch(tmp_path, base=again.base, client=live.PoliteClient(interval=0))
    assert caught.value.field == "[1][0].value"


EXTRACT = Path("unga") / "unxml_GAresolutions" / "data_extract"


def _recorded_line(mirror: Path, session: int) -> str:
    """The first recorded vote of the mirror's session 80, re-labelled as a new session's."""
    source = mirror / EXTRACT / "80.json"
    for text in source.read_text(encoding="utf-8").splitlines():
        record = json.loads(text)
        if record["adoption_type"] == unxml.RECORDED:
            record.update(symbol=f"A/RES/{session}/1", adoption_date="15 October 2026")
            return json.dumps(record)
    raise AssertionError("no recorded vote in 80.json")


def test_new_un_sessions_are_fetched_checked_and_replace_the_pinned_files(tmp_path, mirror):
    today = dt.date(2026, 11, 30)  # session 81 opened in September 2026
    assert unxml_live.files(today)[-1] == "81.json"
    pinned = mirror / EXTRACT / "ES-11.json"
    with serve() as api:
        api.responses = {
            "ES-11": (200, pinned.read_text()),
            "81": (200, _recorded_line(mirror, 81)),
        }
        unxml_live.fetch(tmp_path, base=api.base, client=_client(), today=today)
        loaded = unxml_live.load(None, tmp_path)
        assert sorted(loaded.data) == ["81.json", "ES-11.json"]  # the others: 404, empty
        calls, votes, _, _ = unxml.parse(list(loaded.data.values()))
        assert "A/RES/81/1" in set(calls.symbol) and len(votes) > 100
        assert {row["url"] for row in loaded.provenance} == {
            f"{api.base}/81.json",
            f"{api.base}/ES-11.json",
        }
        api.responses["81"] = (200, _recorded_line(mirror, 81)[:-40])  # cut short: malformed
        with pytest.raises(DataError, match="malformed JSON") as caught:
            unxml_live.fetch(tmp_path / "again", base=api.base, client=_client(), today=today)
        assert caught.value.path.endswith("81.json.unchecked") and caught.value.line == 1
        api.responses = {}
        with pytest.raises(AcquisitionError, match="none of the 11 files exists"):
            unxml_live.fetch(tmp_path / "none", base=api.base, client=_client(), today=today)


def _client() -> live.PoliteClient:
    return live.PoliteClient(interval=0, backoff=0)


def test_a_store_built_before_these_columns(tmp_path):
    """coverage --trade asks for a rebuild; sources still answers, without last years."""
    store = tmp_path / "old.duckdb"
    con = duckdb.connect(str(store))
    con.execute("CREATE TABLE trade_flows (reporter_iso3 VARCHAR, year INTEGER)")
    con.execute(
        "CREATE TABLE provenance (source VARCHAR, title VARCHAR, version VARCHAR, file VARCHAR,"
        " url VARCHAR, sha256 VARCHAR, size BIGINT, retrieved_at TIMESTAMP, origin VARCHAR,"
        " citation VARCHAR, bibtex VARCHAR, terms VARCHAR, coverage VARCHAR)"
    )
    con.execute(
        "INSERT INTO provenance VALUES ('imf_dots', 't', 'v', 'f', 'u', 's', 1,"
        " '2026-01-01', 'mirror', 'c', 'b', 't', 'c')"
    )
    con.close()
    result = runner.invoke(app, ["coverage", "--trade", "--db", str(store)])
    assert result.exit_code == 3 and "rebuild it with `nonaligned build`" in result.output
    rows = json.loads(runner.invoke(app, ["sources", "--db", str(store), "-f", "json"]).stdout)
    assert rows[0]["source"] == "imf_dots" and rows[0]["last_year"] is None
