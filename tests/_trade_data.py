"""The parsed DOTS table, parsed once per test session (about ten seconds)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
from conftest import MIRROR

from nonaligned.sources import imf_dots, memberships


def dots_paths() -> list[Path]:
    return [MIRROR / f.relpath for f in imf_dots.SOURCE.files]


@cache
def dots() -> pd.DataFrame:
    return imf_dots.parse(dots_paths())


@cache
def member_table() -> pd.DataFrame:
    return memberships.parse(MIRROR / "memberships" / "memberships.csv")
