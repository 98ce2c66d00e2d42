"""Wall time and peak memory of parsing the 235 IMF DOTS workbooks, and reader choice.

Prints ``name=value`` lines. Each full parse runs in a fresh subprocess so that
peak RSS is that of one parse alone; figures are medians of ``--runs`` runs.
``--readers N`` also times reading the cells of the first N workbooks with
python-calamine (the library's reader) and with openpyxl (if installed), the
usual alternative. ``--imts`` times parsing a generated IMF IMTS snapshot of
realistic size instead (200 reporters x 250 partners x 10 years x 2 flows,
SDMX-CSV as the API answers, random values): the live source's whole parse,
checks included, and the DOTS/IMTS merge with its overlap check.

    python benchmarks/trade_ingest.py [--runs 3] [--readers 20] [--imts]
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


IMTS_HEADER = (
    "STRUCTURE,STRUCTURE_ID,ACTION,COUNTRY,INDICATOR,COUNTERPART_COUNTRY,FREQUENCY,"
    "TIME_PERIOD,OBS_VALUE,SCALE,UNIT,STATUS"
)


def imts_snapshot(root: Path, reporters: int, partners: int, years: int) -> Path:
    """A complete IMTS snapshot in ``root`` with random values (US$ millions, SCALE 6)."""
    import random

    from nonaligned.sources import imf_imts, live

    codes = sorted(live.known_codes())
    chosen = codes[:reporters]
    counterparts = ["G001", *codes[: partners - 1]]
    snapshot = root / imf_imts.DIRECTORY / "20260101T000000000000Z"
    snapshot.mkdir(parents=True)
    rng = random.Random(17)
    for reporter in chosen:
        lines = [IMTS_HEADER]
        for indicator in imf_imts.INDICATORS:
            for partner in counterparts:
                for year in range(2016, 2016 + years):
                    value = f"{rng.lognormvariate(3, 2):.3f}" if rng.random() > 0.05 else "NaN"
                    lines.append(
                        f"dataflow,IMF.STA:IMTS(1.0.0),I,{reporter},{indicator},{partner},A,"
                        f"{year},{value},6,USD,"
                    )
        (snapshot / f"{reporter}.csv").write_text("\n".join(lines) + "\n")
    manifest = {
        "base": imf_imts.DEFAULT_BASE,
        "start_year": 2016,
        "reporters": chosen,
        "no_data": [],
        "completed_at": "2026-01-01T00:00:00+00:00",
    }
    (snapshot / live.MANIFEST).write_text(json.dumps(manifest))
    return snapshot


def imts_parse(runs: int) -> None:
    import tempfile

    from nonaligned.sources import imf_imts
    from nonaligned.trade_merge import merge_trade

    with tempfile.TemporaryDirectory() as folder:
        snapshot = imts_snapshot(Path(folder), 200, 250, 10)
        size = sum(p.stat().st_size for p in snapshot.iterdir())
        imf_imts.parse(snapshot)  # warm the countries table once, as a build does
        parse_times, merge_times = [], []
        for _ in range(runs):
            start = time.perf_counter()
            table, _ = imf_imts.parse(snapshot)
            parse_times.append(time.perf_counter() - start)
            # the same rows as both sources: years 2016-2020 overlap, 2021-2025 are added
            dots = table[table.year <= 2020]
            start = time.perf_counter()
            merge_trade(dots, table)
            merge_times.append(time.perf_counter() - start)
    print("imts_reporters=200")
    print("imts_partners=250")
    print("imts_years=10")
    print(f"imts_rows={len(table)}")
    print(f"imts_response_mb={size / 2**20:.1f}")
    print(f"imts_runs={runs}")
    print(f"imts_parse_seconds={statistics.median(parse_times):.2f}")
    print(f"imts_merge_seconds={statistics.median(merge_times):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--readers", type=int, default=0, metavar="N")
    parser.add_argument("--imts", action="store_true", help="Time the IMTS parse instead.")
    args = parser.parse_args()
    if args.imts:
        imts_parse(max(args.runs, 1))
        return
    if args.readers:
        readers(args.readers)
    if args.runs:
        full_parse(args.runs)


if __name__ == "__main__":
    main()
