"""Commands for the browser surfaces: ``serve`` (web app and JSON API) and ``report``
(a country brief as self-contained HTML, and PDF where Chromium is installed)."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path
from typing import Annotated

import typer

from nonaligned import userfiles
from nonaligned.cli._app import DbOption, app, err, handle_errors, out
from nonaligned.errors import AcquisitionError, UsageError

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
    """Serve the web app and JSON API (read-only on the store) and print its address.

    The address is bound first, so that a bad host or a port in use fails at
    once with exit code 2 (uvicorn would exit 3, this CLI's code for "no
    store"); with --port 0 the port the system chose is printed. Slow work (the
    index's ideal-point fit, the Vega bundle) starts in the background once the
    server listens; the pages show its progress.
    """
    import uvicorn

    from nonaligned.store import connect, default_db_path
    from nonaligned.web import create_app

    path = db or default_db_path()
    with handle_errors():
        connect(path).close()  # fail now, with the usual message, if there is no store
        sock = _listening_socket(host, port)
    with sock:
        with handle_errors():
            application = create_app(path, mirror=mirror, cache_dir=cache, offline=offline)
            try:
                application.state.assets.topology()  # from the store, or acquired
            except AcquisitionError as exc:
                err.print(f"warning: the maps will not draw: {exc}", highlight=False, markup=False)
            application.state.assets.warm()  # the Vega bundle, built in the background
        shown = f"[{host}]" if ":" in host else host
        out.print(
            f"nonaligned is serving http://{shown}:{sock.getsockname()[1]}/  "
            "(API: /openapi.json; Ctrl-C stops)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        server = uvicorn.Server(uvicorn.Config(application, log_level="warning"))
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is the way to stop
            server.run(sockets=[sock])


def _listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` as uvicorn binds it, or a UsageError saying why not."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except (OSError, UnicodeError, TypeError) as exc:  # TypeError: a name IDNA cannot encode
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc}") from None
    sock.listen(2048)  # connections queue from now on, not refused until uvicorn starts
    return sock


@app.command()
def report(
    iso3: Annotated[str, typer.Argument(help="ISO3 code of the country, e.g. IND.")],
    out_path: Annotated[
        Path, typer.Option("--out", help="HTML file to write (its folder is created).")
    ],
    pdf: Annotated[Path | None, typer.Option(help="Also print the brief to this PDF.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace existing files.")] = False,
    db: DbOption = None,
) -> None:
    """Write a country brief: charts, tables, sources and citations in one HTML file.

    Each file is written aside and renamed into place; an existing file is
    replaced only with --force, and never through a symbolic link.
    """
    from nonaligned.store import connect, default_db_path
    from nonaligned.web import report as brief

    with handle_errors():
        for path in (out_path, pdf):  # refuse now, not after the brief's seconds of work
            if path is not None:
                userfiles.check_output(path, force)
        con = connect(db or default_db_path())
        try:
            html = brief.country_brief(con, iso3)
        finally:
            con.close()
        with userfiles.atomic_output(out_path, force) as aside:
            aside.write_text(html, encoding="utf-8")
        out.print(f"wrote {out_path}", markup=False, highlight=False)
        if pdf is not None:
            with userfiles.atomic_output(pdf, force) as aside:
                brief.print_pdf(out_path, aside)
            out.print(f"wrote {pdf}", markup=False, highlight=False)
