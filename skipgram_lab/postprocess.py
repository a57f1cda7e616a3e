"""Post-processing the common direction: mean removal and "all but the top".

Skip-gram vectors share a common direction: the mean of the rows is far from
0, so every cosine carries a positive offset, and a few principal directions
hold much of the variance and encode mostly frequency. Mu & Viswanath (2018)
remove both (chapter 15, eq. ``abtt``)::

    v~ = v - mean(v)                      mean removal
    v' = v~ - sum_{i <= D} (u_i . v~) u_i  u_1..u_D: top principal directions of the v~

>>> import numpy as np
>>> from skipgram_lab.postprocess import all_but_the_top, common_direction
>>> M = np.array([[3.0, 1.0], [3.0, -1.0], [4.0, 1.0], [4.0, -1.0]])
>>> round(common_direction(M), 3)                      # share of the mean in the rows' length
0.961
>>> P = all_but_the_top(M, n_components=0)             # mean removal only
>>> P.mean(axis=0).tolist()
[0.0, 0.0]
>>> bool(np.abs(all_but_the_top(M, n_components=1) @ [0.0, 1.0]).max() < 1e-12)  # top direction gone
True
"""

from __future__ import annotations

import numpy as np

from ._validate import check_int, check_matrix


def common_direction(M):
    """How much the rows share one direction: ``||mean(M)|| / mean(||M_i||)``.

    0 when the rows are centred, 1 when all rows are the same vector.

    Parameters
    ----------
    M : (V, d) float ndarray

    Returns
    -------
    float
    """
    M = check_matrix("M", M)
    norms = np.linalg.norm(M, axis=1)  # (V,)
    if len(M) == 0 or not norms.mean() > 0:
        raise ValueError(f"M must have at least one non-zero row, got M.shape={M.shape}")
    return float(np.linalg.norm(M.mean(axis=0)) / norms.mean())


def top_directions(M, n_components):
    """The ``n_components`` top principal directions of the centred rows of M.

    Parameters
    ----------
    M : (V, d) float ndarray
    n_components : int, 0 <= n_components <= min(V, d)

    Returns
    -------
    U : (n_components, d) ndarray
        Orthonormal rows, the largest variance first.
    share : (n_components,) ndarray
        The share of the total variance along each.
    """
    M = check_matrix("M", M)
    n_components = check_int("n_components", n_components, 0)
    if n_components > min(M.shape):
        raise ValueError(f"n_components must be <= min(V, d) = {min(M.shape)}, "
                         f"got n_components={n_components}")
    centred = M - M.mean(axis=0)
    _, s, Vt = np.linalg.svd(centred.astype(np.float64), full_matrices=False)
    total = float(np.sum(s**2))
    share = s[:n_components] ** 2 / total if total > 0 else np.zeros(n_components)
    return Vt[:n_components], share


def all_but_the_top(M, n_components=None):
    """Remove the mean and the top ``n_components`` principal directions (Mu & Viswanath 2018).

    Implements eq. ``abtt`` of chapter 15. ``n_components=0`` is mean removal
    alone; the paper's rule of thumb is ``d / 100``.

    Parameters
    ----------
    M : (V, d) float ndarray
        One vector per word (E, O or E + O).
    n_components : int or None
        D, the directions removed; None means ``max(1, round(d / 100))``.

    Returns
    -------
    (V, d) float64 ndarray
    """
    M = check_matrix("M", M)
    if n_components is None:
        n_components = max(1, round(M.shape[1] / 100))
    U, _ = top_directions(M, n_components)  # (D, d)
    centred = M.astype(np.float64) - M.mean(axis=0)  # (V, d)
    return centred - (centred @ U.T) @ U
