"""Wall time and peak memory of a full ``nonaligned build`` from the data mirror.

Prints ``name=value`` lines; figures are medians of ``--runs`` runs. Each run
builds a new store in a fresh temporary directory through the real console
script. Peak RSS comes from ``getrusage(RUSAGE_CHILDREN)``, which reports the
maximum over *all* children a process has waited for; so each run happens in
a fresh wrapper process whose only child is that one build, and the wrapper
reports its children's maximum, which is the build's own peak.

    python benchmarks/build.py [--runs 3] [--mirror ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

MIRROR = Path(
    os.environ.get("NONALIGNED_MIRROR", Path(__file__).resolve().parents[2] / "shared" / "data")
)
NONALIGNED = Path(sys.executable).parent / "nonaligned"

ONE_RUN = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - start
if done.returncode != 0:
    sys.exit(f"build failed with exit code {done.returncode}:\\n{done.stderr}")
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
print(json.dumps({"wall_seconds": wall, "peak_rss_mb": peak_kb / 1024}))
"""


def one_run(mirror: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NONALIGNED_")}
    with tempfile.TemporaryDirectory(prefix="nonaligned-bench-") as folder:
        db, cache = Path(folder) / "store.duckdb", Path(folder) / "cache"
        build = [str(NONALIGNED), "build", "--mirror", str(mirror), "--db", str(db)]
        env["NONALIGNED_CACHE"] = str(cache)
        out = subprocess.run(
            [sys.executable, "-c", ONE_RUN, *build],
            env=env,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            sys.exit(out.stderr)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["store_mb"] = db.stat().st_size / 2**20
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mirror", type=Path, default=MIRROR)
    args = parser.parse_args()
    if not (args.mirror / "unga").is_dir():
        sys.exit(f"no data mirror at {args.mirror}; pass --mirror or set NONALIGNED_MIRROR")
    results = [one_run(args.mirror) for _ in range(args.runs)]
    print(f"runs={args.runs}")
    for key in ("wall_seconds", "peak_rss_mb", "store_mb"):
        print(f"{key}={statistics.median(r[key] for r in results):.2f}")
    print("wall_seconds_each=" + ",".join(f"{r['wall_seconds']:.2f}" for r in results))


if __name__ == "__main__":
    main()
