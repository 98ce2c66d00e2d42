"""The project's own error types.

Every failure a user can cause or meet (a missing file, a bad row, an unknown
country) is raised as a :class:`NonalignedError`, so that the CLI and the web
app can turn it into a clear message and a non-zero exit code instead of a
traceback. Data errors carry the file, line and field they concern.
"""

from __future__ import annotations

from pathlib import Path


class NonalignedError(Exception):
    """Base class of every error the project raises on purpose."""


class DataError(NonalignedError):
    """Upstream data that cannot be parsed as promised.

    ``line`` is 1-based and refers to the physical line (or row, for tables)
    of ``path``; ``field`` names the column or key at fault.
    """

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


class AcquisitionError(NonalignedError):
    """A source file that could not be found, downloaded or verified."""


class StoreError(NonalignedError):
    """A store that is missing, unreadable or not built yet."""
