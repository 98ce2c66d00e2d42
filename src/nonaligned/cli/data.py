"""Commands that build the store and read the vote record and its provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nonaligned import __version__, query
from nonaligned.build import build as build_store
from nonaligned.cli._app import DbOption, FormatOption, app, err, handle_errors, out
from nonaligned.output import Format, render
from nonaligned.store import connect, default_db_path


class _RichProgress:
    """Adapter from the build's progress protocol to one rich bar per stage."""

    def __init__(self, progress: Progress) -> None:
        self.progress, self.tasks = progress, {}

    def start(self, task: str, total: int) -> None:
        self.tasks[task] = self.progress.add_task(task, total=total)

    def advance(self, task: str, steps: int = 1) -> None:
        self.progress.advance(self.tasks[task], steps)


@app.command()
def build(
    db: DbOption = None,
    mirror: Annotated[
        Path | None,
        typer.Option(
            envvar="NONALIGNED_MIRROR",
            help="Directory laid out like the upstream data (for offline use).",
        ),
    ] = None,
    cache: Annotated[
        Path | None, typer.Option(envvar="NONALIGNED_CACHE", help="Download cache directory.")
    ] = None,
    offline: Annotated[
        bool, typer.Option(help="Never download; use mirror and cache only.")
    ] = False,
) -> None:
    """Build the store from the sources (mirror, then cache, then download), atomically."""
    target = db or default_db_path()
    with (
        handle_errors(),
        Progress(
            TextColumn("{task.description:<24}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
        ) as bar,
    ):
        counts = build_store(
            target, mirror=mirror, cache_dir=cache, offline=offline, progress=_RichProgress(bar)
        )
    summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    err.print(f"store written to {escape(str(target))}: {summary}", highlight=False)


@app.command()
def sources(db: DbOption = None, format: FormatOption = Format.table) -> None:
    """Each source in the store: version, checksums, coverage, citation and terms."""
    with handle_errors():
        frame = query.sources(connect(db))
        if format is Format.table:
            frame = frame[["source", "version", "files", "origin", "coverage", "terms"]]
        render(frame, format, out, title="Sources")


@app.command()
def cite(
    db: DbOption = None,
    bibtex: Annotated[bool, typer.Option(help="BibTeX entries instead of text.")] = False,
) -> None:
    """Citations for everything in the store."""
    with handle_errors():
        for entry in query.citations(connect(db), bibtex=bibtex):
            out.print(entry, markup=False, highlight=False, soft_wrap=True)
            out.print()


@app.command()
def vote(
    symbol: Annotated[str, typer.Argument(help="Resolution symbol, e.g. A/RES/ES-11/1.")],
    roll_call: Annotated[
        int | None, typer.Option(help="Roll call id, when a symbol has several recorded votes.")
    ] = None,
    summary: Annotated[
        bool, typer.Option(help="Counts by UN region instead of one row per member.")
    ] = False,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Who voted how on one resolution: one row per UN member at the time."""
    with handle_errors():
        votes = query.resolution_votes(connect(db), symbol, roll_call)
        totals = query.vote_totals(votes)
        title = f"{symbol} ({votes.date.iloc[0]:%d %B %Y}): " + ", ".join(
            f"{n} {k}" for k, n in totals.items()
        )
        render(query.vote_summary(votes) if summary else votes, format, out, title=title)


@app.command()
def votes(
    country: Annotated[str, typer.Option(help="ISO3 code, e.g. ZAF.")],
    year: Annotated[int | None, typer.Option(min=1946, max=2100)] = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """One country's votes, optionally for one year."""
    with handle_errors():
        render(query.country_votes(connect(db), country, year), format, out)


@app.command()
def coverage(
    db: DbOption = None,
    format: FormatOption = Format.table,
    excluded: Annotated[
        bool, typer.Option("--exclusions", help="List what the build excluded or repaired instead.")
    ] = False,
) -> None:
    """Roll calls and votes per year and source, or the exclusions and their rules."""
    with handle_errors():
        con = connect(db)
        frame = query.exclusions(con) if excluded else query.coverage(con)
        render(frame, format, out)


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)
