"""The ``nonaligned`` command line: a thin layer over the library.

Exit codes: 0 success; 2 bad usage or an unknown country/symbol/year;
3 no store (run ``nonaligned build``); 4 a source file missing, failing its
checksum or failing to download; 5 upstream data that cannot be parsed.

Each submodule registers the commands of one area on the shared ``app``.
"""

from nonaligned.cli import (  # noqa: F401  (registers commands)
    claims,
    data,
    diplomacy,
    economy,
    engagement,
    export,
    idealpoints,
    observatory,
    strategy,
    web,
)
from nonaligned.cli._app import app

__all__ = ["app"]
