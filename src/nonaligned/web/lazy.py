"""Modules the web app imports on first use, not at start-up.

The charts (altair), the ideal points (numba, scipy) and the index (ibis) take
seconds to import together; the server must listen and answer its first pages
before that (docs/web.md gives the time ``nonaligned serve`` takes to answer
its first page). A route module names them as usual
(``charts.agreement(...)``) but holds a :class:`LazyModule`, so the import
happens in the worker thread of the first request that needs it, or in the
background fit.
"""

from __future__ import annotations

import importlib
import threading
from types import ModuleType
from typing import Any

_IMPORTING = threading.Lock()
"""One first import at a time. Two threads importing a package and one of its submodules at
once take their import locks in opposite orders (the submodule's first, then the package's),
which Python reports as a deadlock (an ImportError, so a 500); one at a time, the others wait."""


class LazyModule:
    """Stands for the module ``name``: the first attribute read imports it, later reads
    go straight to it. Safe from several threads (see ``_IMPORTING``)."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if attribute in ("_name", "_module"):  # not set yet (a copy being made): no recursion
            raise AttributeError(attribute)
        module = self._module
        if module is None:
            with _IMPORTING:
                module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"
