"""Trade exposure to the poles: shares, partner concentration and growth multiples.

Input is the long DOTS table of :func:`nonaligned.sources.imf_dots.parse`
(``reporter_iso3, partner_code, partner_is_aggregate, year, flow, value_usd,
estimated``) and the store's memberships table (for the EU pole).

Methods, each a documented choice:

* **Reporter side first, mirror flows second.** A country's own report is
  used wherever it has one. Where a country reports nothing at all for a
  flow in a year (every partner blank, World included; Taiwan never
  reports to the IMF), its flows are taken from its partners' reports of the
  reverse flow: its exports to B are B's imports from it, its imports from B
  are B's exports to it. These rows are flagged ``mirrored``. The filling is
  per country, flow and year, never per partner cell: a reporting country's
  blank partner cell stays missing. Mirrored exports are valued CIF and
  mirrored imports FOB (the partner's valuation); no CIF/FOB adjustment is
  made. The World total of a mirrored country-year is the sum of its mirrored
  partner flows.
* **Importer check (optional).** With ``importer_factor`` set, a reporter's
  exports to a partner that the partner's own imports record contradicts by
  more than that factor (max/min; a zero against a positive value always
  counts) are replaced by the importer's record, flagged
  ``importer_replaced``. Importers record origin and value more carefully
  (customs collect duties on imports), which is why CEPII BACI weighs
  importer reports more. Imports cells are the importer's own record and are
  kept; the World total stays the reporter's, so the poles' exports can
  exceed it. Off by default, so plain outputs are the reporter's figures.
  :data:`IMPORTER_FACTOR` = 2 comes from benchmarks/trade_mirror_check.py on
  the whole store (figures in docs/trade.md): weighted by value, 80% of the
  reporter/importer ratios lie within 0.79-1.47, the usual CIF/FOB and
  timing gaps, so 2 stays clear of them and replaces only the tails (7.2% of
  the paired value, 34% of the cells, mostly small flows). Larger factors
  keep disagreements that no valuation gap explains (3, 5 and 10 leave a
  further 2.8, 4.0 and 5.2 percentage points of that value unreplaced), and
  10 would miss Saudi Arabia's exports to China in 2000, which China records
  at about a tenth.
* **Poles.** ``USA``; ``CHN`` is mainland China, with Hong Kong and Macao
  added only when ``include_hk_macao``; ``RUS`` is the Russian Federation and,
  until 1991, the USSR (one continuous pole, as in the UN-vote measures);
  ``EU`` sums the partners that are EU member states in that year (rule of
  :func:`nonaligned.measures.poles.eu_members`: the accession year counts,
  the exit year does not), with Belgium-Luxembourg counted while both are
  members. The IMF's own "European Union" aggregate has today's composition
  throughout and is not used. ``WLD`` is the reporter's World total.
* **Missing is missing.** A pole with no reported value gives a missing
  amount, and a total needs both exports and imports.
* **Concentration.** The Hirschman-Herfindahl index sum(s_j^2) of partner
  shares s_j over country partners with data (aggregates and "not specified"
  buckets excluded, so the shares sum to one and the index lies in [1/n, 1]).
"""

from __future__ import annotations

from typing import Literal

import ibis
import numpy as np
import pandas as pd

from nonaligned.countries import country_table
from nonaligned.engines import execute
from nonaligned.measures import relational
from nonaligned.measures.poles import POLES, eu_members
from nonaligned.measures.relational import TRADE_FLAGS, WORLD

__all__ = [
    "IMPORTER_FACTOR",
    "POLES",
    "REGIONS",
    "WORLD",
    "beside_importer",
    "concentration",
    "growth",
    "partner_flows",
    "pole_trade",
    "region_members",
]

IMPORTER_FACTOR = 2.0  # importer check's factor for the index; why 2: module docstring
USSR_LAST_YEAR = 1991
COMPOSITE_ECONOMIES = {"BLX": ("BEL", "LUX")}  # reported as one partner before 1997

Flow = Literal["exports", "imports", "total"]

# UN M49 groupings above the sub-regions that country_converter records as
# ``UNregion``; a sub-region name (e.g. "South America") also works on its own.
REGIONS: dict[str, tuple[str, ...]] = {
    "Latin America and the Caribbean": ("Caribbean", "Central America", "South America"),
    "Sub-Saharan Africa": ("Eastern Africa", "Middle Africa", "Southern Africa", "Western Africa"),
    "Africa": (
        "Northern Africa",
        "Eastern Africa",
        "Middle Africa",
        "Southern Africa",
        "Western Africa",
    ),
    "Americas": ("Caribbean", "Central America", "South America", "Northern America"),
    "Asia": ("Central Asia", "Eastern Asia", "South-eastern Asia", "Southern Asia", "Western Asia"),
    "Europe": ("Eastern Europe", "Northern Europe", "Southern Europe", "Western Europe"),
    "Oceania": ("Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia"),
}

_KEYS = ["iso3", "year", "flow"]
_CELL = ["iso3", "partner", "year", "flow", "value_usd", "estimated"]


def region_members(region: str) -> frozenset[str]:
    """ISO3 codes of an M49 region or sub-region (from country_converter's ``UNregion``)."""
    table = country_table()
    subregions = REGIONS.get(region, (region,))
    known = set(table.UNregion.dropna())
    unknown = [s for s in subregions if s not in known]
    if unknown:
        names = sorted(known | set(REGIONS))
        raise ValueError(f"unknown region {region!r}; known: {', '.join(names)}")
    return frozenset(table.ISO3[table.UNregion.isin(subregions)].dropna())


def _own(flows: pd.DataFrame) -> pd.DataFrame:
    """The parser's table under this module's names (``iso3`` is the reporter)."""
    return flows.rename(columns={"reporter_iso3": "iso3", "partner_code": "partner"})


def beside_importer(flows: pd.DataFrame) -> pd.DataFrame:
    """Reported country-partner cells with the partner's record of the same flow beside them.

    Columns ``iso3, partner, year, flow, value_usd, estimated, importer_usd,
    importer_estimated``, in the order of ``flows``; the importer columns hold
    ``partner``'s imports from ``iso3`` for exports cells and are missing where
    it reports none (and on imports cells). The basis of the importer check,
    public so that the disagreement can be measured
    (benchmarks/trade_mirror_check.py).
    """
    own = _own(flows)
    cells = own.loc[~own.partner_is_aggregate, _CELL]
    imports = cells[cells.flow == "imports"]
    importer = pd.DataFrame(
        {
            "iso3": imports.partner,
            "partner": imports.iso3,
            "year": imports.year,
            "flow": "exports",
            "importer_usd": imports.value_usd,
            "importer_estimated": imports.estimated,
        }
    )
    return cells.merge(importer, on=["iso3", "partner", "year", "flow"], how="left")


def _importer_checked(flows: pd.DataFrame, factor: float) -> pd.DataFrame:
    """Reported country-partner cells, exports the importer contradicts by > ``factor`` replaced.

    The importer's ``estimated`` flag comes with its value;
    ``importer_replaced`` marks the replaced rows.
    """
    if not factor >= 1:  # max/min is at least 1; also rejects NaN
        raise ValueError(f"importer_factor must be at least 1, not {factor!r}")
    cells = beside_importer(flows)
    high = np.fmax(cells.value_usd, cells.importer_usd)
    low = np.fmin(cells.value_usd, cells.importer_usd)
    # max > factor * min: false where the importer is silent (NaN), true for zero vs positive
    replace = (high > factor * low).to_numpy()
    cells["value_usd"] = cells.value_usd.mask(replace, cells.importer_usd)
    cells["estimated"] = cells.estimated.mask(replace, cells.importer_estimated).astype(bool)
    return cells[_CELL].assign(importer_replaced=replace)


def partner_flows(
    flows: pd.DataFrame, *, mirror: bool = True, importer_factor: float | None = None
) -> pd.DataFrame:
    """Country-partner flows with mirror filling, plus each country's World total.

    Columns: ``iso3, partner, year, flow`` ("exports"|"imports"), ``value_usd``,
    ``estimated``, ``importer_replaced``, ``mirrored``. ``partner`` is a
    country (or former economy) code, or ``WLD`` for the World total. Unique
    on (iso3, partner, year, flow). ``importer_factor`` (None: off; e.g.
    :data:`IMPORTER_FACTOR`) replaces reported exports that the importer's
    record contradicts by more than that factor (module docstring).
    """
    own = _own(flows)
    countries = own[~own.partner_is_aggregate]
    reported = own[["iso3", "year", "flow"]].drop_duplicates()
    if importer_factor is None:
        cells = countries[_CELL].assign(importer_replaced=False)
    else:
        cells = _importer_checked(flows, importer_factor)
    world_rows = own.loc[own.partner == WORLD, _CELL].assign(importer_replaced=False)
    result = pd.concat([cells, world_rows], ignore_index=True).assign(mirrored=False)
    if not mirror:
        return result
    reverse = countries.rename(columns={"iso3": "partner", "partner": "iso3"}).assign(
        flow=countries.flow.map({"exports": "imports", "imports": "exports"})
    )
    reverse = reverse.merge(reported, on=_KEYS, how="left", indicator=True)
    reverse = reverse.loc[reverse._merge == "left_only", _CELL]
    world = (
        reverse.groupby(_KEYS, as_index=False)
        .agg(value_usd=("value_usd", "sum"), estimated=("estimated", "any"))
        .assign(partner=WORLD)
    )
    mirrored = pd.concat([reverse, world], ignore_index=True)
    mirrored = mirrored.assign(mirrored=True, importer_replaced=False)
    return pd.concat([result, mirrored], ignore_index=True)


def pole_partners(
    memberships: pd.DataFrame, years: np.ndarray, include_hk_macao: bool
) -> pd.DataFrame:
    """``partner, year, pole``: which partner counts for which pole in each of ``years``.

    The one definition of a pole's partners, for the trade measures and the
    strategy desk's scenarios: CHN is mainland China (with Hong Kong and
    Macao if ``include_hk_macao``); RUS includes the USSR until 1991; EU is
    the member states that year, with Belgium-Luxembourg while both are members.
    """
    years = np.sort(np.asarray(years, dtype=np.int64))
    china = ["CHN", "HKG", "MAC"] if include_hk_macao else ["CHN"]
    fixed = [("USA", "USA"), *((code, "CHN") for code in china), ("RUS", "RUS")]
    parts = [pd.DataFrame({"partner": p, "year": years, "pole": pole}) for p, pole in fixed]
    soviet = years[years <= USSR_LAST_YEAR]
    parts.append(pd.DataFrame({"partner": "SUN", "year": soviet, "pole": "RUS"}))
    eu_years = eu_members(memberships, years).rename(columns={"iso3": "partner"})
    for composite, members in COMPOSITE_ECONOMIES.items():
        both = eu_years[eu_years.partner.isin(members)].groupby("year").partner.nunique()
        years_in = both.index[both == len(members)]
        eu_years = pd.concat([eu_years, pd.DataFrame({"partner": composite, "year": years_in})])
    parts.append(eu_years.assign(pole="EU"))
    table = pd.concat(parts, ignore_index=True)
    return table.astype({"partner": str, "year": "int64", "pole": str})


def _partner_trade(
    dyads: pd.DataFrame, groups: pd.DataFrame, labels: list[str], engine: str | None
) -> pd.DataFrame:
    """:func:`nonaligned.measures.relational.pole_trade` run on ``engine``, as a tidy frame."""
    columns = [
        "iso3",
        "year",
        "partner",
        "exports_usd",
        "imports_usd",
        "total_usd",
        "share",
        "exports_share",
        "imports_share",
        *TRADE_FLAGS,
    ]
    flags = dict.fromkeys(TRADE_FLAGS, bool)
    dyads = dyads.astype(
        {"iso3": str, "partner": str, "year": "int64", "flow": str, "value_usd": "float64", **flags}
    )
    if dyads.empty:
        return pd.DataFrame(columns=columns)
    ranks = pd.DataFrame({"partner": labels, "rank": np.arange(len(labels), dtype=np.int64)})
    expr = relational.pole_trade(ibis.memtable(dyads), ibis.memtable(groups), ibis.memtable(ranks))
    result = execute(expr, engine)[columns]
    return result.astype({**{c: "float64" for c in columns[3:9]}, "year": "int64", **flags})


def pole_trade(
    flows: pd.DataFrame,
    memberships: pd.DataFrame,
    *,
    include_hk_macao: bool = False,
    mirror: bool = True,
    importer_factor: float | None = None,
    engine: str | None = None,
) -> pd.DataFrame:
    """Each country's trade with each pole and the world, per year.

    Columns: ``iso3, year, partner`` (USA, CHN, RUS, EU, WLD), ``exports_usd,
    imports_usd, total_usd`` (US dollars), ``share, exports_share,
    imports_share`` (of the same flow with the world), ``mirrored, estimated,
    importer_replaced`` (any component). One row per country-year with a World
    total and partner; amounts are missing where no component has data.
    ``importer_factor`` as in :func:`partner_flows`. Computed by
    :func:`nonaligned.measures.relational.pole_trade` on ``engine``.
    """
    dyads = partner_flows(flows, mirror=mirror, importer_factor=importer_factor)
    groups = pole_partners(memberships, dyads.year.unique(), include_hk_macao)
    return _partner_trade(dyads, groups, [*POLES, WORLD], engine)


def concentration(
    flows: pd.DataFrame,
    *,
    mirror: bool = True,
    importer_factor: float | None = None,
    engine: str | None = None,
) -> pd.DataFrame:
    """Hirschman-Herfindahl index of partner concentration per country-year.

    Columns: ``iso3, year, hhi_exports, hhi_imports, hhi_total`` (in [1/n, 1]
    for n partners with positive trade; missing where the flow has no data or
    sums to zero). The total uses exports plus imports per partner, a partner
    missing in one flow counting for the other only, and needs both flows to
    have data in that year. ``importer_factor`` as in :func:`partner_flows`.
    Computed by :func:`nonaligned.measures.relational.concentration` on ``engine``.
    """
    dyads = partner_flows(flows, mirror=mirror, importer_factor=importer_factor)
    dyads = dyads.loc[dyads.partner != WORLD, ["iso3", "partner", "year", "flow", "value_usd"]]
    columns = ["iso3", "year", "hhi_exports", "hhi_imports", "hhi_total"]
    if dyads.empty:
        return pd.DataFrame(columns=columns)
    dyads = dyads.astype({"iso3": str, "partner": str, "flow": str, "value_usd": "float64"})
    expr = relational.concentration(ibis.memtable(dyads)).order_by("iso3", "year")
    result = execute(expr, engine)[columns]
    return result.astype({name: "float64" for name in columns[2:]})


def _values(
    flows: pd.DataFrame,
    memberships: pd.DataFrame,
    partner: str,
    flow: Flow,
    include_hk_macao: bool,
    mirror: bool,
    importer_factor: float | None,
) -> pd.Series:
    """One flow with one partner (pole, WLD or any partner code), by (iso3, year)."""
    if partner in (*POLES, WORLD):
        table = pole_trade(
            flows,
            memberships,
            include_hk_macao=include_hk_macao,
            mirror=mirror,
            importer_factor=importer_factor,
        )
    else:
        dyads = partner_flows(flows, mirror=mirror, importer_factor=importer_factor)
        years = np.sort(dyads.year.unique())
        groups = pd.DataFrame({"partner": partner, "year": years, "pole": partner})
        table = _partner_trade(dyads, groups, [partner, WORLD], None)
    table = table[table.partner == partner]
    return table.set_index(["iso3", "year"])[f"{flow}_usd"].dropna()


def growth(
    flows: pd.DataFrame,
    memberships: pd.DataFrame,
    *,
    partner: str,
    from_year: int,
    to_year: int,
    iso3: str | None = None,
    region: str | None = None,
    flow: Flow = "total",
    include_hk_macao: bool = False,
    mirror: bool = True,
    importer_factor: float | None = None,
) -> pd.DataFrame:
    """Growth multiple of trade with ``partner`` between two years, for a country or region.

    Exactly one of ``iso3`` and ``region`` (an M49 region or sub-region, see
    :data:`REGIONS`). A region sums its member countries that have a value in
    *both* years, so that countries entering or leaving the data do not pass
    for growth; ``n_countries`` says how many. The partner itself is never
    counted as a member. Columns: ``area, partner, flow, from_year, to_year,
    value_from_usd, value_to_usd, multiple, n_countries`` (one row; the
    multiple is missing where the start value is missing or zero).
    ``importer_factor`` as in :func:`partner_flows`.
    """
    if (iso3 is None) == (region is None):
        raise ValueError("give exactly one of iso3 and region")
    members = {iso3} if iso3 is not None else region_members(region) - {partner}
    values = _values(flows, memberships, partner, flow, include_hk_macao, mirror, importer_factor)
    values = values[values.index.get_level_values("iso3").isin(members)]
    years = values.index.get_level_values("year")
    start = values[years == from_year].droplevel("year")
    end = values[years == to_year].droplevel("year")
    both = start.index.intersection(end.index)
    value_from = start[both].sum() if len(both) else np.nan
    value_to = end[both].sum() if len(both) else np.nan
    multiple = value_to / value_from if value_from > 0 else np.nan
    return pd.DataFrame(
        {
            "area": [iso3 if iso3 is not None else region],
            "partner": partner,
            "flow": flow,
            "from_year": from_year,
            "to_year": to_year,
            "value_from_usd": value_from,
            "value_to_usd": value_to,
            "multiple": multiple,
            "n_countries": len(both),
        }
    )
