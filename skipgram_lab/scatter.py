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
index per element, which numpy runs through a fast 1-D loop (about 5x faster
than ``np.add.at`` on the 2-D array; viewing each pair of floats as one complex
number halves the indices again: about 8x). In the per-pair step
(:func:`ns_pairs_step`) these scatters of B (K + 1) rows take most of the time;
the fast path (:func:`window_step`) scatters one row per token instead.

The math is the one of chapters 3 and 4, summed over a batch; tests check each
function against :func:`skipgram_lab.negative_sampling.loss_and_grad` and
:func:`skipgram_lab.softmax.loss_and_grad` applied pair by pair.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._validate import TrainingDiverged, check_step_loss
from .negative_sampling import log_sigmoid, sigmoid, sigmoid_and_log_sigmoid


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
    D = np.asarray(D, dtype=M.dtype)
    if not M.flags.c_contiguous:
        np.add.at(M, ids, D)
        return
    if M.shape[1] % 2 == 0 and M.dtype in (np.float32, np.float64):
        # Two floats viewed as one complex number: numpy adds complex numbers part by
        # part, so the sums are bit for bit the same, with half as many indices.
        M = M.view(np.complex64 if M.dtype == np.float32 else np.complex128)
        D = np.ascontiguousarray(D).view(M.dtype)
    d = M.shape[1]
    flat = np.empty((len(ids), d), np.intp)  # (n, d): the flat index of each element
    np.multiply(np.asarray(ids)[:, None], d, out=flat)  # broadcast into place: no temporaries
    flat += np.arange(d)
    np.add.at(M.reshape(-1), flat.reshape(-1), D.reshape(-1))


#: Apply :func:`row_scale` in the batched steps (True). False gives the plain sums, for
#: ``benchmarks/stability.py`` and chapter 10, which show what the bound prevents.
STABILITY_BOUND = True

#: The bound on ``lr * H`` (see :func:`row_scale`): at most a Newton step per row. Not 2, the
#: edge of stability of one row alone: the rows of E and O of a pair move together, so their
#: steps add up (with 2, the toy corpus at d = 50 and 100 epochs diverged for 2 seeds of 3;
#: ``benchmarks/stability.py``).
STABILITY_LIMIT = 1.0


def row_scale(ids, h, lr):
    """Per occurrence, the factor that keeps its row's summed step within the stability bound.

    The batched steps' remedy for small vocabularies (chapter 10, "When a batch
    is too big for its vocabulary"). A batch adds up the steps of every
    occurrence of a row, all taken at the old values; on a small vocabulary one
    row occurs hundreds of times and that sum overshoots where one pair at a
    time would not. ``h`` is, per occurrence, ``p (1 - p) |partner|^2``: the
    curvature of that pair's loss along the row. Summed per row it is ``H[r]``,
    the trace of the Gauss-Newton matrix of the row's batch loss, which bounds
    its largest eigenvalue: with ``lr * H[r] <= 1`` the step along the row's
    stiffest direction is at most a Newton step and cannot overshoot. So a row
    with ``lr * H[r] > 1`` has its step scaled by ``1 / (lr * H[r])``, unless
    one occurrence alone already has ``lr * h > 1`` (then pair-by-pair SGD would
    overshoot too: the row is only kept from multiplying that step, by
    ``max(1, lr * h_max) / (lr * H[r])``, and a too large lr still diverges and
    is reported). Rows within the bound, the usual case, keep their step (factor 1).

    Parameters
    ----------
    ids : (n,) int ndarray
        The row of each occurrence (repeats allowed).
    h : (n,) float ndarray
        Each occurrence's curvature.
    lr : float

    Returns
    -------
    (n,) float ndarray or None
        None when no row exceeds the bound (nothing to scale).
    """
    if not STABILITY_BOUND:
        return None
    H = np.bincount(ids, weights=h)[ids]  # (n,): each occurrence's row total
    H *= lr
    if not H.size or H.max() <= STABILITY_LIMIT:
        return None
    over = np.flatnonzero(H > STABILITY_LIMIT)  # occurrences of the rows to scale: few
    h_max = np.zeros(ids.max() + 1)
    np.maximum.at(h_max, ids[over], h[over] * lr)
    allowed = np.maximum(h_max[ids[over]], STABILITY_LIMIT)
    scale = np.ones(len(ids))
    scale[over] = allowed / np.maximum(H[over], allowed)
    return scale


def _scale_rows(step, scale):
    """``step *= scale[:, None]``, touching only the rows whose factor is below 1 (in place)."""
    if scale is not None:
        rows = np.flatnonzero(scale < 1.0)
        step[rows] *= scale[rows, None].astype(step.dtype)


def _sq_norms(M):
    """Squared norm of each row (the last axis), in M's dtype."""
    return np.einsum("...d,...d->...", M, M)


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
    check_step_loss(loss, len(w), lr)
    step_e, step_T = -lr * grad_e, -lr * grad_O_T.reshape(-1, E.shape[1])
    p = sigmoid(np.einsum("bkd,bd->bk", O_T, e))  # (B, 1+K)
    a = p * (1.0 - p) * weight  # the curvature of each score
    scale_e = row_scale(w, (a * _sq_norms(O_T)).sum(1), lr)
    scale_T = row_scale(T.ravel(), (a * _sq_norms(e)[:, None]).ravel(), lr)
    if scale_e is not None:
        step_e *= scale_e[:, None]
    if scale_T is not None:
        step_T *= scale_T[:, None]
    scatter_add(E, w, step_e)
    scatter_add(O, T.ravel(), step_T)
    return loss


def windows(A, width):
    """``windows(A, w)[i]`` is ``A[i : i + w]`` moved to the last axis: a strided view, no copy.

    For a (n + w - 1, d) array the result is (n, d, w); for a 1-D array, (n, w).
    (``numpy.lib.stride_tricks.sliding_window_view`` without its per-call checks.)
    """
    n = A.shape[0] - width + 1
    return as_strided(A, shape=(n, *A.shape[1:], width), strides=(A.strides[0], *A.strides[1:], A.strides[0]),
                      writeable=False)


def window_step(E, O, tokens_ext, weight, negatives, lr):
    """One SGD step on all pairs of n consecutive centers, with shared noise ids.

    The fast path. Center i sits at ``tokens_ext[i + k]`` and column u of
    ``weight`` is the token at offset ``u - k`` (column k, the center itself,
    is always 0). The 2k + 1 rows of O around a center are one (d, 2k + 1)
    window, a strided view: the scores of all its pairs, and the gradient they
    send back to the center, are one matrix-vector product each, and every
    position gathers and scatters its row once (n + 2k rows, not one per pair).
    A noise id's score depends only on the center, so each center's noise
    scores are computed once and count once per pair of the center whose
    context they are not. This is exactly the sum of
    :func:`skipgram_lab.negative_sampling.loss_and_grad` over the pairs of the
    batch, each with its center's noise ids (a test checks it).

    Parameters
    ----------
    E, O : (V, d) ndarrays, updated in place
    tokens_ext : (n + 2k,) int ndarray
        Token ids of the n centers with k tokens on each side (ids under
        weight 0, such as padding, are read but get no update).
    weight : (n, 2k + 1) ndarray of 0/1
        ``weight[i, u] = 1`` if the token at offset ``u - k`` is a context of center i.
    negatives : (n, K) or (K,) int ndarray
        K noise ids for each center, or K for the whole batch.
    lr : float

    Returns
    -------
    float
        The summed loss of the batch.
    """
    n, width = weight.shape
    k, d = width // 2, E.shape[1]
    w = tokens_ext[k : k + n]
    e = np.take(E, w, axis=0)  # (n, d)
    O_ext = np.take(O, tokens_ext, axis=0)  # (n+2k, d): each position's row, once
    O_win = windows(O_ext, width)  # (n, d, 2k+1): the rows around center i
    S = np.matmul(e[:, None, :], O_win)[:, 0, :]  # (n, 2k+1) scores of the pairs
    per_center = negatives.ndim == 2
    O_neg = np.take(O, negatives, axis=0)  # (n, K, d) or (K, d)
    S_neg = np.matmul(O_neg, e[:, :, None])[:, :, 0] if per_center else e @ O_neg.T  # (n, K)
    context = windows(tokens_ext, width)  # (n, 2k+1) context ids
    is_noise = context[:, :, None] != (negatives[:, None, :] if per_center else negatives)
    counts = np.matmul(weight[:, None, :], is_noise.astype(weight.dtype))[:, 0, :]  # (n, K)
    p, log_p = sigmoid_and_log_sigmoid(S)  # sigma(s) and log sigma(s) of the pairs
    p_neg, log_1mp_neg = sigmoid_and_log_sigmoid(S_neg, -1.0)  # sigma(s_k) and log sigma(-s_k)
    loss = -np.sum(weight * log_p, dtype=np.float64) - np.sum(counts * log_1mp_neg, dtype=np.float64)
    check_step_loss(loss, weight.sum(), lr)
    G = (p - 1.0) * weight  # (n, 2k+1) dL/ds per pair
    G_neg = p_neg * counts  # (n, K): dL/ds_k = p_k, summed over the center's pairs
    step_e = np.matmul(O_win, G[:, :, None])[:, :, 0]  # (n, d): the gradient of e, then its step
    step_e += np.matmul(G_neg[:, None, :], O_neg)[:, 0, :] if per_center else G_neg @ O_neg
    step_e *= -lr
    # Position q of O_ext collects G[i, u] e_i from the centers i = q - u: the same window
    # product over e and G padded by 2k rows, G read along anti-diagonals.
    e_pad = np.zeros((n + 4 * k, d), e.dtype)
    e_pad[2 * k : 2 * k + n] = e
    G_pad = np.zeros((n + 4 * k, width), G.dtype)
    G_pad[2 * k : 2 * k + n] = G
    q, m = np.arange(n + 2 * k)[:, None], np.arange(width)[None, :]
    H = G_pad[q + m, 2 * k - m]  # (n+2k, 2k+1)
    ids = np.concatenate([tokens_ext, negatives.ravel()])  # every row of O this step moves
    step_O = np.empty((len(ids), d), E.dtype)  # their gradients, written in place, then their steps
    np.matmul(windows(e_pad, width), H[:, :, None], out=step_O[: n + 2 * k, :, None])
    if per_center:
        np.multiply(G_neg[:, :, None], e[:, None, :], out=step_O[n + 2 * k :].reshape(n, -1, d))
    else:
        np.matmul(G_neg.T, e, out=step_O[n + 2 * k :])  # (K, d)
    step_O *= -lr
    # The stability bound (row_scale): each row's curvature, summed over its occurrences.
    a, a_neg = p * (1.0 - p) * weight, p_neg * (1.0 - p_neg) * counts  # (n, 2k+1), (n, K)
    sq_e, sq_neg = _sq_norms(e), _sq_norms(O_neg)  # (n,), (n, K) or (K,)
    h_e = (a * windows(_sq_norms(O_ext), width)).sum(1) + (a_neg * sq_neg).sum(1)  # (n,)
    h_win = _fold(a * sq_e[:, None], k)  # (n+2k,): window position q collects a[i, u] |e_i|^2
    h_neg = a_neg * sq_e[:, None]  # (n, K): each center's pushes are its own occurrences
    neg_ids = negatives.ravel() if per_center else np.tile(negatives, n)
    scale_e = row_scale(w, h_e, lr)
    scale_O = row_scale(np.concatenate([tokens_ext, neg_ids]), np.concatenate([h_win, h_neg.ravel()]), lr)
    if scale_O is not None:
        scale_O = scale_O[: len(ids)]  # a row's factor is the same at each occurrence
    if scale_e is not None:
        step_e *= scale_e[:, None]
    if scale_O is not None:
        step_O *= scale_O[:, None]
    scatter_add(E, w, step_e)
    scatter_add(O, ids, step_O)
    return float(loss)


def _fold(X, k):
    """``out[i + u] += X[i, u]``: the (n, 2k+1) per-window values summed onto the n+2k positions."""
    n, width = X.shape
    out = np.zeros(n + 2 * k, X.dtype)
    for u in range(width):
        out[u : u + n] += X[:, u]
    return out


def context_window_step(E, O, tokens_ext, weight, negatives, lr):
    """:func:`window_step` with the roles of word2vec.c and gensim: each context's row of E predicts the center.

    The same pairs as :func:`window_step`; for pair (center i, context j) the
    input is ``E[token j]`` and the output ``O[token i]``, and the K noise ids
    drawn for center i replace the center for every pair of its window (a
    noise id equal to the center is skipped, as word2vec.c skips a draw equal
    to its target). Unlike the center's own shared draw in
    :func:`window_step`, each pair still gets its own noise *scores*
    (different inputs), so the K ids are shared but their pushes are not one
    summed push. The rows gathered and scattered are the same: the n + 2k
    window rows (of E here) and the n (1 + K) target rows (of O). Exactly the
    sum of :func:`skipgram_lab.negative_sampling.loss_and_grad` over the
    swapped pairs of the batch (a test checks it).

    Parameters and return value as in :func:`window_step`: E and O (V, d),
    updated in place; ``tokens_ext`` (n + 2k,); ``weight`` (n, 2k + 1);
    ``negatives`` (n, K) or (K,); lr. Returns the summed loss of the batch.
    """
    n, width = weight.shape
    k, d = width // 2, E.shape[1]
    if negatives.ndim == 1:  # one draw for the batch: every center's targets include it
        negatives = np.broadcast_to(negatives, (n, len(negatives)))
    targets = np.concatenate([tokens_ext[k : k + n, None], negatives], axis=1)  # (n, 1+K): center, noise
    E_ext = np.take(E, tokens_ext, axis=0)  # (n+2k, d)
    E_win = _row_windows(E_ext, width)  # (n, 2k+1, d): the inputs around center i, each a contiguous block
    O_T = np.take(O, targets, axis=0)  # (n, 1+K, d)
    S = np.matmul(O_T, E_win.transpose(0, 2, 1))  # (n, 1+K, 2k+1): S[i, t, u] = O[target t] . E[context u]
    # Which scores count: the pairs (weight), for every target but a noise id equal to the center.
    skip = np.nonzero(negatives == targets[:, :1])  # (centers, draws): rare
    p = _sigmoid_of_scores(S)
    W = np.broadcast_to(weight[:, None, :], S.shape)
    loss = _ns_window_loss(S, p, weight, skip)
    check_step_loss(loss, weight.sum(), lr)
    G = p * W  # dL/ds: p - 1 for the center, p for noise
    G[:, 0] -= weight
    G[skip[0], skip[1] + 1] = 0.0
    # The stability bound (row_scale): each row's curvature p (1 - p), summed over its occurrences,
    # from G: a = -G p for the center's scores, G (1 - p) for the noise scores.
    a = np.subtract(1.0, p, out=p)  # 1 - p (p is not needed again)
    a[:, 0] -= 1.0  # -p for the center's scores
    a *= G
    sq_E = _sq_norms(E_ext)  # (n+2k,)
    h_T = np.einsum("itu,iu->it", a, windows(sq_E, width))  # (n, 1+K)
    h_E = _fold(np.einsum("it,itu->iu", _sq_norms(O_T), a), k)  # (n+2k,)
    G *= -lr  # the steps, scaled on the small array
    step_T = np.matmul(G, E_win)  # (n, 1+K, d): each target's step
    step_win = np.empty((width, n, d), E.dtype)  # [u, i]: the input step of center i's context u,
    np.matmul(G.transpose(0, 2, 1), O_T, out=step_win.transpose(1, 0, 2))  # stored offset by offset
    step_E = np.zeros((n + 2 * k, d), E.dtype)  # fold the windows back onto positions
    for u in range(width):
        step_E[u : u + n] += step_win[u]  # contiguous slabs
    step_T = step_T.reshape(-1, d)
    _scale_rows(step_E, row_scale(tokens_ext, h_E, lr))
    _scale_rows(step_T, row_scale(targets.ravel(), h_T.ravel(), lr))
    scatter_add(E, tokens_ext, step_E)
    scatter_add(O, targets.ravel(), step_T)
    return float(loss)


def _row_windows(A, width):
    """``_row_windows(A, w)[i]`` is ``A[i : i + w]``, (n, w, d): a strided view whose blocks are contiguous."""
    n = A.shape[0] - width + 1
    return as_strided(A, shape=(n, width, *A.shape[1:]), strides=(A.strides[0], *A.strides), writeable=False)


def _sigmoid_of_scores(S):
    """``sigma(S)`` in S's dtype, with 4 passes over S (an overflow of exp gives exactly 0, no NaN)."""
    with np.errstate(over="ignore"):
        p = np.exp(np.negative(S))
    p += 1.0
    return np.reciprocal(p, out=p)


def _ns_window_loss(S, p, weight, skip):
    """The summed SGNS loss of a window batch (eq. ``ns-loss``), as a float64.

    ``S`` (n, 1+K, 2k+1) are the scores, target 0 the center's, ``p = sigma(S)``;
    pair (i, u) counts where ``weight[i, u]`` is 1, except the noise draws
    listed in ``skip`` (centers, draws). ``-log p`` for the center and
    ``-log(1 - p)`` for noise, from p: cheap, and accurate while p is not within
    round-off of 0 or 1. Where it is (a score beyond about 17 in float32) the
    log is infinite, and the loss is recomputed from the scores with
    :func:`~skipgram_lab.negative_sampling.log_sigmoid`, finite for every finite score.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = _weighted_loss(np.log(p[:, 0]), np.log1p(-p[:, 1:]), weight, skip)  # (n, 2k+1), (n, K, 2k+1)
    if not np.isfinite(loss):
        loss = _weighted_loss(log_sigmoid(S[:, 0]), log_sigmoid(-S[:, 1:]), weight, skip)
    return loss


def _weighted_loss(log_center, log_noise, weight, skip):
    """``-(sum weight * log_center + sum weight * log_noise)``, the ``skip`` draws left out (float64)."""
    if skip[0].size:
        log_noise[skip[0], skip[1]] = 0.0
    return -(np.einsum("iu,iu->", log_center, weight, dtype=np.float64)
             + np.einsum("itu,iu->", log_noise, weight, dtype=np.float64))


def softmax_batch_loss_and_grad(e, O, c):
    """Full-softmax loss of B pairs against all of O: one (B, V) matrix product.

    Row b is eqs. ``sm-loss`` and ``sm-grad`` of chapter 3 for pair b; the
    gradient of O is summed over the batch. This is the ``O(|V|)`` cost per pair
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
    e = E[w]  # (B, d)
    loss, grad_e, grad_O = softmax_batch_loss_and_grad(e, O, c)
    check_step_loss(loss, len(w), lr)
    step_e, step_O = -lr * grad_e, -lr * grad_O
    # The stability bound (row_scale). The Hessian of a pair's loss in e is O^T (diag P - P P^T) O,
    # of trace <= sum_j P_j |o_j|^2; in o_j it is P_j (1 - P_j) e e^T.
    P = np.exp(e @ O.T - (e @ O.T).max(1, keepdims=True))
    P /= P.sum(1, keepdims=True)  # (B, V)
    scale_e = row_scale(w, P @ _sq_norms(O), lr)
    h_O = (P * (1.0 - P)).T @ _sq_norms(e)  # (V,)
    if scale_e is not None:
        step_e *= scale_e[:, None]
    scale_O = row_scale(np.repeat(np.arange(len(O))[None, :], len(w), 0).ravel(),
                        ((P * (1.0 - P)) * _sq_norms(e)[:, None]).ravel(), lr) if (lr * h_O).max() > 1 else None
    if scale_O is not None:
        step_O *= scale_O[: len(O), None]
    scatter_add(E, w, step_e)
    O += step_O
    return loss
