"""Comparing two embeddings, which are only defined up to a rotation.

Rotating E and O by the same orthogonal matrix leaves every score unchanged
(chapter 5), so two trainings are compared after an orthogonal Procrustes
alignment, or with a rotation-invariant similarity (linear CKA).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validate import check_matrix
from .embeddings import cosine_matrix


def _same_rows(A, B):
    if A.shape[0] != B.shape[0]:
        raise ValueError(
            f"A and B must have one row per word each (same rows), got A.shape={A.shape}, "
            f"B.shape={B.shape}"
        )



class Procrustes(NamedTuple):
    aligned: np.ndarray  # (n, d) A @ R
    R: np.ndarray  # (d, d) orthogonal
    residual: float  # ||A R - B||_F / ||B||_F
    mean_cosine: float  # mean cosine of matching rows of A R and B


def procrustes_align(A, B):
    """The rotation (or reflection) R minimising ``||A R - B||_F`` (eq. ``procrustes``).

    With ``A^T B = U Sigma W^T`` (SVD), ``R = U W^T``. Rows of A and B must
    name the same words in the same order. Normalise rows first
    (:func:`skipgram_lab.embeddings.cosine_matrix`) to align directions only.

    Parameters
    ----------
    A, B : (n, d) float ndarrays

    Returns
    -------
    Procrustes
    """
    A = check_matrix("A", A)
    B = check_matrix("B", B, d=A.shape[1])
    _same_rows(A, B)
    U, _, Wt = np.linalg.svd(A.T @ B)
    R = U @ Wt  # (d, d)
    aligned = A @ R
    norm_B = np.linalg.norm(B)
    residual = float(np.linalg.norm(aligned - B) / norm_B) if norm_B > 0 else math.nan
    mean_cos = float(np.mean(np.sum(cosine_matrix(aligned) * cosine_matrix(B), axis=1)))
    return Procrustes(aligned, R, residual, mean_cos)


def linear_cka(A, B):
    """Linear centred kernel alignment (Kornblith et al. 2019), eq. ``cka``.

    ``||B_c^T A_c||_F^2 / (||A_c^T A_c||_F ||B_c^T B_c||_F)`` with column-centred
    ``A_c, B_c``. In [0, 1]; unchanged by rotating or isotropically scaling either
    matrix, so it is 1 when B is A rotated and scaled. A and B may have different
    numbers of columns.

    Parameters
    ----------
    A : (n, d1) float ndarray
    B : (n, d2) float ndarray

    Returns
    -------
    float
    """
    A, B = check_matrix("A", A), check_matrix("B", B)
    _same_rows(A, B)
    if A.shape[0] < 2:
        raise ValueError(f"A and B need at least 2 rows to centre, got {A.shape[0]}")
    A = A - A.mean(axis=0)
    B = B - B.mean(axis=0)
    norm = np.linalg.norm(A.T @ A) * np.linalg.norm(B.T @ B)
    if norm == 0:
        raise ValueError("A or B is constant across rows: CKA is undefined")
    return float(np.linalg.norm(B.T @ A) ** 2 / norm)
