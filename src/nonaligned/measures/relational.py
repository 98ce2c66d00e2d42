"""The relational measures of votes and trade, defined once as Ibis expressions.

Every similarity score (agreement, Cohen's κ, Scott's π, S; formulas in
:mod:`nonaligned.measures.similarity`) is a function of one 3 x 3
contingency table per pair of voters and period. This module builds those
tables and the four scores as backend-neutral Ibis expressions, so that the
same definition runs on DuckDB in process or on Spark across a cluster
(:mod:`nonaligned.engines`). Nothing else in the project computes them,
with one exception: the index's roll-call bootstrap needs the agreement
weighted by roll call, which a contingency table cannot give, so
:mod:`nonaligned.index.diplomatic` has its matrix form, tested equal to
this one at unit weights.

Why bitsets: the direct formulation, a self-join of votes on the roll call,
makes one row per pair of voters per roll call (about 70 million for the
whole record) and takes several seconds even on DuckDB. Instead each
voter's yes / abstain / no votes in a period are packed into 63-bit integer
masks over consecutive roll calls (chunk ``c`` holds roll calls ``63c ..
63c + 62`` of the period). The count of roll calls on which ``a`` voted k and
``b`` voted l is then ``Σ_chunks popcount(mask_a[k] & mask_b[l])``: the join
is over chunks, not roll calls, so it is 63 times smaller and the counts are
still exact integers.

The trade measures at the end (shares of trade with the poles, partner
concentration) are defined here for the same reason: one definition for
both engines, fed by :mod:`nonaligned.measures.trade`.

Vote input tables have the columns of
:func:`nonaligned.measures.votes.coded_votes`: ``roll_call_id, iso3,
period, code`` (code 1 yes, 2 abstain, 3 no; absences already dropped).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

CODES: tuple[int, ...] = (1, 2, 3)
CELLS: tuple[tuple[int, int], ...] = tuple((k, v) for k in CODES for v in CODES)
CELL_COLUMNS: tuple[str, ...] = tuple(f"n{k}{v}" for k, v in CELLS)
MEASURES: tuple[str, ...] = ("agreement", "kappa", "pi", "s_score")
D_MAX = 2.0  # largest possible distance between two votes coded 1..3
CHUNK_BITS = 63  # bits per mask: the sum of 63 distinct powers of two fits a signed int64
DISTANCES = {
    "nominal": lambda k, v: float(k != v),
    "absolute": lambda k, v: float(abs(k - v)),
    "squared": lambda k, v: float((k - v) ** 2),
}
EPSILON = 1e-12  # chance disagreement at or below this leaves κ and π undefined
WORLD = "WLD"  # the partner code of a reporter's World total
TRADE_FLAGS = ("mirrored", "estimated", "importer_replaced")  # per-row flags, any() per group


@ibis.udf.scalar.builtin
def bit_count(value: int) -> int:  # type: ignore[empty-body]
    """Number of set bits (DuckDB's and Spark's built-in ``bit_count``)."""


def vote_masks(coded: ir.Table, *keys: str) -> ir.Table:
    """``period, chunk, iso3, *keys, m1, m2, m3``: each voter's votes packed into 63-bit masks.

    Roll calls are numbered within their period in ``roll_call_id`` order, so
    every voter of a period shares one numbering and masks can be intersected.
    ``keys`` are further columns of ``coded`` to keep voters apart by.
    """
    position = ibis.dense_rank().over(group_by=coded.period, order_by=coded.roll_call_id)
    ranked = coded.mutate(position=position.cast("int64"))
    # 2**i as a float is exact for i < 63; a literal 1 << i would be a 32-bit int on Spark
    bit = (ibis.literal(2.0) ** (ranked.position % CHUNK_BITS)).cast("int64")
    masks = {
        f"m{k}": ibis.ifelse(ranked.code == k, bit, ibis.literal(0, "int64")).sum().cast("int64")
        for k in CODES
    }
    return ranked.group_by(
        ranked.period, ranked.iso3, *keys, chunk=ranked.position // CHUNK_BITS
    ).aggregate(**masks)


def contingency(left: ir.Table, right: ir.Table, *, upper: bool) -> ir.Table:
    """The 3 x 3 vote tables of every pair of a ``left`` and a ``right`` voter per period.

    ``left`` and ``right`` are :func:`vote_masks` over one numbering of roll
    calls. ``upper`` keeps pairs with ``iso3_a < iso3_b`` only (undirected
    dyads of one table joined with itself). Columns: ``period, iso3_a,
    iso3_b, n11 .. n33`` (``nkl``: roll calls where a voted k and b voted l);
    pairs that never voted on the same roll call are dropped.
    """
    a = left.rename(iso3_a="iso3")
    b = right.rename(iso3_b="iso3")
    predicates = [a.period == b.period, a.chunk == b.chunk]
    if upper:
        predicates.append(a.iso3_a < b.iso3_b)
    pairs = a.join(b, predicates)
    cells = {
        f"n{k}{v}": bit_count(pairs[f"m{k}"] & pairs[f"m{v}_right"]).cast("int64").sum()
        for k, v in CELLS
    }
    tables = pairs.group_by("period", "iso3_a", "iso3_b").aggregate(**cells)
    total = sum((tables[c] for c in CELL_COLUMNS[1:]), tables[CELL_COLUMNS[0]])
    return tables.filter(total > 0)


def with_measures(tables: ir.Table, metric: str = "nominal") -> ir.Table:
    """Replace the cells ``n11 .. n33`` of a table by ``agreement, kappa, pi, s_score, n_votes``.

    ``agreement`` is 1 minus the disagreement Σ p[k,l] |k - l| / D_MAX; the
    index's roll-call bootstrap computes that disagreement in weighted matrix
    form (:func:`nonaligned.index.diplomatic._pole_distances`), equal to this
    one at unit weights (tested to 1e-12).

    κ and π use the distance ``metric`` (nominal, absolute or squared); they
    are NULL (NaN in pandas) where chance disagreement is zero or there are
    no common votes.
    """
    if metric not in DISTANCES:
        raise ValueError(f"metric must be one of {tuple(DISTANCES)}, not {metric!r}")
    distance = DISTANCES[metric]
    # staged mutations, each naming its inputs, keep the compiled query small
    n = sum((tables[c].cast("float64") for c in CELL_COLUMNS[1:]), tables[CELL_COLUMNS[0]])
    staged = tables.mutate(_n=n.cast("float64"))
    # no common votes: NULL shares, so NULL measures (Spark's ANSI mode refuses x / 0)
    total = staged._n.nullif(0.0)
    staged = staged.mutate(**{f"_p{k}{v}": staged[f"n{k}{v}"] / total for k, v in CELLS})
    p = {(k, v): staged[f"_p{k}{v}"] for k, v in CELLS}
    staged = staged.mutate(
        **{f"_row{k}": sum(p[k, v] for v in CODES) for k in CODES},
        **{f"_col{v}": sum(p[k, v] for k in CODES) for v in CODES},
        _mean_abs=sum(p[k, v] * abs(k - v) for k, v in CELLS if k != v),
        _observed=sum(p[k, v] * distance(k, v) for k, v in CELLS if distance(k, v)),
    )
    row = {k: staged[f"_row{k}"] for k in CODES}
    col = {k: staged[f"_col{k}"] for k in CODES}
    pooled = {k: (row[k] + col[k]) / 2 for k in CODES}
    staged = staged.mutate(
        _chance_kappa=sum(row[k] * col[v] * distance(k, v) for k, v in CELLS if distance(k, v)),
        _chance_pi=sum(pooled[k] * pooled[v] * distance(k, v) for k, v in CELLS if distance(k, v)),
    )
    undefined = ibis.null("float64")
    kappa = 1 - staged._observed / staged._chance_kappa
    pi = 1 - staged._observed / staged._chance_pi
    result = staged.mutate(
        agreement=1 - staged._mean_abs / D_MAX,
        kappa=ibis.ifelse(staged._chance_kappa > EPSILON, kappa, undefined),
        pi=ibis.ifelse(staged._chance_pi > EPSILON, pi, undefined),
        s_score=1 - 2 * staged._mean_abs / D_MAX,
        n_votes=staged._n.cast("int64"),
    )
    # the cell counts are dropped too: no caller reads them, and they were 9 of 17 output columns
    return result.drop(*CELL_COLUMNS, *(c for c in result.columns if c.startswith("_")))


def dyad_measures(coded: ir.Table, metric: str = "nominal") -> ir.Table:
    """Every undirected dyad's four measures per period: ``period, iso3_a, iso3_b, ...``."""
    masks = vote_masks(coded)
    return with_measures(contingency(masks, masks, upper=True), metric)


def eu_positions(coded: ir.Table, years: ir.Table, members: ir.Table) -> ir.Table:
    """The EU's plurality position on each roll call: ``roll_call_id, period, code``.

    ``years`` maps ``roll_call_id`` to calendar ``year``; ``members`` has
    ``iso3, joined_year, left_year`` of EU member states (``left_year``
    infinite while a member), so a state counts in ``joined_year <= year <
    left_year``. Roll calls where no member voted or the leading positions
    tie have no EU position and are left out.
    """
    dated = coded.join(years, "roll_call_id")
    voting = dated.join(
        members,
        [
            dated.iso3 == members.iso3,
            members.joined_year <= dated.year,
            dated.year < members.left_year,
        ],
    )
    counts = voting.group_by("roll_call_id", "period").aggregate(
        **{f"c{k}": (voting.code == k).cast("int64").sum() for k in CODES}
    )
    top = ibis.greatest(counts.c1, counts.c2, counts.c3)
    leaders = sum(((counts[f"c{k}"] == top).cast("int64") for k in CODES), ibis.literal(0))
    code = ibis.cases((counts.c1 == top, 1), (counts.c2 == top, 2), else_=3)
    return counts.filter(leaders == 1).select("roll_call_id", "period", code=code.cast("int8"))


def pole_measures(coded: ir.Table, pole_votes: ir.Table, metric: str = "nominal") -> ir.Table:
    """The four measures of every voter in ``coded`` with every pole, per period.

    ``pole_votes`` holds the poles' votes in the same columns, ``iso3`` being
    the pole's name (``EU`` for the constructed EU position). Columns:
    ``period, iso3, pole, ...``; a voter is not compared with itself.
    """
    # a pole that is also a state (USA) is on both sides, so masks are kept apart by role
    states = coded.mutate(role=ibis.literal("state"))
    poles = pole_votes.select(*coded.columns).mutate(role=ibis.literal("pole"))
    masks = vote_masks(states.union(poles), "role")
    left = masks.filter(masks.role == "state").drop("role")
    right = masks.filter(masks.role == "pole").drop("role")
    tables = contingency(left, right, upper=False)
    tables = tables.filter(tables.iso3_a != tables.iso3_b)
    return with_measures(tables, metric).rename(iso3="iso3_a", pole="iso3_b")


def hhi(rows: ir.Table, keys: list[str]) -> ir.Table:
    """Σ share² of ``value_usd`` within ``keys``; NULL where the group has no positive total.

    The one Hirschman-Herfindahl definition: trade concentration below and the
    strategy desk's scenarios (:func:`nonaligned.strategy.exposure_change.hhi`).
    """
    total = rows.value_usd.sum().over(group_by=[rows[k] for k in keys])
    share = rows.value_usd / ibis.ifelse(total > 0, total, ibis.null("float64"))
    return rows.mutate(_square=share**2).group_by(keys).aggregate(hhi=lambda t: t._square.sum())


def concentration(partners: ir.Table) -> ir.Table:
    """Hirschman-Herfindahl index of partner concentration: ``iso3, year, hhi_*``.

    ``partners`` holds ``iso3, partner, year, flow, value_usd`` for country
    partners only (no World row); conventions in
    :func:`nonaligned.measures.trade.concentration`. The total index uses
    exports plus imports per partner and is NULL unless both flows have one.
    """
    by_flow = hhi(partners, ["iso3", "year", "flow"])
    wide = by_flow.group_by("iso3", "year").aggregate(
        hhi_exports=by_flow.hhi.max(where=by_flow.flow == "exports"),
        hhi_imports=by_flow.hhi.max(where=by_flow.flow == "imports"),
    )
    per_partner = partners.group_by("iso3", "year", "partner").aggregate(
        value_usd=partners.value_usd.sum()
    )
    overall = hhi(per_partner.filter(per_partner.value_usd.notnull()), ["iso3", "year"])
    joined = wide.left_join(overall, ["iso3", "year"])
    both = joined.hhi_exports.notnull() & joined.hhi_imports.notnull()
    return joined.select(
        "iso3",
        "year",
        "hhi_exports",
        "hhi_imports",
        hhi_total=ibis.ifelse(both, joined.hhi, ibis.null("float64")),
    )


def pole_trade(partners: ir.Table, groups: ir.Table, labels: ir.Table) -> ir.Table:
    """Each reporter's trade with each group of partners and the world per year, with shares.

    ``partners`` holds ``iso3, partner, year, flow, value_usd`` and the
    :data:`TRADE_FLAGS` (country partners and the ``WLD`` World total; conventions in
    :func:`nonaligned.measures.trade.pole_trade`). ``groups`` says which
    partner belongs to which group in a year (``partner, year, pole``).
    ``labels`` (``partner, rank``) lists the groups to report, ``WLD`` among
    them; every reporter-year with a World row gets one row per label, in
    ``rank`` order. Amounts sum the group's partners (NULL if none has a
    value), a total needs both flows, and a share is the amount over the same
    flow with the world, NULL unless that is positive. Each flag is true if it
    is true for any component.
    """
    world = partners.filter(partners.partner == WORLD)
    grouped = partners.join(groups, ["partner", "year"])
    columns = ("iso3", "year", "flow", "value_usd", *TRADE_FLAGS)
    rows = grouped.select(*columns, label=grouped.pole).union(
        world.select(*columns, label=world.partner)
    )
    wide = rows.group_by("iso3", "year", "label").aggregate(
        exports_usd=rows.value_usd.sum(where=rows.flow == "exports"),
        imports_usd=rows.value_usd.sum(where=rows.flow == "imports"),
        **{flag: rows[flag].any() for flag in TRADE_FLAGS},
    )
    wide = wide.mutate(total_usd=wide.exports_usd + wide.imports_usd)
    grid = world.select("iso3", "year").distinct().cross_join(labels)
    table = grid.left_join(
        wide, [grid.iso3 == wide.iso3, grid.year == wide.year, grid.partner == wide.label]
    )
    flows = ("total_usd", "exports_usd", "imports_usd")
    totals = wide.filter(wide.label == WORLD).select(
        "iso3", "year", **{f"_world_{f}": wide[f] for f in flows}
    )
    table = table.select(
        "iso3",
        "year",
        "partner",
        "rank",
        *flows,
        **{flag: table[flag].fill_null(False) for flag in TRADE_FLAGS},
    )
    table = table.left_join(totals, ["iso3", "year"])
    undefined = ibis.null("float64")
    shares = {
        name: ibis.ifelse(table[f"_world_{f}"] > 0, table[f] / table[f"_world_{f}"], undefined)
        for name, f in zip(("share", "exports_share", "imports_share"), flows, strict=True)
    }
    return table.select(
        "iso3",
        "year",
        "partner",
        "rank",
        *flows,
        **shares,
        **{flag: table[flag] for flag in TRADE_FLAGS},
    ).order_by("iso3", "year", "rank")
