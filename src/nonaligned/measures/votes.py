"""Which roll calls count, and votes coded for the measures.

Every UN-vote measure (dyadic similarity, alignment with the poles, ideal
points) must see the same roll calls under the same options, because results
are known to be sensitive to the agenda (BRIEF section 5). This module is the
one place that turns the store's ``votes`` and ``roll_calls`` tables into the
coded long table the measures share.

Coding follows Voeten: yes = 1, abstain = 2, no = 3. Absences are not votes
and are dropped here, so no measure can mistake them for a position.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

ISSUES: tuple[str, ...] = ("me", "nu", "di", "hr", "co", "ec")
"""Issue codes of the Voeten data: Middle East, nuclear, disarmament, human
rights, colonialism, economic development."""

VOTE_CODES: dict[str, int] = {"yes": 1, "abstain": 2, "no": 3}
PERIODS: tuple[str, ...] = ("year", "session")


@dataclass(frozen=True)
class Selection:
    """The roll calls a measure is computed over.

    ``issues``: keep roll calls coded with any of these issues (None: all).
    ``important_only``: keep roll calls marked important (the US State
    Department's list; coded from session 39 on, so earlier years drop out).
    ``exclude_middle_east``: drop roll calls coded ``me``.
    ``resolutions_only``: drop amendment and paragraph votes where the data
    mark them (unvotes marks them only until 1985; unmarked rows are kept).
    """

    issues: tuple[str, ...] | None = None
    important_only: bool = False
    exclude_middle_east: bool = False
    resolutions_only: bool = False

    def __post_init__(self) -> None:
        if self.issues is not None:
            unknown = sorted(set(self.issues) - set(ISSUES))
            if unknown:
                raise ValueError(f"unknown issue codes {unknown}; expected some of {ISSUES}")

    def apply(self, roll_calls: pd.DataFrame) -> pd.DataFrame:
        """The selected rows of ``roll_calls``."""
        keep = pd.Series(True, index=roll_calls.index)
        if self.issues is not None:
            flags = roll_calls[[f"issue_{code}" for code in self.issues]]
            keep &= flags.fillna(False).astype(bool).any(axis=1)
        if self.important_only:
            keep &= roll_calls["important"].fillna(False).astype(bool)
        if self.exclude_middle_east:
            keep &= ~roll_calls["issue_me"].fillna(False).astype(bool)
        if self.resolutions_only:
            for column in ("amendment", "paragraph"):
                keep &= ~roll_calls[column].fillna(False).astype(bool)
        return roll_calls[keep]


def coded_votes(
    votes: pd.DataFrame,
    roll_calls: pd.DataFrame,
    *,
    by: str = "year",
    selection: Selection | None = None,
) -> pd.DataFrame:
    """Votes on the selected roll calls as ``roll_call_id, iso3, period, code``.

    ``code`` is 1 (yes), 2 (abstain) or 3 (no), as int8; absences and any
    other value are dropped. ``period`` is the roll call's ``year`` or
    ``session`` (``by``).
    """
    if by not in PERIODS:
        raise ValueError(f"by must be one of {PERIODS}, not {by!r}")
    selected = (selection or Selection()).apply(roll_calls)
    periods = selected[["roll_call_id", by]].rename(columns={by: "period"})
    # coded through the few distinct labels: a per-row dict map of ~1M strings took 0.35 s
    positions, labels = pd.factorize(votes["vote"])
    lookup = np.array([*(VOTE_CODES.get(label, 0) for label in labels), 0], dtype=np.int8)
    code = lookup[positions]  # position -1 (missing) reads the trailing 0: not a vote
    voted = code > 0
    frame = votes.loc[voted, ["roll_call_id", "iso3"]].assign(code=code[voted])
    frame = frame.merge(periods, on="roll_call_id", how="inner")
    frame["period"] = frame["period"].astype(np.int64)
    return frame[["roll_call_id", "iso3", "period", "code"]].reset_index(drop=True)


def coded_relation(
    votes: pd.DataFrame | ir.Table,
    roll_calls: pd.DataFrame,
    *,
    by: str = "year",
    selection: Selection | None = None,
) -> ir.Table | None:
    """:func:`coded_votes` as a table on the engine; None where no vote is left.

    ``votes`` is either a pandas frame (coded here, then shipped as a
    memtable) or a table already on the engine, such as the ``votes`` of an
    exported Parquet dataset read by Spark (:mod:`nonaligned.dataset`): then
    the votes never pass through this process; only the selected roll calls'
    periods (a few thousand rows) are shipped to the engine. Both codings
    use :data:`VOTE_CODES` and :meth:`Selection.apply`; the Spark tests check
    they agree.
    """
    if isinstance(votes, pd.DataFrame):
        coded = coded_votes(votes, roll_calls, by=by, selection=selection)
        return None if coded.empty else ibis.memtable(coded)
    if by not in PERIODS:
        raise ValueError(f"by must be one of {PERIODS}, not {by!r}")
    selected = (selection or Selection()).apply(roll_calls)
    if selected.empty:
        return None
    periods = ibis.memtable(
        selected[["roll_call_id", by]].rename(columns={by: "period"}).astype("int64")
    )
    code = votes.vote.cases(*VOTE_CODES.items(), else_=0).cast("int8")
    coded = votes.join(periods, "roll_call_id").mutate(code=code)
    return coded.filter(coded.code > 0).select("roll_call_id", "iso3", "period", "code")


def vote_matrix(
    coded: pd.DataFrame, countries: Iterable[str] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Countries x roll calls matrix of codes (0 where the country did not vote).

    Returns ``(matrix, iso3, roll_call_ids)``. ``countries`` fixes the row order
    (rows of countries without votes are all 0); by default the sorted ISO3
    codes present.
    """
    iso3 = np.asarray(sorted(coded["iso3"].unique()) if countries is None else list(countries))
    roll_call_ids, col = np.unique(coded["roll_call_id"].to_numpy(), return_inverse=True)
    row = pd.Index(iso3).get_indexer(coded["iso3"])
    present = row >= 0
    matrix = np.zeros((len(iso3), len(roll_call_ids)), dtype=np.int8)
    matrix[row[present], col[present]] = coded["code"].to_numpy()[present]
    return matrix, iso3, roll_call_ids
