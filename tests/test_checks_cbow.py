"""Chapter 13's checks pass the reference and name the typical mistakes."""

import numpy as np
import pytest

from skipgram_lab import cbow
from skipgram_lab import negative_sampling as ns
from skipgram_lab.checks import ExerciseCheckFailed, check_cbow_gradient, check_rare_purity
from skipgram_lab.checks.cbow import reference_rare_purity


def test_reference_gradient_passes(capsys):
    assert check_cbow_gradient(cbow.loss_and_grad)
    assert capsys.readouterr().out.startswith("Correct")


def with_share(share):
    """A CBOW gradient whose context rows get ``share(m, K) * dL/dh``."""
    def loss_and_grad(E_C, o_w, O_neg):
        m, K = E_C.shape[0], O_neg.shape[0]
        loss, g_h, g_w, g_neg = ns.loss_and_grad(E_C.mean(axis=0), o_w, O_neg)
        return loss, np.tile(share(m, K) * g_h, (m, 1)), g_w, g_neg
    return loss_and_grad


def summed_h(E_C, o_w, O_neg):
    loss, g_h, g_w, g_neg = ns.loss_and_grad(E_C.sum(axis=0), o_w, O_neg)
    return loss, np.tile(g_h / len(E_C), (len(E_C), 1)), g_w, g_neg


def first_row_only(E_C, o_w, O_neg):
    loss, g_C, g_w, g_neg = cbow.loss_and_grad(E_C, o_w, O_neg)
    g_C[1:] = 0.0
    return loss, g_C, g_w, g_neg


def one_row(E_C, o_w, O_neg):
    loss, g_C, g_w, g_neg = cbow.loss_and_grad(E_C, o_w, O_neg)
    return loss, g_C[0], g_w, g_neg


def stub(E_C, o_w, O_neg):
    raise NotImplementedError


@pytest.mark.parametrize("fn,message", [
    (with_share(lambda m, K: 1.0), "each row got the whole dL/dh"),
    (with_share(lambda m, K: 1.0 / m**2), "divided by m twice"),
    (with_share(lambda m, K: 1.0 / (K + 1)), "divided by K \\+ 1"),
    (with_share(lambda m, K: -1.0 / m), "sign is flipped"),
    (summed_h, "mean of the context rows"),
    (first_row_only, "every row gets the same gradient"),
    (one_row, "one gradient row per context row"),
    (stub, "not implemented yet"),
])
def test_typical_gradient_mistakes_are_named(fn, message):
    with pytest.raises(ExerciseCheckFailed, match=message):
        check_cbow_gradient(fn)


def test_reference_purity_passes(capsys):
    assert check_rare_purity(reference_rare_purity)
    assert capsys.readouterr().out.startswith("Correct")


def test_reference_purity_by_hand():
    X = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    labels = np.array([0, 0, 1, 0])
    assert reference_rare_purity(X, labels, np.array([0, 2]), k=1) == 0.5  # 0 -> 1 (same), 2 -> 3 (other)


def with_self(X, labels, rows, k):
    U = X / np.linalg.norm(X, axis=1, keepdims=True)
    near = np.argsort(-(U[rows] @ U.T), axis=1, kind="stable")[:, :k]
    return float((labels[near] == labels[rows][:, None]).mean())


def by_dot(X, labels, rows, k):
    S = X[rows] @ X.T
    S[np.arange(len(rows)), rows] = -np.inf
    near = np.argsort(-S, axis=1, kind="stable")[:, :k]
    return float((labels[near] == labels[rows][:, None]).mean())


@pytest.mark.parametrize("fn,message", [
    (with_self, "its own nearest neighbour"),
    (by_dot, "dot product"),
    (lambda X, labels, rows, k: 0.0, "the k largest"),
])
def test_typical_purity_mistakes_are_named(fn, message):
    with pytest.raises(ExerciseCheckFailed, match=message):
        check_rare_purity(fn)
