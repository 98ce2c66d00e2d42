"""What accepting an offer does to the country's exposure to the partner: before and after.

What the store knows, and so what is shown (docs/strategy.md, "Exposure"):

* **Debt owed to the partner.** Only the stock owed to China is known
  (Horn-Reinhart-Trebesch, to 2017, via :func:`nonaligned.exposure.finance`);
  the stock owed to any other partner is unknown, so its "before" and
  "after" are missing, never zero. Every ratio divides values of the same
  year where both exist, and names the year of each input: the stock over
  the WDI GDP of its own year (``debt_year``, ``debt_gdp_year``; the nearest
  year with a GDP where that year has none), the offer's principal, which
  is new, over the latest GDP (``gdp_year``). The offer adds its full
  principal (a loan) or nothing (a grant, equity, or a guarantee, which is
  contingent); the ratio after is the ratio before plus the new debt's.
* **Net aid from the partner.** Only the United States' yearly net aid flow
  is known (WDI ``DC.DAC.USAL.CD``, 2001-2023): the latest year's flow
  (``net_aid_year``) and its share of the same year's GDP
  (``net_aid_gdp_year``, by the same nearest-year rule as the stock). A
  flow per year is not a stock: the two are shown side by side and never
  added (:data:`FINANCE_NOTE`). A financing offer does not change it.
* **Trade with the partner** (pole share of the country's goods trade and
  the partner concentration of its trade, latest DOTS year) is context: a
  financing offer does not change it, so before equals after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import ibis
import numpy as np
import pandas as pd

from nonaligned import exposure, query
from nonaligned.engines import execute
from nonaligned.errors import QueryError
from nonaligned.measures import relational
from nonaligned.measures import trade as trade_measures
from nonaligned.strategy.offers import OffersDocument

if TYPE_CHECKING:
    from nonaligned.session import Store

__all__ = [
    "FINANCE_NOTE",
    "Baseline",
    "baseline",
    "debt_exposure",
    "hhi",
    "partner_flows",
    "trade_context",
    "trade_year",
]

CHINA = "CHN"
USA = "USA"
FINANCE_NOTE = (
    "Official finance by partner, two different measures never added: debt_* is the stock "
    "owed to China at the end of debt_year (Horn-Reinhart-Trebesch; unknown for any other "
    "partner); net_aid_* is the United States' net aid flow in net_aid_year (WDI "
    "DC.DAC.USAL.CD: disbursed less repaid in that year, negative where repayments exceed "
    "it; unknown for any other partner). Each is in percent of the GDP of its own year."
)


@dataclass(frozen=True)
class Baseline:
    """The country's GDPs, debt owed to China and US net aid, each with its year (NaN, None
    where unknown).

    ``gdp_*``: the latest WDI GDP (what today's new debt is measured
    against); ``debt_*``: the latest Horn-Reinhart-Trebesch stock owed to
    China; ``debt_gdp_*``: the GDP of the stock's year, or of the nearest
    year with one (the earlier on a tie), which the stock is divided by;
    ``aid_*``: the latest US net aid flow (a year's flow, not a stock) and
    ``aid_gdp_*`` the GDP it is divided by, by the same rule.
    """

    gdp_year: int | None
    gdp_usd: float
    debt_year: int | None
    debt_to_china_usd: float
    debt_gdp_year: int | None
    debt_gdp_usd: float
    aid_year: int | None
    us_net_aid_usd: float
    aid_gdp_year: int | None
    aid_gdp_usd: float

    @property
    def debt_pct_gdp(self) -> float:
        """The stock in percent of the GDP of its own (or the nearest) year."""
        return 100.0 * self.debt_to_china_usd / self.debt_gdp_usd

    @property
    def aid_pct_gdp(self) -> float:
        """The year's US net aid in percent of the GDP of its own (or the nearest) year."""
        return 100.0 * self.us_net_aid_usd / self.aid_gdp_usd


def _gdp(store: Store, iso3: str, year: int | None) -> tuple[int | None, float]:
    """WDI GDP nearest ``year`` (the earlier on a tie), or the latest where ``year`` is None."""
    wdi = query.wdi(store, iso3)
    rows = [(int(y), float(v)) for y, v in wdi.loc[wdi.gdp_usd > 0, ["year", "gdp_usd"]].values]
    if not rows:
        return None, np.nan
    target = max(y for y, _ in rows) if year is None else year
    found, value = min(rows, key=lambda row: (abs(row[0] - target), row[0]))
    return int(found), float(value)


def _latest(
    store: Store, iso3: str, table: pd.DataFrame, column: str
) -> tuple[int | None, float, int | None, float]:
    """The last year of ``column`` in ``table`` (rows of one country by year), its value, and
    the GDP it is divided by (its year's, or the nearest): all missing where there is none."""
    known = table.dropna(subset=["year", column]).sort_values("year")
    if known.empty:
        return None, np.nan, None, np.nan
    last = known.iloc[-1]
    year = int(last.year)
    return (year, float(last[column]), *_gdp(store, iso3, year))


def baseline(store: Store, iso3: str) -> Baseline:
    """Latest WDI GDP, the latest Horn-Reinhart-Trebesch stock owed to China and the latest
    US net aid flow, each with the GDP of its own year."""
    try:
        debt = exposure.finance(store, iso3)
    except QueryError:
        debt = pd.DataFrame(columns=["year", "debt_to_china_usd"])
    aid = query.us_aid(store, iso3)
    return Baseline(
        *_gdp(store, iso3, None),
        *_latest(store, iso3, debt, "debt_to_china_usd"),
        *_latest(store, iso3, aid, "us_net_aid_usd"),
    )


def debt_exposure(document: OffersDocument, base: Baseline) -> pd.DataFrame:
    """Debt owed to each offer's partner before and after accepting it, and the partner's
    net aid flow beside it.

    Columns: ``offer_id, partner, new_debt_usd, debt_before_usd,
    debt_after_usd`` (the stock of ``debt_year`` plus the new principal),
    ``new_debt_pct_gdp`` (the principal over the GDP of ``gdp_year``, the
    latest), ``exposure_before`` (the stock over the GDP of
    ``debt_gdp_year``, its own year where known), ``exposure_after``
    (before plus the new debt's ratio), and the three years. The stock and
    its years are missing where the stock owed to that partner is unknown.
    Then ``net_aid_usd, net_aid_pct_gdp, net_aid_year, net_aid_gdp_year``:
    the partner's net aid flow in its latest year, known for the United
    States only; a flow, never added to the stock (:data:`FINANCE_NOTE`).
    """
    rows = []
    for offer in document.offers:
        new = offer.amount_usd if offer.kind == "loan" else 0.0
        known = offer.partner == CHINA
        aid = offer.partner == USA and base.aid_year is not None
        new_pct = 100.0 * new / base.gdp_usd
        before_pct = base.debt_pct_gdp if known else np.nan
        rows.append(
            {
                "offer_id": offer.id,
                "partner": offer.partner,
                "new_debt_usd": new,
                "debt_before_usd": base.debt_to_china_usd if known else np.nan,
                "debt_after_usd": base.debt_to_china_usd + new if known else np.nan,
                "new_debt_pct_gdp": new_pct,
                "gdp_year": base.gdp_year,
                "exposure_before": before_pct,
                "exposure_after": before_pct + new_pct,
                "debt_year": base.debt_year if known else None,
                "debt_gdp_year": base.debt_gdp_year if known else None,
                "net_aid_usd": base.us_net_aid_usd if aid else np.nan,
                "net_aid_pct_gdp": base.aid_pct_gdp if aid else np.nan,
                "net_aid_year": base.aid_year if aid else None,
                "net_aid_gdp_year": base.aid_gdp_year if aid else None,
            }
        )
    table = pd.DataFrame(rows)
    years = ("gdp_year", "debt_year", "debt_gdp_year", "net_aid_year", "net_aid_gdp_year")
    return table.astype({c: "Int64" for c in years})


def hhi(values: pd.Series) -> float:
    """Hirschman-Herfindahl index sum(s_j^2) of the shares of the non-missing values.

    :func:`nonaligned.measures.relational.hhi`, the trade measures' definition
    (missing values are partners without data, not zero trade); NaN when
    nothing is left.
    """
    values = values.dropna().astype("float64")
    if values.empty:
        return np.nan
    rows = ibis.memtable(pd.DataFrame({"group": 0, "value_usd": values.to_numpy()}))
    (result,) = execute(relational.hhi(rows, ["group"]))["hhi"]
    return float(result)


def partner_flows(store: Store, iso3: str, year: int) -> pd.DataFrame:
    """The country's exports and imports with each partner country in one year (mirror-filled).

    Columns as :func:`nonaligned.measures.trade.partner_flows`, World totals
    (``partner == "WLD"``) included.
    """
    flows = query.trade_flows(store, [year], [iso3])
    dyads = trade_measures.partner_flows(flows)
    return dyads[dyads.iso3 == iso3].reset_index(drop=True)


def trade_year(store: Store, iso3: str, year: int | None = None) -> tuple[pd.DataFrame, int]:
    """The country's pole trade (``exposure.trade``) with both flows known, and its latest year
    (or ``year``); a QueryError where there is none, rather than a year of NaN."""
    table = exposure.trade(store, iso3, year)
    table = table[table.total_usd.notna()]
    if table.empty:
        raise QueryError(f"no trade data for {iso3} with both exports and imports")
    return table, int(table.year.max())


def trade_context(store: Store, document: OffersDocument) -> pd.DataFrame:
    """Each offer's partner's share of the country's trade, latest year with data.

    Columns: ``offer_id, partner, trade_year, trade_share, exports_share,
    imports_share`` (missing for a partner that is not a pole: the trade
    tables aggregate by pole) and ``trade_hhi`` (concentration of all
    partners). Unchanged by a financing offer; shown so the analyst sees
    both channels side by side.
    """
    poles, year = trade_year(store, document.country)
    latest = poles[poles.year == year].set_index("partner")
    flows = partner_flows(store, document.country, year)
    countries = flows[flows.partner != trade_measures.WORLD]
    hhi_total = hhi(countries.groupby("partner").value_usd.sum(min_count=1))
    rows = []
    for offer in document.offers:
        known = offer.partner in latest.index
        rows.append(
            {
                "offer_id": offer.id,
                "partner": offer.partner,
                "trade_year": year,
                "trade_share": latest.share.get(offer.partner) if known else np.nan,
                "exports_share": latest.exports_share.get(offer.partner) if known else np.nan,
                "imports_share": latest.imports_share.get(offer.partner) if known else np.nan,
                "trade_hhi": hhi_total,
            }
        )
    return pd.DataFrame(rows)
