"""Shared fixtures: the data mirror (../shared/data) and one store built from it per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nonaligned.build import build
from nonaligned.store import connect


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = Path(
        os.environ.get("NONALIGNED_MIRROR", Path(__file__).resolve().parents[2] / "shared" / "data")
    )
    if not (path / "unga").is_dir():
        pytest.fail(f"the data mirror is missing at {path}; set NONALIGNED_MIRROR")
    return path


@pytest.fixture(scope="session")
def store_path(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "nonaligned.duckdb"
    build(path, mirror=mirror, cache_dir=tmp_path_factory.mktemp("cache"), offline=True)
    return path


@pytest.fixture()
def con(store_path: Path):
    connection = connect(store_path)
    yield connection
    connection.close()
