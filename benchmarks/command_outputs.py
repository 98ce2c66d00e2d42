"""Every query command's JSON on a store, saved and compared: the check that a refactor
changed no output.

``capture DIR`` runs each invocation below with ``--format json`` against the
store (``--db`` or ``NONALIGNED_DB``) and writes ``DIR/<name>.json``;
``compare OLD NEW`` reads two such folders and reports, per invocation,
whether the records are equal: same keys, same strings, floats within
``--tolerance`` (default 1e-12, relative to the larger magnitude, absolute
below 1). It prints ``name=value`` lines: ``invocations``, ``equal``,
``different``, ``max_float_difference``, and one line per different
invocation. Not part of CI: it needs the full store, and the index commands
take minutes with their bootstrap.
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OFFERS = ROOT / "examples" / "offers"

INVOCATIONS: dict[str, str] = {  # each a command line, split as a shell would (shlex)
    "vote_es11_1": "vote A/RES/ES-11/1",
    "vote_es11_1_summary": "vote A/RES/ES-11/1 --summary",
    "votes_zaf_2022": "votes --country ZAF --year 2022",
    "coverage": "coverage",
    "coverage_exclusions": "coverage --exclusions",
    "coverage_trade": "coverage --trade",
    "sources": "sources",
    "alignment_bra": "alignment BRA",
    "alignment_ind_important": "alignment IND --important",
    "dyads_2019": "dyads --year 2019",
    "dyads_2005_hr": "dyads --year 2005 --issue hr",
    "trade_chl": "trade CHL",
    "trade_chl_2019_hkmo": "trade CHL --year 2019 --include-hk-macao",
    "trade_growth_africa": "trade-growth --partner CHN --from 2000 --to 2020 --region Africa",
    "concentration_2019": "concentration --year 2019",
    "finance_ago": "finance AGO",
    "engagement_ago": "engagement AGO",
    "idealpoints_2020": "idealpoints --year 2020",
    "idealpoints_static_1990": "idealpoints --year 1990 --static --boot 0",
    "index_2022": "index --year 2022 --all-columns",
    "index_2010_russia": "index --year 2010 --axis west-russia --all-columns",
    "index_2022_no_ip": "index --year 2022 --no-ideal-points --boot 0",
    "country_ind": "country IND",
    "rank_2022": "rank --year 2022",
    "sensitivity_2022": "sensitivity --year 2022",
    "scenario_ago_chn": "scenario AGO --pole CHN --sanctions",
    "scenario_ken_usa": "scenario KEN --pole USA --finance-stop",
    "scenario_ind_rus": "scenario IND --pole RUS --tariff 0.25",
    "offers_evaluate_kenya": f"offers evaluate {OFFERS}/kenya_port.toml",
    "offers_evaluate_angola": f"offers evaluate {OFFERS}/angola_railway.toml --schedule",
    "offers_exposure_kenya": f"offers exposure {OFFERS}/kenya_port.toml",
    "check_claims": f"check {ROOT}/examples/claims.toml",
}


def capture(folder: Path, db: Path | None) -> None:
    """Run every invocation not yet in ``folder`` and write its JSON; print each one's seconds.

    Invocations already captured are skipped, so an interrupted capture resumes.
    """
    folder.mkdir(parents=True, exist_ok=True)
    executable = Path(sys.executable).parent / "nonaligned"
    store = ["--db", str(db)] if db else []
    for name, arguments in INVOCATIONS.items():
        if (folder / f"{name}.json").is_file():
            continue
        started = time.perf_counter()
        done = subprocess.run(
            [str(executable), *shlex.split(arguments), *store, "--format", "json"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            sys.exit(f"{name}: exit {done.returncode}: {done.stderr.strip()}")
        (folder / f"{name}.json").write_text(done.stdout, encoding="utf-8")
        print(f"seconds_{name}={time.perf_counter() - started:.2f}", flush=True)


def _difference(old: object, new: object) -> float:
    """The largest float difference between two JSON values; inf where they differ otherwise."""
    if (
        isinstance(old, float | int)
        and isinstance(new, float | int)
        and not (isinstance(old, bool) or isinstance(new, bool))
    ):
        if old == new:
            return 0.0
        return abs(old - new) / max(1.0, abs(old), abs(new))
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return math.inf
        return max((_difference(a, b) for a, b in zip(old, new, strict=True)), default=0.0)
    if isinstance(old, dict) and isinstance(new, dict):
        if old.keys() != new.keys():
            return math.inf
        return max((_difference(old[k], new[k]) for k in old), default=0.0)
    return 0.0 if old == new else math.inf


def compare(old: Path, new: Path, tolerance: float) -> int:
    """Print the comparison of two captures; 1 if any invocation differs beyond tolerance."""
    worst, different = 0.0, []
    for name in INVOCATIONS:
        before = json.loads((old / f"{name}.json").read_text(encoding="utf-8"))
        after = json.loads((new / f"{name}.json").read_text(encoding="utf-8"))
        gap = _difference(before, after)
        if gap > tolerance:
            different.append((name, gap))
        elif gap > worst:
            worst = gap
    print(f"invocations={len(INVOCATIONS)}")
    print(f"equal={len(INVOCATIONS) - len(different)}")
    print(f"different={len(different)}")
    print(f"max_float_difference={worst:.3g}")
    for name, gap in different:
        print(f"different_{name}={gap:.3g}")
    return 1 if different else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("capture")
    run.add_argument("folder", type=Path)
    run.add_argument("--db", type=Path)
    check = commands.add_parser("compare")
    check.add_argument("old", type=Path)
    check.add_argument("new", type=Path)
    check.add_argument("--tolerance", type=float, default=1e-12)
    arguments = parser.parse_args()
    if arguments.command == "capture":
        capture(arguments.folder, arguments.db)
    else:
        sys.exit(compare(arguments.old, arguments.new, arguments.tolerance))


if __name__ == "__main__":
    main()
