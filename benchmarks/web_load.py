"""Load test of the web app: start-up, cold first requests, then 20 concurrent clients warm.

Needs a built store (``--db``, ``NONALIGNED_DB`` or the default store path). Each
server is a fresh ``nonaligned serve --offline`` process on a free port over a
fresh copy of the store in a temporary folder, so that no disk cache
(``<store>.cache/``) exists: the ideal-point fit runs in the background, as on a
newly built store. Prints ``name=value`` lines:

* ``serve_to_first_answer_seconds``: median over ``--starts`` fresh servers of
  the time from launching the command to the first 200 answer to ``GET /``;
* ``cold_requests`` and ``cold_errors_5xx``: right after that first answer,
  ``--clients`` clients fire their first requests at once, each over every URL of
  ``COLD_URLS`` (pages, index, countries, resolutions, charts, assets; each
  client starts at a different URL), summed over the starts: the answers with a
  status of 500 or more must be none (a 202 "computing" while the fit runs is an
  answer, not an error); ``cold_seconds``: median time of one such burst;
* then, on the last server, once the fit is done and every URL of ``WARM_URLS``
  has been asked once: ``--rounds`` rounds of ``--clients`` clients issuing
  requests back to back for ``--seconds`` seconds each. Printed are the medians
  over rounds of ``requests_per_second``, ``p50_ms``, ``p95_ms`` and ``p99_ms``
  (latency of one request as the client sees it), and ``errors`` (non-200
  answers, summed over rounds).

The clients share the machine with the server, so the figures are a lower bound
of what the server alone could do. Not part of CI; docs/web.md quotes a run.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from nonaligned.store import default_db_path

COUNTRIES = ("IND", "BRA", "ZAF", "CHL", "AGO", "KEN", "IDN", "TUR", "EGY", "MEX")
SYMBOLS = ("A/RES/ES-11/1", "A/RES/ES-11/4", "A/RES/2758(XXVI) A", "A/RES/68/262")
COLD_URLS = (
    "/",
    "/country/IND",
    "/resolutions?year=2022",
    "/resolution?symbol=A/RES/ES-11/1",
    "/compare",
    "/api/countries",
    "/api/countries/IND",
    "/api/countries/BRA",
    "/api/resolutions?symbol=A/RES/ES-11/1",
    "/api/resolutions?symbol=A/RES/68/262",
    "/api/roll-calls?year=2022",
    "/api/coverage",
    *(f"/api/index?year={year}" for year in range(1990, 1996)),
    "/api/index?year=2020",
    "/api/index/IND",
    "/api/alignment/IND",
    "/api/trade/IND",
    "/api/map?year=2020",
    "/api/charts/map?year=2020",
    "/api/charts/agreement/IND",
    "/api/charts/resolution?symbol=A/RES/ES-11/1",
    "/geo/countries-110m.json",
    "/vendor/vega-bundle.js",
)
READY_URL = "/api/index?year=2020"  # 200 once the background fit is done


WARM_URLS = (
    *(
        url
        for pair in itertools.zip_longest(
            (f"/api/countries/{c}" for c in COUNTRIES),
            (f"/api/resolutions?symbol={s}" for s in SYMBOLS),
        )
        for url in pair
        if url
    ),
    "/",
    "/api/index?year=2020",
    "/api/index/IND",
    "/api/alignment/IND",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(db: Path, port: int) -> tuple[subprocess.Popen, float]:
    """A fresh server over ``db`` and the seconds from its launch to the first 200 on ``/``."""
    command = [
        str(Path(sys.executable).parent / "nonaligned"),
        "serve",
        "--db",
        str(db),
        "--port",
        str(port),
        "--offline",
    ]
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = started + 120
    while time.perf_counter() < deadline:
        try:  # the socket is bound before the app is ready: a connection waits for its answer
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=60).status_code == 200:
                return server, time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.01)
        if server.poll() is not None:
            raise SystemExit(f"the server exited with code {server.returncode}")
    _stop(server)
    raise SystemExit("the server did not answer within 120 s")


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


async def _cold_client(base: str, urls: list[str], offset: int) -> list[int]:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        order = urls[offset % len(urls) :] + urls[: offset % len(urls)]
        return [(await client.get(url)).status_code for url in order]


async def _cold(base: str, clients: int) -> tuple[list[int], float]:
    """Every client's statuses over COLD_URLS, fired together; and how long that took."""
    start = time.perf_counter()
    results = await asyncio.gather(
        *(_cold_client(base, list(COLD_URLS), i) for i in range(clients))
    )
    return [status for statuses in results for status in statuses], time.perf_counter() - start


def _wait_for_fit(base: str, timeout: float = 600) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if httpx.get(base + READY_URL, timeout=120).status_code == 200:
            return
        time.sleep(1)
    raise SystemExit(f"the index was still computing after {timeout:.0f} s")


async def _client(base: str, urls: list[str], until: float, offset: int) -> tuple[list, int]:
    latencies, errors = [], 0
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for url in itertools.islice(itertools.cycle(urls), offset, None):
            if time.perf_counter() >= until:
                break
            start = time.perf_counter()
            response = await client.get(url)
            latencies.append(time.perf_counter() - start)
            errors += response.status_code != 200
    return latencies, errors


async def _round(base: str, urls: list[str], clients: int, seconds: float) -> dict[str, float]:
    start = time.perf_counter()
    until = start + seconds
    results = await asyncio.gather(*(_client(base, urls, until, i) for i in range(clients)))
    elapsed = time.perf_counter() - start
    latencies = np.array([x for lat, _ in results for x in lat]) * 1000
    return {
        "requests_per_second": len(latencies) / elapsed,
        "p50_ms": float(np.percentile(latencies, 50)),
        "p95_ms": float(np.percentile(latencies, 95)),
        "p99_ms": float(np.percentile(latencies, 99)),
        "errors": float(sum(e for _, e in results)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=os.environ.get("NONALIGNED_DB"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--starts", type=int, default=5, help="fresh servers (cold figures)")
    args = parser.parse_args()
    store = Path(args.db) if args.db else default_db_path()
    if not store.is_file():
        raise SystemExit(f"no built store at {store}: give one with --db PATH or NONALIGNED_DB")
    starts, cold_statuses, cold_seconds, rounds = [], [], [], []
    for run in range(args.starts):
        with tempfile.TemporaryDirectory() as folder:
            fresh = Path(folder) / store.name  # a copy without the store's disk cache
            shutil.copyfile(store, fresh)
            os.sync()  # the copy's write-back must not compete with the start being timed
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            server, seconds = _start(fresh, port)
            try:
                starts.append(seconds)
                statuses, elapsed = asyncio.run(_cold(base, args.clients))
                cold_statuses += statuses
                cold_seconds.append(elapsed)
                if run == args.starts - 1:  # the warm rounds, once, on the last server
                    _wait_for_fit(base)
                    urls = list(WARM_URLS)
                    for url in urls:
                        httpx.get(base + url, timeout=120)
                    for _ in range(args.rounds):
                        rounds.append(asyncio.run(_round(base, urls, args.clients, args.seconds)))
            finally:
                _stop(server)
    print(f"clients={args.clients}")
    print(f"starts={args.starts}")
    print(f"serve_to_first_answer_seconds={statistics.median(starts):.2f}")
    print(f"cold_requests={len(cold_statuses)}")
    print(f"cold_errors_5xx={sum(status >= 500 for status in cold_statuses)}")
    print(f"cold_seconds={statistics.median(cold_seconds):.1f}")
    print(f"seconds_per_round={args.seconds:g}")
    print(f"rounds={args.rounds}")
    for name in ("requests_per_second", "p50_ms", "p95_ms", "p99_ms"):
        print(f"{name}={statistics.median(r[name] for r in rounds):.1f}")
    print(f"errors={int(sum(r['errors'] for r in rounds))}")


if __name__ == "__main__":
    main()
