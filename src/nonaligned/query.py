"""Read-only questions to the store, each answered as a tidy DataFrame.

These functions are the library behind the CLI and the web app: both only
format what is returned here. Every query is parameterised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from nonaligned.errors import QueryError, StoreError

if TYPE_CHECKING:
    from nonaligned.session import Store


def _df(store: Store, sql: str, params: list | None = None) -> pd.DataFrame:
    return store.frame(sql, params or [])


def _columns(store: Store, table: str) -> set[str]:
    rows = store.fetchall(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
    )
    return {name for (name,) in rows}


def _require(store: Store, table: str, columns: tuple[str, ...]) -> None:
    """A StoreError saying to rebuild when the store predates ``table.columns``."""
    missing = [c for c in columns if c not in _columns(store, table)]
    if missing:
        raise StoreError(
            f"this store was built by an older version (no {table}.{missing[0]}): "
            "rebuild it with `nonaligned build`"
        )


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
    """Every country in the store: ``iso3, iso2, iso_numeric, name, un_region, historical``."""
    return _df(
        store,
        """
        SELECT iso3, iso2, iso_numeric, name, continent, un_region, historical
        FROM countries ORDER BY name""",
    )


def roll_calls_for_symbol(store: Store, symbol: str) -> pd.DataFrame:
    """Every roll call recorded under ``symbol`` (several for paragraph and amendment votes).

    Case-insensitive: people type ``a/res/es-11/1``, and no two UN symbols differ by case only.
    """
    return _df(
        store,
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
    return _df(
        store,
        """
        SELECT roll_call_id, date, year, session, symbol, title, amendment, paragraph
        FROM roll_calls
        WHERE (? IS NULL OR year = ?)
          AND (? IS NULL OR contains(lower(coalesce(title, '') || ' ' || coalesce(symbol, '')),
                                     lower(?)))
        ORDER BY date, roll_call_id LIMIT ?""",
        [year, year, text, text, limit],
    )


def resolution_votes(store: Store, symbol: str, roll_call_id: int | None = None) -> pd.DataFrame:
    """How each UN member voted on one roll call: ``iso3, country, un_region, vote``.

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
    return _df(
        store,
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
    """One country's votes: ``roll_call_id, date, symbol, title, vote`` (all years if none).

    A year outside the record is refused, naming the years it covers: an
    empty table there would read as a country that did not vote.
    """
    code = check_country(store, iso3)
    first, last = vote_years(store)
    if year is not None and not first <= year <= last:
        raise QueryError(f"no roll calls in {year}: the vote record covers {first}-{last}")
    return _df(
        store,
        """
        SELECT v.roll_call_id, r.date, r.year, r.symbol, r.title, v.iso3, v.vote
        FROM votes v JOIN roll_calls r USING (roll_call_id)
        WHERE v.iso3 = ? AND (? IS NULL OR r.year = ?)
        ORDER BY r.date, v.roll_call_id""",
        [code, year, year],
    )


def vote_years(store: Store) -> tuple[int, int]:
    """First and last year with recorded votes."""
    first, last = store.fetchone("SELECT min(year), max(year) FROM roll_calls")
    return int(first), int(last)


def coverage(store: Store) -> pd.DataFrame:
    """Roll calls and votes per year and source: ``year, source, roll_calls, votes, absences,
    members``."""
    return _df(
        store,
        """
        SELECT r.year, r.source, COUNT(DISTINCT r.roll_call_id) AS roll_calls,
               COUNT(*) FILTER (WHERE v.vote <> 'absent') AS votes,
               COUNT(*) FILTER (WHERE v.vote = 'absent') AS absences,
               COUNT(DISTINCT v.iso3) AS members
        FROM roll_calls r JOIN votes v USING (roll_call_id)
        GROUP BY r.year, r.source ORDER BY r.year, r.source""",
    )


def exclusions(store: Store) -> pd.DataFrame:
    """What the build excluded or repaired, and by which rule."""
    return _df(store, "SELECT * FROM exclusions ORDER BY source, file, line, rule")


def trade_coverage(store: Store) -> pd.DataFrame:
    """Trade rows per year and source, with the DOTS/IMTS agreement where both report:
    ``year, source, reporters, rows, overlap_cells, within_tolerance, median_rel_diff,
    tolerance`` (the last four empty outside the overlap; ``year`` empty: all overlap years)."""
    _require(store, "trade_flows", ("source",))
    _require(store, "trade_overlap", ("cells",))
    return _df(
        store,
        """
        WITH kept AS (
            SELECT year, source, COUNT(DISTINCT reporter_iso3) AS reporters, COUNT(*) AS rows
            FROM trade_flows GROUP BY year, source)
        SELECT COALESCE(k.year, o.year) AS year, k.source, k.reporters, k.rows,
               o.cells AS overlap_cells, o.within_tolerance, o.median_rel_diff, o.tolerance
        FROM kept k FULL JOIN trade_overlap o ON k.year = o.year
        ORDER BY COALESCE(k.year, o.year) NULLS LAST, k.source""",
    )


def sources(store: Store) -> pd.DataFrame:
    """One row per source: version, last year of data, files, checksums (the bytes
    received, for live sources), retrieval time, coverage, citation and terms. A store
    built before last years were recorded answers with ``last_year`` empty."""
    last_year = "last_year" if "last_year" in _columns(store, "provenance") else "NULL"
    return _df(
        store,
        f"""
        SELECT source, any_value(title) AS title, any_value(version) AS version,
               max({last_year})::INTEGER AS last_year, COUNT(*) AS files, SUM(size) AS bytes,
               string_agg(file || ' sha256:' || sha256, '; ' ORDER BY file) AS checksums,
               max(retrieved_at) AS retrieved_at, any_value(origin) AS origin,
               any_value(coverage) AS coverage, any_value(citation) AS citation,
               any_value(terms) AS terms
        FROM provenance GROUP BY source ORDER BY source""",
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
