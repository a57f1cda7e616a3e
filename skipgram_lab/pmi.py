"""PMI, shifted PMI and SGNS as implicit matrix factorisation (chapter 9).

Levy & Goldberg (2014): at the optimum of the skip-gram negative-sampling
objective with K negatives, ``E_w . O_c = PMI(w, c) - log K``. This module
turns pair counts into (shifted, positive) PMI matrices, measures how close a
trained ``E O^T`` is to them, and builds the SVD embedding of shifted PPMI.

>>> import numpy as np
>>> from skipgram_lab.pmi import pmi
>>> C = np.array([[0, 2], [2, 0]])
>>> np.round(pmi(C), 3).tolist()
[[-inf, 0.693], [0.693, -inf]]
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy import stats

from ._validate import check_E_O, check_choice, check_float, check_int

AGREEMENT_METHODS = ("pearson", "spearman")


def _check_counts(C):
    C = np.asarray(C)
    if C.ndim != 2 or C.shape[0] != C.shape[1] or C.size == 0:
        raise ValueError(f"C must be a square (V, V) matrix of pair counts, got C.shape={C.shape}")
    if not (np.issubdtype(C.dtype, np.integer) or np.issubdtype(C.dtype, np.floating)):
        raise ValueError(f"C must hold numbers, got dtype {C.dtype}")
    C = C.astype(np.float64)
    if not np.isfinite(C).all() or C.min() < 0 or C.sum() <= 0:
        raise ValueError("C must hold finite counts >= 0 with a positive total (any pairs at all)")
    return C


def pmi(C, *, context_power=1.0):
    """Pointwise mutual information of (center, context) pair counts (eq. ``pmi``).

    ``PMI(w, c) = log( #(w, c) / (#(w) * P(c)) )`` with ``#(w) = sum_c #(w, c)``
    and ``P(c) = #(c)**alpha / sum_c' #(c')**alpha``, ``#(c) = sum_w #(w, c)``.
    ``alpha = context_power = 1`` is the textbook PMI
    ``log(#(w, c) |D| / (#(w) #(c)))``; 0.75 matches SGNS's noise distribution
    (Levy, Goldberg & Dagan 2015). No smoothing of counts: a pair never seen
    (``#(w, c) = 0``) gets ``-inf``, which :func:`positive_pmi` turns into 0.
    Dense (V, V): for vocabularies of a few thousand words at most.

    Parameters
    ----------
    C : (V, V) array of counts
        ``C[w, c]`` as :func:`skipgram_lab.pairs.cooccurrence_counts` returns.
    context_power : float, > 0

    Returns
    -------
    (V, V) float64 ndarray
    """
    C = _check_counts(C)
    alpha = check_float("context_power", context_power, positive=True)
    n_w = C.sum(axis=1)  # (V,) #(w)
    P_c = C.sum(axis=0) ** alpha  # (V,)
    P_c /= P_c.sum()
    seen = C > 0  # then #(w) > 0 and P(c) > 0 too
    out = np.full(C.shape, -np.inf)
    rows, cols = np.nonzero(seen)
    out[seen] = np.log(C[seen]) - np.log(n_w[rows]) - np.log(P_c[cols])
    return out


def shifted_pmi(C, K, *, context_power=1.0):
    """``PMI - log K`` (eq. ``shifted-pmi``): what SGNS with K negatives drives ``E_w . O_c`` to.

    ``-inf`` (unseen pairs) stays ``-inf``.

    Returns
    -------
    (V, V) float64 ndarray
    """
    K = check_int("K", K, 1)
    return pmi(C, context_power=context_power) - np.log(K)


def positive_pmi(C, K=1, *, context_power=1.0):
    """``max(PMI - log K, 0)``: PPMI for K = 1, shifted PPMI (SPPMI) for K > 1. No -inf left.

    Returns
    -------
    (V, V) float64 ndarray
    """
    return np.maximum(shifted_pmi(C, K, context_power=context_power), 0.0)


class Agreement(NamedTuple):
    """How closely model scores match a target on the cells where the target is finite."""

    correlation: float
    rmse: float
    mean_abs_error: float
    n_cells: int


def _weighted_pearson(x, y, w):
    x = x - np.average(x, weights=w)
    y = y - np.average(y, weights=w)
    denom = math.sqrt(np.sum(w * x * x) * np.sum(w * y * y))
    return float(np.sum(w * x * y) / denom) if denom > 0 else math.nan


def score_agreement(S, T, *, method="pearson", weights=None):
    """Correlation and differences of scores ``S`` and a target ``T`` where ``T`` is finite.

    Parameters
    ----------
    S : (V, V) ndarray
        Model scores, e.g. ``E @ O.T``.
    T : (V, V) ndarray
        Target, e.g. :func:`shifted_pmi` or :func:`skipgram_lab.factorise.sgns_optimum`
        (``-inf`` on unseen pairs, which are left out).
    method : {"pearson", "spearman"}
        Spearman is Pearson of the ranks (weighted Pearson of the ranks with ``weights``).
    weights : (V, V) ndarray, optional
        A weight per cell, e.g. the pair counts, as the SGNS loss weighs them.

    Returns
    -------
    Agreement
        ``rmse`` and ``mean_abs_error`` are (weighted) means over the compared cells of the
        raw values, before any ranking.
    """
    check_choice("method", method, AGREEMENT_METHODS)
    S, T = np.asarray(S, dtype=np.float64), np.asarray(T, dtype=np.float64)
    if S.shape != T.shape:
        raise ValueError(f"S and T must have the same shape, got S.shape={S.shape} and T.shape={T.shape}")
    cells = np.isfinite(T)
    if cells.sum() < 2:
        raise ValueError(f"T must have at least 2 finite cells to compare, got {int(cells.sum())}")
    x, y = S[cells], T[cells]  # (n_cells,) each
    if weights is None:
        w = np.ones_like(x)
    else:
        weights = np.asarray(weights, dtype=np.float64)
        if weights.shape != T.shape:
            raise ValueError(f"weights must have T's shape {T.shape}, got weights.shape={weights.shape}")
        w = weights[cells]
    rmse = math.sqrt(np.average((x - y) ** 2, weights=w))
    mae = float(np.average(np.abs(x - y), weights=w))
    if method == "spearman":
        x, y = stats.rankdata(x), stats.rankdata(y)
    return Agreement(_weighted_pearson(x, y, w), rmse, mae, int(cells.sum()))


def factorization_agreement(E, O, C, K, *, method="pearson", weighted=False, context_power=1.0):
    """Agreement of the scores ``E_w . O_c`` with ``PMI(w, c) - log K`` (Levy & Goldberg 2014).

    Only cells with ``C[w, c] > 0`` are compared (shifted PMI is ``-inf``
    elsewhere). ``weighted=True`` weights each cell by its count, as the SGNS
    loss does. This is :func:`score_agreement` with ``T`` the shifted PMI of ``C``.

    Parameters
    ----------
    E, O : (V, d) float ndarrays
    C : (V, V) array of counts
    K : int
        Negatives per pair used in training.
    method : {"pearson", "spearman"}
    weighted : bool
    context_power : float
        Use the training ``noise_power`` (0.75) to compare like with like.

    Returns
    -------
    Agreement
    """
    check_choice("method", method, AGREEMENT_METHODS)
    E, O = check_E_O(E, O)
    M = shifted_pmi(C, K, context_power=context_power)
    if M.shape[0] != E.shape[0]:
        raise ValueError(f"C must be (V, V) with V = E.shape[0] = {E.shape[0]}, got C.shape={M.shape}")
    return score_agreement(E @ O.T, M, method=method, weights=C if weighted else None)


def svd_embeddings(C, dim, *, K=1, context_power=1.0):
    """Vectors from the truncated SVD of shifted PPMI, with symmetric ``sqrt(Sigma)`` weights.

    ``max(PMI - log K, 0) = U Sigma V^T``; ``E = U_d Sigma_d^(1/2)`` and
    ``O = V_d Sigma_d^(1/2)``, so ``E O^T`` is the best rank-d approximation.
    Each component's sign is fixed (largest ``|U|`` entry positive) so results
    do not depend on the LAPACK build.

    Returns
    -------
    E, O : (V, dim) float64 ndarrays
    """
    M = positive_pmi(C, K, context_power=context_power)
    dim = check_int("dim", dim, 1)
    if dim > M.shape[0]:
        raise ValueError(f"dim must be <= V = {M.shape[0]}, got dim={dim}")
    U, S, Vt = np.linalg.svd(M)
    U, S, Vt = U[:, :dim], S[:dim], Vt[:dim]
    signs = np.sign(U[np.argmax(np.abs(U), axis=0), np.arange(dim)])
    signs[signs == 0] = 1.0
    root = np.sqrt(S) * signs  # (dim,): the signs cancel in E O^T
    return U * root, Vt.T * root


