"""Wall time and peak memory of parsing the 235 IMF DOTS workbooks, and reader choice.

Prints ``name=value`` lines. Each full parse runs in a fresh subprocess so that
peak RSS is that of one parse alone; figures are medians of ``--runs`` runs.
``--readers N`` also times reading the cells of the first N workbooks with
python-calamine (the library's reader) and with openpyxl (if installed), the
usual alternative.

    python benchmarks/trade_ingest.py [--runs 3] [--readers 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

MIRROR = Path(
    os.environ.get("NONALIGNED_MIRROR", Path(__file__).resolve().parents[2] / "shared" / "data")
)

ONE_RUN = """
import json, resource, sys, time
from pathlib import Path
from nonaligned.sources import imf_dots
mirror = Path(sys.argv[1])
paths = [mirror / f.relpath for f in imf_dots.SOURCE.files]
start = time.perf_counter()
table = imf_dots.parse(paths)
wall = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"wall_seconds": wall, "rows": len(table), "peak_rss_mb": peak_kb / 1024}))
"""


def full_parse(runs: int) -> None:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", ONE_RUN, str(MIRROR)], check=True, capture_output=True, text=True
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"workbooks={len(list((MIRROR / 'trade').rglob('DOTS_*.xlsx')))}")
    print(f"runs={runs}")
    for key in ("wall_seconds", "rows", "peak_rss_mb"):
        value = statistics.median(r[key] for r in results)
        print(f"{key}={value:.2f}" if isinstance(value, float) else f"{key}={value}")


def read_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    return sum(
        len(workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
        for name in workbook.sheet_names
    )


def read_openpyxl(path: Path) -> int:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(len(list(sheet.iter_rows(values_only=True))) for sheet in workbook.worksheets)
    workbook.close()
    return rows


def readers(count: int) -> None:
    paths = sorted((MIRROR / "trade").rglob("DOTS_*.xlsx"))[:count]
    print(f"reader_workbooks={len(paths)}")
    for name, reader in (("calamine", read_calamine), ("openpyxl", read_openpyxl)):
        try:
            start = time.perf_counter()
            for path in paths:
                reader(path)
            print(f"reader_{name}_seconds={time.perf_counter() - start:.2f}")
        except ImportError:
            print(f"reader_{name}_seconds=not-installed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--readers", type=int, default=0, metavar="N")
    args = parser.parse_args()
    if args.readers:
        readers(args.readers)
    if args.runs:
        full_parse(args.runs)


if __name__ == "__main__":
    main()
