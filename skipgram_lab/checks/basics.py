"""Exercise checks for Part I (chapters 1-3): counting pairs, building a vocabulary,
a stable log-sum-exp, and predicting the loss change of one softmax step.

Same contract as :mod:`skipgram_lab.checks`: print a line starting with
"Correct" and return True, or raise :class:`~skipgram_lab.checks.ExerciseCheckFailed`
saying what is wrong and how to fix it.

>>> from skipgram_lab.checks import check_pair_count
>>> check_pair_count(lambda n, k: min(k, n - 1) * (2 * n - min(k, n - 1) - 1))
Correct: n_pairs matches the counted pairs for n = 1..12, k = 1..6.
True
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from .. import softmax
from ._core import ExerciseCheckFailed, _call, _compare
from ..corpus import Vocab
from ..pairs import skipgram_pairs


def check_pair_count(n_pairs):
    """Check a closed form ``n_pairs(n, k)``: pairs of one sentence of n tokens, window k (chapter 1)."""
    for n in range(1, 13):
        for k in range(1, 7):
            expected = len(skipgram_pairs([np.arange(n)], k))
            got = _call(n_pairs, n, k)
            if got != expected:
                if got == 2 * n * k:
                    hint = "2 n k counts contexts past both ends of the sentence: near an end there are fewer."
                elif k >= n and got == 2 * sum(n - o for o in range(1, k + 1)):
                    hint = "an offset o >= n has no pairs (not n - o < 0 of them): use min(k, n - 1)."
                else:
                    hint = "offset o (1 <= o <= k) gives n - o pairs on each side, if o < n."
                raise ExerciseCheckFailed(
                    f"n_pairs({n}, {k}) returned {got!r}, expected {expected}. Hint: {hint}"
                )
    print("Correct: n_pairs matches the counted pairs for n = 1..12, k = 1..6.")
    return True


_VOCAB_SENTENCES = [
    "the dog ate the bone".split(),
    "a cat ate a fish".split(),
    "the cat and the dog".split(),
    "zebra".split(),
]


def check_vocab(build_vocab):
    """Check ``build_vocab(sentences, min_count) -> list of tokens in id order`` (chapter 2)."""
    for min_count in (1, 2, 3):
        expected = Vocab.from_sentences(_VOCAB_SENTENCES, min_count=min_count).tokens
        got = _call(build_vocab, [list(s) for s in _VOCAB_SENTENCES], min_count)
        got = [str(t) for t in got]
        if got == expected:
            continue
        counts = Counter(t for s in _VOCAB_SENTENCES for t in s)
        if sorted(got) != sorted(expected):
            rare = sorted(t for t in got if counts[t] < min_count)
            hint = (f"{rare} occur fewer than min_count={min_count} times: leave them out."
                    if rare else "keep every token seen at least min_count times.")
        elif [counts[t] for t in got] == [counts[t] for t in expected]:
            hint = "the counts are in order but ties are not: break ties alphabetically."
        else:
            hint = "order by count, most frequent first (id 0 = most frequent)."
        raise ExerciseCheckFailed(
            f"min_count={min_count}: expected {expected}, got {got}. Hint: {hint}"
        )
    print("Correct: same tokens in the same order as Vocab for min_count = 1, 2, 3.")
    return True


def _logsumexp(s):
    m = np.max(s)
    return float(m + np.log(np.sum(np.exp(s - m))))


def check_logsumexp(logsumexp):
    """Check a learner's ``logsumexp(s) -> float``, including scores of +-1000 (chapter 3)."""
    cases = [
        np.array([0.0, 0.0, 0.0, 0.0]),
        np.array([1.0, 2.0, 3.0]),
        np.array([1000.0, 1000.0]),
        np.array([-1000.0, -1001.0, -1002.0]),
        np.array([1000.0, -1000.0, 0.0]),
        np.array([5.0]),
    ]
    for s in cases:
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            got = _call(logsumexp, s.copy())
        _compare(f"logsumexp({s.tolist()})", got, _logsumexp(s), 1e-12,
                 "Hint: subtract m = max(s) before exp, then add m back: "
                 "log sum exp(s) = m + log sum exp(s - m).")
    print("Correct: logsumexp matches at 6 score vectors, including +-1000.")
    return True


def check_first_order_change(predict_change):
    """Check ``predict_change(e_w, O, c, lr)``: the loss change of one softmax step, to first order.

    The first-order prediction is ``-lr * (|dL/de_w|^2 + |dL/dO|_F^2)``; it is
    compared with that formula (exactly), and the formula with the change a real
    :func:`skipgram_lab.softmax.sgd_step` makes at a small ``lr`` (chapter 3).
    """
    rng = np.random.default_rng(11)
    for _ in range(4):
        V, d = int(rng.integers(3, 7)), int(rng.integers(2, 4))
        e_w, O, c = rng.normal(size=d), rng.normal(size=(V, d)), int(rng.integers(V))
        lr = 1e-3
        _, g_e, g_O = softmax.loss_and_grad(e_w, O, c)
        expected = -lr * (g_e @ g_e + np.sum(g_O * g_O))
        got = _call(predict_change, e_w.copy(), O.copy(), c, lr)
        hint = "Hint: dL ~ grad . delta, with delta = -lr * grad for every parameter that moves."
        if np.isclose(got, -lr * (g_e @ g_e)):
            hint = "Hint: O moves too (every row of it): add lr * |dL/dO|^2."
        elif np.isclose(got, -expected):
            hint = "Hint: a gradient step lowers the loss, so the change is negative."
        _compare("predicted change", got, expected, 1e-9, hint)
    print("Correct: your prediction is -lr (|dL/de_w|^2 + |dL/dO|^2) at 4 random points.")
    return True
