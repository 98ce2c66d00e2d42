"""The JSON API: each route is one library call, its DataFrame returned as records.

Routes never touch SQL: they call :mod:`nonaligned.query`,
:mod:`nonaligned.alignment` and :mod:`nonaligned.exposure`, memoise
whole-record answers per store file, and let the app's error handlers turn
the library's errors into JSON with a 4xx status.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Hashable
from enum import StrEnum
from typing import Annotated, Any

import duckdb
import pandas as pd
from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from nonaligned import alignment, exposure, index, query
from nonaligned.errors import NotFoundError, QueryError
from nonaligned.web import charts

router = APIRouter(prefix="/api")

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


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records: NaN as null, dates as ISO strings."""
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def _con(request: Request) -> duckdb.DuckDBPyConnection:
    return request.app.state.store.connection()


def _memo(request: Request, key: Hashable, compute: Callable[[], Any]) -> Any:
    """Memoised for the store file being read (call inside ``store.reading()``)."""
    state = request.app.state
    return state.memo.get(state.store.loaded_identity, key, compute)


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
        return value.to_json(orient="records", date_format="iso").encode()
    return json.dumps(_finite(value), allow_nan=False).encode()


async def _answer(request: Request, make: Callable[[], Any]) -> Response:
    """The JSON answer to this GET request, encoded once per store file.

    Every GET route is a pure function of its path and query on a given
    store, so the encoded body is memoised under them: repeated questions
    cost a dictionary lookup, not a query and a serialisation. Errors are
    raised, never memoised.
    """
    key = ("answer", request.url.path, tuple(sorted(request.query_params.multi_items())))
    state = request.app.state
    body = state.memo.peek(state.store.identity(), key)
    if body is None:  # compute in a worker thread: DuckDB and pandas must not block the loop
        body = await run_in_threadpool(_compute, request, key, make)
    return Response(body, media_type="application/json")


def _country(con: duckdb.DuckDBPyConnection, iso3: str) -> str:
    try:
        return query.check_country(con, iso3)
    except QueryError as exc:
        raise NotFoundError(str(exc)) from None


def countries_table(request: Request) -> pd.DataFrame:
    """Every country in the store (memoised)."""
    return _memo(request, ("countries",), lambda: query.countries(_con(request)))


def vote_years(request: Request) -> tuple[int, int]:
    """First and last year with recorded votes (memoised; call inside ``store.reading()``)."""
    return _memo(request, ("vote_years",), lambda: query.vote_years(_con(request)))


def full_index_year(request: Request) -> int | None:
    """The last year with votes and trade, where the index is whole (memoised)."""
    return _memo(request, ("full_index_year",), lambda: index.latest_full_year(_con(request)))


def country_alignment(request: Request, iso3: str) -> pd.DataFrame:
    """Agreement, κ, π and S with each pole per year (memoised: seconds to compute)."""
    con = _con(request)
    code = _country(con, iso3)
    return _memo(request, ("alignment", code), lambda: alignment.alignment(con, code))


def country_trade(request: Request, iso3: str, year: int | None = None) -> pd.DataFrame:
    """Trade with each pole and the world, all years or one (outside coverage: 400)."""
    con = _con(request)
    code = _country(con, iso3)
    return _memo(request, ("trade", code, year), lambda: exposure.trade(con, code, year))


def pole_map(request: Request, year: int, pole: Pole) -> pd.DataFrame:
    """Every state's agreement with ``pole`` in ``year``, keyed for the map."""
    con = _con(request)
    dyads = _memo(request, ("dyads", year), lambda: alignment.dyads(con, year))
    countries = countries_table(request)
    return charts.pole_agreement_by_country(dyads, countries, pole.value)


def year_index(request: Request, year: int, axis: Axis) -> pd.DataFrame:
    """The index of every state in ``year`` on ``axis`` (no bootstrap: the map needs speed)."""
    con = _con(request)
    table = _memo(request, ("index", year), lambda: index.country_index(con, year=year, n_boot=0))
    countries = countries_table(request)
    chosen = table[table.axis == axis.value].merge(countries[["iso3", "name"]], on="iso3")
    return charts.with_map_ids(chosen, countries)


def country_profile(request: Request, iso3: str) -> pd.DataFrame:
    """Every year of one country's index on both axes (memoised: seconds to compute)."""
    con = _con(request)
    code = _country(con, iso3)
    return _memo(request, ("profile", code), lambda: index.country_profile(con, code, n_boot=0))


COMPUTING = (
    "the ideal points are being fitted on the whole vote record (about a minute, once per store); "
    "ask again shortly"
)


def ideal_points(request: Request, iso3: str) -> pd.DataFrame | None:
    """One country's ideal points by year, or None while the whole-record fit runs."""
    state = request.app.state
    with state.store.reading() as con:
        code = _country(con, iso3)
        identity = state.store.loaded_identity

    def fit() -> pd.DataFrame:
        with state.store.reading() as job_con:
            return state.fit_ideal_points(job_con)

    table = state.jobs.result((identity, "ideal_points"), fit)
    if table is None:
        return None
    rows = table[table.iso3 == code].reset_index(drop=True)
    if rows.empty:
        raise NotFoundError(f"no ideal points for {code}: it has no votes on contested roll calls")
    return rows


async def _ideal_answer(
    request: Request, iso3: str, shape: Callable[[pd.DataFrame], Any]
) -> Response:
    rows = await run_in_threadpool(ideal_points, request, iso3)
    if rows is None:
        return JSONResponse({"status": "computing", "message": COMPUTING}, status_code=202)
    return Response(_encode(shape(rows)), media_type="application/json")


def resolution(request: Request, symbol: str, roll_call: int | None) -> dict[str, Any]:
    con = _con(request)
    calls = query.roll_calls_for_symbol(con, symbol)
    if calls.empty:
        raise NotFoundError(f"no recorded vote under the symbol {symbol!r} (try A/RES/ES-11/1)")
    votes = query.resolution_votes(con, symbol, roll_call)
    chosen = calls[calls.roll_call_id == votes.roll_call_id.iloc[0]].iloc[0] if len(votes) else None
    countries = countries_table(request)
    return {
        "symbol": symbol,
        "roll_call_id": None if chosen is None else int(chosen.roll_call_id),
        "date": None if chosen is None else str(chosen.date)[:10],
        "title": None if chosen is None else chosen.title,
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
        con = _con(request)
        code = _country(con, iso3)
        table = countries_table(request)
        return records(table[table.iso3 == code])[0]

    return await _answer(request, make)


@router.get("/resolutions", summary="How each UN member voted on one resolution")
async def get_resolution(
    request: Request,
    symbol: Symbol,
    roll_call: Annotated[int | None, Query(ge=0, le=10**9)] = None,
) -> dict[str, Any]:
    return await _answer(request, lambda: resolution(request, symbol, roll_call))


@router.get("/alignment/{iso3}", summary="Agreement, kappa, pi and S with USA, CHN, RUS, EU")
async def get_alignment(request: Request, iso3: Iso3) -> list[dict[str, Any]]:
    return await _answer(request, lambda: country_alignment(request, iso3))


@router.get("/trade/{iso3}", summary="Goods trade with USA, CHN, RUS, EU and the world")
async def get_trade(
    request: Request,
    iso3: Iso3,
    year: Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)] = None,
) -> list[dict[str, Any]]:
    return await _answer(request, lambda: country_trade(request, iso3, year))


@router.get("/map", summary="Each state's agreement with a pole in one year")
async def get_map(request: Request, year: Year, pole: Pole = Pole.USA) -> list[dict[str, Any]]:
    return await _answer(request, lambda: pole_map(request, year, pole))


@router.get("/charts/agreement/{iso3}", summary="Vega-Lite: agreement with each pole over time")
async def chart_agreement(request: Request, iso3: Iso3) -> dict[str, Any]:
    return await _answer(request, lambda: charts.agreement(country_alignment(request, iso3)))


@router.get("/charts/trade/{iso3}", summary="Vega-Lite: trade shares with each pole over time")
async def chart_trade(request: Request, iso3: Iso3) -> dict[str, Any]:
    return await _answer(request, lambda: charts.trade_shares(country_trade(request, iso3)))


@router.get("/index", summary="The active-nonalignment index of every state in one year")
async def get_index(
    request: Request, year: Year, axis: Axis = Axis.WEST_CHINA
) -> list[dict[str, Any]]:
    return await _answer(request, lambda: year_index(request, year, axis))


@router.get("/index/{iso3}", summary="One country's index (lean, balance, activity, class) by year")
async def get_country_index(request: Request, iso3: Iso3) -> list[dict[str, Any]]:
    return await _answer(request, lambda: country_profile(request, iso3))


@router.get("/charts/map", summary="Vega-Lite: world map by index class, lean or agreement")
async def chart_map(
    request: Request,
    year: Year,
    colour: Colour = Colour.CLASS,
    axis: Axis = Axis.WEST_CHINA,
    pole: Pole = Pole.USA,
) -> dict[str, Any]:

    def make() -> dict[str, Any]:
        if colour is Colour.AGREEMENT:
            values = pole_map(request, year, pole)
            return charts.world_map(values, f"Agreement with {pole.value}, {year}")
        values = year_index(request, year, axis)
        if colour is Colour.CLASS:
            return charts.class_map(values, f"Class on the {axis.value} axis, {year}")
        return charts.lean_map(values, f"Lean on the {axis.value} axis, {year} (+1 West)")

    return await _answer(request, make)


@router.get("/charts/index/{iso3}", summary="Vega-Lite: lean and class by year on each axis")
async def chart_index(request: Request, iso3: Iso3) -> dict[str, Any]:
    return await _answer(request, lambda: charts.index_profile(country_profile(request, iso3)))


@router.get("/charts/resolution", summary="Vega-Lite: world map of one roll call")
async def chart_resolution(
    request: Request,
    symbol: Symbol,
    roll_call: Annotated[int | None, Query(ge=0, le=10**9)] = None,
) -> dict[str, Any]:

    def make() -> dict[str, Any]:
        answer = resolution(request, symbol, roll_call)
        return charts.vote_map(pd.DataFrame(answer["votes"]), answer["symbol"])

    return await _answer(request, make)


@router.get("/charts/compare", summary="Vega-Lite: several countries' agreement with a pole")
async def chart_compare(
    request: Request,
    countries: Annotated[
        str,
        Query(
            pattern=r"^[A-Za-z]{3}(,[A-Za-z]{3}){0,5}$", description="2-6 ISO3 codes, e.g. BRA,IND"
        ),
    ],
    pole: AlignmentPole = AlignmentPole.USA,
) -> dict[str, Any]:
    codes = list(dict.fromkeys(c.upper() for c in countries.split(",")))
    return await _answer(
        request,
        lambda: charts.comparison({c: country_alignment(request, c) for c in codes}, pole.value),
    )


_STILL_COMPUTING = {202: {"description": "Still computing: ask again shortly"}}


@router.get(
    "/idealpoints/{iso3}",
    summary="Dynamic ideal point (and bootstrap standard error) by year",
    responses=_STILL_COMPUTING,
)
async def get_ideal_points(request: Request, iso3: Iso3) -> list[dict[str, Any]]:
    return await _ideal_answer(request, iso3, lambda rows: rows)


@router.get(
    "/charts/idealpoint/{iso3}",
    summary="Vega-Lite: ideal point by year with its 95% band",
    responses=_STILL_COMPUTING,
)
async def chart_ideal_point(request: Request, iso3: Iso3) -> dict[str, Any]:
    return await _ideal_answer(request, iso3, charts.ideal_point)
