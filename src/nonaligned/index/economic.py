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

EU member states: intra-EU trade is not trade with "the West" in any sense
that matters for alignment (it is the single market), and counting it made
every member, Hungary included, lean West by construction. For an EU
member the shares are of **extra-EU trade** (``world - EU``), the West is
the US alone, and the expectation is the side's share of the rest of the
world's extra-EU trade (``*_extra_eu`` keys of :func:`expected_shares`).

Hong Kong and Macao are left out of every expectation (:data:`NOT_REPORTERS`):
they are Chinese territories whose entrepôt trade with the mainland would
count China's own trade as the world's (docs/validation.md gives China's
expected share with and without them). A country's trade
with them is not counted as trade with China either (``pole_trade``'s
default). Taiwan is a separate customs territory and an economy in its own
right; it stays a reporter.

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
NOT_REPORTERS: frozenset[str] = frozenset({"HKG", "MAC"})
"""Left out of every expectation: Chinese territories (see above)."""
EXTRA_EU = "_extra_eu"


def side_trade(pole_trade: pd.DataFrame) -> pd.DataFrame:
    """Total trade per country-year with each side and the world, in US dollars.

    ``pole_trade`` is :func:`nonaligned.measures.trade.pole_trade` output.
    Columns ``iso3, year, west, USA, EU, CHN, RUS, world``; a side is missing
    where any of its poles is (missing is never zero). ``world`` is at least
    the sum of the poles: the importer check
    (:data:`nonaligned.measures.trade.IMPORTER_FACTOR`) replaces partner
    cells with the importer's record but keeps the reporter's World total,
    which could otherwise leave shares above 1.
    """
    wide = pole_trade.pivot_table(
        index=["iso3", "year"], columns="partner", values="total_usd", dropna=False
    ).reindex(columns=["USA", "EU", "CHN", "RUS", "WLD"])
    # the importer check replaces partner cells but keeps the reporter's World total
    world = np.fmax(wide["WLD"], wide[["USA", "EU", "CHN", "RUS"]].sum(axis=1, min_count=1))
    return pd.DataFrame(
        {
            "west": wide["USA"] + wide["EU"],
            "USA": wide["USA"],
            "EU": wide["EU"],
            "CHN": wide["CHN"],
            "RUS": wide["RUS"],
            "world": world.where(world > 0),
        },
        index=wide.index,
    ).reset_index()


def expected_shares(
    year_trade: pd.DataFrame,
    side_members: dict[str, set[str]],
    n_boot: int,
    rng: np.random.Generator,
    left_out: frozenset[str] = NOT_REPORTERS,
) -> dict[str, np.ndarray]:
    """Per side, the (n_boot + 1,) replicates of its share of the rest of the world's trade.

    ``year_trade`` is one year of :func:`side_trade`; ``side_members`` gives
    the reporters that belong to each side that year (they are left out, as
    are ``left_out``, by default :data:`NOT_REPORTERS`). Each side also has a ``<side>_extra_eu``
    entry, its share of the rest of the world's trade outside the EU (the
    West's being the US's), which EU members are compared with.
    """
    n = len(year_trade)
    draws = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot) if n else np.zeros((n_boot, 0))
    weights = np.vstack([np.ones((1, n)), draws])
    result = {}
    world = year_trade["world"].to_numpy(float)
    outside_eu = world - year_trade["EU"].to_numpy(float)
    for side, members in side_members.items():
        excluded = year_trade["iso3"].isin(members | left_out).to_numpy()
        extra_eu = "USA" if side == "west" else side
        for key, value, total in (
            (side, year_trade[side].to_numpy(float), world),
            (side + EXTRA_EU, year_trade[extra_eu].to_numpy(float), outside_eu),
        ):
            usable = ~excluded & np.isfinite(value + total)
            num = weights @ np.where(usable, value, 0.0)
            den = weights @ np.where(usable, total, 0.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                result[key] = np.where(den > 0, num / den, np.nan)
    return result
