"""Commands that build the store and read the vote record and its provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import nonaligned
from nonaligned import __version__
from nonaligned.cli._app import DbOption, FormatOption, app, err, handle_errors, out
from nonaligned.constants import Format
from nonaligned.errors import UsageError


class _RichProgress:
    """Adapter from the build's progress protocol to one rich bar per stage."""

    def __init__(self, progress: Progress) -> None:
        self.progress, self.tasks = progress, {}

    def start(self, task: str, total: int) -> None:
        self.tasks[task] = self.progress.add_task(task, total=total)

    def advance(self, task: str, steps: int = 1) -> None:
        self.progress.advance(self.tasks[task], steps)


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
    )


def _written(target: Path, counts: dict[str, int]) -> None:
    summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    err.print(f"store written to {escape(str(target))}: {summary}", highlight=False)


MirrorOption = Annotated[
    Path | None,
    typer.Option(
        envvar="NONALIGNED_MIRROR",
        help="Directory laid out like the upstream data (for offline use).",
    ),
]
CacheOption = Annotated[
    Path | None, typer.Option(envvar="NONALIGNED_CACHE", help="Download cache directory.")
]


@app.command()
def build(
    db: DbOption = None,
    mirror: MirrorOption = None,
    cache: CacheOption = None,
    offline: Annotated[
        bool, typer.Option(help="Never download; use mirror and cache only.")
    ] = False,
) -> None:
    """Build the store from the sources (mirror, then cache, then download), atomically."""
    from nonaligned.build import build as build_store
    from nonaligned.store import default_db_path

    target = db or default_db_path()
    with handle_errors(), _bar() as bar:
        counts = build_store(
            target, mirror=mirror, cache_dir=cache, offline=offline, progress=_RichProgress(bar)
        )
    _written(target, counts)


@app.command()
def refresh(
    source: Annotated[
        list[str] | None,
        typer.Argument(help="Live sources to fetch anew (default: all of them)."),
    ] = None,
    db: DbOption = None,
    mirror: MirrorOption = None,
    cache: Annotated[  # text, so that an empty value is refused rather than read as "."
        str | None, typer.Option(envvar="NONALIGNED_CACHE", help="Download cache directory.")
    ] = None,
) -> None:
    """Fetch newer data from the live sources, then rebuild the store atomically.

    Without a network it fails (exit 4) naming the source and host; the store is unchanged.
    """
    from nonaligned.refresh import refresh as refresh_store
    from nonaligned.store import default_db_path

    target = db or default_db_path()
    with handle_errors():
        if cache is not None and not cache.strip():
            raise UsageError("--cache is empty: name the download cache folder, or leave it out")
    with handle_errors(), _bar() as bar:
        counts = refresh_store(
            target,
            source or (),
            mirror=mirror,
            cache_dir=Path(cache) if cache else None,
            progress=_RichProgress(bar),
        )
    _written(target, counts)


@app.command()
def sources(db: DbOption = None, format: FormatOption = Format.table) -> None:
    """Each source in the store: version, checksums, coverage, citation and terms."""
    from nonaligned import query
    from nonaligned.output import render

    with handle_errors():
        frame = query.sources(nonaligned.open(db))
        if format is Format.table:
            frame = frame.assign(retrieved=frame.retrieved_at.dt.date)
            frame = frame[["source", "version", "last_year", "retrieved", "files", "origin"]]
        render(frame, format, out, title="Sources")


@app.command()
def cite(
    db: DbOption = None,
    bibtex: Annotated[bool, typer.Option(help="BibTeX entries instead of text.")] = False,
) -> None:
    """Citations for everything in the store."""
    from nonaligned import query

    with handle_errors():
        for entry in query.citations(nonaligned.open(db), bibtex=bibtex):
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
    from nonaligned import query
    from nonaligned.output import render

    with handle_errors():
        votes = query.resolution_votes(nonaligned.open(db), symbol, roll_call)
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
    from nonaligned import query
    from nonaligned.output import render

    with handle_errors():
        render(query.country_votes(nonaligned.open(db), country, year), format, out)


@app.command()
def coverage(
    db: DbOption = None,
    format: FormatOption = Format.table,
    excluded: Annotated[
        bool, typer.Option("--exclusions", help="List what the build excluded or repaired instead.")
    ] = False,
    trade: Annotated[
        bool,
        typer.Option(
            "--trade", help="Trade rows per year and source, and the DOTS/IMTS agreement instead."
        ),
    ] = False,
) -> None:
    """Roll calls and votes per year and source, the exclusions, or trade and its overlap."""
    from nonaligned import query
    from nonaligned.output import render
    from nonaligned.trade_merge import MIN_CELL_USD, TOLERANCE

    with handle_errors():
        store = nonaligned.open(db)
        if trade:
            title = (
                f"Trade by year and source; overlap: cells within {TOLERANCE:.0%} "
                f"(both >= US${MIN_CELL_USD:,.0f}); year empty = all overlap years"
            )
            render(query.trade_coverage(store), format, out, title=title)
            return
        frame = query.exclusions(store) if excluded else query.coverage(store)
        render(frame, format, out)


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)
