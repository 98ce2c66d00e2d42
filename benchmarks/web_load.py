"""Load test of the web API: 20 concurrent clients on loopback for a bounded time.

Starts ``nonaligned serve`` on a free port over a built store (``--db`` or
``NONALIGNED_DB``; the map outlines from ``NONALIGNED_MIRROR``), warms each
URL once, then runs ``CLIENTS`` asyncio clients, each issuing requests back to
back against the country and resolution endpoints for ``SECONDS`` seconds.
Several rounds are run; printed figures are the medians over rounds:
``requests_per_second``, ``p50_ms``, ``p95_ms``, ``p99_ms`` (latency of one
request as the client sees it), and ``errors`` (non-200 answers, summed).
The clients share the machine with the server, so the figures are a lower
bound of what the server alone could do.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np

COUNTRIES = ("IND", "BRA", "ZAF", "CHL", "AGO", "KEN", "IDN", "TUR", "EGY", "MEX")
SYMBOLS = ("A/RES/ES-11/1", "A/RES/ES-11/4", "A/RES/2758(XXVI) A", "A/RES/68/262")


def _urls() -> list[str]:
    countries = [f"/api/countries/{c}" for c in COUNTRIES]
    resolutions = [f"/api/resolutions?symbol={s}" for s in SYMBOLS]
    return [u for pair in itertools.zip_longest(countries, resolutions) for u in pair if u]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(db: Path, port: int) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "nonaligned"),
        "serve",
        "--db",
        str(db),
        "--port",
        str(port),
        "--offline",
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/countries/IND", timeout=2)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start within 60 s")


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
    args = parser.parse_args()
    if args.db is None or not Path(args.db).is_file():
        raise SystemExit("give a built store with --db PATH or NONALIGNED_DB")
    port = _free_port()
    server = _start(Path(args.db), port)
    base = f"http://127.0.0.1:{port}"
    urls = _urls()
    try:
        for url in urls:  # warm the caches: the benchmark measures steady-state answers
            httpx.get(base + url, timeout=60)
        rounds = [
            asyncio.run(_round(base, urls, args.clients, args.seconds)) for _ in range(args.rounds)
        ]
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"clients={args.clients}")
    print(f"seconds_per_round={args.seconds:g}")
    print(f"rounds={args.rounds}")
    for name in ("requests_per_second", "p50_ms", "p95_ms", "p99_ms"):
        print(f"{name}={statistics.median(r[name] for r in rounds):.1f}")
    print(f"errors={int(sum(r['errors'] for r in rounds))}")


if __name__ == "__main__":
    main()
