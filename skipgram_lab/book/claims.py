"""The experiments behind Part II's claims, one small seeded function per measurement.

The chapters "Geometry emerges", "What the vectors encode" and "Why two
matrices" test statements about skip-gram on the planted corpus
(``skipgram_lab.synthetic``), where the right answer is known. Each function
here runs one experiment, or computes one of its numbers, from explicit inputs
and an explicit ``rng``; the chapters print what they return.

>>> import numpy as np
>>> from skipgram_lab.book.claims import tied_sgd_step
>>> W = np.array([[0.5, 0.0], [0.0, 0.5], [0.3, 0.3]])
>>> loss = tied_sgd_step(W, 0, 0, [], lr=0.1)       # w == c: the row is its own context
>>> np.round(W[0], 4).tolist()                       # pushed along itself: it only grows
[0.5438, 0.0]

Contents: training over a given pair array with two matrices or one shared
matrix (:func:`train_pairs`, :func:`tied_sgd_step`); corpora with the same words
in another order (:func:`shuffle_within_sentences`, :func:`reverse_sentences`) and a
one-sided window (:func:`forward_pairs`); the loss of one row for fixed O
(:func:`row_loss_and_grad`, :func:`descend_row`);
per-word and per-pair numbers (:func:`word_purity`, :func:`neighbour_rank`,
:func:`morphology_cosines`, :func:`link_gap`, :func:`order_correlation`,
:func:`window_score`); the two-matrix numbers (:func:`score_asymmetry`,
:func:`self_probability`); metrics along training (:func:`snapshot_metrics`).
"""

from __future__ import annotations

import time

import numpy as np
from scipy import stats

from .. import negative_sampling as ns
from .._validate import check_id, check_ids, check_int, check_lr, check_matrix, check_rng
from ..embeddings import Embeddings, cosine_matrix
from ..planted import _purity_per_word, knn_purity
from ..factorise import expected_loss
from ..noise import NoiseSampler, drop_positive, noise_distribution
from ..pairs import flatten_sentences, skipgram_pairs, window_positions
from ..scatter import ns_pairs_step
from ..training import (
    Snapshot, TrainingDiverged, TrainResult, check_hyperparameters, check_not_diverged, init_vectors,
    linear_lr,
)


# ---- one matrix or two ----------------------------------------------------------------------
def tied_sgd_step(W, w, c, negatives, lr):
    """One SGNS step when one matrix plays both roles: ``E = O = W`` (in place).

    The gradients are those of eq. ``ns-grad`` with ``e_w = W[w]``,
    ``o_c = W[c]`` and ``O_neg = W[negatives]``, all taken at the old values,
    and every one of them lands in ``W``. When ``w == c`` the row gets both the
    center's and the context's pull, ``-2 lr (p - 1) W[w]``: it is pushed along
    itself, so the self-score ``|W[w]|^2`` only grows (eq. ``tm-self`` of the
    chapter "Why two matrices"). Noise ids equal to ``c`` are dropped first, as
    in the trainers.

    Parameters
    ----------
    W : (V, d) float ndarray, updated in place
    w, c : int
    negatives : (K,) int array-like
    lr : float

    Returns
    -------
    float
        The loss of the pair before the step (eq. ``ns-loss``).
    """
    W = check_matrix("W", W)
    V = W.shape[0]
    w, c = check_id("w", w, V), check_id("c", c, V)
    negatives = drop_positive(check_ids("negatives", np.atleast_1d(negatives), V).ravel(), c)
    lr = check_lr(lr)
    e_w, o_c, O_neg = W[w].copy(), W[c].copy(), W[negatives]  # old values, copies
    loss, grad_e_w, grad_o_c, grad_O_neg = ns.loss_and_grad(e_w, o_c, O_neg)
    W[w] -= lr * grad_e_w  # the row as a center
    W[c] -= lr * grad_o_c  # the row as a context: the same row again when w == c
    np.add.at(W, negatives, -lr * grad_O_neg)
    return loss


def train_pairs(pairs, vocab, *, tied=False, dim=30, negatives=5, lr=0.025, min_lr=1e-4,
                epochs=5, batch_size=64, noise_power=0.75, rng=None, snapshot_every=None):
    """SGNS over a fixed array of (w, c) pairs, with two matrices or one shared matrix.

    The same loop for both models, so a comparison changes only the tying:
    the same initial E (word2vec.c's, :func:`skipgram_lab.training.init_vectors`),
    the same pairs in the same order, the same noise draws, the same lr
    schedule. Each batch of consecutive pairs is one
    ``skipgram_lab.scatter.ns_pairs_step`` (K noise ids per pair, a draw
    equal to the context switched off). With ``tied=True`` that step gets
    the same array as E and as O, so every update of either role lands in it
    (for a batch of one pair, exactly :func:`tied_sgd_step`). With
    ``tied=False`` and ``batch_size=1`` this is
    :func:`skipgram_lab.teaching.train_negative_sampling` on the same pairs.

    Parameters
    ----------
    pairs : (P, 2) int array-like
        Rows (w, c), e.g. :func:`skipgram_lab.pairs.skipgram_pairs`.
    vocab : Vocab
        V and the counts of the noise distribution ``counts**noise_power``.
    tied : bool
        One shared matrix (E = O) instead of two.
    dim, negatives, lr, min_lr, epochs, noise_power
        As in :func:`skipgram_lab.teaching.train_negative_sampling`; lr decays
        linearly to ``min_lr`` over all pairs of all epochs (None: constant).
    batch_size : int
        Pairs per step.
    rng : Generator, int or None
    snapshot_every : int or None
        Copies of E and O every this many steps (and at the start and the end).

    Returns
    -------
    TrainResult
        For ``tied=True``, ``result.E is result.O``.
    """
    check_hyperparameters(dim=dim, window=1, lr=lr, epochs=epochs, min_lr=min_lr,
                          negatives=negatives, noise_power=noise_power)
    V = len(vocab)
    pairs = check_ids("pairs", pairs, V)
    if pairs.ndim != 2 or pairs.shape[1] != 2 or len(pairs) == 0:
        raise ValueError(f"pairs must be a non-empty (P, 2) array of (w, c) ids, got shape {pairs.shape}")
    batch_size = check_int("batch_size", batch_size, 1)
    if snapshot_every is not None:
        snapshot_every = check_int("snapshot_every", snapshot_every, 1)
    rng = check_rng(rng)
    E, O = init_vectors(V, dim, rng)
    if tied:
        O = E  # one matrix in both roles
    sampler = NoiseSampler.from_counts(vocab.counts, noise_power)
    history = {"loss": [], "pairs": [], "seconds": []}
    snapshots = [Snapshot(0, 0, E.copy(), O.copy())] if snapshot_every else []
    P, step = len(pairs), 0
    for epoch in range(epochs):
        start, total = time.perf_counter(), 0.0
        for a in range(0, P, batch_size):
            batch = pairs[a:a + batch_size]  # (B, 2)
            negs = sampler.draw(rng, (len(batch), negatives))  # (B, K)
            lr_t = linear_lr(lr, min_lr, (epoch + a / P) / epochs)
            try:
                total += ns_pairs_step(E, O, batch[:, 0], batch[:, 1], negs, lr_t)
            except TrainingDiverged as err:
                raise err.at(step=step, epoch=epoch, lr=lr_t) from None
            step += 1
            if snapshot_every and step % snapshot_every == 0:
                snapshots.append(Snapshot(step, epoch, E.copy(), O.copy()))
        try:  # after the epoch's last update
            check_not_diverged(E=E, O=O)
        except TrainingDiverged as err:
            raise err.at(step=step, epoch=epoch, lr=lr_t) from None
        history["loss"].append(total / P)
        history["pairs"].append(P)
        history["seconds"].append(time.perf_counter() - start)
    if snapshot_every and snapshots[-1].step != step:
        snapshots.append(Snapshot(step, epochs - 1, E.copy(), O.copy()))
    return TrainResult(Embeddings(E, O, vocab), history, snapshots)


def row_loss_and_grad(x, O, pi, q, K):
    """The SGNS loss of one center row for fixed O, per occurrence, and its gradient.

    Implements eqs. ``geo-row-loss`` and ``geo-row-grad`` (chapter "Geometry
    emerges")::

        l(x) = sum_c pi(c) (-log sigma(x . O_c)) + K sum_n q(n) (-log sigma(-x . O_n))
        dl/dx = sum_c (pi(c) (sigma(x . O_c) - 1) + K q(c) sigma(x . O_c)) O_c

    It depends on the word only through its context distribution ``pi``: two
    words with the same ``pi`` descend the same (convex) function.

    Parameters
    ----------
    x : (d,) float ndarray
        A center row ``E_w``.
    O : (V, d) float ndarray
    pi : (V,) float ndarray
        Context distribution of the word, ``#(w, c) / #(w)``.
    q : (V,) float ndarray
        Noise distribution.
    K : int

    Returns
    -------
    loss : float
    grad : (d,) ndarray
    """
    O = check_matrix("O", O)
    x = np.asarray(x, dtype=np.float64)
    s = O @ x  # (V,) scores
    loss = -pi @ ns.log_sigmoid(s) - K * (q @ ns.log_sigmoid(-s))
    grad = O.T @ (pi * (ns.sigmoid(s) - 1.0) + K * q * ns.sigmoid(s))  # (d,)
    return float(loss), grad


def descend_row(O, pi, q, K, x0, lr, steps):
    """Full gradient descent on :func:`row_loss_and_grad` from ``x0``, O fixed.

    Returns
    -------
    (steps + 1, d) ndarray
        The row before the first step and after each step.
    """
    steps = check_int("steps", steps, 0)
    lr = check_lr(lr)
    x = np.array(x0, dtype=np.float64)
    path = [x.copy()]
    for _ in range(steps):
        x -= lr * row_loss_and_grad(x, O, pi, q, K)[1]
        path.append(x.copy())
    return np.array(path)


def score_asymmetry(E, O, ids=None):
    """How far the score matrix ``S = E O^T`` is from symmetric: ``||S - S^T|| / ||S||`` (Frobenius).

    0 means ``E_w . O_c = E_c . O_w`` for every pair; a tied model (E = O) is
    always exactly 0.

    Parameters
    ----------
    E, O : (V, d) float ndarrays
    ids : int array-like or None
        Restrict to these rows (default all).

    Returns
    -------
    float
    """
    E, O = check_matrix("E", E), check_matrix("O", O, d=E.shape[1])
    if ids is not None:
        ids = check_ids("ids", ids, E.shape[0]).ravel()
        E, O = E[ids], O[ids]
    S = E @ O.T  # (n, n)
    norm = np.linalg.norm(S)
    return float(np.linalg.norm(S - S.T) / norm) if norm > 0 else 0.0


def self_probability(E, O):
    """``sigma(E_w . O_w)`` for every token: the model's belief that w is a context of itself.

    For a tied model this is ``sigma(|W_w|^2) >= 1/2`` whatever the data say.

    Returns
    -------
    (V,) float ndarray
    """
    E, O = check_matrix("E", E), check_matrix("O", O, d=E.shape[1])
    return ns.sigmoid(np.einsum("vd,vd->v", E, O))


# ---- corpora with the same words in another order --------------------------------------------
def shuffle_within_sentences(sentences, rng):
    """Each sentence with its tokens in a random order (same words, same sentences).

    Returns
    -------
    list of (n_i,) int64 ndarrays
    """
    rng = check_rng(rng)
    return [rng.permutation(np.asarray(s, dtype=np.int64)) for s in sentences]


def reverse_sentences(sentences):
    """Each sentence backwards: with a fixed window, exactly the same multiset of pairs."""
    return [np.asarray(s, dtype=np.int64)[::-1].copy() for s in sentences]


def forward_pairs(sentences, window):
    """The (w, c) pairs whose context comes *after* the center: a one-sided window.

    Half of :func:`skipgram_lab.pairs.skipgram_pairs`, and no longer
    symmetric: ``#(w, c)`` counts "c follows w within ``window``", which is
    not ``#(c, w)``. A model trained on these pairs can learn who comes first.

    Returns
    -------
    (P, 2) int64 ndarray
    """
    tokens, sentence_of = flatten_sentences(sentences)
    centers, contexts = window_positions(sentence_of, window)
    right = contexts > centers
    return np.stack([tokens[centers[right]], tokens[contexts[right]]], axis=1)


# ---- per-word and per-pair numbers ----------------------------------------------------------
def word_purity(emb, groups, words, k=5, which="E"):
    """k-NN group purity of each word of ``words`` (as ``skipgram_lab.evaluate.knn_purity``).

    Neighbours are searched among all grouped words, exactly as for the mean
    purity; only the words asked for are returned.

    Returns
    -------
    (len(words),) float ndarray
    """
    ids, _, purity, _ = _purity_per_word(emb, groups, k, which)
    where = {int(i): j for j, i in enumerate(ids)}
    missing = [t for t in words if t not in groups or emb.vocab.index.get(t) not in where]
    if missing:
        raise ValueError(f"words must be grouped words in the vocabulary, got {missing[:5]}")
    return np.array([purity[where[emb.vocab.index[t]]] for t in words])


def neighbour_rank(emb, a, b, which="E"):
    """Rank of ``b`` among the neighbours of ``a`` by cosine (1 = nearest; ``a`` itself excluded).

    Ties count in ``b``'s favour (rank = 1 + number of strictly closer tokens).
    """
    U = cosine_matrix(emb.matrix(which))
    i, j = emb.vocab.id(a), emb.vocab.id(b)
    sims = U @ U[i]
    sims[i] = -np.inf
    return int(np.sum(sims > sims[j])) + 1


def morphology_cosines(emb, forms, which="E"):
    """Mean cosines of inflected forms: same stem vs. same form of another stem.

    Parameters
    ----------
    emb : Embeddings
    forms : list of tuples of str
        Each tuple holds the forms of one stem in a fixed order, all tuples of
        the same length, e.g. ``[("walk", "walks", "walked", "walking"), ...]``.

    Returns
    -------
    dict
        ``"same stem"``: mean cosine over pairs of forms of one stem
        (walk/walked); ``"same form"``: over pairs of stems at the same form
        (walked/jumped); ``"rank"``: mean rank of a form among the neighbours
        of another form of its stem (:func:`neighbour_rank`).
    """
    forms = [tuple(f) for f in forms]
    if len(forms) < 2 or len({len(f) for f in forms}) != 1 or len(forms[0]) < 2:
        raise ValueError("forms must be at least two tuples of the same length >= 2")
    U = cosine_matrix(emb.matrix(which))
    ids = np.array([[emb.vocab.id(t) for t in f] for f in forms])  # (n_stems, n_forms)
    n_stems, n_forms = ids.shape
    same_stem = [U[ids[s, i]] @ U[ids[s, j]] for s in range(n_stems)
                 for i in range(n_forms) for j in range(i + 1, n_forms)]
    same_form = [U[ids[s, i]] @ U[ids[t, i]] for i in range(n_forms)
                 for s in range(n_stems) for t in range(s + 1, n_stems)]
    ranks = [neighbour_rank(emb, f[i], f[j], which) for f in forms
             for i in range(n_forms) for j in range(n_forms) if i != j]
    return {"same stem": float(np.mean(same_stem)), "same form": float(np.mean(same_form)),
            "rank": float(np.mean(ranks))}


def link_gap(E, O, first_ids, second_ids):
    """Does the model score the planted partner above the others? (long-range links)

    ``S[i, j] = E[first_ids[i]] . O[second_ids[j]]``; the planted partner of
    ``first_ids[i]`` is ``second_ids[i]``. The gap is the mean diagonal minus
    the mean off-diagonal score, which additive row and column effects
    (frequency) cancel out of; the accuracy is the share of rows whose partner
    is the best of the double-centred ``S`` (chance ``1 / n``).

    Returns
    -------
    gap : float
    accuracy : float
    """
    E, O = check_matrix("E", E), check_matrix("O", O, d=E.shape[1])
    a = check_ids("first_ids", first_ids, E.shape[0]).ravel()
    b = check_ids("second_ids", second_ids, E.shape[0]).ravel()
    if len(a) != len(b) or len(a) < 2:
        raise ValueError(f"first_ids and second_ids must be >= 2 partners each, got {len(a)} and {len(b)}")
    S = E[a] @ O[b].T  # (n, n)
    off = ~np.eye(len(a), dtype=bool)
    gap = float(np.mean(np.diag(S)) - np.mean(S[off]))
    centred = S - S.mean(axis=1, keepdims=True) - S.mean(axis=0, keepdims=True)
    accuracy = float(np.mean(np.argmax(centred, axis=1) == np.arange(len(a))))
    return gap, accuracy


def order_correlation(values, order):
    """Spearman correlation between a per-word number and the word's planted position.

    E.g. the food chain ``chain`` (strongest first): ``values[i]`` is what a
    model says about ``chain[i]``. A model that cannot see the order gives
    about 0 (up to noise); one that can gives about +1 or -1.

    Returns
    -------
    float
    """
    values = np.asarray(values, dtype=np.float64).ravel()
    if len(values) != len(order) or len(values) < 3:
        raise ValueError(f"values and order must have the same length >= 3, got {len(values)} and {len(order)}")
    return float(stats.spearmanr(values, np.arange(len(values))).statistic)


def window_score(E, O, sentence, window):
    """SGNS's score of one sentence: ``sum log sigma(E_w . O_c)`` over its window pairs.

    The positive part of eq. ``ns-loss`` for the sentence, with a minus sign:
    higher means the model finds the sentence's pairs more typical. It depends
    on the sentence only through its multiset of pairs (a sentence and its
    reverse score the same).

    Returns
    -------
    float
    """
    E, O = check_matrix("E", E), check_matrix("O", O, d=E.shape[1])
    s = check_ids("sentence", sentence, E.shape[0]).ravel()
    pairs = skipgram_pairs([s], window)  # (P, 2)
    return float(np.sum(ns.log_sigmoid(np.einsum("pd,pd->p", E[pairs[:, 0]], O[pairs[:, 1]]))))


# ---- along training -------------------------------------------------------------------------
def snapshot_metrics(snapshots, vocab, groups, C, *, K=5, noise_power=0.75, k=5, which="E"):
    """k-NN group purity and the expected SGNS loss of each training snapshot.

    Parameters
    ----------
    snapshots : list of Snapshot
        From a trainer's ``snapshot_every``.
    vocab : Vocab
    groups : dict of str -> str
        Ground-truth groups (``corpus.truth.groups``).
    C : (V, V) array of pair counts
        :func:`skipgram_lab.pairs.cooccurrence_counts` of the training corpus.
    K, noise_power : the trainer's negatives and noise exponent.
    k : neighbours for the purity.

    Returns
    -------
    dict of str -> (T,) ndarray
        ``"step"``, ``"purity"``, ``"loss"`` (eq. ``sgns-cell`` summed, per true pair:
        :func:`skipgram_lab.factorise.expected_loss`).
    """
    if not snapshots:
        raise ValueError("snapshots is empty: train with snapshot_every=... to get some")
    q = noise_distribution(vocab.counts, noise_power)
    steps, purity, loss = [], [], []
    for snap in snapshots:
        E, O = np.asarray(snap.E, np.float64), np.asarray(snap.O, np.float64)
        steps.append(snap.step)
        purity.append(knn_purity(Embeddings(E, O, vocab), groups, k=k, which=which).purity)
        loss.append(expected_loss(E, O, C, q, K))
    return {"step": np.array(steps), "purity": np.array(purity), "loss": np.array(loss)}


def pick_frames(n_snapshots, n_frames):
    """About ``n_frames`` snapshot indices, dense at the start (geometric), always 0 and the last.

    Training changes the picture fastest at the start, so an animation with
    evenly spaced frames would spend most of them on a still picture.

    Returns
    -------
    (m,) int ndarray, increasing, m <= n_frames
    """
    n_snapshots, n_frames = check_int("n_snapshots", n_snapshots, 1), check_int("n_frames", n_frames, 2)
    if n_snapshots <= n_frames:
        return np.arange(n_snapshots)
    idx = np.unique(np.round(np.geomspace(1, n_snapshots, n_frames - 1)).astype(int) - 1)
    return np.unique(np.concatenate([[0], idx, [n_snapshots - 1]]))[:n_frames]
