"""Bigram counts and the order/long-range tests of chapter 12, on hand-made and planted corpora."""

import numpy as np
import pytest

from skipgram_lab.book import causal
from skipgram_lab.pairs import cooccurrence_counts
from skipgram_lab.synthetic import generate


@pytest.fixture(scope="module")
def planted():
    corpus = generate(1500, rng=0)
    return corpus, corpus.encoded()


def test_bigram_counts_include_sentence_edges():
    counts = causal.bigram_counts([np.array([0, 1, 1]), np.array([1])], V=2)
    # start->0, 0->1, 1->1, 1->end ; start->1, 1->end
    expected = np.zeros((3, 3), int)
    expected[2, 0] = expected[0, 1] = expected[1, 1] = 1
    expected[2, 1] = 1
    expected[1, 2] = 2
    np.testing.assert_array_equal(counts, expected)
    assert counts.sum() == 3 + 1 + 2  # n + 1 transitions per sentence


def test_next_token_probs_rows_sum_to_one_and_smooth():
    counts = np.array([[0, 2], [0, 0]])
    P = causal.next_token_probs(counts)
    np.testing.assert_allclose(P, [[0, 1], [0.5, 0.5]])
    P = causal.next_token_probs(counts, alpha=1.0)
    np.testing.assert_allclose(P[0], [0.25, 0.75])
    with pytest.raises(ValueError, match="alpha must be >= 0"):
        causal.next_token_probs(counts, alpha=-1)


def test_window_score_is_blind_to_reversal_and_bigram_is_not():
    rng = np.random.default_rng(0)
    sentences = [rng.integers(0, 6, size=rng.integers(2, 9)) for _ in range(50)]
    C = cooccurrence_counts(sentences, 2, 6)
    P_context = causal.next_token_probs(C, alpha=0.5)
    P_next = causal.next_token_probs(causal.bigram_counts(sentences, 6), alpha=0.5)
    for s in sentences:
        assert causal.window_log_prob(s, P_context, 2) == pytest.approx(
            causal.window_log_prob(s[::-1], P_context, 2), abs=1e-9)
    pref = causal.order_preference(lambda s: causal.bigram_log_prob(s, P_next), sentences,
                                   lambda s: s[::-1])
    assert pref["tie"] < 0.5 and sum(pref.values()) == pytest.approx(1.0)


def test_planted_order_signal(planted):
    corpus, sentences = planted
    vocab, order = corpus.vocab, corpus.truth.order
    verbs = {vocab.id(w) for w in order.verbs}
    triples = [s for s in sentences if len(s) == 3 and s[1] in verbs]  # "bears chase foxes"
    assert len(triples) > 20
    P_next = causal.next_token_probs(causal.bigram_counts(sentences, len(vocab)), alpha=0.01)
    C = cooccurrence_counts(sentences, 2, len(vocab))
    P_context = causal.next_token_probs(C, alpha=0.01)
    swap = lambda s: s[::-1]  # noqa: E731  X verb Y -> Y verb X
    bigram = causal.order_preference(lambda s: causal.bigram_log_prob(s, P_next), triples, swap)
    window = causal.order_preference(lambda s: causal.window_log_prob(s, P_context, 2), triples, swap)
    assert bigram["true"] > 0.9  # 1.0 with 6000 sentences; a few near-ties at 1500
    assert window["tie"] == 1.0


def test_planted_long_range_is_only_at_the_gap(planted):
    corpus, sentences = planted
    lr = corpus.truth.long_range
    vocab = corpus.vocab
    openers = [vocab.id(a) for a, _ in lr.pairs]
    closers = [vocab.id(b) for _, b in lr.pairs]
    counts = causal.offset_counts(sentences, openers, closers, lr.gap + 2)
    assert counts[:, :, : lr.gap - 1].sum() == 0  # never within a window smaller than the gap
    at_gap = counts[:, :, lr.gap - 1]
    assert np.all(np.diag(at_gap) > 0)
    assert at_gap.sum() == np.trace(at_gap)  # each opener has exactly its own closer


def test_offset_counts_small_example():
    counts = causal.offset_counts([np.array([0, 5, 1, 0, 1])], [0], [1], 3)
    # 0 at positions 0 and 3; 1 at positions 2 and 4: offsets 2, 4 (too far), 1
    np.testing.assert_array_equal(counts[0, 0], [1, 1, 0])


def test_prefix_features_mark_token_by_position_from_the_end():
    from skipgram_lab.book.causal import prefix_features
    X = prefix_features([np.array([2, 0, 1]), np.array([1])], V=3).toarray()
    assert X.shape == (2, 9)
    # prefix [2, 0, 1]: 1 last (j=1), 0 at j=2, 2 at j=3
    assert X[0].tolist() == [0, 1, 0, 1, 0, 0, 0, 0, 1]
    assert X[1].tolist() == [0, 1, 0] + [0] * 6
    X1 = prefix_features([np.array([2, 0, 1])], V=3, last=1).toarray()
    assert X1.tolist() == [[0, 1, 0]]
    with pytest.raises(ValueError, match="last"):
        prefix_features([np.array([1])], V=3, last=0)
