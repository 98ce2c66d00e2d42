"""The UN DGACM extract: real files, each documented upstream error, and bad input."""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nonaligned.errors import DataError, NonalignedError, UnknownCountryError
from nonaligned.sources import unxml


@pytest.fixture(scope="module")
def parsed(mirror: Path):
    folder = mirror / "unga" / "unxml_GAresolutions" / "data_extract"
    return unxml.parse(sorted(folder.glob("*.json")))


def test_es11_1_as_published(parsed):
    roll_calls, votes, _, _ = parsed
    call = roll_calls[roll_calls.symbol == "A/RES/ES-11/1"]
    assert len(call) == 1
    counts = votes[votes.key == call.key.iloc[0]].vote.value_counts().to_dict()
    assert counts == {"yes": 141, "no": 5, "abstain": 35}
    assert str(call.date.iloc[0]) == "2022-03-02"


def test_every_documented_upstream_error_is_detected(parsed):
    _, _, anomalies, _ = parsed
    found = set(zip(anomalies.symbol, anomalies.rule, strict=True))
    assert ("A/RES/75/254 A-C", "empty_lists") in found
    assert ("A/RES/75/290 A", "doubled_names") in found
    assert ("A/RES/77/293", "count_mismatch") in found
    dupes = anomalies[anomalies.rule == "duplicate_record"]
    assert "79.json" in set(dupes.file)


def test_one_vote_per_state_per_roll_call(parsed):
    _, votes, _, _ = parsed
    assert not votes.duplicated(["key", "iso3"]).any()


def test_list_lengths_match_published_counts_except_reported(parsed):
    roll_calls, votes, anomalies, _ = parsed
    tallies = votes.pivot_table(index="key", columns="vote", aggfunc="size", fill_value=0)
    merged = roll_calls.set_index("key").join(tallies)
    off = merged[
        (merged.yes_count.notna() & (merged.yes_count != merged.yes))
        | (merged.no_count.notna() & (merged.no_count != merged["no"]))
        | (merged.abstain_count.notna() & (merged.abstain_count != merged.abstain))
    ]
    reported = set(anomalies.loc[anomalies.rule == "count_mismatch", "symbol"])
    assert set(off.symbol) <= reported


def _copy(mirror: Path, tmp_path: Path, name: str = "ES-11.json") -> Path:
    source = mirror / "unga" / "unxml_GAresolutions" / "data_extract" / name
    target = tmp_path / name
    shutil.copyfile(source, target)
    return target


def test_malformed_json_line_names_file_and_line(mirror, tmp_path):
    path = _copy(mirror, tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2][: len(lines[2]) // 2] + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as info:
        unxml.parse_file(path)
    assert info.value.line == 3 and info.value.path == str(path)
    assert "ES-11.json" in str(info.value) and "line 3" in str(info.value)


def test_truncated_file_is_an_error_not_a_shorter_record(mirror, tmp_path):
    path = _copy(mirror, tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 300])
    with pytest.raises(DataError) as info:
        unxml.parse_file(path)
    assert info.value.line == 6


def test_unknown_member_state_names_field_and_line(mirror, tmp_path):
    path = _copy(mirror, tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    record = json.loads(lines[0])
    record["MS_against"].append("ATLANTIS")
    lines[0] = json.dumps(record) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(UnknownCountryError) as info:
        unxml.parse_file(path)
    assert info.value.line == 1 and info.value.field == "MS_against"
    assert "ATLANTIS" in str(info.value)


def test_unreadable_date_is_reported(mirror, tmp_path):
    path = _copy(mirror, tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    record = json.loads(lines[1])
    record["adoption_date"] = "the Ides of March"
    lines[1] = json.dumps(record) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as info:
        unxml.parse_file(path)
    assert (info.value.line, info.value.field) == (2, "adoption_date")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.text(max_size=200),
        st.dictionaries(
            st.sampled_from(
                [
                    "symbol",
                    "adoption_date",
                    "adoption_type",
                    "MS_in_favour",
                    "MS_against",
                    "MS_abstaining",
                    "MS_in_favour_count",
                ]
            ),
            st.one_of(
                st.none(),
                st.text(max_size=20),
                st.integers(),
                st.lists(st.text(max_size=12), max_size=3),
            ),
            max_size=7,
        ).map(json.dumps),
    )
)
def test_any_line_parses_or_fails_with_our_error(tmp_path, line):
    path = tmp_path / "fuzz.json"
    path.write_text(line.replace("\n", " ") + "\n", encoding="utf-8")
    with contextlib.suppress(NonalignedError):
        unxml.parse_file(path)
