"""Getting a source file onto local disk: mirror, then cache, then download.

Air-gapped users point ``--mirror`` (or ``NONALIGNED_MIRROR``) at a directory
laid out like the upstream tree; everyone else gets a verified download into
the cache. Every path out of here has been checked against the known sha256,
and a download is written beside its final name and renamed only once
verified, so an interrupted or corrupted transfer never lands in the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx
import platformdirs

from nonaligned.errors import AcquisitionError
from nonaligned.sources.base import RemoteFile
from nonaligned.store import pid_alive

Progress = Callable[[int, int], None]  # (bytes done, bytes expected)

CHUNK = 1 << 16


def default_cache_dir() -> Path:
    """``NONALIGNED_CACHE`` or the platform's user cache directory."""
    env = os.environ.get("NONALIGNED_CACHE")
    return Path(env) if env else Path(platformdirs.user_cache_dir("nonaligned"))


def default_mirror() -> Path | None:
    """``NONALIGNED_MIRROR`` if set."""
    env = os.environ.get("NONALIGNED_MIRROR")
    return Path(env) if env else None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _verify(path: Path, remote: RemoteFile, origin: str) -> Path:
    actual = sha256_of(path)
    if actual != remote.sha256:
        raise AcquisitionError(
            f"checksum mismatch for {path} ({origin}): expected sha256 {remote.sha256}, "
            f"got {actual}. The file is not the known version of {remote.relpath}; "
            f"replace it with a copy of {remote.url}"
        )
    return path


def acquire(
    remote: RemoteFile,
    *,
    mirror: Path | None = None,
    cache_dir: Path | None = None,
    offline: bool = False,
    progress: Progress | None = None,
    timeout: float = 60.0,
) -> Path:
    """A verified local path for ``remote``.

    Order: ``mirror/relpath``, then ``cache_dir/relpath``, then a download
    into the cache (unless ``offline``). Raises :class:`AcquisitionError`
    naming the file and where to get it.
    """
    if mirror is not None:
        candidate = Path(mirror) / remote.relpath
        if candidate.is_file():
            return _verify(candidate, remote, "mirror")
    cache_dir = cache_dir or default_cache_dir()
    cached = cache_dir / remote.relpath
    if cached.is_file():
        return _verify(cached, remote, "cache")
    if not remote.url:
        raise AcquisitionError(
            f"missing file {remote.relpath}: it is compiled for the project and distributed "
            f"with the data mirror only, which has no copy at {mirror}. Pass --mirror DIR "
            f"(or NONALIGNED_MIRROR) naming a mirror that holds it, or put it in {cache_dir}."
        )
    if offline:
        raise AcquisitionError(
            f"missing file {remote.relpath}: not in the mirror ({mirror}) nor the cache "
            f"({cache_dir}). Download it from {remote.url} into the mirror at that path."
        )
    return download(remote, cached, progress=progress, timeout=timeout)


def remove_stale_parts(target: Path) -> None:
    """Delete ``.part`` files of ``target`` left by killed downloads (their process is gone).

    Partial downloads are named ``.{name}.{pid}.{random}.part``; a live
    process's part is left alone, since it may still be downloading.
    """
    for part in target.parent.glob(f".{target.name}.*.part"):
        pid = part.name.removeprefix(f".{target.name}.").split(".", 1)[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            with contextlib.suppress(OSError):
                part.unlink()


def download(
    remote: RemoteFile, target: Path, *, progress: Progress | None = None, timeout: float = 60.0
) -> Path:
    """Stream ``remote.url`` to ``target``, verifying size and sha256 before renaming."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(target)
    # closed by the `with` below; delete=False so that it can be renamed into place
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".part", delete=False
    )
    part = Path(handle.name)
    try:
        with handle, httpx.stream("GET", remote.url, timeout=timeout, follow_redirects=True) as r:
            if r.status_code != 200:
                raise AcquisitionError(
                    f"download of {remote.relpath} failed: HTTP {r.status_code} from {remote.url}"
                )
            digest, done = hashlib.sha256(), 0
            for chunk in r.iter_bytes(CHUNK):
                handle.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress:
                    progress(done, remote.size)
        if done != remote.size:
            raise AcquisitionError(
                f"download of {remote.relpath} from {remote.url} is truncated or too long: "
                f"{done} bytes, expected {remote.size}"
            )
        if digest.hexdigest() != remote.sha256:
            raise AcquisitionError(
                f"checksum mismatch for download of {remote.relpath} from {remote.url}: "
                f"expected sha256 {remote.sha256}, got {digest.hexdigest()}"
            )
        os.replace(part, target)
        return target
    except httpx.HTTPError as exc:
        raise AcquisitionError(
            f"download of {remote.relpath} from {remote.url} failed: {exc}"
        ) from exc
    finally:
        part.unlink(missing_ok=True)
