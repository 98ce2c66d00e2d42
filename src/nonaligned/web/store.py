"""Read-only store access for the web app: one DuckDB database per store file, one
cursor per worker thread, reopened when a rebuild replaces the file.

DuckDB connections are not safe to share between threads, so each thread
reads through its own cursor of the open database. A rebuild writes a new
file and renames it over the old one; DuckDB keeps one database instance per
path while any connection to it is open, so a plain reconnect would go on
reading the old file. The handle therefore works like a readers-writer lock:
requests read inside :meth:`StoreHandle.reading`; the first request that
sees a new file identity waits for the requests in flight to finish, closes
every cursor of the old file, and opens the new one. Readers keep answering
throughout: before the swap from the old file, after it from the new.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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
    """Hands each thread a read-only cursor of the current store file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._cond = threading.Condition()
        self._readers = 0
        self._reloading = False
        self._generation = 0
        self._root: duckdb.DuckDBPyConnection | None = None
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._local = threading.local()
        self.loaded_identity: Identity | None = None
        atexit.register(self.close_all)

    def identity(self) -> Identity | None:
        """The store file's identity now (``None`` if there is no file)."""
        return _identity(self.path)

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Read the current store; (re)opens it first if the file was replaced.

        Not re-entrant: call it once per request, in the thread that queries.
        Raises StoreError (via :func:`nonaligned.store.connect`) with no store.
        """
        current = self.identity()
        with self._cond:
            while self._reloading:
                self._cond.wait()
            if self._root is None or current != self.loaded_identity:
                self._reloading = True
                try:
                    while self._readers:
                        self._cond.wait()
                    self._reopen(current)
                finally:
                    self._reloading = False
                    self._cond.notify_all()
            self._readers += 1
        try:
            yield self.connection()
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    def connection(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor of the open store (call inside :meth:`reading`)."""
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == self._generation:
            return held[1]
        if self._root is None:
            raise RuntimeError("StoreHandle.connection() called outside reading()")
        cursor = self._root.cursor()
        with self._cond:
            self._cursors.append(cursor)
        self._local.held = (self._generation, cursor)
        return cursor

    def _reopen(self, identity: Identity | None) -> None:
        self._close_open()
        self._root = connect(self.path)
        self.loaded_identity = identity
        self._generation += 1

    def _close_open(self) -> None:
        for con in [*self._cursors, *([self._root] if self._root is not None else [])]:
            con.close()
        self._cursors, self._root = [], None

    def close_all(self) -> None:
        """Close the open store (at exit: a DuckDB connection left open in a worker thread
        that is still alive when the interpreter exits aborts the process)."""
        with self._cond:
            self._close_open()
