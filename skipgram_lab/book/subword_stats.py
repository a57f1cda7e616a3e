"""What changes when skip-gram runs on BPE pieces instead of words (chapter 11).

Three measurements the chapter needs and the other modules do not have:

- :func:`word_numbers` and :func:`window_span`: how many *words* a window of k
  *pieces* reaches, and how many of its pairs never leave the center's own word;
- :func:`k_occurrence`: hubness, how often each row is among the k nearest
  neighbours of the others;
- :func:`neighbour_label_share`: how many of a word's nearest neighbours share a
  label with it (its last piece, its group, ...), and :func:`label_share_chance`,
  what a random choice of neighbours would get;
- :func:`combine_pieces`: three ways of making a word vector from its pieces
  (plain mean, first piece, a mean weighted by ``1/sqrt(count)``);
- :func:`aligned_cosines`: how much each row moves between two runs, after a rotation.

>>> import numpy as np
>>> from skipgram_lab.book.subword_stats import window_span
>>> span = window_span([np.array([0, 0, 1, 2, 2])], window=1)   # pieces of 3 words
>>> round(span.words_per_window, 2), round(span.within_word_share, 2)
(0.8, 0.5)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._rows import _top_k
from .._validate import check_choice, check_ids, check_int, check_matrix
from .. import bpe
from ..align import procrustes_align
from ..embeddings import cosine_matrix
from ..pairs import window_positions

WORD_START = "\u2581"  # the mark of a word's first piece (as in skipgram_lab.bpe)
COMBINATIONS = ("mean", "first", "weighted")


def word_numbers(sentences, vocab, start=WORD_START):
    """For each piece of each sentence, the number of the word it belongs to (0, 1, ...).

    A piece whose token starts with ``start`` opens a new word; the others
    continue the current one (``▁walk ed`` is one word, ``▁the ▁dog`` two).

    Parameters
    ----------
    sentences : list of (n_i,) int ndarrays
        Piece ids, as ``skipgram_lab.bpe.encode`` returns them.
    vocab : Vocab
        The piece vocabulary (``vocab.tokens[i]`` is piece ``i``).

    Returns
    -------
    list of (n_i,) int64 ndarrays
    """
    opens = np.array([t.startswith(start) for t in vocab.tokens])  # (V,)
    out = []
    for s in sentences:
        s = np.asarray(s, dtype=np.int64)
        numbers = np.cumsum(opens[s]) - 1
        out.append(np.maximum(numbers, 0))  # a sentence starting mid-word: piece 0 is word 0
    return out


class WindowSpan(NamedTuple):
    """What a window of radius k over pieces covers, averaged over every center piece."""

    words_per_window: float  # distinct words, other than the center's own, in its window
    within_word_share: float  # share of window pairs whose context is in the center's word
    pieces_per_word: float


def window_span(word_of, window):
    """How far, in words, a window of ``window`` positions reaches (chapter 11).

    For word-level tokens (every position its own word) a radius-k window holds
    up to 2k other words; over pieces it holds fewer, and some of its pairs
    stay inside the center's own word (``▁walk`` -> ``ed``).

    Parameters
    ----------
    word_of : list of (n_i,) int ndarrays
        Word number of each position, per sentence (:func:`word_numbers`; for
        word tokens, ``np.arange(n_i)``).
    window : int
        The radius k, counted in positions (pieces).

    Returns
    -------
    WindowSpan
    """
    window = check_int("window", window, 1)
    word_of = [np.asarray(w, dtype=np.int64) for w in word_of]
    lengths = np.array([len(w) for w in word_of])
    if lengths.sum() == 0:
        raise ValueError("word_of is empty: pass at least one non-empty sentence")
    n_words = np.array([w.max() + 1 if len(w) else 0 for w in word_of])
    base = np.concatenate(([0], np.cumsum(n_words)[:-1]))  # first global word id of each sentence
    words = np.concatenate([w + b for w, b in zip(word_of, base)])  # (N,) global word ids
    sentence_of = np.repeat(np.arange(len(word_of)), lengths)
    centers, contexts = window_positions(sentence_of, window)
    same = words[centers] == words[contexts]
    other = np.unique(centers[~same] * (words.max() + 1) + words[contexts[~same]])
    per_center = np.bincount(other // (words.max() + 1), minlength=len(words))  # (N,)
    return WindowSpan(float(per_center.mean()), float(same.mean()) if same.size else 0.0,
                      float(lengths.sum() / n_words.sum()))


def k_occurrence(M, k=10):
    """Hubness: how many times each row is among the ``k`` nearest rows (cosine) of the others.

    The counts average to exactly ``k``; a hub is a row far above ``k``
    (Radovanović et al. 2010).

    Parameters
    ----------
    M : (n, d) float ndarray
    k : int

    Returns
    -------
    (n,) int64 ndarray
    """
    M = check_matrix("M", M)
    k = check_int("k", k, 1)
    if k >= M.shape[0]:
        raise ValueError(f"k must be < the number of rows ({M.shape[0]}), got k={k}")
    U = cosine_matrix(M)
    S = U @ U.T  # (n, n)
    np.fill_diagonal(S, -np.inf)
    top = np.argpartition(-S, k, axis=1)[:, :k]  # (n, k) the k nearest of each row, unordered
    return np.bincount(top.ravel(), minlength=M.shape[0])


def neighbour_label_share(M, labels, queries, k=5):
    """For each query row, the share of its ``k`` nearest rows (cosine) with the query's label.

    Parameters
    ----------
    M : (n, d) float ndarray
    labels : (n,) sequence
        A label per row (e.g. the last BPE piece of each word, or its group).
    queries : (q,) int sequence
        Row ids to look at.
    k : int

    Returns
    -------
    (q,) float64 ndarray
    """
    M = check_matrix("M", M)
    k = check_int("k", k, 1)
    labels = np.asarray(labels)
    queries = np.asarray(queries, dtype=np.int64)
    if len(labels) != M.shape[0]:
        raise ValueError(f"labels must have one entry per row ({M.shape[0]}), got {len(labels)}")
    U = cosine_matrix(M)
    S = U[queries] @ U.T  # (q, n)
    S[np.arange(len(queries)), queries] = -np.inf
    top = _top_k(S, k)  # (q, k)
    return (labels[top] == labels[queries][:, None]).mean(axis=1)


def label_share_chance(labels, queries):
    """What :func:`neighbour_label_share` gets with neighbours drawn at random.

    For each query, the share of the *other* rows that carry its label.

    Parameters
    ----------
    labels : (n,) sequence
    queries : (q,) int sequence

    Returns
    -------
    (q,) float64 ndarray
    """
    labels = np.asarray(labels)
    queries = np.asarray(queries, dtype=np.int64)
    if len(labels) < 2:
        raise ValueError(f"labels must have at least 2 entries, got {len(labels)}")
    same = (labels[queries][:, None] == labels[None, :]).sum(axis=1) - 1  # minus the query itself
    return same / (len(labels) - 1)


def prefix_neighbours(words, candidates, k=5):
    """A spelling-only baseline: for each word, the ``k`` candidates sharing its longest start.

    Candidates are ranked by the length of their common prefix with the word
    (longest first; ties keep the candidates' order); the word itself is skipped.

    Parameters
    ----------
    words : sequence of str
    candidates : sequence of str
    k : int

    Returns
    -------
    (len(words), k) int64 ndarray
        Indices into ``candidates``.
    """
    k = check_int("k", k, 1)
    if k > len(candidates) - 1:
        raise ValueError(f"k must be < the number of candidates ({len(candidates)}), got k={k}")

    def common(a, b):
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return n

    out = np.empty((len(words), k), dtype=np.int64)
    for i, w in enumerate(words):
        length = np.array([common(w, c) if c != w else -1 for c in candidates])
        out[i] = np.argsort(-length, kind="stable")[:k]
    return out


def word_piece_ids(tokenizer, words):
    """The piece ids of each word, in order (rows of a piece model's E)."""
    return [np.array([tokenizer.token_to_id(p) for p in bpe.pieces(tokenizer, w)], dtype=np.int64)
            for w in words]


def combine_pieces(M, word_pieces, how="mean", counts=None):
    """Word vectors from piece vectors, three ways (chapter 11).

    For a word of pieces ``p_1 ... p_m``:

    - ``"mean"``: ``(1/m) sum_j M[p_j]`` (eq. ``bpe-mean``);
    - ``"first"``: ``M[p_1]``, the piece that starts the word (usually its stem);
    - ``"weighted"``: ``sum_j a_j M[p_j] / sum_j a_j`` with ``a_j = 1/sqrt(counts[p_j])``,
      so a piece seen everywhere (a suffix) weighs less than a rare stem.

    Parameters
    ----------
    M : (n_pieces, d) float ndarray
        Piece vectors (a row per piece id).
    word_pieces : sequence of (m_i,) int sequences
        The piece ids of each word, in order.
    how : {"mean", "first", "weighted"}
    counts : (n_pieces,) array, needed for ``"weighted"``
        How often each piece occurs in the training ids.

    Returns
    -------
    (len(word_pieces), d) float64 ndarray
    """
    M = check_matrix("M", M).astype(np.float64)
    check_choice("how", how, COMBINATIONS)
    if how == "weighted":
        if counts is None:
            raise ValueError('how="weighted" needs counts: pass the piece counts (piece_vocab.counts)')
        counts = np.asarray(counts, dtype=np.float64)
        if counts.shape != (M.shape[0],):
            raise ValueError(f"counts must have one entry per row of M ({M.shape[0]}), got shape {counts.shape}")
    out = np.empty((len(word_pieces), M.shape[1]))
    for j, ids in enumerate(word_pieces):
        ids = np.asarray(ids, dtype=np.int64)
        if ids.ndim != 1 or len(ids) == 0 or ids.min() < 0 or ids.max() >= M.shape[0]:
            raise ValueError(f"word_pieces[{j}] must be a non-empty list of piece ids in [0, {M.shape[0]}), "
                             f"got {ids.tolist()}")
        if how == "mean":
            out[j] = M[ids].mean(axis=0)
        elif how == "first":
            out[j] = M[ids[0]]
        else:
            a = 1.0 / np.sqrt(np.maximum(counts[ids], 1.0))  # (m,) an unseen piece counts as seen once
            out[j] = a @ M[ids] / a.sum()
    return out


def aligned_cosines(A, B, rows, partners=None):
    """Cosine of each of ``rows`` between two runs, after rotating A onto B.

    Both matrices are scaled to unit rows; the rotation (Procrustes) is fitted on
    every row that is non-zero in both (a zero row marks a word a run lacks), and
    the cosine is read for ``rows``. 1 means the row did not move. With
    ``partners``, row ``rows[i]`` of the rotated A is compared with row
    ``partners[i]`` of B instead: random pairs of distinct words give the chance
    level, what two unrelated words score after the same rotation.

    Parameters
    ----------
    A, B : (n, d) float ndarrays
    rows : (r,) int sequence
    partners : (r,) int sequence or None
        Rows of B to compare with ``rows`` of A (None: the same rows).

    Returns
    -------
    (r,) float64 ndarray
    """
    A = cosine_matrix(check_matrix("A", A).astype(np.float64))
    B = cosine_matrix(check_matrix("B", B, A.shape[1]).astype(np.float64))
    if A.shape != B.shape:
        raise ValueError(f"A and B must have the same shape, got {A.shape} and {B.shape}")
    rows = check_ids("rows", rows, len(A))
    partners = rows if partners is None else check_ids("partners", partners, len(B))
    if partners.shape != rows.shape:
        raise ValueError(f"partners must have one row of B per row of A, got {partners.shape[0]} "
                         f"partners for {rows.shape[0]} rows")
    both = np.flatnonzero((np.abs(A).sum(axis=1) > 0) & (np.abs(B).sum(axis=1) > 0))
    R = procrustes_align(A[both], B[both]).R
    return np.sum(cosine_matrix(A @ R)[rows] * B[partners], axis=1)
