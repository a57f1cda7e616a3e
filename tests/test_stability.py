"""Neighbour overlap, sentence bootstraps, count bins and the paired rho difference."""

import numpy as np
import pytest

from skipgram_lab.corpus import Vocab
from skipgram_lab.embeddings import Embeddings
from skipgram_lab.evaluate import word_similarity
from skipgram_lab.stability import binned_by_count, bootstrap_sentences, neighbour_overlap, rho_difference


def emb_of(E, tokens=None, counts=None):
    E = np.asarray(E, float)
    tokens = tokens or [f"w{i}" for i in range(len(E))]
    counts = counts if counts is not None else np.arange(len(E), 0, -1)
    return Embeddings(E, np.zeros_like(E), Vocab(tokens, counts))


def test_bootstrap_sentences_is_a_seeded_resample_with_replacement():
    ids = bootstrap_sentences(1000, rng=0)
    assert ids.shape == (1000,) and np.all(np.diff(ids) >= 0) and 0 <= ids.min() and ids.max() < 1000
    assert np.array_equal(ids, bootstrap_sentences(1000, rng=0))
    assert 0.55 < len(np.unique(ids)) / 1000 < 0.71  # 1 - 1/e = 0.632 of the sentences


def test_overlap_is_one_for_a_rotation_and_matches_a_brute_force_count():
    rng = np.random.default_rng(1)
    E = rng.normal(size=(40, 5))
    Q, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    words = [f"w{i}" for i in range(40)]
    assert np.all(neighbour_overlap(emb_of(E), emb_of(E @ Q), words, k=5).overlap == 1.0)
    F = E + 0.8 * rng.normal(size=E.shape)
    got = neighbour_overlap(emb_of(E), emb_of(F), words, k=5)

    def top(M, i):
        U = M / np.linalg.norm(M, axis=1, keepdims=True)
        s = U @ U[i]
        s[i] = -np.inf
        return set(np.argsort(-s, kind="stable")[:5])

    brute = [len(top(E, i) & top(F, i)) / 5 for i in range(40)]
    np.testing.assert_allclose(got.overlap, brute)
    assert 0 < got.overlap.mean() < 1 and got.n_shared == 40


def test_overlap_searches_only_the_shared_words_and_skips_missing_queries():
    E = np.eye(4) + 0.1
    a = emb_of(E, ["a", "b", "c", "d"])
    b = emb_of(E[:3], ["c", "a", "b"])  # d missing, order changed
    r = neighbour_overlap(a, b, ["a", "d", "zzz"], k=1)
    assert r.words == ["a"] and r.n_shared == 3 and r.counts.tolist() == [4]


def test_binned_by_count_averages_by_quantile_bins():
    bins = binned_by_count([1.0, 2, 3, 4, 5, 6], [1, 1, 5, 5, 9, 9], n_bins=3)
    assert [(b.count_min, b.count_max, b.n_words, b.mean) for b in bins] == [
        (1, 1, 2, 1.5), (5, 5, 2, 3.5), (9, 9, 2, 5.5)]
    with pytest.raises(ValueError, match="values and counts"):
        binned_by_count([1.0], [1, 2])


def test_rho_difference_is_zero_for_the_same_model_and_brackets_the_true_difference():
    rng = np.random.default_rng(2)
    E = rng.normal(size=(30, 6))
    a = emb_of(E)
    pairs = [(f"w{i}", f"w{j}", float(a.similarity(f"w{i}", f"w{j}") + 0.3 * rng.normal()))
             for i, j in rng.choice(30, (80, 2)) if i != j]
    same = rho_difference(a, a, pairs, n_boot=200, rng=0)
    assert same.difference == 0 and same.ci_low == same.ci_high == 0
    b = emb_of(E + 1.5 * rng.normal(size=E.shape))
    d = rho_difference(a, b, pairs, n_boot=500, rng=0)
    assert d.rho_a == pytest.approx(word_similarity(a, pairs, n_boot=1).rho)
    assert d.ci_low < d.difference < d.ci_high and d.ci_low > 0


def test_bad_input_is_named():
    e = emb_of(np.eye(3))
    with pytest.raises(ValueError, match="k must be smaller"):
        neighbour_overlap(e, e, ["w0"], k=3)
    with pytest.raises(ValueError, match="words has no word"):
        neighbour_overlap(e, e, ["nope"], k=1)
    with pytest.raises(ValueError, match="emb must"):
        neighbour_overlap(e, np.eye(3), ["w0"])
    with pytest.raises(ValueError, match="n_sentences"):
        bootstrap_sentences(0)
    with pytest.raises(ValueError, match="pairs items"):
        rho_difference(e, e, [("w0", "w1")])
