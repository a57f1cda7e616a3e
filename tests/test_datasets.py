"""text8 download: offline tests against a loopback HTTP server and file:// URLs.

No test reaches the internet. The fixture zip has its own SHA-256, computed here.
"""

import hashlib
import http.server
import io
import socket
import threading
import zipfile

import pytest

from skipgram_lab import datasets
from skipgram_lab.datasets import (
    ChecksumError, DownloadError, download, get_data_home, load_text8, sha256_file,
    text8_sentences,
)

TEXT = b"anarchism originated as a term of abuse first used against early working class"


def make_zip(member="text8", data=TEXT):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member, data)
    return buf.getvalue()


ZIP = make_zip()
ZIP_SHA256 = hashlib.sha256(ZIP).hexdigest()
CUSTOM = dict(md5=None, text_size=len(TEXT))  # the test archive is not the real text8


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    # A proxy in the environment must not intercept requests to 127.0.0.1.
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)


@pytest.fixture
def server():
    """A loopback HTTP server: ``/text8.zip`` (good), ``/cut.zip`` (stops half-way)."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = ZIP
            if self.path == "/missing.zip":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.path == "/cut.zip":
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)  # drop the connection mid-file
                return
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield base, hits
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_download_then_cache_hit_does_not_touch_the_network(server, tmp_path):
    base, hits = server
    path = load_text8(tmp_path, **CUSTOM, url=f"{base}/text8.zip", sha256=ZIP_SHA256, size=len(ZIP),
                      progress=False)
    assert path == tmp_path / "text8" and path.read_bytes() == TEXT
    assert listing(tmp_path) == ["text8", "text8.zip"]  # no temporary files left
    assert sha256_file(tmp_path / "text8.zip") == ZIP_SHA256
    assert len(hits) == 1
    again = load_text8(tmp_path, **CUSTOM, url=f"{base}/text8.zip", sha256=ZIP_SHA256, progress=False)
    assert again == path and len(hits) == 1


def test_sentences_reader(server, tmp_path):
    base, _ = server
    path = load_text8(tmp_path, **CUSTOM, url=f"{base}/text8.zip", sha256=ZIP_SHA256, size=None,
                      progress=False)
    sentences = list(text8_sentences(path, max_sentence_length=5))
    assert sentences[0] == ["anarchism", "originated", "as", "a", "term"]
    assert sum(map(len, sentences)) == len(TEXT.split())


def test_checksum_failure_leaves_nothing(server, tmp_path):
    base, _ = server
    with pytest.raises(ChecksumError, match="SHA-256 .* expected 0{64}.*deleted"):
        load_text8(tmp_path, **CUSTOM, url=f"{base}/text8.zip", sha256="0" * 64, progress=False)
    assert listing(tmp_path) == []


def test_size_failure_leaves_nothing(server, tmp_path):
    base, _ = server
    with pytest.raises(ChecksumError, match=f"{len(ZIP)} bytes, expected 3"):
        download(f"{base}/text8.zip", tmp_path / "x.zip", sha256=ZIP_SHA256, size=3,
                 progress=False)
    assert listing(tmp_path) == []


def test_interrupted_download_leaves_no_partial_file(server, tmp_path):
    base, _ = server
    with pytest.raises(DownloadError, match="place it by hand"):
        load_text8(tmp_path, **CUSTOM, url=f"{base}/cut.zip", sha256=ZIP_SHA256, progress=False)
    assert listing(tmp_path) == []


def test_ctrl_c_during_download_leaves_no_partial_file(tmp_path, monkeypatch):
    import tqdm.auto

    def interrupt(self, n=1):
        raise KeyboardInterrupt

    source = tmp_path / "s.zip"
    source.write_bytes(ZIP)
    home = tmp_path / "home"
    monkeypatch.setattr(tqdm.auto.tqdm, "update", interrupt)
    with pytest.raises(KeyboardInterrupt):
        load_text8(home, **CUSTOM, url=source.as_uri(), sha256=ZIP_SHA256, progress=False)
    assert listing(home) == []


def test_offline_error_says_where_to_put_the_file(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/text8.zip"
    with pytest.raises(DownloadError) as info:
        load_text8(tmp_path, **CUSTOM, url=url, sha256=ZIP_SHA256, progress=False, timeout=5)
    message = str(info.value)
    assert "place it by hand" in message and str(tmp_path / "text8.zip") in message
    assert "refused" in message.lower()
    assert listing(tmp_path) == []


def test_http_error_is_a_download_error(server, tmp_path):
    base, _ = server
    with pytest.raises(DownloadError, match="Not Found"):
        load_text8(tmp_path, **CUSTOM, url=f"{base}/missing.zip", sha256=ZIP_SHA256, progress=False)


def test_file_url_and_file_placed_by_hand(tmp_path):
    source = tmp_path / "elsewhere.zip"
    source.write_bytes(ZIP)
    home = tmp_path / "home"
    path = load_text8(home, **CUSTOM, url=source.as_uri(), sha256=ZIP_SHA256, size=None, progress=False)
    assert path.read_bytes() == TEXT
    # By hand: only text8.zip is there, and the URL is unreachable.
    by_hand = tmp_path / "by_hand"
    by_hand.mkdir()
    (by_hand / "text8.zip").write_bytes(ZIP)
    url = f"http://127.0.0.1:{closed_port()}/text8.zip"
    assert load_text8(by_hand, **CUSTOM, url=url, sha256=ZIP_SHA256, size=None).read_bytes() == TEXT


def test_wrong_file_placed_by_hand_is_kept_and_explained(tmp_path):
    (tmp_path / "text8.zip").write_bytes(b"not a zip")
    with pytest.raises(ChecksumError, match="delete it"):
        load_text8(tmp_path, **CUSTOM, sha256=ZIP_SHA256)
    assert listing(tmp_path) == ["text8.zip"]


def test_zip_without_text8_member(tmp_path):
    other = make_zip(member="other.txt")
    (tmp_path / "text8.zip").write_bytes(other)
    sha = hashlib.sha256(other).hexdigest()
    with pytest.raises(ValueError, match="not 'text8'"):
        load_text8(tmp_path, **CUSTOM, sha256=sha, size=None)
    assert listing(tmp_path) == ["text8.zip"]


def test_unpinned_digest_warns_with_the_computed_one(tmp_path):
    source = tmp_path / "s.zip"
    source.write_bytes(ZIP)
    with pytest.warns(UserWarning, match=ZIP_SHA256):
        download(source.as_uri(), tmp_path / "d.zip", sha256=None, size=len(ZIP), progress=False)


def test_data_home_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert get_data_home() == tmp_path / "user" / ".cache" / "skipgram_lab"
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "env"))
    assert get_data_home() == tmp_path / "env"
    assert get_data_home(tmp_path / "arg") == tmp_path / "arg"
    assert (tmp_path / "arg").is_dir()


def test_pinned_constants_are_well_formed():
    assert datasets.TEXT8_URL.endswith("/text8.zip") and datasets.TEXT8_SIZE == 31_344_016
    sha = datasets.TEXT8_SHA256
    assert sha is None or (len(sha) == 64 and int(sha, 16) >= 0)


def test_pinned_md5_and_https():
    assert datasets.TEXT8_URL.startswith("https://")
    assert datasets.TEXT8_MD5 == "f26f94c5209bc6159618bad4a559ff81"


def test_md5_mismatch_is_refused(tmp_path):
    (tmp_path / "text8.zip").write_bytes(ZIP)
    with pytest.raises(ChecksumError, match="MD5"):
        load_text8(tmp_path, sha256=ZIP_SHA256, size=None, md5="0" * 32, text_size=len(TEXT))


@pytest.mark.parametrize("cached", [b"", b"anarchism 1984 <html>", TEXT[:-1] + b"X"])
def test_a_bad_cached_extract_is_extracted_again(tmp_path, cached):
    (tmp_path / "text8.zip").write_bytes(ZIP)
    (tmp_path / "text8").write_bytes(cached)
    with pytest.warns(UserWarning, match="extracting it again"):
        path = load_text8(tmp_path, **CUSTOM, sha256=ZIP_SHA256, size=None)
    assert path.read_bytes() == TEXT


def test_an_archive_whose_text_is_not_text8_is_refused(tmp_path):
    other = make_zip(data=b"Hello, World!\n")
    (tmp_path / "text8.zip").write_bytes(other)
    with pytest.raises(ChecksumError, match="only a-z and spaces"):
        load_text8(tmp_path, md5=None, text_size=None, sha256=hashlib.sha256(other).hexdigest(),
                   size=None)
    assert listing(tmp_path) == ["text8.zip"]
