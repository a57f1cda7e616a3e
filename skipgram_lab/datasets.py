"""text8: download once, check it, keep it in a cache.

text8 is the first 10**8 bytes of a cleaned English Wikipedia dump (March
2006): lowercase letters a-z and single spaces, about 17 million words on one
line. It is the classic small corpus for word2vec.

>>> from skipgram_lab.datasets import load_text8, text8_sentences
>>> path = load_text8()                      # doctest: +SKIP
>>> next(text8_sentences(path))[:5]          # doctest: +SKIP
['anarchism', 'originated', 'as', 'a', 'term']

Where files go: ``data_home`` if given, else the environment variable
``SKIPGRAM_LAB_DATA``, else ``~/.cache/skipgram_lab``. The archive
``text8.zip`` and the extracted ``text8`` sit side by side there.

- A cache hit (``text8`` already extracted) does not touch the network.
- Downloads go to a temporary file in the cache folder and are renamed onto
  ``text8.zip`` only when complete and checked, so an interrupted download never
  leaves a partial file under the real name. Extraction works the same way.
- Offline? Download ``text8.zip`` on another machine, put it in the cache folder
  (the error message prints the exact path), and call :func:`load_text8` again.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import urllib.error
import urllib.request
import warnings
import zipfile
from pathlib import Path

from ._io import temporary_beside
from .corpus import read_sentences

TEXT8_URL = "https://mattmahoney.net/dc/text8.zip"

#: Size in bytes of text8.zip, as checked by TensorFlow's word2vec tutorial
#: (``maybe_download('text8.zip', 31344016)``) and many projects copied from it.
TEXT8_SIZE = 31_344_016

#: MD5 of text8.zip, as pinned by several public projects' loaders. MD5 is no defence against
#: a forger, but with the size it catches a corrupt, truncated or substituted file.
TEXT8_MD5 = "f26f94c5209bc6159618bad4a559ff81"

#: The size of the extracted text8, 10**8 bytes, only the letters a-z and spaces. A cached extract is
#: checked against both before it is used (a 0-byte or foreign file is extracted again).
TEXT8_TEXT_SIZE = 100_000_000
TEXT8_ALPHABET = b"abcdefghijklmnopqrstuvwxyz "

#: SHA-256 of text8.zip, not pinned yet (no published SHA-256 could be confirmed;
#: GluonNLP publishes SHA-1 digests only). The download is checked against
#: TEXT8_SIZE and TEXT8_MD5 meanwhile. To pin: download once, then run
#: ``python -c "from skipgram_lab.datasets import sha256_file; print(sha256_file('text8.zip'))"``
#: and paste the 64 hex digits here.
TEXT8_SHA256: str | None = None

ENV_VAR = "SKIPGRAM_LAB_DATA"
_CHUNK = 1 << 20


class DownloadError(OSError):
    """The file could not be fetched (offline, refused, interrupted)."""


class ChecksumError(ValueError):
    """A file's size or SHA-256 is not the expected one."""


def get_data_home(data_home=None) -> Path:
    """The cache folder: ``data_home``, else ``$SKIPGRAM_LAB_DATA``, else ``~/.cache/skipgram_lab``.

    The folder is created if needed.
    """
    if data_home is None:
        data_home = os.environ.get(ENV_VAR) or Path.home() / ".cache" / "skipgram_lab"
    path = Path(data_home).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def sha256_file(path) -> str:
    """The SHA-256 of a file, as 64 lowercase hex digits (read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_file(name, size, digest, expected_size, expected_sha256, fix, md5=None, expected_md5=None):
    """Raise ChecksumError if the size or a digest is not the expected one."""
    if expected_md5 is not None and md5 != expected_md5.lower():
        raise ChecksumError(f"{name} has MD5 {md5}, expected {expected_md5}: the file is corrupt "
                            f"or not the expected one; {fix}")
    if expected_sha256 is not None and digest != expected_sha256.lower():
        raise ChecksumError(
            f"{name} has SHA-256 {digest}, expected {expected_sha256}: the file is corrupt "
            f"or not the expected one; {fix}"
        )
    if expected_size is not None and size != expected_size:
        raise ChecksumError(f"{name} has {size} bytes, expected {expected_size}; {fix}")
    if expected_sha256 is None and expected_md5 is None:
        warnings.warn(
            f"no SHA-256 is pinned for {name}; size checked only. Its SHA-256 is {digest}",
            stacklevel=3,
        )


def download(url, path, *, sha256=None, size=None, md5=None, progress=True, timeout=60.0) -> Path:
    """Fetch ``url`` into ``path`` atomically, checking its size and SHA-256.

    The bytes go to a temporary file beside ``path`` and are hashed as they
    arrive; the file is renamed onto ``path`` only if the transfer completed
    and the checks pass. On any failure the temporary file is removed.

    Parameters
    ----------
    url : str
        ``http(s)://`` or ``file://``.
    path : path
        Destination file (its folder must exist).
    sha256 : str or None
        Expected digest (64 hex digits); None checks nothing but ``size`` and warns.
    size : int or None
        Expected size in bytes.
    md5 : str or None
        Expected MD5 (32 hex digits), checked as well when given.
    progress : bool
        Show a tqdm progress bar (on stderr).
    timeout : float
        Seconds to wait for the server.

    Returns
    -------
    Path

    Raises
    ------
    DownloadError
        If the transfer fails or stops early.
    ChecksumError
        If the size or digest is wrong (nothing is left on disk).
    """
    from tqdm.auto import tqdm

    path = Path(path)
    with temporary_beside(path) as tmp:
        digest, md5_digest, n = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response, open(tmp, "wb") as f:
                total = response.headers.get("Content-Length")
                total = int(total) if total and total.isdigit() else None
                with tqdm(total=total, unit="B", unit_scale=True, desc=path.name,
                          disable=not progress) as bar:
                    for block in iter(lambda: response.read(_CHUNK), b""):
                        f.write(block)
                        digest.update(block)
                        md5_digest.update(block)
                        n += len(block)
                        bar.update(len(block))
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as err:
            # HTTPException covers IncompleteRead (the server closed early); ValueError a bad URL.
            reason = getattr(err, "reason", err)
            raise DownloadError(f"could not download {url}: {reason}") from err
        if total is not None and n != total:
            raise DownloadError(f"download of {url} stopped early: {n} of {total} bytes")
        _check_file(f"the download of {url}", n, digest.hexdigest(), size, sha256,
                    "it was deleted (retry, or try another mirror)", md5_digest.hexdigest(), md5)
        os.replace(tmp, path)
    return path


def _extract_member(zip_path: Path, member: str, dest: Path) -> Path:
    """Stream one member of a zip archive to ``dest`` atomically."""
    try:
        with zipfile.ZipFile(zip_path) as z:
            names = [i.filename for i in z.infolist() if not i.is_dir()]
            if member not in names:
                raise ValueError(f"{str(zip_path)!r} holds {names[:5]}, not {member!r}")
            with temporary_beside(dest) as tmp:
                with z.open(member) as src, open(tmp, "wb") as out:
                    for block in iter(lambda: src.read(_CHUNK), b""):
                        out.write(block)
                os.replace(tmp, dest)
    except zipfile.BadZipFile as err:
        raise ValueError(f"{str(zip_path)!r} is not a zip archive ({err}): delete it and retry") from None
    return dest


def md5_file(path) -> str:
    """The MD5 of a file, as 32 lowercase hex digits (read in 1 MiB blocks)."""
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def check_text8_extract(path, text_size=TEXT8_TEXT_SIZE):
    """Raise ChecksumError unless ``path`` has ``text_size`` bytes (None: any) of a-z and spaces."""
    size = Path(path).stat().st_size
    if text_size is not None and size != text_size:
        raise ChecksumError(f"{str(path)!r} has {size:,} bytes, expected {text_size:,}")
    with open(path, "rb") as f:
        for start in range(0, max(size, 1), _CHUNK):
            block = f.read(_CHUNK)
            stray = block.translate(None, TEXT8_ALPHABET)
            if stray:
                at = start + next(i for i, b in enumerate(block) if b not in TEXT8_ALPHABET)
                raise ChecksumError(f"{str(path)!r} holds byte 0x{stray[0]:02x} at byte {at}: "
                                    "text8 has only a-z and spaces")
    return Path(path)


def load_text8(data_home=None, *, url=TEXT8_URL, sha256=TEXT8_SHA256, size=TEXT8_SIZE,
               md5=TEXT8_MD5, text_size=TEXT8_TEXT_SIZE, progress=True, timeout=60.0) -> Path:
    """The path of the extracted text8 file, downloading and unzipping it on first use.

    Steps, each skipped when its result is already in the cache:

    1. ``<data_home>/text8`` exists and is text8 (``text_size`` bytes of a-z
       and spaces, :func:`check_text8_extract`): return it (no network). A
       file that fails the check is removed (with a warning) and extracted again.
    2. ``<data_home>/text8.zip`` exists (downloaded before, or placed there by
       hand): check its size and SHA-256.
    3. Otherwise download ``url`` with :func:`download`.

    then unzip the member ``text8`` atomically.

    Parameters
    ----------
    data_home : path or None
        Cache folder (see :func:`get_data_home`).
    url : str
        Where to download from (tests pass a loopback or ``file://`` URL).
    sha256 : str or None
        Expected SHA-256 of the zip (default :data:`TEXT8_SHA256`).
    size : int or None
        Expected size of the zip in bytes (default :data:`TEXT8_SIZE`).
    md5 : str or None
        Expected MD5 of the zip (default :data:`TEXT8_MD5`).
    text_size : int or None
        Expected size of the extracted file (default :data:`TEXT8_TEXT_SIZE`).
    progress : bool
        Show a progress bar while downloading.
    timeout : float
        Seconds to wait for the server.

    Returns
    -------
    Path
        ``<data_home>/text8``.

    Raises
    ------
    DownloadError
        If the download fails; the message says where to put the file by hand.
    ChecksumError
        If the zip is not the expected file (a downloaded one is deleted; a file
        placed by hand is left for you to inspect).
    """
    home = get_data_home(data_home)
    text_path, zip_path = home / "text8", home / "text8.zip"
    if text_path.is_file():
        try:
            return check_text8_extract(text_path, text_size)
        except ChecksumError as err:
            warnings.warn(f"{err}: extracting it again", stacklevel=2)
            text_path.unlink()
    if zip_path.is_file():
        _check_file(str(zip_path), zip_path.stat().st_size, sha256_file(zip_path), size, sha256,
                    "delete it and call load_text8() again", md5_file(zip_path), md5)
    else:
        try:
            download(url, zip_path, sha256=sha256, size=size, md5=md5, progress=progress,
                     timeout=timeout)
        except DownloadError as err:
            raise DownloadError(
                f"{err}.\nIf this keeps failing (is this machine offline?), download {url} "
                f"elsewhere and place it by hand at\n    {zip_path}\n(or set {ENV_VAR} to a "
                "folder holding text8.zip); load_text8() will check and unzip it."
            ) from err.__cause__
    _extract_member(zip_path, "text8", text_path)
    try:
        return check_text8_extract(text_path, text_size)
    except ChecksumError as err:
        text_path.unlink()
        raise ChecksumError(f"{err}: the archive {str(zip_path)!r} is not text8's; delete it "
                            "and call load_text8() again") from None


def text8_sentences(path=None, *, max_sentence_length=10_000, **load_kwargs):
    """Stream text8 as token lists of ``max_sentence_length`` words.

    Parameters
    ----------
    path : path or None
        The extracted file; None calls ``load_text8(**load_kwargs)``.
    max_sentence_length : int
        text8 is one line; it is cut into pieces this long
        (see :func:`skipgram_lab.corpus.read_sentences`).

    Yields
    ------
    list of str
    """
    if path is None:
        path = load_text8(**load_kwargs)
    return read_sentences(path, max_sentence_length=max_sentence_length)
