"""The active-nonalignment index (BRIEF section 5): lean, balance, activity and class.

Public API (stable): :func:`country_index`, :func:`country_profile`,
:func:`rank`, :func:`latest_full_year`, :class:`Thresholds`, :data:`AXES`, :data:`CLASSES`.
Methods and defaults: docs/methodology.md.
"""

from nonaligned.index.api import country_index, country_profile, rank
from nonaligned.index.axes import AXES, CLASSES
from nonaligned.index.classes import Thresholds
from nonaligned.query import latest_full_year

__all__ = [
    "AXES",
    "CLASSES",
    "Thresholds",
    "country_index",
    "country_profile",
    "latest_full_year",
    "rank",
]
