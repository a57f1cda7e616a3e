"""The noise distribution that negative samples are drawn from.

``q(j) = count(j)**power / sum_i count(i)**power`` (chapter 4, eq. ``noise``).
``power = 0.75`` is word2vec's choice, an empirical one (Mikolov et al. 2013
found it worked better than either end): between the unigram distribution
(power 1, each word drawn as often as it occurs, so frequent function words
take a large share of the draws; "the" gets 30.5 % on the toy corpus, where it
is 72 of 236 tokens) and the uniform one (power 0, negatives are mostly rare
words, because most words are rare).

>>> import numpy as np
>>> from skipgram_lab.noise import NoiseSampler
>>> sampler = NoiseSampler.from_counts(np.array([100, 10, 1]), power=0.75)
>>> sampler.draw(np.random.default_rng(0), 5).tolist()
[0, 0, 0, 0, 0]
"""

from __future__ import annotations

import numpy as np

from ._validate import check_float, check_rng


def noise_distribution(counts, power=0.75):
    """Unigram counts raised to ``power`` and normalised.

    Parameters
    ----------
    counts : (V,) array of int
    power : float
        0 gives the uniform distribution, 1 the unigram distribution.

    Returns
    -------
    q : (V,) float64 ndarray, sums to 1
    """
    power = check_float("power", power)
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 1 or counts.size == 0:
        raise ValueError(f"counts must be a non-empty 1-D array, got shape {counts.shape}")
    if counts.min() < 0:
        raise ValueError(f"counts must be >= 0, got min(counts)={counts.min()}")
    # 0**0 would give unseen tokens weight 1 under the uniform distribution: keep them at 0.
    weights = np.where(counts > 0, counts**power, 0.0)
    total = weights.sum()
    if total <= 0:
        raise ValueError("counts must have at least one positive entry")
    return weights / total


class NoiseSampler:
    """Draw negative ids from ``q`` by inverse-CDF sampling.

    One uniform number u per negative, mapped to the first id whose
    cumulative probability exceeds u (``searchsorted(cdf, u, "right")``).
    The teaching loop and the vectorized trainer both draw through this
    class, so with the same ``rng`` they see the same negatives (word2vec.c
    uses a 1e8-entry lookup table instead: same distribution, different
    random stream).

    The search starts from a guide table: for 4V equal buckets of [0, 1),
    the first id a u in that bucket can map to. From there the answer is
    almost always 0 or 1 step away, so a draw costs a few array passes
    instead of a binary search (about 7x faster); the ids are exactly the
    binary search's, which a test checks.

    Parameters
    ----------
    q : (V,) float ndarray
        Probabilities, summing to 1.
    """

    def __init__(self, q):
        q = np.asarray(q, dtype=np.float64)
        if q.ndim != 1 or q.size == 0 or not np.all(np.isfinite(q)) or q.min() < 0:
            raise ValueError("q must be a non-empty 1-D array of finite probabilities >= 0")
        if not np.isclose(q.sum(), 1.0):
            raise ValueError(f"q must sum to 1, got sum(q)={q.sum()}")
        self.q = q
        self.cdf = np.cumsum(q)
        self.cdf[-1] = 1.0  # guard against round-off leaving u > cdf[-1]
        # guide[j]: ids with cdf <= j/M for bucket j of M = 4V (the 1e-12 keeps it at or below the
        # answer when u * M rounds up to j).
        M = 4 * len(q)
        edges = np.arange(M) / M - 1e-12
        self._guide = np.searchsorted(self.cdf, edges, side="right").astype(np.int32 if len(q) < 2**31 else np.int64)

    @classmethod
    def from_counts(cls, counts, power=0.75):
        """Sampler for :func:`noise_distribution` of ``counts`` and ``power``."""
        return cls(noise_distribution(counts, power))

    def draw(self, rng, size):
        """Draw ids with probabilities ``q``.

        Parameters
        ----------
        rng : numpy.random.Generator
        size : int or tuple of int
            Shape of the result, e.g. ``K`` or ``(B, K)``.

        Returns
        -------
        int64 ndarray of shape ``size``
        """
        u = check_rng(rng).random(size)
        return self.search(u)

    def search(self, u, max_steps=4):
        """Ids for uniform numbers ``u`` in [0, 1): ``searchsorted(cdf, u, side="right")``.

        Parameters
        ----------
        u : float64 ndarray, any shape
        max_steps : int
            Steps forward from the guide table before the rest falls back to a
            binary search (runs of zero-probability ids can need more).

        Returns
        -------
        int64 ndarray of the shape of ``u``
        """
        u = np.asarray(u, dtype=np.float64)
        ids = self._guide[(u * len(self._guide)).astype(np.intp)]  # at or below the answer
        for _ in range(max_steps):
            ahead = self.cdf[ids] <= u  # the answer is further on
            if not ahead.any():
                break
            ids += ahead
        else:
            late = self.cdf[ids] <= u
            if late.any():
                ids[late] = np.searchsorted(self.cdf, u[late], side="right")
        return np.minimum(ids, len(self.q) - 1).astype(np.int64)


def drop_positive(negatives, c):
    """Negatives with the true context ``c`` removed.

    word2vec.c skips a noise draw that equals the true context (it does not
    draw again), so such a step has fewer than K negatives. This lab does the
    same in both trainers.
    """
    negatives = np.asarray(negatives, dtype=np.int64)
    return negatives[negatives != c]

