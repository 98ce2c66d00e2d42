"""UN DGACM machine-readable GA resolutions (JSON lines), November 2019 onward.

Member states appear only by their upper-case UN names, and the extract has
known errors (see the mirror's ``unga/PROVENANCE.md``). Each is detected here
and handled by a written rule, returned as an *anomaly* row so that the build
can store and report it:

``duplicate_record``   the same record twice: keep one.
``doubled_names``      a name listed twice in one list: keep it once.
``empty_lists``        a recorded vote whose name lists are all empty although
                       its counts are not: the roll call is excluded.
``count_mismatch``     list lengths that disagree with the published counts
                       after de-duplication: the lists are kept (they name the
                       states) and the disagreement is reported.
``conflicting_names``  a state in two lists of one vote: its vote is dropped.
``conflicting_duplicate``  one symbol with two different vote records: both kept
                       as separate roll calls and reported.
A count field of ``"N.A."`` is read as an unknown count.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nonaligned.countries import iso3_from_name
from nonaligned.errors import DataError, UnknownCountryError
from nonaligned.sources._read import parser
from nonaligned.sources.base import RemoteFile, Source

_BASE = (
    "https://raw.githubusercontent.com/UNxml/GAresolutions/"
    "42a69b67bb92d23969fc45bba151320b82eb8e52/data_extract/"
)
_FILES = {
    "74": ("70f4e80922ec7542792493a10aa8463c64830cf736ed02144bdf780d4f623b6f", 599166),
    "75": ("b48efdb74739d86249a04999d75e2e67d267fcf6886e60f2987032d7c11f6427", 734423),
    "76": ("1138b54c4b6b10c5c0be134d08c0dea464f9af9247c41c5d922c09f32fcdd4d0", 688377),
    "77": ("fa9ba30c6f2a065417ecb7e26e518865ee31a36001c9c110b0303a84116183cf", 761505),
    "78": ("ab8b9ad03f5e22dcfb40ede88d9fc6edbc8653213e4e044e466f8a6685897848", 725201),
    "79": ("610f8aa502662bcac1e47004d3f155c0f86f3675c7f296afacddf3d10b0dabd8", 858427),
    "80": ("f024775cf6ee4f6db354a1f7cd31c9b74f3e3f0b3381e81e465f17ccbcf09108", 765886),
    "ES-10": ("ca470b45a979de773920b2c91a160940703bc74d303fdff8f20312074633534f", 14126),
    "ES-11": ("14c3982981dcbfb7716f4ab086ca2753383a89827ed448e9cffc8f499ecc1fb8", 26024),
    "S-32": ("64b635e8b09c6037d84f00b3957a822d94772a259aecc882e5c9048420394d25", 1364),
}

SOURCE = Source(
    name="unxml",
    title="UN DGACM machine-readable General Assembly resolutions (UNxml/GAresolutions extract)",
    version="42a69b67 (2026-07-10)",
    files=tuple(
        RemoteFile(
            f"unga/unxml_GAresolutions/data_extract/{key}.json", f"{_BASE}{key}.json", sha, size
        )
        for key, (sha, size) in _FILES.items()
    ),
    citation="United Nations, Department for General Assembly and Conference Management. "
    "General Assembly resolutions, machine-readable (AKN4UN) extracts, sessions 74-80 and "
    "emergency special sessions 10-11, via github.com/UNxml/GAresolutions (2026).",
    bibtex="@misc{un_dgacm_resolutions,\n  author = {{United Nations, Department for General "
    "Assembly and Conference Management}},\n  title = {General Assembly resolutions, "
    "machine-readable extracts},\n  year = {2026},\n  howpublished = "
    "{\\url{https://github.com/UNxml/GAresolutions}}\n}",
    terms="Unofficial copies for informational purposes only, without warranty; acknowledge "
    "the United Nations as the source.",
    coverage="Recorded votes of sessions 74-80 (2019-11 to 2026-06) and ES-10, ES-11",
)

LISTS = {"MS_in_favour": "yes", "MS_against": "no", "MS_abstaining": "abstain"}
COUNTS = {
    "MS_in_favour": "MS_in_favour_count",
    "MS_against": "MS_against_count",
    "MS_abstaining": "MS_abstaining_count",
}
REQUIRED = ("symbol", "adoption_date", "adoption_type", *LISTS)
RECORDED = "By a recorded vote"


@dataclass
class Parsed:
    """Roll calls, their votes (keyed by ``key``) and the anomalies met on the way."""

    roll_calls: list[dict] = field(default_factory=list)
    votes: list[dict] = field(default_factory=list)
    anomalies: list[dict] = field(default_factory=list)
    without_vote: int = 0


def _date(text: str, path: Path, line: int) -> dt.date:
    cleaned = " ".join(text.replace("\u00a0", " ").split())
    for fmt in ("%Y-%m-%d %H:%M:%S", "%d %B %Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise DataError(f"unreadable date {text!r}", path=path, line=line, field="adoption_date")


def _count(value: object, path: Path, line: int, name: str) -> int | None:
    if value in (None, "", "N.A."):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise DataError(f"not a count: {value!r}", path=path, line=line, field=name) from None


def _session(label: str, date: dt.date) -> int:
    """Regular-session number: the file's own, or for ES/S files the session in progress."""
    if label.isdigit():
        return int(label)
    return date.year - 1945 if date.month >= 9 else date.year - 1946


def _anomaly(path: Path, line: int, symbol: str, rule: str, detail: str) -> dict:
    return {
        "source": SOURCE.name,
        "file": path.name,
        "line": line,
        "symbol": symbol,
        "rule": rule,
        "detail": detail,
    }


@parser
def parse_file(path: Path, parsed: Parsed | None = None) -> Parsed:
    """Parse one JSON-lines file into ``parsed`` (a new one if not given)."""
    parsed = parsed or Parsed()
    label = path.stem
    seen: dict[str, str] = {}  # symbol -> canonical JSON of the record's vote content
    with path.open(encoding="utf-8") as handle:
        lines = enumerate(handle, start=1)
        for line_no, text in lines:
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                raise DataError(
                    f"malformed JSON ({exc.msg} at column {exc.colno})", path=path, line=line_no
                ) from exc
            if not isinstance(record, dict):
                raise DataError("a line is not a JSON object", path=path, line=line_no)
            missing = [k for k in REQUIRED if k not in record]
            if missing:
                raise DataError("missing key", path=path, line=line_no, field=missing[0])
            if record["adoption_type"] != RECORDED:
                parsed.without_vote += 1
                continue
            _parse_record(record, path, line_no, label, seen, parsed)
    return parsed


def _parse_record(
    record: dict, path: Path, line: int, label: str, seen: dict[str, str], parsed: Parsed
) -> None:
    symbol = " ".join(str(record["symbol"]).split())
    date = _date(str(record["adoption_date"]), path, line)
    key = f"{path.name}:{line}"
    names: dict[str, list[str]] = {}
    for list_key in LISTS:
        raw = record[list_key] or []
        if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
            raise DataError("expected a list of names", path=path, line=line, field=list_key)
        unique = list(dict.fromkeys(" ".join(n.split()) for n in raw))
        if len(unique) < len(raw):
            parsed.anomalies.append(
                _anomaly(
                    path,
                    line,
                    symbol,
                    "doubled_names",
                    f"{list_key}: {len(raw)} names, {len(unique)} distinct",
                )
            )
        names[list_key] = unique
    counts = {k: _count(record.get(c), path, line, c) for k, c in COUNTS.items()}
    if not any(names.values()):
        if any(counts.values()):
            parsed.anomalies.append(
                _anomaly(
                    path,
                    line,
                    symbol,
                    "empty_lists",
                    f"counts {list(counts.values())} but no names; excluded",
                )
            )
        return
    for list_key, listed in names.items():
        if counts[list_key] is not None and counts[list_key] != len(listed):
            parsed.anomalies.append(
                _anomaly(
                    path,
                    line,
                    symbol,
                    "count_mismatch",
                    f"{list_key}: count {counts[list_key]}, {len(listed)} names; names kept",
                )
            )
    iso3_votes: dict[str, str] = {}
    conflicts: set[str] = set()
    for list_key, listed in names.items():
        for name in listed:
            iso3 = iso3_from_name(name, date)
            if iso3 is None:
                raise UnknownCountryError(
                    f"unknown member-state name {name!r}", path=path, line=line, field=list_key
                )
            if iso3 in iso3_votes:
                conflicts.add(iso3)
            iso3_votes[iso3] = LISTS[list_key]
    for iso3 in sorted(conflicts):
        parsed.anomalies.append(
            _anomaly(
                path,
                line,
                symbol,
                "conflicting_names",
                f"{iso3} listed in two lists; its vote dropped",
            )
        )
        del iso3_votes[iso3]
    # Duplicates are judged on the resolved votes: spellings of a name can differ
    content = json.dumps([str(date), sorted(iso3_votes.items()), sorted(counts.items())])
    if symbol in seen:
        if seen[symbol] == content:
            parsed.anomalies.append(
                _anomaly(
                    path,
                    line,
                    symbol,
                    "duplicate_record",
                    "same votes as an earlier line; kept once",
                )
            )
            return
        parsed.anomalies.append(
            _anomaly(
                path,
                line,
                symbol,
                "conflicting_duplicate",
                "same symbol, different votes; kept as a separate roll call",
            )
        )
    seen[symbol] = content
    parsed.roll_calls.append(
        {
            "key": key,
            "symbol": symbol,
            "session": _session(label, date),
            "session_label": label,
            "date": date,
            "title": record.get("title"),
            "agenda_item": record.get("agenda_item_name"),
            "yes_count": counts["MS_in_favour"],
            "no_count": counts["MS_against"],
            "abstain_count": counts["MS_abstaining"],
            "file": path.name,
            "line": line,
        }
    )
    parsed.votes.extend(
        {"key": key, "iso3": iso3, "vote": vote} for iso3, vote in iso3_votes.items()
    )


def parse(paths: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """Roll calls, votes, anomalies and the number of resolutions adopted without a vote."""
    parsed = Parsed()
    for path in sorted(paths, key=lambda p: p.name):
        parse_file(path, parsed)
    anomalies = pd.DataFrame(
        parsed.anomalies, columns=["source", "file", "line", "symbol", "rule", "detail"]
    )
    return (
        pd.DataFrame(parsed.roll_calls),
        pd.DataFrame(parsed.votes),
        anomalies,
        parsed.without_vote,
    )
