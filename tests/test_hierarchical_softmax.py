"""Hierarchical softmax: a valid distribution, finite differences, the Huffman property."""

import numpy as np
import pytest

from skipgram_lab import hierarchical_softmax as hs
from skipgram_lab.gradcheck import gradcheck


def test_huffman_paths_are_prefix_free_and_frequent_words_are_shallow():
    counts = np.array([50, 20, 10, 10, 5, 3, 1, 1])
    tree = hs.huffman_tree(counts)
    assert tree.n_inner == 7
    words = ["".join(map(str, c)) for c in tree.codes]
    assert len(set(words)) == 8
    assert not any(a != b and b.startswith(a) for a in words for b in words)
    depth = [len(p) for p in tree.paths]
    assert depth[0] == min(depth) and depth[-1] == max(depth)
    assert all(p[0] == 6 for p in tree.paths)  # every path starts at the root, inner node V - 2
    # Kraft equality for a full binary tree
    assert sum(2.0 ** -d for d in depth) == pytest.approx(1.0)


@pytest.mark.parametrize("V", [2, 3, 10, 57])
def test_probabilities_sum_to_one(V):
    rng = np.random.default_rng(V)
    tree = hs.huffman_tree(rng.integers(1, 100, size=V))
    P = hs.probabilities(rng.normal(size=4), rng.normal(size=(V - 1, 4)), tree)
    assert P.shape == (V,) and np.all(P > 0)
    assert P.sum() == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_gradients_match_finite_differences(seed):
    rng = np.random.default_rng(seed)
    tree = hs.huffman_tree(rng.integers(1, 50, size=12))
    c = int(rng.integers(12))
    U = rng.normal(size=(11, 5))
    args = dict(e_w=rng.normal(size=5), U_path=U[tree.paths[c]], code=tree.codes[c])
    report = gradcheck(hs.loss_and_grad, args, ["e_w", "U_path"])
    assert report.passed, str(report)


def test_step_lowers_the_loss_and_touches_only_the_path():
    rng = np.random.default_rng(1)
    tree = hs.huffman_tree(np.array([9, 7, 5, 3, 2, 1]))
    E, U = rng.normal(size=(6, 3)), rng.normal(size=(5, 3))
    U0 = U.copy()
    before = hs.sgd_step(E, U, 0, 4, tree, 0.1)
    after = hs.loss_and_grad(E[0], U[tree.paths[4]], tree.codes[4])[0]
    assert after < before
    untouched = np.setdiff1d(np.arange(5), tree.paths[4])
    np.testing.assert_array_equal(U[untouched], U0[untouched])


def test_bad_input():
    with pytest.raises(ValueError, match="at least 2 tokens"):
        hs.huffman_tree([3])
    with pytest.raises(ValueError, match="code must be 2 values of 0 or 1"):
        hs.loss_and_grad(np.zeros(2), np.zeros((2, 2)), [0, 2])
    tree = hs.huffman_tree([2, 1, 1])
    with pytest.raises(ValueError, match="U must have V - 1 = 2 rows"):
        hs.sgd_step(np.zeros((3, 2)), np.zeros((3, 2)), 0, 1, tree, 0.1)
