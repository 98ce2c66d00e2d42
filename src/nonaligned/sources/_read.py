"""Readers shared by the source parsers, each turning a library failure into a DataError."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadr

from nonaligned.errors import DataError


def read_rda(path: Path, expected: str) -> pd.DataFrame:
    """The data frame named ``expected`` from an R data file (.rda/.RData)."""
    try:
        objects = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises bare library errors on damaged files
        raise DataError(f"cannot read R data file ({exc})", path=path) from exc
    if expected not in objects:
        raise DataError(
            f"R object {expected!r} not found (found: {', '.join(objects) or 'none'})",
            path=path,
            field=expected,
        )
    return objects[expected]


def require_columns(frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    """Fail with the first missing column named, so a changed upstream layout is obvious."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"missing column(s) {missing}", path=path, field=missing[0])


def read_csv(path: Path, columns: list[str], **kwargs) -> pd.DataFrame:
    """A CSV read as text, with its expected columns checked."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], **kwargs)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"cannot parse CSV ({exc})", path=path) from exc
    require_columns(frame, columns, path)
    return frame
