"""CBOW over minibatches of centers: word2vec.c's ``-cbow 1`` with numpy (chapter 13).

The same equations as :func:`skipgram_lab.teaching.train_cbow`, for n
consecutive centers at once. What word2vec.c does for one center, and this
module does for n:

* **sums** the input rows ``E[c]`` of the ``cw`` context tokens of the window
  (the dynamic radius drawn for the center; a token repeated in the window
  counts each time), then **divides by cw**: ``h`` is their mean (eq. ``cbow-h``);
* scores ``h`` against the center's output row ``O[w]`` (label 1) and K noise
  rows (label 0; a noise id equal to the center is skipped);
* **updates** the 1 + K output rows by ``-lr p_k h`` (``-lr (p - 1) h`` for the
  center) and **every one of the cw context rows** by the same vector: the whole
  ``-lr dL/dh`` in word2vec.c and gensim (``context_update="word2vec"``, the
  default here), its cw-th share for the exact gradient (``"gradient"``).

A center with no context in its window (a one-token sentence) is no example.
One step is one update per center: about ``1/(2k)`` as many updates as
skip-gram's pairs for the same tokens, which is where CBOW's speed comes from.

>>> from skipgram_lab.corpus import toy_corpus, tokenize, Vocab
>>> from skipgram_lab.cbow_vectorized import train_cbow_vectorized
>>> sentences = [tokenize(s) for s in toy_corpus()]
>>> vocab = Vocab.from_sentences(sentences)
>>> result = train_cbow_vectorized(vocab.encode_sentences(sentences), vocab, dim=10, epochs=2,
...                                subsample=None, rng=0)
>>> len(result.history["loss"]), result.E.dtype
(2, dtype('float32'))

Defaults are gensim's ``Word2Vec(sg=0)``: d = 100, k = 5 dynamic, K = 5,
subsampling 1e-3, lr 0.025 decayed linearly to 0.0001, 5 epochs, float32, E
uniform in [-1/d, 1/d). With ``batch_size=1``, ``init_scale=0.5``, float64 and
the same other settings, it reproduces the teaching loop (a test checks it to 1e-10).
"""

from __future__ import annotations

import time

import numpy as np

from . import cbow
from ._validate import check_choice, check_float, check_int, check_rng
from .embeddings import Embeddings
from .idfile import as_id_corpus
from .negative_sampling import TrainingDiverged, sigmoid_and_log_sigmoid
from .noise import NoiseSampler
from .pairs import keep_probability, subsample_flat
from .scatter import scatter_add, windows
from .training import TrainResult, check_hyperparameters, init_vectors, linear_lr


def cbow_window_step(E, O, tokens_ext, weight, negatives, lr, context_update="word2vec"):
    """One SGD step of CBOW on n consecutive centers, each with its window and K noise ids.

    Center i sits at ``tokens_ext[i + k]``; column u of ``weight`` marks the
    token at offset ``u - k`` as one of its contexts. Exactly the sum over the
    n centers of :func:`skipgram_lab.cbow.loss_and_grad`, all at the old
    values (eqs. ``cbow-grad`` and ``cbow-update`` of chapter 13; a test checks it).

    Parameters
    ----------
    E, O : (V, d) ndarrays, updated in place
    tokens_ext : (n + 2k,) int ndarray
        The n centers with k tokens on each side (ids under weight 0 get no update).
    weight : (n, 2k + 1) ndarray of 0/1
        A row of zeros is a center with no context: it is skipped.
    negatives : (n, K) int ndarray
    lr : float
    context_update : {"word2vec", "gradient"}
        Each context row receives the whole ``-lr dL/dh`` (word2vec.c) or its cw-th share.

    Returns
    -------
    float
        The summed loss of the batch.
    """
    n, width = weight.shape
    k, d = width // 2, E.shape[1]
    weight = weight.astype(E.dtype, copy=False)
    cw = weight.sum(axis=1)  # (n,) contexts of each center
    active = (cw > 0).astype(E.dtype)
    E_win = windows(np.take(E, tokens_ext, axis=0), width)  # (n, d, 2k+1): the rows around center i
    h = np.matmul(E_win, weight[:, :, None])[:, :, 0] / np.maximum(cw, 1.0)[:, None]  # (n, d) the means
    targets = np.concatenate([tokens_ext[k : k + n, None], negatives], axis=1)  # (n, 1+K): center, noise
    W = np.empty(targets.shape, E.dtype)  # which scores count
    W[:, 0] = active
    W[:, 1:] = active[:, None] * (negatives != targets[:, :1])  # a draw equal to the center is skipped
    O_T = np.take(O, targets, axis=0)  # (n, 1+K, d)
    S = np.matmul(O_T, h[:, :, None])[:, :, 0]  # (n, 1+K) scores
    sign = np.ones(S.shape[1], S.dtype)
    sign[1:] = -1.0  # log sigma(s) for the center, log sigma(-s_k) for noise
    p, log_p = sigmoid_and_log_sigmoid(S, sign)
    loss = -np.sum(W * log_p, dtype=np.float64)
    if not np.isfinite(loss):
        raise TrainingDiverged(f"non-finite loss with lr={lr}")  # + the hint
    G = p * W  # dL/ds: p - 1 for the center, p_k for noise
    G[:, 0] -= W[:, 0]
    G *= -lr  # the steps, scaled on the small array
    step_T = G[:, :, None] * h[:, None, :]  # (n, 1+K, d): each target's step
    step_h = np.matmul(G[:, None, :], O_T)[:, 0, :]  # (n, d): -lr dL/dh
    if context_update == "gradient":
        step_h /= np.maximum(cw, 1.0)[:, None]  # each of the cw rows gets a cw-th share
    step_E = np.zeros((n + 2 * k, d), E.dtype)  # fold the windows back onto positions
    for u in range(width):
        step_E[u : u + n] += weight[:, u, None] * step_h  # context u of center i is position i + u
    scatter_add(E, tokens_ext, step_E)
    scatter_add(O, targets.ravel(), step_T.reshape(-1, d))
    return float(loss)


def _epoch(E, O, corpus, cuts, keep, sampler, *, window, negatives, dynamic, batch_size,
           context_update, lr_at, epoch, words_done, rng):
    """One pass over the chunks; returns (summed loss, pairs, updates)."""
    k = window
    total, pairs, updates = 0.0, 0, 0
    for a, b in zip(cuts[:-1], cuts[1:]):
        tokens, sentence_of = corpus.flat(a, b)
        if keep is not None:
            tokens, sentence_of = subsample_flat(tokens, sentence_of, keep, rng)
        weight = cbow.window_weights(sentence_of, k, dynamic=dynamic, rng=rng)
        examples = np.flatnonzero(weight.any(axis=1))
        if len(examples) == 0:
            words_done += b - a
            continue
        noise = np.zeros((len(tokens), negatives), np.int64)
        noise[examples] = sampler.draw(rng, (len(examples), negatives))  # the teaching loop's stream
        tokens_pad = np.concatenate([np.zeros(k, np.int64), tokens, np.zeros(k, np.int64)])
        done = 0
        for j in range(0, len(examples), batch_size):
            lo, hi = examples[j], examples[min(j + batch_size, len(examples)) - 1] + 1  # positions
            lr_t = lr_at(epoch, words_done + (b - a) * done / len(examples))
            try:
                with np.errstate(over="ignore", invalid="ignore"):  # a non-finite loss is checked
                    total += cbow_window_step(E, O, tokens_pad[lo : hi + 2 * k], weight[lo:hi],
                                              noise[lo:hi], lr_t, context_update)
            except TrainingDiverged as err:
                raise TrainingDiverged(f"training diverged at epoch {epoch}, update {updates + done} "
                                       f"(lr={lr_t:.6g}): {err.what}", hint=err.hint) from None
            done = min(j + batch_size, len(examples))
        pairs += int(weight.sum())
        updates += len(examples)
        words_done += b - a
    return total, pairs, updates


def train_cbow_vectorized(corpus, vocab, *, dim=100, window=5, negatives=5, lr=0.025, min_lr=0.0001,
                          epochs=5, noise_power=0.75, subsample=1e-3, subsample_formula="word2vec.c",
                          dynamic_window=True, batch_size=256, context_update="word2vec",
                          chunk_tokens=16384, rng=None, dtype=np.float32, init_scale=1.0):
    """CBOW with negative sampling over minibatches of centers, streaming the corpus in chunks.

    Parameters
    ----------
    corpus : list of (n_i,) int ndarrays, or IdCorpus
    vocab : Vocab
    dim, window, negatives, lr, min_lr, epochs, noise_power, subsample, subsample_formula, dynamic_window
        As in :func:`skipgram_lab.vectorized.train_vectorized` (gensim's defaults).
        The lr falls linearly with the share of corpus words done.
    batch_size : int
        Centers (updates) per SGD step; all of a step's gradients use the old values.
    context_update : {"word2vec", "gradient"}
        What each context row receives: the whole step of the mean (word2vec.c,
        gensim's ``cbow_mean=1``) or its cw-th share (the exact gradient).
    chunk_tokens : int
        Corpus tokens per chunk (windows and noise exist for one chunk at a time).
    rng : Generator, int or None
        All randomness: init, then per chunk subsampling, windows, noise ids.
    dtype : float32 (default) or float64
    init_scale : float
        E starts uniform in [-init_scale/d, init_scale/d): 1 is gensim's start, 0.5 word2vec.c's.

    Returns
    -------
    TrainResult
        ``history``: ``loss`` (mean per update), ``pairs`` (center-context pairs
        read), ``updates`` (centers trained), ``seconds``, per epoch.

    Raises
    ------
    TrainingDiverged
        With the epoch, update and lr, if a step gives a non-finite loss (nothing of it is written).
    """
    check_hyperparameters(dim=dim, window=window, lr=lr, epochs=epochs, min_lr=min_lr,
                          negatives=negatives, noise_power=noise_power, subsample=subsample,
                          subsample_formula=subsample_formula)
    check_choice("context_update", context_update, cbow.CONTEXT_UPDATES)
    batch_size = check_int("batch_size", batch_size, 1)
    init_scale = check_float("init_scale", init_scale, positive=True)
    dtype = np.dtype(check_choice("dtype", np.dtype(dtype).name, ("float32", "float64")))
    corpus = as_id_corpus(corpus, len(vocab))
    cuts = corpus.chunks(check_int("chunk_tokens", chunk_tokens, 1))
    rng = check_rng(rng)
    E, O = init_vectors(len(vocab), dim, rng, dtype, scale=init_scale)
    sampler = NoiseSampler.from_counts(vocab.counts, noise_power)
    keep = keep_probability(vocab.counts, subsample, subsample_formula) if subsample else None
    total_words = len(corpus) * epochs

    def lr_at(epoch, words_in_epoch):
        return linear_lr(lr, min_lr, (epoch * len(corpus) + words_in_epoch) / total_words)

    history = {"loss": [], "pairs": [], "updates": [], "seconds": []}
    for epoch in range(epochs):
        start = time.perf_counter()
        loss, pairs, updates = _epoch(E, O, corpus, cuts, keep, sampler, window=window, negatives=negatives,
                                      dynamic=bool(dynamic_window), batch_size=batch_size,
                                      context_update=context_update, lr_at=lr_at, epoch=epoch,
                                      words_done=0, rng=rng)
        history["loss"].append(loss / max(updates, 1))
        history["pairs"].append(pairs)
        history["updates"].append(updates)
        history["seconds"].append(time.perf_counter() - start)
    return TrainResult(Embeddings(E, O, vocab), history, [])
