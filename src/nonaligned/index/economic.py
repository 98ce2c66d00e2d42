"""Trade with each side of an axis: raw shares, the size-based expectation, intensities.

A raw share rewards size: China is the largest trader in the world, so
nearly everyone's China share rose, chosen or not. The expectation for a
side is its share in the trade of the rest of the world that year,
``e_side = sum_i T_i,side / sum_i T_i`` over reporting countries ``i`` that
are not part of the side (the West excludes the US and the EU members of
that year). The trade intensity index ``share / e_side`` (1 = as much as the
side's size predicts) is what the economic lean compares; raw shares are
reported beside it. The expectation controls for size, not for distance:
a gravity expectation would need bilateral distances the mirror lacks
(docs/methodology.md, limitations).

Bootstrap: the expectation is an average over reporting countries, so its
replicates redraw the reporters with replacement (replicate 0 is observed).
The shares themselves are not resampled: a country's partners are not a
sample, and redrawing them would drop a single-country pole (China, the US)
from about 37 percent of replicates, which measures nothing real.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nonaligned.index.axes import WEST

SIDES: dict[str, tuple[str, ...]] = {"west": WEST, "CHN": ("CHN",), "RUS": ("RUS",)}


def side_trade(pole_trade: pd.DataFrame) -> pd.DataFrame:
    """Total trade per country-year with each side and the world, in US dollars.

    ``pole_trade`` is :func:`nonaligned.measures.trade.pole_trade` output.
    Columns ``iso3, year, west, CHN, RUS, world``; a side is missing where any
    of its poles is (missing is never zero).
    """
    wide = pole_trade.pivot_table(
        index=["iso3", "year"], columns="partner", values="total_usd", dropna=False
    ).reindex(columns=["USA", "EU", "CHN", "RUS", "WLD"])
    return pd.DataFrame(
        {
            "west": wide["USA"] + wide["EU"],
            "CHN": wide["CHN"],
            "RUS": wide["RUS"],
            "world": wide["WLD"].where(wide["WLD"] > 0),
        },
        index=wide.index,
    ).reset_index()


def expected_shares(
    year_trade: pd.DataFrame,
    side_members: dict[str, set[str]],
    n_boot: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Per side, the (n_boot + 1,) replicates of its share of the rest of the world's trade.

    ``year_trade`` is one year of :func:`side_trade`; ``side_members`` gives
    the reporters that belong to each side that year (they are left out).
    """
    n = len(year_trade)
    draws = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot) if n else np.zeros((n_boot, 0))
    weights = np.vstack([np.ones((1, n)), draws])
    result = {}
    for side, members in side_members.items():
        value = year_trade[side].to_numpy(float)
        world = year_trade["world"].to_numpy(float)
        usable = ~year_trade["iso3"].isin(members).to_numpy() & np.isfinite(value + world)
        num = weights @ np.where(usable, value, 0.0)
        den = weights @ np.where(usable, world, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            result[side] = np.where(den > 0, num / den, np.nan)
    return result
