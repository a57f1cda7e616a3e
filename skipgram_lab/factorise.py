"""SGNS as implicit matrix factorisation: the score each pair is driven to (chapter 9).

Group the negative-sampling loss of a whole pass over the corpus by cell
``(w, c)`` (Levy & Goldberg 2014). Cell ``(w, c)`` meets ``x = E_w . O_c`` in two
ways: ``#(w, c)`` times as a true pair, and ``N[w, c]`` times (in expectation) as
a noise draw for center ``w``. Its share of the loss is

    l(x) = -#(w, c) log sigma(x) - N[w, c] log sigma(-x)        (eq. ``sgns-cell``)

and ``dl/dx = 0`` at ``x* = log(#(w, c) / N[w, c])`` (eq. ``sgns-optimum``). With
the pair marginal as noise and K negatives that is ``PMI(w, c) - log K``
(:func:`skipgram_lab.pmi.shifted_pmi`); this module gives the exact target
for any noise ``q``, with or without word2vec.c's rule of dropping a noise draw
that equals the true context.

>>> import numpy as np
>>> from skipgram_lab.factorise import sgns_optimum
>>> C = np.array([[0, 3], [3, 2]])
>>> q = np.array([0.5, 0.5])
>>> np.round(sgns_optimum(C, q, K=2, drop_positive=False), 3).tolist()
[[-inf, 0.0], [-0.511, -0.916]]
"""

from __future__ import annotations


import numpy as np

from ._validate import check_E_O, check_int
from .negative_sampling import log_sigmoid, sigmoid


def _check_counts_and_noise(C, q):
    C = np.asarray(C)
    if C.ndim != 2 or C.shape[0] != C.shape[1] or C.size == 0:
        raise ValueError(f"C must be a square (V, V) matrix of pair counts, got C.shape={C.shape}")
    C = C.astype(np.float64)
    if not np.isfinite(C).all() or C.min() < 0:
        raise ValueError("C must hold finite pair counts >= 0")
    q = np.asarray(q, dtype=np.float64)
    if q.shape != (C.shape[0],):
        raise ValueError(f"q must have shape (V,) = ({C.shape[0]},), got q.shape={q.shape}")
    if not np.isfinite(q).all() or q.min() < 0 or not np.isclose(q.sum(), 1.0):
        raise ValueError("q must be a probability vector (entries >= 0 summing to 1): "
                         "use skipgram_lab.noise.noise_distribution(counts, power)")
    return C, q


def expected_negatives(C, q, K, *, drop_positive=True):
    """``N[w, c]``: how often ``c`` is drawn as noise for center ``w`` in one pass (expected).

    Center ``w`` takes part in ``#(w) = sum_c #(w, c)`` pairs and draws K noise
    ids from ``q`` for each, so ``N[w, c] = K q(c) #(w)``. With
    ``drop_positive`` (word2vec.c, and this lab's trainers) a draw equal to the
    pair's own context is discarded, which removes the ``#(w, c)`` pairs whose
    context is ``c``: ``N[w, c] = K q(c) (#(w) - #(w, c))``.

    Parameters
    ----------
    C : (V, V) array of counts
        ``C[w, c] = #(w, c)`` (:func:`skipgram_lab.pairs.cooccurrence_counts`).
    q : (V,) float ndarray
        The noise distribution (:func:`skipgram_lab.noise.noise_distribution`).
    K : int
        Negatives per pair.
    drop_positive : bool, default True

    Returns
    -------
    (V, V) float64 ndarray
    """
    C, q = _check_counts_and_noise(C, q)
    K = check_int("K", K, 1)
    n_w = C.sum(axis=1, keepdims=True)  # (V, 1) #(w)
    pairs_with_draws = n_w - C if drop_positive else n_w  # (V, V) or (V, 1)
    return K * q[None, :] * pairs_with_draws  # (V, V)


def cell_loss(x, n_pos, n_neg):
    """The loss of one cell as a function of its score ``x`` (eq. ``sgns-cell``).

    ``l(x) = -n_pos log sigma(x) - n_neg log sigma(-x)``: ``n_pos`` true pairs
    pull ``x`` up, ``n_neg`` noise draws push it down.

    Parameters
    ----------
    x : float or ndarray
    n_pos, n_neg : float >= 0

    Returns
    -------
    float or ndarray, like ``x``
    """
    if n_pos < 0 or n_neg < 0:
        raise ValueError(f"n_pos and n_neg must be >= 0, got n_pos={n_pos}, n_neg={n_neg}")
    return -n_pos * log_sigmoid(x) - n_neg * log_sigmoid(-np.asarray(x, dtype=np.float64))


def sgns_optimum(C, q, K, *, drop_positive=True):
    """The score ``x*[w, c] = log(#(w, c) / N[w, c])`` that minimises each cell's loss.

    Implements eq. ``sgns-optimum`` of chapter 9. Setting ``dl/dx`` of eq.
    ``sgns-cell`` to zero gives ``#(w, c) (1 - sigma(x)) = N[w, c] sigma(x)``,
    i.e. ``sigma(x) = #(w, c) / (#(w, c) + N[w, c])``. E O^T can reach this in
    every seen cell at once only when d is large enough (d = V always is).

    Parameters
    ----------
    C, q, K, drop_positive
        As in :func:`expected_negatives`.

    Returns
    -------
    (V, V) float64 ndarray
        ``-inf`` where ``#(w, c) = 0`` (only pushed down), ``+inf`` where
        ``N[w, c] = 0 < #(w, c)`` (only pulled up: ``c`` has zero noise
        probability, or ``w`` is seen with ``c`` alone and the draw is dropped).
    """
    C, q = _check_counts_and_noise(C, q)
    N = expected_negatives(C, q, K, drop_positive=drop_positive)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.log(C) - np.log(N)
    x[C == 0] = -np.inf
    return x


def expected_loss(E, O, C, q, K, *, drop_positive=True):
    """The SGNS loss of one pass, in expectation over the noise, per true pair.

    ``sum_{w,c} l_wc(E_w . O_c) / sum_{w,c} #(w, c)`` (eq. ``sgns-cell``
    summed over cells): what the per-pair trainer's epoch loss estimates.

    Returns
    -------
    float
    """
    E, O = check_E_O(E, O)
    C, q = _check_counts_and_noise(C, q)
    if C.shape[0] != E.shape[0]:
        raise ValueError(f"C must be (V, V) with V = E.shape[0] = {E.shape[0]}, got C.shape={C.shape}")
    X = E @ O.T  # (V, V) scores
    N = expected_negatives(C, q, K, drop_positive=drop_positive)
    return float(np.sum(cell_loss(X, 1.0, 0.0) * C + cell_loss(X, 0.0, 1.0) * N) / C.sum())


def expected_loss_and_grad(E, O, C, q, K, *, drop_positive=True):
    """:func:`expected_loss` and its gradients: full-batch descent with no sampling noise.

    With ``X = E O^T`` and ``G = dL/dX = (-#(w, c) (1 - sigma(X)) + N sigma(X)) / |D|``
    (the derivative of eq. ``sgns-cell``, cell by cell), ``dL/dE = G O`` and
    ``dL/dO = G^T E``. A descent on this loss is what SGD would do with the
    negatives averaged out (chapter 9's reference curve).

    Returns
    -------
    loss : float
    grad_E, grad_O : (V, d) float64 ndarrays
    """
    E, O = check_E_O(E, O)
    C, q = _check_counts_and_noise(C, q)
    if C.shape[0] != E.shape[0]:
        raise ValueError(f"C must be (V, V) with V = E.shape[0] = {E.shape[0]}, got C.shape={C.shape}")
    X = E @ O.T  # (V, V)
    N = expected_negatives(C, q, K, drop_positive=drop_positive)
    total = C.sum()
    loss = float(np.sum(cell_loss(X, 1.0, 0.0) * C + cell_loss(X, 0.0, 1.0) * N) / total)
    p = sigmoid(X)  # (V, V)
    G = (-C * (1.0 - p) + N * p) / total  # (V, V) dL/dX
    return loss, G @ O, G.T @ E
