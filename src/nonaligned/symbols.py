"""UN document symbols in one spelling, so that a resolution is found by its symbol.

unvotes writes ``R/26/2758`` and ``ESS/1/71A``; the UN writes
``A/RES/2758(XXVI)`` for sessions 1–30 (numbered consecutively, session in
Roman numerals) and ``A/RES/31/6 A`` from session 31 on. Lettered parts
(A, B, ...) follow after a space, as in the UN's own files.
"""

from __future__ import annotations

import re

_UNVOTES = re.compile(
    r"^(?P<kind>R|SS|ESS)/(?P<session>\d+)[/ ](?P<number>\d+)\s*(?P<part>[A-Z]*)$"
)
_NUMERALS = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """Roman numeral for 1–39, the range UN session numbers used it."""
    out = []
    for value, letters in _NUMERALS:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def normalise_symbol(raw: object) -> str | None:
    """The UN spelling of a resolution symbol, or None if ``raw`` is not one."""
    if not isinstance(raw, str):
        return None
    text = " ".join(raw.split())
    if text.startswith("A/RES/"):
        return text
    match = _UNVOTES.match(text)
    if not match:
        return None
    session, number, part = int(match["session"]), match["number"], match["part"]
    suffix = f" {part}" if part else ""
    if match["kind"] == "SS":
        return f"A/RES/S-{session}/{number}{suffix}"
    if match["kind"] == "ESS":
        return f"A/RES/ES-{session}/{number}{suffix}"
    if session <= 30:
        return f"A/RES/{number}({roman(session)}){suffix}"
    return f"A/RES/{session}/{number}{suffix}"
