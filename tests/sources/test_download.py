"""The download path, for real, against an HTTP server on loopback serving the mirror's files.

Nothing here mocks httpx or the acquisition code: a stdlib ``http.server`` in a
thread serves bytes copied from the data mirror, well or badly (a 404, a body
cut short of its promised Content-Length, a genuinely shorter file), and the
tests check what lands in the cache: the verified file, or nothing at all.
"""

from __future__ import annotations

import dataclasses
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nonaligned.errors import AcquisitionError
from nonaligned.sources import unvotes
from nonaligned.sources.acquire import acquire, sha256_of
from nonaligned.sources.base import RemoteFile

REMOTE = unvotes.SOURCE.files[2]  # un_roll_call_issues.rda, 8.5 kB
UNUSED_PORT_URL = "http://127.0.0.1:9/never-contacted"  # discard port: nothing listens


@pytest.fixture(scope="module")
def payload(mirror: Path) -> bytes:
    path = mirror / REMOTE.relpath
    if not path.is_file():
        pytest.fail(f"the data mirror is missing {path}; set NONALIGNED_MIRROR")
    data = path.read_bytes()
    assert len(data) == REMOTE.size and sha256_of(path) == REMOTE.sha256
    return data


class _Server:
    """A loopback server whose first path segment picks how it misbehaves.

    ``/good/NAME`` the whole file; ``/promise-all/N/NAME`` a Content-Length of
    the whole file but only N bytes, then the connection closes;
    ``/short/N/NAME`` a complete, honest response of the first N bytes;
    anything else a 404.
    """

    def __init__(self, body: bytes) -> None:
        self.body, self.requests = body, []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                mode, *rest = self.path.strip("/").split("/")
                if mode == "good":
                    self._send(server.body, len(server.body))
                elif mode == "promise-all":
                    self._send(server.body[: int(rest[0])], len(server.body))
                elif mode == "short":
                    cut = server.body[: int(rest[0])]
                    self._send(cut, len(cut))
                else:
                    self.send_error(404, "Not Found")

            def _send(self, data: bytes, length: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(length))
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
                self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def remote(self, route: str, **changes: object) -> RemoteFile:
        name = REMOTE.relpath.rsplit("/", 1)[1]
        return dataclasses.replace(REMOTE, url=f"{self.base}/{route}/{name}", **changes)


@pytest.fixture(scope="module")
def server(payload: bytes) -> Iterator[_Server]:
    srv = _Server(payload)
    thread = threading.Thread(target=srv.httpd.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours proxy variables; loopback must be reached directly."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


def _files(folder: Path) -> list[Path]:
    """Every file below ``folder``, hidden ones (``.part`` leftovers) included."""
    return sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def test_good_download_is_verified_and_lands_in_the_cache(server: _Server, tmp_path: Path):
    seen: list[tuple[int, int]] = []
    path = acquire(
        server.remote("good"), cache_dir=tmp_path, offline=False, progress=lambda *a: seen.append(a)
    )
    assert path == tmp_path / REMOTE.relpath
    assert path.read_bytes() == server.body
    assert sha256_of(path) == REMOTE.sha256
    assert _files(tmp_path) == [path]
    assert seen and seen[-1] == (REMOTE.size, REMOTE.size)


def test_second_acquire_uses_the_cache_without_any_server(server: _Server, tmp_path: Path):
    first = acquire(server.remote("good"), cache_dir=tmp_path)
    requests = len(server.requests)
    offline_remote = dataclasses.replace(REMOTE, url=UNUSED_PORT_URL)
    assert acquire(offline_remote, cache_dir=tmp_path, offline=False) == first
    assert acquire(offline_remote, cache_dir=tmp_path, offline=True) == first
    assert len(server.requests) == requests


def test_wrong_checksum_is_refused_and_nothing_is_cached(server: _Server, tmp_path: Path):
    wrong = server.remote("good", sha256="0" * 64)
    with pytest.raises(AcquisitionError) as info:
        acquire(wrong, cache_dir=tmp_path)
    message = str(info.value)
    assert "checksum mismatch" in message
    assert REMOTE.relpath in message and wrong.url in message
    assert REMOTE.sha256 in message  # what was actually received
    assert _files(tmp_path) == []


def test_transfer_cut_short_of_its_content_length_leaves_nothing(server: _Server, tmp_path):
    with pytest.raises(AcquisitionError) as info:
        acquire(server.remote(f"promise-all/{REMOTE.size // 2}"), cache_dir=tmp_path)
    assert REMOTE.relpath in str(info.value)
    assert _files(tmp_path) == []


def test_genuinely_shorter_file_is_refused_as_truncated(server: _Server, tmp_path: Path):
    with pytest.raises(AcquisitionError) as info:
        acquire(server.remote(f"short/{REMOTE.size // 2}"), cache_dir=tmp_path)
    message = str(info.value)
    assert "truncated" in message and REMOTE.relpath in message
    assert f"{REMOTE.size // 2} bytes, expected {REMOTE.size}" in message
    assert _files(tmp_path) == []


@settings(max_examples=25, deadline=None)
@given(cut=st.integers(min_value=0, max_value=REMOTE.size - 1), honest=st.booleans())
def test_any_truncation_point_is_an_error_and_leaves_nothing(server: _Server, cut, honest):
    route = f"short/{cut}" if honest else f"promise-all/{cut}"
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        with pytest.raises(AcquisitionError, match=REMOTE.relpath):
            acquire(server.remote(route), cache_dir=cache)
        assert _files(cache) == []


def test_http_404_is_a_clear_error_and_leaves_nothing(server: _Server, tmp_path: Path):
    with pytest.raises(AcquisitionError) as info:
        acquire(server.remote("no-such-route"), cache_dir=tmp_path)
    message = str(info.value)
    assert "404" in message and REMOTE.relpath in message and server.base in message
    assert _files(tmp_path) == []


def test_offline_with_nothing_local_names_the_file_and_where_to_get_it(tmp_path: Path):
    mirror, cache = tmp_path / "mirror", tmp_path / "cache"
    mirror.mkdir()
    with pytest.raises(AcquisitionError) as info:
        acquire(REMOTE, mirror=mirror, cache_dir=cache, offline=True)
    message = str(info.value)
    assert REMOTE.relpath in message and REMOTE.url in message
    assert not cache.exists() or _files(cache) == []


def test_a_mirror_only_file_missing_says_so_and_never_downloads(tmp_path: Path):
    # the memberships tables are compiled for the project: they have no download address
    from nonaligned.sources import memberships

    for remote in memberships.SOURCE.files:
        assert remote.url == ""
        with pytest.raises(AcquisitionError, match="with the data mirror only") as info:
            acquire(remote, mirror=tmp_path / "empty", cache_dir=tmp_path / "cache")
        assert remote.relpath in str(info.value)
    assert not (tmp_path / "cache").exists()


def test_mirror_file_with_wrong_bytes_is_a_checksum_mismatch(payload: bytes, tmp_path: Path):
    mirror, cache = tmp_path / "mirror", tmp_path / "cache"
    bad = mirror / REMOTE.relpath
    bad.parent.mkdir(parents=True)
    corrupted = bytearray(payload)
    corrupted[len(corrupted) // 2] ^= 0xFF
    bad.write_bytes(bytes(corrupted))
    with pytest.raises(AcquisitionError) as info:
        acquire(REMOTE, mirror=mirror, cache_dir=cache, offline=True)
    message = str(info.value)
    assert "checksum mismatch" in message
    assert str(bad) in message and REMOTE.relpath in message
    assert not cache.exists() or _files(cache) == []


def test_mirror_is_preferred_over_cache_and_download(payload: bytes, tmp_path: Path):
    mirror, cache = tmp_path / "mirror", tmp_path / "cache"
    good = mirror / REMOTE.relpath
    good.parent.mkdir(parents=True)
    good.write_bytes(payload)
    remote = dataclasses.replace(REMOTE, url=UNUSED_PORT_URL)
    assert acquire(remote, mirror=mirror, cache_dir=cache) == good
    assert not cache.exists()
