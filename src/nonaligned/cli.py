"""The ``nonaligned`` command line: a thin layer over the library.

Exit codes: 0 success; 2 bad usage or an unknown country/symbol/year;
3 no store (run ``nonaligned build``); 4 a source file missing, failing its
checksum or failing to download; 5 upstream data that cannot be parsed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nonaligned import __version__, alignment, exposure, query
from nonaligned.build import build as build_store
from nonaligned.errors import AcquisitionError, DataError, NonalignedError, StoreError
from nonaligned.output import Format, render
from nonaligned.store import connect, default_db_path

app = typer.Typer(
    help="Measure, evaluate and check active nonalignment.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

EXIT_CODES = {query.QueryError: 2, StoreError: 3, AcquisitionError: 4, DataError: 5}

DbOption = Annotated[
    Path | None,
    typer.Option("--db", envvar="NONALIGNED_DB", help="Store file (default: user data dir)."),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


@contextmanager
def _errors() -> Iterator[None]:
    """Turn the project's errors into a message and a meaningful exit code."""
    try:
        yield
    except NonalignedError as exc:
        code = next((c for t, c in EXIT_CODES.items() if isinstance(exc, t)), 1)
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(code) from None


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
        _errors(),
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
    with _errors():
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
    with _errors():
        for entry in query.citations(connect(db), bibtex=bibtex):
            out.print(entry, highlight=False, soft_wrap=True)
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
    with _errors():
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
    with _errors():
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
    with _errors():
        con = connect(db)
        frame = query.exclusions(con) if excluded else query.coverage(con)
        render(frame, format, out)


@app.command()
def trade(
    country: Annotated[str, typer.Argument(help="ISO3 code, e.g. CHL.")],
    year: Annotated[int | None, typer.Option(help="One year (default: all years).")] = None,
    include_hk_macao: Annotated[
        bool, typer.Option(help="Count Hong Kong and Macao in the CHN pole.")
    ] = False,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Goods trade with each pole (USA, CHN, RUS, EU) and the world, in US dollars and shares."""
    with _errors():
        render(exposure.trade(connect(db), country, year, include_hk_macao), format, out)


@app.command("trade-growth")
def trade_growth(
    partner: Annotated[str, typer.Option(help="Pole (USA, CHN, RUS, EU), WLD or an ISO3 code.")],
    from_year: Annotated[int, typer.Option("--from", help="Start year.")],
    to_year: Annotated[int, typer.Option("--to", help="End year.")],
    region: Annotated[
        str | None,
        typer.Option(help='UN M49 region or sub-region, e.g. "Latin America and the Caribbean".'),
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="ISO3 code, instead of a region.")
    ] = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Growth multiple of a region's (or country's) trade with a partner between two years."""
    with _errors():
        render(
            exposure.trade_growth(connect(db), partner, from_year, to_year, region, country),
            format,
            out,
        )


@app.command()
def concentration(
    year: Annotated[int | None, typer.Option(help="One year (default: all years).")] = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Hirschman-Herfindahl concentration of each country's trade partners."""
    with _errors():
        render(exposure.concentration(connect(db), year), format, out)


@app.command()
def finance(
    country: Annotated[str, typer.Argument(help="ISO3 code, e.g. AGO.")],
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Debt owed to China (level, percent of GDP) and Chinese official finance commitments."""
    with _errors():
        render(exposure.finance(connect(db), country), format, out)


IssueOption = Annotated[
    str | None, typer.Option(help="Only roll calls on one issue: me, nu, di, hr, co, ec.")
]
ImportantOption = Annotated[bool, typer.Option(help="Only important votes.")]
NoMiddleEastOption = Annotated[bool, typer.Option(help="Exclude Middle East votes.")]
ResolutionsOption = Annotated[bool, typer.Option(help="Exclude amendment and paragraph votes.")]


@app.command("alignment")
def alignment_command(
    country: Annotated[str, typer.Argument(help="ISO3 code, e.g. BRA.")],
    issue: IssueOption = None,
    important: ImportantOption = False,
    no_middle_east: NoMiddleEastOption = False,
    resolutions_only: ResolutionsOption = False,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Agreement, kappa, pi and S score with USA, CHN, RUS and the EU, per year."""
    with _errors():
        chosen = alignment.selection(issue, important, no_middle_east, resolutions_only)
        render(alignment.alignment(connect(db), country, chosen), format, out)


@app.command()
def dyads(
    year: Annotated[int, typer.Option(min=1946, max=2100)],
    issue: IssueOption = None,
    important: ImportantOption = False,
    no_middle_east: NoMiddleEastOption = False,
    resolutions_only: ResolutionsOption = False,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Every dyad's agreement, kappa, pi and S score in one year."""
    with _errors():
        chosen = alignment.selection(issue, important, no_middle_east, resolutions_only)
        render(alignment.dyads(connect(db), year, chosen), format, out)


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)
