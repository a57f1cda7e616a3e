"""Exercise checks for Part II chapters 9, 11 and 12: the SGNS optimum and PMI, BPE pieces,
next-token counts.

Same contract as :mod:`skipgram_lab.checks`: print a line starting with
"Correct" and return True, or raise :class:`~skipgram_lab.checks.ExerciseCheckFailed`
saying what is wrong and how to fix it.

>>> import numpy as np
>>> from skipgram_lab.checks import check_cell_optimum
>>> check_cell_optimum(lambda n_wc, n_w, q_c, K, drop_positive:
...     np.log(n_wc / (K * q_c * (n_w - n_wc if drop_positive else n_w))))
Correct: s* matches log(#(w,c) / N) in 6 cells, with and without dropping the positive.
True
"""

from __future__ import annotations

import math

import numpy as np

from ..book import causal

from .. import pmi
from ._core import ExerciseCheckFailed, _call, _compare

_CELLS = [  # (#(w, c), #(w), q(c), K)
    (16, 29, 0.305, 5), (1, 29, 0.008, 5), (3, 20, 0.05, 1), (2, 7, 0.1, 15), (5, 9, 0.2, 5),
    (1, 100, 0.001, 2),
]


def check_cell_optimum(cell_optimum, tol=1e-9):
    """Check ``cell_optimum(n_wc, n_w, q_c, K, drop_positive) -> s*`` (chapter 9, eq. ``sgns-optimum``)."""
    for n_wc, n_w, q_c, K in _CELLS:
        for drop in (False, True):
            expected = math.log(n_wc) - math.log(K * q_c * ((n_w - n_wc) if drop else n_w))
            got = float(_call(cell_optimum, n_wc, n_w, q_c, K, drop))
            hint = _optimum_hint(got, n_wc, n_w, q_c, K, drop)
            _compare(f"cell_optimum({n_wc}, {n_w}, {q_c}, {K}, drop_positive={drop})", got, expected,
                     tol, hint)
    print("Correct: s* matches log(#(w,c) / N) in 6 cells, with and without dropping the positive.")
    return True


def _optimum_hint(got, n_wc, n_w, q_c, K, drop):
    N = K * q_c * ((n_w - n_wc) if drop else n_w)
    close = lambda x: math.isclose(got, x, rel_tol=1e-6, abs_tol=1e-9)  # noqa: E731
    if close(math.log(n_wc / N) + 2 * math.log(K)) or close(math.log(n_wc / (q_c * n_w))):
        return "Hint: K negatives per pair make N = K q(c) #(w): the optimum carries -log K."
    if close(math.log(N / n_wc)):
        return "Hint: the sign is flipped: s* = log(#(w,c) / N), positives over negatives."
    if drop and close(math.log(n_wc / (K * q_c * n_w))):
        return "Hint: with the drop rule, the #(w,c) draws that equal c are discarded: N = K q(c) (#(w) - #(w,c))."
    if close(n_wc / N):
        return "Hint: sigma(s*) / (1 - sigma(s*)) = #(w,c) / N, so s* is the log of that ratio."
    return "Hint: set d/dx [-#(w,c) log sigma(x) - N log sigma(-x)] = 0 and solve for x."


def _check_pmi_input():
    rng = np.random.default_rng(9)
    C = rng.poisson(1.0, size=(6, 6))
    C = C + C.T  # symmetric, as window counts are
    C[0, 1] = C[1, 0] = 0
    C[2, 2] = 7
    return C


def check_pmi(pmi_from_counts, tol=1e-9):
    """Check ``pmi_from_counts(C) -> (V, V) PMI`` with ``-inf`` on unseen pairs (chapter 9, eq. ``pmi``)."""
    for C in (_check_pmi_input(), np.array([[0, 2, 1], [2, 0, 0], [1, 0, 4]])):
        expected = pmi.pmi(C)
        with np.errstate(divide="ignore", invalid="ignore"):
            got = np.asarray(_call(pmi_from_counts, C.copy()), dtype=np.float64)
        if got.shape != expected.shape:
            raise ExerciseCheckFailed(f"PMI has shape {got.shape}, expected {expected.shape}.")
        unseen = C == 0
        if not np.all(np.isneginf(got[unseen])):
            raise ExerciseCheckFailed(
                "a pair never seen (#(w, c) = 0) must get PMI = -inf (log 0), got "
                f"{got[unseen][~np.isneginf(got[unseen])][:3].tolist()}. Do not add a small number "
                "to the counts: that changes the answer for every cell."
            )
        seen = ~unseen
        n_w, n_c, D = C.sum(1, keepdims=True), C.sum(0, keepdims=True), C.sum()
        with np.errstate(divide="ignore"):
            if np.allclose(got[seen], np.log(C / (n_w * n_c))[seen]):
                hint = "Hint: multiply by the total number of pairs |D|: P(w, c) / (P(w) P(c))."
            elif np.allclose(got[seen], np.log(C * D / (n_w * n_w.T))[seen]):
                hint = "Hint: #(c) is a column sum (axis 0), #(w) a row sum (axis 1)."
            else:
                hint = "Hint: PMI = log(#(w,c) |D| / (#(w) #(c))) with row sums #(w) and column sums #(c)."
        _compare("PMI on the seen pairs", got[seen], expected[seen], tol, hint)
    print("Correct: PMI matches on every seen pair, and unseen pairs are -inf.")
    return True


def check_clipped_share(clipped_share, C, tol=1e-12):
    """Check ``clipped_share(C, K)``: share of seen pairs with ``PMI - log K <= 0`` (chapter 9)."""
    C = np.asarray(C)
    seen = C > 0
    for K in (1, 2, 5, 20):
        expected = float(np.mean(pmi.shifted_pmi(C, K)[seen] <= 0))
        got = _call(clipped_share, C.copy(), K)
        hint = ("Hint: count only the pairs with #(w, c) > 0 (the unseen ones are -inf and always "
                "clipped), and compare PMI - log K with 0.")
        if math.isclose(float(got), float(np.mean(pmi.shifted_pmi(C, K) <= 0)), abs_tol=1e-12) \
                and not math.isclose(float(got), expected, abs_tol=1e-12):
            hint = "Hint: divide by the number of SEEN pairs, not by V * V: unseen cells are always clipped."
        _compare(f"clipped_share(C, K={K})", got, expected, tol, hint)
    print("Correct: the clipped share matches for K = 1, 2, 5 and 20.")
    return True


def check_bigram_probs(next_token_probs, tol=1e-12):
    """Check ``next_token_probs(sentences, V) -> (V + 1, V + 1)`` bigram probabilities (chapter 12)."""
    sentences = [np.array([0, 1, 2]), np.array([0, 2]), np.array([1, 1, 0]), np.array([2])]
    V = 3
    expected = causal.next_token_probs(causal.bigram_counts(sentences, V))
    got = np.asarray(_call(next_token_probs, [s.copy() for s in sentences], V), dtype=np.float64)
    if got.shape != expected.shape:
        raise ExerciseCheckFailed(
            f"the result has shape {got.shape}, expected {expected.shape}: one extra row for the "
            "sentence start (row V) and one extra column for the sentence end (column V)."
        )
    rows = got.sum(axis=1)
    if np.allclose(got.sum(axis=0)[:V], 1) and not np.allclose(rows, 1):
        hint = "Hint: normalise each ROW (the previous token): P(b | a) sums to 1 over b."
    elif not np.allclose(rows, 1):
        hint = "Hint: each row must sum to 1; a row never seen (the end symbol's row) is uniform."
    else:
        hint = "Hint: count a -> b for consecutive tokens, start -> first token and last token -> end."
    _compare("next-token probabilities", got, expected, tol, hint)
    print("Correct: the bigram probabilities match, sentence start and end included.")
    return True


def check_same_pairs(same_pairs):
    """Check ``same_pairs(a, b, window) -> bool``: same multiset of window pairs (chapter 12)."""
    from collections import Counter
    from itertools import permutations

    from ..pairs import skipgram_pairs

    def reference(a, b, window):
        count = lambda s: Counter(map(tuple, skipgram_pairs([np.asarray(s)], window).tolist()))  # noqa: E731
        return count(a) == count(b)

    cases = [(np.arange(4), np.array(p), window)
             for p in permutations(range(4)) for window in (1, 2, 3)]
    cases += [(np.array([5, 1, 5, 2]), np.array([2, 5, 1, 5]), 1),
              (np.array([0, 1, 0]), np.array([0, 1, 0, 1]), 1)]  # same set, not same multiset
    for a, b, window in cases:
        expected = reference(a, b, window)
        got = _call(same_pairs, a.copy(), b.copy(), window)
        if bool(got) != expected:
            pairs_a = sorted(map(tuple, skipgram_pairs([a], window).tolist()))
            pairs_b = sorted(map(tuple, skipgram_pairs([b], window).tolist()))
            raise ExerciseCheckFailed(
                f"same_pairs({a.tolist()}, {b.tolist()}, window={window}) returned {got!r}, "
                f"expected {expected}: the pairs are {pairs_a} and {pairs_b}. Hint: compare the "
                "pairs as multisets (collections.Counter), not as lists (order) or sets (repeats)."
            )
    print(f"Correct: same_pairs agrees with the pair multisets in {len(cases)} cases.")
    return True


def check_words_per_window(words_per_window, tol=1e-12):
    """Check ``words_per_window(word_of, window) -> float`` for one sentence (chapter 11)."""
    from ..pairs import window_positions
    from ..book.subword_stats import window_span

    cases = [(np.array([0, 0, 1, 2, 2]), 1), (np.array([0, 1, 1, 1, 2, 3, 3]), 2),
             (np.arange(6), 2), (np.array([0, 0, 0, 1, 2, 2, 3, 4, 4, 4]), 3)]
    for word_of, window in cases:
        expected = window_span([word_of], window).words_per_window
        got = float(_call(words_per_window, word_of.copy(), window))
        centers, contexts = window_positions(np.zeros(len(word_of), dtype=int), window)
        n_pieces = len(centers) / len(word_of)
        own = np.mean([len(set(word_of[contexts[centers == i]])) for i in range(len(word_of))])
        hints = []
        if np.isclose(got, n_pieces) and not np.isclose(expected, n_pieces):
            hints.append("count distinct WORDS in the window, not pieces: two pieces of one "
                         "word are one word")
        if np.isclose(got, own) and not np.isclose(expected, own):
            hints.append("leave out the center's own word (its other pieces are not another word)")
        if hints:
            hint = "Hint: " + "; or ".join(hints) + "."
        else:
            hint = ("Hint: for each center position, take the word numbers of the positions at "
                    "offsets -k..-1 and 1..k inside the sentence, drop the center's own word, count "
                    "the distinct ones, and average over all centers (including those with 0).")
        _compare(f"words_per_window({word_of.tolist()}, {window})", got, expected, tol, hint)
    print(f"Correct: words_per_window matches in {len(cases)} sentences.")
    return True
