"""Validate the dynamic ideal points against Bailey–Strezhnev–Voeten.

Compares the dynamic ideal points with Voeten's year-based release
(``IdealpointsJuly2025.dta``, column ``idealpointall``: all votes, as fitted
here). Prints ``name=value`` lines: the correlation per year, the pooled
correlation, the share of years with r >= 0.9, the number of years with a
sign flip (r < 0 or USA not above Russia). ``N_BOOT`` (environment) adds
bootstrap standard errors to the fit. Agreement scores are compared by
``validate_agreement.py``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # see benchmarks/idealpoints.py

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from unvotes_frames import VOETEN, load

from nonaligned.measures.idealpoints import Settings, dynamic_ideal_points


def compare_ideal_points(votes: pd.DataFrame, roll_calls: pd.DataFrame) -> None:
    settings = Settings(n_boot=int(os.environ.get("N_BOOT", "0")))
    ours = dynamic_ideal_points(votes, roll_calls, settings=settings)
    bsv = pd.read_stata(VOETEN / "IdealpointsJuly2025.dta")
    bsv = bsv.rename(columns={"iso3c": "iso3"})[["iso3", "year", "idealpointall"]]
    merged = ours.merge(bsv.dropna(), on=["iso3", "year"])
    per_year = merged.groupby("year").apply(
        lambda g: g["ideal_point"].corr(g["idealpointall"]), include_groups=False
    )
    for year, r in per_year.items():
        print(f"r_{year}={r:.4f}")
    wide = ours.pivot(index="year", columns="iso3", values="ideal_point")
    anchored = wide[["USA", "RUS"]].dropna()
    flips = set(per_year[per_year < 0].index) | set(
        anchored.index[anchored["USA"] <= anchored["RUS"]]
    )
    print(f"years_compared={len(per_year)}")
    print(f"state_years_compared={len(merged)}")
    print(f"pooled_r={merged['ideal_point'].corr(merged['idealpointall']):.4f}")
    print(f"median_year_r={per_year.median():.4f}")
    print(f"min_year_r={per_year.min():.4f}")
    print(f"share_years_r_ge_0.9={(per_year >= 0.9).mean():.4f}")
    print(f"years_below_0.9={','.join(str(y) for y in per_year[per_year < 0.9].index)}")
    print(f"sign_flip_years={len(flips)}")
    if settings.n_boot > 1:
        print(f"median_se={ours['se'].median():.4f}")


def main() -> None:
    votes, roll_calls, source = load()
    print(f"source={source}")
    print(f"roll_calls={len(roll_calls)}")
    compare_ideal_points(votes, roll_calls)


if __name__ == "__main__":
    main()
