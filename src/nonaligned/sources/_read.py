"""Readers shared by the source parsers, each turning a library failure into a DataError."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import pandas as pd
import pyreadr

from nonaligned.errors import DataError, NonalignedError

P = ParamSpec("P")
UNFORESEEN = (ValueError, TypeError, KeyError, IndexError, AttributeError, ArithmeticError)
R = TypeVar("R")


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


def parser(func: Callable[P, R]) -> Callable[P, R]:
    """Make every failure of a parser a DataError naming its input file(s).

    The parsers check what they expect and raise precise DataErrors; this is
    the net under those checks, for damage nobody foresaw (a number column
    full of text, bytes that are not UTF-8, a table with no rows). Found by
    fuzzing (tests/cli/test_fuzz.py): without it such input escaped as a bare
    ValueError or KeyError and a traceback.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except NonalignedError:
            raise
        except UNFORESEEN as exc:
            raise DataError(
                f"unexpected content ({type(exc).__name__}: {exc})", path=_paths(args) or None
            ) from exc

    return wrapper


def _paths(args: tuple) -> str:
    """The file paths among a parser's arguments (lists of paths included), joined."""
    found: list[str] = []
    for arg in args:
        items = arg if isinstance(arg, list | tuple) else [arg]
        found.extend(str(item) for item in items if isinstance(item, Path))
    return ", ".join(found)
