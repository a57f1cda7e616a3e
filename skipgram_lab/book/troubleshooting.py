"""The runs behind chapter 14 ("When training goes wrong"): a trainer that accepts a buggy gradient, and diagnostics.

:func:`train_pairs_with` is the teaching loop of chapter 5 with its two
moving parts exposed: the gradient function and the order of the writes. With
:func:`skipgram_lab.negative_sampling.loss_and_grad` and
``order="simultaneous"`` it reproduces
:func:`skipgram_lab.teaching.train_negative_sampling` (a test checks it); a
chapter passes a wrong gradient or ``order="sequential"`` to show the symptom.
"""

from __future__ import annotations

import numpy as np

from .._validate import check_choice, check_int, check_rng, check_sentences
from ..embeddings import Embeddings, cosine_matrix
from ..noise import NoiseSampler, drop_positive
from ..pairs import skipgram_pairs
from ..training import init_vectors


def train_pairs_with(loss_and_grad, sentences, vocab, *, dim=10, window=2, negatives=5, lr=0.05,
                     epochs=5, rng=None, order="simultaneous"):
    """Skip-gram with negative sampling, one pair at a time, with the gradient function given.

    Parameters
    ----------
    loss_and_grad : callable
        ``loss_and_grad(e_w, o_c, O_neg) -> (loss, grad_e_w, grad_o_c, grad_O_neg)``.
    sentences, vocab, dim, window, negatives, lr, epochs, rng
        As in :func:`skipgram_lab.teaching.train_negative_sampling` (fixed window, constant lr).
    order : {"simultaneous", "sequential"}
        "simultaneous" takes every gradient at the old values (eq. ``ns-update``);
        "sequential" writes ``E[w]`` first and then computes the output rows'
        gradients from the *new* ``E[w]`` (a common bug).

    Returns
    -------
    Embeddings, list of float
        The vectors and the mean loss per pair of each epoch.
    """
    check_choice("order", order, ("simultaneous", "sequential"))
    epochs = check_int("epochs", epochs, 1)
    sentences = check_sentences("sentences", sentences, len(vocab))
    rng = check_rng(rng)
    E, O = init_vectors(len(vocab), dim, rng)
    sampler = NoiseSampler.from_counts(vocab.counts)
    losses = []
    for _ in range(epochs):
        pairs = skipgram_pairs(sentences, window)
        total = 0.0
        for w, c in pairs:
            negs = drop_positive(sampler.draw(rng, negatives), c)
            loss, g_e, g_c, g_neg = loss_and_grad(E[w].copy(), O[c].copy(), O[negs])
            E[w] -= lr * g_e
            if order == "sequential":  # the output gradients recomputed from the moved E[w]
                _, _, g_c, g_neg = loss_and_grad(E[w].copy(), O[c].copy(), O[negs])
            O[c] -= lr * g_c
            np.add.at(O, negs, -lr * g_neg)
            total += loss
        losses.append(total / len(pairs))
    return Embeddings(E, O, vocab), losses


def frequent_share(emb, words, n_frequent=10, k=5, rank_by="cosine"):
    """Share of the k nearest neighbours of ``words`` that are among the ``n_frequent`` most frequent tokens.

    Neighbours are searched in the whole vocabulary (the word itself excluded),
    ranked by cosine or by the raw dot product ``E[a] . E[b]``.

    Returns
    -------
    float
    """
    check_choice("rank_by", rank_by, ("cosine", "dot"))
    k = check_int("k", k, 1)
    E = np.asarray(emb.E, dtype=np.float64)
    X = cosine_matrix(E) if rank_by == "cosine" else E
    ids = np.array([emb.vocab.id(t) for t in words])
    S = X[ids] @ X.T  # (n, V)
    S[np.arange(len(ids)), ids] = -np.inf
    nearest = np.argsort(-S, axis=1, kind="stable")[:, :k]
    frequent = np.argsort(-emb.vocab.counts, kind="stable")[:n_frequent]
    return float(np.isin(nearest, frequent).mean())


def remove_common_direction(emb):
    """The same vectors with the mean row of E subtracted (E only; O is kept), in float64."""
    E = np.asarray(emb.E, dtype=np.float64)
    return Embeddings(E - E.mean(axis=0), np.asarray(emb.O, dtype=np.float64), emb.vocab)


def permute_tokens(sentences, rng):
    """The corpus with all its tokens shuffled across sentences: same counts and lengths, no structure."""
    rng = check_rng(rng)
    lengths = [len(s) for s in sentences]
    tokens = rng.permutation(np.concatenate([np.asarray(s, dtype=np.int64) for s in sentences]))
    return np.split(tokens, np.cumsum(lengths)[:-1])
