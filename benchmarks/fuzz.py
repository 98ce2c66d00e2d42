"""Fuzz every parser with many more examples than CI runs, and count what breaks.

Uses the targets of tests/_fuzz.py (real mirror files damaged by
hypothesis; R tables mutated and rewritten; generated offer documents).
An example fails when the parser raises anything but the project's own
NonalignedError. Failures are counted and the first of each kind printed,
instead of stopping at the first. Prints per-target lines, then
``examples_tried=`` and ``failures=``. ``FUZZ_EXAMPLES`` sets the examples
per target and kind (default 300).
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _fuzz import (
    TARGETS,
    generated_offer_document,
    mutated_bytes,
    mutated_table,
    offer_documents,
    one_mutated,
    real_inputs,
    real_tables,
    run_bytes,
    run_tables,
)
from hypothesis import HealthCheck, given, settings

from nonaligned.errors import NonalignedError

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


class Tally:
    def __init__(self) -> None:
        self.tried: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()
        self.kinds: dict[tuple[str, str], str] = {}

    def run(self, label: str, action) -> None:
        self.tried[label] += 1
        try:
            action()
        except NonalignedError:  # raised past run_bytes only by the generated documents
            pass
        except Exception as exc:
            self.failed[label] += 1
            kind = (label, type(exc).__name__)
            if kind not in self.kinds:
                self.kinds[kind] = "".join(traceback.format_exception_only(exc)).strip()


def fuzz_bytes(tally: Tally, name: str) -> None:
    target = TARGETS[name]

    @SETTINGS
    @given(one_mutated(real_inputs(target), mutated_bytes))
    def check(changed):
        tally.run(f"{name}/bytes", lambda: run_bytes(target, changed))

    check()


def fuzz_tables(tally: Tally, name: str) -> None:
    target = TARGETS[name]

    @SETTINGS
    @given(one_mutated(real_tables(name), mutated_table))
    def check(changed):
        tally.run(f"{name}/tables", lambda: run_tables(target, changed))

    check()


def fuzz_offer_documents(tally: Tally) -> None:
    @SETTINGS
    @given(offer_documents)
    def check(document):
        tally.run("offers/generated", lambda: generated_offer_document(document))

    check()


def main() -> None:
    tally = Tally()
    start = time.perf_counter()
    for name in sorted(TARGETS):
        fuzz_bytes(tally, name)
        if TARGETS[name].tables:
            fuzz_tables(tally, name)
    fuzz_offer_documents(tally)
    for label in sorted(tally.tried):
        print(f"{label}: examples={tally.tried[label]} failures={tally.failed[label]}")
    for (label, _), message in sorted(tally.kinds.items()):
        print(f"failure {label}: {message}")
    print(f"seconds={time.perf_counter() - start:.1f}")
    print(f"examples_tried={sum(tally.tried.values())}")
    print(f"failures={sum(tally.failed.values())}")


if __name__ == "__main__":
    main()
