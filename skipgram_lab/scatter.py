"""Minibatch updates: batched gradients, and the scatter that adds them into E and O.

A minibatch of B pairs touches rows of ``E`` and ``O`` by id, and the same id
comes back many times in one batch: a center has up to 2k contexts, "the" is
a context (and a noise draw) everywhere. The gradient of the summed loss says
that every one of those updates counts, so they must be *added*:

>>> import numpy as np
>>> from skipgram_lab.scatter import scatter_add
>>> M = np.zeros((3, 2))
>>> ids, D = np.array([1, 1]), np.ones((2, 2))
>>> M[ids] += D                 # fancy-index +=: both rows land on M[1], the second overwrites
>>> M[1].tolist()
[1.0, 1.0]
>>> scatter_add(M, ids, D)      # adds both: M[1] gains 2
>>> M[1].tolist()
[3.0, 3.0]

``scatter_add`` is ``np.add.at`` on the flat (raveled) view of ``M``: one
index per element, which numpy runs through a fast 1-D loop (about five times
faster than ``np.add.at`` on the 2-D array). Almost all the time of the
vectorized trainer goes into these scatters and the gathers before them.

The math is the one of chapters 3 and 4, summed over a batch; tests check each
function against :func:`skipgram_lab.negative_sampling.loss_and_grad` and
:func:`skipgram_lab.softmax.loss_and_grad` applied pair by pair.
"""

from __future__ import annotations

import numpy as np

from .negative_sampling import TrainingDiverged, log_sigmoid, sigmoid


def scatter_add(M, ids, D):
    """``M[ids[i]] += D[i]`` for every i, duplicates added up (in place).

    Parameters
    ----------
    M : (V, d) ndarray, updated in place
    ids : (n,) int ndarray
        Row ids, repeats allowed.
    D : (n, d) ndarray
        The rows to add.
    """
    d = M.shape[1]
    if M.flags.c_contiguous:
        flat = (np.asarray(ids, dtype=np.intp)[:, None] * d + np.arange(d)).ravel()  # (n d,)
        np.add.at(M.reshape(-1), flat, np.asarray(D, dtype=M.dtype).reshape(-1))
    else:
        np.add.at(M, ids, D)


def _check_finite(loss, lr):
    if not np.isfinite(loss):
        raise TrainingDiverged(f"non-finite loss with lr={lr}: use a smaller lr")


def ns_batch_loss_and_grad(e, O_T, weight):
    """SGNS loss and gradients of B pairs, each with its own targets.

    Target 0 of each row is the true context (label 1), targets 1..K are noise
    ids (label 0); ``weight`` 0 switches a target off (a noise draw equal to
    the context, as :func:`skipgram_lab.noise.drop_positive` drops it). Row b
    is eqs. ``ns-loss`` and ``ns-grad`` of chapter 4 for pair b.

    Parameters
    ----------
    e : (B, d) ndarray
        Center rows ``E[w]``.
    O_T : (B, 1 + K, d) ndarray
        Target rows: ``O[c]``, then ``O[n_1] .. O[n_K]``.
    weight : (B, 1 + K) ndarray of 0/1

    Returns
    -------
    loss : float
        Summed over the batch (float64).
    grad_e : (B, d) ndarray
    grad_O_T : (B, 1 + K, d) ndarray
    """
    S = np.einsum("bkd,bd->bk", O_T, e)  # (B, 1+K) scores
    sign = np.ones(S.shape[1], S.dtype)
    sign[1:] = -1.0  # log sigma(s) for the context, log sigma(-s_k) for noise
    loss = -np.sum(weight * log_sigmoid(S * sign), dtype=np.float64)
    G = sigmoid(S) * weight  # dL/ds: p - 1 for the context, p_k for noise
    G[:, 0] -= weight[:, 0]
    grad_e = np.einsum("bk,bkd->bd", G, O_T)  # (B, d)
    grad_O_T = G[:, :, None] * e[:, None, :]  # (B, 1+K, d)
    return float(loss), grad_e, grad_O_T


def ns_pairs_step(E, O, w, c, negatives, lr):
    """One SGD step on B pairs, each with its own K noise ids (word2vec.c's sampling).

    All gradients are taken at the old values, then added with
    :func:`scatter_add`. With B = 1 this is exactly
    :func:`skipgram_lab.negative_sampling.sgd_step` after ``drop_positive``
    (a noise id equal to the context gets weight 0 instead of being dropped).

    Parameters
    ----------
    E, O : (V, d) ndarrays, updated in place
    w, c : (B,) int ndarrays
    negatives : (B, K) int ndarray
    lr : float

    Returns
    -------
    float
        The summed loss of the batch.
    """
    T = np.concatenate([c[:, None], negatives], axis=1)  # (B, 1+K) target ids
    weight = (T != c[:, None]).astype(E.dtype)
    weight[:, 0] = 1.0
    e = E[w]  # (B, d)
    O_T = O[T]  # (B, 1+K, d)
    loss, grad_e, grad_O_T = ns_batch_loss_and_grad(e, O_T, weight)
    _check_finite(loss, lr)
    scatter_add(E, w, -lr * grad_e)
    scatter_add(O, T.ravel(), -lr * grad_O_T.reshape(-1, E.shape[1]))
    return loss


def offsets_of(window):
    """The context offsets ``-k..-1, 1..k`` in the column order of :func:`window_step`."""
    return np.concatenate([np.arange(-window, 0), np.arange(1, window + 1)])


def window_step(E, O, tokens_ext, weight, negatives, lr):
    """One SGD step on all pairs of n consecutive centers, K noise ids shared by the batch.

    The fast path. Column j of ``weight`` is offset ``offsets_of(k)[j]``: the
    contexts of the n centers at that offset are one shifted slice of the
    gathered rows, so each center and each context position accumulates its
    gradient in place, and only n + 2k + K rows are scattered instead of
    B (K + 1). A noise id's score depends only on the center, so the
    (n, K) noise scores are one matrix product; each counts once per pair
    of its center whose context it is not. This is exactly the sum of
    :func:`skipgram_lab.negative_sampling.loss_and_grad` over the pairs of the
    batch with the same K negatives (a test checks it).

    Parameters
    ----------
    E, O : (V, d) ndarrays, updated in place
    tokens_ext : (n + 2k,) int ndarray
        Token ids of the n centers with k tokens on each side (padding ids
        may be anything: their weight is 0).
    weight : (n, 2k) ndarray of 0/1
        ``weight[i, j] = 1`` if the token at offset j is a context of center i.
    negatives : (K,) int ndarray
    lr : float

    Returns
    -------
    float
        The summed loss of the batch.
    """
    n, two_k = weight.shape
    k = two_k // 2
    w = tokens_ext[k : k + n]
    e = np.take(E, w, axis=0)  # (n, d)
    O_ext = np.take(O, tokens_ext, axis=0)  # (n+2k, d) every context row, once per position
    O_neg = np.take(O, negatives, axis=0)  # (K, d)
    columns = np.r_[0:k, k + 1 : 2 * k + 1]
    context = np.lib.stride_tricks.sliding_window_view(tokens_ext, 2 * k + 1)[:, columns]  # (n, 2k)
    S = np.empty((n, two_k), E.dtype)
    for j, o in enumerate(offsets_of(k)):
        S[:, j] = np.einsum("id,id->i", e, O_ext[k + o : k + o + n])
    S_neg = e @ O_neg.T  # (n, K)
    is_noise = context[:, :, None] != negatives[None, None, :]  # (n, 2k, K)
    counts = np.einsum("ij,ijk->ik", weight, is_noise.astype(weight.dtype))  # (n, K)
    loss = -np.sum(weight * log_sigmoid(S), dtype=np.float64) - np.sum(
        counts * log_sigmoid(-S_neg), dtype=np.float64)
    _check_finite(loss, lr)
    G = (sigmoid(S) - 1.0) * weight  # (n, 2k) dL/ds per pair
    G_neg = sigmoid(S_neg) * counts  # (n, K)   dL/ds_k summed over the center's pairs
    grad_e = G_neg @ O_neg  # (n, d)
    grad_O_ext = np.zeros_like(O_ext)  # (n+2k, d)
    tmp = np.empty_like(e)
    for j, o in enumerate(offsets_of(k)):
        rows = slice(k + o, k + o + n)
        grad_e += np.multiply(G[:, j : j + 1], O_ext[rows], out=tmp)
        grad_O_ext[rows] += np.multiply(G[:, j : j + 1], e, out=tmp)
    grad_O_neg = G_neg.T @ e  # (K, d)
    scatter_add(E, w, -lr * grad_e)
    scatter_add(O, np.concatenate([tokens_ext, negatives]),
                -lr * np.concatenate([grad_O_ext, grad_O_neg]))
    return float(loss)


def softmax_batch_loss_and_grad(e, O, c):
    """Full-softmax loss of B pairs against all of O: one (B, V) matrix product.

    Row b is eqs. ``sm-loss`` and ``sm-grad`` of chapter 3 for pair b; the
    gradient of O is summed over the batch. This is the O(|V|) cost per pair
    that negative sampling avoids.

    Parameters
    ----------
    e : (B, d) ndarray
        Center rows ``E[w]``.
    O : (V, d) ndarray
    c : (B,) int ndarray

    Returns
    -------
    loss : float
        Summed over the batch (float64).
    grad_e : (B, d) ndarray
    grad_O : (V, d) ndarray
    """
    S = e @ O.T  # (B, V)
    m = S.max(axis=1, keepdims=True)  # row-wise log-sum-exp, as softmax.log_softmax per row
    log_p = S - (m + np.log(np.exp(S - m).sum(axis=1, keepdims=True)))  # (B, V)
    rows = np.arange(len(c))
    loss = -np.sum(log_p[rows, c], dtype=np.float64)
    dL_dS = np.exp(log_p)  # P - onehot(c)
    dL_dS[rows, c] -= 1.0
    return float(loss), dL_dS @ O, dL_dS.T @ e


def softmax_pairs_step(E, O, w, c, lr):
    """One full-softmax SGD step on B pairs (every row of O moves). Returns the summed loss."""
    loss, grad_e, grad_O = softmax_batch_loss_and_grad(E[w], O, c)
    _check_finite(loss, lr)
    scatter_add(E, w, -lr * grad_e)
    O -= lr * grad_O
    return loss
