"""Next-token counts: what a causal model sees that skip-gram cannot (chapter 12).

A bigram model predicts each token from the one before it,
``P(t_i | t_{i-1}) = #(t_{i-1} -> t_i) / #(t_{i-1} -> .)``: the smallest causal
language model. Skip-gram scores a sentence by its window pairs instead, and
that multiset of pairs is the same for a sentence and its reverse, so no
skip-gram score, trained or counted, can prefer one order to the other.

>>> import numpy as np
>>> from skipgram_lab.book.causal import bigram_counts, next_token_probs, bigram_log_prob
>>> counts = bigram_counts([np.array([0, 1]), np.array([0, 1])], V=2)
>>> counts.tolist()                       # row 2 is the sentence start, column 2 the end
[[0, 2, 0], [0, 0, 2], [2, 0, 0]]
>>> P = next_token_probs(counts)
>>> round(bigram_log_prob(np.array([0, 1]), P), 6), bigram_log_prob(np.array([1, 0]), P)
(0.0, -inf)
"""

from __future__ import annotations

import numpy as np

from .._validate import check_float, check_int, check_sentences
from ..pairs import skipgram_pairs


def bigram_counts(sentences, V):
    """Counts ``#(a -> b)`` of token ``b`` right after token ``a``, with sentence edges.

    Row ``V`` stands for the start of a sentence and column ``V`` for its end,
    so every sentence of n tokens gives n + 1 transitions.

    Parameters
    ----------
    sentences : list of (n_i,) int ndarrays
        Encoded sentences, ids in ``[0, V)``.
    V : int

    Returns
    -------
    (V + 1, V + 1) int64 ndarray
    """
    V = check_int("V", V, 1)
    sentences = check_sentences("sentences", sentences, V)
    prev = np.concatenate([np.concatenate(([V], s)) for s in sentences])  # (N + S,)
    nxt = np.concatenate([np.concatenate((s, [V])) for s in sentences])  # (N + S,)
    return np.bincount(prev * (V + 1) + nxt, minlength=(V + 1) ** 2).reshape(V + 1, V + 1)


def next_token_probs(counts, alpha=0.0):
    """``P(b | a)`` from transition counts, with add-``alpha`` smoothing (eq. ``bigram``).

    ``P(b | a) = (#(a -> b) + alpha) / (#(a -> .) + alpha * n_cols)``. With
    ``alpha = 0`` a row never seen is uniform and an unseen transition has
    probability 0 (log-probability ``-inf``).

    Parameters
    ----------
    counts : (R, n_cols) array of counts
    alpha : float >= 0

    Returns
    -------
    (R, n_cols) float64 ndarray, rows summing to 1
    """
    alpha = check_float("alpha", alpha, minimum=0.0)
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 2 or counts.min() < 0:
        raise ValueError(f"counts must be a 2-D array of counts >= 0, got shape {counts.shape}")
    smoothed = counts + alpha
    totals = smoothed.sum(axis=1, keepdims=True)  # (R, 1)
    uniform = np.full_like(smoothed, 1.0 / counts.shape[1])
    return np.divide(smoothed, totals, out=uniform, where=totals > 0)


def _log(p):
    with np.errstate(divide="ignore"):
        return np.log(p)


def bigram_log_prob(sentence, P):
    """``log P(sentence)`` under the bigram model ``P`` of :func:`next_token_probs`.

    ``sum_i log P(t_i | t_{i-1})`` from the start symbol to the end symbol.

    Returns
    -------
    float (``-inf`` if some transition has probability 0)
    """
    P = np.asarray(P, dtype=np.float64)
    V = P.shape[0] - 1
    s = check_sentences("sentence", [sentence], V)[0]
    path = np.concatenate(([V], s, [V]))  # (n + 2,)
    return float(np.sum(_log(P[path[:-1], path[1:]])))


def window_log_prob(sentence, P_context, window):
    """Skip-gram's score of a sentence: ``sum log P(c | w)`` over its window pairs.

    This is the sentence's share of the skip-gram objective (chapter 1, eq.
    ``sg-objective``) for any model of ``P(c | w)``: counted
    (``next_token_probs(C)`` of the pair counts ``C``) or trained. It depends
    on the sentence only through its multiset of pairs.

    Parameters
    ----------
    sentence : (n,) int ndarray
    P_context : (V, V) ndarray
        ``P_context[w, c] = P(c | w)``.
    window : int

    Returns
    -------
    float
    """
    P_context = np.asarray(P_context, dtype=np.float64)
    s = check_sentences("sentence", [sentence], P_context.shape[0])[0]
    pairs = skipgram_pairs([s], window)  # (P, 2)
    return float(np.sum(_log(P_context[pairs[:, 0], pairs[:, 1]])))


def order_preference(score, sentences, reorder):
    """How often ``score`` prefers each sentence to its reordered copy.

    Parameters
    ----------
    score : callable (n,) int ndarray -> float
        e.g. ``lambda s: bigram_log_prob(s, P)``.
    sentences : list of (n_i,) int ndarrays
        Sentences in their true order.
    reorder : callable (n,) int ndarray -> (n,) int ndarray
        e.g. ``lambda s: s[::-1]`` (swap agent and patient of "hawks chase rabbits").

    Returns
    -------
    dict with keys ``"true"``, ``"tie"``, ``"reordered"``
        Shares of sentences (summing to 1) where the true order scores higher,
        the same (to 1e-9), or lower.
    """
    diffs = np.array([score(s) - score(reorder(s)) for s in sentences])
    if diffs.size == 0:
        raise ValueError("sentences is empty: pass at least one sentence")
    diffs = np.nan_to_num(diffs, nan=0.0)  # -inf - -inf: neither order is possible
    tie = np.abs(diffs) <= 1e-9
    return {"true": float(np.mean(~tie & (diffs > 0))), "tie": float(np.mean(tie)),
            "reordered": float(np.mean(~tie & (diffs < 0)))}


def offset_counts(sentences, first, later, max_offset):
    """``counts[i, j, o - 1]``: times ``later[j]`` occurs ``o`` positions after ``first[i]``.

    Counts within sentences, for offsets ``1..max_offset``. A window-k
    skip-gram sees the offsets ``<= k`` only; a bigram model only offset 1.

    Parameters
    ----------
    sentences : list of (n_i,) int ndarrays
    first, later : sequences of int ids
    max_offset : int

    Returns
    -------
    (len(first), len(later), max_offset) int64 ndarray
    """
    max_offset = check_int("max_offset", max_offset, 1)
    first, later = np.asarray(first, np.int64), np.asarray(later, np.int64)
    out = np.zeros((len(first), len(later), max_offset), np.int64)
    for s in sentences:
        s = np.asarray(s, np.int64)
        for o in range(1, min(max_offset, len(s) - 1) + 1):
            a = (s[:-o, None] == first[None, :])  # (n - o, F)
            b = (s[o:, None] == later[None, :])  # (n - o, L)
            out[:, :, o - 1] += a.T.astype(np.int64) @ b.astype(np.int64)
    return out


def prefix_features(prefixes, V, last=None):
    """One-hot features of a prefix's tokens, by position counted from the end (chapter 12).

    Feature ``(j, t)`` is 1 when the token ``j`` positions before the prediction
    (``j = 1`` is the last token) is ``t``. ``last`` keeps only ``j <= last``:
    what a model that conditions on the last ``last`` tokens can see
    (``last=1`` is what a bigram model sees); ``None`` keeps the whole prefix.
    A logistic regression on these features learns *which* positions matter,
    instead of being told.

    Parameters
    ----------
    prefixes : list of (n_i,) int ndarrays
        Token ids before the token to predict.
    V : int
    last : int or None

    Returns
    -------
    scipy.sparse.csr_matrix, shape (len(prefixes), L * V)
        ``L`` is ``last``, or the longest prefix.
    """
    from scipy import sparse

    V = check_int("V", V, 1)
    prefixes = check_sentences("prefixes", prefixes, V)
    L = max((len(p) for p in prefixes), default=1) if last is None else check_int("last", last, 1)
    rows, cols = [], []
    for i, p in enumerate(prefixes):
        back = np.asarray(p, np.int64)[::-1][:L]  # (<= L,) last token first
        rows.extend([i] * len(back))
        cols.extend(np.arange(len(back)) * V + back)
    data = np.ones(len(rows))
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(prefixes), L * V))
