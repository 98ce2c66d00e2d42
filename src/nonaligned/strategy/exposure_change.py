"""What accepting an offer does to the country's exposure to the partner: before and after.

What the store knows, and so what is shown (docs/strategy.md, "Exposure"):

* **Debt owed to the partner.** Only the stock owed to China is known
  (Horn-Reinhart-Trebesch, to 2017, via :func:`nonaligned.exposure.finance`);
  the stock owed to any other partner is unknown, so its "before" and
  "after" are missing, never zero. Stocks are shown in percent of the
  latest WDI GDP (the last known stock relative to today's economy), and
  the offer adds its full principal (a loan) or nothing (a grant, equity,
  or a guarantee, which is contingent).
* **Trade with the partner** (pole share of the country's goods trade and
  the partner concentration of its trade, latest DOTS year) is context: a
  financing offer does not change it, so before equals after.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from nonaligned import exposure
from nonaligned.measures import trade as trade_measures
from nonaligned.query import QueryError
from nonaligned.strategy.offers import OffersDocument

__all__ = ["Baseline", "baseline", "debt_exposure", "hhi", "partner_flows", "trade_context"]

CHINA = "CHN"


@dataclass(frozen=True)
class Baseline:
    """The country's latest known GDP and debt owed to China (NaN where unknown)."""

    gdp_year: int | None
    gdp_usd: float
    debt_year: int | None
    debt_to_china_usd: float


def baseline(con: duckdb.DuckDBPyConnection, iso3: str) -> Baseline:
    """Latest WDI GDP and the latest Horn-Reinhart-Trebesch stock owed to China (NaN if none)."""
    gdp = con.execute(
        "SELECT year, gdp_usd FROM wdi WHERE iso3 = ? AND gdp_usd > 0 ORDER BY year DESC LIMIT 1",
        [iso3],
    ).fetchone()
    try:
        debt = exposure.finance(con, iso3).dropna(subset=["year", "debt_to_china_usd"])
    except QueryError:
        debt = pd.DataFrame()
    last = debt.iloc[-1] if not debt.empty else None
    return Baseline(
        gdp_year=int(gdp[0]) if gdp else None,
        gdp_usd=float(gdp[1]) if gdp else np.nan,
        debt_year=int(last.year) if last is not None else None,
        debt_to_china_usd=float(last.debt_to_china_usd) if last is not None else np.nan,
    )


def debt_exposure(document: OffersDocument, base: Baseline) -> pd.DataFrame:
    """Debt owed to each offer's partner before and after accepting it.

    Columns: ``offer_id, partner, new_debt_usd, debt_before_usd,
    debt_after_usd, debt_year, gdp_year, new_debt_pct_gdp, exposure_before,
    exposure_after`` (the two last: debt owed to the partner, percent of GDP;
    missing where the stock owed to that partner is unknown).
    """
    rows = []
    for offer in document.offers:
        new = offer.amount_usd if offer.kind == "loan" else 0.0
        before = base.debt_to_china_usd if offer.partner == CHINA else np.nan
        rows.append(
            {
                "offer_id": offer.id,
                "partner": offer.partner,
                "new_debt_usd": new,
                "debt_before_usd": before,
                "debt_after_usd": before + new,
                "debt_year": base.debt_year if offer.partner == CHINA else None,
                "gdp_year": base.gdp_year,
            }
        )
    table = pd.DataFrame(rows)
    table["debt_year"] = table.debt_year.astype("Int64")
    table["gdp_year"] = table.gdp_year.astype("Int64")
    for column, name in (
        ("new_debt_usd", "new_debt_pct_gdp"),
        ("debt_before_usd", "exposure_before"),
        ("debt_after_usd", "exposure_after"),
    ):
        table[name] = 100.0 * table[column] / base.gdp_usd
    return table


def hhi(values: pd.Series) -> float:
    """Hirschman-Herfindahl index sum(s_j^2) of the shares of the non-missing values.

    The same definition as :mod:`nonaligned.measures.trade` (missing values
    are partners without data, not zero trade); NaN when nothing is left.
    """
    values = values.dropna()
    total = values.sum()
    return float(((values / total) ** 2).sum()) if total > 0 else np.nan


def partner_flows(con: duckdb.DuckDBPyConnection, iso3: str, year: int) -> pd.DataFrame:
    """The country's exports and imports with each partner country in one year (mirror-filled).

    Columns as :func:`nonaligned.measures.trade.partner_flows`, World totals
    (``partner == "WLD"``) included.
    """
    flows = con.execute(
        """SELECT reporter_iso3, partner_code, partner_is_aggregate, year, flow, value_usd,
                  estimated
           FROM trade_flows WHERE (reporter_iso3 = ? OR partner_code = ?) AND year = ?""",
        [iso3, iso3, year],
    ).df()
    dyads = trade_measures.partner_flows(flows.astype({"year": "int64"}))
    return dyads[dyads.iso3 == iso3].reset_index(drop=True)


def trade_context(con: duckdb.DuckDBPyConnection, document: OffersDocument) -> pd.DataFrame:
    """Each offer's partner's share of the country's trade, latest year with data.

    Columns: ``offer_id, partner, trade_year, trade_share, exports_share,
    imports_share`` (missing for a partner that is not a pole: the trade
    tables aggregate by pole) and ``trade_hhi`` (concentration of all
    partners). Unchanged by a financing offer; shown so the analyst sees
    both channels side by side.
    """
    poles = exposure.trade(con, document.country)
    poles = poles[poles.total_usd.notna()]
    year = int(poles.year.max())
    latest = poles[poles.year == year].set_index("partner")
    flows = partner_flows(con, document.country, year)
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
