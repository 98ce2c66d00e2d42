"""HTML pages: thin shells whose scripts fetch the JSON API and chart specs.

Templates are rendered with autoescaping and pass request values to the
scripts only through ``data-`` attributes, so the content security policy
can forbid inline scripts entirely. Every page carries the header's country
search and the footer's "data through" line; each view's state is in its URL.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from nonaligned.coverage_years import through_line
from nonaligned.errors import NonalignedError, QueryError
from nonaligned.web.api import (
    FIRST_YEAR,
    AlignmentPole,
    Axis,
    Colour,
    Iso3,
    Pole,
    countries_table,
    country_codes,
    data_through,
    full_index_year,
    provisional_years,
    vote_years,
)
from nonaligned.web.assets import BUNDLE_PATH

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _page(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    try:
        with request.app.state.store.reading():
            through = through_line(data_through(request))
    except NonalignedError:  # no store: the page still renders, and its API calls say why
        through = ""
    return templates.TemplateResponse(
        request, name, {"bundle": BUNDLE_PATH, "through": through, **context}, status_code=status
    )


@router.get("/", response_class=HTMLResponse)
def world_map(
    request: Request,
    year: Annotated[int | None, Query(ge=FIRST_YEAR, le=2100)] = None,
    colour: Colour = Colour.CLASS,
    axis: Axis = Axis.WEST_CHINA,
    pole: Pole = Pole.USA,
):
    """The map opens on the last year with trade (the whole index), else the last vote year."""
    with request.app.state.store.reading():
        first, last = vote_years(request)
        year = year or full_index_year(request) or last
        provisional = sorted(provisional_years(request))
    return _page(
        request,
        "map.html",
        year=min(max(year, first), last),
        first=first,
        last=last,
        colour=colour.value,
        axis=axis.value,
        pole=pole.value,
        provisional=",".join(str(y) for y in provisional),
    )


_CODE_IN_LABEL = re.compile(r"\(([A-Za-z]{3})\)\s*$")


@router.get("/country", response_class=HTMLResponse)
def find_country(request: Request, q: Annotated[str, Query(max_length=120)] = ""):
    """The header search: an ISO3 code, a name, or the type-ahead's "Name (ISO)" opens the
    profile; anything else lists the countries whose name contains it (all if empty)."""
    text = q.strip()
    with request.app.state.store.reading():
        table = countries_table(request)
    label = _CODE_IN_LABEL.search(text)
    wanted = (label.group(1) if label else text).casefold()
    exact = table[(table.iso3.str.casefold() == wanted) | (table.name.str.casefold() == wanted)]
    if len(exact) == 1:
        return RedirectResponse(f"/country/{exact.iso3.iloc[0]}", status_code=303)
    found = table[table.name.str.casefold().str.contains(wanted, regex=False)]
    rows = found[["iso3", "name", "historical"]].to_dict(orient="records")
    return _page(request, "countries.html", 200 if rows else 404, q=text, countries=rows)


@router.get("/country/{iso3}", response_class=HTMLResponse)
def country(request: Request, iso3: Iso3):
    return _page(request, "country.html", iso3=iso3.upper())


@router.get("/resolutions", response_class=HTMLResponse)
def resolutions(
    request: Request,
    year: Annotated[int | None, Query(ge=FIRST_YEAR, le=2100)] = None,
    q: Annotated[str, Query(max_length=80)] = "",
):
    """The resolution browser: the roll calls of a session's year and/or matching words."""
    with request.app.state.store.reading():
        first, last = vote_years(request)
    return _page(
        request, "resolutions.html", year="" if year is None else year, q=q, first=first, last=last
    )


@router.get("/resolution", response_class=HTMLResponse)
def resolution(
    request: Request,
    symbol: Annotated[str, Query(max_length=80)] = "A/RES/ES-11/1",
    roll_call: Annotated[int | None, Query(ge=0, le=10**9)] = None,
):
    return _page(
        request, "resolution.html", symbol=symbol, roll_call="" if roll_call is None else roll_call
    )


@router.get("/compare", response_class=HTMLResponse)
def compare(
    request: Request,
    countries: Annotated[str, Query(max_length=80)] = "BRA, IND, ZAF",
    partner: Annotated[str, Query(max_length=80)] = "",
) -> Response:
    """Several countries against each pole, against any other country, and their ideal
    points; a malformed list is one message on the page (400), not one per chart."""
    try:
        codes = ",".join(country_codes(countries))
        chosen = partner.strip().upper()
        if chosen and not re.fullmatch("[A-Z]{3}", chosen):
            raise QueryError(f"the other country must be one ISO3 code, e.g. USA (got {partner!r})")
    except QueryError as exc:
        return _page(
            request,
            "compare.html",
            400,
            countries=countries,
            codes="",
            partner=partner,
            error=str(exc),
            poles=[],
        )
    return _page(
        request,
        "compare.html",
        countries=countries,
        codes=codes,
        partner=chosen,
        error="",
        poles=[p.value for p in AlignmentPole],
    )


@router.get("/offers", response_class=HTMLResponse)
def offers(request: Request):
    return _page(request, "offers.html")
