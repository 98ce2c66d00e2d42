"""Facts the store built from the real mirror must show."""

from __future__ import annotations

import pandas as pd
from conftest import MIRROR_SOURCES

from nonaligned import query
from nonaligned.sources import imf_dots


def test_es11_1_is_141_5_35(store):
    votes = query.resolution_votes(store, "A/RES/ES-11/1")
    totals = query.vote_totals(votes)
    assert (totals["yes"], totals["no"], totals["abstain"]) == (141, 5, 35)
    assert len(votes) == sum(totals.values()) == votes.iso3.nunique()


def test_every_year_has_roll_calls_except_1964(store):
    years = set(store.frame("SELECT DISTINCT year FROM roll_calls").year)
    missing = set(range(1946, 2026)) - years
    # The nineteenth session (1964-65) held no recorded vote.
    assert missing == {1964}


def test_no_country_votes_twice_on_a_roll_call(store):
    dupes = store.fetchall("""SELECT roll_call_id, iso3, COUNT(*) n FROM votes
                           GROUP BY ALL HAVING n > 1""")
    assert dupes == []


def test_every_vote_is_a_known_country_and_roll_call(store):
    orphans = store.fetchone("""SELECT COUNT(*) FROM votes v
        LEFT JOIN countries c USING (iso3) LEFT JOIN roll_calls r USING (roll_call_id)
        WHERE c.iso3 IS NULL OR r.roll_call_id IS NULL""")[0]
    assert orphans == 0


def _members(store, iso3: str) -> pd.DataFrame:
    return store.frame(
        """SELECT MIN(r.date) first, MAX(r.date) last FROM votes v
        JOIN roll_calls r USING (roll_call_id) WHERE v.iso3 = ?""",
        [iso3],
    )


def test_china_seat_changes_hands_in_october_1971(store):
    twn, chn = _members(store, "TWN"), _members(store, "CHN")
    assert str(twn["last"][0].date()) <= "1971-10-25" <= str(chn["first"][0].date())
    both = store.fetchone("""SELECT COUNT(*) FROM votes a JOIN votes b USING (roll_call_id)
        WHERE a.iso3 = 'TWN' AND b.iso3 = 'CHN'""")[0]
    assert both == 0


def test_germany_and_yemen_by_date(store):
    ddr, ymd = _members(store, "DDR"), _members(store, "YMD")
    assert ddr["first"][0].year == 1973 and ddr["last"][0].year <= 1990
    assert ymd["last"][0].year <= 1990
    for iso3 in ("DEU", "YEM"):
        assert _members(store, iso3)["last"][0].year >= 2025
    overlap = store.fetchone("""SELECT COUNT(*) FROM votes a JOIN votes b USING (roll_call_id)
        JOIN roll_calls r USING (roll_call_id)
        WHERE a.iso3 = 'DDR' AND b.iso3 = 'DEU' AND r.year > 1990""")[0]
    assert overlap == 0


def test_yugoslavia_becomes_serbia(store):
    assert _members(store, "YUG")["last"][0] < pd.Timestamp("2000-11-01")
    assert _members(store, "SRB")["first"][0] >= pd.Timestamp("2000-11-01")


def test_overlap_of_2019_is_reconciled_to_one_roll_call_per_symbol(store):
    late = store.fetchall("""SELECT symbol, COUNT(*) n, list(source) s FROM roll_calls
        WHERE date BETWEEN '2019-11-01' AND '2019-12-31' AND symbol IS NOT NULL
        GROUP BY symbol HAVING n > 1""")
    assert late == []
    report = query.exclusions(store)
    assert "overlap_unxml_unvotes" in set(report.rule)


def test_193_members_answer_each_recent_roll_call(store):
    sizes = store.frame("""SELECT DISTINCT COUNT(*) FROM votes JOIN roll_calls USING
        (roll_call_id) WHERE year BETWEEN 2012 AND 2025 GROUP BY roll_call_id""")
    assert set(sizes.iloc[:, 0]) == {193}


def test_provenance_lists_every_file_with_checksum(store):
    rows = store.frame("SELECT source, file, sha256 FROM provenance")
    assert set(rows.source) == MIRROR_SOURCES
    # one provenance row per IMF DOTS workbook
    assert (rows.source == "imf_dots").sum() == len(imf_dots.SOURCE.files)
    assert rows.sha256.str.fullmatch(r"[0-9a-f]{64}").all()
