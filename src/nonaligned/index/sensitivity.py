"""How much the classification moves with the vote subset, the thresholds and the sources.

Published work found measured fragmentation highly sensitive to such choices;
this report shows it. Each variant changes one thing against the baseline
(all roll calls, both readings of the votes, default thresholds, every
grouping) and reports the class counts and the share of countries whose
class is unchanged.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nonaligned.index.api import _check, compute, fitted_ideal_points
from nonaligned.index.axes import AXES, CLASSES
from nonaligned.index.classes import Thresholds, classify
from nonaligned.index.institutional import GROUPINGS
from nonaligned.index.store_inputs import Inputs, load
from nonaligned.measures.trade import IMPORTER_FACTOR
from nonaligned.measures.votes import Selection

if TYPE_CHECKING:
    from nonaligned.session import Store

VOTE_SUBSETS: dict[str, Selection] = {
    "all": Selection(),
    "important": Selection(important_only=True),
    "excluding Middle East": Selection(exclude_middle_east=True),
}
LEAN_THRESHOLDS: tuple[float, ...] = (0.25, 0.4, 0.5)
ACTIVITY_THRESHOLDS: tuple[float, ...] = (0.4, 0.6)
INSTITUTIONAL_WEIGHTS: tuple[float, ...] = (0.0, 0.5)
MEMBERSHIP_VARIANTS: dict[str, dict] = {
    "without BRI": {g: v for g, v in GROUPINGS.items() if g != "BRI"},
    "without MNNA": {g: v for g, v in GROUPINGS.items() if g != "MNNA"},
    "Rio Treaty as a Western treaty": {**GROUPINGS, "RIO": ("treaty", ("west",))},
}
"""Groupings whose years or weight are the least certain (SOURCES.md; institutional.py)."""


def _reclassified(frame: pd.DataFrame, axis: str, t: Thresholds) -> pd.Series:
    """Classes of ``frame``'s components under other thresholds (no recomputation)."""
    labels = classify(
        frame["lean_diplomatic"].to_numpy(float),
        frame["lean_economic"].to_numpy(float),
        frame["lean_institutional"].to_numpy(float),
        (frame["inst_west"] + frame["inst_other"]).to_numpy(float),
        frame["activity"].to_numpy(float),
        axis=AXES[axis],
        t=t,
    )
    return pd.Series(labels, index=frame["iso3"].to_numpy())


def _row(variant: str, setting: str, classes: pd.Series, baseline: pd.Series) -> dict:
    classes = classes.dropna()
    common = classes.index.intersection(baseline.dropna().index)
    same = float(np.mean(classes[common] == baseline[common])) if len(common) else np.nan
    counts = classes.value_counts()
    return {
        "variant": variant,
        "setting": setting,
        "n_classified": len(classes),
        **{f"n_{name}": int(counts.get(name, 0)) for name in CLASSES},
        "same_class_share": same,
    }


def sensitivity(
    store: Store,
    year: int,
    axis: str = "west-china",
    *,
    ideal_points: bool = True,
) -> pd.DataFrame:
    """One row per variant: class counts and the share of countries keeping their class.

    Variants: vote subsets (all, important, excluding Middle East; in the
    store the important flag ends in 2017 and the issue codes in 2019, so a
    later year has no roll call in those subsets), the diplomatic lean from
    vote agreement only (without ideal points), lean and activity
    thresholds, the institutional weight, the memberships without the BRI
    (whose years SOURCES.md calls approximate) or the US major non-NATO ally
    designation, the Rio Treaty counted as a Western treaty instead of
    context, and trade at the reporters' own figures (no importer check). No
    bootstrap.
    ``ideal_points=False`` makes agreement only the baseline (no ideal-point
    fit: each vote subset otherwise needs its own whole-record fit, tens of
    seconds the first time on a store).
    """
    _check(store, year, axis)
    inputs = load(store, [year], IMPORTER_FACTOR)
    base_t = Thresholds()

    def run(
        selection: Selection | None = None,
        ideal: bool = ideal_points,
        data: Inputs = inputs,
        **options,
    ) -> pd.DataFrame:
        source = fitted_ideal_points(store, selection) if ideal else None
        frame = compute(data, n_boot=0, selection=selection, ideal_points=source, **options)
        return frame[frame["axis"] == axis]

    base = run()
    baseline = base.set_index("iso3")["class"]
    reading = "vote agreement and ideal points" if ideal_points else "vote agreement"
    rows = [_row("baseline", f"all votes, {reading}, default thresholds", baseline, baseline)]
    for name, chosen in VOTE_SUBSETS.items():
        if name != "all":
            frame = run(selection=chosen)
            rows.append(_row("votes", name, frame.set_index("iso3")["class"], baseline))
    if ideal_points:
        agreement = run(ideal=False).set_index("iso3")["class"]
        rows.append(_row("diplomatic lean", "vote agreement only", agreement, baseline))
    for value in LEAN_THRESHOLDS:
        t = replace(base_t, lean=value)
        rows.append(_row("lean threshold", f"{value:g}", _reclassified(base, axis, t), baseline))
    for value in ACTIVITY_THRESHOLDS:
        t = replace(base_t, activity=value)
        rows.append(
            _row("activity threshold", f"{value:g}", _reclassified(base, axis, t), baseline)
        )
    for value in INSTITUTIONAL_WEIGHTS:
        t = replace(base_t, weight_institutional=value)
        rows.append(
            _row("institutional weight", f"{value:g}", _reclassified(base, axis, t), baseline)
        )
    for setting, groupings in MEMBERSHIP_VARIANTS.items():
        frame = run(groupings=groupings)
        rows.append(_row("memberships", setting, frame.set_index("iso3")["class"], baseline))
    reported = run(data=load(store, [year], None)).set_index("iso3")["class"]
    rows.append(_row("trade", "reporter figures (no importer check)", reported, baseline))
    return pd.DataFrame(rows).assign(year=year, axis=axis)
