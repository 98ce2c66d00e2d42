"""New General Assembly sessions, live: the UNxml extract's files as they are now.

The fixed UNxml source (:mod:`nonaligned.sources.unxml`) pins the extract
repository at one commit (July 2026: sessions 74-80, ES-10, ES-11, S-32) and
checks each file's sha256. The repository keeps adding resolutions to the
session in progress and a file per new session, so ``nonaligned refresh
unxml_live`` downloads, from its default branch (``NONALIGNED_UNXML_URL``
overrides), the pinned files again and one file per regular session from 81
to the one in progress (a session opens in September: 81 in 2026). A file
the repository does not have yet (HTTP 404) is recorded as empty. Every file
is checked by the fixed source's own parser (schema, names, counts, the
anomaly rules) before it counts; the provenance records URL, retrieval time
and sha256.

**Rule**: where a snapshot exists, each of its non-empty files replaces the
pinned file of the same name, and files of new sessions are added; the
roll-call reconciliation then runs as always (docs/store.md).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from nonaligned.errors import AcquisitionError
from nonaligned.sources import live, unxml
from nonaligned.sources.base import Source

if TYPE_CHECKING:
    from nonaligned.build import Progress

__all__ = ["SOURCE", "fetch", "files", "load"]

DEFAULT_BASE = "https://raw.githubusercontent.com/UNxml/GAresolutions/main/data_extract"
DIRECTORY = "unga/unxml_live"
PINNED = tuple(Path(f.relpath).stem for f in unxml.SOURCE.files)

SOURCE = Source(
    name="unxml_live",
    title="UN DGACM machine-readable GA resolutions, live from the UNxml extract's default branch",
    version="live: github.com/UNxml/GAresolutions (see retrieved_at)",
    files=(),
    citation=unxml.SOURCE.citation,
    bibtex=unxml.SOURCE.bibtex,
    terms=unxml.SOURCE.terms,
    coverage="the pinned sessions as they are now, and regular sessions from 81 to the current",
)


def base_url() -> str:
    """``NONALIGNED_UNXML_URL`` or the extract repository's default branch."""
    return os.environ.get("NONALIGNED_UNXML_URL", DEFAULT_BASE).rstrip("/")


def files(today: dt.date | None = None) -> list[str]:
    """The file names to ask for: the pinned ones and every regular session since."""
    today = today or dt.date.today()
    current = today.year - 1945 if today.month >= 9 else today.year - 1946
    newer = [str(n) for n in range(81, current + 1)]
    return [f"{key}.json" for key in (*PINNED, *newer)]


def fetch(
    cache_dir: Path,
    *,
    base: str | None = None,
    progress: Progress | None = None,
    client: live.PoliteClient | None = None,
    today: dt.date | None = None,
) -> Path:
    """Download every file into a snapshot of the cache (resumable); its folder."""
    base = (base or base_url()).rstrip("/")
    names = files(today)
    request = {"base": base, "files": names}
    snapshot = live.open_snapshot(cache_dir, DIRECTORY, request)
    todo = [n for n in names if not (snapshot / n).is_file()]
    if progress:
        progress.start("download UN sessions", len(names))
        progress.advance("download UN sessions", len(names) - len(todo))
    with client or live.PoliteClient() as active:
        for name in todo:
            target, url = snapshot / name, f"{base}/{name}"
            unchecked = snapshot / f"{name}.unchecked"
            status = active.download(url, unchecked, f"UN resolutions {name}")
            if status == 404:  # a session the extract has no file for yet
                live.write_atomic(target, b"")
            elif status == 200:
                live.accept(unchecked, target, unxml.parse_file)
            else:
                raise AcquisitionError(f"UN resolutions {name}: HTTP {status} from {url}")
            if progress:
                progress.advance("download UN sessions")
    if all((snapshot / n).stat().st_size == 0 for n in names):
        raise AcquisitionError(
            f"UN resolutions: none of the {len(names)} files exists at {base}; "
            "the address is wrong or the repository has moved; nothing will be used"
        )
    live.finish_snapshot(snapshot, request)
    return snapshot


def load(mirror: Path | None, cache_dir: Path) -> live.Loaded[dict[str, Path]] | None:
    """The newest complete snapshot in the mirror or the cache: ``data`` maps each non-empty
    file's name to its path; None if there is none."""
    return live.load(SOURCE, DIRECTORY, mirror, cache_dir, _read)


def _read(snapshot: Path, manifest: dict) -> tuple:
    paths = {
        name: snapshot / name for name in manifest["files"] if (snapshot / name).stat().st_size > 0
    }
    coverage = f"{len(paths)} file(s): {', '.join(sorted(p.removesuffix('.json') for p in paths))}"
    return paths, [(path, f"{manifest['base']}/{name}") for name, path in paths.items()], coverage
