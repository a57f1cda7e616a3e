"""How good are the vectors? Neighbours, analogies, similarity, planted structure, PMI, alignment.

Every score comes with the share of the test set it covers: a word missing from
the vocabulary cannot be scored, and an accuracy over 10 % of the questions is
not the same claim as one over all of them.

>>> import numpy as np
>>> from skipgram_lab.corpus import Vocab
>>> from skipgram_lab.embeddings import Embeddings
>>> from skipgram_lab.evaluate import analogy_accuracy
>>> E = np.array([[1.0, 0, -1], [1, 0, 1], [0, 1, -1], [0, 1, 1], [-1, -1, 0]])
>>> emb = Embeddings(E, np.zeros_like(E), Vocab(["man", "king", "woman", "queen", "pear"], [1] * 5))
>>> result = analogy_accuracy(emb, [("man", "king", "woman", "queen"),
...                                 ("man", "king", "woman", "empress")])  # not in the vocabulary
>>> result.accuracy, result.coverage, result.predictions
(1.0, 0.5, ['queen', None])

Here: neighbours, analogies (3CosAdd, 3CosMul, planted relations) and
word-pair similarity against human scores. The readers of the test sets live in
:mod:`skipgram_lab.testsets`, the planted-structure scores (purity, mean
cosines by kind of pair) in :mod:`skipgram_lab.planted`, PMI and SGNS as
implicit matrix factorisation in :mod:`skipgram_lab.pmi`, Procrustes and CKA in
:mod:`skipgram_lab.align`; their names are re-exported here, so
``evaluate.knn_purity`` and ``evaluate.read_word_pairs`` work as before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from scipy import stats

from ._rows import _check_emb, _lookup, _unit_rows
from ._validate import check_choice, check_float, check_int, check_rng

ANALOGY_METHODS = ("3CosAdd", "3CosMul")


# ---- words: neighbours and analogies ---------------------------------------------------------
def nearest_neighbours(emb, tokens, k=5, which="E"):
    """The ``k`` nearest tokens by cosine for each query (:meth:`~skipgram_lab.embeddings.Embeddings.most_similar`).

    Returns
    -------
    dict of str -> list of (str, float)
    """
    emb = _check_emb(emb)
    return {t: emb.most_similar(t, k=k, which=which) for t in tokens}


@dataclass
class AnalogyResult:
    """Analogy scores, honest about coverage.

    Attributes
    ----------
    accuracy : float
        ``n_correct / n_covered`` (nan if nothing is covered).
    coverage : float
        ``n_covered / n_total``: share of questions whose four words are in the vocabulary.
    n_correct, n_covered, n_total : int
    predictions : list of (str or None)
        The predicted 4th word per question; None where the question is not covered.
    sections : dict of str -> AnalogyResult
        Per section when the questions came as a dict (as :func:`~skipgram_lab.testsets.read_analogies` returns).
    """

    accuracy: float
    coverage: float
    n_correct: int
    n_covered: int
    n_total: int
    predictions: list = field(repr=False, default_factory=list)
    sections: dict = field(repr=False, default_factory=dict)

    @property
    def accuracy_all(self):
        """``n_correct / n_total``: uncovered questions counted as wrong."""
        return self.n_correct / self.n_total


def analogy_scores(U, a, b, c, method="3CosAdd", eps=1e-3):
    """Score of every word x as the answer to "a is to b as c is to x".

    With unit rows u (Levy & Goldberg 2014)::

        3CosAdd: cos(x, b) - cos(x, a) + cos(x, c)   (= argmax of cos(x, b - a + c))
        3CosMul: cos'(x, b) cos'(x, c) / (cos'(x, a) + eps),  cos' = (cos + 1) / 2 in [0, 1]

    The three question words get ``-inf`` so they are never the answer.

    Parameters
    ----------
    U : (V, d) ndarray
        Unit-length rows.
    a, b, c : (B,) int ndarrays
    method : {"3CosAdd", "3CosMul"}
    eps : float

    Returns
    -------
    (B, V) ndarray
    """
    cos_a, cos_b, cos_c = U[a] @ U.T, U[b] @ U.T, U[c] @ U.T  # (B, V) each
    if method == "3CosAdd":
        S = cos_b - cos_a + cos_c
    else:
        S = (cos_b + 1) / 2 * ((cos_c + 1) / 2) / ((cos_a + 1) / 2 + eps)
    rows = np.arange(len(a))
    for q in (a, b, c):
        S[rows, q] = -np.inf
    return S


def analogy_accuracy(emb, questions, *, method="3CosAdd", which="E", batch_size=128, eps=1e-3):
    """Accuracy on "a b c d" analogy questions, over the questions the vocabulary covers.

    Parameters
    ----------
    emb : Embeddings
    questions : sequence of (a, b, c, d), or dict of section -> sequence
    method : {"3CosAdd", "3CosMul"}
        See :func:`analogy_scores`.
    which : {"E", "O", "E+O"}
    batch_size : int
        Questions scored at once: memory is about ``3 * batch_size * V`` floats.
    eps : float
        The 3CosMul denominator guard (1e-3 as in Levy & Goldberg 2014).

    Returns
    -------
    AnalogyResult
    """
    check_choice("method", method, ANALOGY_METHODS)
    batch_size = check_int("batch_size", batch_size, 1)
    eps = check_float("eps", eps, positive=True)
    by_section = dict(questions) if isinstance(questions, Mapping) else None
    flat = [q for qs in by_section.values() for q in qs] if by_section is not None else list(questions)
    U = _unit_rows(emb, which)
    if U.shape[0] < 4:
        raise ValueError(f"analogies need a vocabulary of at least 4 words, got V={U.shape[0]}")
    ids, covered = _lookup(emb.vocab, flat, "questions", 4)
    predicted = np.empty(len(ids), dtype=np.int64)
    for start in range(0, len(ids), batch_size):
        q = ids[start : start + batch_size]  # (B, 4)
        S = analogy_scores(U, q[:, 0], q[:, 1], q[:, 2], method, eps)  # (B, V)
        predicted[start : start + len(q)] = np.argmax(S, axis=1)
    correct = np.zeros(len(flat), dtype=bool)
    correct[covered] = predicted == ids[:, 3]
    words = iter(emb.vocab.decode(predicted))
    predictions = [next(words) if ok else None for ok in covered]
    result = _analogy_result(correct, covered, predictions)
    if by_section is not None:
        start = 0
        for name, qs in by_section.items():
            part = slice(start, start + len(qs))
            result.sections[name] = _analogy_result(correct[part], covered[part], predictions[part])
            start += len(qs)
    return result


def _analogy_result(correct, covered, predictions):
    n_correct, n_covered, n_total = int(correct.sum()), int(covered.sum()), len(covered)
    accuracy = n_correct / n_covered if n_covered else math.nan
    coverage = n_covered / n_total if n_total else math.nan
    return AnalogyResult(accuracy, coverage, n_correct, n_covered, n_total, predictions)


# ---- words: similarity with human judgements -------------------------------------------------
class SimilarityResult(NamedTuple):
    """Spearman rho between cosines and human scores, with a bootstrap interval."""

    rho: float
    ci_low: float
    ci_high: float
    coverage: float
    n_covered: int
    n_total: int


def spearman_rows(X, Y):
    """Spearman rho of each row pair: Pearson correlation of average ranks.

    Parameters
    ----------
    X, Y : (B, n) ndarrays

    Returns
    -------
    (B,) ndarray
        nan where a row is constant.
    """
    rx, ry = stats.rankdata(X, axis=1), stats.rankdata(Y, axis=1)  # (B, n)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean(axis=1, keepdims=True)
    denom = np.sqrt((rx * rx).sum(axis=1) * (ry * ry).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (rx * ry).sum(axis=1) / denom


def check_rated_pairs(pairs, n_boot, confidence, rng):
    """Check the arguments of a bootstrapped similarity score; returns them as lists and numbers.

    ``pairs``: (word1, word2, human score) items; ``n_boot`` >= 1 resamples;
    ``confidence`` in [0, 1]; ``rng`` a Generator, a seed or None.
    """
    n_boot = check_int("n_boot", n_boot, 1)
    confidence = check_float("confidence", confidence, minimum=0.0, maximum=1.0)
    rng = check_rng(rng)
    pairs = list(pairs)
    for i, p in enumerate(pairs):
        if isinstance(p, str) or len(p) != 3:
            raise ValueError(f"pairs items must be (word1, word2, score), got pairs[{i}]={p!r}")
    return pairs, n_boot, confidence, rng


def word_similarity(emb, pairs, *, which="E", n_boot=1000, confidence=0.95, rng=None):
    """Spearman rho between cosine similarity and human scores (WordSim-353, SimLex-999).

    Only pairs with both words in the vocabulary are scored. The interval is
    a percentile bootstrap: ``n_boot`` resamples of the covered pairs, with
    replacement, drawn from ``rng``.

    Parameters
    ----------
    emb : Embeddings
    pairs : sequence of (word1, word2, score)
    which : {"E", "O", "E+O"}
    n_boot : int
    confidence : float in (0, 1)
    rng : Generator, int or None

    Returns
    -------
    SimilarityResult
        rho and the interval are nan when fewer than 3 pairs are covered.
    """
    pairs, n_boot, confidence, rng = check_rated_pairs(pairs, n_boot, confidence, rng)
    U = _unit_rows(emb, which)
    ids, covered = _lookup(emb.vocab, [p[:2] for p in pairs], "pairs", 2)
    human = np.array([float(p[2]) for p in pairs])[covered]  # (n,)
    model = np.sum(U[ids[:, 0]] * U[ids[:, 1]], axis=1)  # (n,) cosines
    n = len(model)
    if n < 3:
        return SimilarityResult(math.nan, math.nan, math.nan, n / len(pairs), n, len(pairs))
    rho = float(spearman_rows(human[None], model[None])[0])
    idx = rng.integers(0, n, size=(n_boot, n))  # (n_boot, n) resampled pairs
    boots = spearman_rows(human[idx], model[idx])  # (n_boot,), nan for constant resamples
    tail = 100 * (1 - confidence) / 2
    low, high = np.nanpercentile(boots, [tail, 100 - tail]) if np.isfinite(boots).any() else (
        math.nan, math.nan)
    return SimilarityResult(rho, float(low), float(high), n / len(pairs), n, len(pairs))


def relation_analogy_accuracy(emb, pairs, **kwargs):
    """Analogy accuracy on a planted relation given as (a, b) pairs, e.g. (king, queen).

    Every ordered pair of distinct pairs gives one question ``a1 b1 a2 b2``;
    then :func:`analogy_accuracy` (keyword arguments go to it).

    Returns
    -------
    AnalogyResult
    """
    pairs = [tuple(p) for p in pairs]
    questions = [p + q for p in pairs for q in pairs if p != q]
    if not questions:
        raise ValueError(f"pairs must hold at least two distinct (a, b) pairs, got {pairs!r}")
    return analogy_accuracy(emb, questions, **kwargs)


# Test sets, planted structure, PMI and alignment live in their own modules; their names are
# re-exported here.
from .align import Procrustes, linear_cka, procrustes_align  # noqa: E402,F401
from .planted import (  # noqa: E402,F401
    FrequencyBin, MeanCosine, PurityResult, knn_purity, mean_cosines, purity_by_frequency,
)
from .pmi import (  # noqa: E402,F401
    Agreement, factorization_agreement, positive_pmi, pmi, shifted_pmi, svd_embeddings,
)
from .testsets import read_analogies, read_word_pairs  # noqa: E402,F401
