"""The embedded store: one DuckDB file, plain tables, written atomically.

The schema is deliberately plain (no nested types, no views needed) so that R,
DuckDB's own CLI or any Arrow tool can read the file directly; docs/store.md
documents every column. A build writes a new file beside the target and
renames it into place only when complete, so a failed or killed build never
damages the last good store, and readers holding the old file keep reading it.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import platformdirs

from nonaligned.errors import StoreError

if TYPE_CHECKING:  # the frames come from the build: opening a store needs no pandas
    import pandas as pd

SCHEMA: dict[str, str] = {
    "countries": """
        iso3 VARCHAR PRIMARY KEY, iso2 VARCHAR, iso_numeric INTEGER, m49 INTEGER,
        cow_code INTEGER, name VARCHAR NOT NULL, name_official VARCHAR, continent VARCHAR,
        un_region VARCHAR, un_member_since INTEGER, historical BOOLEAN NOT NULL,
        successor_iso3 VARCHAR""",
    "memberships": """
        iso3 VARCHAR NOT NULL, grouping VARCHAR NOT NULL, status VARCHAR NOT NULL,
        joined_year INTEGER, left_year INTEGER, source_id VARCHAR""",
    "un_membership": """
        iso3 VARCHAR PRIMARY KEY, first_date DATE NOT NULL, last_date DATE""",
    "roll_calls": """
        roll_call_id BIGINT PRIMARY KEY, session INTEGER NOT NULL, date DATE NOT NULL,
        year INTEGER NOT NULL, symbol VARCHAR, source_symbol VARCHAR, title VARCHAR,
        description VARCHAR, important BOOLEAN, amendment BOOLEAN, paragraph BOOLEAN,
        issue_me BOOLEAN, issue_nu BOOLEAN, issue_di BOOLEAN, issue_hr BOOLEAN,
        issue_co BOOLEAN, issue_ec BOOLEAN, source VARCHAR NOT NULL""",
    "votes": """
        roll_call_id BIGINT NOT NULL, iso3 VARCHAR NOT NULL,
        vote VARCHAR NOT NULL CHECK (vote IN ('yes', 'no', 'abstain', 'absent')),
        PRIMARY KEY (roll_call_id, iso3)""",
    "exclusions": """
        source VARCHAR NOT NULL, file VARCHAR, line INTEGER, symbol VARCHAR,
        rule VARCHAR NOT NULL, detail VARCHAR""",
    "trade_flows": """
        reporter_iso3 VARCHAR NOT NULL, partner_code VARCHAR NOT NULL,
        partner_is_aggregate BOOLEAN NOT NULL, year INTEGER NOT NULL,
        flow VARCHAR NOT NULL CHECK (flow IN ('exports', 'imports')),
        value_usd DOUBLE NOT NULL, estimated BOOLEAN NOT NULL,
        source VARCHAR NOT NULL CHECK (source IN ('imf_dots', 'imf_imts')),
        PRIMARY KEY (reporter_iso3, partner_code, year, flow)""",
    "trade_overlap": """
        year INTEGER, cells BIGINT NOT NULL, within_tolerance BIGINT NOT NULL,
        median_rel_diff DOUBLE NOT NULL, tolerance DOUBLE NOT NULL""",
    "debt_to_china": """
        iso3 VARCHAR NOT NULL, year INTEGER NOT NULL, debt_to_china_usd DOUBLE,
        debt_to_china_pct_gdp_hrt DOUBLE, PRIMARY KEY (iso3, year)""",
    "wdi": """
        iso3 VARCHAR NOT NULL, year INTEGER NOT NULL, gdp_usd DOUBLE, population DOUBLE,
        PRIMARY KEY (iso3, year)""",
    "gcdf_country_commitments": """
        iso3 VARCHAR PRIMARY KEY, commitments_usd DOUBLE, weighted_interest_rate DOUBLE""",
    "gcdf_yearly_flows": """
        year INTEGER NOT NULL, flow_class VARCHAR NOT NULL, commitments_usd DOUBLE,
        PRIMARY KEY (year, flow_class)""",
    "us_aid": """
        iso3 VARCHAR NOT NULL, year INTEGER NOT NULL, us_net_aid_usd DOUBLE NOT NULL,
        PRIMARY KEY (iso3, year)""",
    "us_travels": """
        trip_id BIGINT PRIMARY KEY, role VARCHAR NOT NULL, traveller VARCHAR NOT NULL,
        traveller_id VARCHAR, start_date DATE NOT NULL, end_date DATE NOT NULL,
        year INTEGER NOT NULL, iso3 VARCHAR NOT NULL, country_slug VARCHAR NOT NULL,
        country_name VARCHAR, locale VARCHAR, remarks VARCHAR""",
    "geo_outlines": """
        name VARCHAR PRIMARY KEY, topojson VARCHAR NOT NULL""",
    "provenance": """
        source VARCHAR NOT NULL, title VARCHAR, version VARCHAR, file VARCHAR NOT NULL,
        url VARCHAR, sha256 VARCHAR NOT NULL, size BIGINT, retrieved_at TIMESTAMP,
        origin VARCHAR, citation VARCHAR, bibtex VARCHAR, terms VARCHAR, coverage VARCHAR,
        last_year INTEGER""",
}


def default_db_path() -> Path:
    """``NONALIGNED_DB`` or ``nonaligned.duckdb`` in the user data directory."""
    env = os.environ.get("NONALIGNED_DB")
    return (
        Path(env) if env else Path(platformdirs.user_data_dir("nonaligned")) / "nonaligned.duckdb"
    )


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a built store, or a StoreError saying how to build one."""
    path = Path(path) if path else default_db_path()
    if not path.is_file():
        raise StoreError(f"no store at {path}: run `nonaligned build` first (or pass --db)")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise StoreError(f"cannot open the store {path}: {exc}") from exc


def write_store(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Write ``tables`` (every table in SCHEMA) to ``path`` atomically.

    The new store is written to a hidden file in the same directory, checked,
    flushed to disk and renamed over ``path``. On any failure the partial file
    is removed and the previous store, if any, is untouched.
    """
    missing = set(SCHEMA) - set(tables)
    if missing:
        raise StoreError(f"cannot write a store without tables {sorted(missing)}")
    path = Path(path)
    check_writable(path)
    _remove_stale_partials(path)
    partial = path.with_name(f".{path.name}.building-{os.getpid()}")
    try:
        _write(partial, tables)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except (duckdb.Error, OSError) as exc:
        raise _write_error(path, exc) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        with contextlib.suppress(FileNotFoundError):
            partial.with_name(partial.name + ".wal").unlink()


def check_writable(path: Path) -> None:
    """Refuse early, with a StoreError, a store location that cannot be written.

    A build calls this before acquiring and parsing anything, so that a
    read-only or missing folder is reported in a second, not after the whole
    parse. It creates the folder if needed and a probe file in it (the only
    test that also holds for root and for read-only mounts). A target that
    exists but is not a file (a directory, a device such as ``/dev/null``) is
    refused: the final rename would replace it.
    """
    path = Path(path)
    if path.exists() and not path.is_file():
        raise StoreError(f"{path} is not a store file (a directory or a device): choose another")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the store's folder {path.parent}: {exc}") from exc
    # named like a partial store, so that a build killed right here leaves nothing new
    probe = path.with_name(f".{path.name}.building-{os.getpid()}")
    try:
        probe.write_bytes(b"")
    except OSError as exc:
        raise _write_error(path, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()


def _write_error(path: Path, exc: Exception) -> StoreError:
    """A StoreError for a failed write, naming a full disk as such."""
    full = getattr(exc, "errno", None) == errno.ENOSPC or "No space left" in str(exc)
    cause = "the disk is full" if full else str(exc)
    return StoreError(
        f"could not write the store {path}: {cause}; the previous store, if any, is unchanged"
    )


def _remove_stale_partials(path: Path) -> None:
    """Delete partial stores left by killed builds (their process no longer exists)."""
    for partial in path.parent.glob(f".{path.name}.building-*"):
        pid = partial.name.rsplit("-", 1)[-1].removesuffix(".wal")
        if pid.isdigit() and not pid_alive(int(pid)):
            with contextlib.suppress(OSError):
                partial.unlink()


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (partial files are named after their writer's pid)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _write(partial: Path, tables: dict[str, pd.DataFrame]) -> None:
    partial.unlink(missing_ok=True)
    con = duckdb.connect(str(partial))
    try:
        for name, columns in SCHEMA.items():
            con.execute(f"CREATE TABLE {name} ({columns})")
            frame = tables[name]
            order = [c[1] for c in con.execute(f"PRAGMA table_info('{name}')").fetchall()]
            con.register("incoming", frame[order])
            con.execute(f"INSERT INTO {name} SELECT * FROM incoming")
            con.unregister("incoming")
        con.execute("CHECKPOINT")
    finally:
        con.close()
