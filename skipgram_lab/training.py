"""What every trainer shares: hyperparameter checks, the start, the lr schedule, the result.

Every trainer also stops the same way when it blows up: :class:`TrainingDiverged`
(with the step, the epoch, the lr and a hint) as soon as a step's mean loss per
pair, or after the updates the norm of a row of E or O squared, exceeds
``DIVERGENCE_THRESHOLD`` (1e4), or a value is NaN or inf. So a diverged run
never returns vectors that look trained.

The per-pair teaching loops (:mod:`~skipgram_lab.teaching`), the streaming
trainer (:mod:`~skipgram_lab.vectorized`) and the book's experimental
trainers all import these pieces from here, so none of them imports another
trainer.

>>> from skipgram_lab.training import linear_lr
>>> linear_lr(0.025, 1e-4, 0.5)
0.01255
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validate import (  # noqa: F401  (re-exported: this is their documented home)
    DIVERGENCE_THRESHOLD, TrainingDiverged, check_choice, check_float, check_int, check_lr,
    check_not_diverged, check_rng,
)
from .embeddings import Embeddings
from .pairs import SUBSAMPLING_FORMULAS


@dataclass
class Snapshot:
    """Copies of E and O after ``step`` updates (step 0 = the initial vectors)."""

    step: int
    epoch: int
    E: np.ndarray
    O: np.ndarray


@dataclass
class TrainResult:
    """What a trainer returns.

    Attributes
    ----------
    embeddings : Embeddings
    history : dict
        ``loss``: mean loss per pair for each epoch (float64, reset every
        epoch, not cumulative); ``pairs``: pairs seen in each epoch;
        ``seconds``: wall time of each epoch.
    snapshots : list of Snapshot
    """

    embeddings: Embeddings
    history: dict = field(default_factory=dict)
    snapshots: list = field(default_factory=list)

    @property
    def E(self):
        return self.embeddings.E

    @property
    def O(self):
        return self.embeddings.O


def init_vectors(V, dim, rng, dtype=np.float64, scale=0.5):
    """word2vec.c's start: E uniform in [-0.5/d, 0.5/d), O all zeros.

    O = 0 means every first score is 0 and p = 1/2: the first updates move
    O toward the centers, and only then do the centers start to move.
    ``scale`` sets the range of E to [-scale/d, scale/d); gensim uses 1.

    Returns
    -------
    E, O : (V, d) ndarrays
    """
    V = check_int("V", V, 1)
    dim = check_int("dim", dim, 1)
    scale = check_float("init_scale", scale, positive=True)
    E = ((check_rng(rng).random((V, dim)) - 0.5) * (2.0 * scale) / dim).astype(dtype)
    return E, np.zeros((V, dim), dtype=dtype)


def linear_lr(lr, min_lr, progress):
    """Learning rate decayed linearly from ``lr`` (progress 0) to ``min_lr`` (progress 1).

    ``min_lr=None`` keeps ``lr`` constant. This straight line is gensim's schedule;
    word2vec.c uses ``lr * (1 - progress)`` recomputed every 10,000 words, with a
    floor at ``lr * 1e-4`` (chapter 10 compares the two).
    """
    if min_lr is None:
        return lr
    return lr - (lr - min_lr) * min(max(progress, 0.0), 1.0)


def check_hyperparameters(*, dim, window, lr, epochs, min_lr=None, negatives=None,
                          noise_power=None, subsample=None, subsample_formula=None):
    """The shared checks of both trainers (and the vectorized one): one message per mistake."""
    check_int("dim", dim, 1)
    check_int("window", window, 1)
    check_lr(lr)
    check_int("epochs", epochs, 1)
    if min_lr is not None:
        check_float("min_lr", min_lr, minimum=0.0, maximum=lr)
    if negatives is not None:
        check_int("negatives", negatives, 0)
    if noise_power is not None:
        check_float("noise_power", noise_power)
    if subsample is not None:
        check_float("subsample", subsample, positive=True)
    if subsample_formula is not None:
        check_choice("subsample_formula", subsample_formula, SUBSAMPLING_FORMULAS)
