"""Memberships in groupings led by each side, and in the nonaligned tradition, per year.

From the store's ``memberships`` table (the mirror's memberships.csv, whose
SOURCES.md lists its uncertainties). The rules that respect them:

* only ``status == "member"`` counts: observers, dialogue partners, BRICS
  partners and the ``invited`` Saudi row do not (SOURCES.md: "treat it as
  not a confirmed member");
* a spell counts from ``joined_year`` (inclusive) to ``left_year``
  (exclusive), as for EU membership elsewhere in the project;
* a row with no ``joined_year`` cannot be placed in time and does not
  count: that drops the BRI rows of Austria, the Republic of the Congo,
  Niger and Russia, which GFDC says never confirmed a full MoU, and the
  G77 members whose joining year the source does not give (they count only
  as founders, 1964, where that is known);
* BRI years are approximate (SOURCES.md); the sensitivity report shows the
  index without the BRI.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

GROUPINGS: dict[str, tuple[str, ...]] = {
    "west": ("NATO", "EU", "Quad", "AUKUS"),
    "CHN": ("SCO", "BRI"),
    "RUS": ("CSTO", "EAEU"),
    "nonaligned": ("NAM", "G77", "BRICS"),
}


def institutional_counts(
    memberships: pd.DataFrame, years: np.ndarray, exclude: tuple[str, ...] = ()
) -> pd.DataFrame:
    """``iso3, year`` and the number of memberships with each side that year.

    Columns ``inst_west, inst_CHN, inst_RUS, inst_nonaligned``; only
    country-years with at least one counted membership appear. Groupings in
    ``exclude`` are left out (the sensitivity report drops ``BRI``).
    """
    rows = memberships[
        (memberships["status"] == "member")
        & memberships["joined_year"].notna()
        & ~memberships["grouping"].isin(exclude)
    ]
    joined = pd.to_numeric(rows["joined_year"]).to_numpy(float)
    left = pd.to_numeric(rows["left_year"]).astype(float).fillna(np.inf).to_numpy()
    years = np.asarray(years)
    active = (joined[:, None] <= years[None, :]) & (years[None, :] < left[:, None])
    spell, col = np.nonzero(active)
    side_of = {g: side for side, groups in GROUPINGS.items() for g in groups}
    long = pd.DataFrame(
        {
            "iso3": rows["iso3"].to_numpy()[spell],
            "year": years[col],
            "side": rows["grouping"].map(side_of).to_numpy()[spell],
            "grouping": rows["grouping"].to_numpy()[spell],
        }
    ).dropna(subset=["side"])
    counts = (
        long.drop_duplicates(["iso3", "year", "grouping"])
        .pivot_table(index=["iso3", "year"], columns="side", values="grouping", aggfunc="count")
        .reindex(columns=list(GROUPINGS))
        .fillna(0)
        .astype(int)
        .add_prefix("inst_")
    )
    return counts.rename_axis(columns=None).reset_index()
