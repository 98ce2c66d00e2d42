"""One small evaluator per kind of claim, each a thin layer over the library's own queries.

Each evaluator reads the figure the claim is about through
:mod:`nonaligned.query`, :mod:`nonaligned.exposure` or, for US visits,
:mod:`nonaligned.engagement` (or, for rankings and coverage, one query of
its own below), picks the year by the nearest-year rule and
judges it with the claim's tolerance (:mod:`nonaligned.claims.compare`).
Missing data give ``not checkable``, never a zero, and so does a claim about
a year beyond its source's coverage: the nearest year's figure is then shown
as context, never judged. :data:`KINDS` lists the kinds with their fields,
default tolerances and the reason for each; docs/claims.md documents them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from nonaligned import engagement, exposure, query
from nonaligned.claims.compare import describe_difference, format_tolerance, nearest_year, verdict
from nonaligned.claims.spec import (
    NOT_CHECKABLE,
    NOT_SUPPORTED,
    SUPPORTED,
    Claim,
    Field,
    Kind,
    Outcome,
)
from nonaligned.errors import QueryError
from nonaligned.measures import trade as trade_measures
from nonaligned.measures.finance import NET_AID

if TYPE_CHECKING:
    from nonaligned.session import Store

__all__ = ["KINDS", "region_subregions"]

VOTES = ("yes", "no", "abstain", "absent")
FLOWS = ("total", "exports", "imports")
FINANCE_MEASURES = ("gcdf_commitments", "debt_to_china")


def region_subregions(region: str) -> tuple[str, ...]:
    """The UN M49 sub-regions of a region (the same grouping as trade growth uses)."""
    return trade_measures.REGIONS.get(region, (region,))


def _year_note(claimed: int | None, used: int | None, what: str = "") -> str:
    if claimed is None or used is None or claimed == used:
        return ""
    return f"no {what}data for {claimed}, nearest year used: {used}. "


TRADE_DATA = "The trade data (IMF DOTS)"
HRT_DATA = "The Horn-Reinhart-Trebesch debt stocks"
US_AID_DATA = "The US net aid data (World Bank WDI)"
TRAVEL_DATA = "The US travel records (Office of the Historian)"
ROLE_NAMES = {"president": "US President", "secretary": "US Secretary of State"}


def _outside(claimed: Iterable[int | None], coverage: tuple[int, int], data: str) -> str:
    """Why a claim about years beyond its source's coverage cannot be judged ('' if inside).

    The data say nothing about a year they do not cover: a figure from the
    nearest covered year may be context, but judging the claim on it would
    test another claim (a growth to 2023 judged on 2000-2020).
    """
    first, last = coverage
    beyond = sorted({y for y in claimed if y is not None and not first <= y <= last})
    if not beyond:
        return ""
    years = " and ".join(str(y) for y in beyond)
    return f"{data} cover {first}-{last}, not {years}: the claim is not checkable."


def _after(outside: str, reason: str) -> str:
    """A reason a claim is not checkable, after the coverage note where there is one."""
    return f"{outside} {reason[0].upper()}{reason[1:]}" if outside else reason


def _hrt_coverage(store: Store) -> tuple[int, int]:
    first, last = query.year_span(store, "debt_to_china")
    return int(first), int(last)


def _numeric(
    claim: Claim,
    kind: Kind,
    value: float,
    claimed: float,
    text: str,
    sources: tuple[str, ...],
    year_used: int | None = None,
    from_year_used: int | None = None,
    note: str = "",
    outside: str = "",
) -> Outcome:
    """Judge a numeric value against the claimed one and explain the comparison.

    With ``outside`` (see :func:`_outside`) the value is context only: the
    verdict is ``not checkable`` and nothing is compared.
    """
    if outside:
        context = f"{outside} For context only, the nearest year with data: {text}."
        return Outcome(NOT_CHECKABLE, context, sources, value, year_used, from_year_used)
    unit = kind.tolerance_unit
    judged = verdict(value, claimed, claim.tolerance, unit, claim.compare)
    tolerance = format_tolerance(claim.tolerance, unit)
    if claim.compare == "about":
        within = "within" if judged == SUPPORTED else "outside"
        test = f"{within} the tolerance {tolerance}"
    else:
        meets = "meets" if judged == SUPPORTED else "misses"
        test = f"{meets} the bound (tolerance {tolerance})"
    bound = {"about": "", "at_least": "at least ", "at_most": "at most "}[claim.compare]
    explanation = (
        f"{note}{text} (claimed {bound}{claimed:g}): "
        f"{describe_difference(value, claimed, unit)}, {test}"
    )
    return Outcome(judged, explanation, sources, value, year_used, from_year_used)


def _trade_sources(partner: str) -> tuple[str, ...]:
    return ("imf_dots", "memberships") if partner == "EU" else ("imf_dots",)


def _trade_share(store: Store, claim: Claim) -> Outcome:
    p = claim.params
    column = {"total": "share", "exports": "exports_share", "imports": "imports_share"}[p["flow"]]
    sources = _trade_sources(p["partner"])
    outside = _outside([p["year"]], exposure.trade_coverage(store), TRADE_DATA)
    try:
        table = exposure.trade(store, p["country"], include_hk_macao=p["include_hk_macao"])
    except QueryError as exc:
        return Outcome(NOT_CHECKABLE, str(exc), sources)
    rows = table[(table.partner == p["partner"]) & table[column].notna()]
    year = nearest_year(rows.year, p["year"], claim.max_year_gap)
    if year is None:
        return Outcome(
            NOT_CHECKABLE,
            _after(
                outside,
                f"no {p['flow']} trade share of {p['country']} with {p['partner']} within "
                f"{claim.max_year_gap} years of {p['year']}",
            ),
            sources,
        )
    row = rows[rows.year == year].iloc[0]
    value = 100.0 * float(row[column])
    mirrored = " (from partners' reports)" if row.mirrored else ""
    flow = {"total": "goods trade", "exports": "goods exports", "imports": "goods imports"}
    text = (
        f"{p['partner']} has {value:.2f}% of {p['country']}'s {flow[p['flow']]} in {year}{mirrored}"
    )
    return _numeric(
        claim, KINDS["trade_share"], value, p["percent"], text, sources, year,
        note=_year_note(p["year"], year, "trade "), outside=outside,
    )  # fmt: skip


def _trade_growth(store: Store, claim: Claim) -> Outcome:
    p = claim.params
    sources = _trade_sources(p["partner"])
    first, last = exposure.trade_coverage(store)
    outside = _outside([p["from_year"], p["to_year"]], (first, last), TRADE_DATA)
    years = range(first, last + 1)
    start = nearest_year(years, p["from_year"], claim.max_year_gap)
    end = nearest_year(years, p["to_year"], claim.max_year_gap)
    if start is None or end is None:
        return Outcome(
            NOT_CHECKABLE,
            _after(
                outside,
                f"no context either: {p['from_year'] if start is None else p['to_year']} "
                f"is more than {claim.max_year_gap} years from the coverage",
            ),
            sources,
        )
    table = exposure.trade_growth(
        store, p["partner"], start, end, region=p["region"], iso3=p["country"], flow=p["flow"],
        include_hk_macao=p["include_hk_macao"],
    )  # fmt: skip
    row = table.iloc[0]
    area = p["region"] or p["country"]
    if pd.isna(row.multiple):
        return Outcome(
            NOT_CHECKABLE,
            _after(
                outside,
                f"no {p['flow']} trade of {area} with {p['partner']} in both {start} and {end}",
            ),
            sources,
            year_used=end,
            from_year_used=start,
        )
    members = f", {row.n_countries} countries with data in both years" if p["region"] else ""
    text = (
        f"{p['flow']} trade of {area} with {p['partner']} went from "
        f"{row.value_from_usd / 1e9:.2f} bn US$ in {start} to {row.value_to_usd / 1e9:.2f} bn "
        f"in {end}{members}: a {row.multiple:.2f}-fold change"
    )
    note = _year_note(p["from_year"], start, "trade ") + _year_note(p["to_year"], end, "trade ")
    return _numeric(
        claim, KINDS["trade_growth"], float(row.multiple), p["multiple"], text, sources, end,
        start, note, outside,
    )  # fmt: skip


def _roll_call(store: Store, claim: Claim) -> tuple[pd.DataFrame | None, tuple[str, ...], str]:
    """The votes on the claim's roll call, its sources, or None and why it is not checkable."""
    p = claim.params
    try:
        votes = query.resolution_votes(store, p["symbol"], p["roll_call"])
    except QueryError as exc:
        return None, (), str(exc)
    source = query.roll_call_source(store, int(votes.roll_call_id.iloc[0]))
    return votes, (source,), ""


def _with_absences(sources: tuple[str, ...], *votes: str) -> tuple[str, ...]:
    """Absences are Voeten's, or inferred from the UN membership dates read off his file."""
    return (*sources, "voeten_votes") if "absent" in votes else sources


def _vote(store: Store, claim: Claim) -> Outcome:
    p = claim.params
    votes, sources, reason = _roll_call(store, claim)
    if votes is None:
        return Outcome(NOT_CHECKABLE, reason, sources)
    year = int(pd.Timestamp(votes.date.iloc[0]).year)
    row = votes[votes.iso3 == p["country"]]
    if row.empty:
        return Outcome(
            NOT_CHECKABLE,
            f"{p['country']} has no recorded vote or absence on {p['symbol']} "
            "(not a UN member at its date)",
            sources,
            year_used=year,
        )
    value = str(row.vote.iloc[0])
    sources = _with_absences(sources, value, p["vote"])
    judged = SUPPORTED if value == p["vote"] else NOT_SUPPORTED
    explanation = (
        f"{p['country']}'s recorded vote on {p['symbol']} "
        f"({pd.Timestamp(votes.date.iloc[0]).date()}): {value} (claimed {p['vote']})"
    )
    return Outcome(judged, explanation, sources, value, year)


def _vote_count(store: Store, claim: Claim) -> Outcome:
    p = claim.params
    votes, sources, reason = _roll_call(store, claim)
    if votes is None:
        return Outcome(NOT_CHECKABLE, reason, sources)
    year = int(pd.Timestamp(votes.date.iloc[0]).year)
    where = "all UN members"
    if p["region"] is not None:
        votes = votes[votes.un_region.isin(region_subregions(p["region"]))]
        where = f"the {len(votes)} UN members of {p['region']} (UN M49) at the vote"
    value = query.vote_totals(votes)[p["vote"]]
    sources = _with_absences(sources, p["vote"])
    text = f"{value} of {where} recorded {p['vote']!r} on {p['symbol']}"
    return _numeric(claim, KINDS["vote_count"], value, p["count"], text, sources, year)


def _finance_table(
    store: Store, measure: str, year: int | None, max_gap: int
) -> tuple[pd.DataFrame, int | None]:
    """``iso3, amount`` for every country with a value, and the year used (for the stock)."""
    if measure == "gcdf_commitments":
        return _amounts(query.gcdf_commitments(store), "commitments_usd"), None
    debt = query.debt_to_china(store)
    used = nearest_year(debt.year, year, max_gap)
    return _amounts(debt[debt.year == used], "debt_to_china_usd"), used


def _amounts(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """``iso3, amount``: ``column`` of the rows where it is known."""
    known = table[table[column].notna()]
    return known[["iso3", column]].rename(columns={column: "amount"}).reset_index(drop=True)


def _largest_recipient(store: Store, claim: Claim) -> Outcome:
    p = claim.params
    stock = p["measure"] == "debt_to_china"
    sources = ("hrt",) if stock else ("aiddata_gcdf3",)
    table, used = _finance_table(store, p["measure"], p["year"], claim.max_year_gap)
    outside = _outside([p["year"]], _hrt_coverage(store), HRT_DATA) if stock else ""
    if stock and used is None:
        return Outcome(
            NOT_CHECKABLE,
            _after(
                outside,
                f"no context either: no debt stock within {claim.max_year_gap} years of "
                f"{p['year']}",
            ),
            sources,
        )
    area = "the world"
    if p["region"] is not None:
        table = table[table.iso3.isin(trade_measures.region_members(p["region"]))]
        area = p["region"]
    table = table.sort_values("amount", ascending=False, ignore_index=True)
    what = (
        f"debt owed to China in {used} (Horn-Reinhart-Trebesch)"
        if stock
        else f"Chinese official finance commitments {exposure.GCDF_PERIOD} (AidData GCDF 3.0)"
    )
    if p["country"] not in set(table.iso3):
        return Outcome(
            NOT_CHECKABLE, f"{p['country']} has no {what} in {area}", sources, year_used=used
        )
    rank = int(table.index[table.iso3 == p["country"]][0]) + 1
    top = ", ".join(f"{r.iso3} {r.amount / 1e9:.1f} bn US$" for r in table.head(3).itertuples())
    text = f"{p['country']} ranks {rank} of {len(table)} in {area} by {what}; top: {top}"
    note = _year_note(p["year"], used, "debt ") if stock else ""
    return _numeric(
        claim, KINDS["largest_recipient"], rank, p["rank"], text, sources, used, note=note,
        outside=outside,
    )  # fmt: skip


def _debt(store: Store, claim: Claim, column: str, kind: str) -> Outcome:
    p = claim.params
    sources = ("hrt", "wdi") if column == "debt_to_china_pct_gdp" else ("hrt",)
    outside = _outside([p["year"]], _hrt_coverage(store), HRT_DATA)
    try:
        table = exposure.finance(store, p["country"])
    except QueryError as exc:
        return Outcome(NOT_CHECKABLE, str(exc), sources)
    rows = table[table.year.notna() & table[column].notna()]
    year = nearest_year(rows.year.astype(int), p["year"], claim.max_year_gap)
    if year is None:
        first, last = _hrt_coverage(store)
        return Outcome(
            NOT_CHECKABLE,
            _after(
                outside,
                f"no debt to China of {p['country']} within {claim.max_year_gap} years of "
                f"{p['year']} (Horn-Reinhart-Trebesch covers {first}-{last})",
            ),
            sources,
        )
    row = rows[rows.year == year].iloc[0]
    value = float(row[column])
    if column == "debt_to_china_usd":
        claimed = p["usd"]
        text = f"{p['country']} owed {value / 1e9:.2f} bn US$ to China at the end of {year}"
    else:
        claimed = p["percent"]
        names = {"debt_to_china_pct_gdp": "WDI GDP", "debt_to_china_pct_gdp_hrt": "HRT's GDP"}
        other = next(c for c in names if c != column)
        text = (
            f"{p['country']}'s debt to China was {value:.2f}% of {names[column]} in {year} "
            f"({row[other]:.2f}% of {names[other]})"
        )
    note = _year_note(p["year"], year, "debt ")
    return _numeric(
        claim, KINDS[kind], value, claimed, text, sources, year, note=note, outside=outside
    )


def _debt_usd(store: Store, claim: Claim) -> Outcome:
    return _debt(store, claim, "debt_to_china_usd", "debt_to_china")


def _debt_pct(store: Store, claim: Claim) -> Outcome:
    column = {"wdi": "debt_to_china_pct_gdp", "hrt": "debt_to_china_pct_gdp_hrt"}
    return _debt(store, claim, column[claim.params["gdp"]], "debt_to_china_gdp")


def _us_aid(store: Store, claim: Claim) -> Outcome:
    p = claim.params
    sources = ("us_aid",)
    first, last = query.year_span(store, "us_aid")
    outside = _outside([p["year"]], (int(first), int(last)), US_AID_DATA)
    try:
        table = exposure.official_finance(store, p["country"])
    except QueryError as exc:
        return Outcome(NOT_CHECKABLE, _after(outside, str(exc)), sources)
    rows = table[(table.pole == "USA") & (table.measure == NET_AID) & table.value_usd.notna()]
    year = nearest_year(rows.year.astype(int), p["year"], claim.max_year_gap)
    if year is None:
        return Outcome(
            NOT_CHECKABLE,
            _after(
                outside,
                f"no US net aid to {p['country']} within {claim.max_year_gap} years of "
                f"{p['year']} (WDI covers {first}-{last})",
            ),
            sources,
        )
    value = float(rows[rows.year == year].value_usd.iloc[0])
    text = (
        f"US net bilateral aid to {p['country']} was {value / 1e6:.1f} m US$ in {year} "
        "(disbursed in the year less repaid)"
    )
    return _numeric(
        claim, KINDS["us_aid"], value, p["usd"], text, sources, year,
        note=_year_note(p["year"], year, "aid "), outside=outside,
    )  # fmt: skip


def _trip(row: pd.Series) -> str:
    """One trip as the explanation shows it: who, when, where."""
    end = "" if row.end_date == row.start_date else f" to {row.end_date:%Y-%m-%d}"
    where = f", {row.locale}" if isinstance(row.locale, str) and row.locale else ""
    return f"{row.traveller} {row.start_date:%Y-%m-%d}{end}{where}"


def _us_visit(store: Store, claim: Claim) -> Outcome:
    """A visit is in the record or not; a year the record covers only in part (it ends in
    February 2025) can support a visit but never refute one."""
    p = claim.params
    sources = ("us_travels",)
    who, country = ROLE_NAMES[p["role"]], p["country"]
    try:
        span = engagement.coverage(store)
    except QueryError as exc:
        return Outcome(NOT_CHECKABLE, str(exc), sources)
    first, last = query.year_span(store, "us_travels", "start_date", "end_date")
    trips = engagement.us_trips(store, country, p["role"])
    found = trips[trips.year == p["year"]]
    outside = _outside([p["year"]], (first.year, last.year), TRAVEL_DATA)
    whole = first <= date(p["year"], 1, 1) and date(p["year"], 12, 31) <= last
    if outside or (found.empty and not whole):
        reason = outside or (
            f"{TRAVEL_DATA} cover {span}, not all of {p['year']}: the claim is not checkable. "
            f"No trip of a {who} to {country} is recorded in {p['year']} up to their end."
        )
        return Outcome(NOT_CHECKABLE, reason, sources)
    if found.empty:
        before = trips[trips.year < p["year"]].tail(1)
        after = trips[trips.year > p["year"]].head(1)
        nearest = [f"; the last before: {_trip(row)}" for _, row in before.iterrows()]
        nearest += [f"; the next after: {_trip(row)}" for _, row in after.iterrows()]
        return Outcome(
            NOT_SUPPORTED,
            f"no recorded trip of a {who} to {country} in {p['year']} (the record covers "
            f"{span}){''.join(nearest)}",
            sources,
            0,
            p["year"],
        )
    visits = "; ".join(_trip(row) for _, row in found.iterrows())
    count = f"{len(found)} recorded trip{'s' if len(found) > 1 else ''}"
    text = f"{count} of a {who} to {country} in {p['year']}: {visits}"
    earlier = trips[trips.start_date < found.start_date.min()]
    if not p["first"]:
        return Outcome(SUPPORTED, text, sources, len(found), p["year"])
    if earlier.empty:
        text += f"; none earlier in the record ({span}): the first"
        return Outcome(SUPPORTED, text, sources, len(found), p["year"])
    text += f"; not the first: the first recorded was {_trip(earlier.iloc[0])}"
    return Outcome(NOT_SUPPORTED, text, sources, len(found), p["year"])


_COUNTRY = Field("country", str, "ISO3 code of the country", role="country")
_YEAR = Field("year", int, "year the claim is about")
_SYMBOL = Field("symbol", str, "UN symbol of the resolution, e.g. A/RES/ES-11/1", role="symbol")
_ROLL_CALL = Field(
    "roll_call", int, "roll call id, where several votes share the symbol", required=False
)
_VOTE = Field("vote", str, "yes, no, abstain or absent", choices=VOTES)
_FLOW = Field("flow", str, "total, exports or imports", False, FLOWS, "total")
_HK = Field("include_hk_macao", bool, "count Hong Kong and Macao in China", False, None, False)
_REGION = Field(
    "region", str, "UN M49 region or sub-region (all members if omitted)", False, role="region"
)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "trade_share",
            "COUNTRY does PERCENT percent of its goods trade with PARTNER (a pole) in YEAR.",
            (
                _COUNTRY,
                Field("partner", str, "pole: USA, CHN, RUS or EU", choices=trade_measures.POLES),
                _YEAR,
                Field("percent", float, "claimed share, in percent"),
                _FLOW,
                _HK,
            ),
            ("percent",),
            _trade_share,
            2.5,
            "percentage points",
            "Published shares are rounded (often to a whole percent or 'a quarter') and "
            "usually come from national statistics, which differ from IMF DOTS by a point or "
            "two (CIF/FOB valuation, re-exports through Hong Kong, revisions).",
            year_field="year",
        ),
        Kind(
            "trade_growth",
            "Trade of REGION (or COUNTRY) with PARTNER grew MULTIPLE-fold from FROM_YEAR to "
            "TO_YEAR.",
            (
                _REGION,
                Field("country", str, "ISO3 code, instead of a region", False, role="country"),
                Field("partner", str, "pole (USA, CHN, RUS, EU), WLD or ISO3", role="partner"),
                Field("from_year", int, "start year"),
                Field("to_year", int, "end year"),
                Field("multiple", float, "claimed growth multiple (K in 'K-fold')"),
                _FLOW,
                _HK,
            ),
            ("multiple",),
            _trade_growth,
            0.1,
            "relative",
            "A 'K-fold' figure is rounded (fourfold may be 3.7 or 4.4) and computed from "
            "another source (national customs, China's own statistics) whose bilateral totals "
            "differ from IMF DOTS by several percent; 10 percent of the multiple covers both "
            "without letting a twofold error pass.",
            one_of=(("region", "country"),),
            year_field="to_year",
        ),
        Kind(
            "vote_count",
            "COUNT states (of REGION) voted VOTE on resolution SYMBOL.",
            (_SYMBOL, _VOTE, Field("count", int, "claimed number of states"), _REGION, _ROLL_CALL),
            ("count",),
            _vote_count,
            0,
            "count",
            "Recorded votes are exact. A press count differs from the record only through a "
            "different regional grouping (African Union vs UN M49) or a vote changed after "
            "the meeting; such a claim should show as not supported unless the file says "
            "otherwise.",
        ),
        Kind(
            "vote",
            "COUNTRY voted VOTE on resolution SYMBOL.",
            (_COUNTRY, _SYMBOL, _VOTE, _ROLL_CALL),
            ("vote",),
            _vote,
            None,
            None,
            "A recorded vote is a category: it matches or it does not.",
        ),
        Kind(
            "largest_recipient",
            "COUNTRY is the largest (or RANK-th) recipient of Chinese official finance in "
            "REGION, by MEASURE (gcdf_commitments: AidData commitments 2000-2021; "
            "debt_to_china: Horn-Reinhart-Trebesch stock in YEAR).",
            (
                _COUNTRY,
                _REGION,
                Field(
                    "measure", str, "gcdf_commitments or debt_to_china", choices=FINANCE_MEASURES
                ),
                Field("year", int, "year of the debt stock (debt_to_china only)", required=False),
                Field("rank", int, "claimed rank, 1 = largest", required=False, default=1),
            ),
            ("rank",),
            _largest_recipient,
            0,
            "rank",
            "'Largest' is a rank, not an amount: one place off is a different claim.",
            year_field="year",
            requires={"year": ("measure", "debt_to_china")},
        ),
        Kind(
            "debt_to_china",
            "COUNTRY owed USD US dollars to Chinese official lenders in YEAR.",
            (_COUNTRY, _YEAR, Field("usd", float, "claimed debt stock, US dollars")),
            ("usd",),
            _debt_usd,
            0.15,
            "relative",
            "Estimates of debt to China differ widely by source and method (HRT count "
            "disbursements less repayments, the press often quotes commitments or a "
            "government's own figure); 15 percent separates 'about the same size' from a "
            "different order.",
            year_field="year",
        ),
        Kind(
            "debt_to_china_gdp",
            "COUNTRY's debt to China was PERCENT percent of its GDP in YEAR.",
            (
                _COUNTRY,
                _YEAR,
                Field("percent", float, "claimed debt to China, percent of GDP"),
                Field(
                    "gdp",
                    str,
                    "GDP used: wdi (current WDI figures) or hrt (the authors' own, as published)",
                    False,
                    ("wdi", "hrt"),
                    "wdi",
                ),
            ),
            ("percent",),
            _debt_pct,
            2.0,
            "percentage points",
            "The ratio moves with the GDP used (WDI revises GDP, e.g. Angola's 2016 rebasing; "
            "HRT used their own rounded GDP) by a point or two at typical levels.",
            year_field="year",
        ),
        Kind(
            "us_aid",
            "COUNTRY received USD US dollars of net US bilateral aid in YEAR.",
            (_COUNTRY, _YEAR, Field("usd", float, "claimed net aid, US dollars")),
            ("usd",),
            _us_aid,
            0.15,
            "relative",
            "The store's figure is the DAC's net bilateral aid (disbursed less repaid); the "
            "press often quotes obligations, gross disbursements or totals with military aid "
            "(ForeignAssistance.gov), which differ by far more than 15 percent, while "
            "rounding and revisions stay within it.",
            year_field="year",
        ),
        Kind(
            "us_visit",
            "A US ROLE (president, or secretary of State) visited COUNTRY in YEAR (with "
            "first = true: for the first time on record).",
            (
                _COUNTRY,
                _YEAR,
                Field(
                    "role",
                    str,
                    "president or secretary (of State)",
                    False,
                    engagement.ROLES,
                    "president",
                ),
                Field("first", bool, "claimed to be the first such visit", False, None, False),
            ),
            ("role",),
            _us_visit,
            None,
            None,
            "A trip is in the record or it is not: the Office of the Historian's list is "
            "meant to be complete within its dates.",
            year_field="year",
        ),
    )
}
