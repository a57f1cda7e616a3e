"""How sure are we? Nearest neighbours across runs, corpus bootstraps, paired score differences.

A model trained once is one draw. Antoniak & Mimno (2018) retrain on
bootstrap samples of the documents and find that nearest neighbours, the
thing a user reads off the vectors, change a lot, most for rare words.
Here (chapter 15):

- :func:`bootstrap_sentences`: a resample of the sentences, with replacement;
- :func:`neighbour_overlap`: per word, the share of its k nearest neighbours two
  models agree on (eq. ``nn-overlap``);
- :func:`binned_by_count`: any per-word number averaged in frequency bins;
- :func:`rho_difference`: the difference of two models' Spearman rho on the
  same word pairs, with a paired bootstrap interval.

>>> import numpy as np
>>> from skipgram_lab.corpus import Vocab
>>> from skipgram_lab.embeddings import Embeddings
>>> from skipgram_lab.stability import neighbour_overlap
>>> vocab = Vocab(["a", "b", "c", "d"], [4, 3, 2, 1])
>>> A = Embeddings(np.array([[1.0, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]), np.zeros((4, 2)), vocab)
>>> B = Embeddings(np.array([[1.0, 0], [-1, 0], [0.1, 0.9], [0, 1]]), np.zeros((4, 2)), vocab)
>>> neighbour_overlap(A, B, ["a", "c"], k=1).overlap.tolist()  # a: b, then c; c: d both times
[0.0, 1.0]
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._rows import _check_emb, _lookup, _top_k
from ._validate import check_int, check_rng
from .embeddings import cosine_matrix
from .evaluate import check_rated_pairs, spearman_rows


def bootstrap_sentences(n_sentences, rng=None):
    """Ids of a bootstrap sample of ``n_sentences`` sentences (drawn with replacement), sorted.

    A sentence drawn twice is trained on twice, one never drawn (about 37% of
    them) not at all: the corpus a different author might have written.

    Parameters
    ----------
    n_sentences : int >= 1
    rng : Generator, int or None

    Returns
    -------
    (n_sentences,) int64 ndarray
    """
    n_sentences = check_int("n_sentences", n_sentences, 1)
    rng = check_rng(rng)
    return np.sort(rng.integers(0, n_sentences, size=n_sentences))


class Overlap(NamedTuple):
    """Per query word: the share of its k nearest neighbours found by both models."""

    words: list
    overlap: np.ndarray  # (n,)
    counts: np.ndarray  # (n,) the word's count in the first model's vocabulary
    k: int
    n_shared: int  # words in both vocabularies: the candidates of the search


def neighbour_overlap(emb_a, emb_b, words, k=10, which="E"):
    """Share of each word's k nearest neighbours that two models agree on.

    Implements eq. ``nn-overlap`` of chapter 15:
    ``|N_k^A(w) & N_k^B(w)| / k``, where both searches run over the words the
    two vocabularies share (so a word missing from one model cannot count
    against the other). Query words missing from either vocabulary are skipped.

    Parameters
    ----------
    emb_a, emb_b : Embeddings
    words : sequence of str
    k : int >= 1
    which : {"E", "O", "E+O"}

    Returns
    -------
    Overlap
    """
    emb_a, emb_b = _check_emb(emb_a), _check_emb(emb_b)
    k = check_int("k", k, 1)
    shared = [t for t in emb_a.vocab.tokens if t in emb_b.vocab.index]
    if len(shared) <= k:
        raise ValueError(f"k must be smaller than the number of shared words ({len(shared)}), got k={k}")
    position = {t: i for i, t in enumerate(shared)}
    queries = [w for w in words if w in position]
    if not queries:
        raise ValueError(f"words has no word that both vocabularies hold, got words={list(words)[:5]!r}")
    rows = np.array([position[w] for w in queries])  # (n,) rows of the shared list
    top = []
    for emb in (emb_a, emb_b):
        U = cosine_matrix(emb.matrix(which)[[emb.vocab.index[t] for t in shared]])  # (S, d)
        S = U[rows] @ U.T  # (n, S)
        S[np.arange(len(rows)), rows] = -np.inf
        top.append(_top_k(S, k))  # (n, k)
    same = (top[0][:, :, None] == top[1][:, None, :]).any(axis=2).sum(axis=1)  # (n,)
    counts = np.array([emb_a.vocab.counts[emb_a.vocab.index[w]] for w in queries])
    return Overlap(queries, same / k, counts, k, len(shared))


class CountBin(NamedTuple):
    count_min: int
    count_max: int
    n_words: int
    mean: float


def binned_by_count(values, counts, n_bins=3):
    """Mean of a per-word number in quantile bins of the words' counts, rare to frequent.

    Parameters
    ----------
    values : (n,) float array
    counts : (n,) int array
    n_bins : int >= 1

    Returns
    -------
    list of CountBin
        Empty bins (many equal counts) are dropped.
    """
    n_bins = check_int("n_bins", n_bins, 1)
    values, counts = np.asarray(values, dtype=np.float64), np.asarray(counts)
    if values.shape != counts.shape or values.ndim != 1 or not len(values):
        raise ValueError(f"values and counts must be 1-D arrays of one non-zero length, got shapes "
                         f"{values.shape} and {counts.shape}")
    edges = np.quantile(counts, np.linspace(0, 1, n_bins + 1))
    bin_of = np.searchsorted(edges[1:-1], counts, side="right")  # (n,) in 0..n_bins-1
    return [CountBin(int(counts[m].min()), int(counts[m].max()), int(m.sum()), float(values[m].mean()))
            for m in (bin_of == b for b in range(n_bins)) if m.any()]


class RhoDifference(NamedTuple):
    """rho_a - rho_b on the pairs both models cover, with a paired bootstrap interval."""

    difference: float
    ci_low: float
    ci_high: float
    rho_a: float
    rho_b: float
    n_covered: int


def rho_difference(emb_a, emb_b, pairs, *, which_a="E", which_b="E", n_boot=1000,
                   confidence=0.95, rng=None):
    """Is model A better than model B on a word-similarity set, or is it noise?

    Both rhos are computed on the same resampled pairs in each of ``n_boot``
    bootstrap rounds, so what the two models share (which pairs are easy)
    cancels out: the interval is narrower than two separate intervals suggest.

    Parameters
    ----------
    emb_a, emb_b : Embeddings
    pairs : sequence of (word1, word2, score)
    which_a, which_b : {"E", "O", "E+O"}
    n_boot : int
    confidence : float in (0, 1)
    rng : Generator, int or None

    Returns
    -------
    RhoDifference
    """
    pairs, n_boot, confidence, rng = check_rated_pairs(pairs, n_boot, confidence, rng)
    both = [p for p in pairs if all(t in e.vocab.index for e in (emb_a, emb_b) for t in p[:2])]
    if len(both) < 3:
        return RhoDifference(math.nan, math.nan, math.nan, math.nan, math.nan, len(both))
    human = np.array([float(p[2]) for p in both])  # (n,)
    cos = []
    for emb, which in ((emb_a, which_a), (emb_b, which_b)):
        ids, _ = _lookup(emb.vocab, [p[:2] for p in both], "pairs", 2)
        U = cosine_matrix(_check_emb(emb).matrix(which))
        cos.append(np.sum(U[ids[:, 0]] * U[ids[:, 1]], axis=1))  # (n,)
    n = len(both)
    idx = rng.integers(0, n, size=(n_boot, n))  # (n_boot, n) resampled pairs
    rho = [float(spearman_rows(human[None], c[None])[0]) for c in cos]
    boots = spearman_rows(human[idx], cos[0][idx]) - spearman_rows(human[idx], cos[1][idx])
    tail = 100 * (1 - confidence) / 2
    low, high = np.nanpercentile(boots, [tail, 100 - tail])
    return RhoDifference(rho[0] - rho[1], float(low), float(high), rho[0], rho[1], n)
