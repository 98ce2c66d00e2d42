"""Files the user names on the command line: inputs read with a size cap, outputs written safely.

Why: a path given by the user can name anything: ``/dev/zero``, a directory,
a multi-gigabyte log, ``/dev/full``, a symbolic link onto another file. Every
command that reads or writes such a file goes through this module, so each
refuses the same things with the same :class:`~nonaligned.errors.UsageError`
(exit code 2) naming the file, before any work is done.

Inputs (offers and claims files, TOML) are capped at :data:`MAX_INPUT_BYTES`,
1 MB: the example files are 2-4 kB, and a cap read before parsing bounds the
memory and time a stray path can cost. Outputs are written to a temporary
file beside the target and renamed over it, so a reader never sees half a
file; an existing file is replaced only when asked (``--force``), and never
through a symbolic link or onto a device.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from nonaligned.errors import UsageError

MAX_INPUT_BYTES = 1_000_000


def read_capped(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the regular file ``path``, refused above ``limit`` bytes.

    The size is checked on the open file (no race with a swap of the path)
    and at most ``limit + 1`` bytes are read, so a file growing meanwhile is
    caught too. Devices and pipes are refused, without waiting for a writer:
    their size cannot be known before reading, and a pipe read here could not
    be read again.
    """
    try:  # non-blocking: opening a pipe nobody writes to must not wait forever
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise UsageError(f"{path} is not a regular file; save the input to a file first")
            data = handle.read(limit + 1)
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory, not a file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise UsageError(f"{path} is larger than {limit:,} bytes, the limit for an input file")
    return data


def check_output(path: Path, force: bool = False) -> None:
    """Refuse an output path that must not be written: a directory, a device, a symbolic
    link, or an existing file without ``force``.

    Called before the work that produces the output, so that a refusal costs
    nothing, and again just before the rename.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(f"{path} is a symbolic link: not written through; choose another path")
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{path} is a directory: give a file name, e.g. {path / 'brief.html'}")
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{path} is not a regular file (a device or pipe): not replaced")
    if not force:
        raise UsageError(f"{path} exists: pass --force to replace it")


@contextlib.contextmanager
def atomic_output(path: Path, force: bool = False) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed over ``path`` if the block succeeds.

    The parent folder is created if missing. On any failure the temporary
    file is removed and ``path`` is unchanged; write errors (a full disk)
    become a :class:`~nonaligned.errors.UsageError` naming ``path``.
    """
    check_output(path, force)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the folder {path.parent}: {exc.strerror}") from None
    aside = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        yield aside
        with open(aside, "rb") as handle:
            os.fsync(handle.fileno())
        check_output(path, force)  # again: the target may have appeared meanwhile
        os.replace(aside, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            aside.unlink()
