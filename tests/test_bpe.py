"""BPE pieces: determinism, round trips, word pieces, save/load, word vectors from pieces, errors."""

import hashlib
import subprocess
import sys

import numpy as np
import pytest

from skipgram_lab import bpe
from skipgram_lab.corpus import Vocab, tokenize, toy_corpus
from skipgram_lab.embeddings import Embeddings
from skipgram_lab.synthetic import generate
from skipgram_lab.teaching import train_negative_sampling

TRAIN_SCRIPT = """
import hashlib
from skipgram_lab import bpe
from skipgram_lab.synthetic import generate
texts = [" ".join(s) for s in generate(1500, rng=0, n_filler=100).sentences()]
print(hashlib.sha256(bpe.train(texts, vocab_size=400).to_str().encode()).hexdigest())
"""


@pytest.fixture(scope="module")
def corpus():
    return generate(1500, rng=0, n_filler=100)


@pytest.fixture(scope="module")
def texts(corpus):
    return [" ".join(s) for s in corpus.sentences()]


@pytest.fixture(scope="module")
def tokenizer(texts):
    return bpe.train(texts, vocab_size=400)


def digest(tokenizer):
    return hashlib.sha256(tokenizer.to_str().encode()).hexdigest()


# ---- exact -------------------------------------------------------------------------------------
def test_training_is_deterministic_within_and_across_processes(texts, tokenizer):
    assert bpe.train(texts, vocab_size=400).to_str() == tokenizer.to_str()
    # tokenizers numbers "##"-style pieces in hash-map order, which changes per process;
    # the word-start mark must not. A second interpreter has another hash seed.
    out = subprocess.run([sys.executable, "-c", TRAIN_SCRIPT], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == digest(tokenizer)


def test_words_are_those_of_corpus_tokenize(tokenizer):
    for text in ["The Dog's 3 walked,  café!", "it’s 42 naïve-ish", "  ", "Walk_WALKED",
                 "हिन्दी भाषा", "தமிழ் மொழி", "كِتَابٌ", "می\u200cخواهم", "İstanbul", "nai\u0308ve ﬁne",
                 "中文 😀 word2vec covid19 can't"]:
        normalized = tokenizer.normalizer.normalize_str(text)
        words = [w for w, _ in tokenizer.pre_tokenizer.pre_tokenize_str(normalized)]
        assert words == [bpe.WORD_START + w for w in tokenize(text)], text


def test_encode_decode_round_trip_and_the_vocab_the_trainers_take(tokenizer, texts, corpus):
    sentences, vocab = bpe.encode(tokenizer, texts)
    assert len(sentences) == len(texts) and all(s.dtype == np.int64 for s in sentences)
    assert all(bpe.decode(tokenizer, s) == t for s, t in zip(sentences, texts))
    assert bpe.decode(tokenizer, bpe.encode(tokenizer, ["The DOG, walked!"])[0][0]) == "the dog walked"
    from_tokens, _ = bpe.encode(tokenizer, corpus.sentences())
    assert all(np.array_equal(a, b) for a, b in zip(sentences, from_tokens))
    # Row i of E is the tokenizer's piece i; counts are piece counts in the encoded corpus.
    assert len(vocab) == tokenizer.get_vocab_size() == 400
    assert vocab.tokens == [tokenizer.id_to_token(i) for i in range(400)]
    np.testing.assert_array_equal(vocab.counts, np.bincount(np.concatenate(sentences), minlength=400))
    result = train_negative_sampling(sentences[:100], vocab, dim=8, epochs=1, rng=0)
    assert result.E.shape == (400, 8) and np.isfinite(result.history["loss"][0])


def test_inflected_words_share_the_stem_piece_of_their_base(tokenizer, corpus):
    assert bpe.pieces(tokenizer, "walk") == ["▁walk"]
    assert bpe.pieces(tokenizer, "walked") == ["▁walk", "ed"]
    assert bpe.pieces(tokenizer, "Walking") == ["▁walk", "ing"]
    # Over all families: an inflected form cut into pieces mostly starts with its one-piece base
    # (not always: BPE may have merged "ks" before "▁walk", giving "▁wal ks").
    split = [(f[0], w) for f in corpus.truth.morphology.values() for w in f[1:]
             if len(bpe.pieces(tokenizer, f[0])) == 1 and len(bpe.pieces(tokenizer, w)) > 1]
    shared = [(b, w) for b, w in split if bpe.pieces(tokenizer, w)[0] == bpe.WORD_START + b]
    print(f"\n{len(shared)} of {len(split)} split forms start with their base's piece")
    assert len(split) >= 15 and len(shared) >= 0.75 * len(split)


def test_save_load_gives_the_same_tokenizer(tmp_path, tokenizer, texts):
    path = bpe.save(tokenizer, tmp_path / "bpe.json")
    loaded = bpe.load(path)
    assert loaded.to_str() == tokenizer.to_str()
    assert loaded.encode(texts[0]).ids == tokenizer.encode(texts[0]).ids
    assert bpe.pieces(loaded, "walked") == ["▁walk", "ed"]
    assert [p.name for p in tmp_path.iterdir()] == ["bpe.json"]
    with pytest.raises(FileNotFoundError, match="tokenizer file not found"):
        bpe.load(tmp_path / "missing.json")


def test_word_vector_is_the_mean_of_its_piece_vectors(tokenizer, corpus):
    assert "kumquats" not in corpus.vocab  # never seen whole, as a word or as a piece
    ids = [tokenizer.token_to_id(p) for p in bpe.pieces(tokenizer, "kumquats")]
    assert len(ids) > 1
    E = np.random.default_rng(0).normal(size=(400, 6))
    emb = Embeddings(E, -E, bpe.encode(tokenizer, ["walk"])[1])
    vectors = bpe.word_vectors(emb, tokenizer, ["kumquats", "walk"])
    np.testing.assert_allclose(vectors[0], E[ids].mean(axis=0))
    np.testing.assert_array_equal(vectors[1], E[tokenizer.token_to_id("▁walk")])
    np.testing.assert_allclose(bpe.word_vectors(emb, tokenizer, ["kumquats"], which="O"), -vectors[:1])


# ---- bad input ---------------------------------------------------------------------------------
def test_bad_input_raises_clear_errors(tokenizer):
    with pytest.raises(ValueError, match="texts is empty"):
        bpe.train([], vocab_size=100)
    with pytest.raises(ValueError, match="texts is empty"):
        bpe.train(["+ - = !", ""], vocab_size=100)
    with pytest.raises(ValueError, match=r"vocab_size must be >= 22 .* got vocab_size=10"):
        bpe.train(toy_corpus(), vocab_size=10)
    with pytest.raises(ValueError, match="vocab_size must be >= 2, got vocab_size=1"):
        bpe.train(toy_corpus(), vocab_size=1)
    with pytest.raises(ValueError, match="texts must hold strings"):
        bpe.train([1, 2], vocab_size=100)
    with pytest.raises(ValueError, match="texts must be a list of texts, got the str"):
        bpe.train("the dog", vocab_size=100)
    with pytest.raises(ValueError, match="texts must be a list of texts, got the str"):
        bpe.encode(tokenizer, "the dog")
    with pytest.raises(ValueError, match="texts is empty"):
        bpe.encode(tokenizer, ["", "!?"])
    with pytest.raises(ValueError, match="word must be one word"):
        bpe.pieces(tokenizer, "two words")
    with pytest.raises(ValueError, match=r"never saw in training: \['é'\]"):
        bpe.pieces(tokenizer, "café")
    with pytest.raises(ValueError, match=r"ids must be ids in \[0, 400\)"):
        bpe.decode(tokenizer, [0, 400])
    small = Embeddings(np.ones((5, 2)), np.ones((5, 2)), Vocab(list("abcde"), [1] * 5))
    with pytest.raises(ValueError, match="embeddings has 5 rows but the tokenizer has 400 pieces"):
        bpe.word_vectors(small, tokenizer, ["walk"])
    emb = Embeddings(np.ones((400, 2)), np.ones((400, 2)), bpe.encode(tokenizer, ["walk"])[1])
    with pytest.raises(ValueError, match="words must be a list of words"):
        bpe.word_vectors(emb, tokenizer, "walk")
