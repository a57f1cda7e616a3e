"""The offset method for analogies, its variants and the baselines that keep it honest.

"a is to b as c is to ?" With unit rows u and cosines ``cos(x, y) = u_x . u_y``,
every method scores each candidate x (chapter 15, eq. ``offset-methods``)::

    3CosAdd   cos(x, b) - cos(x, a) + cos(x, c)
    3CosMul   cos'(x, b) cos'(x, c) / (cos'(x, a) + eps),   cos' = (cos + 1) / 2
    only-c    cos(x, c)                  the nearest neighbour of c, ignoring a and b
    ignore-a  cos(x, b) + cos(x, c)      no offset at all

"only-c" is Linzen's (2016) ONLY-B baseline (he names the third word b): if it
scores well, the test set is answered by neighbourhoods, not by offsets.
Whether the three question words may be the answer (``exclude_query``)
changes everything: without the exclusion 3CosAdd mostly returns b or c.

>>> import numpy as np
>>> from skipgram_lab.corpus import Vocab
>>> from skipgram_lab.embeddings import Embeddings
>>> from skipgram_lab.offsets import offset_accuracy
>>> E = np.array([[1.0, 0, -1], [1, 0, 1], [0, 1, -1], [0, 1, 1], [-1, -1, 0]])
>>> emb = Embeddings(E, np.zeros_like(E), Vocab(["man", "king", "woman", "queen", "pear"], [1] * 5))
>>> offset_accuracy(emb, [("man", "king", "woman", "queen")], method="only-c").accuracy
1.0
>>> offset_accuracy(emb, [("man", "king", "woman", "queen")], method="only-c",
...                 exclude_query=False).query_share        # c is its own nearest neighbour
1.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._rows import _lookup, _unit_rows
from ._validate import check_choice, check_float, check_int

OFFSET_METHODS = ("3CosAdd", "3CosMul", "only-c", "ignore-a")


def offset_scores(U, a, b, c, method="3CosAdd", *, exclude_query=True, eps=1e-3):
    """Score of every word x as the answer to "a is to b as c is to x".

    Implements eq. ``offset-methods`` of chapter 15. With
    ``exclude_query=True`` and method "3CosAdd" or "3CosMul" this equals
    :func:`skipgram_lab.evaluate.analogy_scores`.

    Parameters
    ----------
    U : (V, d) ndarray
        Unit-length rows.
    a, b, c : (B,) int ndarrays
    method : {"3CosAdd", "3CosMul", "only-c", "ignore-a"}
    exclude_query : bool
        Give a, b and c the score ``-inf`` (the usual protocol).
    eps : float
        The 3CosMul denominator guard.

    Returns
    -------
    (B, V) ndarray
    """
    check_choice("method", method, OFFSET_METHODS)
    eps = check_float("eps", eps, positive=True)
    S = _scores(U[a] @ U.T, U[b] @ U.T, U[c] @ U.T, method, eps)  # (B, V)
    if exclude_query:
        _exclude(S, a, b, c)
    return S


def _scores(cos_a, cos_b, cos_c, method, eps):
    """(B, V) scores of one method from the three (B, V) cosine matrices."""
    if method == "3CosAdd":
        return cos_b - cos_a + cos_c
    if method == "3CosMul":
        return (cos_b + 1) / 2 * ((cos_c + 1) / 2) / ((cos_a + 1) / 2 + eps)
    if method == "only-c":
        return cos_c.copy()
    return cos_b + cos_c


def _exclude(S, a, b, c):
    rows = np.arange(len(a))
    for q in (a, b, c):
        S[rows, q] = -np.inf


@dataclass
class OffsetResult:
    """Accuracy of one method on the covered questions, and where its answers came from.

    Attributes
    ----------
    accuracy : float
        Correct answers / covered questions (nan if none is covered).
    coverage : float
        Covered / all questions.
    query_share : float
        Share of covered questions answered with a, b or c (0 when they are excluded).
    chance : float
        Accuracy of a uniformly random answer among the allowed words: ``1 / (V - 3)``
        with the exclusion, ``1 / V`` without.
    n_covered, n_total : int
    correct : (n_covered,) bool ndarray
        Per covered question, in order.
    covered : (n_total,) bool ndarray
        Which questions are covered.
    """

    accuracy: float
    coverage: float
    query_share: float
    chance: float
    n_covered: int
    n_total: int
    correct: np.ndarray
    covered: np.ndarray


def offset_accuracy(emb, questions, *, method="3CosAdd", exclude_query=True, which="E",
                    batch_size=128, eps=1e-3):
    """Accuracy of an offset method (or a baseline) on "a b c d" questions.

    Parameters
    ----------
    emb : Embeddings
    questions : sequence of (a, b, c, d)
    method : {"3CosAdd", "3CosMul", "only-c", "ignore-a"}
        See :func:`offset_scores`.
    exclude_query : bool
    which : {"E", "O", "E+O"}
    batch_size : int
    eps : float

    Returns
    -------
    OffsetResult
    """
    check_choice("method", method, OFFSET_METHODS)
    return offset_table(emb, questions, methods=(method,), exclude_query=(exclude_query,), which=which,
                        batch_size=batch_size, eps=eps)[method, exclude_query]


def offset_table(emb, questions, *, methods=OFFSET_METHODS, exclude_query=(True, False), which="E",
                 batch_size=128, eps=1e-3):
    """:func:`offset_accuracy` for several methods and protocols at the cost of about one.

    The three cosine matrices of a batch of questions are computed once and
    shared by every method (they are most of the cost).

    Parameters
    ----------
    emb : Embeddings
    questions : sequence of (a, b, c, d)
    methods : sequence of {"3CosAdd", "3CosMul", "only-c", "ignore-a"}
    exclude_query : sequence of bool
    which, batch_size, eps
        As in :func:`offset_accuracy`.

    Returns
    -------
    dict of (method, exclude_query) -> OffsetResult
    """
    methods = [check_choice("methods", m, OFFSET_METHODS) for m in methods]
    protocols = list(exclude_query)
    for x in protocols:
        if not isinstance(x, bool):
            raise ValueError(f"exclude_query must hold True or False, got exclude_query={exclude_query!r}")
    if not methods or not protocols:
        raise ValueError(f"methods and exclude_query must not be empty, got {methods!r}, {protocols!r}")
    batch_size = check_int("batch_size", batch_size, 1)
    eps = check_float("eps", eps, positive=True)
    U = _unit_rows(emb, which)
    V = U.shape[0]
    if V < 4:
        raise ValueError(f"analogies need a vocabulary of at least 4 words, got V={V}")
    ids, covered = _lookup(emb.vocab, list(questions), "questions", 4)
    keys = [(m, x) for m in methods for x in protocols]
    predicted = {key: np.empty(len(ids), dtype=np.int64) for key in keys}
    for start in range(0, len(ids), batch_size):
        q = ids[start:start + batch_size]  # (B, 4)
        cos = [U[q[:, j]] @ U.T for j in range(3)]  # 3 x (B, V)
        for method, exclude in keys:
            S = _scores(*cos, method, eps)
            if exclude:
                _exclude(S, q[:, 0], q[:, 1], q[:, 2])
            predicted[method, exclude][start:start + len(q)] = np.argmax(S, axis=1)
    n = len(ids)
    out = {}
    for (method, exclude), pred in predicted.items():
        correct = pred == ids[:, 3]
        from_query = (pred[:, None] == ids[:, :3]).any(axis=1)
        out[method, exclude] = OffsetResult(
            accuracy=float(correct.mean()) if n else float("nan"),
            coverage=n / len(covered),
            query_share=float(from_query.mean()) if n else float("nan"),
            chance=1 / (V - 3) if exclude else 1 / V,
            n_covered=n, n_total=len(covered), correct=correct, covered=covered,
        )
    return out
