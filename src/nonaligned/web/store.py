"""Read-only store connections for the web app, one per worker thread.

DuckDB connections are not safe to share between threads, and a rebuild
replaces the store file by renaming a new one over it. Each thread keeps its
own read-only connection and reopens it when the file's identity (inode,
modification time, size) changes, so readers keep answering during and after
a rebuild: until the rename they read the old file, then the new one.

Every connection opened is also remembered so that :meth:`StoreHandle.close_all`
can close them at shutdown: a DuckDB connection left open in a worker thread
that is still alive when the interpreter exits aborts the process.
"""

from __future__ import annotations

import atexit
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
        self._lock = threading.Lock()
        self._opened: list[duckdb.DuckDBPyConnection] = []
        atexit.register(self.close_all)

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
            self._forget(held[1])
            self._local.held = None
        con = connect(self.path)
        with self._lock:
            self._opened.append(con)
        self._local.held = (current, con)
        return con

    def _forget(self, con: duckdb.DuckDBPyConnection) -> None:
        with self._lock:
            self._opened = [c for c in self._opened if c is not con]
        con.close()

    def close_all(self) -> None:
        """Close every connection this handle opened (at app shutdown and at exit)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for con in opened:
            con.close()
