"""A loopback stand-in for the IMF SDMX 3.0 API, serving IMTS responses written by the tests.

The responses follow the SDMX-CSV 2.0 layout that IMTS answers with (columns
named as documented in nonaligned.sources.imf_imts); the values are invented
by the tests, never copied from a source.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

HEADER = (
    "STRUCTURE,STRUCTURE_ID,ACTION,COUNTRY,INDICATOR,COUNTERPART_COUNTRY,FREQUENCY,"
    "TIME_PERIOD,OBS_VALUE,SCALE,UNIT,STATUS"
)
INDICATOR = {"exports": "XG_FOB_USD", "imports": "MG_CIF_USD"}


def imts_csv(reporter: str, cells: dict[tuple[str, int, str], object], scale: int = 6) -> str:
    """A response for ``reporter``: ``{(partner, year, flow): value in 10^scale US$}``;
    a value of None is written as NaN (the API's missing value)."""
    lines = [HEADER]
    for (partner, year, flow), value in cells.items():
        shown = "NaN" if value is None else value
        lines.append(
            f"dataflow,IMF.STA:IMTS(1.0.0),I,{reporter},{INDICATOR[flow]},{partner},A,"
            f"{year},{shown},{scale},USD,"
        )
    return "\n".join(lines) + "\n"


@dataclass
class Api:
    """What the server answers per reporter: ``(status, body)``, or ``"truncate"`` to send
    half a body and hang up. ``requests`` records (reporter, Accept header) in order."""

    responses: dict[str, tuple[int, str] | str] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    base: str = ""


def _handler(api: Api) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            key = unquote(urlsplit(self.path).path).rsplit("/", 1)[-1]
            reporter = key.split(".", 1)[0]
            api.requests.append((reporter, self.headers.get("Accept", "")))
            answer = api.responses.get(reporter, (404, "NoResultsFound"))
            if answer == "truncate":
                body = imts_csv(reporter, {("USA", 2021, "exports"): 1.0}).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body) * 3))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                self.close_connection = True
                return
            status, text = answer
            body = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/vnd.sdmx.data+csv;version=2.0.0")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve() -> Iterator[Api]:
    """An Api served on 127.0.0.1 (a free port) for the duration of the block."""
    api = Api()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    api.base = f"http://127.0.0.1:{server.server_address[1]}/sdmx/3.0"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
