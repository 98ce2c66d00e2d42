"""What every upstream source declares about itself.

A source is a set of files with a canonical download location and a known
checksum, plus the citation and terms that travel with every number derived
from it. The build records all of this in the store's ``provenance`` table.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class RemoteFile:
    """One upstream file: where it lives in a mirror and where to download it."""

    relpath: str  # path below the mirror root, e.g. "unga/unvotes/un_votes.rda"
    url: str  # canonical download location
    sha256: str  # of the known version
    size: int  # bytes of the known version


@dataclass(frozen=True)
class Source:
    """An upstream source: its files, version, citation and terms of use."""

    name: str
    title: str
    version: str
    files: tuple[RemoteFile, ...]
    citation: str
    bibtex: str
    terms: str
    coverage: str

    def file(self, relpath_suffix: str) -> RemoteFile:
        """The file whose mirror path ends with ``relpath_suffix``."""
        matches = [f for f in self.files if f.relpath.endswith(relpath_suffix)]
        if len(matches) != 1:
            raise KeyError(f"{self.name}: no single file ending in {relpath_suffix!r}")
        return matches[0]


def listed_files(listing: str, directory: str, url: str) -> tuple[RemoteFile, ...]:
    """The files named in a package-data listing (``filename, sha256, size``).

    For sources of many files (a workbook per reporter, an XML file per
    traveller), whose checksums are kept in a CSV beside the module rather
    than spelled out in it. ``filename`` is relative to ``directory`` in the
    mirror and to ``url`` upstream.
    """
    table = resources.files("nonaligned.sources").joinpath(listing)
    with table.open("r", encoding="utf-8") as handle:
        return tuple(
            RemoteFile(
                relpath=f"{directory}/{row['filename']}",
                url=f"{url}/{row['filename']}",
                sha256=row["sha256"],
                size=int(row["size"]),
            )
            for row in csv.DictReader(handle)
        )
