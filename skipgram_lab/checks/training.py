"""Exercise checks for chapter 5 ("The training loop"): pairs per epoch, one epoch, the first step.

Same contract as :mod:`skipgram_lab.checks`: print a line starting with
"Correct" and return True, or raise :class:`~skipgram_lab.checks.ExerciseCheckFailed`
saying what is wrong and how to fix it.

>>> from skipgram_lab.checks.training import check_expected_pairs, expected_pairs
>>> check_expected_pairs(expected_pairs)
Correct: fixed and dynamic windows, k = 1..5, on 4 corpora.
True
"""

from __future__ import annotations

import math

import numpy as np

from .. import negative_sampling as ns
from ._core import ExerciseCheckFailed, _call, _compare
from ..corpus import Vocab, tokenize, toy_corpus
from ..noise import NoiseSampler
from ..pairs import skipgram_pairs
from ..teaching import train_negative_sampling
from ..training import init_vectors


def expected_pairs(lengths, window, dynamic=False):
    """Pairs per epoch (expected number if ``dynamic``) for sentences of these lengths.

    Offset ``o`` (1 <= o <= k) gives ``n - o`` pairs on each side of a sentence
    of n tokens. A dynamic window draws a radius uniformly from 1..k per
    center, so offset o is used with probability ``(k - o + 1) / k``.
    """
    total = 0.0
    for n in lengths:
        for o in range(1, window + 1):
            weight = (window - o + 1) / window if dynamic else 1.0
            total += 2 * max(n - o, 0) * weight
    return total


_CORPORA = [[5], [1, 2, 3], [6, 1, 9, 4, 2], [40]]


def check_expected_pairs(count_pairs):
    """Check ``count_pairs(lengths, window, dynamic) -> float`` against exact counts.

    The fixed-window count is compared with :func:`skipgram_lab.pairs.skipgram_pairs`;
    the dynamic one with the exact expectation (the mean over every radius pattern).
    """
    for lengths in _CORPORA:
        sentences = [np.arange(n) for n in lengths]
        for window in range(1, 6):
            fixed = len(skipgram_pairs(sentences, window))
            got = _call(count_pairs, list(lengths), window, False)
            if not math.isclose(float(got), fixed, abs_tol=1e-9):
                raise ExerciseCheckFailed(
                    f"count_pairs({lengths}, {window}, dynamic=False) returned {got!r}, expected "
                    f"{fixed}. Hint: offset o (1 <= o <= k) gives n - o pairs on each side of a "
                    "sentence of n tokens, and none if o >= n; sentences do not share windows."
                )
            exp = expected_pairs(lengths, window, True)
            got = _call(count_pairs, list(lengths), window, True)
            if not math.isclose(float(got), exp, rel_tol=1e-9, abs_tol=1e-9):
                hint = ("that is the fixed-window count: with a dynamic window a center uses offset "
                        "o only if its radius r >= o, which happens with probability (k - o + 1) / k."
                        if math.isclose(float(got), fixed) else
                        "weight offset o by the probability (k - o + 1) / k that a radius drawn "
                        "uniformly from 1..k reaches it.")
                raise ExerciseCheckFailed(
                    f"count_pairs({lengths}, {window}, dynamic=True) returned {got!r}, expected "
                    f"{exp:.6g}. Hint: {hint}"
                )
    print(f"Correct: fixed and dynamic windows, k = 1..5, on {len(_CORPORA)} corpora.")
    return True


def _toy(dim=5):
    sentences = [tokenize(s) for s in toy_corpus()]
    vocab = Vocab.from_sentences(sentences)
    ids = vocab.encode_sentences(sentences)
    E, O = init_vectors(len(vocab), dim, np.random.default_rng(123))
    return ids, vocab, E, O


def check_epoch_loop(one_epoch, negatives=3, lr=0.05, seed=7):
    """Check ``one_epoch(E, O, pairs, sampler, K, lr, rng) -> mean loss`` against the trainer.

    Your function must update E and O in place, pair by pair, drawing K noise
    ids per pair from ``sampler`` with ``rng`` and dropping any equal to the
    context. With the same start and seed it must give exactly the vectors of
    :func:`skipgram_lab.teaching.train_negative_sampling` (``epochs=1``).
    """
    ids, vocab, E0, O0 = _toy()
    reference = train_negative_sampling(ids, vocab, dim=E0.shape[1], window=2, negatives=negatives,
                                        lr=lr, epochs=1, init=(E0, O0), rng=seed)
    E, O = E0.copy(), O0.copy()
    pairs = skipgram_pairs(ids, 2)
    sampler = NoiseSampler.from_counts(vocab.counts, 0.75)
    got_loss = _call(one_epoch, E, O, pairs, sampler, negatives, lr, np.random.default_rng(seed))
    if np.array_equal(E, E0) and np.array_equal(O, O0):
        raise ExerciseCheckFailed(
            "E and O did not change: update them in place (ns.sgd_step(E, O, ...) writes into its "
            "arguments; do not work on copies)."
        )
    if not (np.array_equal(E, reference.E) and np.array_equal(O, reference.O)):
        hint = _epoch_hint(E0, O0, E, O, pairs, sampler, negatives, lr, seed)
        raise ExerciseCheckFailed(f"E and O differ from the trainer's after one epoch. Hint: {hint}")
    if got_loss is None:
        raise ExerciseCheckFailed("return the mean loss per pair of the epoch (a float).")
    _compare("the mean loss of the epoch", got_loss, reference.history["loss"][0], 1e-12,
             "Hint: add up the loss of every step and divide by the number of pairs.")
    print(f"Correct: the trainer's E and O bit for bit after {len(pairs)} pairs;"
          f" loss {reference.history['loss'][0]:.6f}.")
    return True


def _epoch_hint(E0, O0, E, O, pairs, sampler, K, lr, seed):
    """Name the usual slip by re-running it and seeing whether it matches."""
    def run(drop=True, per_pair=True):
        E1, O1 = E0.copy(), O0.copy()
        rng = np.random.default_rng(seed)
        fixed = None if per_pair else sampler.draw(rng, K)
        for w, c in pairs:
            negs = sampler.draw(rng, K) if per_pair else fixed
            if drop:
                negs = negs[negs != c]
            ns._sgd_step(E1, O1, int(w), int(c), negs, lr)
        return np.array_equal(E1, E) and np.array_equal(O1, O)

    if run(drop=False):
        return "a negative equal to the context c must be dropped (noise.drop_positive), as word2vec.c does."
    if run(per_pair=False):
        return "draw new negatives for every pair, not once for the whole epoch."
    return ("use the pairs in the given order, draw sampler.draw(rng, K) once per pair (before its "
            "step, with the rng passed in, not a new one) and call ns.sgd_step(E, O, w, c, negatives, lr).")


def check_first_step(first_loss, e_w_moves):
    """Check a prediction about the very first step from word2vec's start (O = 0).

    Parameters
    ----------
    first_loss : callable
        ``first_loss(K) -> float``: the loss of a step with K negatives when
        every row of O is zero.
    e_w_moves : bool
        Your prediction: does that step change ``E[w]``?
    """
    ids, vocab, E0, O0 = _toy()
    pairs = skipgram_pairs(ids, 2)
    sampler = NoiseSampler.from_counts(vocab.counts, 0.75)
    rng = np.random.default_rng(0)
    for K in (0, 1, 3, 5, 15):
        w, c = (int(x) for x in pairs[K])
        negatives = sampler.draw(rng, K)
        negatives = negatives[negatives != c]
        E, O = E0.copy(), O0.copy()
        record = ns.sgd_step(E, O, w, c, negatives, 0.025)
        K_used = len(record.negatives)
        _compare(f"first_loss({K_used})", _call(first_loss, K_used), record.loss, 1e-12,
                 "Hint: with O = 0 every score is 0, so p = p_k = 1/2; each of the K + 1 terms "
                 "of eq. ns-loss is then the same number.")
    moved = not np.array_equal(E[w], E0[w])
    if e_w_moves is None:
        raise ExerciseCheckFailed("first_loss is right. Now predict: set e_w_moves to True or False.")
    if bool(e_w_moves) != moved:
        raise ExerciseCheckFailed(
            f"you predicted that E[w] {'moves' if e_w_moves else 'does not move'}, but it "
            f"{'does' if moved else 'does not'}. Hint: dL/dE_w = (p - 1) O_c + sum_k p_k O_nk, "
            "and every row of O is zero at the start."
        )
    print("Correct: a first step costs (K + 1) log 2 and leaves E[w] where it was.")
    return True
