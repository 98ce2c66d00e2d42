"""The web app: JSON API, pages and their local assets, over a read-only store.

``create_app`` wires the pieces: security headers and a request size limit on
every response, the project's errors turned into JSON with the HTTP status
their class carries (:mod:`nonaligned.errors`: 4xx for bad requests, 5xx for
a missing store or broken data), the API router, the page router and the
static assets. Nothing a request names reaches the filesystem: static files
are a fixed package directory served by Starlette (which refuses paths outside
it), the Vega bundle and the map outlines are held in memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from nonaligned.errors import NonalignedError, OfferError
from nonaligned.web import api, assets, offers_api, pages
from nonaligned.web.jobs import Jobs
from nonaligned.web.lazy import LazyModule
from nonaligned.web.security import SecurityMiddleware

if TYPE_CHECKING:
    import pandas as pd

    from nonaligned import alignment
    from nonaligned.session import Store
else:  # numba and scipy: imported by the first fit, not at start-up
    alignment = LazyModule("nonaligned.alignment")

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 64 * 1024


def ideal_points(store: Store) -> pd.DataFrame:
    """:func:`nonaligned.alignment.ideal_points` with its defaults, imported when first called
    (it loads numba and scipy: seconds the server must not wait for to start listening)."""
    return alignment.ideal_points(store)


def _error(status: int, message: str, **extra: object) -> JSONResponse:
    return JSONResponse({"message": message, "status": status, **extra}, status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    """The project's errors answered with the status their class carries (errors.py)."""

    @app.exception_handler(NonalignedError)
    async def refused(_: Request, exc: NonalignedError) -> JSONResponse:
        return _error(exc.http_status, str(exc))

    @app.exception_handler(OfferError)  # the same, with every problem of the offers listed
    async def bad_offers(_: Request, exc: OfferError) -> JSONResponse:
        problems = [
            {"offer": offer, "field": field, "message": message}
            for offer, field, message in exc.problems
        ]
        return _error(exc.http_status, str(exc), problems=problems)

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
    store: Store,
    *,
    mirror: Path | None = None,
    cache_dir: Path | None = None,
    offline: bool = True,
    fit_ideal_points: Callable[[Store], pd.DataFrame] = ideal_points,
    warm_index: bool = True,
) -> FastAPI:
    """The app over ``store`` (not opened yet: a missing store is each request's error).

    ``mirror``, ``cache_dir`` and ``offline`` say where the map outlines are
    acquired from (as for ``nonaligned build``); offline by default, so that
    serving never makes a request leave the machine unless asked to.
    ``fit_ideal_points`` is the whole-record fit the profile shows
    (:func:`nonaligned.alignment.ideal_points` with its default bootstrap).
    ``warm_index``: start the index's own fit when the app starts (until it is
    done, index answers are 202 with progress); off, the first index request
    starts it.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Start-up work runs in the background, so the server listens at once."""
        if warm_index:
            api.start_index_fit(app)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="nonaligned",
        summary="Active nonalignment: UN votes, trade and finance between the great powers.",
        version="0.1.0",
        docs_url=None,  # Swagger UI loads its assets from a CDN; /openapi.json is enough
        redoc_url=None,
    )
    app.state.store = store
    app.state.jobs = Jobs()
    app.state.fit_ideal_points = fit_ideal_points
    app.state.assets = assets.Assets(
        app.state.store, mirror=mirror, cache_dir=cache_dir, offline=offline
    )
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)  # 6: fast, near 9
    app.add_middleware(SecurityMiddleware, max_body=MAX_BODY_BYTES)  # outermost: every answer
    _install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(offers_api.router)
    app.include_router(assets.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
