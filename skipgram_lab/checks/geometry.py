"""Exercise checks for Part II's chapters on geometry, what the vectors encode, and two matrices.

Same contract as :mod:`skipgram_lab.checks`: print a line starting with
"Correct" and return True, or raise :class:`~skipgram_lab.checks.ExerciseCheckFailed`
saying what is wrong and how to fix it.

>>> from skipgram_lab.book import claims
>>> from skipgram_lab.checks import check_row_gradient
>>> check_row_gradient(claims.row_loss_and_grad)
Correct: loss and gradient match at 5 random points (max error 0.0e+00).
True
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..book import claims
from .. import negative_sampling as ns
from ._core import ExerciseCheckFailed, _call, _compare
from ..pairs import skipgram_pairs


def _row_points(n=5):
    rng = np.random.default_rng(606)
    for _ in range(n):
        V, d, K = int(rng.integers(3, 8)), int(rng.integers(2, 5)), int(rng.integers(1, 6))
        yield (rng.normal(size=d), rng.normal(size=(V, d)), rng.dirichlet(np.ones(V)),
               rng.dirichlet(np.ones(V)), K)


def check_row_gradient(row_loss_and_grad, tol=1e-6):
    """Check ``row_loss_and_grad(e, O, pi, q, K) -> (loss, grad)`` (eqs. ``geo-row-loss``, ``geo-row-grad``)."""
    worst = 0.0
    for x, O, pi, q, K in _row_points():
        out = _call(row_loss_and_grad, x.copy(), O.copy(), pi.copy(), q.copy(), K)
        if not isinstance(out, tuple) or len(out) != 2:
            raise ExerciseCheckFailed("return a tuple (loss, grad).")
        loss, grad = claims.row_loss_and_grad(x, O, pi, q, K)
        s = O @ x
        hint = "Hint: l = sum_c pi(c) (-log sigma(s_c)) + K sum_n q(n) (-log sigma(-s_n)) with s = O e."
        if np.isclose(float(out[0]), -pi @ ns.log_sigmoid(s) - q @ ns.log_sigmoid(-s)) and K != 1:
            hint = "Hint: the noise term is multiplied by K: each occurrence draws K negatives."
        worst = max(worst, _compare("loss", out[0], loss, tol, hint))
        got = np.asarray(out[1], dtype=np.float64)
        if got.shape == grad.shape and np.allclose(got, -grad):
            hint = "Hint: the sign is flipped: the true contexts enter with sigma(s) - 1 < 0."
        elif got.shape == (len(pi),):
            hint = "Hint: dl/ds has one entry per token; multiply by O (O.T @ ...) to get a (d,) gradient."
        else:
            hint = "Hint: dl/de = O^T (pi * (sigma(s) - 1) + K q * sigma(s))."
        worst = max(worst, _compare("grad", got, grad, tol, hint))
    print(f"Correct: loss and gradient match at 5 random points (max error {worst:.1e}).")
    return True


def _chance(groups):
    labels = list(groups.values())
    sizes = Counter(labels)
    n = len(labels)
    return float(np.mean([(sizes[g] - 1) / (n - 1) for g in labels]))


def check_chance_purity(chance_purity):
    """Check ``chance_purity(groups) -> float``: the k-NN purity of random neighbours."""
    cases = [{"a": "x", "b": "x", "c": "y", "d": "y"},
             {"a": "x", "b": "x", "c": "x", "d": "y", "e": "z"},
             {f"w{i}": f"g{i % 3}" for i in range(10)}]
    for groups in cases:
        got = _call(chance_purity, dict(groups))
        expected = _chance(groups)
        sizes, n = Counter(groups.values()), len(groups)
        with_self = float(np.mean([sizes[g] / n for g in groups.values()]))
        hint = ("Hint: a word is never its own neighbour: of the n - 1 other words, n_g - 1 share "
                "its group." if np.isclose(float(got), with_self) else
                "Hint: average (n_g - 1) / (n - 1) over the words (not over the groups).")
        _compare(f"chance_purity({groups})", got, expected, 1e-9, hint)
    print("Correct: chance purity matches on 3 groupings.")
    return True


def check_shuffle(shuffle, tol=0):
    """Check ``shuffle(sentences, rng) -> sentences`` with each sentence's tokens permuted."""
    sentences = [np.arange(8), np.array([5, 5, 1, 2]), np.array([3])]
    got = _call(shuffle, [s.copy() for s in sentences], np.random.default_rng(0))
    again = _call(shuffle, [s.copy() for s in sentences], np.random.default_rng(0))
    if len(got) != len(sentences):
        raise ExerciseCheckFailed(f"expected {len(sentences)} sentences back, got {len(got)}: "
                                  "shuffle inside each sentence, keep the sentences apart.")
    for i, (s, g) in enumerate(zip(sentences, got)):
        if sorted(np.asarray(g).tolist()) != sorted(s.tolist()):
            raise ExerciseCheckFailed(f"sentence {i} has other tokens after shuffling: {np.asarray(g).tolist()} "
                                      f"from {s.tolist()}. Hint: permute, do not draw with replacement.")
    if any(not np.array_equal(a, b) for a, b in zip(got, again)):
        raise ExerciseCheckFailed("the same rng seed gave different shuffles: draw only from rng.")
    if np.array_equal(got[0], sentences[0]):
        raise ExerciseCheckFailed("sentence 0 came back in its original order: nothing was shuffled.")
    print("Correct: same tokens per sentence, new order, fixed by the seed.")
    return True


def check_window_invariance(pair_multiset):
    """Check ``pair_multiset(sentence, window) -> Counter``: the (w, c) pairs of one sentence.

    Compared with :func:`skipgram_lab.pairs.skipgram_pairs` on four sentences,
    with windows below, at and above ``n - 1`` (the exercise on window-count
    invariance in chapter "What the vectors encode").
    """
    rng = np.random.default_rng(7)
    for n, window in [(4, 3), (6, 5), (6, 9), (5, 2)]:
        s = rng.integers(0, 4, size=n)
        got = _call(pair_multiset, s.copy(), window)
        expected = Counter(map(tuple, skipgram_pairs([s], window).tolist()))
        if Counter({tuple(int(x) for x in k): v for k, v in dict(got).items()}) != expected:
            raise ExerciseCheckFailed(
                f"pair_multiset({s.tolist()}, {window}) is wrong: expected {dict(expected)}. "
                "Hint: every (t_i, t_j) with 0 < |i - j| <= window, counted with multiplicity.")
    print("Correct: the pair multisets match on 4 sentences.")
    return True


def check_tied_step(tied_step, tol=1e-10):
    """Check ``tied_step(W, w, c, negatives, lr)`` that updates one shared matrix in place (eq. ``tm-self``)."""
    rng = np.random.default_rng(8)
    for w, c, negs in [(0, 1, [2, 3]), (2, 2, [1]), (1, 3, [1, 0]), (3, 3, [3, 0])]:
        W = rng.normal(scale=0.5, size=(5, 3))
        ref = W.copy()
        claims.tied_sgd_step(ref, w, c, negs, 0.1)
        got = W.copy()
        _call(tied_step, got, w, c, np.array(negs), 0.1)
        if c in negs:
            hint = "Hint: drop a noise id equal to the context c first, as the trainers do."
        elif w == c:
            hint = ("Hint: when w == c the row gets BOTH updates, as center and as context "
                    "(compute both from the old row, then add both).")
        elif w in negs:
            hint = "Hint: a negative equal to w updates the same row too: add, do not overwrite."
        else:
            hint = "Hint: compute all three gradients from the OLD rows before writing any."
        _compare(f"W after the step (w={w}, c={c}, negatives={negs})", got, ref, tol, hint)
    print("Correct: W matches after 4 steps (w == c and repeated ids included).")
    return True
