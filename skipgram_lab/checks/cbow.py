"""Exercise checks for chapter 13 (CBOW): its gradient, and the purity of rare words' neighbours.

Same contract as :mod:`skipgram_lab.checks`: print a line starting with
"Correct" and return True, or raise :class:`~skipgram_lab.checks.ExerciseCheckFailed`
saying what is wrong and how to fix it.

>>> from skipgram_lab import cbow
>>> from skipgram_lab.checks import check_cbow_gradient
>>> check_cbow_gradient(cbow.loss_and_grad)
Correct: all four outputs match the reference at 5 random points (max error 0.0e+00).
True
"""

from __future__ import annotations

import numpy as np

from .. import cbow
from .. import negative_sampling as ns
from ._core import ExerciseCheckFailed, _call, _compare


def _cbow_points():
    """Five examples whose window sizes m differ from K + 1 and from 2, so wrong counts show."""
    rng = np.random.default_rng(1313)
    for m, d, K in [(3, 4, 1), (4, 3, 2), (5, 2, 3), (3, 5, 4), (6, 3, 1)]:
        yield rng.normal(size=(m, d)), rng.normal(size=d), rng.normal(size=(K, d))


def _cbow_hint(name, got, E_C, o_w, O_neg):
    """Recognise the classic mistakes by what the wrong answer equals."""
    m, K = E_C.shape[0], O_neg.shape[0]
    h = E_C.mean(axis=0)
    _, grad_h, grad_o_w, grad_O_neg = ns.loss_and_grad(h, o_w, O_neg)  # the loss seen from h
    _, grad_sum, _, _ = ns.loss_and_grad(E_C.sum(axis=0), o_w, O_neg)
    got = np.asarray(got, dtype=np.float64)
    if name == "grad_E_C":
        if got.shape != E_C.shape:
            return f"Hint: return one gradient row per context row, shape (m, d) = {E_C.shape}."
        for wrong, hint in [
            (grad_h, "each row got the whole dL/dh. The mean divides every row by m, so each row's "
                     "gradient is dL/dh / m (word2vec.c adds the whole dL/dh, but that is not the gradient)."),
            (grad_h / m**2, "you divided by m twice: dL/dE[c_j] = dL/dh / m, once."),
            (grad_h / (K + 1), "you divided by K + 1, the number of targets: divide by m, the number "
                               "of context rows in the mean."),
            (grad_sum / m, "h must be the mean of the context rows, not their sum."),
            (-grad_h / m, "the sign is flipped: dL/dh = (p - 1) o_w + sum_k p_k o_nk."),
        ]:
            if np.allclose(got, np.broadcast_to(wrong, E_C.shape)):
                return "Hint: " + hint
        if np.allclose(got[0], grad_h / m) and not np.allclose(got[1:], grad_h / m):
            return "Hint: every context row is in the mean, so every row gets the same gradient dL/dh / m."
        return "Hint: compute dL/dh as for skip-gram's e_w, then share it: dL/dE[c_j] = dL/dh / m."
    if name in ("grad_o_w", "grad_O_neg") and np.allclose(got, m * np.asarray(
            grad_o_w if name == "grad_o_w" else grad_O_neg)):
        return "Hint: the output rows are multiplied by h, the mean of the context rows, not their sum."
    if name == "loss":
        return "Hint: h = mean of the context rows; L = -log sigma(h . o_w) - sum_k log sigma(-h . o_nk)."
    return "Hint: the output gradients are skip-gram's with e_w replaced by h: (p - 1) h and p_k h."


def check_cbow_gradient(loss_and_grad, tol=1e-6):
    """Check ``loss_and_grad(E_C, o_w, O_neg) -> (loss, grad_E_C, grad_o_w, grad_O_neg)``.

    The exercise of chapter 13 on eq. ``cbow-grad``.
    """
    worst = 0.0
    for E_C, o_w, O_neg in _cbow_points():
        out = _call(loss_and_grad, E_C.copy(), o_w.copy(), O_neg.copy())
        if not isinstance(out, tuple) or len(out) != 4:
            raise ExerciseCheckFailed("return a tuple (loss, grad_E_C, grad_o_w, grad_O_neg).")
        ref = cbow.loss_and_grad(E_C, o_w, O_neg)
        for name, got, expected in zip(["loss", "grad_E_C", "grad_o_w", "grad_O_neg"], out, ref):
            if np.shape(got) != np.shape(expected):
                hint = _cbow_hint(name, got, E_C, o_w, O_neg) if name == "grad_E_C" else ""
                raise ExerciseCheckFailed(
                    f"{name} has shape {np.shape(got)}, expected {np.shape(expected)}. {hint}".strip())
            worst = max(worst, _compare(name, got, expected, tol, _cbow_hint(name, got, E_C, o_w, O_neg)))
    print(f"Correct: all four outputs match the reference at 5 random points (max error {worst:.1e}).")
    return True


def reference_rare_purity(X, labels, rows, k=5):
    """Mean k-NN purity of ``rows``: the share of each one's k nearest rows (cosine, itself excluded) in its group.

    Parameters
    ----------
    X : (n, d) float ndarray
        One row per grouped word.
    labels : (n,) int ndarray
        The group of each row.
    rows : (r,) int ndarray
        The rows asked about (the rare words).
    k : int

    Returns
    -------
    float
    """
    U = X / np.linalg.norm(X, axis=1, keepdims=True)
    S = U[rows] @ U.T  # (r, n)
    S[np.arange(len(rows)), rows] = -np.inf  # a word is not its own neighbour
    near = np.argsort(-S, axis=1, kind="stable")[:, :k]
    return float((labels[near] == labels[rows][:, None]).mean())


def _purity_points():
    """Rows of very different lengths (so dot products and cosines rank differently), three groups."""
    rng = np.random.default_rng(77)
    for n, d in [(30, 4), (24, 3), (40, 5)]:
        labels = rng.integers(0, 3, n)
        centers = rng.normal(size=(3, d)) * 2
        X = (centers[labels] + rng.normal(size=(n, d))) * rng.uniform(0.2, 5.0, (n, 1))
        yield X, labels, rng.choice(n, 6, replace=False)


def check_rare_purity(rare_purity, k=5):
    """Check ``rare_purity(X, labels, rows, k) -> float`` (the k-NN purity of chapters 6 and 13, for some rows)."""
    for X, labels, rows in _purity_points():
        got = _call(rare_purity, X.copy(), labels.copy(), rows.copy(), k)
        expected = reference_rare_purity(X, labels, rows, k)
        if np.isclose(got, expected, atol=1e-12):
            continue
        U = X / np.linalg.norm(X, axis=1, keepdims=True)
        S = U[rows] @ U.T
        with_self = float((labels[np.argsort(-S, 1, kind="stable")[:, :k]] == labels[rows][:, None]).mean())
        D = X[rows] @ X.T
        D[np.arange(len(rows)), rows] = -np.inf
        by_dot = float((labels[np.argsort(-D, 1, kind="stable")[:, :k]] == labels[rows][:, None]).mean())
        if np.isclose(got, with_self):
            hint = "each word was counted as its own nearest neighbour: set its own similarity to -inf first."
        elif np.isclose(got, by_dot):
            hint = "neighbours were ranked by dot product: divide the rows by their lengths (cosine) first."
        else:
            hint = "for each row asked about: cosines to all rows, itself excluded, the k largest, share in its group."
        raise ExerciseCheckFailed(f"rare_purity is wrong: expected {expected:.4f}, got {float(got):.4f}. Hint: {hint}")
    print("Correct: the purity matches the reference on 3 sets of rows.")
    return True
