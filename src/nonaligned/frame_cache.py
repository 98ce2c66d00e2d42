"""Memoise expensive DataFrames on disk beside the store they were computed from.

Why: the web app and the index ask for the same whole-record estimates (ideal
points with bootstrap errors take tens of seconds) again and again. A result
is stored as parquet in ``<store file>.cache/`` and found again by a key made
of the store's identity and the caller's settings, so a rebuilt store (a new
file: new inode, modification time and size) or different settings never see
a stale result. Stores beside a directory that cannot be written are simply
not cached. An entry that cannot be read (a truncated or garbage file, from a
full disk or another program) is discarded with one warning in the log and
recomputed, so a damaged cache heals itself instead of failing every later call.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Callable, Hashable
from pathlib import Path

import pandas as pd
import pyarrow as pa

log = logging.getLogger(__name__)


def cached(
    path: Path,
    identity: Hashable,
    name: str,
    settings: dict[str, object],
    compute: Callable[[], pd.DataFrame],
) -> pd.DataFrame:
    """``compute()``, read from ``<store>.cache/<name>-<key>.parquet`` when present.

    ``identity`` is the store file's (see :func:`nonaligned.session.file_identity`;
    None: no file, nothing cached); ``settings`` (JSON-serialisable) are
    everything besides the store that the result depends on. Writes are
    atomic (write aside, then rename), so concurrent callers never read a
    half-written file; an unreadable entry is removed, logged and recomputed.
    """
    if identity is None:
        return compute()
    payload = json.dumps([identity, name, settings], sort_keys=True, default=str)
    key = hashlib.sha256(payload.encode()).hexdigest()[:24]
    target = path.with_name(path.name + ".cache") / f"{name}-{key}.parquet"
    if target.is_file():
        try:
            return pd.read_parquet(target)
        except (pa.ArrowException, OSError, ValueError) as exc:
            log.warning("discarding the unreadable cache entry %s (%s); recomputing", target, exc)
            with contextlib.suppress(OSError):
                target.unlink()
    result = compute()
    try:
        target.parent.mkdir(exist_ok=True)
        aside = target.with_suffix(f".{os.getpid()}.tmp")
        result.to_parquet(aside, index=False)
        os.replace(aside, target)
    except OSError:
        pass  # a read-only location: the result is still returned, just not kept
    return result
