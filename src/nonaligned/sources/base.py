"""What every upstream source declares about itself.

A source is a set of files with a canonical download location and a known
checksum, plus the citation and terms that travel with every number derived
from it. The build records all of this in the store's ``provenance`` table.
"""

from __future__ import annotations

from dataclasses import dataclass


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
