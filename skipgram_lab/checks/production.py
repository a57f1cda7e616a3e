"""Exercise checks for chapter 10 ("From the teaching loop to production").

Same contract as :mod:`skipgram_lab.checks`: print a line starting with
"Correct" and return True, or raise :class:`~skipgram_lab.checks.ExerciseCheckFailed`
saying what is wrong and how to fix it.

>>> import numpy as np
>>> from skipgram_lab.checks import check_scatter, check_kept_by_naive
>>> check_scatter(lambda M, ids, D: np.add.at(M, ids, D))
Correct: every row got the sum of its updates (6 batches, repeated ids).
True
>>> check_kept_by_naive(lambda ids: len(set(np.asarray(ids).tolist())))
Correct: naive += keeps one update per distinct row, on 5 batches.
True
"""

from __future__ import annotations

import math

import numpy as np

from ._core import ExerciseCheckFailed, _call, _compare
from ..pairs import keep_probability


def _batches():
    """(M, ids, D) with many repeats, a batch without repeats, and an empty one."""
    rng = np.random.default_rng(10)
    out = []
    for V, n, d, dtype in [(3, 3, 2, np.float64), (5, 40, 4, np.float64), (50, 200, 3, np.float64),
                           (7, 7, 1, np.float32), (9, 0, 2, np.float64)]:
        ids = np.full(n, 1) if V == 3 else rng.integers(0, V, n)
        out.append((rng.normal(size=(V, d)).astype(dtype), ids, rng.normal(size=(n, d)).astype(dtype)))
    out.append((np.zeros((6, 2)), np.arange(6)[::-1].copy(), np.ones((6, 2))))
    return out


def check_scatter(scatter_rows, tol=1e-12):
    """Check ``scatter_rows(M, ids, D)``: ``M[ids[i]] += D[i]`` for every i, duplicates added.

    The function must change ``M`` in place (its return value is ignored)
    and leave ``ids`` and ``D`` as they were. The reference is ``np.add.at``.
    """
    for M0, ids, D in _batches():
        M, ids_in, D_in = M0.copy(), ids.copy(), D.copy()
        expected = M0.copy()
        np.add.at(expected, ids, D)
        _call(scatter_rows, M, ids_in, D_in)
        if not (np.array_equal(ids_in, ids) and np.array_equal(D_in, D)):
            raise ExerciseCheckFailed("your function changed ids or D: only M may change.")
        if len(ids) and np.array_equal(M, M0):
            raise ExerciseCheckFailed(
                "M did not change: add into M in place (M[...] += ..., np.add.reduceat into a "
                "buffer then M[unique_ids] += buffer), do not return a new array.")
        naive = M0.copy()
        naive[ids] += D
        if len(ids) != len(np.unique(ids)) and np.allclose(M, naive) and not np.allclose(naive, expected):
            raise ExerciseCheckFailed(
                f"with ids={ids.tolist()[:8]}{'...' if len(ids) > 8 else ''} your M is what "
                "M[ids] += D gives: each repeated row kept one update. Group the updates by id "
                "first (sort ids, np.add.reduceat), then add each group's sum once.")
        _compare("M after the scatter", M, expected, tol,
                 "Hint: each row must gain the sum of all D[i] whose ids[i] is that row.")
    print(f"Correct: every row got the sum of its updates ({len(_batches())} batches, repeated ids).")
    return True


_KEEP_CASES = [(np.array([5000, 1200, 300, 90, 40, 7, 3, 1]), t) for t in (1e-1, 1e-2, 1e-3)] + [
    (np.array([1, 1, 1, 1]), 0.3), (np.array([10**6, 10, 1]), 1e-5)]


def check_keep_probability(keep_prob, drop_threshold=None):
    """Check ``keep_prob(counts, t, formula)`` against :func:`skipgram_lab.pairs.keep_probability`.

    ``formula`` is ``"paper"`` or ``"word2vec.c"``. If ``drop_threshold`` is
    given, ``drop_threshold(t)`` must be the relative frequency above which
    word2vec.c's formula starts to drop tokens.
    """
    for counts, t in _KEEP_CASES:
        f = counts / counts.sum()
        for formula in ("paper", "word2vec.c"):
            expected = keep_probability(counts, t, formula)
            got = np.asarray(_call(keep_prob, counts.copy(), t, formula), dtype=np.float64)
            if got.shape == expected.shape and np.all(np.isfinite(got)):
                if got.max() > 1 + 1e-12:
                    raise ExerciseCheckFailed(
                        f"keep_prob(..., t={t}, formula={formula!r}) gave a probability of "
                        f"{got.max():.4g}: clip the formula at 1 (rare words are always kept).")
                other = "word2vec.c" if formula == "paper" else "paper"
                if np.allclose(got, 1 - expected) and not np.allclose(expected, 0.5):
                    raise ExerciseCheckFailed(
                        f"for formula={formula!r} you returned the discard probability 1 - keep: "
                        "return the probability of keeping a token.")
                if not np.allclose(got, expected) and np.allclose(got, keep_probability(counts, t, other)):
                    raise ExerciseCheckFailed(
                        f"for formula={formula!r} you computed the {other!r} formula: paper is "
                        "sqrt(t / f), word2vec.c is sqrt(t / f) + t / f (both clipped at 1).")
                x = np.minimum(np.sqrt(t / counts) + (t / counts if formula == "word2vec.c" else 0), 1)
                if not np.allclose(got, expected) and np.allclose(got, x):
                    raise ExerciseCheckFailed(
                        "use relative frequencies f = count / counts.sum(), not raw counts.")
            _compare(f"keep_prob(counts={counts.tolist()}, t={t}, formula={formula!r})", got, expected,
                     1e-12, f"Hint: f = count / total; keep = min(1, ...) with f = {np.round(f, 4).tolist()}.")
    golden_sq = (3 + math.sqrt(5)) / 2
    if drop_threshold is not None:
        for t in (1e-5, 1e-3, 0.2):
            _compare(f"drop_threshold({t}) / {t}", _call(drop_threshold, t) / t, golden_sq, 1e-9,
                     "Hint: keep = 1 where sqrt(x) + x = 1 with x = t / f, "
                     "a quadratic in sqrt(x); f = t / x.")
    extra = f"; word2vec.c drops above {golden_sq:.4f} t" if drop_threshold is not None else ""
    print(f"Correct: both formulas, {len(_KEEP_CASES)} vocabularies{extra}.")
    return True


def check_kept_by_naive(kept_by_naive):
    """Check ``kept_by_naive(ids) -> int``: how many of the updates ``M[ids] += D`` keeps."""
    rng = np.random.default_rng(3)
    cases = [np.array([1, 1, 1]), np.arange(5), np.array([2, 0, 2, 1, 0, 2]), rng.integers(0, 20, 100),
             np.array([], dtype=np.int64)]
    for ids in cases:
        M = np.zeros((max(int(ids.max()) + 1 if len(ids) else 1, 1), 1))
        M[ids] += 1.0  # count what survives, the way the trainer would lose it
        expected = int(M.sum())
        got = _call(kept_by_naive, ids.copy())
        if got != expected:
            hint = ("that counts every update; with repeated ids the gathered copies are written "
                    "back one after the other, and each repeated row keeps only its last one."
                    if got == len(ids) else
                    "each distinct row keeps exactly one of its updates (the last written).")
            raise ExerciseCheckFailed(f"kept_by_naive({ids.tolist()[:10]}) returned {got!r}, "
                                      f"expected {expected}. Hint: {hint}")
    print(f"Correct: naive += keeps one update per distinct row, on {len(cases)} batches.")
    return True


def expected_distinct(q, n):
    """Expected number of distinct ids among ``n`` independent draws from ``q``: ``sum_j 1 - (1 - q_j)**n``."""
    q = np.asarray(q, dtype=np.float64)
    return float(np.sum(1.0 - (1.0 - q) ** n))


def check_expected_distinct(fn):
    """Check ``fn(q, n)``: the expected number of distinct ids among n draws from q."""
    for q, n in [(np.array([0.5, 0.5]), 1), (np.array([0.5, 0.5]), 2), (np.full(10, 0.1), 10),
                 (np.array([0.7, 0.2, 0.05, 0.05]), 30), (np.array([0.9, 0.1]), 0)]:
        got = _call(fn, q.copy(), n)
        _compare(f"fn(q={q.tolist()}, n={n})", got, expected_distinct(q, n), 1e-10,
                 "Hint: id j appears at least once with probability 1 - (1 - q_j)**n; the expected "
                 "number of distinct ids is the sum of these over j (linearity of expectation).")
    print("Correct: expected distinct ids = sum over j of 1 - (1 - q_j)^n.")
    return True


def expected_pair_counts(sentences, V, k, input_role="center", dynamic=True):
    """Expected (input, output) training counts of one epoch under the dynamic window.

    The radius of each position is uniform in 1..k, so a token o positions away is in
    the window with probability ``(k - o + 1) / k`` (chapter 10, eq. ``prod-window``).
    ``input_role="center"``: the radius is the input's; ``"context"``: the output's.
    ``dynamic=False`` counts the fixed window (weight 1).

    Returns
    -------
    (V, V) float64 ndarray
        Entry ``[a, b]``: expected number of steps with input a and output b.
    """
    C = np.zeros((V, V))
    for s in sentences:
        s = np.asarray(s)
        for o in range(1, k + 1):  # i is the position whose window is cut, j = i +- o
            left, right, weight = s[:-o], s[o:], (k - o + 1) / k if dynamic else 1.0
            for center, context in ((left, right), (right, left)):
                a, b = (center, context) if input_role == "center" else (context, center)
                np.add.at(C, (a, b), weight)
    return C


_ROLE_CASES = [([[0, 1, 2]], 3, 1), ([[0, 1, 2, 3, 1]], 4, 2), ([[2, 2, 0, 1], [1, 0]], 3, 3),
               ([[0, 3, 1, 4, 2, 0, 3]], 5, 5)]


def check_expected_counts(fn):
    """Check ``fn(sentences, V, k, input_role) -> (V, V)`` expected counts, both roles."""
    for sentences, V, k in _ROLE_CASES:
        for role in ("center", "context"):
            expected = expected_pair_counts(sentences, V, k, role)
            got = np.asarray(_call(fn, [np.array(s) for s in sentences], V, k, role), dtype=np.float64)
            fixed = expected_pair_counts(sentences, V, k, role, dynamic=False)
            hint = "Hint: a token o positions away is kept with probability (k - o + 1) / k."
            if k > 1 and got.shape == expected.shape and np.allclose(got, fixed):
                hint = ("that is the fixed window (every pair counted once): under the dynamic "
                        "window a token o positions away counts (k - o + 1) / k.")
            elif got.shape == expected.shape and np.allclose(got + got.T, expected):
                hint = ("each entry is half of what it should be: a pair at distance o is trained "
                        "from both ends, once with each token as the position whose window is cut.")
            _compare(f"fn({[list(s) for s in sentences]}, V={V}, k={k}, input_role={role!r})", got,
                     expected, 1e-10, hint)
    print(f"Correct: expected counts on {len(_ROLE_CASES)} corpora, both roles.")
    return True
