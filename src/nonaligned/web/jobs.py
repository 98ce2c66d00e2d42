"""Whole-record computations that take minutes, run in the background.

Ideal points with bootstrap errors are fitted on the whole vote record at
once. A request must not wait for that: the first one starts the fit in a
background thread and is answered 202 ("computing"), later ones get the
result once it is there. A failed job is forgotten, so the next request
retries it. Threads are daemons so that stopping the server never waits
for a fit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any


class _Job:
    def __init__(self, compute: Callable[[], Any]) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None
        self.started = time.monotonic()
        self._compute = compute
        threading.Thread(target=self._run, daemon=True, name="nonaligned-job").start()

    def _run(self) -> None:
        try:
            self.value = self._compute()
        except BaseException as exc:  # handed to the request that asks next
            self.error = exc
        finally:
            self.done.set()


class Jobs:
    """Background jobs keyed by (store identity, question); one run per key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[Hashable, _Job] = {}

    def start(self, key: Hashable, compute: Callable[[], Any]) -> _Job:
        """The job under ``key``, started now if there is none (its error is kept for
        :meth:`result`, not raised here: start-up must not fail on it)."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                job = self._jobs[key] = _Job(compute)
            return job

    def result(self, key: Hashable, compute: Callable[[], Any]) -> Any | None:
        """The job's result if finished, else ``None`` (starting it if needed).

        Re-raises the job's error once, then forgets the job so it can be retried.
        """
        job = self.start(key, compute)
        if not job.done.is_set():
            return None
        if job.error is not None:
            with self._lock:
                self._jobs.pop(key, None)
            raise job.error
        return job.value

    def elapsed(self, key: Hashable) -> float | None:
        """Seconds since the job started (None: no such job); the progress a 202 reports."""
        with self._lock:
            job = self._jobs.get(key)
        return None if job is None else time.monotonic() - job.started
