"""The store as Parquet datasets: what Spark, R (arrow) and any Arrow tool read.

Why: the Spark engine exists for data that outgrow one machine, so it must
read the store's tables where a cluster can reach them (a local folder,
HDFS, S3), not through the driver. ``export_parquet`` writes every table of
the store to ``DIR/<table>/``; the large ones (``votes``, ``trade_flows``)
are partitioned by year (``year=1990/part-0.parquet``, Hive style, which
Spark, DuckDB and arrow all read as a ``year`` column). Every file carries
the store's provenance in its schema metadata (key ``nonaligned``): the
build date and each source's version, so a dataset copied away still says
what it is.

The export is written beside the target and renamed into place when
complete: an interrupted export leaves no half-written dataset.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from nonaligned import query
from nonaligned.errors import UsageError
from nonaligned.session import Store
from nonaligned.store import SCHEMA

METADATA_KEY = b"nonaligned"
PARTITIONED = frozenset({"votes", "trade_flows"})
"""The tables written by year; votes hold no year of their own, so their roll call's is
joined in (:func:`nonaligned.query.table_arrow`)."""


@contextmanager
def _opened(store: Store | Path | str) -> Iterator[Store]:
    """``store`` itself, or the store at that path, open for the block only."""
    if isinstance(store, Store):
        yield store
        return
    with Store(store) as opened:
        yield opened


def provenance(store: Store | Path | str) -> dict[str, object]:
    """What an export carries: the store's build time (its file's) and each source's version.

    ``store``: an open store, or the path of a store file."""
    with _opened(store) as opened:
        versions = query.provenance_versions(opened)
        built = datetime.fromtimestamp(opened.path.stat().st_mtime, tz=UTC)
    return {"built": built.isoformat(timespec="seconds"), "sources": versions}


def metadata_of(path: Path | str) -> dict[str, object]:
    """The provenance recorded in one exported Parquet file (``{}`` if it has none)."""
    raw = (pq.read_schema(path).metadata or {}).get(METADATA_KEY)
    return json.loads(raw) if raw else {}


def export_parquet(
    store: Store | Path | str, directory: Path, *, force: bool = False
) -> dict[str, int]:
    """Write every table of ``store`` (an open store, or the path of a store file) under
    ``directory``; each table's row count.

    The tables of :data:`~nonaligned.store.SCHEMA` that the store holds (a
    store built by an older release may lack newer ones).

    ``directory`` must not exist unless ``force`` (then it is replaced, only
    once the new export is complete).
    """
    directory = Path(directory)
    if directory.exists() and not force:
        raise UsageError(f"{directory} exists: choose a new folder or pass --force")
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is not a folder")
    with _opened(store) as opened, opened.reading():  # one snapshot of the file throughout
        return _export(opened, directory)


def _export(store: Store, directory: Path) -> dict[str, int]:
    recorded = provenance(store)
    partial = directory.with_name(f".{directory.name}.exporting-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    counts: dict[str, int] = {}
    try:
        present = query.table_names(store)
        for table in (name for name in SCHEMA if name in present):
            counts[table] = _write_table(store, table, partial, recorded)
        if directory.exists():
            shutil.rmtree(directory)
        os.replace(partial, directory)
    except (OSError, pa.ArrowException, duckdb.Error) as exc:
        raise UsageError(f"could not export to {directory}: {exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(partial)
    return counts


def with_provenance(table: pa.Table, provenance: dict[str, object]) -> pa.Table:
    """``table`` with ``provenance`` in its schema metadata (key :data:`METADATA_KEY`): how an
    export's files and a command's Parquet output say what they are."""
    metadata = {**(table.schema.metadata or {}), METADATA_KEY: json.dumps(provenance).encode()}
    return table.replace_schema_metadata(metadata)


def _write_table(store: Store, table: str, root: Path, provenance: dict[str, object]) -> int:
    data = query.table_arrow(store, table, with_year=table == "votes")
    data = with_provenance(data, provenance)
    partitioned = table in PARTITIONED and data.num_rows > 0
    if not partitioned:  # one file, even for an empty table: readers need its schema
        (root / table).mkdir(parents=True)
        pq.write_table(data, root / table / "part-0.parquet")
        return data.num_rows
    ds.write_dataset(
        data,
        root / table,
        format="parquet",
        partitioning=["year"],
        partitioning_flavor="hive",
        basename_template="part-{i}.parquet",
    )
    return data.num_rows
