"""Every command of the CLI, driven with hostile values for each of its parameters.

For each command the typer app registers and each of its parameters,
hypothesis (derandomised: CI sees the same examples each run) puts one
hostile value in place of that parameter in a valid, cheap invocation on the
real store: NaN, infinities, negative and huge numbers, empty strings,
unicode, rich markup, a directory, ``/dev/zero``, ``/dev/full``, a FIFO, a
10 MB file, a symbolic link, a missing folder. Each run must let nothing but
an exit escape (no traceback), end with an exit code the README documents
(0, 2, 3, 4, 5), and write nothing in its working folder but the output the
command names (``report --out/--pdf``, ``build --db/--cache``,
``serve --cache``); the store itself must not change.

``serve`` and ``build`` are driven in ways that cannot block or take minutes:
``serve`` with uvicorn's serving loop replaced by a stub (the address is
still bound, the app made, the map outlines acquired and the ideal points
fitted) and without its asset warm-up thread (which would outlive the run);
``build`` with an empty mirror, offline, so that it stops at acquisition
(exit 4) instead of building for a minute.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
import uvicorn
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.core import TyperArgument
from typer.testing import CliRunner

from nonaligned.cli import app
from nonaligned.web.assets import Assets

EXIT_CODES = {0, 2, 3, 4, 5}
SETTINGS = settings(
    max_examples=4,  # per parameter; every hostile path for a file read or written
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
CLEAN_ENV = {
    "NONALIGNED_DB": None,
    "NONALIGNED_MIRROR": None,
    "NONALIGNED_CACHE": None,
    "NONALIGNED_ENGINE": None,
    # refresh's live sources: a closed loopback port, so that it fails at once, offline
    "NONALIGNED_IMTS_URL": "http://127.0.0.1:9/",
    "NONALIGNED_WDI_URL": "http://127.0.0.1:9/",
    "NONALIGNED_UNXML_URL": "http://127.0.0.1:9/",
    "COLUMNS": "100",
}
ONE_CLAIM = """
[[claim]]
id = "es11-1-yes"
kind = "vote_count"
symbol = "A/RES/ES-11/1"
vote = "yes"
count = 141
"""
OFFERS = EXAMPLES / "offers" / "kenya_port.toml"

# A valid, cheap invocation of every command (values by parameter name); @places@ are
# filled per run. Every command with --db gets the store, with --format csv.
BASE: dict[str, dict[str, object]] = {
    "check": {"file": "@claims@"},
    "build": {"db": "@work@/new.duckdb", "mirror": "@empty@", "cache": "@empty@", "offline": True},
    "refresh": {"db": "@work@/new.duckdb", "mirror": "@empty@", "cache": "@work@/cache"},
    "sources": {},
    "cite": {},
    "vote": {"symbol": "A/RES/ES-11/1"},
    "votes": {"country": "ZAF", "year": 2022},
    "coverage": {},
    "version": {},
    "alignment": {"country": "BRA"},
    "dyads": {"year": 2022},
    "trade": {"country": "CHL", "year": 2020},
    "trade-growth": {"partner": "CHN", "from_year": 2000, "to_year": 2020, "country": "BRA"},
    "concentration": {"year": 2020},
    "finance": {"country": "AGO"},
    "engagement": {"country": "AGO"},
    "idealpoints": {"year": 2020, "boot": 0},
    "index": {"year": 2020, "boot": 0},
    "country": {"country": "IND", "boot": 50},  # the brief's options: report reuses the index
    "rank": {"year": 2020, "boot": 0},
    "sensitivity": {"year": 2020},
    "scenario": {"country": "AGO", "pole": "CHN", "finance_stop": True},
    "export": {"directory": "@work@/export", "format": "parquet"},
    "serve": {"port": 0, "mirror": "@mirror@", "cache": "@webcache@", "offline": True},
    "report": {"iso3": "AGO", "out_path": "@work@/brief.html"},
    "offers evaluate": {"path": OFFERS},
    "offers exposure": {"path": OFFERS},
    "offers compete": {"path": OFFERS},
}
NAMED_OUTPUTS = {
    "build": ("db", "cache"),
    "export": ("directory",),
    "refresh": ("db", "cache"),
    "serve": ("cache",),
    "report": ("out_path", "pdf"),
}

NUMBERS = ["nan", "inf", "-inf", "-1", "-1e-300", "1e308", "-1e308", "9" * 30, "0x10", "1_000"]
TEXTS = ["", " ", "ü漢字🙂", "[/]", "[bold]x", "\x1b[2J", "../../../etc/passwd", "%s%n", "x" * 5000]
PATHS = [
    "@work@/hostile/dir",
    "/dev/zero",
    "@work@/hostile/big",
    "",
    "@work@/hostile/link",
    "@work@/hostile/fifo",
    "@work@/missing/dir/x",
    "/dev/full",
    "@work@/hostile/victim",
    "ü漢字🙂 [/]",
]
ARGV_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
HOSTILE_NUMBER = st.one_of(
    st.sampled_from(NUMBERS + TEXTS),
    st.integers(max_value=-1).map(str),
    st.integers(min_value=2**31).map(str),
    st.floats(min_value=1e6).map(repr),
    st.floats(max_value=-1e-9).map(repr),
    ARGV_TEXT,
)
HOSTILE_TEXT = st.one_of(st.sampled_from(TEXTS + NUMBERS), ARGV_TEXT)
HOSTILE_PATH = st.sampled_from(PATHS)


def _commands() -> Iterator[tuple[str, typer.core.TyperCommand]]:
    """Every leaf command the app registers, by its name on the command line."""

    def walk(command, path: tuple[str, ...]):
        subcommands = getattr(command, "commands", None)
        if subcommands is None:
            yield " ".join(path), command
            return
        for name, sub in subcommands.items():
            yield from walk(sub, (*path, name))

    return walk(typer.main.get_command(app), ())


COMMANDS = dict(_commands())
CASES = [(name, param.name) for name, command in COMMANDS.items() for param in command.params]


def _strategy(name: str, param) -> tuple[st.SearchStrategy[str], int]:
    """The hostile values for ``param`` of command ``name`` and how many to draw."""
    kind = param.type_descriptor.annotation
    if kind is Path:  # a store read by --db reaches the same store.connect: a sample
        read_store = param.name == "db" and name != "build"
        return HOSTILE_PATH, SETTINGS.max_examples if read_store else len(PATHS)
    if kind in (int, float):
        return HOSTILE_NUMBER, SETTINGS.max_examples
    # str, enums, and flags (given a value, which they do not take)
    return HOSTILE_TEXT, SETTINGS.max_examples


def _base(name: str) -> dict[str, object]:
    names = {param.name for param in COMMANDS[name].params}
    common = {"db": "@store@", "format": "csv"}
    return {**{k: v for k, v in common.items() if k in names}, **BASE[name]}


def _argv(name: str, values: dict[str, object]) -> list[str]:
    """Options as ``--name=value`` (a value starting with '-' stays a value), then ``--``
    and the arguments (likewise)."""
    options, arguments = [], []
    for param in COMMANDS[name].params:
        if param.name not in values:
            continue
        value = values[param.name]
        if isinstance(param, TyperArgument):
            arguments.append(str(value))
        elif value is True:
            options.append(param.opts[0])
        else:
            options.append(f"{param.opts[0]}={value}")
    return [*name.split(), *options, "--", *arguments]


def _hostile_files(work: Path) -> None:
    hostile = work / "hostile"
    (hostile / "dir").mkdir(parents=True)
    with (hostile / "big").open("wb") as big:
        big.truncate(10 * 1024 * 1024)  # 10 MB of zeros (sparse: no time to write)
    (hostile / "victim").write_text("precious")
    (hostile / "link").symlink_to(hostile / "victim")
    os.mkfifo(hostile / "fifo")
    (work / "cwd").mkdir()


def _fill(value: object, places: dict[str, Path]) -> object:
    if not isinstance(value, str):
        return value
    for key, place in places.items():
        value = value.replace(f"@{key}@", str(place))
    return value


def _snapshot(root: Path) -> dict[Path, tuple[int, int, int]]:
    found = {}
    for folder, dirs, files in os.walk(root):
        for entry in (*dirs, *files):
            path = Path(folder) / entry
            info = path.lstat()
            found[path] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


@pytest.fixture(scope="module")
def places(store_path: Path, mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    fixed = tmp_path_factory.mktemp("fuzz")
    (fixed / "claims.toml").write_text(ONE_CLAIM)
    for folder in ("empty", "webcache"):
        (fixed / folder).mkdir()
    return {
        "store": store_path,
        "mirror": mirror,
        "empty": fixed / "empty",  # build's mirror and cache: it stops at acquisition
        "webcache": fixed / "webcache",
        "claims": fixed / "claims.toml",
    }


@pytest.fixture()
def no_blocking(monkeypatch):
    """serve binds and prepares everything, then returns instead of serving forever."""
    monkeypatch.setattr(uvicorn.Server, "run", lambda server, sockets: None)
    monkeypatch.setattr(Assets, "warm", lambda assets: None)


def run(name: str, values: dict[str, object], places: dict) -> int:
    """Run one command in a fresh working folder; assert the three promises; the exit code."""
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        _hostile_files(work)
        filled = {key: _fill(value, {**places, "work": work}) for key, value in values.items()}
        named = [  # as the command sees them from its working folder, links not followed
            Path(os.path.normpath(work / "cwd" / str(filled[key])))
            for key in NAMED_OUTPUTS.get(name, ())
            if filled.get(key) not in (None, "")
        ]
        store_before = places["store"].stat().st_mtime_ns
        before = _snapshot(work)
        cwd = os.getcwd()
        os.chdir(work / "cwd")
        try:
            result = runner.invoke(app, _argv(name, filled), env=CLEAN_ENV)
        finally:
            os.chdir(cwd)
        command = " ".join(_argv(name, filled))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{command}: {result.exception!r}") from result.exception
        assert "Traceback" not in result.output, command
        assert result.exit_code in EXIT_CODES, f"{command}: exit {result.exit_code}"
        after = _snapshot(work)
        changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
        for path in changed:
            assert any(path == n or n in path.parents or path in n.parents for n in named), (
                f"{command} wrote {path}"
            )
        assert places["store"].stat().st_mtime_ns == store_before
        return result.exit_code


def test_every_command_has_a_valid_base_invocation(places, no_blocking):
    """Each base runs as expected, so that a hostile value is refused for its own sake."""
    assert set(BASE) == set(COMMANDS), "a new command needs a base invocation here"
    for name in COMMANDS:
        # build stops at the empty mirror, refresh at the closed port of its live sources
        expected = 4 if name in ("build", "refresh") else 0
        assert run(name, _base(name), places) == expected, name


@pytest.mark.parametrize(("name", "param"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_hostile_value_is_refused_cleanly(name, param, places, no_blocking):
    strategy, examples = _strategy(name, next(p for p in COMMANDS[name].params if p.name == param))

    @settings(SETTINGS, max_examples=examples)
    @given(strategy)
    def check(value):
        run(name, {**_base(name), param: value}, places)

    check()
