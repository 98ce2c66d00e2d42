"""The JSON API: each route is one library call, its DataFrame returned as records.

Routes never touch SQL: they call :mod:`nonaligned.query`,
:mod:`nonaligned.alignment` and :mod:`nonaligned.exposure`, memoise
whole-record answers per store file, and let the app's error handlers turn
the library's errors into JSON with a 4xx status. The modules that take seconds
to import (alignment, index, charts, ...) are imported by the first request
that needs them (:mod:`nonaligned.web.lazy`), so the server starts at once.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Hashable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from nonaligned import coverage_years, output, query
from nonaligned.constants import MIN_ROLL_CALLS
from nonaligned.errors import NotFoundError, QueryError
from nonaligned.web.lazy import LazyModule

if TYPE_CHECKING:
    from nonaligned import alignment, engagement, exposure, index
    from nonaligned.web import charts
else:  # imported by the first request that needs them (start-up time)
    alignment = LazyModule("nonaligned.alignment")
    engagement = LazyModule("nonaligned.engagement")
    exposure = LazyModule("nonaligned.exposure")
    index = LazyModule("nonaligned.index")
    charts = LazyModule("nonaligned.web.charts")

if TYPE_CHECKING:
    from nonaligned.session import Store


class ErrorBody(BaseModel):
    """Every error answer (app.py): what went wrong, and the status again."""

    message: str
    status: int


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A question the data cannot answer as asked"},
    404: {"model": ErrorBody, "description": "Unknown country, symbol or path"},
    503: {"model": ErrorBody, "description": "No store: run `nonaligned build`"},
}
"""Documented on every route, so that the OpenAPI description lists the 4xx it answers."""

router = APIRouter(prefix="/api", responses=ERRORS)

FIRST_YEAR, LAST_YEAR = 1946, 2100

Iso3 = Annotated[str, Path(pattern="^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3 code")]
Year = Annotated[int, Query(ge=FIRST_YEAR, le=LAST_YEAR)]
Symbol = Annotated[
    str,
    Query(
        min_length=3,
        max_length=80,
        pattern=r"^[A-Za-z0-9/().\- ]+$",
        description="UN document symbol, e.g. A/RES/ES-11/1",
    ),
]


class AlignmentPole(StrEnum):
    """The four poles of :func:`nonaligned.alignment.alignment`."""

    USA = "USA"
    CHN = "CHN"
    RUS = "RUS"
    EU = "EU"


class Axis(StrEnum):
    """Axes of the active-nonalignment index (:data:`nonaligned.index.AXES`)."""

    WEST_CHINA = "west-china"
    WEST_RUSSIA = "west-russia"


class Colour(StrEnum):
    """What the world map shows: the index class or lean, or agreement with one pole."""

    CLASS = "class"
    LEAN = "lean"
    AGREEMENT = "agreement"


class Pole(StrEnum):
    """Poles a single state can be compared with in one year's dyads."""

    USA = "USA"
    CHN = "CHN"
    RUS = "RUS"


records = output.records  # every float digit, as the CLI's --format json


def _store(request: Request) -> Store:
    return request.app.state.store


def _memo(request: Request, key: Hashable, compute: Callable[[], Any]) -> Any:
    """Memoised for the store file being read (call inside ``store.reading()``)."""
    store = _store(request)
    return store.memo.get(store.loaded_identity, key, compute)


def _compute(request: Request, key: Hashable, make: Callable[[], Any]) -> bytes:
    with request.app.state.store.reading():
        return _memo(request, key, lambda: _encode(make()))


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinities replaced by None (JSON has no such numbers)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _encode(value: Any) -> bytes:
    if isinstance(value, pd.DataFrame):
        value = records(value)
    return json.dumps(_finite(value), allow_nan=False).encode()


def _question(request: Request) -> tuple:
    """The memo key of a GET request: its path and the query parameters its route declares.

    Undeclared parameters (``?junk=1``) change nothing in the answer, so they must not
    make a new entry that evicts real ones.
    """
    route = request.scope.get("route")
    declared = {p.alias for p in route.dependant.query_params} if route is not None else set()
    asked = sorted((k, v) for k, v in request.query_params.multi_items() if k in declared)
    return ("answer", request.url.path, tuple(asked))


INDEX_FIT = "index ideal points"


def index_pending(request: Request) -> dict[str, Any] | None:
    """None once the index can be answered; until then the 202 body, with progress.

    The index reads the whole-record ideal-point fit (tens of seconds on a fresh
    store, then read from its disk cache). The app starts it in the background when
    it starts (:func:`start_index_fit`), so the server listens at once and index
    requests say how long the fit has run instead of holding a connection open.
    """
    state = request.app.state
    key = (state.store.identity(), INDEX_FIT)
    if state.jobs.result(key, lambda: _fit_for_index(request.app)) is not None:
        return None
    seconds = state.jobs.elapsed(key) or 0.0
    return {
        "status": "computing",
        "message": (
            f"fitting the ideal points the index reads: {seconds:.0f} s so far "
            "(about half a minute, once per store); this page retries by itself"
        ),
        "elapsed_s": round(seconds, 1),
    }


def _fit_for_index(app: Any) -> pd.DataFrame:
    """Outside any read: the fit reads its inputs briefly, so a swap never waits for it."""
    return index.api.fitted_ideal_points(app.state.store, None)()


def start_index_fit(app: Any) -> None:
    """Start the index's ideal-point fit in the background (at start-up)."""
    app.state.jobs.start((app.state.store.identity(), INDEX_FIT), lambda: _fit_for_index(app))


def _computing(body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, status_code=202)


async def _answer(
    request: Request, make: Callable[[], Any], *, index_fit: bool = False
) -> Response:
    """The JSON answer to this GET request, encoded once per store file.

    Every GET route is a pure function of its path and declared query on a
    given store, so the encoded body is memoised under them: repeated questions
    cost a dictionary lookup, not a query and a serialisation. Errors are
    raised, never memoised. ``index_fit``: the answer needs the index, so it
    is a 202 with progress while the index's fit runs.
    """
    key = _question(request)
    state = request.app.state
    body = state.store.memo.peek(state.store.identity(), key)
    if body is None and index_fit:
        pending = await run_in_threadpool(index_pending, request)
        if pending is not None:
            return _computing(pending)
    if body is None:  # compute in a worker thread: DuckDB and pandas must not block the loop
        body = await run_in_threadpool(_compute, request, key, make)
    return Response(body, media_type="application/json")


def _country(store: Store, iso3: str) -> str:
    try:
        return query.check_country(store, iso3)
    except QueryError as exc:
        raise NotFoundError(str(exc)) from None


def countries_table(request: Request) -> pd.DataFrame:
    """Every country in the store (memoised)."""
    return _memo(request, ("countries",), lambda: query.countries(_store(request)))


def vote_years(request: Request) -> tuple[int, int]:
    """First and last year with recorded votes (memoised; call inside ``store.reading()``)."""
    return _memo(request, ("vote_years",), lambda: query.vote_years(_store(request)))


def full_index_year(request: Request) -> int | None:
    """The last year with votes and trade, where the index is whole (memoised)."""
    return _memo(  # the reader itself, not the index: the map page must not wait for its import
        request, ("full_index_year",), lambda: query.latest_full_year(_store(request))
    )


def country_alignment(request: Request, iso3: str) -> pd.DataFrame:
    """Agreement, κ, π and S with each pole per year (memoised: seconds to compute)."""
    store = _store(request)
    code = _country(store, iso3)
    return _memo(request, ("alignment", code), lambda: alignment.alignment(store, code))


def country_trade(request: Request, iso3: str, year: int | None = None) -> pd.DataFrame:
    """Trade with each pole and the world, all years or one (outside coverage: 400)."""
    store = _store(request)
    code = _country(store, iso3)
    return _memo(request, ("trade", code, year), lambda: exposure.trade(store, code, year))


def pole_map(request: Request, year: int, pole: Pole) -> pd.DataFrame:
    """Every state's agreement with ``pole`` in ``year``, keyed for the map."""
    store = _store(request)
    dyads = _memo(request, ("dyads", year), lambda: alignment.dyads(store, year))
    countries = countries_table(request)
    return charts.pole_agreement_by_country(dyads, countries, pole.value)


def year_index(request: Request, year: int, axis: Axis) -> pd.DataFrame:
    """The index of every state in ``year`` on ``axis`` (no bootstrap: the map needs speed)."""
    store = _store(request)
    table = _memo(request, ("index", year), lambda: index.country_index(store, year=year, n_boot=0))
    countries = countries_table(request)
    chosen = table[table.axis == axis.value].merge(countries[["iso3", "name"]], on="iso3")
    return charts.with_map_ids(chosen, countries)


def country_profile(request: Request, iso3: str) -> pd.DataFrame:
    """Every year of one country's index on both axes (memoised: seconds to compute)."""
    store = _store(request)
    code = _country(store, iso3)
    return _memo(request, ("profile", code), lambda: index.country_profile(store, code, n_boot=0))


def provisional_years(request: Request) -> frozenset[int]:
    """Years with fewer roll calls than the index's ``min_roll_calls``: a partial session,
    labelled provisional in every chart (memoised)."""

    def compute() -> frozenset[int]:
        per_year = query.coverage(_store(request)).groupby("year").roll_calls.sum()
        return frozenset(int(y) for y in per_year[per_year < MIN_ROLL_CALLS].index)

    return _memo(request, ("provisional_years",), compute)


def pair_agreement(request: Request, iso3_a: str, iso3_b: str) -> pd.DataFrame:
    """Two countries' agreement, κ, π and S per year (memoised)."""
    store = _store(request)
    a, b = _country(store, iso3_a), _country(store, iso3_b)
    return _memo(request, ("pair", a, b), lambda: alignment.pair(store, a, b))


def data_through(request: Request) -> pd.DataFrame:
    """How far each component of the data reaches (:func:`coverage_years.data_through`,
    the brief's line too), memoised."""
    return _memo(request, ("data_through",), lambda: coverage_years.data_through(_store(request)))


MAX_COMPARED = 6
_CODE_LIST = re.compile(r"[A-Za-z]{3}")


def country_codes(text: str) -> list[str]:
    """ISO3 codes from what a person types: ``BRA, IND``, ``bra ind``, ``BRA,IND,ZAF``.

    One QueryError saying what is accepted, rather than a pattern per code.
    """
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    if not 1 <= len(parts) <= MAX_COMPARED or not all(_CODE_LIST.fullmatch(p) for p in parts):
        raise QueryError(
            f"give 1 to {MAX_COMPARED} ISO3 codes separated by commas or spaces, "
            f"e.g. BRA, IND (got {text[:80]!r})"
        )
    return list(dict.fromkeys(p.upper() for p in parts))


COMPUTING = (
    "the ideal points are being fitted on the whole vote record (about a minute, once per store); "
    "ask again shortly"
)


def ideal_points(request: Request, codes: list[str]) -> dict[str, pd.DataFrame] | None:
    """Each country's ideal points by year, or None while the whole-record fit runs."""
    state = request.app.state
    with state.store.reading():
        codes = [_country(state.store, c) for c in codes]
        identity = state.store.loaded_identity
    # outside any read: the fit reads its inputs briefly, so a swap never waits for it
    table = state.jobs.result(
        (identity, "ideal_points"), lambda: state.fit_ideal_points(state.store)
    )
    if table is None:
        return None
    chosen = {code: table[table.iso3 == code].reset_index(drop=True) for code in codes}
    for code, rows in chosen.items():
        if rows.empty:
            raise NotFoundError(
                f"no ideal points for {code}: it has no votes on contested roll calls"
            )
    return chosen


async def _ideal_answer(
    request: Request, codes: list[str], shape: Callable[[dict[str, pd.DataFrame]], Any]
) -> Response:
    tables = await run_in_threadpool(ideal_points, request, codes)
    if tables is None:
        return _computing({"status": "computing", "message": COMPUTING})
    return Response(_encode(shape(tables)), media_type="application/json")


def resolution(request: Request, symbol: str, roll_call: int | None) -> dict[str, Any]:
    """One roll call's votes, and every roll call under the symbol (the page's picker).

    A symbol with several roll calls (paragraph and amendment votes) opens on the
    vote on the resolution as a whole when there is exactly one, else on the last.
    """
    store = _store(request)
    calls = query.roll_calls_for_symbol(store, symbol)
    if calls.empty:
        raise NotFoundError(f"no recorded vote under the symbol {symbol!r} (try A/RES/ES-11/1)")
    if roll_call is None:
        whole = calls[~calls.amendment.fillna(False) & ~calls.paragraph.fillna(False)]
        roll_call = int((whole if len(whole) == 1 else calls).roll_call_id.iloc[-1])
    canonical = str(calls.symbol.iloc[0])
    votes = query.resolution_votes(store, canonical, roll_call)
    chosen = calls[calls.roll_call_id == roll_call].iloc[0]
    countries = countries_table(request)
    return {
        "symbol": canonical,
        "roll_call_id": int(chosen.roll_call_id),
        "date": str(chosen.date)[:10],
        "title": chosen.title,
        "roll_calls": records(calls),
        "totals": query.vote_totals(votes),
        "by_region": records(query.vote_summary(votes)),
        "votes": records(charts.with_map_ids(votes, countries)),
    }


@router.get("/countries", summary="Every country in the store")
async def list_countries(request: Request) -> list[dict[str, Any]]:
    return await _answer(request, lambda: countries_table(request))


@router.get("/countries/{iso3}", summary="One country")
async def get_country(request: Request, iso3: Iso3) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        store = _store(request)
        code = _country(store, iso3)
        table = countries_table(request)
        return records(table[table.iso3 == code])[0]

    return await _answer(request, make)


RollCall = Annotated[int | None, Query(ge=0, le=10**9)]


@router.get("/resolutions", summary="How each UN member voted on one resolution")
async def get_resolution(
    request: Request, symbol: Symbol, roll_call: RollCall = None
) -> dict[str, Any]:
    return await _answer(request, lambda: resolution(request, symbol, roll_call))


MAX_LISTED = 500


@router.get("/roll-calls", summary="Roll calls of a year and/or matching words (the browser)")
async def find_roll_calls(
    request: Request,
    year: Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)] = None,
    q: Annotated[
        str | None, Query(max_length=80, description="words of the title or symbol")
    ] = None,
) -> list[dict[str, Any]]:
    return await _answer(
        request, lambda: query.find_roll_calls(_store(request), year, q, limit=MAX_LISTED)
    )


@router.get("/alignment/{iso3}", summary="Agreement, kappa, pi and S with USA, CHN, RUS, EU")
async def get_alignment(request: Request, iso3: Iso3) -> list[dict[str, Any]]:
    return await _answer(request, lambda: country_alignment(request, iso3))


@router.get(
    "/agreement/{iso3}/{other}", summary="Agreement, kappa, pi and S of any two countries by year"
)
async def get_pair(request: Request, iso3: Iso3, other: Iso3) -> list[dict[str, Any]]:
    return await _answer(request, lambda: pair_agreement(request, iso3, other))


@router.get("/trade/{iso3}", summary="Goods trade with USA, CHN, RUS, EU and the world")
async def get_trade(
    request: Request,
    iso3: Iso3,
    year: Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)] = None,
) -> list[dict[str, Any]]:
    return await _answer(request, lambda: country_trade(request, iso3, year))


@router.get("/engagement/{iso3}", summary="US Presidents' and Secretaries' trips (one-sided)")
async def get_engagement(request: Request, iso3: Iso3) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        store = _store(request)
        trips = engagement.us_trips(store, _country(store, iso3))
        return {
            "note": engagement.ONE_SIDED,
            "coverage": engagement.coverage(store),
            "trips": records(trips),
            "chart": charts.us_trips(trips, engagement.ONE_SIDED) if len(trips) else None,
        }

    return await _answer(request, make)


NOTABLE = (
    "A/RES/68/262",  # territorial integrity of Ukraine, 2014
    "A/RES/ES-11/1",  # aggression against Ukraine, 2022
    "A/RES/ES-11/3",  # Russia suspended from the Human Rights Council, 2022
    "A/RES/ES-11/4",  # annexations in Ukraine, 2022
    "A/RES/ES-10/21",  # humanitarian truce in Gaza, 2023
)
"""Resolutions a country profile links to: the votes people ask about."""


@router.get("/countries/{iso3}/notable-votes", summary="One country's votes on notable resolutions")
async def get_notable_votes(request: Request, iso3: Iso3) -> list[dict[str, Any]]:
    def make() -> pd.DataFrame:
        votes = query.country_votes(_store(request), iso3)
        return votes[votes.symbol.str.upper().isin(NOTABLE)].reset_index(drop=True)

    return await _answer(request, make)


@router.get("/coverage", summary="The last year (and day) of each component of the data")
async def get_coverage(request: Request) -> list[dict[str, Any]]:
    return await _answer(request, lambda: data_through(request))


@router.get("/map", summary="Each state's agreement with a pole in one year")
async def get_map(request: Request, year: Year, pole: Pole = Pole.USA) -> list[dict[str, Any]]:
    return await _answer(request, lambda: pole_map(request, year, pole))


@router.get("/charts/agreement/{iso3}", summary="Vega-Lite: agreement with each pole over time")
async def chart_agreement(request: Request, iso3: Iso3) -> dict[str, Any]:
    return await _answer(
        request,
        lambda: charts.agreement(country_alignment(request, iso3), provisional_years(request)),
    )


@router.get("/charts/trade/{iso3}", summary="Vega-Lite: trade shares with each pole over time")
async def chart_trade(request: Request, iso3: Iso3) -> dict[str, Any]:
    return await _answer(request, lambda: charts.trade_shares(country_trade(request, iso3)))


_STILL_COMPUTING = {202: {"description": "Still computing: ask again shortly"}}


@router.get(
    "/index",
    summary="The active-nonalignment index of every state in one year",
    responses=_STILL_COMPUTING,
)
async def get_index(
    request: Request, year: Year, axis: Axis = Axis.WEST_CHINA
) -> list[dict[str, Any]]:
    return await _answer(request, lambda: year_index(request, year, axis), index_fit=True)


@router.get(
    "/index/{iso3}",
    summary="One country's index (lean, balance, activity, class) by year",
    responses=_STILL_COMPUTING,
)
async def get_country_index(request: Request, iso3: Iso3) -> list[dict[str, Any]]:
    return await _answer(request, lambda: country_profile(request, iso3), index_fit=True)


@router.get(
    "/charts/map",
    summary="Vega-Lite: world map by index class, lean or agreement",
    responses=_STILL_COMPUTING,
)
async def chart_map(
    request: Request,
    year: Year,
    colour: Colour = Colour.CLASS,
    axis: Axis = Axis.WEST_CHINA,
    pole: Pole = Pole.USA,
) -> dict[str, Any]:

    def make() -> dict[str, Any]:
        note = " (provisional: a partial session)" if year in provisional_years(request) else ""
        if colour is Colour.AGREEMENT:
            values = pole_map(request, year, pole)
            return charts.world_map(values, f"Agreement with {pole.value}, {year}{note}")
        values = year_index(request, year, axis)
        if colour is Colour.CLASS:
            return charts.class_map(values, f"Class on the {axis.value} axis, {year}{note}")
        return charts.lean_map(values, f"Lean on the {axis.value} axis, {year}{note} (+1 West)")

    return await _answer(request, make, index_fit=colour is not Colour.AGREEMENT)


@router.get(
    "/charts/index/{iso3}",
    summary="Vega-Lite: lean and class by year on each axis",
    responses=_STILL_COMPUTING,
)
async def chart_index(request: Request, iso3: Iso3) -> dict[str, Any]:
    return await _answer(
        request, lambda: charts.index_profile(country_profile(request, iso3)), index_fit=True
    )


@router.get("/charts/resolution", summary="Vega-Lite: world map of one roll call")
async def chart_resolution(
    request: Request, symbol: Symbol, roll_call: RollCall = None
) -> dict[str, Any]:

    def make() -> dict[str, Any]:
        answer = resolution(request, symbol, roll_call)
        return charts.vote_map(pd.DataFrame(answer["votes"]), answer["symbol"])

    return await _answer(request, make)


Countries = Annotated[
    str,
    Query(max_length=80, description="1-6 ISO3 codes separated by commas or spaces, e.g. BRA, IND"),
]


@router.get("/charts/compare", summary="Vega-Lite: several countries' agreement with a partner")
async def chart_compare(
    request: Request,
    countries: Countries,
    pole: AlignmentPole = AlignmentPole.USA,
    partner: Annotated[
        str | None, Query(pattern="^[A-Za-z]{3}$", description="any country instead of a pole")
    ] = None,
) -> dict[str, Any]:
    codes = country_codes(countries)

    def make() -> dict[str, Any]:
        if partner is None:
            tables = {c: (t := country_alignment(request, c))[t.pole == pole.value] for c in codes}
            name = pole.value
        else:
            name = _country(_store(request), partner)
            tables = {c: pair_agreement(request, c, name) for c in codes if c != name}
        return charts.comparison(tables, name, provisional_years(request))

    return await _answer(request, make)


@router.get(
    "/idealpoints/{iso3}",
    summary="Dynamic ideal point (and bootstrap standard error) by year",
    responses=_STILL_COMPUTING,
)
async def get_ideal_points(request: Request, iso3: Iso3) -> list[dict[str, Any]]:
    return await _ideal_answer(request, [iso3], lambda tables: next(iter(tables.values())))


@router.get(
    "/charts/idealpoint/{iso3}",
    summary="Vega-Lite: ideal point by year with its 95% band",
    responses=_STILL_COMPUTING,
)
async def chart_ideal_point(request: Request, iso3: Iso3) -> dict[str, Any]:
    return await _ideal_answer(
        request, [iso3], lambda tables: charts.ideal_point(next(iter(tables.values())))
    )


@router.get(
    "/charts/idealpoints",
    summary="Vega-Lite: several countries' ideal points on one chart",
    responses=_STILL_COMPUTING,
)
async def chart_ideal_points(request: Request, countries: Countries) -> dict[str, Any]:
    return await _ideal_answer(request, country_codes(countries), charts.ideal_points_compared)
