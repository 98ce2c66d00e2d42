"""Read-only store connections for the web app, one per worker thread.

DuckDB connections are not safe to share between threads, and a rebuild
replaces the store file by renaming a new one over it. Each thread keeps its
own read-only connection and reopens it when the file's identity (inode,
modification time, size) changes, so readers keep answering during and after
a rebuild: until the rename they read the old file, then the new one.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb

from nonaligned.store import connect

Identity = tuple[int, int, int]


def _identity(path: Path) -> Identity | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class StoreHandle:
    """Hands each thread a read-only connection to the current store file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()

    def identity(self) -> Identity | None:
        """The store file's identity now (``None`` if there is no file)."""
        return _identity(self.path)

    def connection(self) -> duckdb.DuckDBPyConnection:
        """This thread's connection, reopened if the file was replaced since it was opened.

        Raises StoreError (via :func:`nonaligned.store.connect`) when there is no store.
        """
        current = self.identity()
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == current:
            return held[1]
        if held is not None:
            held[1].close()
            self._local.held = None
        con = connect(self.path)
        self._local.held = (current, con)
        return con
