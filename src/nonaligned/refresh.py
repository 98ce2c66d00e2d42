"""``nonaligned refresh``: fetch the live sources anew, then rebuild the store atomically.

Fixed sources are rebuilt from the mirror and cache as by ``nonaligned
build``; each live source named (all of them by default) is downloaded into a
new snapshot of the cache first (:mod:`nonaligned.sources.live`). Nothing is
written to the store until every download and the whole build succeed, so
without a network the command fails, naming the source and the host, and
the store stays exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from nonaligned.build import Progress, build
from nonaligned.errors import AcquisitionError, UsageError
from nonaligned.sources import imf_imts, unxml_live, wdi_api
from nonaligned.sources.acquire import default_cache_dir
from nonaligned.store import check_writable

__all__ = ["LIVE", "refresh"]

# name -> fetch(cache_dir, progress=...) for each source without a fixed release
LIVE: dict[str, Callable[..., Path]] = {
    imf_imts.SOURCE.name: imf_imts.fetch,
    wdi_api.SOURCE.name: wdi_api.fetch,
    unxml_live.SOURCE.name: unxml_live.fetch,
}


def refresh(
    db_path: Path,
    sources: Sequence[str] = (),
    *,
    mirror: Path | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Fetch ``sources`` (default: every live source), then build; row counts per table."""
    names = list(dict.fromkeys(sources)) or list(LIVE)
    unknown = [n for n in names if n not in LIVE]
    if unknown:
        raise UsageError(
            f"not a live source: {', '.join(unknown)}; live sources: {', '.join(LIVE)}"
        )
    check_writable(db_path)
    cache_dir = Path(cache_dir or default_cache_dir())
    for name in names:
        try:
            LIVE[name](cache_dir, progress=progress)
        except AcquisitionError as exc:
            raise AcquisitionError(
                f"refresh of {name} failed: {exc}. The store {db_path} is unchanged"
            ) from exc
        except OSError as exc:  # a cache folder that cannot be written
            raise AcquisitionError(
                f"refresh of {name}: cannot write the cache {cache_dir} ({exc}). "
                f"The store {db_path} is unchanged"
            ) from exc
    return build(db_path, mirror=mirror, cache_dir=cache_dir, progress=progress)
