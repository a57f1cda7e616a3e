"""What the production chapter draws: subsampling recipes, noise, window, lr schedules, cost.

Chapter 10 ("From the teaching loop to production") explains the settings
that a real trainer adds around the update of chapter 4. Its pictures and
widgets call the plain functions here; nothing in the package imports this
module.

>>> import numpy as np
>>> from skipgram_lab.book.production_demo import keep_curve
>>> keep_curve(np.array([1e-2, 1e-3, 1e-4]), 1e-3, "paper").round(3).tolist()
[0.316, 1.0, 1.0]
>>> keep_curve(np.array([1e-2, 1e-3, 1e-4]), 1e-3, "word2vec.c").round(3).tolist()
[0.416, 1.0, 1.0]

Four recipes for subsampling circulate (:data:`SUBSAMPLING_RECIPES`). They use
one of two formulas for the probability of keeping a token of relative
frequency f, with threshold t (chapter 10, eq. ``subsample``):

- ``"paper"``: ``sqrt(t / f)``, the discard probability ``1 - sqrt(t / f)`` of
  Mikolov et al. (2013); d2l, CS224n and Keras use it;
- ``"word2vec.c"``: ``sqrt(t / f) + t / f``, the released C code, gensim and
  fastText (which calls the array ``pdiscard`` although it holds keep
  probabilities);

and they differ further in the default t and in how f is obtained (counted,
or guessed from the rank under Zipf's law).
"""

from __future__ import annotations

import time
import tracemalloc
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .._validate import check_choice, check_float, check_int
from ..noise import noise_distribution
from ..pairs import SUBSAMPLING_FORMULAS, skipgram_pairs

#: Euler-Mascheroni constant, as Keras rounds it in ``make_sampling_table``.
KERAS_GAMMA = 0.577


class Recipe(NamedTuple):
    """One subsampling recipe: who uses it, which formula, which default t, which f."""

    source: str
    formula: str  # "paper" or "word2vec.c" (see keep_curve)
    t: float  # the default threshold of that source
    frequency: str  # "counted" or "Zipf rank": how f is obtained


#: The recipes in circulation, each with its own default threshold.
SUBSAMPLING_RECIPES = (
    Recipe("paper (Mikolov et al. 2013)", "paper", 1e-5, "counted"),
    Recipe("word2vec.c, gensim", "word2vec.c", 1e-3, "counted"),
    Recipe("fastText", "word2vec.c", 1e-4, "counted"),
    Recipe("d2l", "paper", 1e-4, "counted"),
    Recipe("CS224n assignment 2", "paper", 1e-5, "counted"),
    Recipe("Keras make_sampling_table", "paper", 1e-5, "Zipf rank"),
)


def keep_curve(f, t, formula="word2vec.c"):
    """Probability of keeping a token of relative frequency ``f`` (eq. ``subsample``).

    The same numbers as :func:`skipgram_lab.pairs.keep_probability`, but as a
    function of the frequency itself, so that a curve can be drawn.

    Parameters
    ----------
    f : float or ndarray, > 0
        Relative frequencies ``count / total``.
    t : float, > 0
        The threshold.
    formula : {"word2vec.c", "paper"}

    Returns
    -------
    ndarray
        ``min(1, sqrt(t / f) + t / f)`` or ``min(1, sqrt(t / f))``.
    """
    t = check_float("t", t, positive=True)
    check_choice("formula", formula, SUBSAMPLING_FORMULAS)
    x = t / np.asarray(f, dtype=np.float64)
    keep = np.sqrt(x) + x if formula == "word2vec.c" else np.sqrt(x)
    return np.minimum(keep, 1.0)


def zipf_frequency(rank):
    """Keras's guess of the relative frequency of the word of ``rank`` (1 = most frequent).

    Zipf's law with exponent 1 over a large vocabulary:
    ``1 / (r (ln r + gamma) + 1/2 - 1/(12 r))``. Keras keeps a word with
    ``min(1, sqrt(t / f))`` of this guess, never of the counted frequency.
    """
    r = np.asarray(rank, dtype=np.float64)
    if np.any(r < 1):
        raise ValueError(f"rank must be >= 1, got min(rank)={r.min()}")
    return 1.0 / (r * (np.log(r) + KERAS_GAMMA) + 0.5 - 1.0 / (12.0 * r))


def recipe_keep(counts, recipe, t=None):
    """Keep probability of each word of a vocabulary under one recipe.

    Parameters
    ----------
    counts : (V,) int ndarray
    recipe : Recipe
    t : float or None
        The threshold; None takes the recipe's default.

    Returns
    -------
    (V,) float64 ndarray
    """
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 1 or counts.size == 0 or counts.min() <= 0:
        raise ValueError("counts must be a non-empty 1-D array of positive counts")
    t = recipe.t if t is None else t
    if recipe.frequency == "Zipf rank":
        rank = np.empty(len(counts))
        rank[np.argsort(-counts, kind="stable")] = np.arange(1, len(counts) + 1)
        f = zipf_frequency(rank)
    else:
        f = counts / counts.sum()
    return keep_curve(f, t, recipe.formula)


def kept_share(counts, keep):
    """Expected share of the corpus's tokens that survive subsampling: ``sum(count keep) / sum(count)``."""
    counts = np.asarray(counts, dtype=np.float64)
    return float(np.sum(counts * np.asarray(keep)) / counts.sum())


def draw_keep(counts, t, *, labels=None, ax=None, annotate=3):
    """Both keep-probability formulas at threshold ``t``, and where the corpus's words sit.

    The x axis is the relative frequency (log scale); the dots are the words
    of ``counts`` on the word2vec.c curve; the title gives the share of tokens
    each formula keeps. Returns ``(fig, ax)``.
    """
    import matplotlib.pyplot as plt

    counts = np.asarray(counts, dtype=np.float64)
    f_words = counts / counts.sum()
    fig, ax = (plt.subplots(figsize=(6, 3.4)) if ax is None else (ax.figure, ax))
    f = np.logspace(np.log10(f_words.min()) - 0.5, 0, 300)
    shares = {}
    for formula, style in (("word2vec.c", "-"), ("paper", "--")):
        ax.plot(f, keep_curve(f, t, formula), style, label=formula)
        shares[formula] = kept_share(counts, keep_curve(f_words, t, formula))
    ax.plot(f_words, keep_curve(f_words, t), "o", ms=3, color="C0", alpha=0.5)
    if labels is not None:
        for i in np.argsort(-counts, kind="stable")[:annotate]:
            ax.annotate(labels[i], (f_words[i], keep_curve(f_words[i], t)), xytext=(3, 4),
                        textcoords="offset points", fontsize=8)
    ax.axvline(t, color="grey", lw=0.8, ls=":")
    ax.set(xscale="log", ylim=(0, 1.05), xlabel="relative frequency f", ylabel="keep probability")
    ax.set_title(f"t = {t:.0e}: tokens kept {shares['word2vec.c']:.0%} (word2vec.c), "
                 f"{shares['paper']:.0%} (paper)", fontsize=9)
    ax.legend(fontsize=8, loc="lower left")
    return fig, ax


def top_share(q, n=10):
    """Share of the probability mass ``q`` held by its ``n`` most probable entries."""
    return float(np.sort(np.asarray(q))[::-1][:n].sum())


def draw_noise(counts, power, *, ax=None, top=10):
    """The noise distribution ``counts**power`` (eq. ``noise``) by frequency rank, log-log.

    Faint lines show the uniform (power 0) and unigram (power 1) ends; the
    title gives the share of noise draws that land on the ``top`` most
    frequent words. Returns ``(fig, ax)``.
    """
    import matplotlib.pyplot as plt

    counts = np.sort(np.asarray(counts, dtype=np.float64))[::-1]
    rank = np.arange(1, len(counts) + 1)
    fig, ax = (plt.subplots(figsize=(5, 3.4)) if ax is None else (ax.figure, ax))
    for end in (0.0, 1.0):
        ax.plot(rank, noise_distribution(counts, end), color="grey", lw=0.8, alpha=0.5)
    q = noise_distribution(counts, power)
    ax.plot(rank, q, color="C3", lw=2, label=f"power {power:g}")
    ax.set(xscale="log", yscale="log", xlabel="frequency rank", ylabel="noise probability q")
    ax.set_title(f"power {power:g}: top {top} words get {top_share(q, top):.0%}", fontsize=10)
    return fig, ax


class DistanceProfile(NamedTuple):
    offsets: np.ndarray  # (k,) distances 1..k
    measured: np.ndarray  # (k,) share of the fixed window's pairs at each distance that were drawn
    expected: np.ndarray  # (k,) (k - o + 1) / k


def distance_profile(window, *, n_tokens=20_000, rng=0):
    """Measure the dynamic window's weighting of each distance with :func:`~skipgram_lab.pairs.skipgram_pairs`.

    One sentence whose ids are its positions (``0, 1, ..., n - 1``), so that
    ``c - w`` of a pair is its signed distance. A fixed window makes
    ``2 (n - o)`` pairs at distance o; the share of those that the dynamic
    window draws estimates the weight of distance o, ``(k - o + 1) / k``.
    """
    window = check_int("window", window, 1)
    n = check_int("n_tokens", n_tokens, 2 * window + 1)
    pairs = skipgram_pairs([np.arange(n)], window, dynamic=True, rng=rng)
    distance = np.abs(pairs[:, 1] - pairs[:, 0])
    offsets = np.arange(1, window + 1)
    measured = np.bincount(distance, minlength=window + 1)[1:] / (2 * (n - offsets))
    return DistanceProfile(offsets, measured, (window - offsets + 1) / window)


def word2vec_c_lr(lr, words_done, total_words, *, every=10_000):
    """word2vec.c's learning rate after ``words_done`` of ``total_words`` (all epochs).

    It is recomputed only every ``every`` words, as ``lr (1 - done / (total + 1))``,
    and never goes below ``lr * 1e-4``: a staircase down to almost 0, where
    :func:`skipgram_lab.training.linear_lr` (gensim's rule) is a straight
    line down to ``min_lr``.
    """
    lr = check_float("lr", lr, positive=True)
    done = np.floor(np.asarray(words_done, dtype=np.float64) / every) * every
    return np.maximum(lr * (1.0 - done / (total_words + 1.0)), lr * 1e-4)


@dataclass
class Measured:
    """What :func:`measure` saw: the result, wall seconds and peak traced memory."""

    result: object
    seconds: float
    peak_bytes: int


def measure(fn, *args, **kwargs):
    """Call ``fn(*args, **kwargs)`` under :mod:`tracemalloc`; return a :class:`Measured`.

    The peak counts every allocation Python and numpy make during the call
    (numpy reports its array buffers to tracemalloc), not memory-mapped
    files. Tracing slows allocation-heavy code down: time it separately.
    """
    if tracemalloc.is_tracing():
        raise RuntimeError("tracemalloc is already tracing: measure() needs it to itself")
    tracemalloc.start()
    try:
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return Measured(result, seconds, peak)
