"""Keep recent index computations in memory, keyed by the store file and the options.

Why: the web app asks for the same years again and again (map, profile,
ranking), and an index over every year with its bootstrap takes tens of
seconds. The key includes the store file's path, size and modification
time, so a rebuilt store (written aside, then renamed over the old one) is
never served from a stale entry. In-memory databases are not cached.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

import duckdb
import pandas as pd

MAX_ENTRIES = 16
_entries: OrderedDict[Hashable, pd.DataFrame] = OrderedDict()


def store_key(con: duckdb.DuckDBPyConnection) -> tuple[str, int, int] | None:
    """``(path, mtime_ns, size)`` of the store file behind ``con``, or None (in memory)."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if not row or not row[0]:
        return None
    stat = Path(row[0]).stat()
    return (str(Path(row[0]).resolve()), stat.st_mtime_ns, stat.st_size)


def cached(key: Hashable | None, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``make()``, remembered under ``key`` (never when ``key`` is None); a copy is returned."""
    if key is None:
        return make()
    if key in _entries:
        _entries.move_to_end(key)
    else:
        _entries[key] = make()
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return _entries[key].copy()


def clear() -> None:
    """Forget every entry."""
    _entries.clear()
