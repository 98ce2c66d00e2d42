"""Commitments to each side, weighted by how binding they are, per country-year.

From the store's ``memberships`` table (the mirror's memberships.csv and
alliances.csv, whose SOURCES.md lists their uncertainties). Alliances are
the strongest institutional evidence of alignment (Snyder 1997; Walt 1987):
a defence treaty binds a state to go to war, a cooperation document binds
it to nothing. Each grouping therefore has a *tier* with a weight:

* **treaty** (3): mutual-defence treaties — NATO, ANZUS, US–Japan,
  US–Korea, US–Philippines, SEATO; the CSTO, the Union State, the
  Russia–DPRK and Russia–Armenia treaties; the China–DPRK treaty;
* **designation** (3/2): a security status short of a treaty — US major
  non-NATO ally, AUKUS. Half a treaty: a designation is one party's act,
  binds neither to defend the other, and is rarely revoked, so it outlives
  the governments that sought it (Argentina's of 1998);
* **bloc** (1): political or economic groupings led by one side — EU, Quad;
  SCO (China *and* Russia, its two founders), EAEU, CIS; and, pulling
  towards the middle, the nonaligned tradition NAM, G77, BRICS;
* **cooperation** (1/2): a BRI cooperation document.

Context groupings (G20, OPEC, AU, CELAC) and groupings that no pole belongs
to (ALBA, the Alliance of Sahel States) carry no side: their members'
stance shows in their votes, not in a membership. So does the Rio Treaty:
a hemispheric pact binding nearly every state of the Americas, the hedgers
among them, it records geography more than a choice between the powers
(as G77 membership does for the South); the sensitivity report counts it
as a Western treaty.

Engagement is not lean. A membership also counts as *engagement* with the
sides whose poles sit in the grouping (``engage_*`` columns, same weights):
every side grouping engages its own side, and BRICS, which leans nowhere,
engages China and Russia, its two founding powers (:data:`ENGAGES`). The
activity of the index reads these, the lean reads ``inst_*``.

Rules that respect SOURCES.md's uncertainties:

* only ``status == "member"`` counts: observers, partners, suspended
  parties (New Zealand in ANZUS from 1986), CIS associates and founding
  states, and the ``invited`` Saudi BRICS row do not;
* a spell counts from ``joined_year`` (inclusive) to ``left_year``
  (exclusive); a row with no ``joined_year`` cannot be placed in time and
  does not count;
* BRI years are approximate: the sensitivity report shows the index
  without them (and without the MNNA designations).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

TIER_WEIGHTS: dict[str, float] = {
    "treaty": 3.0,
    "designation": 1.5,
    "bloc": 1.0,
    "cooperation": 0.5,
}
FULL_COMMITMENT = TIER_WEIGHTS["treaty"]
"""Commitments that make the institutional lean count fully (classes.political_lean)."""
SIDES: tuple[str, ...] = ("west", "CHN", "RUS", "nonaligned")

GROUPINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    **{g: ("treaty", ("west",)) for g in ("NATO", "ANZUS", "US_JPN", "US_KOR", "US_PHL", "SEATO")},
    **{g: ("designation", ("west",)) for g in ("MNNA", "AUKUS")},
    **{g: ("bloc", ("west",)) for g in ("EU", "Quad")},
    **{g: ("treaty", ("RUS",)) for g in ("CSTO", "UNION_STATE", "RUS_PRK", "RUS_ARM")},
    "CHN_PRK": ("treaty", ("CHN",)),
    "SCO": ("bloc", ("CHN", "RUS")),
    **{g: ("bloc", ("RUS",)) for g in ("EAEU", "CIS")},
    "BRI": ("cooperation", ("CHN",)),
    **{g: ("bloc", ("nonaligned",)) for g in ("NAM", "G77", "BRICS")},
}
"""Grouping -> (tier, sides it counts for). Groupings not listed carry no side."""
ENGAGES: dict[str, tuple[str, ...]] = {"BRICS": ("CHN", "RUS")}
"""Groupings of the nonaligned tradition in which poles sit: engagement without lean."""
ENGAGED_SIDES: tuple[str, ...] = ("west", "CHN", "RUS")


def institutional_counts(
    memberships: pd.DataFrame,
    years: np.ndarray,
    groupings: Mapping[str, tuple[str, tuple[str, ...]]] = GROUPINGS,
) -> pd.DataFrame:
    """``iso3, year`` and the tier-weighted memberships with each side that year.

    Columns ``inst_west, inst_CHN, inst_RUS, inst_nonaligned`` (sums of tier
    weights, for the lean) and ``engage_west, engage_CHN, engage_RUS`` (the
    same for engagement, BRICS included); only country-years with at least
    one counted membership appear. ``groupings`` maps each grouping counted
    to its tier and sides (the sensitivity report drops or re-tiers some).
    """
    rows = memberships[
        (memberships["status"] == "member")
        & memberships["joined_year"].notna()
        & memberships["grouping"].isin(list(groupings))
    ]
    joined = pd.to_numeric(rows["joined_year"]).to_numpy(float)
    left = pd.to_numeric(rows["left_year"]).astype(float).fillna(np.inf).to_numpy()
    years = np.asarray(years)
    active = (joined[:, None] <= years[None, :]) & (years[None, :] < left[:, None])
    spell, col = np.nonzero(active)
    long = pd.DataFrame(
        {
            "iso3": rows["iso3"].to_numpy()[spell],
            "year": years[col],
            "grouping": rows["grouping"].to_numpy()[spell],
        }
    ).drop_duplicates()
    lean = [(g, side) for g, (_, members_of) in groupings.items() for side in members_of]
    engaged = [(g, s) for g, s in lean if s in ENGAGED_SIDES] + [
        (g, side) for g, sides in ENGAGES.items() if g in groupings for side in sides
    ]
    tiers = {g: tier for g, (tier, _) in groupings.items()}
    parts = [
        _weighted(long, pairs, tiers, columns, prefix)
        for pairs, columns, prefix in ((lean, SIDES, "inst_"), (engaged, ENGAGED_SIDES, "engage_"))
    ]
    counts = parts[0].join(parts[1], how="outer").fillna(0.0)
    return counts.rename_axis(columns=None).reset_index()


def _weighted(
    long: pd.DataFrame,
    pairs: list[tuple[str, str]],
    tiers: dict[str, str],
    columns: tuple[str, ...],
    prefix: str,
) -> pd.DataFrame:
    """Tier-weighted sums per (iso3, year) and side, for the (grouping, side) ``pairs``."""
    sides = pd.DataFrame(
        [{"grouping": g, "side": side, "weight": TIER_WEIGHTS[tiers[g]]} for g, side in pairs]
    )
    return (
        long.merge(sides, on="grouping")
        .pivot_table(index=["iso3", "year"], columns="side", values="weight", aggfunc="sum")
        .reindex(columns=list(columns))
        .fillna(0.0)
        .add_prefix(prefix)
    )
