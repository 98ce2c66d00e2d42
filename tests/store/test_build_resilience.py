"""A failed, corrupted or killed ``nonaligned build`` never damages the last good store.

Every build here is the real console script run as a subprocess on the real
mirror (or a copy of it with one file altered or removed), so exit codes,
messages and what is left on disk are exactly what a user would see.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from conftest import MIRROR

import nonaligned
from nonaligned import query
from nonaligned.errors import StoreError
from nonaligned.sources import unxml
from nonaligned.store import SCHEMA, connect

pytestmark = pytest.mark.slow

NONALIGNED = Path(sys.executable).parent / "nonaligned"
ES11_1 = "A/RES/ES-11/1"
SEED = 20220302  # the day A/RES/ES-11/1 was adopted
TIMEOUT = 600


def _env(cache: Path, hash_seed: int | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NONALIGNED_")}
    env["NONALIGNED_CACHE"] = str(cache)  # never touch the user's cache
    if hash_seed is not None:  # distinct seeds expose any dependence on set or dict order
        env["PYTHONHASHSEED"] = str(hash_seed)
    env["COLUMNS"] = "200"  # rich wraps at 80 columns off a terminal; keep messages whole
    return env


def _build_args(db: Path, mirror: Path, *extra: str) -> list[str]:
    return [str(NONALIGNED), "build", "--mirror", str(mirror), "--db", str(db), *extra]


def _run_build(
    db: Path, mirror: Path, cache: Path, *extra: str, hash_seed: int | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        _build_args(db, mirror, *extra),
        env=_env(cache, hash_seed),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _es11_1_yes(path: Path) -> int:
    with nonaligned.open(path) as store:
        return query.vote_totals(query.resolution_votes(store, ES11_1))["yes"]


def _yes_or_error(path: Path) -> int | str:
    """Like :func:`_es11_1_yes`, but a store that cannot answer is recorded, not raised."""
    try:
        return _es11_1_yes(path)
    except (StoreError, duckdb.Error) as exc:
        return repr(exc)


def _table_digests(path: Path) -> dict[str, tuple[int, str]]:
    """Row count and sha256 of the CSV of each table's rows in a total order."""
    con = connect(path)
    try:
        digests = {}
        for table in SCHEMA:
            frame = con.execute(f"SELECT * FROM {table} ORDER BY ALL").df()
            text = frame.to_csv(index=False).encode()
            digests[table] = (len(frame), hashlib.sha256(text).hexdigest())
        return digests
    finally:
        con.close()


def _siblings(store: Path) -> list[str]:
    """Names of everything beside the store in its folder."""
    return sorted(p.name for p in store.parent.iterdir() if p.name != store.name)


def _mirror_copy(dest: Path, *, drop: str | None = None, corrupt: str | None = None) -> Path:
    """A symlink farm of the mirror without ``drop``, and ``corrupt`` a copy off by one bit."""
    for rel in (drop, corrupt):
        assert rel is None or (MIRROR / rel).is_file(), f"{rel} is not in the mirror"
    for path in MIRROR.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(MIRROR).as_posix()
        target = dest / rel
        if rel == drop:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel == corrupt:
            data = bytearray(path.read_bytes())
            data[len(data) // 2] ^= 0x01
            target.write_bytes(bytes(data))
        else:
            target.symlink_to(path)
    return dest


@dataclass
class GoodStore:
    path: Path
    seconds: float
    digests: dict[str, tuple[int, str]]


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> GoodStore:
    if not (MIRROR / "unga").is_dir():
        pytest.fail(f"the data mirror is missing at {MIRROR}; set NONALIGNED_MIRROR")
    path = tmp_path_factory.mktemp("store") / "store.duckdb"
    start = time.monotonic()
    done = _run_build(path, MIRROR, tmp_path_factory.mktemp("cache"), hash_seed=1)
    seconds = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    assert _es11_1_yes(path) == 141
    return GoodStore(path, seconds, _table_digests(path))


@pytest.fixture()
def store_copy(good_store: GoodStore, tmp_path: Path) -> Path:
    """A private copy of a good store, for tests that try (and fail) to replace it."""
    path = tmp_path / "store" / "store.duckdb"
    path.parent.mkdir()
    shutil.copyfile(good_store.path, path)
    return path


@dataclass
class Trial:
    """One build of the store's path, SIGKILLed at its own moment while the others run."""

    targeted: bool  # killed inside the write phase by design, not at a fixed delay
    delay: float  # seconds after the start (after its partial store appeared, if targeted)
    returncode: int | None = None
    partial_at_kill: bool = False  # its partial store existed when it was killed
    partial_left: bool = False  # ... and still existed afterwards (not renamed into place)
    store: str = ""  # right after the kill: "original" bytes, or "replaced" by a rename
    yes: int | str | None = None  # A/RES/ES-11/1's yes count, right after the kill


@dataclass
class KillRecord:
    trials: list[Trial]
    seconds: float
    leftovers_before_rebuild: list[str] = field(default_factory=list)
    rebuild: subprocess.CompletedProcess | None = None
    replaced: bool = False
    leftovers_after_rebuild: list[str] = field(default_factory=list)


def _store_state(store: Path, original: tuple[int, str]) -> str:
    """``original`` bytes, ``replaced`` by a rename (a new inode), else ``modified in place``."""
    inode, digest = store.stat().st_ino, _sha256(store)
    if digest == original[1]:
        return "original"
    return "replaced" if inode != original[0] else "modified in place"


def _run_kill_trials(
    store: Path, cache: Path, trials: list[Trial], timeout: float, args: list[str] | None = None
) -> float:
    """Start one build (or ``args``) per trial at once; SIGKILL each when due; check the store."""
    original = (store.stat().st_ino, _sha256(store))
    start = time.monotonic()
    procs = [
        subprocess.Popen(
            args or _build_args(store, MIRROR),
            env=_env(cache),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in trials
    ]
    partials = [store.with_name(f".{store.name}.building-{proc.pid}") for proc in procs]
    appeared: dict[int, float] = {}
    try:
        while any(trial.returncode is None for trial in trials):
            now = time.monotonic() - start
            assert now < timeout, f"kill trials still running after {timeout:.0f} s: {trials}"
            for i, (trial, proc, partial) in enumerate(zip(trials, procs, partials, strict=True)):
                if trial.returncode is not None:
                    continue
                if proc.poll() is not None:  # it finished (or failed) before its kill was due
                    trial.returncode = proc.returncode
                    continue
                if trial.targeted and i not in appeared and partial.exists():
                    appeared[i] = now
                due = (i in appeared and now >= appeared[i] + trial.delay) or (
                    not trial.targeted and now >= trial.delay
                )
                if due:
                    trial.partial_at_kill = partial.exists()
                    proc.send_signal(signal.SIGKILL)
                    trial.returncode = proc.wait()
                    trial.partial_left = partial.exists()
                    trial.store = _store_state(store, original)
                    trial.yes = _yes_or_error(store)
            time.sleep(0.01)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
    return time.monotonic() - start


@pytest.fixture(scope="module")
def killed_then_rebuilt(good_store: GoodStore, tmp_path_factory) -> KillRecord:
    """SIGKILL builds of the good store's path at random moments, then build it to completion.

    Five builds run at once (so that five kills fit in about one build's
    time, and so that concurrent builds are exercised too). Four are killed at
    random moments spread over the good build's wall time, one per quarter, so
    early and late phases are both hit; the fifth at a random moment after its
    partial store appears, in the write phase, where a non-atomic build would
    do its damage.
    """
    rng = random.Random(SEED)
    span = max(good_store.seconds, 1.0) - 0.2
    trials = [Trial(False, 0.2 + span * (quarter + rng.random()) / 4) for quarter in range(4)]
    trials.append(Trial(True, rng.uniform(0.05, 2.0)))
    cache = tmp_path_factory.mktemp("kill-cache")
    seconds = _run_kill_trials(good_store.path, cache, trials, timeout=6 * good_store.seconds)
    record = KillRecord(trials, seconds, leftovers_before_rebuild=_siblings(good_store.path))
    before = _sha256(good_store.path)
    record.rebuild = _run_build(good_store.path, MIRROR, cache, hash_seed=2)
    record.replaced = _sha256(good_store.path) != before
    record.leftovers_after_rebuild = _siblings(good_store.path)
    return record


def test_killed_builds_leave_the_previous_store_intact(killed_then_rebuilt: KillRecord):
    trials = killed_then_rebuilt.trials
    print(f"{len(trials)} kill trials in {killed_then_rebuilt.seconds:.1f} s")
    assert len(trials) >= 5
    for trial in trials:
        print(trial)  # shown with -rP: when each kill landed and what it left
        assert trial.returncode in (0, -signal.SIGKILL), trial  # killed, or done before its time
        # The previous store, byte for byte, or a complete new one renamed over it.
        assert trial.store in ("original", "replaced"), trial
        assert trial.yes == 141, trial  # it opens read-only and answers
    assert sum(t.returncode == -signal.SIGKILL for t in trials) >= 4
    # At least one kill hit the write phase, the only phase that touches the store's folder.
    assert any(t.partial_at_kill and t.partial_left for t in trials), trials


def test_killed_builds_leave_only_hidden_partials_beside_the_store(
    good_store: GoodStore, killed_then_rebuilt: KillRecord
):
    prefix = f".{good_store.path.name}.building-"
    for name in killed_then_rebuilt.leftovers_before_rebuild:
        assert name.startswith(prefix), name
        assert name.removeprefix(prefix).removesuffix(".wal").isdigit(), name


def test_next_build_after_kills_succeeds_and_replaces_the_store(
    good_store: GoodStore, killed_then_rebuilt: KillRecord
):
    rebuild = killed_then_rebuilt.rebuild
    assert rebuild is not None and rebuild.returncode == 0, rebuild and rebuild.stderr
    assert killed_then_rebuilt.replaced
    assert _es11_1_yes(good_store.path) == 141


def test_next_build_removes_partials_left_by_killed_builds(killed_then_rebuilt: KillRecord):
    assert killed_then_rebuilt.leftovers_before_rebuild  # the write-phase kill left one
    assert killed_then_rebuilt.leftovers_after_rebuild == []


def test_rebuild_from_the_same_mirror_gives_the_same_content(
    good_store: GoodStore, killed_then_rebuilt: KillRecord
):
    """Every table, row for row, across two builds in processes with different hash seeds."""
    assert killed_then_rebuilt.rebuild is not None
    assert killed_then_rebuilt.rebuild.returncode == 0
    again = _table_digests(good_store.path)
    assert set(again) == set(SCHEMA)
    differing = {
        t: (good_store.digests[t], again[t]) for t in SCHEMA if again[t] != good_store.digests[t]
    }
    assert differing == {}


def test_corrupted_mirror_file_fails_with_exit_4_and_leaves_the_store(
    store_copy: Path, tmp_path: Path
):
    relpath = unxml.SOURCE.file("ES-11.json").relpath
    mirror = _mirror_copy(tmp_path / "mirror", corrupt=relpath)
    before = _sha256(store_copy)
    done = _run_build(store_copy, mirror, tmp_path / "cache")
    assert done.returncode == 4, done.stderr
    assert "checksum" in done.stderr and relpath in done.stderr
    assert _sha256(store_copy) == before
    assert _siblings(store_copy) == []


def test_missing_mirror_file_offline_fails_with_exit_4_naming_it(store_copy: Path, tmp_path: Path):
    remote = unxml.SOURCE.file("80.json")
    mirror = _mirror_copy(tmp_path / "mirror", drop=remote.relpath)
    before = _sha256(store_copy)
    done = _run_build(store_copy, mirror, tmp_path / "cache", "--offline")
    assert done.returncode == 4, done.stderr
    assert remote.relpath in done.stderr and remote.url in done.stderr
    assert _sha256(store_copy) == before
    assert _siblings(store_copy) == []


def test_read_only_store_folder_fails_with_exit_3_and_leaves_the_store(
    store_copy: Path, tmp_path: Path
):
    folder = store_copy.parent
    before = _sha256(store_copy)
    folder.chmod(
        stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH
    )
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user (root) whom a read-only folder does not stop")
        done = _run_build(store_copy, MIRROR, tmp_path / "cache")
    finally:
        folder.chmod(0o755)
    assert done.returncode == 3, done.stderr
    assert "could not write the store" in done.stderr and str(store_copy) in done.stderr
    assert "Traceback" not in done.stderr
    assert _sha256(store_copy) == before
    assert _siblings(store_copy) == []


def test_unwritable_store_location_fails_with_exit_3(tmp_path: Path):
    """The root-proof variant: a plain file stands where the store's folder should be."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("in the way\n")
    done = _run_build(blocker / "store.duckdb", MIRROR, tmp_path / "cache")
    assert done.returncode == 3, done.stderr
    assert "cannot create the store's folder" in done.stderr and str(blocker) in done.stderr
    assert "Traceback" not in done.stderr
    assert blocker.read_text() == "in the way\n"


# The write phase alone, killed many times. A full build spends ~30 s parsing
# before it touches the store's folder, so the five kills above are all that
# fit in CI; the write phase (the only one that can damage a store) is run
# here by itself, as a subprocess writing real tables through write_store (the
# good store's rows from 2020 on, so that one write takes seconds, and the
# result still holds A/RES/ES-11/1), and SIGKILLed at random moments.
WRITER = """
import sys
from nonaligned.store import SCHEMA, connect, write_store
con = connect(sys.argv[1])
def recent(name):
    columns = [row[0] for row in con.execute(f"DESCRIBE {name}").fetchall()]
    if name == "votes":
        where = " WHERE roll_call_id IN (SELECT roll_call_id FROM roll_calls WHERE year >= 2020)"
    else:
        where = " WHERE year >= 2020" if "year" in columns else ""
    return con.execute(f"SELECT * FROM {name}{where}").df()
tables = {name: recent(name) for name in SCHEMA}
con.close()
write_store(sys.argv[2], tables)
"""
WRITE_TRIALS = 24  # at least 20 of them land before the writer is done
BATCH = 4


def _writer_args(source: Path, target: Path) -> list[str]:
    return [sys.executable, "-c", WRITER, str(source), str(target)]


@pytest.fixture(scope="module")
def write_copy(good_store: GoodStore, tmp_path_factory) -> tuple[Path, float]:
    """A copy of the good store, and the wall time of one uninterrupted rewrite of it."""
    source = tmp_path_factory.mktemp("write-source") / "store.duckdb"
    shutil.copyfile(good_store.path, source)
    target = tmp_path_factory.mktemp("write-kills") / "store.duckdb"
    shutil.copyfile(good_store.path, target)
    start = time.monotonic()
    done = subprocess.run(_writer_args(source, target), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return source, time.monotonic() - start


def test_write_phase_killed_at_random_moments_never_corrupts_the_store(write_copy, tmp_path):
    source, seconds = write_copy
    store = tmp_path / "store.duckdb"
    shutil.copyfile(source, store)
    rng = random.Random(SEED + 1)
    trials = [
        Trial(True, rng.uniform(0.0, 0.5)) if i % 3 == 2 else Trial(False, rng.uniform(0.1, 0.9))
        for i in range(WRITE_TRIALS)
    ]
    for trial in trials:
        if not trial.targeted:
            trial.delay *= seconds
    for first in range(0, WRITE_TRIALS, BATCH):
        batch = trials[first : first + BATCH]
        _run_kill_trials(store, tmp_path, batch, 20 * seconds, _writer_args(source, store))
        assert _yes_or_error(store) == 141  # also after writers that finished before their kill
    killed = [t for t in trials if t.returncode == -signal.SIGKILL]
    print(f"{len(killed)} of {len(trials)} writers killed; one write takes {seconds:.1f} s")
    assert all(t.returncode in (0, -signal.SIGKILL) for t in trials), trials
    for trial in killed:
        assert trial.store in ("original", "replaced"), trial
        assert trial.yes == 141, trial
    assert len(killed) >= 20
    assert any(t.partial_at_kill for t in killed)
    prefix = f".{store.name}.building-"
    assert all(name.startswith(prefix) for name in _siblings(store))
    done = subprocess.run(_writer_args(source, store), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _siblings(store) == []  # the next write removed every stale partial


def test_readers_keep_answering_while_the_store_is_replaced(write_copy, tmp_path):
    """A session held across the rename keeps answering (it reopens the replaced file);
    new ones read the new file."""
    source, _ = write_copy
    store = tmp_path / "store.duckdb"
    shutil.copyfile(source, store)
    inode = store.stat().st_ino
    held = nonaligned.open(store)
    answers: list[int | str] = []
    fresh_inodes = set()
    try:
        writer = subprocess.Popen(
            _writer_args(source, store), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        after_rename = 0
        while after_rename < 3:  # keep reading until a few reads have followed the rename
            if writer.poll() is not None:
                after_rename += 1
            answers.append(query.vote_totals(query.resolution_votes(held, ES11_1))["yes"])
            fresh_inodes.add(store.stat().st_ino)
            answers.append(_yes_or_error(store))
        assert writer.returncode == 0, writer.stderr.read()
    finally:
        held.close()
    print(f"{len(answers)} reads during and after the rewrite")
    assert len(answers) >= 6
    assert set(answers) == {141}
    assert store.stat().st_ino != inode and len(fresh_inodes) == 2


def _empty_tables(store: Path) -> dict:
    con = connect(store)
    try:
        return {name: con.execute(f"SELECT * FROM {name} LIMIT 0").df() for name in SCHEMA}
    finally:
        con.close()


def _full_tables(store: Path) -> dict:
    con = connect(store)
    try:
        return {name: con.execute(f"SELECT * FROM {name}").df() for name in SCHEMA}
    finally:
        con.close()


def test_disk_full_during_the_write_is_a_clear_store_error(write_copy, tmp_path, monkeypatch):
    """ENOSPC injected at the write step: a StoreError naming it, the old store untouched."""
    from nonaligned import store as store_module

    source, _ = write_copy
    store = tmp_path / "store.duckdb"
    shutil.copyfile(source, store)
    before = _sha256(store)

    def full_disk(partial: Path, tables: dict) -> None:
        partial.write_bytes(b"half a store")
        raise OSError(28, "No space left on device", str(partial))

    monkeypatch.setattr(store_module, "_write", full_disk)
    with pytest.raises(StoreError, match="the disk is full; the previous store") as caught:
        store_module.write_store(store, _empty_tables(source))
    assert str(store) in str(caught.value)
    assert _sha256(store) == before
    assert _siblings(store) == []


def test_real_full_disk_is_a_clear_store_error(write_copy, tmp_path):
    """A real, tiny tmpfs (needs root, as in CI): DuckDB's own out-of-space error, mapped."""
    from nonaligned.store import write_store

    source, _ = write_copy
    mount = tmp_path / "tiny"
    mount.mkdir()
    small = tmp_path / "small.duckdb"
    write_store(small, _empty_tables(source))
    size_mb = small.stat().st_size // 2**20 + 3
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({mounted.stderr.strip()}); ENOSPC is injected above"
        )
    try:
        store = mount / "store.duckdb"
        shutil.copyfile(small, store)
        before = _sha256(store)
        with pytest.raises(StoreError, match="the disk is full"):
            write_store(store, _full_tables(source))
        assert _sha256(store) == before
        assert _siblings(store) == []
        con = connect(store)  # the old, empty store still opens and answers
        try:
            assert con.execute("SELECT count(*) FROM votes").fetchone() == (0,)
        finally:
            con.close()
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_unwritable_store_is_refused_before_any_source_is_read(tmp_path: Path):
    """With an empty mirror, offline: a late check would fail on the missing files (exit 4)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("in the way\n")
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    start = time.monotonic()
    done = _run_build(blocker / "store.duckdb", empty, tmp_path / "cache", "--offline")
    assert done.returncode == 3, done.stderr
    assert "cannot create the store's folder" in done.stderr
    print(f"refused in {time.monotonic() - start:.1f} s")


def test_stale_partial_downloads_are_removed_and_live_ones_kept(tmp_path: Path):
    from nonaligned.sources.acquire import remove_stale_parts

    target = tmp_path / "unga" / "file.json"
    target.parent.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], text=True, capture_output=True
    ).stdout.strip()
    stale = target.with_name(f".file.json.{dead}.abc123.part")
    live = target.with_name(f".file.json.{os.getpid()}.def456.part")
    other = target.with_name(".other.json.1.x.part")
    for path in (stale, live, other):
        path.write_bytes(b"partial")
    remove_stale_parts(target)
    assert not stale.exists()
    assert live.exists() and other.exists()
