"""Foreign trips of US Presidents and Secretaries of State, 1906 to February 2025.

The Office of the Historian (US Department of State) records every foreign
trip of the President and of the Secretary of State: one XML file per
traveller, one ``<trip>`` per country visited, with dates, the places
(``locale``) and whom they met (``remarks``). It is the only record of
high-level engagement in the mirror, and it is one-sided: no open record of
Chinese or Russian leaders' trips exists beside it, so it is shown as US
engagement and does not enter the index (docs/engagement.md).

Rules, each applied openly:

* **Countries.** A trip's country is the Office's slug (``angola``,
  ``korea-south``, ``soviet-union``...), read as a name by the countries
  module (:func:`nonaligned.countries.iso3_from_name`), which also knows the
  historical states (``czechoslovakia`` is CSK, ``german-democratic-republic``
  DDR, ``yugoslavia`` YUG; ``russia``, also printed "U.S.S.R.", is RUS as
  everywhere in the project). The slug names the place visited, not a UN
  seat, so no dated seat rule applies.
* **Exclusions.** A slug the countries module cannot map, and a place that
  is not a state (:data:`NOT_STATES`: Antarctica), is excluded: one row per
  trip in the store's ``exclusions`` table (file, line, rule, slug), counted
  in the log. Nothing is dropped silently.
* **Errors.** Malformed XML, a trip without an id, role, date or country, a
  role the Office's code table does not list, a date that is not a date, an
  end before the start and a trip id seen twice are errors naming the file,
  line and field.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path
from xml.parsers import expat

import pandas as pd

from nonaligned.countries import iso3_from_name
from nonaligned.errors import DataError
from nonaligned.sources._read import parser
from nonaligned.sources.base import Source, listed_files

__all__ = ["COLUMNS", "NOT_STATES", "SOURCE", "parse"]

log = logging.getLogger(__name__)

DIRECTORY = "engagement/us_travels"
COMMIT = "3170c773f22c99dadc8ec93da070f8ff6259d6d8"
RAW_URL = f"https://raw.githubusercontent.com/HistoryAtState/travels/{COMMIT}"
ROLE_TABLE = "code-tables/travel-role-codes.xml"

SOURCE = Source(
    name="us_travels",
    title="Office of the Historian: travels of the President and the Secretary of State",
    version=f"HistoryAtState/travels@{COMMIT[:7]} (2026-07-18; trips to 2025-02-19)",
    files=listed_files("us_travels_files.csv", DIRECTORY, RAW_URL),
    citation="Office of the Historian, US Department of State. Travels of the President and "
    "Travels of the Secretary of State, https://history.state.gov/departmenthistory/travels "
    f"(data: github.com/HistoryAtState/travels, commit {COMMIT[:7]}).",
    bibtex="@misc{history_state_travels,\n  author = {{Office of the Historian, "
    "U.S. Department of State}},\n  title = {Travels of the President and Travels of the "
    "Secretary of State},\n  howpublished = {\\url{https://history.state.gov/departmenthistory/"
    f"travels}}}},\n  note = {{Data: HistoryAtState/travels, commit {COMMIT[:7]}}}\n}}",
    terms="A work of the US government: public domain in the United States, and dedicated "
    "worldwide under CC0 1.0.",
    coverage="4,271 trips abroad of US Presidents (1906-) and Secretaries of State (1866-), "
    "to 2025-02-19, one row per country visited; US engagement only (one-sided)",
)

# Places the countries module maps that are not states a visit engages with.
NOT_STATES: dict[str, str] = {
    "ATA": "Antarctica is governed by no state (Antarctic Treaty area)",
}

TRIP_FIELDS = ("id", "role", "name", "start-date", "end-date", "country", "locale", "remarks")
REQUIRED = ("id", "role", "name", "start-date", "end-date", "country")
COLUMNS = [
    "trip_id",
    "role",
    "traveller",
    "traveller_id",
    "start_date",
    "end_date",
    "year",
    "iso3",
    "country_slug",
    "country_name",
    "locale",
    "remarks",
]
EXCLUSION_COLUMNS = ["source", "file", "line", "symbol", "rule", "detail"]


class _Records:
    """Every ``record`` element of an XML file: its attributes, its fields' text and lines.

    Read with expat, which knows line numbers, so that every error can name
    the line. A record may sit at any depth under ``root``; its fields are
    its direct children named in ``fields``. Text is whitespace-collapsed
    (the files wrap remarks over lines); an empty element is None. Each
    record is a dict with ``line``, ``attrs``, ``text`` and ``lines`` (field
    -> text, field -> line) and ``field_attrs`` (field -> attributes).
    """

    def __init__(self, path: Path, root: str, record: str, fields: Sequence[str]) -> None:
        self.path, self.root, self.record, self.fields = path, root, record, fields
        self.found: list[dict] = []
        self.depth = 0
        self.current: dict | None = None
        self.record_depth = 0
        self.field: str | None = None
        self.buffer: list[str] = []
        self.reader = expat.ParserCreate()
        self.reader.StartElementHandler = self._start
        self.reader.EndElementHandler = self._end
        self.reader.CharacterDataHandler = self._text

    def read(self) -> list[dict]:
        try:
            self.reader.Parse(self.path.read_bytes(), True)
        except expat.ExpatError as exc:
            reason = expat.errors.messages[exc.code]
            raise DataError(f"malformed XML ({reason})", path=self.path, line=exc.lineno) from exc
        return self.found

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        line = self.reader.CurrentLineNumber
        if self.depth == 1 and tag != self.root:
            raise DataError(
                f"root element is <{tag}>, expected <{self.root}>", path=self.path, line=line
            )
        if self.current is None and tag == self.record:
            self.current = {"line": line, "attrs": attrs, "text": {}, "lines": {}}
            self.current["field_attrs"] = {}
            self.record_depth = self.depth
        elif (
            self.current is not None and self.depth == self.record_depth + 1 and tag in self.fields
        ):
            self.field, self.buffer = tag, []
            self.current["lines"][tag] = line
            self.current["field_attrs"][tag] = attrs

    def _end(self, tag: str) -> None:
        if self.current is not None and tag == self.field:
            self.current["text"][tag] = " ".join("".join(self.buffer).split()) or None
            self.field = None
        elif self.current is not None and self.depth == self.record_depth:
            self.found.append(self.current)
            self.current = None
        self.depth -= 1

    def _text(self, data: str) -> None:
        if self.field is not None:
            self.buffer.append(data)


def roles(path: Path) -> frozenset[str]:
    """The role codes the Office's code table defines (``president``, ``secretary``)."""
    items = _Records(path, "code-table", "item", ("value",)).read()
    values = frozenset(item["text"].get("value") for item in items) - {None}
    if not values:
        raise DataError("no role codes found", path=path, field="value")
    return values


def _date(trip: dict, field: str, path: Path) -> dt.date:
    value = trip["text"][field]
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DataError(
            f"not a date (YYYY-MM-DD): {value!r}", path=path, line=trip["lines"][field], field=field
        ) from None


def _row(trip: dict, path: Path, known_roles: frozenset[str]) -> dict:
    """One checked trip as a row of the table, before country mapping."""
    for field in REQUIRED:
        if trip["text"].get(field) is None:
            line = trip["lines"].get(field, trip["line"])
            raise DataError("missing or empty", path=path, line=line, field=field)
    text, lines = trip["text"], trip["lines"]
    if not text["id"].isdigit():
        raise DataError(f"not a trip id: {text['id']!r}", path=path, line=lines["id"], field="id")
    if text["role"] not in known_roles:
        raise DataError(
            f"unknown role {text['role']!r} (not in the code table)",
            path=path,
            line=lines["role"],
            field="role",
        )
    slug = (trip["field_attrs"]["country"].get("id") or "").strip()
    if not slug:
        raise DataError(
            "country without its id attribute", path=path, line=lines["country"], field="country"
        )
    start, end = _date(trip, "start-date", path), _date(trip, "end-date", path)
    if end < start:
        raise DataError(
            f"ends ({end}) before it starts ({start})",
            path=path,
            line=lines["end-date"],
            field="end-date",
        )
    return {
        "trip_id": int(text["id"]),
        "role": text["role"],
        "traveller": text["name"],
        "traveller_id": trip["attrs"].get("who"),
        "start_date": start,
        "end_date": end,
        "year": start.year,
        "country_slug": slug,
        "country_name": text["country"],
        "locale": text.get("locale"),
        "remarks": text.get("remarks"),
        "file": f"{path.parent.name}/{path.name}",
        "line": trip["line"],
    }


def _exclusion(row: dict, rule: str, detail: str) -> dict:
    return {
        "source": SOURCE.name,
        "file": row["file"],
        "line": row["line"],
        "symbol": None,
        "rule": rule,
        "detail": f"trip {row['trip_id']} ({row['start_date']}, {row['traveller']}) to "
        f"{row['country_slug']!r} ({row['country_name']}): {detail}",
    }


@parser
def parse(trip_files: Sequence[Path], role_table: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every trip mapped to ISO3, and the trips excluded (unmapped slugs, places not states).

    ``trip_files`` are the ``president-travels`` and ``secretary-travels``
    XML files, ``role_table`` the Office's role code table. Returns the trips
    (:data:`COLUMNS`; ``start_date``/``end_date`` dates, ``year`` the start's;
    unique on ``trip_id``; sorted by start date) and the exclusions, one row
    per trip, in the layout of the store's ``exclusions`` table.
    """
    known_roles = roles(role_table)
    rows: list[dict] = []
    first_seen: dict[int, str] = {}
    for path in trip_files:
        for trip in _Records(path, "trips", "trip", TRIP_FIELDS).read():
            row = _row(trip, path, known_roles)
            if row["trip_id"] in first_seen:
                raise DataError(
                    f"trip id {row['trip_id']} repeated (first in {first_seen[row['trip_id']]})",
                    path=path,
                    line=trip["lines"]["id"],
                    field="id",
                )
            first_seen[row["trip_id"]] = row["file"]
            rows.append(row)
    slugs = {row["country_slug"] for row in rows}
    iso3 = {slug: iso3_from_name(slug.replace("-", " ")) for slug in slugs}
    kept, excluded = [], []
    for row in rows:
        code = iso3[row["country_slug"]]
        if code is None:
            excluded.append(_exclusion(row, "us_travels_unmapped_country", "no such country"))
        elif code in NOT_STATES:
            excluded.append(_exclusion(row, "us_travels_not_a_state", NOT_STATES[code]))
        else:
            kept.append({**row, "iso3": code})
    if excluded:
        dropped = sorted(slug for slug, code in iso3.items() if code is None or code in NOT_STATES)
        log.info(
            "US travels: %d of %d trips excluded (%s); see `nonaligned coverage --exclusions`",
            len(excluded),
            len(rows),
            ", ".join(dropped),
        )
    trips = pd.DataFrame(kept, columns=COLUMNS).astype({"trip_id": "int64", "year": "int64"})
    for column in ("start_date", "end_date"):
        trips[column] = pd.to_datetime(trips[column])
    trips = trips.sort_values(["start_date", "trip_id"], ignore_index=True)
    return trips, pd.DataFrame(excluded, columns=EXCLUSION_COLUMNS)
