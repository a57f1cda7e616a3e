"""Hierarchical softmax: the other standard fix for the ``O(|V|)`` normaliser (appendix).

The vocabulary becomes the leaves of a binary Huffman tree built from the
counts; each of its ``V - 1`` inner nodes ``n`` has a vector ``U[n]``. The
probability of a context ``c`` is the probability of walking from the root to
its leaf, one left/right coin per inner node on the path (appendix, eq. ``hs-prob``)::

    P(c | w) = prod_j sigma(t_j * e_w . U[n_j]),    t_j = +1 (left, code 0) or -1 (right, code 1)

so a step costs O(path length) = O(log V) instead of O(V), and the
probabilities of all leaves still sum to 1 (a test checks it).

Gradients (eq. ``hs-grad``), with ``s_j = e_w . U[n_j]`` and ``y_j = 1 - code_j``::

    dL/ds_j  = sigma(s_j) - y_j
    dL/de_w  = sum_j (sigma(s_j) - y_j) U[n_j]
    dL/dU_nj = (sigma(s_j) - y_j) e_w

This is word2vec.c's ``g = (1 - code - f) * alpha``, the negative of dL/ds_j times lr.

>>> import numpy as np
>>> from skipgram_lab.hierarchical_softmax import huffman_tree
>>> tree = huffman_tree(np.array([5, 3, 1, 1]))
>>> [len(p) for p in tree.paths]          # frequent words get short paths
[1, 2, 3, 3]
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from ._validate import (
    TrainingDiverged, check_E_O, check_finite_rows, check_id, check_in_place, check_lr, check_matrix,
    check_vector,
)
from .negative_sampling import log_sigmoid, sigmoid


@dataclass
class HuffmanTree:
    """Paths and codes of a Huffman tree over V leaves.

    Attributes
    ----------
    paths : list of (L_c,) int64 ndarrays
        Inner-node ids (rows of U, in ``[0, V-1)``) from the root down to leaf c.
    codes : list of (L_c,) int8 ndarrays
        0 = go left, 1 = go right, at each node of the path.
    """

    paths: list
    codes: list

    @property
    def n_inner(self) -> int:
        return max(len(self.paths) - 1, 0)


def huffman_tree(counts):
    """Build the Huffman tree of ``counts`` (deterministic: ties broken by node id).

    Parameters
    ----------
    counts : (V,) int array, V >= 2

    Returns
    -------
    HuffmanTree
    """
    counts = np.asarray(counts, dtype=np.int64)
    V = len(counts)
    if counts.ndim != 1 or V < 2:
        raise ValueError(f"counts must be a 1-D array of at least 2 tokens, got shape {counts.shape}")
    heap = [(int(n), i) for i, n in enumerate(counts)]
    heapq.heapify(heap)
    parent = np.zeros(2 * V - 1, dtype=np.int64)
    code = np.zeros(2 * V - 1, dtype=np.int8)
    next_id = V
    while len(heap) > 1:
        n0, a = heapq.heappop(heap)
        n1, b = heapq.heappop(heap)
        parent[a], code[a] = next_id, 0
        parent[b], code[b] = next_id, 1
        heapq.heappush(heap, (n0 + n1, next_id))
        next_id += 1
    root = 2 * V - 2
    paths, codes = [], []
    for leaf in range(V):
        nodes, bits, x = [], [], leaf
        while x != root:
            nodes.append(parent[x] - V)  # inner node ids start at 0; the root is V - 2
            bits.append(code[x])
            x = parent[x]
        paths.append(np.array(nodes[::-1], dtype=np.int64))
        codes.append(np.array(bits[::-1], dtype=np.int8))
    return HuffmanTree(paths, codes)


def loss_and_grad(e_w, U_path, code):
    """Loss ``-log P(c | w)`` along one path and its gradients (eqs. ``hs-prob``, ``hs-grad``).

    Parameters
    ----------
    e_w : (d,) float ndarray
    U_path : (L, d) float ndarray
        Rows ``U[n_1], ..., U[n_L]`` of the inner nodes on the path to c.
    code : (L,) int array of 0/1

    Returns
    -------
    loss : float
    grad_e_w : (d,) ndarray
    grad_U_path : (L, d) ndarray
    """
    e_w = check_vector("e_w", e_w)
    U_path = check_matrix("U_path", np.reshape(U_path, (-1, e_w.shape[0])), e_w.shape[0])
    code = np.asarray(code)
    if code.shape != (U_path.shape[0],) or not np.all((code == 0) | (code == 1)):
        raise ValueError(f"code must be {U_path.shape[0]} values of 0 or 1, got code={code!r}")
    s = U_path @ e_w  # (L,)
    y = 1.0 - code  # (L,) 1 = left
    t = 2.0 * y - 1.0  # (L,) +1 left, -1 right
    loss = -float(np.sum(log_sigmoid(t * s)))
    dL_ds = sigmoid(s) - y  # (L,)
    return loss, dL_ds @ U_path, dL_ds[:, None] * e_w[None, :]


def probabilities(e_w, U, tree):
    """``P(c | w)`` for every leaf c: a (V,) array that sums to 1."""
    e_w = check_vector("e_w", e_w)
    U = check_matrix("U", U, e_w.shape[0])
    return np.array([np.exp(-loss_and_grad(e_w, U[p], k)[0]) for p, k in zip(tree.paths, tree.codes)])


def sgd_step(E, U, w, c, tree, lr):
    """One in-place step on ``E[w]`` and the rows of ``U`` on the path to ``c``; returns the loss.

    Parameters
    ----------
    E : (V, d) float ndarray
    U : (V - 1, d) float ndarray
        Inner-node vectors (they play the part of O).
    w, c : int
    tree : HuffmanTree
    lr : float
    """
    E = check_matrix("E", check_in_place("E", E))
    U = check_matrix("U", check_in_place("U", U), E.shape[1])
    if U.shape[0] != E.shape[0] - 1:
        raise ValueError(f"U must have V - 1 = {E.shape[0] - 1} rows, got U.shape={U.shape}")
    check_E_O(E[:1], U[:1])  # same dtype
    w = check_id("w", w, E.shape[0])
    c = check_id("c", c, E.shape[0])
    lr = check_lr(lr)
    path = tree.paths[c]
    with np.errstate(over="ignore", invalid="ignore"):
        loss, grad_e_w, grad_U = loss_and_grad(E[w].copy(), U[path], tree.codes[c])
    if not (np.isfinite(loss) and np.all(np.isfinite(grad_e_w)) and np.all(np.isfinite(grad_U))):
        check_finite_rows(e_w=E[w], U_path=U[path])
        raise TrainingDiverged(f"non-finite values at the step (w={w}, c={c}) with lr={lr}")
    E[w] -= lr * grad_e_w
    U[path] -= lr * grad_U  # a path visits each node once: no repeated rows
    return loss
