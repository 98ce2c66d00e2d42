"""Memoised answers, valid for one store file (a :class:`nonaligned.session.Store` holds one).

Whole-record measures (pole alignment over all years, a year's dyads, the
index with its bootstrap) take seconds; the web app and the index answer the
same questions many times. Entries are keyed by the store file's identity,
so a rebuilt store is never answered from the old one's results.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class Memo:
    """A bounded, thread-safe LRU of results keyed by (store identity, question)."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[tuple, threading.Lock] = {}

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def peek(self, identity: Hashable, key: Hashable) -> Any:
        """The cached answer, or ``None`` without computing anything."""
        full = (identity, key)
        with self._lock:
            if full in self._items:
                self._items.move_to_end(full)
                return self._items[full]
        return None

    def get(self, identity: Hashable, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached answer to ``key`` for this store, computing it once if absent.

        Concurrent requests for the same missing key wait for one computation
        rather than each starting their own.
        """
        full = (identity, key)
        with self._lock:
            if full in self._items:
                self._items.move_to_end(full)
                return self._items[full]
            key_lock = self._key_locks.setdefault(full, threading.Lock())
        with key_lock:
            with self._lock:
                if full in self._items:
                    return self._items[full]
            value = compute()
            with self._lock:
                self._items[full] = value
                self._key_locks.pop(full, None)
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
            return value
