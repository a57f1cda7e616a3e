"""The one-pass path gives exactly the book's two-pass result: same Vocab, same id file, same errors."""

import signal
import subprocess
import sys

import numpy as np
import pytest

from skipgram_lab import fastvocab
from skipgram_lab.corpus import TOKENIZERS, WORD_PATTERN, Vocab, read_sentences, tokenize, toy_corpus
from skipgram_lab.fastvocab import ascii_tokens, encode_text_file
from skipgram_lab.idfile import write_id_file


def book_path(path, folder, min_count, max_sentence_length=10_000, pattern=WORD_PATTERN):
    """Chapter 2's way: count, then encode in a second read (the reference)."""
    def read():
        return read_sentences(path, max_sentence_length=max_sentence_length, pattern=pattern)

    vocab = Vocab.from_sentences(read(), min_count=min_count)
    write_id_file(folder / "book.ids.npy", (vocab.encode(s) for s in read()))
    return vocab


def assert_same_as_book(path, tmp_path, min_count=1, workers=1, max_sentence_length=10_000,
                        pattern=WORD_PATTERN):
    vocab = book_path(path, tmp_path, min_count, max_sentence_length, pattern)
    fast, corpus = encode_text_file(path, tmp_path / "fast.ids.npy", min_count=min_count,
                                    workers=workers, max_sentence_length=max_sentence_length,
                                    pattern=pattern)
    assert fast.tokens == vocab.tokens
    np.testing.assert_array_equal(fast.counts, vocab.counts)
    for book, ours in (("book.ids.npy", "fast.ids.npy"), ("book.ids.bounds.npy", "fast.ids.bounds.npy")):
        assert (tmp_path / ours).read_bytes() == (tmp_path / book).read_bytes(), ours
    leftovers = {p.name for p in tmp_path.iterdir()} - {path.name, "book.ids.npy", "book.ids.bounds.npy",
                                                         "fast.ids.npy", "fast.ids.bounds.npy"}
    assert not leftovers, f"temporary files left behind: {leftovers}"
    return fast, corpus


def random_ascii_text(rng, n_lines):
    """Lines of words, digits, apostrophes, underscores, punctuation and control characters."""
    alphabet = [chr(c) for c in range(1, 128) if chr(c) != "\n"] + ["'"] * 20
    words = ["the", "The", "DOG", "dog's", "x1y", "a_b", "o'clock", "Zebra", "e", "--", "...", "'",
             "'tis", "rock''n", "a'b'c", "b'", "2'3", "x" * 150, "Covid19"]
    lines = []
    for _ in range(n_lines):
        parts = rng.choice(words, size=rng.integers(0, 12)).tolist()
        parts += ["".join(rng.choice(alphabet, size=rng.integers(1, 6))) for _ in range(rng.integers(0, 4))]
        rng.shuffle(parts)
        lines.append(" ".join(parts))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("tokenizer", sorted(TOKENIZERS))
def test_ascii_tokens_are_tokenize_line_by_line(tokenizer):
    pattern = TOKENIZERS[tokenizer]
    rng = np.random.default_rng(0)
    for _ in range(20):
        text = random_ascii_text(rng, 50)
        expected = [t for line in text.split("\n")[:-1]
                    for t in (*tokenize(line + "\n", pattern=pattern), "\x01")]
        assert ascii_tokens(text.encode("ascii"), pattern) == expected


def test_every_tokenizer_of_the_command_line_has_an_ascii_recipe():
    assert set(TOKENIZERS.values()) <= set(fastvocab._ASCII_TOKENIZERS)


TEXTS = {
    "toy": "\n".join(toy_corpus()) + "\n",
    # every count ties with another: ids must follow the book's order (count, then the token)
    "ties": "b a c\nc b a\n\n\na b c d\nd e\ne d\n",
    "empty lines and punctuation-only lines": "\n\n...\n!!\n\nthe cat\n\n, ;\nthe end\n\n",
    "no final newline": "the cat sat\non the mat",
    "windows line ends": "the cat\r\nsat on\r\n\r\nthe mat\r\n",
    "lone carriage returns": "the cat\rsat on\nthe\r\rmat\n",
    "apostrophes, digits, long tokens": ("It's 10 o'clock, 'tis rock''n'roll: covid19 word2vec 3.14 "
                                         "x_y can’t don't'\n" + "a" * 150 + " the " + "b" * 99 + "\n"),
    "unicode": ("\ufeffCafé naïve Ærø ΑΒΓ αβγ\nthe ÉCOLE école\n東京 タワー the\n"
                "combining: cafe\u0301 e\u0301\nthe cat\nİstanbul ß STRASSE straße\nemoji 🙂 the cat\n"),
}


@pytest.mark.parametrize("name", sorted(TEXTS))
@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("tokenizer", sorted(TOKENIZERS))
def test_same_vocab_ids_and_file_as_the_book(tmp_path, name, workers, tokenizer):
    path = tmp_path / "corpus.txt"
    path.write_bytes(TEXTS[name].encode("utf-8"))
    assert_same_as_book(path, tmp_path, workers=workers, pattern=TOKENIZERS[tokenizer])


@pytest.mark.parametrize("min_count", [1, 2, 3, 7])
@pytest.mark.parametrize("workers", [1, 2])
def test_a_larger_corpus_in_many_blocks(tmp_path, monkeypatch, min_count, workers):
    """Zipf-distributed words with unicode lines mixed in, read 4 kB at a time, long lines cut."""
    monkeypatch.setattr(fastvocab, "_BLOCK", 4096)
    rng = np.random.default_rng(1)
    words = np.array(["w" + "".join(rng.choice(list("abcdefgh"), 5)) for _ in range(3000)] + ["né", "ça"])
    lines = []
    for i in range(1500):
        n = rng.integers(0, 60) if i % 100 else 250  # some lines longer than max_sentence_length
        lines.append(" ".join(words[np.minimum(rng.zipf(1.3, n) - 1, len(words) - 1)]))
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    vocab, corpus = assert_same_as_book(path, tmp_path, min_count=min_count, workers=workers,
                                        max_sentence_length=100)
    assert len(corpus) == int(vocab.counts.sum())


def test_lines_longer_than_the_reader_block_take_the_book_path(tmp_path, monkeypatch):
    monkeypatch.setattr(fastvocab, "_LONGEST_LINE", 64)
    path = tmp_path / "corpus.txt"
    path.write_text("short line\n" + "a long line of words " * 20 + "\nthe end\n")
    assert_same_as_book(path, tmp_path)


def test_a_failing_worker_process_falls_back_to_the_book_path(tmp_path, monkeypatch):
    def broken(*args):
        raise RuntimeError("a worker failed")

    monkeypatch.setattr(fastvocab, "_encode_piece", broken)  # fork copies the patched module
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(toy_corpus()) + "\n")
    assert_same_as_book(path, tmp_path, workers=2)


@pytest.mark.parametrize("content,min_count", [
    (b"", 1), (b"...\n\n", 1), (b"one two three\n", 5),
    (b"caf\xe9 au lait\n", 1),                               # Latin-1, not UTF-8
    (b"the cat\nsat " * 1000 + b"\x00 on the mat\n", 1),     # a NUL byte far into the file
    ("the cat sat\n".encode("utf-16"), 1),                    # UTF-16 with its byte-order mark
])
def test_errors_are_the_books(tmp_path, content, min_count):
    path = tmp_path / "corpus.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError) as book:
        book_path(path, tmp_path, min_count)
    for workers in (1, 2):
        with pytest.raises(ValueError) as ours:
            encode_text_file(path, tmp_path / "fast.ids.npy", min_count=min_count, workers=workers)
        assert str(ours.value) == str(book.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.txt"]


def test_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="source file not found"):
        encode_text_file(tmp_path / "missing.txt", tmp_path / "x.ids.npy")
    path = tmp_path / "corpus.txt"
    path.write_text("a b\n")
    for name, value in (("min_count", 0), ("workers", 0), ("max_sentence_length", 0)):
        with pytest.raises(ValueError, match=f"{name} must be >= 1"):
            encode_text_file(path, tmp_path / "x.ids.npy", **{name: value})
    path.write_text("a \x01 b\n")
    with pytest.raises(ValueError, match="makes the control character"):
        encode_text_file(path, tmp_path / "x.ids.npy", pattern=r"\S+")


def test_an_interrupt_leaves_no_file(tmp_path, monkeypatch):
    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(fastvocab, "_renumber", interrupted)
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(toy_corpus()) + "\n")
    for workers in (1, 2):
        with pytest.raises(KeyboardInterrupt):
            encode_text_file(path, tmp_path / "x.ids.npy", workers=workers)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.txt"]


def test_timings_name_both_stages(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(toy_corpus()) + "\n")
    timings = {}
    encode_text_file(path, tmp_path / "x.ids.npy", timings=timings)
    assert set(timings) == {"read", "encode"} and min(timings.values()) >= 0


def test_a_ctrl_c_that_reaches_a_child_while_it_starts_is_ignored_there(tmp_path):
    """A child forked while SIGINT is held must set its handler before it receives it.

    The child here gets a SIGINT at once after the fork (while the parent's block still holds
    it). It must ignore it, as the Ctrl-C is the parent's to handle; a child that left the
    block first would raise KeyboardInterrupt inside a copy of the parent.
    """
    path = tmp_path / "text.txt"
    path.write_text("the cat sat on the mat\n" * 2000)
    script = f"""
import os, signal
from skipgram_lab import fastvocab
real_fork = os.fork
def fork():
    pid = real_fork()
    if pid == 0:
        os.kill(os.getpid(), signal.SIGINT)  # reaches the child while its signals are held
    return pid
os.fork = fork
vocab, corpus = fastvocab.encode_text_file({str(path)!r}, {str(tmp_path / 'ids.npy')!r}, workers=2)
print("read", len(vocab), len(corpus))
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert run.returncode == 0, run.stderr
    assert run.stdout == "read 5 12000\n"
    assert "Traceback" not in run.stderr and "KeyboardInterrupt" not in run.stderr
