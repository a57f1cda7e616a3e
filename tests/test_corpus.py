"""Tokens -> ids: normalisation, streaming reading, the vocabulary."""

import numpy as np
import pytest

from skipgram_lab.corpus import Vocab, read_sentences, tokenize, toy_corpus


def test_toy_corpus_contains_the_seed_sentence():
    corpus = toy_corpus()
    assert corpus[0] == "The dog fetched the ball."
    assert 30 <= len(corpus) <= 80


def test_tokenize_lowercases_and_splits_on_punctuation():
    assert tokenize("The dog fetched the ball.") == ["the", "dog", "fetched", "the", "ball"]
    assert tokenize("Café, 42 naïve-ish!") == ["café", "42", "naïve", "ish"]
    assert tokenize("The Dog", lowercase=False) == ["The", "Dog"]
    with pytest.raises(ValueError, match="text must be a str"):
        tokenize(None)


def test_vocab_orders_by_frequency_with_alphabetical_ties():
    v = Vocab.from_sentences([["b", "a", "c", "a"], ["c", "d"]])
    assert v.tokens == ["a", "c", "b", "d"]
    np.testing.assert_array_equal(v.counts, [2, 2, 1, 1])
    assert len(v) == 4 and "a" in v and "z" not in v


def test_encode_drops_unknown_tokens_and_decode_inverts():
    v = Vocab.from_sentences([["x", "y", "x"], ["y", "z"]], min_count=2)
    assert v.tokens == ["x", "y"]
    ids = v.encode(["x", "z", "y", "q"])
    np.testing.assert_array_equal(ids, [0, 1])
    assert ids.dtype == np.int64
    assert v.decode(ids) == ["x", "y"]
    assert v.encode_sentences([["z"], ["y"]])[0].tolist() == [1]
    with pytest.raises(KeyError, match="not in the vocabulary"):
        v.id("z")


def test_vocab_is_deterministic():
    sents = [tokenize(s) for s in toy_corpus()]
    assert Vocab.from_sentences(sents).tokens == Vocab.from_sentences(list(reversed(sents))).tokens


def test_read_sentences_streams_a_file_and_splits_long_lines(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("Hello world.\n\nA b c d e\n", encoding="utf-8")
    assert list(read_sentences(path, max_sentence_length=3)) == [["hello", "world"], ["a", "b", "c"], ["d", "e"]]
    assert list(read_sentences(["One two", "three"])) == [["one", "two"], ["three"]]


def test_read_sentences_handles_one_huge_line_without_splitting_words(tmp_path):
    path = tmp_path / "big.txt"
    words = [f"w{chr(97 + i % 26)}{chr(97 + (i // 26) % 26)}" for i in range(400_000)]
    path.write_text(" ".join(words), encoding="utf-8")  # ~2 MB, no newline: text8's shape
    tokens = [t for s in read_sentences(path, max_sentence_length=1000) for t in s]
    assert tokens == words


def test_bad_files_and_empty_corpora(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        list(read_sentences(tmp_path / "missing.txt"))
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 100)
    with pytest.raises(ValueError, match="not UTF-8"):
        list(read_sentences(binary))
    with pytest.raises(ValueError, match="sentences is empty"):
        Vocab.from_sentences([])
    with pytest.raises(ValueError, match="no token survives min_count=5"):
        Vocab.from_sentences([["a", "b"]], min_count=5)
    with pytest.raises(ValueError, match="tokenize each line"):
        Vocab.from_sentences(["a sentence"])
    with pytest.raises(ValueError, match="min_count must be >= 1"):
        Vocab.from_sentences([["a"]], min_count=0)


def test_a_giant_run_without_spaces_is_one_capped_token_read_in_blocks(tmp_path):
    from skipgram_lab.corpus import MAX_TOKEN_LENGTH

    path = tmp_path / "run.txt"
    path.write_bytes(b"a" * (3 << 20) + b" the end\nnext line\n")  # 3 MiB with no space
    sentences = list(read_sentences(path))
    assert sentences[0] == ["a" * MAX_TOKEN_LENGTH]
    assert [t for s in sentences[1:] for t in s] == ["the", "end", "next", "line"]


def test_text8_policy_keeps_a_to_z_only():
    from skipgram_lab.corpus import TEXT8_PATTERN

    assert tokenize("Word2vec can't café", pattern=TEXT8_PATTERN) == ["word", "vec", "can", "t", "caf"]
