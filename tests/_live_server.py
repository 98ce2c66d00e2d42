"""A loopback stand-in for the live APIs (IMF SDMX 3.0, World Bank v2), answering as told.

IMTS responses follow the SDMX-CSV 2.0 layout (columns named as documented in
nonaligned.sources.imf_imts), WDI ones the [metadata, records] JSON array
(nonaligned.sources.wdi_api); the values are invented by the tests, never
copied from a source.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

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


def wdi_json(indicator: str, values: dict[tuple[str, int], object], page=1, pages=1) -> str:
    """A page of the World Bank API: ``{(iso3 or aggregate code, year): value or None}``."""
    records = [
        {
            "indicator": {"id": indicator, "value": indicator},
            "country": {"id": code[:2], "value": code},
            "countryiso3code": code,
            "date": str(year),
            "value": value,
            "unit": "",
            "obs_status": "",
            "decimal": 0,
        }
        for (code, year), value in values.items()
    ]
    meta = {"page": page, "pages": pages, "per_page": 20000, "total": len(records)}
    return json.dumps([meta, records])


@dataclass
class Api:
    """What the server answers per reporter (IMTS) or ``indicator-page`` (WDI): ``(status,
    body)`` or ``(status, body, headers)``, ``"truncate"`` to send half a body and hang up, or
    a list of those to answer in turn (the last one repeated). ``requests`` records (that
    key, Accept header) in order."""

    responses: dict[str, tuple | str | list] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    base: str = ""


def _handler(api: Api) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            segment = unquote(url.path).rsplit("/", 1)[-1]
            page = parse_qs(url.query).get("page")
            # IMTS: the reporter (the key's first part); WDI: indicator-page
            reporter = f"{segment}-{page[0]}" if page else segment.split(".", 1)[0]
            api.requests.append((reporter, self.headers.get("Accept", "")))
            answer = api.responses.get(reporter, (404, "NoResultsFound"))
            if isinstance(answer, list):  # a sequence of answers, one per request
                answer = answer.pop(0) if len(answer) > 1 else answer[0]
            if answer == "truncate":
                body = imts_csv(reporter, {("USA", 2021, "exports"): 1.0}).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body) * 3))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                self.close_connection = True
                return
            status, text, *headers = answer
            body = text.encode()
            self.send_response(status)
            for name, value in headers[0].items() if headers else ():
                self.send_header(name, value)
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
