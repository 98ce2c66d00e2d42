"""Validate ideal points and agreement scores against Bailey–Strezhnev–Voeten.

Compares the dynamic ideal points with Voeten's year-based release
(``IdealpointsJuly2025.dta``, column ``idealpointall``: all votes, as fitted
here) and the session-based agreement scores with ``USAgree``, ``RUSSAgree``
and ``ChinaAgree`` of ``IdealpointestimatesAll_Jun2024.csv``. Prints
``name=value`` lines: the correlation per year, the pooled correlation, the
share of years with r >= 0.9, the number of years with a sign flip (r < 0
or USA not above Russia), and the mean differences of the agreement scores.
``N_BOOT`` (environment) adds bootstrap standard errors to the fit.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # see benchmarks/idealpoints.py

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from unvotes_frames import VOETEN, load, load_memberships

from nonaligned.measures.idealpoints import Settings, dynamic_ideal_points
from nonaligned.measures.poles import pole_alignment

BSV_POLES = {"USA": "USAgree", "RUS": "RUSSAgree", "CHN": "ChinaAgree"}


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


def compare_agreement(votes: pd.DataFrame, roll_calls: pd.DataFrame) -> None:
    ours = pole_alignment(
        votes, roll_calls, load_memberships(), by="session", poles=tuple(BSV_POLES)
    )
    bsv = pd.read_csv(VOETEN / "IdealpointestimatesAll_Jun2024.csv")
    for pole, column in BSV_POLES.items():
        mine = ours[ours["pole"] == pole][["iso3", "session", "agreement"]]
        theirs = bsv[["iso3c", "session", column]].rename(columns={"iso3c": "iso3"})
        merged = mine.merge(theirs.dropna(), on=["iso3", "session"])
        diff = merged["agreement"] - merged[column]
        print(f"agree_{pole}_n={len(merged)}")
        print(f"agree_{pole}_mean_diff={diff.mean():.4f}")
        print(f"agree_{pole}_mean_abs_diff={diff.abs().mean():.4f}")
        print(f"agree_{pole}_share_abs_diff_lt_0.01={(diff.abs() < 0.01).mean():.4f}")
        print(f"agree_{pole}_r={merged['agreement'].corr(merged[column]):.4f}")
        worst = merged.assign(diff=diff).loc[diff.abs().nlargest(3).index]
        for row in worst.itertuples():
            print(f"agree_{pole}_worst_{row.iso3}_{row.session}={row.diff:.4f}")


def main() -> None:
    votes, roll_calls, source = load()
    print(f"source={source}")
    print(f"roll_calls={len(roll_calls)}")
    compare_agreement(votes, roll_calls)
    compare_ideal_points(votes, roll_calls)


if __name__ == "__main__":
    main()
