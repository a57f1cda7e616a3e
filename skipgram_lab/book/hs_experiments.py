"""The appendix's measurements: a minibatch hierarchical-softmax trainer, and what a step costs.

- :func:`hs_pairs_step` and :func:`train_hierarchical`: skip-gram with
  hierarchical softmax, B pairs per step, so that it can be compared with
  negative sampling (:func:`skipgram_lab.vectorized.train_vectorized`) on the
  planted corpus at the same batch size, lr schedule and number of epochs. With
  ``batch_size=1`` a step is exactly :func:`skipgram_lab.hierarchical_softmax.sgd_step`
  (a test checks it).
- :func:`step_seconds`: the wall time of one full-softmax step on a batch of
  predictions (one matrix product against all of O) and of one negative-sampling
  step on a batch of pairs (gathers and scatters of K + 1 rows each).

>>> import numpy as np
>>> from skipgram_lab.book.hs_experiments import padded_paths
>>> from skipgram_lab.hierarchical_softmax import huffman_tree
>>> paths, codes, mask = padded_paths(huffman_tree([5, 3, 1, 1]))
>>> mask.sum(axis=1).tolist()                 # path lengths
[1, 2, 3, 3]
"""

from __future__ import annotations

import time

import numpy as np

from .._validate import check_int, check_lr, check_not_diverged, check_rng, check_sentences, check_step_loss
from ..embeddings import Embeddings
from ..hierarchical_softmax import huffman_tree
from ..negative_sampling import log_sigmoid, sigmoid
from ..pairs import skipgram_pairs
from ..scatter import ns_pairs_step, scatter_add, softmax_pairs_step
from ..training import TrainResult, init_vectors, linear_lr


def padded_paths(tree):
    """The tree's paths and codes as (V, L_max) arrays, with a mask of the real entries.

    Returns
    -------
    paths : (V, L_max) int64 ndarray
        Inner-node ids, padded with 0.
    codes : (V, L_max) float64 ndarray
        0 (left) / 1 (right), padded with 0.
    mask : (V, L_max) bool ndarray
    """
    V = len(tree.paths)
    L = max(len(p) for p in tree.paths)
    paths = np.zeros((V, L), dtype=np.int64)
    codes = np.zeros((V, L))
    mask = np.zeros((V, L), dtype=bool)
    for c, (p, k) in enumerate(zip(tree.paths, tree.codes)):
        paths[c, :len(p)], codes[c, :len(p)], mask[c, :len(p)] = p, k, True
    return paths, codes, mask


def hs_pairs_step(E, U, w, c, paths, codes, mask, lr):
    """One SGD step of hierarchical softmax on B pairs (eqs. ``hs-prob``, ``hs-grad``, appendix).

    Gradients are taken at the old values and added with
    :func:`skipgram_lab.scatter.scatter_add`, as in the negative-sampling step.

    Parameters
    ----------
    E : (V, d) ndarray, updated in place
    U : (V - 1, d) ndarray, updated in place
        Inner-node vectors.
    w, c : (B,) int ndarrays
    paths, codes, mask : (V, L_max) arrays from :func:`padded_paths`
    lr : float

    Returns
    -------
    float
        The summed loss ``-log P(c | w)`` of the batch.
    """
    P, y, m = paths[c], 1.0 - codes[c], mask[c]  # (B, L) each; y = 1 means "go left"
    e = E[w]  # (B, d)
    U_P = U[P]  # (B, L, d)
    s = np.einsum("bd,bld->bl", e, U_P)  # (B, L)
    loss = -float(np.sum(log_sigmoid((2.0 * y - 1.0) * s)[m]))
    g = (sigmoid(s) - y) * m  # (B, L) dL/ds, 0 on padding
    check_step_loss(loss, len(w), lr)
    scatter_add(E, w, -lr * np.einsum("bl,bld->bd", g, U_P))
    scatter_add(U, P[m], -lr * (g[:, :, None] * e[:, None, :])[m])
    return loss


def train_hierarchical(sentences, vocab, *, dim=30, window=2, lr=0.025, min_lr=1e-4, epochs=10,
                       batch_size=16, rng=None):
    """Skip-gram with hierarchical softmax over a Huffman tree of ``vocab.counts``.

    Fixed window, no subsampling; pairs in corpus order, ``batch_size`` at a
    time; lr decayed linearly from ``lr`` to ``min_lr`` over all epochs.

    Returns
    -------
    TrainResult
        ``embeddings.E`` holds the word vectors; ``embeddings.O`` holds the
        ``V - 1`` inner-node vectors with a zero row appended (there is no
        per-word context vector).
    """
    V = len(vocab)
    sentences = check_sentences("sentences", sentences, V)
    dim, window, epochs = check_int("dim", dim, 1), check_int("window", window, 1), check_int("epochs", epochs, 1)
    batch_size = check_int("batch_size", batch_size, 1)
    lr = check_lr(lr)
    E, _ = init_vectors(V, dim, check_rng(rng))
    U = np.zeros((V - 1, dim))
    paths, codes, mask = padded_paths(huffman_tree(vocab.counts))
    pairs = skipgram_pairs(sentences, window)
    history = {"loss": [], "pairs": [], "seconds": []}
    for epoch in range(epochs):
        start, total = time.perf_counter(), 0.0
        for i in range(0, len(pairs), batch_size):
            lr_t = linear_lr(lr, min_lr, (epoch + i / len(pairs)) / epochs)
            batch = pairs[i:i + batch_size]
            total += hs_pairs_step(E, U, batch[:, 0], batch[:, 1], paths, codes, mask, lr_t)
        check_not_diverged(E=E, U=U)
        history["loss"].append(total / len(pairs))
        history["pairs"].append(len(pairs))
        history["seconds"].append(time.perf_counter() - start)
    O = np.vstack([U, np.zeros((1, dim))])
    return TrainResult(Embeddings(E, O, vocab), history, [])


def step_seconds(V, d, B, *, K=5, repeats=3, rng=None):
    """Best-of-``repeats`` wall time of one batched step of each kind, float32.

    Returns
    -------
    dict
        ``"full softmax"``: one step on B predictions against all V rows of O
        (:func:`skipgram_lab.scatter.softmax_pairs_step`); ``"negative sampling"``:
        one step on B pairs with K noise ids each (:func:`skipgram_lab.scatter.ns_pairs_step`).
    """
    V, d, B = check_int("V", V, 2), check_int("d", d, 1), check_int("B", B, 1)
    rng = check_rng(rng)
    E = (rng.random((V, d), dtype=np.float32) - 0.5) / d
    O = (rng.random((V, d), dtype=np.float32) - 0.5) / d
    w, c = rng.integers(V, size=B), rng.integers(V, size=B)
    negatives = rng.integers(V, size=(B, K))
    out = {}
    for name, step in [("full softmax", lambda: softmax_pairs_step(E, O, w, c, 1e-3)),
                       ("negative sampling", lambda: ns_pairs_step(E, O, w, c, negatives, 1e-3))]:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            step()
            times.append(time.perf_counter() - start)
        out[name] = min(times)
    return out
