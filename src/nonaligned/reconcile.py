"""One vote per country per roll call, from three overlapping UNGA sources.

Rules (documented in docs/store.md and reported by ``nonaligned coverage``):

1. **Roll calls 1946–2019** come from unvotes (``roll_call_id`` = its rcid).
2. **Roll calls after unvotes ends** come from the UN DGACM extract, with ids
   from 100001 in order of date and symbol. A UN roll call whose symbol is
   already in unvotes (the overlap in late 2019) is dropped in favour of
   unvotes, and every country whose vote differs between the two is counted.
3. **Votes** on unvotes roll calls are unvotes' yes/no/abstain. Voeten's
   vote-level file (1946–2015) adds the members it records as absent, and any
   yes/no/abstain that unvotes lacks; where both give a vote and disagree,
   unvotes wins and the disagreement is counted.
4. **Absences** where no source records them (2016 on) are inferred: every
   state that is a UN member at the date of the roll call and cast no vote is
   absent. Membership is read off Voeten's file (first and last roll call as
   a member); states that were members at its last roll call still are.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nonaligned.symbols import normalise_symbol

UNXML_FIRST_ID = 100_001
ISSUE_COLUMNS = ["issue_me", "issue_nu", "issue_di", "issue_hr", "issue_co", "issue_ec"]
ROLL_CALL_COLUMNS = [
    "roll_call_id",
    "session",
    "date",
    "year",
    "symbol",
    "source_symbol",
    "title",
    "description",
    "important",
    "amendment",
    "paragraph",
    *ISSUE_COLUMNS,
    "source",
]


@dataclass
class Reconciled:
    roll_calls: pd.DataFrame
    votes: pd.DataFrame
    exclusions: pd.DataFrame  # source, file, line, symbol, rule, detail
    un_membership: pd.DataFrame  # iso3, first_date, last_date (None = still a member)


def membership_spells(voeten: pd.DataFrame, roll_call_dates: pd.Series) -> pd.DataFrame:
    """First and last membership date of each state in Voeten's file (open if still a member)."""
    dated = voeten.assign(date=voeten.roll_call_id.map(roll_call_dates))
    spells = dated.groupby("iso3").date.agg(first_date="min", last_date="max").reset_index()
    final = dated.date.max()
    spells.loc[spells.last_date == final, "last_date"] = None
    return spells


def _members_at(spells: pd.DataFrame, roll_calls: pd.DataFrame) -> pd.DataFrame:
    """(roll_call_id, iso3) for every member at each roll call's date."""
    pairs = roll_calls[["roll_call_id", "date"]].merge(spells, how="cross")
    live = (pairs.date >= pairs.first_date) & (
        pairs.last_date.isna() | (pairs.date <= pairs.last_date.fillna(pairs.date))
    )
    return pairs.loc[live, ["roll_call_id", "iso3"]]


def _exclusion(rule: str, detail: str, source: str = "reconcile") -> dict:
    return {
        "source": source,
        "file": None,
        "line": None,
        "symbol": None,
        "rule": rule,
        "detail": detail,
    }


def _unvotes_roll_calls(raw: pd.DataFrame) -> pd.DataFrame:
    frame = raw.rename(columns={"unres": "source_symbol", "short": "title", "descr": "description"})
    frame["symbol"] = frame.source_symbol.map(normalise_symbol)
    frame["year"] = pd.to_datetime(frame.date).dt.year
    frame["source"] = "unvotes"
    return frame[ROLL_CALL_COLUMNS]


def _unxml_roll_calls(raw: pd.DataFrame) -> pd.DataFrame:
    frame = raw.sort_values(["date", "symbol", "key"]).reset_index(drop=True)
    frame["year"] = pd.to_datetime(frame.date).dt.year
    frame["source_symbol"] = frame.symbol
    frame["description"] = frame.agenda_item
    frame["important"] = pd.NA
    # The extract holds final adoptions only: never an amendment or paragraph vote.
    frame["amendment"] = False
    frame["paragraph"] = False
    for column in ISSUE_COLUMNS:
        frame[column] = pd.NA
    frame["source"] = "unxml"
    return frame


def reconcile(
    unvotes_roll_calls: pd.DataFrame,
    unvotes_votes: pd.DataFrame,
    voeten_votes: pd.DataFrame,
    unxml_roll_calls: pd.DataFrame,
    unxml_votes: pd.DataFrame,
    unxml_anomalies: pd.DataFrame,
) -> Reconciled:
    """Apply the rules in the module docstring; see :class:`Reconciled`."""
    exclusions = [unxml_anomalies]
    old = _unvotes_roll_calls(unvotes_roll_calls)

    # Rule 3: unvotes first, Voeten fills absences and missing votes.
    both = unvotes_votes.merge(
        voeten_votes,
        on=["roll_call_id", "iso3"],
        how="outer",
        suffixes=("", "_voeten"),
        indicator=True,
    )
    both = both[both.roll_call_id.isin(old.roll_call_id)]
    differ = (
        (both._merge == "both") & (both.vote != both.vote_voeten) & (both.vote_voeten != "absent")
    )
    absent_but_voted = (both._merge == "both") & (both.vote_voeten == "absent")
    voeten_only = (both._merge == "right_only") & (both.vote_voeten != "absent")
    notes = [
        (
            "unvotes_voeten_disagree",
            int(differ.sum()),
            "unvotes and Voeten give different votes; unvotes kept",
        ),
        (
            "voeten_absent_unvotes_voted",
            int(absent_but_voted.sum()),
            "Voeten records an absence where unvotes has a vote; unvotes kept",
        ),
        (
            "voeten_only_vote",
            int(voeten_only.sum()),
            "a vote in Voeten's file missing from unvotes; Voeten's vote added",
        ),
    ]
    exclusions.append(pd.DataFrame([_exclusion(r, f"{n} country votes: {d}") for r, n, d in notes]))
    both["vote"] = both.vote.fillna(both.vote_voeten)
    votes_old = both[["roll_call_id", "iso3", "vote"]]

    # Rule 2: UN extract after unvotes, overlap dropped in favour of unvotes.
    new = _unxml_roll_calls(unxml_roll_calls)
    overlap = new.symbol.isin(set(old.symbol.dropna())) & (new.date <= old.date.max())
    if overlap.any():
        keys = new.loc[overlap, ["key", "symbol"]].merge(
            old[["roll_call_id", "symbol"]], on="symbol"
        )
        compare = unxml_votes.merge(keys, on="key").merge(
            votes_old, on=["roll_call_id", "iso3"], how="left", suffixes=("_unxml", "")
        )
        disagreements = int((compare.vote_unxml != compare.vote.fillna("absent")).sum())
        exclusions.append(
            pd.DataFrame(
                [
                    _exclusion(
                        "overlap_unxml_unvotes",
                        f"{int(overlap.sum())} UN roll calls of late 2019 also in unvotes: "
                        "unvotes kept; "
                        f"{disagreements} country votes differ between them",
                        "unxml",
                    )
                ]
            )
        )
    new = new[~overlap].reset_index(drop=True)
    new["roll_call_id"] = range(UNXML_FIRST_ID, UNXML_FIRST_ID + len(new))
    votes_new = unxml_votes.merge(new[["key", "roll_call_id"]], on="key")[
        ["roll_call_id", "iso3", "vote"]
    ]
    roll_calls = pd.concat([old, new[ROLL_CALL_COLUMNS]], ignore_index=True)
    votes = pd.concat([votes_old, votes_new], ignore_index=True)

    # Rule 4: infer absences where the source has none.
    dates = roll_calls.set_index("roll_call_id").date
    spells = membership_spells(voeten_votes, dates)
    covered = set(voeten_votes.roll_call_id)
    uncovered = roll_calls[~roll_calls.roll_call_id.isin(covered)]
    members = _members_at(spells, uncovered)
    absent = members.merge(votes[["roll_call_id", "iso3"]], how="left", indicator=True)
    absent = absent[absent._merge == "left_only"][["roll_call_id", "iso3"]].assign(vote="absent")
    exclusions.append(
        pd.DataFrame(
            [
                _exclusion(
                    "absence_inferred",
                    f"{len(absent)} absences inferred from membership on "
                    f"{len(uncovered)} roll calls not in Voeten's vote-level file",
                )
            ]
        )
    )
    votes = pd.concat([votes, absent], ignore_index=True)
    votes = votes.sort_values(["roll_call_id", "iso3"]).reset_index(drop=True)
    votes["vote"] = votes.vote.astype("string")
    return Reconciled(
        roll_calls.sort_values("roll_call_id").reset_index(drop=True),
        votes,
        pd.concat(exclusions, ignore_index=True),
        spells,
    )
