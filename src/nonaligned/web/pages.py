"""HTML pages: thin shells whose scripts fetch the JSON API and chart specs.

Templates are rendered with autoescaping and pass request values to the
scripts only through ``data-`` attributes, so the content security policy
can forbid inline scripts entirely.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from nonaligned.web.api import FIRST_YEAR, Iso3, full_index_year, vote_years
from nonaligned.web.assets import BUNDLE_PATH

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _page(request: Request, name: str, **context: object) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"bundle": BUNDLE_PATH, **context})


@router.get("/", response_class=HTMLResponse)
def world_map(request: Request, year: Annotated[int | None, Query(ge=FIRST_YEAR, le=2100)] = None):
    """The map opens on the last year with trade (the whole index), else the last vote year."""
    with request.app.state.store.reading():
        first, last = vote_years(request)
        year = year or full_index_year(request) or last
    return _page(request, "map.html", year=min(max(year, first), last), first=first, last=last)


@router.get("/country/{iso3}", response_class=HTMLResponse)
def country(request: Request, iso3: Iso3):
    return _page(request, "country.html", iso3=iso3.upper())


@router.get("/resolution", response_class=HTMLResponse)
def resolution(request: Request, symbol: Annotated[str, Query(max_length=80)] = "A/RES/ES-11/1"):
    return _page(request, "resolution.html", symbol=symbol)


@router.get("/compare", response_class=HTMLResponse)
def compare(request: Request, countries: Annotated[str, Query(max_length=80)] = "BRA,IND,ZAF"):
    return _page(request, "compare.html", countries=countries.upper())


@router.get("/offers", response_class=HTMLResponse)
def offers(request: Request):
    return _page(request, "offers.html")
