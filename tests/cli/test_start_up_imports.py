"""What starting the CLI, opening a store and creating the web app import (issue 14: `serve`
must answer within 2 s, and imports were most of its start-up). A check of which modules are
loaded, not of time: pandas, ibis, numba, scipy and altair take seconds together, and every
command or route that needs them imports them when it runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pandas", "ibis", "numba", "scipy", "altair", "pyarrow")


def _loaded(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize(
    "code",
    [
        "import nonaligned.cli",
        "import nonaligned.session",
        "from nonaligned.web import create_app",
    ],
)
def test_start_up_imports_none_of_the_heavy_libraries(code):
    heavy = set(HEAVY) - {"pandas", "pyarrow"} if "web" in code else set(HEAVY)
    assert _loaded(code) & heavy == set()


def test_a_store_opens_without_pandas(synthetic_store):
    code = f"import nonaligned\nnonaligned.open({str(synthetic_store)!r}).close()"
    assert _loaded(code) == set()
