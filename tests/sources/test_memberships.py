"""The memberships source: both mirror files (memberships.csv and its alliances addendum)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from nonaligned.errors import DataError
from nonaligned.sources import memberships


@pytest.fixture(scope="module")
def files(mirror: Path) -> dict[str, Path]:
    """The source's mirror files by name, as the build acquires them."""
    return {Path(f.relpath).name: mirror / f.relpath for f in memberships.SOURCE.files}


@pytest.fixture(scope="module")
def alliances(files: dict[str, Path]) -> pd.DataFrame:
    return memberships.parse(files["alliances.csv"])


def _records(path: Path) -> list[dict[str, str]]:
    """The file's rows read with the csv module, independently of the parser."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _spells(frame: pd.DataFrame, iso3: str, grouping: str) -> pd.DataFrame:
    return frame[(frame.iso3 == iso3) & (frame.grouping == grouping)].sort_values("joined_year")


def _row_counts(frame: pd.DataFrame) -> Counter:
    """Rows as hashable tuples, nulls as None, so frames of different dtypes compare."""
    values = frame[memberships.COLUMNS].astype(object)
    return Counter(
        tuple(None if pd.isna(v) else v for v in row) for row in values.itertuples(index=False)
    )


def test_alliances_parse_every_row_and_status(files, alliances):
    records = _records(files["alliances.csv"])
    assert len(alliances) == len(records)
    statuses = {r["status"] for r in records}
    assert set(alliances.status) == statuses
    # the addendum brings statuses memberships.csv never used; they pass unchanged
    old = {r["status"] for r in _records(files["memberships.csv"])}
    assert statuses - old


def test_us_japan_treaty_is_one_open_spell_of_both_parties(alliances):
    treaty = alliances[alliances.grouping == "US_JPN"]
    assert set(treaty.iso3) == {"JPN", "USA"}
    assert (treaty.status == "member").all()
    assert treaty.joined_year.nunique() == 1 and treaty.left_year.isna().all()


def test_new_zealand_anzus_is_suspended_from_the_end_of_its_membership(alliances):
    member, suspended = (_spells(alliances, "NZL", "ANZUS").iloc[i] for i in (0, 1))
    assert (member.status, suspended.status) == ("member", "suspended")
    assert suspended.joined_year == member.left_year
    assert pd.isna(suspended.left_year)


def test_a_broken_year_names_file_line_and_field(files, tmp_path):
    lines = files["alliances.csv"].read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("JPN,US_JPN,")) + 1
    iso3, grouping, status, _, *rest = lines[number - 1].split(",")
    lines[number - 1] = ",".join([iso3, grouping, status, "19x1", *rest])
    broken = tmp_path / "alliances.csv"
    broken.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as error:
        memberships.parse(broken)
    assert (error.value.path, error.value.line, error.value.field) == (
        str(broken),
        number,
        "joined_year",
    )
    assert "19x1" in str(error.value)


def test_no_alliances_row_repeats_a_memberships_row(files, alliances):
    """The build keeps every row of both files; an exact repeat would count twice."""
    repeats = alliances.merge(memberships.parse(files["memberships.csv"]))
    assert repeats.empty, repeats


def test_store_holds_both_files_rows(store, files):
    stored = store.frame("SELECT * FROM memberships")
    expected = memberships.parse_all(list(files.values()))
    assert _row_counts(stored) == _row_counts(expected)
    assert len(stored) == sum(len(_records(path)) for path in files.values())
    recorded = store.fetchall("SELECT file, sha256 FROM provenance WHERE source = 'memberships'")
    assert sorted(recorded) == sorted((f.relpath, f.sha256) for f in memberships.SOURCE.files)
