"""Every read of the store: one function per question, each answered as a DataFrame or values.

The library reads the store only through these functions (the build, which
writes it, has its own SQL); the CLI and the web app format what they return.
Every query is parameterised; table and column names come only from the fixed
lists below, never from a caller's text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from nonaligned.errors import QueryError, StoreError

if TYPE_CHECKING:
    import pyarrow as pa

    from nonaligned.session import Store

TRADE_FLOW_COLUMNS = (
    "reporter_iso3, partner_code, partner_is_aggregate, year, flow, value_usd, estimated"
)
"""The columns of :func:`trade_flows`: what the trade measures take."""

TRIP_COLUMNS = "year, role, traveller, start_date, end_date, country_name, locale, remarks"
"""The columns of :func:`us_trips`."""

_DATED: dict[str, frozenset[str]] = {
    "roll_calls": frozenset({"year", "date"}),
    "trade_flows": frozenset({"year"}),
    "debt_to_china": frozenset({"year"}),
    "gcdf_yearly_flows": frozenset({"year"}),
    "us_aid": frozenset({"year"}),
    "wdi": frozenset({"year"}),
    "us_travels": frozenset({"year", "start_date", "end_date"}),
}
"""The year and date columns :func:`year_span` and :func:`latest` may read, by table."""


def _dated(table: str, *columns: str) -> None:
    """A ValueError unless every column is a year or date column of ``table`` (the names
    are written into the SQL, so only these fixed ones may be)."""
    allowed = _DATED.get(table, frozenset())
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise ValueError(f"no year or date column {table}.{unknown[0]} to read")


def _in_list(values: Iterable[Any] | None) -> list[Any] | None:
    return None if values is None else list(values)


# --- the store's tables and columns ---------------------------------------------------------


def table_names(store: Store) -> set[str]:
    """The names of the tables the store holds (a store built by an older release may lack
    newer ones)."""
    return {name for (name,) in store.fetchall("SHOW TABLES")}


def table_columns(store: Store, table: str) -> set[str]:
    """The column names of ``table`` (empty for a table the store does not hold)."""
    rows = store.fetchall(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
    )
    return {name for (name,) in rows}


def _require(store: Store, table: str, columns: tuple[str, ...]) -> None:
    """A StoreError saying to rebuild when the store predates ``table.columns``."""
    missing = [c for c in columns if c not in table_columns(store, table)]
    if missing:
        raise StoreError(
            f"this store was built by an older version (no {table}.{missing[0]}): "
            "rebuild it with `nonaligned build`"
        )


def table_arrow(store: Store, name: str, *, with_year: bool = False) -> pa.Table:
    """Every row of the store's table ``name`` (one of :data:`nonaligned.store.SCHEMA`) as an
    Arrow table, in stored order: what an export writes. ``with_year`` (``votes`` only, which
    hold no year of their own) joins in each vote's roll-call ``year``."""
    from nonaligned.store import SCHEMA

    if name not in SCHEMA:
        raise ValueError(f"no store table {name!r}")
    if with_year and name != "votes":
        raise ValueError("only the votes take their year from their roll call")
    sql = (
        "SELECT v.*, r.year FROM votes v JOIN roll_calls r USING (roll_call_id)"
        if with_year
        else f"SELECT * FROM {name}"
    )
    with store.reading() as con:
        return con.sql(sql).to_arrow_table()


def year_span(store: Store, table: str, first: str = "year", last: str | None = None) -> tuple:
    """The smallest ``first`` and largest ``last`` (default: ``first``) of ``table``, as stored
    (years as integers, dates as dates); ``(None, None)`` for an empty table. E.g. the years
    the votes cover, or the travel record's first and last day
    (``year_span(store, "us_travels", "start_date", "end_date")``)."""
    last = last or first
    _dated(table, first, last)
    return tuple(store.fetchone(f"SELECT min({first}), max({last}) FROM {table}"))


def latest(store: Store, table: str, column: str) -> int | dt.date | None:
    """The largest ``column`` (a year or date) of ``table``; None where the table is empty
    or missing (a store built before its source existed)."""
    _dated(table, column)
    try:
        (last,) = store.fetchone(f"SELECT max({column}) FROM {table}")
    except duckdb.CatalogException:
        return None
    return last


# --- countries ------------------------------------------------------------------------------


def check_country(store: Store, iso3: str) -> str:
    """The ISO3 code upper-cased, or a QueryError naming the unknown code."""
    code = iso3.strip().upper()
    if not store.fetchone("SELECT 1 FROM countries WHERE iso3 = ?", [code]):
        raise unknown_country(iso3)
    return code


def unknown_country(iso3: str) -> QueryError:
    """The error for a code no country has, the same from the store and from an export."""
    return QueryError(f"unknown country code {iso3!r}: use an ISO3 code such as BRA, ZAF, IND")


def countries(store: Store) -> pd.DataFrame:
    """Every country in the store: ``iso3, iso2, iso_numeric, name, continent, un_region,
    historical``, by name."""
    return store.frame(
        """
        SELECT iso3, iso2, iso_numeric, name, continent, un_region, historical
        FROM countries ORDER BY name"""
    )


def country_codes(store: Store) -> set[str]:
    """The ISO3 code of every country in the store."""
    return {code for (code,) in store.fetchall("SELECT iso3 FROM countries")}


# --- memberships ----------------------------------------------------------------------------


def memberships(store: Store) -> pd.DataFrame:
    """Every membership row (``iso3, grouping, status, joined_year, left_year, source_id``,
    stored order), the years as float64 with NaN where open: what the trade measures and
    the index take."""
    return store.frame("SELECT * FROM memberships").astype(
        {"joined_year": "float64", "left_year": "float64"}
    )


# --- roll calls and votes -------------------------------------------------------------------


def roll_calls(store: Store, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Every column of the roll calls of ``years`` (all if None), in stored order."""
    years = _in_list(years)
    if years is None:
        return store.frame("SELECT * FROM roll_calls")
    return store.frame("SELECT * FROM roll_calls WHERE year IN ?", [years])


def has_roll_calls(store: Store, year: int) -> bool:
    """Whether the store holds any roll call in ``year`` (there are none in 1964)."""
    return store.fetchone("SELECT 1 FROM roll_calls WHERE year = ? LIMIT 1", [year]) is not None


def roll_call_source(store: Store, roll_call_id: int) -> str | None:
    """The source a roll call was read from (None: no such roll call)."""
    row = store.fetchone("SELECT source FROM roll_calls WHERE roll_call_id = ?", [roll_call_id])
    return None if row is None else row[0]


def flag_years(store: Store) -> tuple[int | None, int | None]:
    """The last year with an important-vote flag and the last with an issue code (None:
    never)."""
    from nonaligned.measures.votes import ISSUES  # a fixed list: the columns issue_<code>

    coded = " OR ".join(f"issue_{code} IS NOT NULL" for code in ISSUES)
    important, issues = store.fetchone(
        f"""SELECT max(year) FILTER (WHERE important IS NOT NULL),
                   max(year) FILTER (WHERE {coded})
            FROM roll_calls"""
    )
    return important, issues


def roll_calls_for_symbol(store: Store, symbol: str) -> pd.DataFrame:
    """Every roll call recorded under ``symbol`` (several for paragraph and amendment votes).

    Case-insensitive: people type ``a/res/es-11/1``, and no two UN symbols differ by case only.
    """
    return store.frame(
        """
        SELECT roll_call_id, date, symbol, title, amendment, paragraph, source
        FROM roll_calls WHERE upper(symbol) = upper(?) ORDER BY roll_call_id""",
        [" ".join(symbol.split())],
    )


def find_roll_calls(
    store: Store,
    year: int | None = None,
    text: str | None = None,
    limit: int = 500,
) -> pd.DataFrame:
    """Roll calls of a year and/or whose symbol or title contains ``text`` (any case), oldest
    first, at most ``limit``: the resolution browser. One of the two is required, so that
    an empty question does not list seventy years of votes."""
    text = " ".join((text or "").split()) or None
    if year is None and text is None:
        raise QueryError("give a year or words of the title or symbol to look for")
    return store.frame(
        """
        SELECT roll_call_id, date, year, session, symbol, title, amendment, paragraph
        FROM roll_calls
        WHERE (? IS NULL OR year = ?)
          AND (? IS NULL OR contains(lower(coalesce(title, '') || ' ' || coalesce(symbol, '')),
                                     lower(?)))
        ORDER BY date, roll_call_id LIMIT ?""",
        [year, year, text, text, limit],
    )


def votes(
    store: Store,
    years: Iterable[int] | None = None,
    countries: Iterable[str] | None = None,
) -> pd.DataFrame:
    """``roll_call_id, iso3, vote`` of the roll calls of ``years`` (all if None) by
    ``countries`` (all if None), in stored order."""
    years, countries = _in_list(years), _in_list(countries)
    where, params = [], []
    if years is not None:
        where.append("roll_call_id IN (SELECT roll_call_id FROM roll_calls WHERE year IN ?)")
        params.append(years)
    if countries is not None:
        where.append("iso3 IN ?")
        params.append(countries)
    sql = "SELECT roll_call_id, iso3, vote FROM votes"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return store.frame(sql, params)


def resolution_votes(store: Store, symbol: str, roll_call_id: int | None = None) -> pd.DataFrame:
    """How each UN member voted on one roll call: ``roll_call_id, symbol, date, iso3,
    country, un_region, vote``, by country name.

    ``symbol`` must identify a single roll call unless ``roll_call_id`` picks
    one of several (paragraph and amendment votes share their resolution's
    symbol); the error lists the candidates.
    """
    calls = roll_calls_for_symbol(store, symbol)
    if calls.empty:
        raise QueryError(
            f"no recorded vote under the symbol {symbol!r} (try the form "
            "A/RES/ES-11/1 or A/RES/2758(XXVI))"
        )
    if roll_call_id is None:
        if len(calls) > 1:
            ids = ", ".join(str(i) for i in calls.roll_call_id)
            raise QueryError(
                f"{symbol} has {len(calls)} recorded votes (roll calls {ids}); "
                "choose one with --roll-call"
            )
        roll_call_id = int(calls.roll_call_id.iloc[0])
    elif roll_call_id not in set(calls.roll_call_id):
        raise QueryError(f"roll call {roll_call_id} is not a vote on {symbol}")
    return store.frame(
        """
        SELECT v.roll_call_id, r.symbol, r.date, v.iso3, c.name AS country,
               c.un_region, v.vote
        FROM votes v JOIN roll_calls r USING (roll_call_id) JOIN countries c USING (iso3)
        WHERE v.roll_call_id = ? ORDER BY c.name""",
        [roll_call_id],
    )


def vote_totals(votes: pd.DataFrame) -> dict[str, int]:
    """Counts of yes, no, abstain and absent in a :func:`resolution_votes` frame."""
    counts = votes.vote.value_counts()
    return {k: int(counts.get(k, 0)) for k in ("yes", "no", "abstain", "absent")}


def vote_summary(votes: pd.DataFrame) -> pd.DataFrame:
    """Yes/no/abstain/absent counts by UN region, with a final ``World`` row."""
    table = (
        votes.assign(un_region=votes.un_region.fillna("(no region)"))
        .pivot_table(
            index="un_region", columns="vote", values="iso3", aggfunc="count", fill_value=0
        )
        .reindex(columns=["yes", "no", "abstain", "absent"], fill_value=0)
    )
    table.loc["World"] = table.sum()
    return table.reset_index().rename_axis(columns=None)


def country_votes(store: Store, iso3: str, year: int | None = None) -> pd.DataFrame:
    """One country's votes: ``roll_call_id, date, year, symbol, title, iso3, vote`` (all
    years if none), by date.

    A year outside the record is refused, naming the years it covers: an
    empty table there would read as a country that did not vote.
    """
    code = check_country(store, iso3)
    first, last = vote_years(store)
    if year is not None and not first <= year <= last:
        raise QueryError(f"no roll calls in {year}: the vote record covers {first}-{last}")
    return store.frame(
        """
        SELECT v.roll_call_id, r.date, r.year, r.symbol, r.title, v.iso3, v.vote
        FROM votes v JOIN roll_calls r USING (roll_call_id)
        WHERE v.iso3 = ? AND (? IS NULL OR r.year = ?)
        ORDER BY r.date, v.roll_call_id""",
        [code, year, year],
    )


def vote_years(store: Store) -> tuple[int, int]:
    """First and last year with recorded votes."""
    first, last = year_span(store, "roll_calls")
    return int(first), int(last)


def coverage(store: Store) -> pd.DataFrame:
    """Roll calls and votes per year and source: ``year, source, roll_calls, votes, absences,
    members``."""
    return store.frame(
        """
        SELECT r.year, r.source, COUNT(DISTINCT r.roll_call_id) AS roll_calls,
               COUNT(*) FILTER (WHERE v.vote <> 'absent') AS votes,
               COUNT(*) FILTER (WHERE v.vote = 'absent') AS absences,
               COUNT(DISTINCT v.iso3) AS members
        FROM roll_calls r JOIN votes v USING (roll_call_id)
        GROUP BY r.year, r.source ORDER BY r.year, r.source"""
    )


def exclusions(store: Store) -> pd.DataFrame:
    """What the build excluded or repaired, and by which rule: every column of
    ``exclusions``, by source, file, line and rule."""
    return store.frame("SELECT * FROM exclusions ORDER BY source, file, line, rule")


# --- trade ----------------------------------------------------------------------------------


def trade_flows(
    store: Store,
    years: Iterable[int] | None = None,
    countries: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Trade flows (:data:`TRADE_FLOW_COLUMNS`, ``year`` as int64) in ``years`` (all if
    None) reported by *or about* ``countries`` (all if None; the latter for mirror
    filling), in stored order."""
    years, countries = _in_list(years), _in_list(countries)
    where, params = [], []
    if countries is not None:
        where.append("(reporter_iso3 IN ? OR partner_code IN ?)")
        params += [countries, countries]
    if years is not None:
        where.append("year IN ?")
        params.append(years)
    sql = f"SELECT {TRADE_FLOW_COLUMNS} FROM trade_flows"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return store.frame(sql, params).astype({"year": "int64"})


def latest_full_year(store: Store) -> int | None:
    """The last year with both UN votes and trade: the last year of the full index.

    Later years carry this year's economic component forward (their
    ``economic_year``); a map that opens on a later year should say so.
    None when the store holds no trade.
    """
    (year,) = store.fetchone(
        "SELECT max(year) FROM trade_flows WHERE year IN (SELECT year FROM roll_calls)"
    )
    return None if year is None else int(year)


def trade_coverage(store: Store) -> pd.DataFrame:
    """Trade rows per year and source, with the DOTS/IMTS agreement where both report:
    ``year, source, reporters, rows, overlap_cells, within_tolerance, median_rel_diff,
    tolerance`` (the last four empty outside the overlap; ``year`` empty: all overlap years)."""
    _require(store, "trade_flows", ("source",))
    _require(store, "trade_overlap", ("cells",))
    return store.frame(
        """
        WITH kept AS (
            SELECT year, source, COUNT(DISTINCT reporter_iso3) AS reporters, COUNT(*) AS rows
            FROM trade_flows GROUP BY year, source)
        SELECT COALESCE(k.year, o.year) AS year, k.source, k.reporters, k.rows,
               o.cells AS overlap_cells, o.within_tolerance, o.median_rel_diff, o.tolerance
        FROM kept k FULL JOIN trade_overlap o ON k.year = o.year
        ORDER BY COALESCE(k.year, o.year) NULLS LAST, k.source"""
    )


# --- official finance and GDP ---------------------------------------------------------------


def debt_to_china(store: Store, iso3: str | None = None) -> pd.DataFrame:
    """Horn-Reinhart-Trebesch debt stock owed to China: every column of ``debt_to_china``
    (``iso3, year, debt_to_china_usd, debt_to_china_pct_gdp_hrt``) of one country (all if
    None), in stored order."""
    return store.frame("SELECT * FROM debt_to_china WHERE ? IS NULL OR iso3 = ?", [iso3, iso3])


def gcdf_commitments(store: Store, iso3: str | None = None) -> pd.DataFrame:
    """AidData GCDF 3.0 commitments 2000-2021: every column of ``gcdf_country_commitments``
    (``iso3, commitments_usd, weighted_interest_rate``) of one country (all if None), in
    stored order."""
    return store.frame(
        "SELECT * FROM gcdf_country_commitments WHERE ? IS NULL OR iso3 = ?", [iso3, iso3]
    )


def us_aid(store: Store, iso3: str | None = None) -> pd.DataFrame:
    """US net aid per year (WDI): every column of ``us_aid`` (``iso3, year,
    us_net_aid_usd``) of one country (all if None), in stored order."""
    return store.frame("SELECT * FROM us_aid WHERE ? IS NULL OR iso3 = ?", [iso3, iso3])


def wdi(store: Store, iso3: str) -> pd.DataFrame:
    """One country's World Bank WDI rows: ``iso3, year, gdp_usd, population``, in stored
    order."""
    return store.frame("SELECT * FROM wdi WHERE iso3 = ?", [iso3])


# --- US travels -----------------------------------------------------------------------------


def us_trips(store: Store, iso3: str, roles: list[str]) -> pd.DataFrame:
    """The recorded trips to one country of the travellers of ``roles``
    (:data:`TRIP_COLUMNS`), by year, then role (president first), then start date."""
    return store.frame(
        f"""SELECT {TRIP_COLUMNS} FROM us_travels
            WHERE iso3 = ? AND list_contains(?, role)
            ORDER BY year, role = 'secretary', start_date, trip_id""",
        [iso3, roles],
    )


# --- map outlines ---------------------------------------------------------------------------


def geo_outline(store: Store, name: str) -> str | None:
    """The TopoJSON text of the outlines ``name`` (None: not in the store, or a store built
    before the outlines were)."""
    try:
        row = store.fetchone("SELECT topojson FROM geo_outlines WHERE name = ?", [name])
    except duckdb.CatalogException:
        return None
    return None if row is None else row[0]


# --- provenance -----------------------------------------------------------------------------


def provenance_versions(store: Store) -> dict[str, str]:
    """Each source's version, by source name."""
    rows = store.fetchall(
        "SELECT source, any_value(version) FROM provenance GROUP BY source ORDER BY source"
    )
    return dict(rows)


def sources(store: Store) -> pd.DataFrame:
    """One row per source: version, last year of data, files, checksums (the bytes
    received, for live sources), retrieval time, coverage, citation and terms. A store
    built before last years were recorded answers with ``last_year`` empty."""
    last_year = "last_year" if "last_year" in table_columns(store, "provenance") else "NULL"
    return store.frame(
        f"""
        SELECT source, any_value(title) AS title, any_value(version) AS version,
               max({last_year})::INTEGER AS last_year, COUNT(*) AS files, SUM(size) AS bytes,
               string_agg(file || ' sha256:' || sha256, '; ' ORDER BY file) AS checksums,
               max(retrieved_at) AS retrieved_at, any_value(origin) AS origin,
               any_value(coverage) AS coverage, any_value(citation) AS citation,
               any_value(terms) AS terms
        FROM provenance GROUP BY source ORDER BY source"""
    )


def citations(store: Store, bibtex: bool = False) -> list[str]:
    """The citation (or BibTeX entry) of every source in the store, de-duplicated."""
    column = "bibtex" if bibtex else "citation"
    rows = store.fetchall(f"SELECT DISTINCT {column} FROM provenance ORDER BY 1")
    # a source's BibTeX can hold several entries, some shared with another source
    entries = (
        [e.strip() for (text,) in rows for e in text.split("\n@")]
        if bibtex
        else [text for (text,) in rows]
    )
    return list(dict.fromkeys(e if e.startswith("@") or not bibtex else "@" + e for e in entries))
