"""Exercise checks for chapter 4 ("One update, step by step"): how one step moves a negative's score.

Same contract as :mod:`skipgram_lab.checks`: print a line starting with
"Correct" and return True, or raise :class:`~skipgram_lab.checks.ExerciseCheckFailed`
saying what is wrong and how to fix it.

>>> from skipgram_lab.checks.update import check_negative_score_change, negative_score_change
>>> check_negative_score_change(negative_score_change)  # doctest: +ELLIPSIS
Correct: the measured change of s_k at 6 points (max error ...).
True
"""

from __future__ import annotations

import numpy as np

from .. import negative_sampling as ns
from ._core import _call, _compare


def negative_score_change(e_w, o_c, o_n, lr):
    """Exact change of ``s_k = e_w . o_n`` after one step with one positive and one negative.

    With ``a = lr (1 - p)`` and ``b = lr p_k`` the step is
    ``e_w += a o_c - b o_n``, ``o_c += a e_w``, ``o_n -= b e_w`` (eq. ``ns-update``), so::

        s_k_new - s_k = -b (|e_w|^2 + |o_n|^2) + b^2 s_k + a (o_c . o_n - b s)

    The push (first term) lowers ``s_k``; the pull moves ``e_w`` along ``o_c``
    and raises ``s_k`` when ``o_c . o_n > b s``.
    """
    s, s_k = float(e_w @ o_c), float(e_w @ o_n)
    a, b = lr * (1.0 - float(ns.sigmoid(s))), lr * float(ns.sigmoid(s_k))
    return -b * (e_w @ e_w + o_n @ o_n) + b * b * s_k + a * (o_c @ o_n - b * s)


def _points():
    """(e_w, o_c, o_n, lr): random ones, a pull-dominated one and a large-lr one."""
    rng = np.random.default_rng(41)
    for _ in range(4):
        d = int(rng.integers(2, 5))
        yield rng.normal(size=d), rng.normal(size=d), rng.normal(size=d), 0.3
    yield np.array([0.1, 0.0]), np.array([2.0, 2.0]), np.array([1.0, 1.2]), 0.5  # o_n ~ o_c
    yield np.array([1.0, -0.5]), np.array([0.3, 0.8]), np.array([0.9, 0.1]), 3.0


def _actual_change(e_w, o_c, o_n, lr):
    E, O = np.stack([e_w, np.zeros_like(e_w), np.zeros_like(e_w)]), np.stack([np.zeros_like(e_w), o_c, o_n])
    record = ns.sgd_step(E, O, 0, 1, [2], lr)
    return float(E[0] @ O[2]) - float(record.s_neg[0])


def check_negative_score_change(score_change, tol=1e-10):
    """Check ``score_change(e_w, o_c, o_n, lr) -> float`` against a real SGD step.

    The reference is measured, not computed from a formula: one
    :func:`skipgram_lab.negative_sampling.sgd_step` with context ``o_c`` and
    the single negative ``o_n``, then ``s_k`` after minus ``s_k`` before.
    """
    worst = 0.0
    for e_w, o_c, o_n, lr in _points():
        got = _call(score_change, e_w.copy(), o_c.copy(), o_n.copy(), lr)
        expected = _actual_change(e_w, o_c, o_n, lr)
        s_k = e_w @ o_n
        b = lr * ns.sigmoid(s_k)  # the push on the noise score
        push_only = -b * (e_w @ e_w + o_n @ o_n)
        if np.isclose(got, push_only) and not np.isclose(got, expected):
            hint = ("Hint: that is the push alone, to first order. The product of the two moves "
                    "adds b^2 s_k, and the pull on e_w (a o_c) changes s_k by a (o_c . o_n - b s).")
        elif np.isclose(got, push_only + b * b * s_k) and not np.isclose(got, expected):
            hint = ("Hint: the pull is missing. e_w also gains a o_c in the same step, which adds "
                    "a (o_c . o_n - b s) to s_k.")
        elif np.isclose(got, -expected):
            hint = "Hint: the sign is flipped: return s_k after minus s_k before."
        else:
            hint = ("Hint: write e_w' = e_w + a o_c - b o_n and o_n' = o_n - b e_w with the OLD "
                    "rows, multiply out e_w' . o_n' and subtract s_k.")
        worst = max(worst, _compare(f"the change of s_k at lr={lr}", got, expected, tol, hint))
    print(f"Correct: the measured change of s_k at 6 points (max error {worst:.1e}).")
    return True
