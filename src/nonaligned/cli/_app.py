"""The shared parts of the command line: the app, common options and error handling.

Exit codes: 0 success; 2 bad usage or an unknown country/symbol/year;
3 no store (run ``nonaligned build``); 4 a source file missing, failing its
checksum or failing to download; 5 upstream data that cannot be parsed.

Imports of the library's heavy modules (pandas, duckdb, ibis, numba, scipy,
altair) are local to the functions that use them, here and in every command
module: ``import nonaligned.cli`` then loads only typer, rich and light modules,
so that ``nonaligned serve`` (and every other command) starts in a fraction of a
second. Option types and defaults come from :mod:`nonaligned.constants`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from nonaligned import userfiles
from nonaligned.constants import Format
from nonaligned.errors import NonalignedError

if TYPE_CHECKING:
    from nonaligned.measures.votes import Selection
    from nonaligned.session import Store

app = typer.Typer(
    help="Measure, evaluate and check active nonalignment.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)


def _remember_store(value: Path | None) -> Path | None:
    """Record the store a command reads: its binary output carries that store's provenance."""
    from nonaligned.output import command_store
    from nonaligned.store import default_db_path

    command_store.set(Path(value) if value else default_db_path())
    return value


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="NONALIGNED_DB",
        help="Store file (default: user data dir).",
        callback=_remember_store,
    ),
]
FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="Output format; parquet and dta (Stata 118) are binary: redirect them to a file.",
    ),
]

# Roll-call selection, shared by every command that measures from votes.
IssueOption = Annotated[
    str | None, typer.Option(help="Only roll calls on one issue: me, nu, di, hr, co, ec.")
]
ImportantOption = Annotated[bool, typer.Option(help="Only important votes.")]
NoMiddleEastOption = Annotated[bool, typer.Option(help="Exclude Middle East votes.")]
ResolutionsOption = Annotated[bool, typer.Option(help="Exclude amendment and paragraph votes.")]


@contextmanager
def handle_errors() -> Iterator[None]:
    """Turn the project's errors into a message and the exit code their class carries."""
    try:
        yield
    except NonalignedError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None


def checked_selection(
    store: Store,
    year: int | None,
    issue: str | None,
    important: bool,
    no_middle_east: bool,
    resolutions_only: bool = False,
) -> Selection:
    """The roll-call selection of the shared options, refused (or warned about on stderr)
    where a flag it rests on is not recorded in ``year`` (see alignment.check_selection)."""
    from nonaligned import alignment

    chosen = alignment.selection(issue, important, no_middle_east, resolutions_only)
    for warning in alignment.check_selection(store, chosen, year):
        err.print(f"warning: {warning}", markup=False, highlight=False, soft_wrap=True)
    return chosen


def input_file(path: Path) -> Path:
    """Callback of file arguments: refuse, before any work, a file the commands must not read
    (a directory, a device, more than userfiles.MAX_INPUT_BYTES), with exit code 2."""
    with handle_errors():
        userfiles.read_capped(path)
    return path
