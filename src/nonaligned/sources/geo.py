"""World country outlines (world-atlas TopoJSON) for the web app's choropleth maps.

Written into the store as it is (table ``geo_outlines``, by ``nonaligned
build``), so the web app serves it from the store and its maps work offline
and without a mirror; a store built before that table existed falls back to
acquiring the file (mirror, cache, then verified download). Geometries are
keyed by the ISO 3166-1 numeric code as a zero-padded string, which the
store's ``countries.iso_numeric`` joins to.
"""

from __future__ import annotations

from nonaligned.sources.base import RemoteFile, Source

SOURCE = Source(
    name="world_atlas",
    title="world-atlas: Natural Earth country boundaries as TopoJSON",
    version="world-atlas 2.0.2 (Natural Earth v4.1.0)",
    files=(
        RemoteFile(
            relpath="geo/countries-110m.json",
            url="https://cdn.jsdelivr.net/npm/world-atlas@2.0.2/countries-110m.json",
            sha256="2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8",
            size=107761,
        ),
    ),
    citation="Bostock, M. world-atlas 2.0.2 (TopoJSON of Natural Earth Admin-0 countries "
    "v4.1.0, 1:110m). Natural Earth is public domain.",
    bibtex="@misc{worldatlas,\n  author = {Bostock, Mike},\n"
    "  title = {world-atlas: pre-built TopoJSON from Natural Earth},\n"
    "  version = {2.0.2},\n  howpublished = {npm package world-atlas}\n}",
    terms="ISC licence for the packaging; Natural Earth data is in the public domain.",
    coverage="177 country geometries, 1:110m; Kosovo, N. Cyprus and Somaliland have no id",
)

COUNTRIES_110M = SOURCE.file("countries-110m.json")
