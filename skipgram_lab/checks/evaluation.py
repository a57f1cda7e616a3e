"""Exercise checks for chapter 15 (evaluating embeddings honestly): 3CosMul and neighbour overlap."""

from __future__ import annotations

import numpy as np

from ..corpus import Vocab
from ..embeddings import Embeddings, cosine_matrix
from ..offsets import offset_scores
from ..stability import neighbour_overlap
from ._core import ExerciseCheckFailed, _call, _compare


def check_3cosmul(cos_mul, tol=1e-9):
    """Check ``cos_mul(U, a, b, c) -> (V,)`` scores of 3CosMul for one question (chapter 15).

    ``U`` has unit rows; the three question words must score ``-inf``; eps = 1e-3.
    """
    rng = np.random.default_rng(15)
    for trial in range(4):
        U = cosine_matrix(rng.normal(size=(12, 5)))
        a, b, c = rng.choice(12, size=3, replace=False)
        expected = offset_scores(U, np.array([a]), np.array([b]), np.array([c]), "3CosMul")[0]
        got = np.asarray(_call(cos_mul, U.copy(), int(a), int(b), int(c)), dtype=np.float64)
        if got.shape != expected.shape:
            raise ExerciseCheckFailed(f"cos_mul returned shape {got.shape}, expected {expected.shape} "
                                      "(one score per word of the vocabulary).")
        query = [a, b, c]
        if not np.all(np.isneginf(got[query])):
            raise ExerciseCheckFailed("the question words a, b and c must get -inf: otherwise the "
                                      "answer is often b or c itself.")
        rest = np.setdiff1d(np.arange(12), query)
        cos = U @ U.T
        raw = cos[b, rest] * cos[c, rest] / (cos[a, rest] + 1e-3)
        hint = "Hint: 3CosMul = cos'(x, b) cos'(x, c) / (cos'(x, a) + eps) with cos' = (cos + 1) / 2."
        if np.allclose(got[rest], raw):
            hint = ("Hint: shift the cosines to [0, 1] first, cos' = (cos + 1) / 2: a negative cosine "
                    "would flip the sign of a product.")
        _compare(f"cos_mul scores (trial {trial})", got[rest], expected[rest], tol, hint)
    print("Correct: 3CosMul matches the reference on 4 random questions, question words excluded.")
    return True


def check_neighbour_overlap(overlap_at_k, tol=1e-12):
    """Check ``overlap_at_k(A, B, i, k) -> float``: the share of row i's k nearest rows
    (by cosine, excluding i) that the matrices A and B agree on (chapter 15)."""
    rng = np.random.default_rng(16)
    A = rng.normal(size=(20, 4))
    B = A + 0.7 * rng.normal(size=A.shape)
    vocab = Vocab([f"w{i}" for i in range(20)], np.arange(20, 0, -1))
    for k in (1, 3, 5):
        ref = neighbour_overlap(Embeddings(A, A, vocab), Embeddings(B, B, vocab), vocab.tokens, k=k).overlap
        for i in (0, 7, 13):
            got = _call(overlap_at_k, A.copy(), B.copy(), i, k)
            hint = ("Hint: rank the other rows by cosine (normalise the rows first), leave out row i "
                    "itself, keep the k best in each matrix and divide the size of the intersection by k.")
            if np.isclose(got, ref[i] * k) and k > 1:
                hint = "Hint: divide the number of shared neighbours by k."
            _compare(f"overlap_at_k(A, B, {i}, {k})", got, ref[i], tol, hint)
    print("Correct: overlap_at_k matches the reference for k = 1, 3, 5.")
    return True
