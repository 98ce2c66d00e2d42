"""A rebuild while the web app fits ideal points in the background (issue 14: requests used
to block for about 68 s, the length of the fit, because the fit held its read open).

On the synthetic store, so it runs in the fast layer. The fit is held in the
middle (after reading its inputs) until the test releases it; meanwhile the
store file is replaced as a build does (written aside, renamed over), and a
request must be answered from the new file. If the swap waited for the fit,
that request would wait too: it is bounded by a generous timeout so that the
failure is a failed test, not a hung run.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
from _synthetic import tables
from fastapi.testclient import TestClient

from nonaligned import alignment
from nonaligned.session import Store
from nonaligned.store import write_store
from nonaligned.web import create_app

PATIENCE_S = 120  # far beyond any answer's time here; only a wait for the fit reaches it


def test_a_rebuild_is_served_while_a_fit_runs(synthetic_store, tmp_path):
    path = tmp_path / "store.duckdb"
    shutil.copyfile(synthetic_store, path)
    inputs_read, release = threading.Event(), threading.Event()

    def held_fit(store: Store) -> pd.DataFrame:
        frame = alignment.ideal_points(store, n_boot=0, cache=False)  # reads, then fits
        inputs_read.set()
        release.wait(10 * PATIENCE_S)  # released by the test (or its cleanup)
        return frame

    app = create_app(
        Store(path), fit_ideal_points=held_fit, warm_index=False, cache_dir=tmp_path / "web"
    )
    renamed = tables()
    renamed["countries"].loc[renamed["countries"].iso3 == "IND", "name"] = "India (rebuilt)"
    try:
        with TestClient(app) as client, ThreadPoolExecutor(1) as pool:
            assert client.get("/api/idealpoints/IND").status_code == 202  # starts the fit
            assert inputs_read.wait(PATIENCE_S), "the fit never read its inputs"
            before = {c["iso3"]: c["name"] for c in client.get("/api/countries").json()}
            assert before["IND"] == "India"

            aside = tmp_path / "rebuilt.duckdb"
            write_store(aside, renamed)
            os.replace(aside, path)  # what a build does
            answer = pool.submit(client.get, "/api/countries").result(timeout=PATIENCE_S)
            assert answer.status_code == 200
            after = {c["iso3"]: c["name"] for c in answer.json()}
            assert after["IND"] == "India (rebuilt)"  # the new file, while the fit still runs
            assert not release.is_set()

            release.set()  # the new file's own fit then runs unheld
            while (done := client.get("/api/idealpoints/IND")).status_code == 202:
                time.sleep(0.1)
            assert done.status_code == 200 and {r["year"] for r in done.json()}
    finally:
        release.set()
