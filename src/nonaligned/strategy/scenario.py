"""Scenarios: a pole raises tariffs on the country's exports, sanctions it, or stops new finance.

For each, what is exposed and how concentrated the alternatives are
(docs/strategy.md, "Scenarios"):

* **tariff X**: exports to the pole are exposed; ``tariff_cost_usd`` is
  X times their value, the first-order cost before any trade diversion or
  price response (an upper bound on what the exporters bear at constant
  volumes). Imports and debt are untouched.
* **sanctions**: exports to and imports from the pole, the debt owed to
  it (which can no longer be serviced or rolled over normally) and its net
  aid flow.
* **finance stop**: the debt owed to the pole (no refinancing) and its net
  aid flow (no new money); trade is untouched.

Shares are of the country's goods trade with the world in the latest DOTS
year with data (or ``year``), both of that year (``trade_year``). Debt owed
to a pole is known only for China (Horn-Reinhart-Trebesch, latest year to
2017, ``debt_year``), in percent of the WDI GDP of the same year
(``debt_gdp_year``: the nearest year with a GDP where that year has none);
the store has no total external debt, so debt is not expressed as a share
of debt. The net aid flow from a pole is known only for the United States
(WDI, the latest year to 2023, ``net_aid_year``), in percent of the GDP of
the same year (``net_aid_gdp_year``, by the same rule): a year's flow, not
a stock, so it is shown beside the debt and never added to it.
Concentration is the Hirschman-Herfindahl index of partner countries
before, and after dropping the pole's members from each exposed flow (the
remaining partners, the alternatives). A pole cannot act against one of its
own members: a QueryError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from nonaligned import query
from nonaligned.errors import QueryError
from nonaligned.measures import trade as trade_measures
from nonaligned.query import check_country
from nonaligned.strategy.exposure_change import (
    CHINA,
    USA,
    baseline,
    hhi,
    partner_flows,
    trade_year,
)

if TYPE_CHECKING:
    from nonaligned.session import Store

__all__ = ["ACTIONS", "pole_members", "scenario"]

Action = Literal["tariff", "sanctions", "finance_stop"]
ACTIONS: tuple[str, ...] = ("tariff", "sanctions", "finance_stop")
_EXPOSED = {
    "tariff": ("exports",),
    "sanctions": ("exports", "imports", "debt", "aid"),
    "finance_stop": ("debt", "aid"),
}


def pole_members(store: Store, pole: str, year: int) -> frozenset[str]:
    """Partner codes that make up a pole in a year: :func:`trade.pole_partners`'s rule."""
    partners = trade_measures.pole_partners(
        query.memberships(store), np.array([year]), include_hk_macao=False
    )
    return frozenset(partners.loc[partners.pole == pole, "partner"])


_DEBT_COLUMNS = (
    "debt_year",
    "debt_gdp_year",
    "debt_to_pole_usd",
    "debt_to_pole_pct_gdp",
    "debt_exposed_pct_gdp",
)
_AID_COLUMNS = (
    "net_aid_year",
    "net_aid_gdp_year",
    "net_aid_from_pole_usd",
    "net_aid_from_pole_pct_gdp",
    "net_aid_exposed_pct_gdp",
)


def _finance(
    columns: tuple[str, ...], known: bool, values: tuple, exposed: bool
) -> dict[str, object]:
    """One official finance measure of the pole: its year, its GDP's year, the amount, its
    percent of GDP and the percent exposed (0 where the action leaves it alone), all missing
    where the store does not know it for this pole (never zero)."""
    year, gdp_year, usd, pct = values
    shown = (year, gdp_year, usd, pct, pct if exposed else 0.0)
    unknown = (None, None, np.nan, np.nan, np.nan)
    return dict(zip(columns, shown if known else unknown, strict=True))


def _flow_hhi(flows: pd.DataFrame, flow: str, drop: frozenset[str]) -> tuple[float, int]:
    values = flows[(flows.flow == flow) & ~flows.partner.isin(drop)].value_usd.dropna()
    values = values[values > 0]
    return hhi(values), len(values)


def scenario(
    store: Store,
    iso3: str,
    pole: str,
    action: Action,
    tariff: float | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """One row: what the action of ``pole`` against ``iso3`` exposes, and what remains.

    Columns: ``iso3, pole, action, tariff_rate, trade_year, exports_usd,
    imports_usd`` (with the world), ``exports_to_pole_usd,
    imports_from_pole_usd, exports_exposed_share, imports_exposed_share,
    tariff_cost_usd, debt_year, debt_gdp_year, debt_to_pole_usd,
    debt_to_pole_pct_gdp, debt_exposed_pct_gdp`` (missing where the debt owed
    to the pole is unknown: any pole but China), ``net_aid_year,
    net_aid_gdp_year, net_aid_from_pole_usd, net_aid_from_pole_pct_gdp,
    net_aid_exposed_pct_gdp`` (missing where the pole's net aid is unknown:
    any pole but the United States), ``hhi_exports_before/after,
    hhi_imports_before/after, export_partners_after, import_partners_after``.
    """
    code = check_country(store, iso3)
    pole = pole.strip().upper()
    if pole not in trade_measures.POLES:
        raise QueryError(f"unknown pole {pole!r}: use {', '.join(trade_measures.POLES)}")
    if action not in ACTIONS:
        raise QueryError(f"unknown action {action!r}: use {', '.join(ACTIONS)}")
    if (action == "tariff") != (tariff is not None):
        raise QueryError("give a tariff rate with the tariff action, and only with it")
    if tariff is not None and not 0.0 < tariff <= 10.0:
        raise QueryError(f"tariff {tariff!r} must be a positive fraction, e.g. 0.25 for 25%")
    table, when = trade_year(store, code, year)
    members = pole_members(store, pole, when)
    if code in members:
        raise QueryError(
            f"{code} is part of the pole {pole} in {when}: a pole cannot act against itself"
        )
    rows = table[table.year == when].set_index("partner")
    if pole not in rows.index:  # e.g. a state that ended before its data name the pole
        raise QueryError(
            f"no trade of {code} with {pole} in {when}, neither reported nor mirrored: "
            "nothing to expose (missing, not zero)"
        )
    world, with_pole = rows.loc[trade_measures.WORLD], rows.loc[pole]
    exposed = _EXPOSED[action]
    flows = partner_flows(store, code, when)
    flows = flows[flows.partner != trade_measures.WORLD]
    result: dict[str, object] = {
        "iso3": code,
        "pole": pole,
        "action": action,
        "tariff_rate": tariff,
        "trade_year": when,
        "exports_usd": world.exports_usd,
        "imports_usd": world.imports_usd,
        "exports_to_pole_usd": with_pole.exports_usd,
        "imports_from_pole_usd": with_pole.imports_usd,
        "exports_exposed_share": with_pole.exports_share if "exports" in exposed else 0.0,
        "imports_exposed_share": with_pole.imports_share if "imports" in exposed else 0.0,
        "tariff_cost_usd": tariff * with_pole.exports_usd if tariff is not None else np.nan,
    }
    base = baseline(store, code)
    result |= _finance(
        _DEBT_COLUMNS,
        pole == CHINA and not np.isnan(base.debt_to_china_usd),
        (base.debt_year, base.debt_gdp_year, base.debt_to_china_usd, base.debt_pct_gdp),
        "debt" in exposed,
    )
    result |= _finance(
        _AID_COLUMNS,
        pole == USA and base.aid_year is not None,
        (base.aid_year, base.aid_gdp_year, base.us_net_aid_usd, base.aid_pct_gdp),
        "aid" in exposed,
    )
    for flow in ("exports", "imports"):
        before, _ = _flow_hhi(flows, flow, frozenset())
        after, count = _flow_hhi(flows, flow, members if flow in exposed else frozenset())
        result |= {
            f"hhi_{flow}_before": before,
            f"hhi_{flow}_after": after,
            f"{flow[:-1]}_partners_after": count,
        }
    years = (*_DEBT_COLUMNS[:2], *_AID_COLUMNS[:2])
    return pd.DataFrame([result]).astype({c: "Int64" for c in years})
