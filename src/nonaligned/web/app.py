"""The web app: JSON API, pages and their local assets, over a read-only store.

``create_app`` wires the pieces: security headers and a request size limit on
every response, the project's errors turned into JSON with a 4xx status, the
API router, the page router and the static assets. Nothing a request names
reaches the filesystem: static files are a fixed package directory served by
Starlette (which refuses paths outside it), the Vega bundle and the map
outlines are held in memory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import duckdb
import pandas as pd
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from nonaligned.alignment import ideal_points
from nonaligned.errors import AcquisitionError, NonalignedError, StoreError
from nonaligned.query import QueryError
from nonaligned.strategy.offers import OfferError
from nonaligned.web import api, assets, offers_api, pages
from nonaligned.web.cache import Memo
from nonaligned.web.jobs import Jobs
from nonaligned.web.security import SecurityMiddleware
from nonaligned.web.store import StoreHandle

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 64 * 1024


def _error(status: int, message: str, **extra: object) -> JSONResponse:
    return JSONResponse({"message": message, "status": status, **extra}, status_code=status)


PLAIN_ERRORS: dict[type[Exception], int] = {
    QueryError: 400,  # a question the data cannot answer as asked
    StoreError: 503,  # no store yet, or one being replaced
    AcquisitionError: 503,  # a source file (the map outlines) unavailable
    NonalignedError: 400,  # any other error of the project's own: bad input
}
"""Errors answered with their message alone, and the status each gets."""


def _plain_handler(status: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def handler(_: Request, exc: Exception) -> JSONResponse:
        return _error(status, str(exc))

    return handler


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(api.NotFound)
    async def not_found(_: Request, exc: api.NotFound) -> JSONResponse:
        return _error(404, str(exc))

    @app.exception_handler(OfferError)
    async def bad_offers(_: Request, exc: OfferError) -> JSONResponse:
        problems = [
            {"offer": offer, "field": field, "message": message}
            for offer, field, message in exc.problems
        ]
        return _error(400, str(exc), problems=problems)

    for error_type, status in PLAIN_ERRORS.items():
        app.add_exception_handler(error_type, _plain_handler(status))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"where": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
        ]
        text = "; ".join(f"{p['where']}: {p['message']}" for p in problems)
        return _error(422, f"invalid request: {text}", problems=problems)

    @app.exception_handler(StarletteHTTPException)
    async def http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))


def create_app(
    db_path: Path,
    *,
    mirror: Path | None = None,
    cache_dir: Path | None = None,
    offline: bool = True,
    fit_ideal_points: Callable[[duckdb.DuckDBPyConnection], pd.DataFrame] = ideal_points,
) -> FastAPI:
    """The app over the store at ``db_path``.

    ``mirror``, ``cache_dir`` and ``offline`` say where the map outlines are
    acquired from (as for ``nonaligned build``); offline by default, so that
    serving never makes a request leave the machine unless asked to.
    ``fit_ideal_points`` is the whole-record fit the profile shows
    (:func:`nonaligned.alignment.ideal_points` with its default bootstrap).
    """
    app = FastAPI(
        title="nonaligned",
        summary="Active nonalignment: UN votes, trade and finance between the great powers.",
        version="0.1.0",
        docs_url=None,  # Swagger UI loads its assets from a CDN; /openapi.json is enough
        redoc_url=None,
    )
    app.state.store = StoreHandle(Path(db_path))
    app.state.memo = Memo()
    app.state.jobs = Jobs()
    app.state.fit_ideal_points = fit_ideal_points
    app.state.assets = assets.Assets(mirror=mirror, cache_dir=cache_dir, offline=offline)
    app.add_middleware(SecurityMiddleware, max_body=MAX_BODY_BYTES)
    _install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(offers_api.router)
    app.include_router(assets.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
