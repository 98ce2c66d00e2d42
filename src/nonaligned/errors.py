"""The project's own error types, each carrying how it is reported.

Every failure a user can cause or meet (a missing file, a bad row, an unknown
country) is raised as a :class:`NonalignedError`, so that the CLI and the web
app can turn it into a clear message instead of a traceback. Each class says
once how it is reported: ``exit_code`` for the CLI (0 success; 2 bad usage or
an unknown country, symbol or year; 3 store; 4 acquisition; 5 upstream data)
and ``http_status`` for the web app. Both surfaces read these attributes and
nothing else, so a new error class cannot be reported differently by the two.
Data errors carry the file, line and field they concern.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar


class NonalignedError(Exception):
    """Base class of every error the project raises on purpose.

    The defaults say "input refused" (exit 2, HTTP 400): an error of the
    project's own that no subclass describes better is a refusal to answer.
    """

    exit_code: ClassVar[int] = 2
    http_status: ClassVar[int] = 400


class QueryError(NonalignedError):
    """A question the store cannot answer as asked (unknown symbol, country, year)."""

    exit_code = 2
    http_status = 400


class NotFoundError(QueryError):
    """A resource a web request names that does not exist (a page's 404)."""

    http_status = 404


class UsageError(NonalignedError):
    """An option value or input file refused before any work (NaN threshold, oversized file,
    output that would overwrite a file)."""

    exit_code = 2
    http_status = 400


class EngineError(UsageError):
    """An engine that is unknown or cannot be started (no PySpark, no Java).

    HTTP 500: the web app never takes an engine from a request, so there it is
    the server's configuration that is wrong, not the request.
    """

    http_status = 500


class ReportError(NonalignedError):
    """A brief that cannot be produced as asked (e.g. no browser to print the PDF)."""

    exit_code = 2
    http_status = 500


class StoreError(NonalignedError):
    """A store that is missing, unreadable, being replaced or not writable."""

    exit_code = 3
    http_status = 503


class AcquisitionError(NonalignedError):
    """A source file that could not be found, downloaded or verified."""

    exit_code = 4
    http_status = 503


class DataError(NonalignedError):
    """Upstream data that cannot be parsed as promised.

    ``line`` is 1-based and refers to the physical line (or row, for tables)
    of ``path``; ``field`` names the column or key at fault. HTTP 500: in the
    web app, data that cannot be parsed are the server's, not the request's.
    """

    exit_code = 5
    http_status = 500

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        self.reason = message
        where = ", ".join(
            part
            for part in (
                f"file {self.path}" if self.path else "",
                f"line {line}" if line is not None else "",
                f"field {field!r}" if field else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class UnknownCountryError(DataError):
    """A country name or code that the countries module cannot map to ISO3."""


class OfferError(QueryError, DataError):
    """An offers document that cannot be evaluated as written (bad user input, exit code 2).

    ``problems`` lists every ``(offer_id, field, message)`` found; ``offer``
    and ``field`` are those of the first. The message names them all.
    """

    def __init__(self, problems: list[tuple[str | None, str | None, str]], path: str | None):
        self.problems = problems
        self.offer = problems[0][0]
        lines = [
            ", ".join(
                part
                for part in (
                    f"offer {offer!r}" if offer is not None else "",
                    f"field {field!r}" if field else "",
                )
                if part
            )
            + f": {message}"
            for offer, field, message in problems
        ]
        head = f"{len(problems)} problem(s) in the offers document"
        DataError.__init__(self, head + ":\n  " + "\n  ".join(lines), path=path)
        self.field = problems[0][1]


class ClaimsFileError(QueryError):
    """A claims file that cannot be checked as written: every problem found, each located.

    A claims file is the user's input, so it is a :class:`QueryError` (exit
    code 2), not an upstream :class:`DataError`. ``problems`` are the located
    problems (``nonaligned.claims.spec.Problem``), each printed on its line.
    """

    def __init__(self, path: str, problems: Sequence[object]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        count = f"{len(problems)} problem" + ("s" if len(problems) > 1 else "")
        super().__init__(f"claims file {path}: {count}, nothing checked:\n{lines}")
