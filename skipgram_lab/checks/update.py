"""Exercise checks for chapter 4 ("One update, step by step"): how one step moves the noise scores.

Same contract as :mod:`skipgram_lab.checks`: print a line starting with
"Correct" and return True, or raise :class:`~skipgram_lab.checks.ExerciseCheckFailed`
saying what is wrong and how to fix it.

>>> from skipgram_lab.checks.update import check_negative_score_change, negative_score_change
>>> check_negative_score_change(negative_score_change)  # doctest: +ELLIPSIS
Correct: the measured change of every s_k at 7 points, K = 1 to 4 (max error ...).
True
"""

from __future__ import annotations

import numpy as np

from .. import negative_sampling as ns
from ._core import ExerciseCheckFailed, _call, _compare


def negative_score_change(e_w, o_c, O_neg, lr):
    """Exact change of every noise score ``s_k = e_w . o_nk`` after one step with K negatives.

    Implements eq. ``ns-dsk`` of chapter 4. With ``a = lr (1 - p)`` and
    ``b_k = lr p_k`` the step is ``e_w += a o_c - sum_j b_j o_nj``,
    ``o_c += a e_w``, ``o_nk -= b_k e_w`` (eq. ``ns-update``), so::

        s_k_new - s_k = -b_k (|e_w|^2 + |o_nk|^2) + b_k^2 s_k + a (o_c . o_nk - b_k s)
                        - sum_{j != k} b_j (o_nj . o_nk - b_k s_j)

    The push on negative k (first two terms) lowers ``s_k``; the pull (third)
    and the pushes of the *other* negatives (last) move ``e_w`` and can raise it.

    Parameters
    ----------
    e_w, o_c : (d,) float ndarray
        Center row and true context row before the step.
    O_neg : (K, d) float ndarray
        Rows of K distinct noise ids, none equal to the context.
    lr : float

    Returns
    -------
    (K,) ndarray
        ``s_k`` after the step minus ``s_k`` before, for each negative.
    """
    s, s_neg = float(e_w @ o_c), O_neg @ e_w  # (), (K,)
    a, b = lr * (1.0 - float(ns.sigmoid(s))), lr * ns.sigmoid(s_neg)  # (), (K,)
    G = O_neg @ O_neg.T  # (K, K): o_nj . o_nk
    own = -b * (e_w @ e_w + np.diag(G)) + b * b * s_neg + a * (O_neg @ o_c - b * s)
    others = b @ G - b * np.diag(G) - b * (b @ s_neg - b * s_neg)  # sum over j != k
    return own - others


def _one_negative_each(e_w, o_c, O_neg, lr):
    """The one-negative formula applied to each negative alone (misses the other pushes)."""
    s, s_neg = float(e_w @ o_c), O_neg @ e_w
    a, b = lr * (1.0 - float(ns.sigmoid(s))), lr * ns.sigmoid(s_neg)
    return -b * (e_w @ e_w + np.sum(O_neg * O_neg, axis=1)) + b * b * s_neg + a * (O_neg @ o_c - b * s)


def _points():
    """(e_w, o_c, O_neg, lr): random steps with K = 1..4, the chapter's step, a pull-dominated one,
    and one where another negative's push raises a noise score."""
    rng = np.random.default_rng(41)
    for K in (1, 2, 3, 4):
        d = int(rng.integers(2, 5))
        yield rng.normal(size=d), rng.normal(size=d), rng.normal(size=(K, d)), 0.3
    yield (np.array([0.9, -0.3]), np.array([0.1, 0.9]),  # chapter 4: dog, ball, [sofa, apple]
           np.array([[0.8, 0.2], [-0.6, 0.5]]), 0.5)
    yield (np.array([0.1, 0.0]), np.array([2.0, 2.0]),  # o_n ~ o_c: the pull wins
           np.array([[1.0, 1.2]]), 0.5)
    yield (np.array([1.0, -0.5]), np.array([0.3, 0.8]),  # large lr, two negatives
           np.array([[0.9, 0.1], [-0.4, 0.7]]), 3.0)


def _actual_change(e_w, o_c, O_neg, lr):
    """Measured: one :func:`ns.sgd_step` on rows 0 (center), 1 (context), 2.. (negatives)."""
    K, d = O_neg.shape
    E = np.zeros((K + 2, d))
    E[0] = e_w
    O = np.vstack([np.zeros(d), o_c, O_neg])
    negatives = np.arange(2, K + 2)
    record = ns.sgd_step(E, O, 0, 1, negatives, lr)
    return O[negatives] @ E[0] - record.s_neg


def check_negative_score_change(score_change, tol=1e-10):
    """Check ``score_change(e_w, o_c, O_neg, lr) -> (K,) array`` against real SGD steps.

    The reference is measured, not computed from a formula: one
    :func:`skipgram_lab.negative_sampling.sgd_step` with context ``o_c`` and
    the K negatives ``O_neg``, then every ``s_k`` after minus before.
    """
    worst = 0.0
    n_points = 0
    for e_w, o_c, O_neg, lr in _points():
        n_points += 1
        K = len(O_neg)
        try:
            got = _call(score_change, e_w.copy(), o_c.copy(), O_neg.copy(), lr)
        except ExerciseCheckFailed:
            raise
        except Exception as err:
            raise ExerciseCheckFailed(
                f"{getattr(score_change, '__name__', 'your function')} raised {type(err).__name__} "
                f"({err}) for O_neg of shape {O_neg.shape}. It takes all K noise rows at once, "
                "a (K, d) array, and returns the K changes: work with O_neg @ e_w and O_neg @ O_neg.T."
            ) from None
        got = np.asarray(got, dtype=np.float64)
        if got.shape != (K,):
            raise ExerciseCheckFailed(
                f"the change of s_k has shape {got.shape} for K = {K} negatives, expected ({K},): "
                "return one change per negative.")
        expected = _actual_change(e_w, o_c, O_neg, lr)
        s_neg = O_neg @ e_w
        b = lr * ns.sigmoid(s_neg)  # the pushes
        push_only = -b * (e_w @ e_w + np.sum(O_neg * O_neg, axis=1))
        one_each = _one_negative_each(e_w, o_c, O_neg, lr)
        wrong = not np.allclose(got, expected, rtol=0, atol=tol)
        if wrong and np.allclose(got, one_each, rtol=0, atol=tol):
            hint = ("Hint: that is the one-negative formula applied to each negative alone. In a step "
                    "with K negatives e_w also loses b_j o_nj for every OTHER negative j, which adds "
                    "-sum_{j != k} b_j (o_nj . o_nk - b_k s_j) to s_k.")
        elif wrong and np.allclose(got, push_only, rtol=0, atol=tol):
            hint = ("Hint: that is the push alone, to first order. The product of the two moves "
                    "adds b_k^2 s_k, the pull on e_w adds a (o_c . o_nk - b_k s), and the other "
                    "negatives' pushes add -sum_{j != k} b_j (o_nj . o_nk - b_k s_j).")
        elif wrong and np.allclose(got, push_only + b * b * s_neg, rtol=0, atol=tol):
            hint = ("Hint: the pull is missing. e_w also gains a o_c in the same step, which adds "
                    "a (o_c . o_nk - b_k s) to s_k.")
        elif wrong and np.allclose(got, -expected, rtol=0, atol=tol):
            hint = "Hint: the sign is flipped: return s_k after minus s_k before."
        else:
            hint = ("Hint: write e_w' = e_w + a o_c - sum_j b_j o_nj and o_nk' = o_nk - b_k e_w with "
                    "the OLD rows, multiply out e_w' . o_nk' and subtract s_k.")
        worst = max(worst, _compare(f"the change of s_k (K = {K}, lr = {lr})", got, expected, tol, hint))
    print(f"Correct: the measured change of every s_k at {n_points} points, K = 1 to 4 "
          f"(max error {worst:.1e}).")
    return True
