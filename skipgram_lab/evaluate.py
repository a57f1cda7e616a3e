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

Test sets: gensim ships ``questions-words.txt`` (Mikolov et al. 2013),
``wordsim353.tsv`` (WordSim-353) and ``simlex999.txt`` (SimLex-999) in
``gensim/test/test_data/``; :func:`read_analogies` and :func:`read_word_pairs`
read them, and the original files too.

Sections: words (neighbours, analogies, word-pair similarity); readers of the
test sets; planted structure (purity, relation analogies, synonym/antonym
cosines). PMI and SGNS as implicit matrix factorisation live in
:mod:`skipgram_lab.pmi`, Procrustes and CKA in :mod:`skipgram_lab.align`; their
names are re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from scipy import stats

from ._validate import check_choice, check_float, check_int, check_rng
from .embeddings import Embeddings, cosine_matrix

ANALOGY_METHODS = ("3CosAdd", "3CosMul")


# ---- shared helpers -------------------------------------------------------------------------
def _check_emb(emb):
    if not isinstance(emb, Embeddings):
        raise ValueError(
            f"emb must be an Embeddings, got emb of type {type(emb).__name__}: "
            "wrap arrays as Embeddings(E, O, Vocab(tokens, counts))"
        )
    return emb


def _unit_rows(emb, which):
    """(V, d) rows of ``emb.matrix(which)`` scaled to unit length."""
    return cosine_matrix(_check_emb(emb).matrix(which))


def _lookup(vocab, rows, name, width):
    """Ids of the rows whose ``width`` words are all in ``vocab``.

    Returns
    -------
    ids : (n_covered, width) int64 ndarray
    covered : (n,) bool ndarray
    """
    rows = list(rows)
    if not rows:
        raise ValueError(f"{name} is empty: pass at least one item")
    for i, row in enumerate(rows):
        if isinstance(row, str) or len(row) != width:
            raise ValueError(f"{name} items must hold {width} words, got {name}[{i}]={row!r}")
    covered = np.array([all(t in vocab.index for t in row) for row in rows])
    ids = np.array([[vocab.index[t] for t in row] for row, ok in zip(rows, covered) if ok],
                   dtype=np.int64).reshape(-1, width)
    return ids, covered


def _top_k(S, k):
    """(n, k) column ids of the k largest entries of each row of S, best first (stable ties)."""
    return np.argsort(-S, axis=1, kind="stable")[:, :k]


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
        Per section when the questions came as a dict (as :func:`read_analogies` returns).
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
    n_boot = check_int("n_boot", n_boot, 1)
    confidence = check_float("confidence", confidence, minimum=0.0, maximum=1.0)
    rng = check_rng(rng)
    pairs = list(pairs)
    for i, p in enumerate(pairs):
        if isinstance(p, str) or len(p) != 3:
            raise ValueError(f"pairs items must be (word1, word2, score), got pairs[{i}]={p!r}")
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


# ---- readers -------------------------------------------------------------------------------
def read_analogies(path, *, lowercase=False):
    """Read the questions-words format: ``: section`` lines, then ``a b c d`` lines.

    Returns
    -------
    dict of str -> list of (str, str, str, str)
        In file order; questions before any ``:`` line go to section ``""``.
    """
    sections: dict = {}
    current = ""
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith(":"):
                current = line[1:].strip()
                sections.setdefault(current, [])
                continue
            words = (line.lower() if lowercase else line).split()
            if len(words) != 4:
                raise ValueError(
                    f"{str(path)!r} line {lineno}: expected ': section' or four words "
                    f"'a b c d', got {line[:80]!r}"
                )
            sections.setdefault(current, []).append(tuple(words))
    if not any(sections.values()):
        raise ValueError(f"{str(path)!r} holds no analogy questions")
    return sections


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def read_word_pairs(path, *, lowercase=True, score_column=None):
    """Read word pairs and human scores (WordSim-353, SimLex-999 and similar files).

    Lines starting with ``#`` and blank lines are skipped; fields are split on
    tabs (or on commas, as in WordSim-353's ``combined.csv``, when a line has no
    tab). A first line whose score is not a number is a header; if it names a
    ``SimLex999`` column (the original 10-column SimLex-999.txt) that column is
    the score, otherwise the score is column 2 (``word1 word2 score``).

    Parameters
    ----------
    path : path
    lowercase : bool
    score_column : int or None
        Override the column of the score.

    Returns
    -------
    list of (str, str, float)
    """
    column = None if score_column is None else check_int("score_column", score_column, 2)
    rows, header_done = [], False
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = [x.strip() for x in line.split("\t" if "\t" in line else ",")]
            col = 2 if column is None else column
            if not header_done and not rows and len(fields) > col and not _is_number(fields[col]):
                header_done = True
                names = [x.lower().replace("-", "").replace(" ", "") for x in fields]
                if column is None and "simlex999" in names:
                    column = names.index("simlex999")
                continue
            if len(fields) <= col or not _is_number(fields[col]):
                raise ValueError(
                    f"{str(path)!r} line {lineno}: expected 'word1<TAB>word2<TAB>score' with a "
                    f"number in column {col}, got {line[:80]!r}"
                )
            a, b = (fields[0].lower(), fields[1].lower()) if lowercase else fields[:2]
            rows.append((a, b, float(fields[col])))
    if not rows:
        raise ValueError(f"{str(path)!r} holds no word pairs")
    return rows


# ---- planted structure ---------------------------------------------------------------------
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


# PMI and alignment live in their own modules; their names are re-exported here.
from .align import Procrustes, linear_cka, procrustes_align  # noqa: E402,F401
from .pmi import (  # noqa: E402,F401
    Agreement, factorization_agreement, positive_pmi, pmi, shifted_pmi, svd_embeddings,
)
