"""One open store: the read-only database, its identity, its caches and its engine.

Every library function that reads the store takes a :class:`Store` (made by
:func:`nonaligned.open`); the CLI makes one per command, the web app one per
process. Why one object: the store's identity, the caches keyed on it, the
per-thread cursors and the engine choice were each kept in several places
before, and disagreed (three notions of identity, a process-wide engine).

Identity is the file's ``(inode, mtime_ns, size)``: a build writes a new file
and renames it over the old one, so every rebuild changes it. Both caches are
keyed on it: :attr:`Store.memo` (answers in memory) and :meth:`Store.cached`
(whole-record frames on disk beside the store, ``<store>.cache/``).

Reading works like a readers-writer lock (the web app serves while a build
replaces the file): :meth:`Store.reading` hands the calling thread its own
cursor of the open file (a DuckDB connection is not safe to share between
threads); the first reader that finds a new file identity waits for the
readers in flight, closes every cursor of the old file and opens the new
one. It is re-entrant per thread, so a request can hold one snapshot while
the reading functions it calls take their own; a background fit reads inside
it and computes outside it, so a swap never waits for a fit.
"""

from __future__ import annotations

import atexit
import os
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from nonaligned import engines
from nonaligned.memo import Memo
from nonaligned.store import connect, default_db_path

if TYPE_CHECKING:
    import pandas as pd

    from nonaligned.dataset import Dataset

Identity = tuple[int, int, int]

_OPEN: weakref.WeakSet[Store] = weakref.WeakSet()
"""Every session not yet collected: closed at exit (see :meth:`Store.close`)."""


@atexit.register
def _close_open_stores() -> None:
    for store in list(_OPEN):
        store.close()


def file_identity(path: Path) -> Identity | None:
    """``(inode, mtime_ns, size)`` of the file at ``path`` (None: no such file)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class Store:
    """The store at ``path`` (default: ``--db``/``NONALIGNED_DB``/the user data folder),
    read on ``engine``, with the votes optionally read from an exported ``data`` folder."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        engine: str | None = None,
        data: str | Path | None = None,
    ) -> None:
        self.path = Path(path) if path else default_db_path()
        self.engine = engines.engine_name(engine)
        self.memo = Memo()
        self._data = data
        self._dataset: Dataset | None = None
        self._cond = threading.Condition()
        self._readers = 0
        self._reloading = False
        self._generation = 0
        self._root: duckdb.DuckDBPyConnection | None = None
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._local = threading.local()
        self.loaded_identity: Identity | None = None
        _OPEN.add(self)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, engine={self.engine!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def identity(self) -> Identity | None:
        """The store file's identity now (None if there is no file)."""
        return file_identity(self.path)

    @property
    def dataset(self) -> Dataset | None:
        """The exported store the votes are read from on the engine (``--data``), or None."""
        if self._data is not None and self._dataset is None:
            from nonaligned.dataset import Dataset

            self._dataset = Dataset(self._data, self.engine)
        return self._dataset

    def check(self) -> Store:
        """Open the file now: a StoreError saying how to build one if there is none."""
        with self.reading():
            return self

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """This thread's cursor of the current file, (re)opened first if it was replaced.

        Raises StoreError (from :func:`nonaligned.store.connect`) without a store.
        """
        depth = getattr(self._local, "depth", 0)
        if depth:  # already reading in this thread: the same snapshot
            self._local.depth = depth + 1
            try:
                yield self._cursor()
            finally:
                self._local.depth = depth
            return
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
        self._local.depth = 1
        try:
            yield self._cursor()
        finally:
            self._local.depth = 0
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    def frame(self, sql: str, parameters: list[Any] | None = None) -> pd.DataFrame:
        """One query's rows as a pandas frame, fetched before the read ends."""
        with self.reading() as con:
            return con.execute(sql, parameters or []).df()

    def fetchone(self, sql: str, parameters: list[Any] | None = None) -> tuple | None:
        """One query's first row (None: no row)."""
        with self.reading() as con:
            return con.execute(sql, parameters or []).fetchone()

    def fetchall(self, sql: str, parameters: list[Any] | None = None) -> list[tuple]:
        """One query's rows as tuples."""
        with self.reading() as con:
            return con.execute(sql, parameters or []).fetchall()

    def cached(
        self, name: str, settings: dict[str, object], compute: Callable[[], pd.DataFrame]
    ) -> pd.DataFrame:
        """``compute()``, kept on disk beside the store under its identity and ``settings``."""
        from nonaligned import frame_cache  # pandas and pyarrow: not needed to open a store

        return frame_cache.cached(self.path, self.identity(), name, settings, compute)

    def remembered(self, key: object, compute: Callable[[], Any]) -> Any:
        """``compute()``, kept in memory for this store file (see :class:`Memo`)."""
        with self.reading():
            identity = self.loaded_identity
        return self.memo.get(identity, key, compute)

    def close(self) -> None:
        """Close the open file (at exit too: a DuckDB connection left open in a live
        worker thread when the interpreter exits aborts the process)."""
        with self._cond:
            for con in [*self._cursors, *([self._root] if self._root is not None else [])]:
                con.close()
            self._cursors, self._root = [], None

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == self._generation:
            return held[1]
        assert self._root is not None, "a cursor is handed out inside reading() only"
        cursor = self._root.cursor()
        with self._cond:
            self._cursors.append(cursor)
        self._local.held = (self._generation, cursor)
        return cursor

    def _reopen(self, identity: Identity | None) -> None:
        self.close()
        self._root = connect(self.path)
        self.loaded_identity = identity
        self._generation += 1
