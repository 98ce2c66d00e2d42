"""Commands for the browser surfaces: ``serve`` (web app and JSON API) and ``report``
(a country brief as self-contained HTML, and PDF where Chromium is installed)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nonaligned import alignment
from nonaligned.cli._app import DbOption, app, err, handle_errors, out
from nonaligned.errors import AcquisitionError
from nonaligned.store import connect, default_db_path

MirrorOption = Annotated[
    Path | None,
    typer.Option(envvar="NONALIGNED_MIRROR", help="Data mirror (for the map outlines)."),
]
CacheOption = Annotated[
    Path | None, typer.Option(envvar="NONALIGNED_CACHE", help="Download cache directory.")
]


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8000,
    mirror: MirrorOption = None,
    cache: CacheOption = None,
    offline: Annotated[
        bool, typer.Option(help="Never download the map outlines; use mirror and cache only.")
    ] = False,
) -> None:
    """Serve the web app and JSON API (read-only on the store) and print its address."""
    import uvicorn

    from nonaligned.web import create_app

    path = db or default_db_path()
    with handle_errors():
        connect(path).close()  # fail now, with the usual message, if there is no store
    application = create_app(path, mirror=mirror, cache_dir=cache, offline=offline)
    try:
        application.state.assets.topology()  # acquire the map outlines before serving
    except AcquisitionError as exc:
        err.print(f"warning: the maps will not draw: {exc}", highlight=False, markup=False)
    application.state.assets.warm()
    err.print("fitting the ideal points the map's index reads (once per store, then cached)…")
    with handle_errors(), connect(path) as con:
        alignment.ideal_points(con, n_boot=0)
    shown = f"[{host}]" if ":" in host else host
    out.print(f"nonaligned is serving http://{shown}:{port}/  (API: /openapi.json; Ctrl-C stops)")
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command()
def report(
    iso3: Annotated[str, typer.Argument(help="ISO3 code of the country, e.g. IND.")],
    out_path: Annotated[Path, typer.Option("--out", help="HTML file to write.")],
    pdf: Annotated[Path | None, typer.Option(help="Also print the brief to this PDF.")] = None,
    db: DbOption = None,
) -> None:
    """Write a country brief: charts, tables, sources and citations in one HTML file."""
    from nonaligned.web import report as brief

    with handle_errors():
        con = connect(db or default_db_path())
        try:
            html = brief.country_brief(con, iso3)
        finally:
            con.close()
        out_path.write_text(html, encoding="utf-8")
        out.print(f"wrote {out_path}")
        if pdf is not None:
            brief.print_pdf(out_path, pdf)
            out.print(f"wrote {pdf}")
