"""Windows, subsampling and (center, context) pairs.

A pair ``(w, c)`` says "token ``c`` was seen within ``window`` positions of
center ``w`` in the same sentence" (chapter 1, eq. ``context-set``). Pairs
never cross a sentence boundary.

>>> import numpy as np
>>> from skipgram_lab.pairs import skipgram_pairs
>>> skipgram_pairs([np.array([0, 1, 2, 0, 3])], window=2)[:3].tolist()
[[0, 1], [0, 2], [1, 0]]
"""

from __future__ import annotations

import numpy as np

from ._validate import check_choice, check_float, check_int, check_rng, check_sentence_ids

SUBSAMPLING_FORMULAS = ("word2vec.c", "paper")


def flatten_sentences(sentences_ids):
    """Concatenate sentences into one id array plus the sentence index of each token.

    Returns
    -------
    tokens : (N,) int64 ndarray
    sentence_of : (N,) int64 ndarray
        ``sentence_of[i]`` is the index of the sentence token i came from;
        :func:`window_positions` uses it to keep windows inside sentences.
    """
    sentences = check_sentence_ids("sentences_ids", sentences_ids)
    if not sentences:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    lengths = np.array([len(s) for s in sentences])
    tokens = np.concatenate(sentences) if lengths.sum() else np.zeros(0, np.int64)
    sentence_of = np.repeat(np.arange(len(sentences)), lengths)
    return tokens, sentence_of


def reach(sentence_of, window):
    """The largest offset that can pair two tokens: ``window``, or less in short sentences.

    No offset reaches past the longest sentence, so memory grows with the number of tokens times
    the shorter of the window and the sentences, never with a window of 10**9 (the pairs are
    the same).

    Parameters
    ----------
    sentence_of : (N,) int ndarray
        Sentence index of each token of the flattened corpus.
    window : int
        The radius k.

    Returns
    -------
    int
        ``min(window, longest sentence - 1)``, at least 1.
    """
    longest = int(np.bincount(sentence_of).max()) if len(sentence_of) else 1
    return min(window, max(longest - 1, 1))


def window_positions(sentence_of, window, *, dynamic=False, rng=None):
    """For each position, the positions of its context tokens.

    Parameters
    ----------
    sentence_of : (N,) int ndarray
        Sentence index of each token of the flattened corpus.
    window : int
        The radius k (eq. ``context-set``).
    dynamic : bool
        If True, each center draws its own radius uniformly from 1..k, as
        word2vec.c does; nearer words are then seen more often.
    rng : Generator, int or None
        Used only when ``dynamic``.

    Returns
    -------
    centers, contexts : (P,) int64 ndarrays
        Positions, center-major, and for each center its contexts from left to right.
    """
    window = check_int("window", window, 1)
    N = len(sentence_of)
    radius = check_rng(rng).integers(1, window + 1, size=N) if dynamic else None  # (N,)
    k = reach(sentence_of, window)
    offsets = np.concatenate([np.arange(-k, 0), np.arange(1, k + 1)])  # (2k,)
    centers = np.repeat(np.arange(N), 2 * k).reshape(N, 2 * k)  # (N, 2k)
    contexts = centers + offsets  # (N, 2k)
    valid = (contexts >= 0) & (contexts < N)
    clipped = np.clip(contexts, 0, max(N - 1, 0))
    valid &= sentence_of[clipped] == sentence_of[:, None]
    if dynamic:
        valid &= np.abs(offsets)[None, :] <= radius[:, None]
    return centers[valid], contexts[valid]


def skipgram_pairs(sentences_ids, window, *, dynamic=False, rng=None):
    """All (center, context) id pairs of a corpus, center by center.

    Parameters
    ----------
    sentences_ids : list of (n_i,) int ndarrays
        Encoded sentences.
    window : int
        Radius k: contexts are the tokens at offsets -k..-1 and 1..k.
    dynamic : bool, default False
        Draw a radius in 1..k per center (word2vec.c's reduced window).
    rng : Generator, int or None
        Randomness for ``dynamic``.

    Returns
    -------
    (P, 2) int64 ndarray
        Row ``(w, c)``: center id, context id.
    """
    tokens, sentence_of = flatten_sentences(sentences_ids)
    centers, contexts = window_positions(sentence_of, window, dynamic=dynamic, rng=rng)
    return np.stack([tokens[centers], tokens[contexts]], axis=1)


def context_to_center_pairs(sentences_ids, window):
    """The same pairs enumerated the other way: for each context, its centers.

    Some implementations loop over context words and predict the center.
    With a fixed window this gives exactly the multiset of
    :func:`skipgram_pairs` in another order (a test checks it): "skip-gram
    backwards" is not a different model.

    Returns
    -------
    (P, 2) int64 ndarray
        Rows ``(w, c)`` as in :func:`skipgram_pairs`, context-major.
    """
    tokens, sentence_of = flatten_sentences(sentences_ids)
    contexts, centers = window_positions(sentence_of, window)
    return np.stack([tokens[centers], tokens[contexts]], axis=1)


def cooccurrence_counts(sentences_ids, window, V):
    """Pair counts ``#(w, c)`` as a dense (V, V) matrix (small vocabularies only).

    Returns
    -------
    (V, V) int64 ndarray
        ``C[w, c]`` = number of times ``c`` is in the window of ``w``.
    """
    V = check_int("V", V, 1)
    pairs = skipgram_pairs(sentences_ids, window)
    return np.bincount(pairs[:, 0] * V + pairs[:, 1], minlength=V * V).reshape(V, V)


def keep_probability(counts, threshold=1e-3, formula="word2vec.c"):
    """Probability of keeping each occurrence of a token when subsampling.

    With relative frequency ``f = count / total`` and threshold ``t``:

    - ``"paper"`` (Mikolov et al. 2013, eq. 5): keep with ``sqrt(t / f)``;
    - ``"word2vec.c"`` (the released code, and gensim): keep with
      ``(sqrt(f / t) + 1) * t / f``, which keeps more of every word.

    Both are clipped to [0, 1]; tokens with count 0 get 1 (chapter 10, eq. ``subsample``).

    Parameters
    ----------
    counts : (V,) int ndarray
    threshold : float, > 0
    formula : {"word2vec.c", "paper"}

    Returns
    -------
    (V,) float64 ndarray
    """
    threshold = check_float("threshold", threshold, positive=True)
    check_choice("formula", formula, SUBSAMPLING_FORMULAS)
    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum()
    if total <= 0:
        raise ValueError("counts must have a positive total to subsample")
    f = counts / total
    with np.errstate(divide="ignore"):
        if formula == "paper":
            keep = np.sqrt(threshold / f)
        else:
            keep = (np.sqrt(f / threshold) + 1.0) * threshold / f
    keep[counts == 0] = 1.0
    return np.minimum(keep, 1.0)


def subsample(sentences_ids, keep, rng):
    """Drop each token occurrence with probability ``1 - keep[token]``.

    Returns the subsampled sentences (empty ones removed). One uniform draw
    per token, in corpus order, from ``rng``.
    """
    sentences = [np.asarray(s, dtype=np.int64) for s in sentences_ids]
    if not sentences:
        return []
    lengths = np.array([len(s) for s in sentences])
    tokens, sentence_of = subsample_flat(np.concatenate(sentences), np.repeat(np.arange(len(sentences)),
                                         lengths), keep, rng)
    kept = np.bincount(sentence_of, minlength=len(sentences))  # (S,) tokens kept per sentence
    return [piece for piece in np.split(tokens, np.cumsum(kept)[:-1]) if len(piece)]


def subsample_flat(tokens, sentence_of, keep, rng):
    """:func:`subsample` of a flattened corpus (as :func:`flatten_sentences` returns it).

    The same draws as sentence by sentence (one uniform per token, in corpus
    order), in one call: ``tokens[i]`` is kept when ``u_i < keep[tokens[i]]``.

    Returns
    -------
    tokens, sentence_of : (M,) int64 ndarrays
        The kept tokens and their sentence indices (a sentence may lose all of them).
    """
    rng = check_rng(rng)
    keep = np.asarray(keep, dtype=np.float64)
    mask = rng.random(len(tokens)) < keep[tokens]
    return tokens[mask], sentence_of[mask]
