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

from nonaligned.index import formulas
from nonaligned.index.axes import Axis


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

    lean: float = 1 / 3
    activity: float = 0.5
    weight_institutional: float = 0.5

    def __post_init__(self) -> None:
        if not 0 < self.lean < 1:
            raise ValueError(f"the lean threshold must lie in (0, 1), not {self.lean}")
        if not 0 <= self.activity <= 1:
            raise ValueError(f"the activity threshold must lie in [0, 1], not {self.activity}")
        if self.weight_institutional < 0:
            raise ValueError("the institutional weight cannot be negative")

    @property
    def weights(self) -> list[float]:
        """Weights of the diplomatic, economic and institutional leans, in that order."""
        return [1.0, 1.0, self.weight_institutional]


def combined_lean(
    diplomatic: np.ndarray, economic: np.ndarray, institutional: np.ndarray, t: Thresholds
) -> np.ndarray:
    """The weighted mean of the leans present (the ``lean`` column)."""
    return formulas.weighted_mean([diplomatic, economic, institutional], t.weights)


def classify(
    diplomatic: np.ndarray,
    economic: np.ndarray,
    institutional: np.ndarray,
    activity: np.ndarray,
    axis: Axis,
    t: Thresholds,
) -> np.ndarray:
    """Class labels (object array, None where no lean at all is known), element-wise."""
    diplomatic, economic, institutional, activity = np.broadcast_arrays(
        *(np.asarray(v, float) for v in (diplomatic, economic, institutional, activity))
    )
    lean = combined_lean(diplomatic, economic, institutional, t)
    split = ((diplomatic > t.lean) & (economic < -t.lean)) | (
        (diplomatic < -t.lean) & (economic > t.lean)
    )
    labels = np.select(
        [np.isnan(lean), split, lean > t.lean, lean < -t.lean, activity >= t.activity],
        [None, "split", "aligned_west", axis.other_class, "actively_nonaligned"],
        default="passively_neutral",
    )
    return labels.astype(object)
