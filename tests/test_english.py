"""Real English text: the fetch logic on small archives made here (file:// URLs, no network),
the readers, the errors; then the real files that `make setup` fetched, against their pins."""

import dataclasses
import hashlib
import io
import json
import os
import tarfile

import pytest

from skipgram_lab import datasets, english
from skipgram_lab.datasets import ChecksumError, sha256_file
from skipgram_lab.english import (
    Archive, Made, email_text, english_sentences, english_text_path, fetch, sentences_of,
)

MAIL = ("From: someone@example.org\nReceived: from relay by host\nSubject: Lunch today\n\n"
        "<p>Shall we meet at noon?</p> The cafe is open.\n"
        "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9w\n")
MEMBERS = {
    "package/data/b.txt": "It rained. The river rose!\n\nA new paragraph",
    "package/data/a.txt": "Call me Ishmael. Some years ago",
    "package/data/mail/1.txt": MAIL,
    "package/data/verses.jsonl": json.dumps({"text": "In the beginning."}) + "\n"
    + json.dumps({"text": "And God said"}) + "\n",
}
# What the readers must make of them, written out by hand (members in name order).
PLAIN = b"call me ishmael\nsome years ago\nit rained\nthe river rose\na new paragraph\n"
EMAIL = b"lunch today\nshall we meet at noon\nthe cafe is open\n"
JSONL = b"in the beginning\nand god said\n"


def tarball(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def pin(data):
    return len(data), hashlib.sha256(data).hexdigest()


@pytest.fixture
def registry(tmp_path, monkeypatch):
    """A tarball on disk, its Archive (file:// URL) and three Made files with hand-written pins."""
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)
    data = tarball(MEMBERS)
    path = tmp_path / "pkg.tgz"
    path.write_bytes(data)
    archives = {"pkg": Archive(path.as_uri(), *pin(data), "a test tarball", "none")}
    files = {
        "plain": Made("plain.txt", "pkg", "package/data/?.txt", *pin(PLAIN)),
        "email": Made("email.txt", "pkg", "package/data/mail/*.txt", *pin(EMAIL), "email"),
        "jsonl": Made("jsonl.txt", "pkg", "package/data/verses.jsonl", *pin(JSONL), "jsonl"),
        "copy": Made("copy.txt", "pkg", "package/data/a.txt",
                     *pin(MEMBERS["package/data/a.txt"].encode()), "copy"),
    }
    return dict(home=tmp_path / "home", archives=archives, files=files, tarball=path,
                combined={"both": ("plain", "jsonl")})


def run(registry, names=None, **kwargs):
    return fetch(names, registry["home"], files=registry["files"], archives=registry["archives"],
                 combined=registry["combined"], progress=False, log=lambda *a: None, **kwargs)


def test_sentences_of_splits_paragraphs_and_sentences():
    text = "He said \"Stop.\" Then left.\nAt 3.5 p.m. it ended?\n\nNew one. e.g. not a split"
    assert sentences_of(text) == [["he", "said", "stop"], ["then", "left"],
                                  ["at", "p", "m", "it", "ended"], ["new", "one", "e", "g", "not",
                                                                   "a", "split"]]


def test_email_text_keeps_subject_and_body_prose_only():
    # Headers go but the subject; tags become spaces; the base64 line goes.
    assert email_text(MAIL) == " Lunch today\n\n Shall we meet at noon?  The cafe is open."


def test_fetch_makes_every_file_exactly(registry):
    made = run(registry)
    assert made == ["plain", "email", "jsonl", "copy", "both"]
    folder = registry["home"] / "english"
    assert (folder / "plain.txt").read_bytes() == PLAIN
    assert (folder / "email.txt").read_bytes() == EMAIL
    assert (folder / "jsonl.txt").read_bytes() == JSONL
    assert (folder / "copy.txt").read_bytes() == MEMBERS["package/data/a.txt"].encode()
    assert (folder / "both.txt").read_bytes() == PLAIN + JSONL
    assert oct((folder / "plain.txt").stat().st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in folder.iterdir()) == sorted(  # no archive or temporary left
        ["plain.txt", "email.txt", "jsonl.txt", "copy.txt", "both.txt"])


def test_second_fetch_needs_no_network(registry):
    run(registry)
    registry["tarball"].unlink()  # a download would now fail
    assert run(registry) == []


def test_fetch_only_what_is_asked(registry):
    assert run(registry, "jsonl") == ["jsonl"]
    assert [p.name for p in (registry["home"] / "english").iterdir()] == ["jsonl.txt"]
    assert run(registry, ["both"]) == ["plain", "both"]


def test_archive_with_wrong_digest_writes_nothing(registry):
    archive = registry["archives"]["pkg"]
    registry["archives"]["pkg"] = dataclasses.replace(archive, sha256="0" * 64)
    with pytest.raises(ChecksumError, match="SHA-256"):
        run(registry)
    assert list((registry["home"] / "english").iterdir()) == []


def test_made_file_with_wrong_digest_is_not_written(registry):
    made = registry["files"]["plain"]
    registry["files"]["plain"] = dataclasses.replace(made, sha256="f" * 64)
    with pytest.raises(ChecksumError, match=f"plain.txt made from 'pkg' has {len(PLAIN)} bytes"):
        run(registry, ["plain"])
    assert list((registry["home"] / "english").iterdir()) == []


def test_unknown_name_is_a_value_error(registry):
    with pytest.raises(ValueError, match="unknown file 'nope'"):
        run(registry, ["nope"])
    with pytest.raises(ValueError, match="name must be one of"):
        english_text_path("nope")
    with pytest.raises(ValueError, match="name must be one of"):
        english_sentences("questions-words")


def test_missing_data_names_the_file_and_the_command(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        english_sentences("sotu", data_home=tmp_path)
    message = str(info.value)
    assert str(tmp_path / "english" / "sotu.txt") in message and "is missing" in message
    assert "make setup" in message and "tools/fetch_data.py" in message


def test_wrong_size_is_reported(tmp_path):
    (tmp_path / "english").mkdir()
    (tmp_path / "english" / "sotu.txt").write_text("truncated\n")
    with pytest.raises(FileNotFoundError, match="not the pinned file"):
        english_text_path("sotu", tmp_path)


def test_english_sentences_reads_a_prefix(tmp_path, monkeypatch):
    text = b"a b c\nd e\nf g h i\n"
    (tmp_path / "english").mkdir()
    (tmp_path / "english" / "sotu.txt").write_bytes(text)
    monkeypatch.setitem(english.FILES, "sotu", Made("sotu.txt", "sotu", "", *pin(text)))
    assert english_sentences("sotu", data_home=tmp_path) == [["a", "b", "c"], ["d", "e"],
                                                             ["f", "g", "h", "i"]]
    assert english_sentences("sotu", max_tokens=4, data_home=tmp_path) == [["a", "b", "c"], ["d", "e"]]
    assert english_sentences("sotu", max_tokens=3, data_home=tmp_path) == [["a", "b", "c"]]
    with pytest.raises(ValueError, match="max_tokens must be >= 1, got max_tokens=0"):
        english_sentences("sotu", max_tokens=0, data_home=tmp_path)


# The real files (fetched by `make setup`; CI runs it): sizes, digests and token counts as pinned.

def test_real_files_match_their_pins():
    for name, made in english.FILES.items():
        path = english_text_path(name)
        assert (path.stat().st_size, sha256_file(path)) == (made.size, made.sha256), name
    assert english_text_path("large").stat().st_size == sum(
        english.FILES[p].size for p in english.COMBINED["large"])


@pytest.mark.slow
def test_real_token_counts():
    counts = {name: sum(len(s) for s in english_sentences(name)) for name in english.TOKENS
              if name != "large"}
    assert counts == {k: v for k, v in english.TOKENS.items() if k != "large"}
    assert english.TOKENS["large"] == sum(counts.values())
    first = english_sentences("sotu", max_tokens=1)
    assert first[0][:6] == ["fellow", "citizens", "of", "the", "senate", "and"]
    assert os.path.getsize(english_text_path("large")) > 30_000_000
