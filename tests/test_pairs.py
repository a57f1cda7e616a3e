"""Pairs: the seed sentence pinned exactly, sentence boundaries, windows, subsampling."""

from collections import Counter

import numpy as np
import pytest

from skipgram_lab.corpus import Vocab, tokenize, toy_corpus
from skipgram_lab.pairs import (
    context_to_center_pairs, cooccurrence_counts, flatten_sentences, keep_probability, skipgram_pairs,
    subsample, subsample_flat, window_positions,
)

SEED = "The dog fetched the ball."


def seed_pairs(window):
    tokens = tokenize(SEED)
    vocab = Vocab.from_sentences([tokens])
    pairs = skipgram_pairs([vocab.encode(tokens)], window)
    return [(vocab.tokens[w], vocab.tokens[c]) for w, c in pairs]


def test_seed_sentence_window_2_exact_pairs():
    # "ball" is 3 positions from "dog": with k = 2 it is NOT a context of "dog".
    assert seed_pairs(2) == [
        ("the", "dog"), ("the", "fetched"),
        ("dog", "the"), ("dog", "fetched"), ("dog", "the"),
        ("fetched", "the"), ("fetched", "dog"), ("fetched", "the"), ("fetched", "ball"),
        ("the", "dog"), ("the", "fetched"), ("the", "ball"),
        ("ball", "fetched"), ("ball", "the"),
    ]
    assert [c for w, c in seed_pairs(2)[2:5]] == ["the", "fetched", "the"]


def test_seed_sentence_window_3_exact_pairs():
    pairs = seed_pairs(3)
    assert [c for w, c in pairs if w == "dog"] == ["the", "fetched", "the", "ball"]
    assert len(pairs) == 2 * (4 + 3 + 2)  # sum over offsets o = 1..3 of 2 (n - o), n = 5
    by_center = [(w, [c for w2, c in pairs[i:i + n]]) for w, i, n in
                 [("the", 0, 3), ("dog", 3, 4), ("fetched", 7, 4), ("the", 11, 4), ("ball", 15, 3)]]
    assert by_center == [
        ("the", ["dog", "fetched", "the"]),
        ("dog", ["the", "fetched", "the", "ball"]),
        ("fetched", ["the", "dog", "the", "ball"]),
        ("the", ["the", "dog", "fetched", "ball"]),
        ("ball", ["dog", "fetched", "the"]),
    ]
    assert [w for w, c in pairs] == ["the"] * 3 + ["dog"] * 4 + ["fetched"] * 4 + ["the"] * 4 + ["ball"] * 3


def test_pairs_never_cross_sentence_boundaries():
    pairs = skipgram_pairs([np.array([0, 1]), np.array([2, 3])], window=5)
    assert sorted(map(tuple, pairs.tolist())) == [(0, 1), (1, 0), (2, 3), (3, 2)]


def test_pair_count_formula_and_empty_sentences():
    rng = np.random.default_rng(0)
    sents = [rng.integers(0, 9, size=n) for n in (0, 1, 2, 7, 30)]
    for k in (1, 2, 5):
        expected = sum(2 * max(n - o, 0) for n in (0, 1, 2, 7, 30) for o in range(1, k + 1))
        assert len(skipgram_pairs(sents, k)) == expected


def test_center_to_context_and_context_to_center_give_the_same_multiset():
    sents = [tokenize(s) for s in toy_corpus()]
    vocab = Vocab.from_sentences(sents)
    ids = vocab.encode_sentences(sents)
    for k in (1, 2, 4):
        a = Counter(map(tuple, skipgram_pairs(ids, k).tolist()))
        b = Counter(map(tuple, context_to_center_pairs(ids, k).tolist()))
        assert a == b
        assert not np.array_equal(skipgram_pairs(ids, k), context_to_center_pairs(ids, k))


def test_dynamic_window_is_a_subset_weighted_toward_near_words():
    ids = [np.arange(50)]
    full = Counter(map(tuple, skipgram_pairs(ids, 4).tolist()))
    offsets = Counter()
    for seed in range(20):
        dyn = skipgram_pairs(ids, 4, dynamic=True, rng=seed)
        assert all(full[tuple(p)] for p in dyn.tolist())
        offsets.update(np.abs(dyn[:, 1] - dyn[:, 0]).tolist())
    # offset o survives when the drawn radius r >= o: P = (k - o + 1) / k = 1, 3/4, 1/2, 1/4
    ratios = [offsets[o] / offsets[1] for o in (2, 3, 4)]
    np.testing.assert_allclose(ratios, [0.75, 0.5, 0.25], atol=0.05)
    np.testing.assert_array_equal(skipgram_pairs(ids, 4, dynamic=True, rng=1),
                                  skipgram_pairs(ids, 4, dynamic=True, rng=1))


def test_window_positions_rejects_bad_window():
    with pytest.raises(ValueError, match="window must be >= 1, got window=0"):
        window_positions(np.zeros(3, int), 0)


def test_cooccurrence_counts_match_pairs():
    C = cooccurrence_counts([np.array([0, 1, 0, 2])], 1, 3)
    np.testing.assert_array_equal(C, [[0, 2, 1], [2, 0, 0], [1, 0, 0]])
    assert (C == C.T).all()  # a symmetric window gives symmetric counts


def test_keep_probability_formulas():
    counts = np.array([1000, 100, 10, 1, 0])
    t = 0.01
    f = counts / counts.sum()
    paper = keep_probability(counts, t, "paper")
    c_code = keep_probability(counts, t, "word2vec.c")
    np.testing.assert_allclose(paper[:2], np.minimum(np.sqrt(t / f[:2]), 1))
    np.testing.assert_allclose(c_code[0], (np.sqrt(f[0] / t) + 1) * t / f[0])
    assert paper[-1] == c_code[-1] == 1.0
    assert np.all(c_code >= paper)  # word2vec.c keeps more of every word
    assert np.all(np.diff(paper[:4]) >= 0)  # rarer words are kept more
    with pytest.raises(ValueError, match="threshold must be > 0"):
        keep_probability(counts, 0.0)
    with pytest.raises(ValueError, match="formula must be one of"):
        keep_probability(counts, 1e-3, "fasttext")


def test_subsample_keeps_expected_share_and_is_deterministic():
    keep = np.array([0.25, 1.0])
    sents = [np.array([0] * 4000 + [1] * 1000)]
    out = subsample(sents, keep, np.random.default_rng(0))
    kept = np.bincount(out[0], minlength=2)
    assert kept[1] == 1000
    assert abs(kept[0] - 1000) < 100
    np.testing.assert_array_equal(out[0], subsample(sents, keep, np.random.default_rng(0))[0])


def test_subsample_draws_one_uniform_per_token_in_corpus_order():
    # the definition, sentence by sentence; the flattened and the list forms make the same draws
    rng = np.random.default_rng(3)
    sents = [rng.integers(0, 6, size=n) for n in (5, 0, 1, 9, 3, 2)]
    keep = np.array([0.1, 0.9, 0.5, 1.0, 0.3, 0.0])
    by_hand, draws = [], np.random.default_rng(7)
    for s in sents:
        kept = s[draws.random(len(s)) < keep[s]]
        if len(kept):
            by_hand.append(kept)
    out = subsample(sents, keep, np.random.default_rng(7))
    assert [x.tolist() for x in out] == [x.tolist() for x in by_hand]
    tokens, sentence_of = subsample_flat(*flatten_sentences(sents), keep, np.random.default_rng(7))
    assert tokens.tolist() == np.concatenate(by_hand).tolist()
    assert np.array_equal(sentence_of, np.sort(sentence_of))  # order kept, sentences never merge
    assert subsample([], keep, np.random.default_rng(7)) == []
