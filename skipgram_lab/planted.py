"""Scores against a planted structure: group purity of neighbours, and mean cosines by kind of pair.

For corpora whose truth is known (:mod:`skipgram_lab.synthetic`): which words
belong together, which pairs are synonyms or antonyms. Chapter 6 defines the
purity (eq. ``geo-purity``) and its chance level; chapter 7 uses both.
:func:`skipgram_lab.evaluate.relation_analogy_accuracy` scores planted
analogies. The names are re-exported by :mod:`skipgram_lab.evaluate`.

>>> import numpy as np
>>> from skipgram_lab.corpus import Vocab
>>> from skipgram_lab.embeddings import Embeddings
>>> from skipgram_lab.planted import knn_purity
>>> E = np.array([[1.0, 0.1], [1.0, -0.1], [-0.1, 1.0], [0.1, 1.0]])
>>> emb = Embeddings(E, np.zeros_like(E), Vocab(["dog", "cat", "red", "blue"], [1] * 4))
>>> result = knn_purity(emb, {"dog": "animal", "cat": "animal", "red": "colour", "blue": "colour"}, k=1)
>>> result.purity, round(result.chance, 3)
(1.0, 0.333)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from ._rows import _lookup, _top_k, _unit_rows
from ._validate import check_int, check_rng


class PurityResult(NamedTuple):
    """k-NN group purity and what random neighbours would score."""

    purity: float
    chance: float
    n_words: int
    n_missing: int


def _purity_per_word(emb, groups, k, which):
    """Per grouped word: share of its k nearest grouped words in the same group.

    Returns
    -------
    ids : (n,) int64, labels : (n,) int64, purity : (n,) float64, n_missing : int
    """
    k = check_int("k", k, 1)
    if not isinstance(groups, Mapping) or not groups:
        raise ValueError("groups must be a non-empty dict of token -> group label")
    U = _unit_rows(emb, which)
    known = [(emb.vocab.index[t], g) for t, g in groups.items() if t in emb.vocab.index]
    if len(known) <= k:
        raise ValueError(
            f"k must be smaller than the number of grouped words in the vocabulary "
            f"({len(known)}), got k={k}"
        )
    codes = {g: i for i, g in enumerate(dict.fromkeys(g for _, g in known))}
    ids = np.array([i for i, _ in known], dtype=np.int64)
    labels = np.array([codes[g] for _, g in known], dtype=np.int64)
    S = U[ids] @ U[ids].T  # (n, n) cosines among grouped words
    np.fill_diagonal(S, -np.inf)
    neighbours = _top_k(S, k)  # (n, k)
    purity = (labels[neighbours] == labels[:, None]).mean(axis=1)
    return ids, labels, purity, len(groups) - len(known)


def knn_purity(emb, groups, k=5, which="E"):
    """Mean share of each word's k nearest neighbours (among grouped words) in its own group.

    ``chance`` is the expected purity with random neighbours: the mean over
    words of ``(n_g - 1) / (n - 1)`` for a word in a group of size ``n_g``.

    Parameters
    ----------
    emb : Embeddings
    groups : dict of token -> label
        Tokens missing from the vocabulary are counted in ``n_missing`` and ignored.
    k : int
    which : {"E", "O", "E+O"}

    Returns
    -------
    PurityResult
    """
    _, labels, purity, n_missing = _purity_per_word(emb, groups, k, which)
    sizes = np.bincount(labels)[labels]  # (n,) size of each word's group
    chance = float(np.mean((sizes - 1) / (len(labels) - 1)))
    return PurityResult(float(purity.mean()), chance, len(labels), n_missing)


class FrequencyBin(NamedTuple):
    count_min: int
    count_max: int
    n_words: int
    purity: float


def purity_by_frequency(emb, groups, k=5, n_bins=3, which="E"):
    """k-NN purity of grouped words binned by corpus count (quantile bins, rare to frequent).

    Neighbours are found among all grouped words, as in :func:`knn_purity`;
    only the averaging is per bin. Empty bins (many equal counts) are dropped.

    Returns
    -------
    list of FrequencyBin
    """
    n_bins = check_int("n_bins", n_bins, 1)
    ids, _, purity, _ = _purity_per_word(emb, groups, k, which)
    counts = emb.vocab.counts[ids]  # (n,)
    edges = np.quantile(counts, np.linspace(0, 1, n_bins + 1))
    bin_of = np.searchsorted(edges[1:-1], counts, side="right")  # (n,) in 0..n_bins-1
    return [
        FrequencyBin(int(counts[m].min()), int(counts[m].max()), int(m.sum()), float(purity[m].mean()))
        for m in (bin_of == b for b in range(n_bins)) if m.any()
    ]


class MeanCosine(NamedTuple):
    mean: float
    n_pairs: int
    n_total: int


def mean_cosines(emb, pairs_by_kind, *, n_random=1000, rng=None, which="E"):
    """Mean cosine of each kind of word pair, plus ``"random"`` pairs as a baseline.

    Parameters
    ----------
    emb : Embeddings
    pairs_by_kind : dict of str -> sequence of (word1, word2)
        e.g. ``{"synonym": [...], "antonym": [...]}``; pairs with a word outside
        the vocabulary are skipped (``n_pairs`` < ``n_total``).
    n_random : int
        Random pairs of distinct words, drawn uniformly from the vocabulary with ``rng``.
    rng : Generator, int or None
    which : {"E", "O", "E+O"}

    Returns
    -------
    dict of str -> MeanCosine
    """
    n_random = check_int("n_random", n_random, 1)
    rng = check_rng(rng)
    if "random" in pairs_by_kind:
        raise ValueError("pairs_by_kind must not have a 'random' key: it is added as the baseline")
    U = _unit_rows(emb, which)
    V = U.shape[0]
    if V < 2:
        raise ValueError(f"random pairs need at least 2 words, got V={V}")
    out = {}
    for kind, pairs in pairs_by_kind.items():
        ids, covered = _lookup(emb.vocab, pairs, f"pairs_by_kind[{kind!r}]", 2)
        cos = np.sum(U[ids[:, 0]] * U[ids[:, 1]], axis=1)
        out[kind] = MeanCosine(float(cos.mean()) if len(cos) else math.nan, len(cos), len(covered))
    i = rng.integers(0, V, size=n_random)
    j = (i + rng.integers(1, V, size=n_random)) % V  # uniform over the other V - 1 words
    out["random"] = MeanCosine(float(np.mean(np.sum(U[i] * U[j], axis=1))), n_random, n_random)
    return out
