"""Per-pair training loops that mirror the equations (chapter 5).

Each loop walks the corpus center by center, takes one (center, context)
pair at a time and calls the one-step function of chapter 3 or 4. Nothing is
batched, so a learner can stop anywhere and look at every number.

>>> from skipgram_lab.corpus import toy_corpus, tokenize, Vocab
>>> from skipgram_lab.teaching import train_negative_sampling
>>> sentences = [tokenize(s) for s in toy_corpus()]
>>> vocab = Vocab.from_sentences(sentences)
>>> result = train_negative_sampling(vocab.encode_sentences(sentences), vocab, dim=10, epochs=3, rng=0)
>>> len(result.history["loss"])
3
"""

from __future__ import annotations

import time

import numpy as np

from . import cbow, negative_sampling, softmax
from ._validate import (
    TrainingDiverged, check_choice, check_float_dtype, check_int, check_not_diverged, check_rng,
    check_sentences, check_step_loss,
)
from .embeddings import Embeddings
from .training import Snapshot, TrainResult, check_hyperparameters, init_vectors, linear_lr
from .noise import NoiseSampler, drop_positive
from .pairs import keep_probability, skipgram_pairs, subsample
from .pairs import subsample as _subsample  # train_cbow has an argument named subsample


def _train(step, sentences, vocab, *, dim, window, lr, min_lr, epochs, subsample_t,
           subsample_formula, dynamic_window, rng, init, snapshot_every, dtype):
    """The loop both trainers share; ``step(E, O, w, c, lr, rng) -> loss``."""
    V = len(vocab)
    sentences = check_sentences("sentences", sentences, V)
    dtype = check_float_dtype(dtype)
    rng = check_rng(rng)
    if init is None:
        E, O = init_vectors(V, dim, rng, dtype)
    else:
        E, O = (np.array(M, dtype=dtype) for M in init)
        if E.shape != (V, dim) or O.shape != (V, dim):
            raise ValueError(f"init must be two ({V}, {dim}) arrays, got {E.shape} and {O.shape}")
    if snapshot_every is not None:
        snapshot_every = check_int("snapshot_every", snapshot_every, 1)
    keep = keep_probability(vocab.counts, subsample_t, subsample_formula) if subsample_t else None
    history = {"loss": [], "pairs": [], "seconds": []}
    snapshots = [Snapshot(0, 0, E.copy(), O.copy())] if snapshot_every else []
    t = 0
    for epoch in range(epochs):
        start = time.perf_counter()
        epoch_sentences = subsample(sentences, keep, rng) if keep is not None else sentences
        pairs = skipgram_pairs(epoch_sentences, window, dynamic=dynamic_window, rng=rng)
        if len(pairs) == 0:  # a loss of 0.0 would look perfect
            raise ValueError(f"epoch {epoch} has no (center, context) pairs: every sentence has a "
                             "single token (after subsampling); use longer sentences or subsample=None")
        total, lr_t = 0.0, lr
        for i, (w, c) in enumerate(pairs):
            lr_t = linear_lr(lr, min_lr, (epoch + i / len(pairs)) / epochs)
            try:
                loss = step(E, O, int(w), int(c), lr_t, rng)
                check_step_loss(loss, 1, lr_t)
            except TrainingDiverged as err:
                raise err.at(step=t, epoch=epoch, lr=lr_t) from None
            total += loss
            t += 1
            if snapshot_every and t % snapshot_every == 0:
                snapshots.append(Snapshot(t, epoch, E.copy(), O.copy()))
        try:  # after the epoch's last update
            check_not_diverged(E=E, O=O)
        except TrainingDiverged as err:
            raise err.at(step=t, epoch=epoch, lr=lr_t) from None
        history["loss"].append(total / len(pairs))
        history["pairs"].append(len(pairs))
        history["seconds"].append(time.perf_counter() - start)
    if snapshot_every and snapshots[-1].step != t:
        snapshots.append(Snapshot(t, epochs - 1, E.copy(), O.copy()))
    return TrainResult(Embeddings(E, O, vocab), history, snapshots)


def train_negative_sampling(sentences, vocab, *, dim=10, window=2, negatives=5, lr=0.05,
                            min_lr=None, epochs=5, noise_power=0.75, subsample=None,
                            subsample_formula="word2vec.c", dynamic_window=False, rng=None,
                            init=None, snapshot_every=None, dtype=np.float64):
    """Skip-gram with negative sampling, one (center, context) pair at a time.

    For each pair: draw K noise ids from ``counts**noise_power`` (drop any
    equal to the true context, as word2vec.c does), then one
    :func:`skipgram_lab.negative_sampling.sgd_step` (eq. ``ns-update``).

    Parameters
    ----------
    sentences : list of (n_i,) int ndarrays
        Encoded sentences (ids in ``[0, len(vocab))``).
    vocab : Vocab
        Gives V and the counts for the noise distribution and subsampling.
    dim : int
        d, the vector size.
    window : int
        k, the context radius.
    negatives : int
        K, noise draws per pair.
    lr : float
        eta (constant unless ``min_lr`` is given, then decayed linearly to it).
    epochs : int
    noise_power : float
        The exponent of the noise distribution (0.75).
    subsample : float or None
        Threshold t for subsampling frequent tokens, or None for none.
    subsample_formula : {"word2vec.c", "paper"}
    dynamic_window : bool
    rng : Generator, int or None
        All randomness (init, subsampling, windows, negatives) comes from it.
    init : (E, O) or None
        Starting matrices (copied); default :func:`~skipgram_lab.training.init_vectors`.
    snapshot_every : int or None
        Keep copies of E and O every this many steps (for animations).
    dtype : numpy dtype, default float64

    Returns
    -------
    TrainResult
    """
    check_hyperparameters(dim=dim, window=window, lr=lr, epochs=epochs, min_lr=min_lr,
                          negatives=negatives, noise_power=noise_power, subsample=subsample,
                          subsample_formula=subsample_formula)
    sampler = NoiseSampler.from_counts(vocab.counts, noise_power)

    def step(E, O, w, c, lr_t, rng):
        negs = drop_positive(sampler.draw(rng, negatives), c)
        return negative_sampling._sgd_step(E, O, w, c, negs, lr_t)

    return _train(step, sentences, vocab, dim=dim, window=window, lr=lr, min_lr=min_lr,
                  epochs=epochs, subsample_t=subsample, subsample_formula=subsample_formula,
                  dynamic_window=dynamic_window, rng=rng, init=init,
                  snapshot_every=snapshot_every, dtype=dtype)


def train_full_softmax(sentences, vocab, *, dim=10, window=2, lr=0.05, min_lr=None, epochs=5,
                       subsample=None, subsample_formula="word2vec.c", dynamic_window=False,
                       rng=None, init=None, snapshot_every=None, dtype=np.float64):
    """Full-softmax skip-gram, one pair at a time (every step updates all of O).

    Each pair is one :func:`skipgram_lab.softmax.sgd_step` (eq. ``sm-update``):
    O(V d) work per pair, which is why chapter 4 exists. Parameters as in
    :func:`train_negative_sampling`, without the noise ones.

    Returns
    -------
    TrainResult
    """
    check_hyperparameters(dim=dim, window=window, lr=lr, epochs=epochs, min_lr=min_lr,
                          subsample=subsample, subsample_formula=subsample_formula)

    def step(E, O, w, c, lr_t, rng):
        return softmax._sgd_step(E, O, w, c, lr_t)

    return _train(step, sentences, vocab, dim=dim, window=window, lr=lr, min_lr=min_lr,
                  epochs=epochs, subsample_t=subsample, subsample_formula=subsample_formula,
                  dynamic_window=dynamic_window, rng=rng, init=init,
                  snapshot_every=snapshot_every, dtype=dtype)


def train_cbow(sentences, vocab, *, dim=10, window=2, negatives=5, lr=0.05, min_lr=None, epochs=5,
               noise_power=0.75, subsample=None, subsample_formula="word2vec.c", dynamic_window=False,
               context_update="gradient", rng=None, dtype=np.float64):
    """CBOW with negative sampling, one center (one update) at a time (chapter 13).

    For each position with at least one context: the ids of its window are the
    input, the center is the target; draw K noise ids (dropping any equal to
    the center, as word2vec.c skips them), then one
    :func:`skipgram_lab.cbow.sgd_step` (eq. ``cbow-update``, or word2vec.c's
    eq. ``cbow-w2v`` with ``context_update="word2vec"``).

    Parameters as in :func:`train_negative_sampling`; ``context_update`` as in
    :func:`skipgram_lab.cbow.sgd_step`. E starts uniform in [-0.5/d, 0.5/d), O at 0.

    Returns
    -------
    TrainResult
        ``history``: ``loss`` (mean per update of each epoch), ``pairs`` (the
        (center, context) pairs read, as skip-gram would count them),
        ``updates`` (centers trained) and ``seconds``.
    """
    check_hyperparameters(dim=dim, window=window, lr=lr, epochs=epochs, min_lr=min_lr,
                          negatives=negatives, noise_power=noise_power, subsample=subsample,
                          subsample_formula=subsample_formula)
    check_choice("context_update", context_update, cbow.CONTEXT_UPDATES)
    V = len(vocab)
    sentences = check_sentences("sentences", sentences, V)
    rng = check_rng(rng)
    E, O = init_vectors(V, dim, rng, dtype)
    sampler = NoiseSampler.from_counts(vocab.counts, noise_power)
    keep = keep_probability(vocab.counts, subsample, subsample_formula) if subsample else None
    history = {"loss": [], "pairs": [], "updates": [], "seconds": []}
    for epoch in range(epochs):
        start = time.perf_counter()
        epoch_sentences = _subsample(sentences, keep, rng) if keep is not None else sentences
        tokens, weight = cbow.context_weights(epoch_sentences, window, dynamic=dynamic_window, rng=rng)
        examples = np.flatnonzero(weight.any(axis=1))  # positions with at least one context
        total = 0.0
        for i, pos in enumerate(examples):
            contexts = tokens[pos - window + np.flatnonzero(weight[pos])]
            w = int(tokens[pos])
            negs = drop_positive(sampler.draw(rng, negatives), w)
            lr_t = linear_lr(lr, min_lr, (epoch + i / len(examples)) / epochs)
            try:
                total += cbow._sgd_step(E, O, contexts, w, negs, lr_t, context_update)
            except negative_sampling.TrainingDiverged as err:
                raise negative_sampling.TrainingDiverged(
                    f"training diverged at epoch {epoch}, update {i}: {err.what}", hint=err.hint) from None
        history["loss"].append(total / max(len(examples), 1))
        history["pairs"].append(int(weight.sum()))
        history["updates"].append(len(examples))
        history["seconds"].append(time.perf_counter() - start)
    return TrainResult(Embeddings(E, O, vocab), history, [])
