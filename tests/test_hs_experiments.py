"""The minibatch hierarchical-softmax step against the per-pair step, and the cost timer."""

import numpy as np
import pytest

from skipgram_lab import hierarchical_softmax as hs
from skipgram_lab.book import hs_experiments as hx
from skipgram_lab.corpus import Vocab, tokenize, toy_corpus


def test_padded_paths_hold_the_tree():
    tree = hs.huffman_tree(np.array([7, 5, 3, 2, 2, 1]))
    paths, codes, mask = hx.padded_paths(tree)
    for c in range(6):
        n = len(tree.paths[c])
        assert mask[c].sum() == n
        assert paths[c, :n].tolist() == tree.paths[c].tolist()
        assert codes[c, :n].tolist() == tree.codes[c].tolist()


def test_batch_of_one_is_the_per_pair_step():
    rng = np.random.default_rng(0)
    counts = np.array([9, 6, 4, 3, 2, 1])
    tree = hs.huffman_tree(counts)
    padded = hx.padded_paths(tree)
    E, U = rng.normal(size=(6, 4)), rng.normal(size=(5, 4))
    E2, U2 = E.copy(), U.copy()
    for w, c in [(0, 5), (3, 1), (5, 5), (2, 0)]:
        loss = hx.hs_pairs_step(E, U, np.array([w]), np.array([c]), *padded, lr=0.1)
        assert loss == pytest.approx(hs.sgd_step(E2, U2, w, c, tree, lr=0.1), rel=1e-12)
    np.testing.assert_allclose(E, E2, rtol=1e-12)
    np.testing.assert_allclose(U, U2, rtol=1e-12)


def test_a_batch_adds_the_per_pair_gradients_at_the_old_values():
    rng = np.random.default_rng(1)
    tree = hs.huffman_tree(np.array([9, 6, 4, 3, 2, 1]))
    E, U = rng.normal(size=(6, 4)), rng.normal(size=(5, 4))
    w, c = np.array([0, 0, 4]), np.array([5, 1, 5])  # repeated center, repeated path
    expected_E, expected_U = E.copy(), U.copy()
    for wi, ci in zip(w, c):
        _, g_e, g_U = hs.loss_and_grad(E[wi], U[tree.paths[ci]], tree.codes[ci])
        expected_E[wi] -= 0.1 * g_e
        np.add.at(expected_U, tree.paths[ci], -0.1 * g_U)
    hx.hs_pairs_step(E, U, w, c, *hx.padded_paths(tree), lr=0.1)
    np.testing.assert_allclose(E, expected_E, rtol=1e-12)
    np.testing.assert_allclose(U, expected_U, rtol=1e-12)


def test_training_lowers_the_loss():
    sentences = [tokenize(s) for s in toy_corpus()]
    vocab = Vocab.from_sentences(sentences)
    result = hx.train_hierarchical(vocab.encode_sentences(sentences), vocab, dim=10, lr=0.1,
                                   epochs=15, batch_size=4, rng=0)
    assert result.history["loss"][-1] < result.history["loss"][0] - 0.5
    assert result.O.shape == result.E.shape and not result.O[-1].any()


def test_step_seconds_times_both_steps():
    times = hx.step_seconds(200, 8, 16, repeats=1, rng=0)
    assert set(times) == {"full softmax", "negative sampling"}
    assert all(t > 0 for t in times.values())
