"""Assets the browser needs that do not live in the package: the Vega libraries and
the world map outlines, both served from this machine.

The Vega, Vega-Lite and vega-embed bundle comes from ``vl-convert-python``
(it ships them), so no page ever loads a script from a CDN. Building the
bundle takes seconds, so it is kept on disk in the cache directory, keyed by
the vl-convert version. The world-atlas TopoJSON is read from the store
(``nonaligned build`` writes it to ``geo_outlines``, so serving needs no
mirror); a store built before that table existed falls back to acquiring it
like every other source file: mirror, cache, then (only if allowed) a
verified download.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request, Response

from nonaligned import query
from nonaligned.sources import geo
from nonaligned.sources.acquire import acquire, default_cache_dir, default_mirror

if TYPE_CHECKING:
    from nonaligned.session import Store

router = APIRouter(include_in_schema=False)

BUNDLE_PATH = "/vendor/vega-bundle.js"
TOPOLOGY_PATH = "/geo/countries-110m.json"
_LONG_CACHE = "public, max-age=86400"


class Assets:
    """Lazily built, memoised asset bodies (built once per process)."""

    def __init__(
        self,
        store: Store,
        *,
        mirror: Path | None = None,
        cache_dir: Path | None = None,
        offline: bool = True,
    ) -> None:
        self.store = store
        self.mirror = mirror if mirror is not None else default_mirror()
        self.cache_dir = cache_dir or default_cache_dir()
        self.offline = offline
        self._lock = threading.Lock()
        self._bundle: bytes | None = None
        self._topology: bytes | None = None

    def bundle(self) -> bytes:
        """The vega-embed + Vega-Lite + Vega JavaScript bundle."""
        with self._lock:
            if self._bundle is None:
                self._bundle = self._cached_bundle()
            return self._bundle

    def _cached_bundle(self) -> bytes:
        import vl_convert  # here, not at start-up: warm() builds the bundle in the background

        version = vl_convert.__version__ if hasattr(vl_convert, "__version__") else "unknown"
        path = self.cache_dir / "web" / f"vega-bundle-{version}-{vl_convert.get_vega_version()}.js"
        if path.is_file():
            return path.read_bytes()
        body = vl_convert.javascript_bundle().encode()
        with contextlib.suppress(OSError):  # a read-only cache only costs rebuild time
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.{os.getpid()}")
            partial.write_bytes(body)
            os.replace(partial, path)
        return body

    def topology(self) -> bytes:
        """The world-atlas countries TopoJSON: from the store, else acquired (raises
        AcquisitionError if neither has it)."""
        with self._lock:
            if self._topology is None:
                self._topology = self._stored_topology() or self._acquired_topology()
            return self._topology

    def _stored_topology(self) -> bytes | None:
        topojson = query.geo_outline(self.store, "countries-110m")
        return None if topojson is None else topojson.encode()

    def _acquired_topology(self) -> bytes:
        path = acquire(
            geo.COUNTRIES_110M, mirror=self.mirror, cache_dir=self.cache_dir, offline=self.offline
        )
        return path.read_bytes()

    def warm(self) -> None:
        """Build the bundle in the background so the first page does not wait for it."""
        threading.Thread(target=self.bundle, daemon=True).start()


@router.get(BUNDLE_PATH)
def vega_bundle(request: Request) -> Response:
    body = request.app.state.assets.bundle()
    return Response(body, media_type="text/javascript", headers={"cache-control": _LONG_CACHE})


@router.get(TOPOLOGY_PATH)
def topology(request: Request) -> Response:
    body = request.app.state.assets.topology()
    return Response(body, media_type="application/json", headers={"cache-control": _LONG_CACHE})
