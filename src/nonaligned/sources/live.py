"""Sources without a fixed release: polite downloads into resumable, dated snapshots.

A fixed source (a DOTS workbook, the Datahub WDI copy) has one known version
and is verified by its sha256 (:mod:`nonaligned.sources.acquire`). A *live*
source (the IMF's IMTS API, the World Bank's WDI API) answers differently
every month, so no checksum can be known in advance: its responses are
verified by schema and plausibility when parsed, and the store's provenance
records what was actually received (URL, retrieval time, sha256 of the bytes).

Responses are kept in a **snapshot**: a folder ``<cache>/<directory>/<id>/``
named by the UTC time it was started, one file per request. A file lands
under its final name only once the whole response has arrived (written
beside it, then renamed), so an interrupted download leaves nothing that
counts; a request whose file exists is not sent again, so a rerun resumes
where the last one stopped. ``manifest.json`` is written last, when every
request has its file: only snapshots with a manifest are used by a build.
An air-gapped user copies such a folder into the mirror at the same path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar
from urllib.parse import urlsplit

import httpx

from nonaligned import __version__
from nonaligned.countries import countries_frame
from nonaligned.errors import AcquisitionError, DataError
from nonaligned.sources.acquire import CHUNK, remove_stale_parts, sha256_of
from nonaligned.sources.base import Source

__all__ = [
    "MANIFEST",
    "Loaded",
    "PoliteClient",
    "accept",
    "finish_snapshot",
    "known_codes",
    "latest_snapshot",
    "load",
    "open_snapshot",
    "provenance_rows",
    "read_manifest",
    "write_atomic",
]

MANIFEST = "manifest.json"
REQUEST = "request.json"
USER_AGENT = f"nonaligned/{__version__} (research toolkit; polite, rate-limited)"
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
BACKOFF = 1.0  # seconds before the first retry, doubled for each further one
T = TypeVar("T")


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` beside ``target`` and rename it into place (never a half file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115  (renamed below)
        dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".part", delete=False
    )
    part = Path(handle.name)
    try:
        with handle:
            handle.write(data)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)


@cache
def known_codes() -> frozenset[str]:
    """The ISO3 codes the countries module knows, current and former states."""
    return frozenset(countries_frame().iso3)


def accept(unchecked: Path, target: Path, check: Callable[[Path], object]) -> None:
    """Rename a downloaded response to ``target`` once ``check`` (a parser) passes.

    A response that fails is kept beside as ``<target>.rejected`` for a person
    to inspect, and the parser's DataError (naming file, line and field) goes
    on: a rejected response never counts as downloaded.
    """
    try:
        check(unchecked)
    except DataError:
        unchecked.replace(target.with_name(target.name + ".rejected"))
        raise
    unchecked.replace(target)


def _complete(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / MANIFEST).is_file())


def latest_snapshot(
    directory: str, mirror: Path | None, cache_dir: Path
) -> tuple[Path, dict] | None:
    """The newest complete snapshot of ``directory`` in the mirror or the cache, and its
    manifest (names are UTC start times, so the newest is the greatest name; the mirror's
    wins a tie); None if there is none."""
    found = [p for base in (mirror, cache_dir) if base for p in _complete(Path(base) / directory)]
    if not found:
        return None
    snapshot = max(found, key=lambda p: p.name)
    return snapshot, read_manifest(snapshot)


def open_snapshot(cache_dir: Path, directory: str, request: dict) -> Path:
    """The snapshot to download into: an unfinished one asking the same ``request``
    (so that a rerun resumes it), else a new one named by the current UTC time."""
    root = cache_dir / directory
    if root.is_dir():
        for candidate in sorted(root.iterdir(), reverse=True):
            if (candidate / MANIFEST).is_file() or not (candidate / REQUEST).is_file():
                continue
            with contextlib.suppress(ValueError, OSError):
                if json.loads((candidate / REQUEST).read_text()) == request:
                    return candidate
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    snapshot = root / stamp
    write_atomic(snapshot / REQUEST, json.dumps(request, indent=1).encode())
    return snapshot


def finish_snapshot(snapshot: Path, manifest: dict) -> None:
    """Mark ``snapshot`` complete and remove the older ones of the same directory."""
    finished = {**manifest, "completed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    write_atomic(snapshot / MANIFEST, json.dumps(finished, indent=1).encode())
    for older in snapshot.parent.iterdir():
        if older.is_dir() and older.name < snapshot.name:
            shutil.rmtree(older, ignore_errors=True)


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """A live source's newest complete snapshot as a build takes it: the parsed ``data``
    and one provenance row per response."""

    data: T
    provenance: list[dict]


Reader = Callable[[Path, dict], tuple[T, list[tuple[Path, str]], str]]


def load(
    source: Source, directory: str, mirror: Path | None, cache_dir: Path, read: Reader[T]
) -> Loaded[T] | None:
    """The newest complete snapshot of ``directory`` (mirror or cache), or None if none.

    ``read(snapshot, manifest)`` parses it and returns ``(data, files, coverage)``:
    ``files`` pairs each response file with the URL it came from.
    """
    found = latest_snapshot(directory, mirror, cache_dir)
    if found is None:
        return None
    snapshot, manifest = found
    data, files, coverage = read(snapshot, manifest)
    return Loaded(data, provenance_rows(source, snapshot, mirror, files, coverage))


def read_manifest(snapshot: Path) -> dict:
    """The manifest of a complete snapshot."""
    return json.loads((snapshot / MANIFEST).read_text())


def provenance_rows(
    source: Source,
    snapshot: Path,
    mirror: Path | None,
    files: Iterable[tuple[Path, str]],
    coverage: str,
) -> list[dict]:
    """One provenance row per response file of a complete snapshot: the source's citation
    and terms, the snapshot as version, and the file's URL, sha256, size, retrieval time.

    ``files`` pairs each file with the URL it came from. The sha256 is that of
    the bytes received, which is what a live source can be checked against later.
    """
    fields = asdict(source)
    del fields["files"], fields["name"]
    completed = read_manifest(snapshot)["completed_at"]
    fields.update(
        source=source.name,
        version=f"live, snapshot {snapshot.name} (completed {completed})",
        coverage=coverage,
    )
    origin = "mirror" if mirror and snapshot.is_relative_to(Path(mirror).resolve()) else "cache"
    rows = []
    for path, url in files:
        rows.append(
            {
                **fields,
                "file": str(Path(snapshot.parent.name) / snapshot.name / path.name),
                "url": url,
                "sha256": sha256_of(path),
                "size": path.stat().st_size,
                "retrieved_at": dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(
                    tzinfo=None
                ),
                "origin": origin,
            }
        )
    return rows


class PoliteClient:
    """An HTTP client that waits ``interval`` seconds between requests and retries.

    A host that cannot be reached at all (refused, unresolvable) fails at once:
    that is a missing network, not a hiccup. Other transport failures
    (timeouts, a connection cut mid-response), HTTP 429 and 5xx are retried
    ``retries`` times with
    exponential backoff (``backoff`` × 2^attempt seconds, or the server's
    ``Retry-After`` if it asks for longer, capped at a minute). Anything else
    that is not 200 is returned to the caller, which knows what it means.
    """

    def __init__(
        self,
        *,
        interval: float = 0.6,
        retries: int = 3,
        backoff: float | None = None,
        timeout: float = 60.0,
        headers: dict[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval, self.retries, self.sleep = interval, retries, sleep
        self.backoff = BACKOFF if backoff is None else backoff
        self._last = 0.0
        self._client = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT, **(headers or {})},
        )

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def _wait(self) -> None:
        pause = self._last + self.interval - time.monotonic()
        if pause > 0:
            self.sleep(pause)
        self._last = time.monotonic()

    def download(self, url: str, target: Path, what: str) -> int:
        """GET ``url`` into ``target`` (atomically) if it answers 200; the final status.

        A status that is neither 200 nor retried is returned without writing.
        Raises AcquisitionError naming ``what``, the host and the last failure
        once the retries are spent.
        """
        failure, retry_after = "", 0.0
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(min(max(self.backoff * 2 ** (attempt - 1), retry_after), 60.0))
            self._wait()
            try:
                status, retry_after = self._stream(url, target)
            except httpx.ConnectError as exc:  # no network or no such host: not a hiccup
                raise AcquisitionError(
                    f"{what}: cannot reach {urlsplit(url).netloc} (no network, or the host "
                    f"is down or unknown: {exc}); nothing of it was kept"
                ) from exc
            except httpx.TransportError as exc:
                failure = f"{type(exc).__name__}: {exc}"
                continue
            if status in RETRIED_STATUSES:
                failure = f"HTTP {status}"
                continue
            return status
        host = urlsplit(url).netloc
        raise AcquisitionError(
            f"{what}: download failed after {self.retries + 1} attempt(s) ({failure}) "
            f"from {host} ({url}); nothing of it was kept, a rerun resumes from here"
        )

    def _stream(self, url: str, target: Path) -> tuple[int, float]:
        """The status and the server's Retry-After in seconds (0 if none)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_parts(target)
        with self._client.stream("GET", url) as response:
            if response.status_code != 200:
                response.read()
                asked = response.headers.get("Retry-After", "")
                return response.status_code, float(asked) if asked.isdigit() else 0.0
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115  (renamed below)
                dir=target.parent,
                prefix=f".{target.name}.{os.getpid()}.",
                suffix=".part",
                delete=False,
            )
            part = Path(handle.name)
            try:
                with handle:
                    for chunk in response.iter_bytes(CHUNK):
                        handle.write(chunk)
                os.replace(part, target)
            finally:
                part.unlink(missing_ok=True)
        return 200, 0.0
