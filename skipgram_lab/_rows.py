"""Helpers the evaluation modules share: checking an Embeddings, unit rows, word lookup, top k."""

from __future__ import annotations

import numpy as np

from .embeddings import Embeddings, cosine_matrix


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
