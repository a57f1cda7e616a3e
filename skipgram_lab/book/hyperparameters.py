"""The runs behind chapter 16 ("Hyperparameters that matter"): one factor at a time, and reach.

- :func:`structure_scores` splits a word's planted company in two: neighbours that
  could replace it (same group, same part of speech: *dog* and *cat*) and neighbours
  that go with it (same topic, the other part of speech: *dog* and *walked*).
- :func:`one_factor` trains every setting with every seed and keeps each run's
  scores; :func:`spreads` turns them into mean [min, max] over the seeds.
- :func:`pair_distances` and :func:`subsampled_reach` measure how far apart, in
  the original text, the words of a window are once subsampling has removed
  tokens: the window counts kept tokens, so it reaches further.

>>> import numpy as np
>>> from skipgram_lab.book.hyperparameters import pair_distances
>>> pair_distances(np.array([0, 1, 4, 5]), window=1)       # kept tokens at positions 0, 1, 4, 5
array([1, 3, 1])
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import check_int, check_rng
from ..baselines import spread
from ..planted import knn_purity

#: The planted noun groups, each with the verb group used with it (one topic per entry).
TOPICS = {"animals": "animal_verbs", "foods": "food_verbs", "tools": "tool_verbs", "places": "place_verbs"}


def structure_labels(truth):
    """The nouns and verbs of the four planted topics, labelled two ways.

    Returns
    -------
    function : dict of str -> str
        Word -> its group: eight labels, a topic's nouns apart from its verbs.
    topic : dict of str -> str
        The same words -> their topic (four labels): *dog* and *walked* share one.
    """
    topic_of = {**{nouns: nouns for nouns in TOPICS}, **{verbs: nouns for nouns, verbs in TOPICS.items()}}
    function = {w: g for w, g in truth.groups.items() if g in topic_of}
    return function, {w: topic_of[g] for w, g in function.items()}


class Structure(NamedTuple):
    """Shares of a word's k nearest neighbours (among the topics' nouns and verbs), with chance."""

    similar: float  # same group and part of speech: words that could replace it
    related: float  # same topic, other part of speech: words that go with it
    chance_similar: float
    chance_related: float
    related_of_rest: float  # related / (1 - similar): the related share of the neighbours not similar
    chance_related_of_rest: float


def structure_scores(emb, truth, k=5, which="E"):
    """How much of a word's company is similar and how much is related (chapter 16).

    With the labels of :func:`structure_labels`, ``similar`` is the k-NN purity
    under the eight groups and ``related`` is the purity under the four topics
    minus it: the share of neighbours from the word's topic but the other part
    of speech. Chance levels are those of :func:`skipgram_lab.planted.knn_purity`.

    The three shares (similar, related, other topics) add up to 1, so ``related``
    falls whenever ``similar`` rises, whatever the vectors know about topics.
    ``related_of_rest = related / (1 - similar)`` is the related share of the
    neighbours that are *not* similar (NaN if every neighbour is similar); its
    chance is ``chance_related / (1 - chance_similar)``. Compare ``related``
    between two settings only together with it.

    Parameters
    ----------
    emb : Embeddings
    truth : GroundTruth
        Of :func:`skipgram_lab.synthetic.generate`; words missing from ``emb`` are skipped.
    k : int
    which : {"E", "O", "E+O"}

    Returns
    -------
    Structure
    """
    function, topic = structure_labels(truth)
    f = knn_purity(emb, function, k, which)
    t = knn_purity(emb, topic, k, which)
    related, chance_related = t.purity - f.purity, t.chance - f.chance
    of_rest = related / (1.0 - f.purity) if f.purity < 1.0 else float("nan")
    return Structure(f.purity, related, f.chance, chance_related, of_rest, chance_related / (1.0 - f.chance))


def one_factor(train, settings, seeds, score):
    """Train each setting with each seed; score every run.

    Parameters
    ----------
    train : callable
        ``train(seed, **changes) -> result``: the base setting with ``changes`` applied.
    settings : dict of str -> dict
        Name -> the keyword arguments that differ from the base (``{}`` for the base).
    seeds : sequence of int
    score : callable
        ``score(result) -> dict of str -> float``.

    Returns
    -------
    dict of str -> list of dict
        Name -> one score dict per seed, in the order of ``seeds``.
    """
    if not seeds:
        raise ValueError("seeds must hold at least one seed, got an empty sequence")
    return {name: [score(train(seed, **changes)) for seed in seeds] for name, changes in settings.items()}


def spreads(runs, key):
    """Name -> :class:`~skipgram_lab.baselines.Spread` of ``key`` over the seeds of :func:`one_factor`."""
    return {name: spread([r[key] for r in rows]) for name, rows in runs.items()}


def pair_distances(positions, window):
    """Distances in the original text of the pairs a fixed window forms over the kept tokens.

    Subsampling removes tokens before the windows are formed, so a window of
    radius k spans k *kept* tokens on each side, however many were removed
    between them.

    Parameters
    ----------
    positions : (n,) increasing int ndarray
        Original positions of the tokens of one sentence that were kept.
    window : int
        The radius k, counted in kept tokens.

    Returns
    -------
    (n_pairs,) int64 ndarray
        ``positions[i + o] - positions[i]`` for every offset o = 1..k, each
        unordered pair once (a pair is trained both ways round, at the same distance).
    """
    window = check_int("window", window, 1)
    p = np.asarray(positions, dtype=np.int64)
    if p.ndim != 1 or np.any(np.diff(p) <= 0):
        raise ValueError("positions must be a 1-d array of increasing positions, "
                         f"got {np.asarray(positions)!r}")
    return np.concatenate([p[o:] - p[:-o] for o in range(1, min(window, len(p) - 1) + 1)]
                          + [np.zeros(0, np.int64)])


def subsampled_reach(sentences_ids, keep, window, rng=None):
    """Mean original distance of a fixed window's pairs after one subsampling draw (chapter 16).

    Parameters
    ----------
    sentences_ids : list of (n_i,) int ndarrays
    keep : (V,) float ndarray or None
        Keep probability of each word (:func:`skipgram_lab.pairs.keep_probability`);
        None keeps every token (the reach is then at most ``(window + 1) / 2``).
    window : int
    rng : Generator, int or None
        One uniform draw per token, in corpus order.

    Returns
    -------
    mean_distance : float
    kept_share : float
        Share of the tokens kept.
    """
    window = check_int("window", window, 1)
    rng = check_rng(rng)
    ids = np.concatenate([np.asarray(s, dtype=np.int64) for s in sentences_ids])
    sentence = np.repeat(np.arange(len(sentences_ids)), [len(s) for s in sentences_ids])
    kept = np.ones(len(ids), bool) if keep is None else rng.random(len(ids)) < np.asarray(keep)[ids]
    p, s = np.flatnonzero(kept), sentence[kept]  # original positions and sentences of kept tokens
    total, n = 0, 0
    for o in range(1, window + 1):
        same = s[o:] == s[:-o]
        total += int((p[o:] - p[:-o])[same].sum())
        n += int(same.sum())
    if n == 0:
        raise ValueError("no pair is left: the corpus is too short or too much was removed")
    return total / n, kept.mean()
