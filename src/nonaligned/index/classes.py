"""The classes of the index and their thresholds.

Rules, applied in order to one country-year on one axis (leans: +1 West,
-1 the other pole):

1. **split** if the diplomatic and the economic lean both pass the lean
   threshold, in opposite directions;
2. **aligned** with the West (or the other pole) if the combined lean (the
   weighted mean of the diplomatic, economic and institutional leans
   present) passes the lean threshold on that side;
3. otherwise balanced: **actively nonaligned** if activity reaches the
   activity threshold, **passively neutral** if not.

A component that is missing (no trade after 2020, no membership) is left
out of the combined lean; split needs both the diplomatic and the economic
lean. docs/methodology.md gives the reasons for each default.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nonaligned.constants import ACTIVITY_THRESHOLD, LEAN_THRESHOLD, MIN_ROLL_CALLS
from nonaligned.index import formulas
from nonaligned.index.axes import CLASSES, Axis
from nonaligned.index.institutional import FULL_COMMITMENT


@dataclass(frozen=True)
class Thresholds:
    """Class thresholds and component weights (defaults explained in docs/methodology.md).

    ``lean``: a lean beyond +/- this is "clear"; 1/3 splits the segment
    between the poles into thirds, the middle third being balanced.
    ``activity``: activity at or above this is "engaged"; 0.5 is the middle
    of its [0, 1] scale (half of its parts are ranks, whose median is 0.5).
    ``weight_institutional``: weight of the institutional lean against 1 for
    the diplomatic and 1 for the economic lean; 0.5 because memberships are
    coarse (years, not dates; yes/no; approximate BRI years).
    """

    lean: float = LEAN_THRESHOLD
    activity: float = ACTIVITY_THRESHOLD
    weight_institutional: float = 1.0
    min_votes: int = 10
    min_roll_calls: int = MIN_ROLL_CALLS

    def __post_init__(self) -> None:
        if not 0 < self.lean < 1:
            raise ValueError(f"the lean threshold must lie in (0, 1), not {self.lean}")
        if not 0 <= self.activity <= 1:
            raise ValueError(f"the activity threshold must lie in [0, 1], not {self.activity}")
        if not self.weight_institutional >= 0:
            raise ValueError("the institutional weight cannot be negative")
        if self.min_votes < 1 or self.min_roll_calls < 0:
            raise ValueError("min_votes must be at least 1 and min_roll_calls at least 0")

    @property
    def weights(self) -> list[float]:
        """Weights of the diplomatic, economic and institutional leans in ``balance``."""
        return [1.0, 1.0, self.weight_institutional]


def political_lean(
    diplomatic: np.ndarray, institutional: np.ndarray, commitment: np.ndarray, t: Thresholds
) -> np.ndarray:
    """The ``lean`` column: votes and commitments, weighted by how much commitment there is.

    The institutional lean weighs ``t.weight_institutional`` times the
    state's tier-weighted commitments to either side over a defence treaty's
    weight, capped at 1 (:func:`~nonaligned.index.formulas.commitment_weight`):
    a treaty counts fully, a lone BRI document a sixth, so that a cooperation
    document cannot outweigh a year of votes. Missing without a diplomatic lean:
    memberships alone (years, not dates, and sticky) cannot place a state in a
    year in which it did not vote.
    """
    weight = t.weight_institutional * formulas.commitment_weight(commitment, FULL_COMMITMENT)
    diplomatic, institutional, weight = np.broadcast_arrays(
        np.asarray(diplomatic, float), np.asarray(institutional, float), weight
    )
    present = ~np.isnan(institutional)
    total = 1.0 + np.where(present, weight, 0.0)
    lean = (diplomatic + np.where(present, weight * institutional, 0.0)) / total
    return np.where(np.isnan(diplomatic), np.nan, lean)


def class_codes(
    diplomatic: np.ndarray,
    economic: np.ndarray,
    institutional: np.ndarray,
    commitment: np.ndarray,
    activity: np.ndarray,
    axis: Axis,
    t: Thresholds,
) -> np.ndarray:
    """Class positions in :data:`~nonaligned.index.axes.CLASSES` (int8, -1 where no class).

    ``commitment`` is the tier-weighted membership count with either side
    (``inst_west + inst_other``). Integers, because the bootstrap classes
    every state 201 times a year.
    """
    diplomatic, economic, institutional, commitment, activity = np.broadcast_arrays(
        *(np.asarray(v, float) for v in (diplomatic, economic, institutional, commitment, activity))
    )
    lean = political_lean(diplomatic, institutional, commitment, t)
    split = ((diplomatic > t.lean) & (economic < -t.lean)) | (
        (diplomatic < -t.lean) & (economic > t.lean)
    )
    code = CLASSES.index
    return np.select(
        [np.isnan(lean), lean > t.lean, lean < -t.lean, split, activity >= t.activity],
        [-1, *map(code, ("aligned_west", axis.other_class, "split", "actively_nonaligned"))],
        default=code("passively_neutral"),
    ).astype(np.int8)


def labels(codes: np.ndarray) -> np.ndarray:
    """Class names of :func:`class_codes` (object array, None for -1)."""
    return np.array([*CLASSES, None], dtype=object)[codes]


def classify(*components: np.ndarray, axis: Axis, t: Thresholds) -> np.ndarray:
    """Class labels (object array, None where there is no political lean), element-wise.

    The arguments of :func:`class_codes`, labelled.
    """
    return labels(class_codes(*components, axis, t))
