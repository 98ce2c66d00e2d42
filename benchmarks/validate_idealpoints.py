"""Validate the dynamic ideal points against Bailey–Strezhnev–Voeten.

Compares the dynamic ideal points with Voeten's year-based release
(``IdealpointsJuly2025.dta``, column ``idealpointall``: all votes, as fitted
here), and the static per-year fits (lines prefixed ``static_``). Prints
``name=value`` lines: the correlation per year, the pooled correlation
(dynamic only), the share of years with r >= 0.9, the number of years with a
sign flip (r < 0 or USA not above Russia). ``N_BOOT`` (environment) adds
bootstrap standard errors to the fit. Agreement scores are compared by
``validate_agreement.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from unvotes_frames import VOETEN, load

from nonaligned.measures.idealpoints import Settings, dynamic_ideal_points, static_ideal_points


def report(ours: pd.DataFrame, bsv: pd.DataFrame, prefix: str = "") -> None:
    """Per-year and summary correlations of ``ours`` with BSV, as name=value lines."""
    merged = ours.merge(bsv, on=["iso3", "year"])
    per_year = merged.groupby("year").apply(
        lambda g: g["ideal_point"].corr(g["idealpointall"]), include_groups=False
    )
    for year, r in per_year.items():
        print(f"{prefix}r_{year}={r:.4f}")
    wide = ours.pivot(index="year", columns="iso3", values="ideal_point")
    anchored = wide[["USA", "RUS"]].dropna()
    flips = set(per_year[per_year < 0].index) | set(
        anchored.index[anchored["USA"] <= anchored["RUS"]]
    )
    print(f"{prefix}years_compared={len(per_year)}")
    print(f"{prefix}state_years_compared={len(merged)}")
    if not prefix:  # static fits are standardised per year: a pooled r means nothing
        print(f"pooled_r={merged['ideal_point'].corr(merged['idealpointall']):.4f}")
    print(f"{prefix}median_year_r={per_year.median():.4f}")
    print(f"{prefix}min_year_r={per_year.min():.4f}")
    print(f"{prefix}share_years_r_ge_0.9={(per_year >= 0.9).mean():.4f}")
    below = ",".join(str(y) for y in per_year[per_year < 0.9].index)
    print(f"{prefix}years_below_0.9={below}")
    print(f"{prefix}sign_flip_years={len(flips)}")


def compare_ideal_points(votes: pd.DataFrame, roll_calls: pd.DataFrame) -> None:
    """The static per-year fits first (``static_`` lines), then the dynamic fit."""
    bsv = pd.read_stata(VOETEN / "IdealpointsJuly2025.dta")
    bsv = bsv.rename(columns={"iso3c": "iso3"})[["iso3", "year", "idealpointall"]].dropna()
    static = static_ideal_points(votes, roll_calls, settings=Settings(n_boot=0))
    report(static, bsv, prefix="static_")
    settings = Settings(n_boot=int(os.environ.get("N_BOOT", "0")))
    ours = dynamic_ideal_points(votes, roll_calls, settings=settings)
    report(ours, bsv)
    if settings.n_boot > 1:
        print(f"median_se={ours['se'].median():.4f}")


def main() -> None:
    votes, roll_calls, source = load()
    print(f"source={source}")
    print(f"roll_calls={len(roll_calls)}")
    compare_ideal_points(votes, roll_calls)


if __name__ == "__main__":
    main()
