"""The chapter 9-12 checks pass the reference answers and explain typical wrong ones."""

import math

import numpy as np
import pytest

from skipgram_lab import pmi
from skipgram_lab.book import causal
from skipgram_lab.checks import factorise as cf
from skipgram_lab.checks import ExerciseCheckFailed


def optimum(n_wc, n_w, q_c, K, drop_positive):
    return math.log(n_wc / (K * q_c * ((n_w - n_wc) if drop_positive else n_w)))


def test_cell_optimum_reference_passes(capsys):
    assert cf.check_cell_optimum(optimum)
    assert capsys.readouterr().out.startswith("Correct")


@pytest.mark.parametrize("wrong,message", [
    (lambda n_wc, n_w, q_c, K, d: math.log(n_wc / (q_c * n_w)), "carries -log K"),
    (lambda n_wc, n_w, q_c, K, d: -optimum(n_wc, n_w, q_c, K, d), "sign is flipped"),
    (lambda n_wc, n_w, q_c, K, d: optimum(n_wc, n_w, q_c, K, False), "drop rule"),
    (lambda n_wc, n_w, q_c, K, d: math.exp(optimum(n_wc, n_w, q_c, K, d)), "log of that ratio"),
])
def test_cell_optimum_explains_mistakes(wrong, message):
    with pytest.raises(ExerciseCheckFailed, match=message):
        cf.check_cell_optimum(wrong)


def test_cell_optimum_stub():
    def stub(*args):
        raise NotImplementedError
    with pytest.raises(ExerciseCheckFailed, match="not implemented yet"):
        cf.check_cell_optimum(stub)


def test_pmi_check():
    assert cf.check_pmi(pmi.pmi)

    def no_total(C):
        C = C.astype(float)
        with np.errstate(divide="ignore"):
            return np.log(C / (C.sum(1, keepdims=True) * C.sum(0, keepdims=True)))
    with pytest.raises(ExerciseCheckFailed, match=r"\|D\|"):
        cf.check_pmi(no_total)

    def smoothed(C):
        C = C + 1e-3
        return np.log(C * C.sum() / (C.sum(1, keepdims=True) * C.sum(0, keepdims=True)))
    with pytest.raises(ExerciseCheckFailed, match="-inf"):
        cf.check_pmi(smoothed)


def test_clipped_share_check():
    rng = np.random.default_rng(0)
    C = rng.poisson(0.8, size=(8, 8))
    C = C + C.T

    def right(C, K):
        return float(np.mean(pmi.shifted_pmi(C, K)[C > 0] <= 0))

    def all_cells(C, K):
        return float(np.mean(pmi.shifted_pmi(C, K) <= 0))
    assert cf.check_clipped_share(right, C)
    with pytest.raises(ExerciseCheckFailed, match="SEEN pairs"):
        cf.check_clipped_share(all_cells, C)


def test_bigram_check():
    def right(sentences, V):
        return causal.next_token_probs(causal.bigram_counts(sentences, V))

    def columns(sentences, V):
        counts = causal.bigram_counts(sentences, V).astype(float)
        return counts / np.maximum(counts.sum(axis=0, keepdims=True), 1)

    def no_edges(sentences, V):
        return right(sentences, V)[:V, :V]
    assert cf.check_bigram_probs(right)
    with pytest.raises(ExerciseCheckFailed, match="ROW|row"):
        cf.check_bigram_probs(columns)
    with pytest.raises(ExerciseCheckFailed, match="sentence start"):
        cf.check_bigram_probs(no_edges)


def test_same_pairs_check():
    from collections import Counter

    from skipgram_lab.pairs import skipgram_pairs

    def right(a, b, window):
        count = lambda s: Counter(map(tuple, skipgram_pairs([s], window).tolist()))  # noqa: E731
        return count(a) == count(b)

    def as_sets(a, b, window):
        return set(map(tuple, skipgram_pairs([a], window).tolist())) == set(
            map(tuple, skipgram_pairs([b], window).tolist()))

    def as_lists(a, b, window):
        return skipgram_pairs([a], window).tolist() == skipgram_pairs([b], window).tolist()
    assert cf.check_same_pairs(right)
    with pytest.raises(ExerciseCheckFailed, match="multisets"):
        cf.check_same_pairs(as_lists)
    with pytest.raises(ExerciseCheckFailed, match="multisets"):
        cf.check_same_pairs(as_sets)


def test_words_per_window_check():
    from skipgram_lab.book.subword_stats import window_span

    def right(word_of, window):
        return window_span([word_of], window).words_per_window

    def counts_pieces(word_of, window):
        n = len(word_of)
        return np.mean([min(i, window) + min(n - 1 - i, window) for i in range(n)])

    def keeps_own(word_of, window):
        n = len(word_of)
        return np.mean([len(set(word_of[max(0, i - window):i].tolist()
                                + word_of[i + 1:i + window + 1].tolist())) for i in range(n)])
    assert cf.check_words_per_window(right)
    with pytest.raises(ExerciseCheckFailed, match="not pieces"):
        cf.check_words_per_window(counts_pieces)
    with pytest.raises(ExerciseCheckFailed, match="own word"):
        cf.check_words_per_window(keeps_own)
