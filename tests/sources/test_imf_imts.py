"""IMF IMTS over a loopback server: download, resume, failures, malformed responses, parsing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _live_server import imts_csv, serve

from nonaligned.errors import AcquisitionError, DataError
from nonaligned.sources import imf_imts, live

CHL = {
    ("CHN", 2021, "exports"): 38_000.5,
    ("USA", 2021, "exports"): 16_000,
    ("G001", 2021, "exports"): 94_000,
    ("CHN", 2021, "imports"): 29_000,
    ("USA", 2022, "imports"): None,  # the API's NaN: no data
    ("G110", 2021, "imports"): 1_000,
}
PER = {("CHN", 2021, "exports"): 20_000, ("G001", 2021, "exports"): 60_000}


def _client() -> live.PoliteClient:
    return live.PoliteClient(headers={"Accept": imf_imts.ACCEPT}, interval=0, backoff=0)


def _fetch(cache: Path, base: str, reporters=("CHL", "PER")) -> Path:
    return imf_imts.fetch(cache, list(reporters), base=base, client=_client())


def _files(cache: Path) -> list[str]:
    return sorted(p.name for p in (cache / imf_imts.DIRECTORY).rglob("*") if p.is_file())


def test_download_parse_and_provenance(tmp_path):
    with serve() as api:
        api.responses = {"CHL": (200, imts_csv("CHL", CHL)), "PER": (200, imts_csv("PER", PER))}
        snapshot = _fetch(tmp_path, api.base)
    assert [r for r, _ in api.requests] == ["CHL", "PER"]
    assert {accept for _, accept in api.requests} == {imf_imts.ACCEPT}  # CSV by negotiation
    loaded = imf_imts.load(None, tmp_path)
    rows = loaded.data[0].set_index(["reporter_iso3", "partner_code", "year", "flow"])
    assert rows.loc[("CHL", "CHN", 2021, "exports"), "value_usd"] == 38_000.5e6  # SCALE 6
    assert rows.loc[("CHL", "WLD", 2021, "exports"), "partner_is_aggregate"]  # G001 is World
    assert rows.loc[("CHL", "IMF_G110", 2021, "imports"), "partner_is_aggregate"]
    assert ("CHL", "USA", 2022, "imports") not in rows.index  # NaN is missing, not zero
    assert len(loaded.data[0]) == 7
    urls = {row["url"] for row in loaded.provenance}
    assert urls == {imf_imts.url_for(r, api.base) for r in ("CHL", "PER")}
    for row in loaded.provenance:
        assert row["sha256"] == live.sha256_of(snapshot / Path(row["file"]).name)
        assert row["retrieved_at"] is not None and row["source"] == "imf_imts"


def test_a_reporter_complete_in_the_cache_is_not_fetched_again(tmp_path):
    with serve() as api:
        api.responses = {"CHL": (200, imts_csv("CHL", CHL)), "PER": "truncate"}
        with pytest.raises(AcquisitionError, match="reporter PER") as caught:
            _fetch(tmp_path, api.base)
        assert "127.0.0.1" in str(caught.value)
        # the interrupted download left nothing that counts: no file, no part, no manifest
        assert _files(tmp_path) == ["CHL.csv", "request.json"]
        api.requests.clear()
        api.responses["PER"] = (200, imts_csv("PER", PER))
        snapshot = _fetch(tmp_path, api.base)
    assert [r for r, _ in api.requests] == ["PER"]  # CHL was resumed from the cache
    assert (snapshot / live.MANIFEST).is_file()
    assert set(imf_imts.load(None, tmp_path).data[0].reporter_iso3) == {"CHL", "PER"}


def test_a_failed_reporter_is_named_with_its_status(tmp_path):
    with serve() as api:
        api.responses = {"CHL": (200, imts_csv("CHL", CHL)), "PER": (403, "Forbidden")}
        with pytest.raises(AcquisitionError, match=r"reporter PER: HTTP 403"):
            _fetch(tmp_path, api.base)
        api.responses["PER"] = (503, "busy")
        with pytest.raises(AcquisitionError, match=r"reporter PER.*4 attempt\(s\).*HTTP 503"):
            _fetch(tmp_path, api.base)
    assert "PER.csv" not in _files(tmp_path)


def test_unreachable_host_fails_at_once_naming_it(tmp_path):
    with serve() as api:
        dead = api.base
    with pytest.raises(AcquisitionError, match=r"reporter CHL: cannot reach 127\.0\.0\.1"):
        _fetch(tmp_path, dead)


@pytest.mark.parametrize(
    ("body", "line", "field"),
    [
        (imts_csv("PER", PER).replace("20000", "20x00"), 2, "OBS_VALUE"),
        (imts_csv("PER", PER).replace(",PER,", ",BOL,", 1), 2, "COUNTRY"),
        (imts_csv("PER", PER).replace("2021,60000", "20AB,60000"), 3, "TIME_PERIOD"),
        (imts_csv("PER", PER).replace(",6,USD", ",6,EUR"), 2, "UNIT"),
        (imts_csv("PER", PER, scale=12), 2, "OBS_VALUE"),  # a misread scale: implausible
        ("<html><body>Service unavailable</body></html>\n", None, "COUNTRY"),
    ],
)
def test_a_malformed_response_names_file_line_and_field(tmp_path, body, line, field):
    with serve() as api:
        api.responses = {"CHL": (200, imts_csv("CHL", CHL)), "PER": (200, body)}
        with pytest.raises(DataError) as caught:
            _fetch(tmp_path, api.base)
    error = caught.value
    assert error.path.endswith("PER.csv.unchecked") and error.line == line
    assert error.field == field
    kept = _files(tmp_path)
    assert "PER.csv.rejected" in kept and "PER.csv" not in kept  # kept aside, never counted


def test_reporters_without_data_and_a_query_that_finds_nothing(tmp_path):
    with serve() as api:
        api.responses = {"CHL": (200, imts_csv("CHL", CHL))}  # PER: 404, no results
        snapshot = _fetch(tmp_path, api.base)
        assert json.loads((snapshot / live.MANIFEST).read_text())["no_data"] == ["PER"]
        with pytest.raises(AcquisitionError, match="no data for any of the 1 reporter"):
            _fetch(tmp_path / "other", api.base, reporters=("BOL",))


def test_unknown_partner_codes_are_counted_exclusions(tmp_path):
    path = tmp_path / "CHL.csv"
    path.write_text(
        imts_csv("CHL", {**CHL, ("ZZZ", 2021, "exports"): 5, ("ZZZ", 2022, "exports"): 6})
    )
    rows, excluded = imf_imts.parse_reporter(path, "CHL")
    assert "ZZZ" not in set(rows.partner_code)
    assert len(excluded) == 1 and excluded[0]["symbol"] == "ZZZ"
    assert excluded[0]["line"] == 8 and "2 cell(s)" in excluded[0]["detail"]


def test_a_repeated_cell_is_an_error(tmp_path):
    path = tmp_path / "PER.csv"
    text = imts_csv("PER", PER)
    path.write_text(text + text.splitlines()[1] + "\n")
    with pytest.raises(DataError, match="repeated key") as caught:
        imf_imts.parse_reporter(path, "PER")
    assert caught.value.line == 4


def test_the_base_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("NONALIGNED_IMTS_URL", "http://127.0.0.1:1/x/")
    assert imf_imts.url_for("CHL").startswith(
        "http://127.0.0.1:1/x/data/dataflow/IMF.STA/IMTS/1.0.0/CHL.XG_FOB_USD+MG_CIF_USD.*.A?"
    )


class _Progress:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def start(self, task: str, total: int) -> None:
        self.events.append(("start", task, total))

    def advance(self, task: str, steps: int = 1) -> None:
        self.events.append(("advance", task, steps))


def test_politeness_progress_and_retry_after(tmp_path):
    slept: list[float] = []
    client = live.PoliteClient(interval=0.5, backoff=0.1, sleep=slept.append)
    progress = _Progress()
    busy = (503, "busy", {"Retry-After": "7"})
    with serve() as api:
        api.responses = {
            "CHL": [busy, (200, imts_csv("CHL", CHL))],
            "PER": (200, imts_csv("PER", PER)),
        }
        imf_imts.fetch(tmp_path, ["CHL", "PER"], base=api.base, client=client, progress=progress)
    assert [r for r, _ in api.requests] == ["CHL", "CHL", "PER"]
    assert 7.0 in slept  # the server's Retry-After, longer than the backoff
    # between requests the client waits out the rest of its interval (never more)
    assert all(0 < pause <= 0.5 for pause in slept if pause != 7.0) and len(slept) >= 2
    assert progress.events[0] == ("start", "download IMF IMTS", 2)
    assert progress.events[1:] == [
        ("advance", "download IMF IMTS", 0),
        ("advance", "download IMF IMTS", 1),
        ("advance", "download IMF IMTS", 1),
    ]
