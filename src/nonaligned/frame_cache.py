"""Memoise expensive DataFrames on disk beside the store they were computed from.

Why: the web app and the index ask for the same whole-record estimates (ideal
points with bootstrap errors take tens of seconds) again and again. A result
is stored as parquet in ``<store file>.cache/`` and found again by a key made
of the store's identity and the caller's settings, so a rebuilt store (new
file size, modification time or provenance checksums) or different settings
never see a stale result. Stores in memory, or beside a directory that
cannot be written, are simply not cached. An entry that cannot be read (a
truncated or garbage file, from a full disk or another program) is discarded
with one warning in the log and recomputed, so a damaged cache heals itself
instead of failing every later call.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

log = logging.getLogger(__name__)


def store_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind ``con``'s current database, or None for an in-memory one."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(row[0]) if row and row[0] else None


def store_identity(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """Size, modification time and provenance checksums of the store, as one string."""
    stat = path.stat()
    rows = con.execute(
        "SELECT source, file, sha256, retrieved_at FROM provenance ORDER BY ALL"
    ).fetchall()
    return json.dumps([stat.st_size, stat.st_mtime_ns, [list(map(str, r)) for r in rows]])


def cached(
    con: duckdb.DuckDBPyConnection,
    name: str,
    settings: dict[str, object],
    compute: Callable[[], pd.DataFrame],
) -> pd.DataFrame:
    """``compute()``, read from ``<store>.cache/<name>-<key>.parquet`` when present.

    ``settings`` (JSON-serialisable) are everything besides the store that
    the result depends on. Writes are atomic (write aside, then rename), so
    concurrent callers never read a half-written file; an unreadable entry is
    removed, logged and recomputed.
    """
    path = store_file(con)
    if path is None or not path.is_file():
        return compute()
    payload = json.dumps([store_identity(con, path), name, settings], sort_keys=True, default=str)
    key = hashlib.sha256(payload.encode()).hexdigest()[:24]
    target = path.with_name(path.name + ".cache") / f"{name}-{key}.parquet"
    if target.is_file():
        try:
            return pd.read_parquet(target)
        except (pa.ArrowException, OSError, ValueError) as exc:
            log.warning("discarding the unreadable cache entry %s (%s); recomputing", target, exc)
            with contextlib.suppress(OSError):
                target.unlink()
    result = compute()
    try:
        target.parent.mkdir(exist_ok=True)
        aside = target.with_suffix(f".{os.getpid()}.tmp")
        result.to_parquet(aside, index=False)
        os.replace(aside, target)
    except OSError:
        pass  # a read-only location: the result is still returned, just not kept
    return result
