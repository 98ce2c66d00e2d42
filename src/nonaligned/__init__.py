"""nonaligned: measure, evaluate and check active nonalignment between the great powers.

``store = nonaligned.open()`` opens the built store (see :mod:`nonaligned.session`);
every library function that reads it takes that object.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nonaligned.session import Store

__version__ = "0.1.0"


def open(
    path: Path | str | None = None,
    *,
    engine: str | None = None,
    data: str | Path | None = None,
) -> Store:
    """The store at ``path`` (default ``$NONALIGNED_DB`` or the user data folder), opened.

    ``engine``: where the relational measures run (``duckdb``, ``spark``;
    default ``$NONALIGNED_ENGINE`` or DuckDB). ``data``: an exported store
    (``nonaligned export``) the votes are read from on that engine, checked
    now, and then the store file is not needed. Raises StoreError, saying how
    to build one, when there is no store (UsageError: no export at ``data``).
    """
    from nonaligned.session import Store  # imported here: `import nonaligned` stays instant

    store = Store(path, engine=engine, data=data)
    if data is None:
        return store.check()
    store.dataset  # noqa: B018  (checks the folder)
    return store
