"""Reconciliation rules on tiny hand-made sources."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nonaligned.reconcile import UNXML_FIRST_ID, reconcile


def _calls(rows):
    frame = pd.DataFrame(rows, columns=["roll_call_id", "session", "date", "unres"])
    frame["date"] = [dt.date.fromisoformat(d) for d in frame.date]
    for column in ("important", "amendment", "paragraph"):
        frame[column] = pd.array([pd.NA] * len(frame), dtype="boolean")
    frame["short"] = frame["descr"] = "t"
    for issue in ("me", "nu", "di", "hr", "co", "ec"):
        frame[f"issue_{issue}"] = False
    return frame


def test_rules_on_a_tiny_record():
    old_calls = _calls([(1, 70, "2015-10-01", "R/70/1"), (2, 74, "2019-12-01", "A/RES/74/9")])
    old_votes = pd.DataFrame(
        {"roll_call_id": [1, 1, 2], "iso3": ["AAA", "BBB", "AAA"], "vote": ["yes", "no", "yes"]}
    )
    # Voeten: CCC absent on 1, BBB recorded as abstaining (disagrees with unvotes),
    # DDD only in Voeten with a vote; all four members at the last roll call.
    voeten = pd.DataFrame(
        {
            "roll_call_id": [1, 1, 1, 1],
            "iso3": ["AAA", "BBB", "CCC", "DDD"],
            "vote": ["yes", "abstain", "absent", "no"],
        }
    )
    new_calls = pd.DataFrame(
        [
            {
                "key": "74.json:1",
                "symbol": "A/RES/74/9",
                "session": 74,
                "date": dt.date(2019, 12, 1),
                "title": "dup",
                "agenda_item": "x",
            },
            {
                "key": "80.json:1",
                "symbol": "A/RES/80/1",
                "session": 80,
                "date": dt.date(2025, 11, 1),
                "title": "new",
                "agenda_item": "y",
            },
        ]
    )
    new_votes = pd.DataFrame(
        {
            "key": ["74.json:1", "74.json:1", "80.json:1"],
            "iso3": ["AAA", "BBB", "BBB"],
            "vote": ["no", "yes", "no"],
        }
    )
    anomalies = pd.DataFrame(columns=["source", "file", "line", "symbol", "rule", "detail"])
    result = reconcile(old_calls, old_votes, voeten, new_calls, new_votes, anomalies)

    assert result.roll_calls.roll_call_id.tolist() == [1, 2, UNXML_FIRST_ID]
    votes = {(r.roll_call_id, r.iso3): r.vote for r in result.votes.itertuples()}
    assert votes[(1, "BBB")] == "no"  # unvotes wins a disagreement
    assert votes[(1, "CCC")] == "absent"  # Voeten's absence kept
    assert votes[(1, "DDD")] == "no"  # Voeten-only vote added
    assert votes[(2, "AAA")] == "yes"  # unvotes kept over the overlapping UN record
    # inferred absences: members at the date who cast no vote
    assert votes[(2, "BBB")] == votes[(2, "CCC")] == votes[(2, "DDD")] == "absent"
    assert votes[(UNXML_FIRST_ID, "BBB")] == "no"
    assert votes[(UNXML_FIRST_ID, "AAA")] == "absent"
    assert len(result.votes) == 4 * 3
    notes = result.exclusions.set_index("rule").detail
    assert notes["unvotes_voeten_disagree"].startswith("1 ")
    assert notes["voeten_only_vote"].startswith("1 ")
    assert "2 country votes differ" in notes["overlap_unxml_unvotes"]
    assert notes["absence_inferred"].startswith("6 absences")
