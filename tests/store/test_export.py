"""``nonaligned export``: every store table as Parquet, provenance inside, read back unchanged."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

import nonaligned
from nonaligned.cli import app
from nonaligned.errors import QueryError, UsageError
from nonaligned.export import export_parquet, metadata_of
from nonaligned.store import connect


@pytest.fixture(scope="module")
def exported(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export") / "store"
    export_parquet(store_path, folder)
    return folder


def test_every_table_exported_with_its_rows(store_path, exported):
    with connect(store_path) as con:
        tables = [name for (name,) in con.execute("SHOW TABLES").fetchall()]
        for name in tables:
            (stored,) = con.execute(f"SELECT count(*) FROM {name}").fetchone()
            assert ds.dataset(exported / name, partitioning="hive").count_rows() == stored, name
    assert sorted(p.name for p in exported.iterdir()) == sorted(tables)


def test_votes_partitioned_by_their_roll_calls_year(store_path, exported):
    parts = sorted(p.name for p in (exported / "votes").iterdir())
    assert parts[0].startswith("year=") and len(parts) > 70
    with connect(store_path) as con:
        expected = con.execute(
            """SELECT count(*) FROM votes v JOIN roll_calls r USING (roll_call_id)
               WHERE r.year = 2022"""
        ).fetchone()[0]
    assert ds.dataset(exported / "votes" / "year=2022").count_rows() == expected


def test_every_file_carries_the_provenance(store_path, exported):
    with connect(store_path) as con:
        versions = dict(
            con.execute("SELECT source, any_value(version) FROM provenance GROUP BY 1").fetchall()
        )
    files = list(exported.rglob("*.parquet"))
    assert len(files) > 100
    for path in (files[0], files[-1]):
        meta = metadata_of(path)
        assert meta["sources"] == versions
        assert meta["built"][:4].isdigit()
    raw = json.loads(ds.dataset(exported / "countries").schema.metadata[b"nonaligned"])
    assert raw["sources"] == versions


def test_existing_folder_refused_unless_forced(store_path, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    with pytest.raises(UsageError, match="exists"):
        export_parquet(store_path, folder)
    assert (folder / "keep.txt").read_text() == "mine"
    export_parquet(store_path, folder, force=True)
    assert not (folder / "keep.txt").exists() and (folder / "votes").is_dir()
    assert not list(tmp_path.glob(".out.exporting-*"))  # no partial export left behind


def test_dataset_on_duckdb_gives_the_stores_answers(store_path, exported):
    from nonaligned import alignment

    export = nonaligned.open(engine="duckdb", data=exported)
    with nonaligned.open(store_path) as store:
        pd.testing.assert_frame_equal(
            alignment.alignment(store, "IND"), alignment.alignment(export, "ind")
        )
    with pytest.raises(QueryError, match="unknown country code 'XXX'"):
        alignment.alignment(export, "XXX")


def test_cli_export_and_data_option(store_path, tmp_path):
    runner = CliRunner()
    folder = tmp_path / "export"
    done = runner.invoke(app, ["export", str(folder), "--db", str(store_path)])
    assert done.exit_code == 0, done.output
    assert "exported" in done.stdout
    again = runner.invoke(app, ["export", str(folder), "--db", str(store_path)])
    assert again.exit_code == 2 and "--force" in again.output
    args = ["dyads", "--year", "1985", "--format", "csv"]
    from_store = runner.invoke(app, [*args, "--db", str(store_path)])
    from_data = runner.invoke(app, [*args, "--data", str(folder)])
    assert from_store.exit_code == 0 and from_data.exit_code == 0, from_data.output
    assert len(pd.read_csv(io.StringIO(from_store.stdout))) > 5_000
    assert from_data.stdout == from_store.stdout
    missing = runner.invoke(app, [*args, "--data", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "nonaligned export" in missing.output
