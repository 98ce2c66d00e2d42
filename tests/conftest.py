"""Shared fixtures and the two test layers.

The data mirror (``../shared/data``, or ``$NONALIGNED_MIRROR``) and one store
built from it per session serve the tests of parsers and measures on real
data. Every test that uses them (directly or through another fixture) is
marked ``slow`` here, so ``pytest -m "not slow"`` is the fast layer: formulas,
property tests and the library and CLI on a small synthetic store
(:mod:`_synthetic`), runnable without the mirror. The README's test command
runs both layers.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import nonaligned
from nonaligned.build import build
from nonaligned.store import write_store

ROOT = Path(__file__).resolve().parents[1]  # the checkout
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures"
MIRROR = Path(os.environ.get("NONALIGNED_MIRROR", ROOT.parent / "shared" / "data"))
MIRROR_FIXTURES = frozenset({"mirror", "store_path", "store"})
MIRROR_SOURCES = frozenset(
    {"unvotes", "voeten_votes", "unxml", "cow", "memberships", "imf_dots", "hrt"}
    | {"aiddata_gcdf3", "wdi", "us_aid", "us_travels", "world_atlas"}
)
"""Every source a build from the mirror alone records in the store's provenance."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test that needs the mirror or the store built from it."""
    for item in items:
        if MIRROR_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def mirror() -> Path:
    if not (MIRROR / "unga").is_dir():
        pytest.fail(f"the data mirror is missing at {MIRROR}; set NONALIGNED_MIRROR")
    return MIRROR


@pytest.fixture(scope="session")
def store_path(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "nonaligned.duckdb"
    build(path, mirror=mirror, cache_dir=tmp_path_factory.mktemp("cache"), offline=True)
    return path


@pytest.fixture()
def store(store_path: Path):
    """The real store, opened as the library takes it (:func:`nonaligned.open`)."""
    with nonaligned.open(store_path) as opened:
        yield opened


@pytest.fixture(scope="session")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fast layer's store: :mod:`_synthetic`'s tables, written like a real build's."""
    from _synthetic import tables

    path = tmp_path_factory.mktemp("synthetic") / "nonaligned.duckdb"
    write_store(path, tables())
    return path


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    return CliRunner()


def run_json(runner: CliRunner, *args: str) -> list[dict]:
    """Run ``nonaligned ARGS --format json``; the records, after checking the exit code."""
    from nonaligned.cli import app

    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def run_csv(runner: CliRunner, *args: str) -> pd.DataFrame:
    """Run ``nonaligned ARGS --format csv``; the frame, after checking the exit code."""
    from nonaligned.cli import app

    result = runner.invoke(app, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.stdout))
