"""The vectorized trainer: scatter, batched math, teaching == vectorized, streaming, quality, bad input."""

import numpy as np
import pytest

from skipgram_lab import negative_sampling as ns
from skipgram_lab import scatter, softmax, vectorized
from skipgram_lab.corpus import Vocab
from skipgram_lab.noise import drop_positive
from skipgram_lab.idfile import IdCorpus, chunk_cuts, read_id_file, write_id_file
from skipgram_lab.pairs import flatten_sentences
from skipgram_lab.teaching import train_full_softmax, train_negative_sampling
from skipgram_lab.vectorized import (
    TrainingInterrupted, train_vectorized, train_vectorized_full_softmax,
)

QUIET = dict(progress=False)
# The teaching loop's setting: one pair per step, each with its own draw, its conventions (the
# center's row of E is the input, E starts in +-0.5/d), no subsampling, a fixed window.
EXACT = dict(subsample=None, dynamic_window=False, batch_size=1, negatives_per="pair", dtype=np.float64,
             input_role="center", init_scale=0.5)
NS_ONLY = ("negatives_per", "input_role", "init_scale")  # not options of the full-softmax trainer


def two_groups(n_sentences=300, seed=0):
    """Animals only meet animal verbs and animals, fruits only fruit ones: two obvious groups."""
    rng = np.random.default_rng(seed)
    groups = [(["cat", "dog", "cow", "pig", "hen", "fox"], ["runs", "barks", "sleeps", "eats"]),
              (["apple", "pear", "plum", "fig", "lime", "kiwi"], ["ripens", "falls", "rots", "grows"])]
    sents = []
    for _ in range(n_sentences):
        nouns, verbs = groups[rng.integers(2)]
        sents.append(["the", nouns[rng.integers(6)], verbs[rng.integers(4)], "a", nouns[rng.integers(6)]])
    vocab = Vocab.from_sentences(sents)
    return vocab.encode_sentences(sents), vocab, groups[0][0], groups[1][0]


def group_quality(emb, A, F):
    """Share of words whose nearest neighbour is in their group, and mean cosine within - across."""
    U = emb.E / np.linalg.norm(emb.E, axis=1, keepdims=True)
    rows = U[[emb.vocab.id(t) for t in A + F]]
    label = np.r_[np.zeros(len(A)), np.ones(len(F))]
    C = rows @ rows.T
    np.fill_diagonal(C, -np.inf)
    same = label[:, None] == label[None, :]
    off = ~np.eye(len(label), dtype=bool)
    return np.mean(label[C.argmax(1)] == label), C[same & off].mean() - C[~same].mean()


def loop_scatter(M, ids, D):
    for i, row in zip(ids, D):
        M[i] += row


# ---- scatter ------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype,d", [(np.float32, 6), (np.float64, 6), (np.float32, 5)])
def test_scatter_add_equals_a_python_loop_with_duplicates(dtype, d):
    rng = np.random.default_rng(0)
    ids = np.array([3, 1, 3, 3, 0, 1, 7])
    D = rng.standard_normal((len(ids), d)).astype(dtype)
    M = rng.standard_normal((8, d)).astype(dtype)
    expected = M.copy()
    loop_scatter(expected, ids, D)
    scatter.scatter_add(M, ids, D)
    np.testing.assert_array_equal(M, expected)  # same additions in the same order: bit for bit


def test_scatter_add_on_a_non_contiguous_matrix():
    rng = np.random.default_rng(1)
    base = rng.standard_normal((6, 8))
    M, ids, D = base[:, ::2], np.array([2, 2, 5]), rng.standard_normal((3, 4))
    expected = M.copy()
    loop_scatter(expected, ids, D)
    scatter.scatter_add(M, ids, D)
    np.testing.assert_array_equal(M, expected)


def test_fancy_index_plus_equals_keeps_only_one_duplicate():
    """Why scatter_add exists: ``M[ids] += D`` silently drops all but one update per row."""
    ids, D = np.array([4, 4, 4]), np.ones((3, 2))
    naive, right, loop = np.zeros((5, 2)), np.zeros((5, 2)), np.zeros((5, 2))
    naive[ids] += D
    scatter.scatter_add(right, ids, D)
    loop_scatter(loop, ids, D)
    assert naive[4].tolist() == [1.0, 1.0]  # lost two updates
    np.testing.assert_array_equal(right, loop)
    assert right[4].tolist() == [3.0, 3.0]


# ---- batched math == per-pair math ---------------------------------------------------------------
def test_batched_ns_gradient_is_the_per_pair_gradient():
    rng = np.random.default_rng(2)
    B, K, d = 5, 3, 4
    e = rng.standard_normal((B, d))
    O_T = rng.standard_normal((B, 1 + K, d))
    weight = np.ones((B, 1 + K))
    weight[1, 2] = 0.0  # a noise draw equal to the context: switched off
    loss, grad_e, grad_O_T = scatter.ns_batch_loss_and_grad(e, O_T, weight)
    total = 0.0
    for b in range(B):
        keep = [k for k in range(1, 1 + K) if weight[b, k]]
        lb, ge, gc, gn = ns.loss_and_grad(e[b], O_T[b, 0], O_T[b, keep])
        total += lb
        np.testing.assert_allclose(grad_e[b], ge, atol=1e-12)
        np.testing.assert_allclose(grad_O_T[b, 0], gc, atol=1e-12)
        np.testing.assert_allclose(grad_O_T[b, keep], gn, atol=1e-12)
    assert grad_O_T[1, 2].tolist() == [0.0] * d
    assert loss == pytest.approx(total, rel=1e-12)


@pytest.mark.parametrize("V,n,size", [(12, 7, 0.3), (3, 20, 0.6)])
@pytest.mark.parametrize("per_center", [True, False])
@pytest.mark.parametrize("step,roles", [(scatter.window_step, "book"), (scatter.context_window_step, "gensim")])
def test_window_steps_are_the_sum_over_their_pairs(step, roles, per_center, V, n, size):
    """The fast paths add exactly what a Python loop of ns.loss_and_grad over the pairs adds,
    each row's sum scaled by min(1, 1 / (lr H)) (the stability bound, scatter.row_scale).

    Book's roles: the center's row of E predicts the context, noise replaces the context.
    gensim's roles: the context's row of E predicts the center, noise replaces the center.
    12 rows of size 0.3 stay within the bound (the plain sum); 3 rows used 20 times each exceed
    it, while no single pair does (so the factor is 1 / (lr H)).
    """
    rng = np.random.default_rng(3)
    d, k, K, lr = 4, 2, 3, 0.1
    E, O = size * rng.standard_normal((V, d)), size * rng.standard_normal((V, d))
    tokens_ext = rng.integers(0, V, n + 2 * k)
    weight = (rng.random((n, 2 * k + 1)) < 0.7).astype(float)
    weight[:, k] = 0.0
    negatives = rng.integers(0, V, (n, K))
    # a noise id equal to the positive target of a pair of center 0: skipped there
    negatives[0, 1] = tokens_ext[k] if roles == "gensim" else tokens_ext[k + np.flatnonzero(weight[0])[0] - k]
    if not per_center:  # one draw for the batch
        negatives = negatives[0]
    E1, O1 = E.copy(), O.copy()
    loss = step(E1, O1, tokens_ext, weight, negatives, lr)
    dE, dO, H_E, H_O, total, skipped = np.zeros_like(E), np.zeros_like(O), np.zeros(V), np.zeros(V), 0.0, 0
    for i in range(n):
        for u in np.flatnonzero(weight[i]):
            center, context = tokens_ext[k + i], tokens_ext[i + u]
            x, y = (center, context) if roles == "book" else (context, center)  # input, output
            negs = drop_positive(negatives[i] if per_center else negatives, y)
            skipped += K - len(negs)
            lb, ge, gc, gn = ns.loss_and_grad(E[x], O[y], O[negs])
            total += lb
            dE[x] -= lr * ge
            dO[y] -= lr * gc
            np.add.at(dO, negs, -lr * gn)
            p = ns.sigmoid(O[[y, *negs]] @ E[x])  # the curvature p (1 - p) of each score
            H_E[x] += p * (1 - p) @ (O[[y, *negs]] ** 2).sum(1)
            np.add.at(H_O, [y, *negs], p * (1 - p) * (E[x] @ E[x]))
    assert skipped > 0  # the case of a skipped draw is exercised
    assert loss == pytest.approx(total, rel=1e-12)
    assert (max(H_E.max(), H_O.max()) * lr > 1) == (V == 3)  # the bound is exercised, or not
    np.testing.assert_allclose(E1, E + dE / np.maximum(1, lr * H_E)[:, None], atol=1e-12)
    np.testing.assert_allclose(O1, O + dO / np.maximum(1, lr * H_O)[:, None], atol=1e-12)


def test_full_softmax_batch_gradient_is_the_sum_of_softmax_loss_and_grad():
    rng = np.random.default_rng(4)
    V, d, B = 9, 3, 6
    O, e = rng.standard_normal((V, d)), rng.standard_normal((B, d))
    c = rng.integers(0, V, B)
    loss, grad_e, grad_O = scatter.softmax_batch_loss_and_grad(e, O, c)
    total, grad_O_sum = 0.0, np.zeros_like(O)
    for b in range(B):
        lb, ge, gO = softmax.loss_and_grad(e[b], O, int(c[b]))
        total += lb
        grad_O_sum += gO
        np.testing.assert_allclose(grad_e[b], ge, atol=1e-12)
    np.testing.assert_allclose(grad_O, grad_O_sum, atol=1e-12)
    assert loss == pytest.approx(total, rel=1e-12)


# ---- teaching == vectorized ------------------------------------------------------------------------
def test_batch_of_one_reproduces_the_teaching_loop(toy):
    """Same rng stream (init, then K draws per pair), same lr schedule, same updates: to 1e-10."""
    ids, vocab = toy
    kw = dict(dim=8, window=2, negatives=5, lr=0.05, min_lr=0.001, epochs=3, rng=7)
    a = train_negative_sampling(ids, vocab, **kw)
    b = train_vectorized(ids, vocab, **kw, **EXACT, **QUIET)
    np.testing.assert_allclose(b.E, a.E, rtol=0, atol=1e-10)
    np.testing.assert_allclose(b.O, a.O, rtol=0, atol=1e-10)
    np.testing.assert_allclose(b.history["loss"], a.history["loss"], rtol=1e-10)
    assert b.history["pairs"] == a.history["pairs"]


def test_full_softmax_batch_of_one_reproduces_the_teaching_loop(toy):
    ids, vocab = toy
    kw = dict(dim=6, window=2, lr=0.05, min_lr=0.001, epochs=2, rng=3)
    a = train_full_softmax(ids, vocab, **kw)
    exact = {k: v for k, v in EXACT.items() if k not in NS_ONLY}
    b = train_vectorized_full_softmax(ids, vocab, **kw, **exact, **QUIET)
    np.testing.assert_allclose(b.E, a.E, rtol=0, atol=1e-10)
    np.testing.assert_allclose(b.O, a.O, rtol=0, atol=1e-10)
    np.testing.assert_allclose(b.history["loss"], a.history["loss"], rtol=1e-10)


ROLES = [dict(input_role="center", init_scale=0.5), dict(input_role="context", init_scale=1.0)]


@pytest.mark.parametrize("roles", ROLES, ids=["center-input", "context-input"])
def test_quality_at_real_batch_sizes_matches_the_teaching_loop(roles):
    """Calibrated on seeds 0-4: the loop's gap is 0.36-0.41; with the book's roles every batched
    variant is within 0.03 of it, with gensim's roles 0.03-0.07 above it."""
    ids, vocab, A, F = two_groups()
    kw = dict(dim=20, window=2, negatives=5, lr=0.025, min_lr=0.0001, epochs=10, rng=0,
              subsample=None)
    nn_loop, gap_loop = group_quality(train_negative_sampling(ids, vocab, **kw).embeddings, A, F)
    assert nn_loop == 1.0 and gap_loop > 0.3
    for per, B in [("pair", 64), ("center", 64), ("center", 256)]:
        result = train_vectorized(ids, vocab, **kw, dynamic_window=False, negatives_per=per,
                                  batch_size=B, **roles, **QUIET)
        nn_vec, gap_vec = group_quality(result.embeddings, A, F)
        assert nn_vec == 1.0, (per, B)
        assert gap_vec > gap_loop - 0.08, (per, B, gap_vec, gap_loop)


@pytest.mark.parametrize("roles", ROLES, ids=["center-input", "context-input"])
def test_shared_negatives_per_center_learn_as_well_as_per_pair(roles):
    """The fast path against word2vec.c's sampling. Calibrated on seeds 0-4, both roles: gaps
    0.82-0.87, the two within 0.021 of each other."""
    ids, vocab, A, F = two_groups(1500, seed=1)
    gaps = {}
    for per in ("pair", "center"):
        result = train_vectorized(ids, vocab, dim=20, window=3, epochs=5, negatives_per=per,
                                  batch_size=256, subsample=None, rng=1, **roles, **QUIET)
        nn_acc, gaps[per] = group_quality(result.embeddings, A, F)
        assert nn_acc == 1.0
    assert gaps["pair"] > 0.7 and abs(gaps["center"] - gaps["pair"]) < 0.05, gaps


# ---- defaults, determinism, streaming ----------------------------------------------------------
def test_float32_by_default_float64_on_request(toy):
    ids, vocab = toy
    assert train_vectorized(ids, vocab, dim=4, epochs=1, **QUIET).E.dtype == np.float32
    result = train_vectorized(ids, vocab, dim=4, epochs=1, dtype=np.float64, **QUIET)
    assert result.E.dtype == result.O.dtype == np.float64


@pytest.mark.parametrize("per", ["pair", "center", "batch"])
def test_same_seed_same_vectors_bit_for_bit(toy, per):
    ids, vocab = toy
    kw = dict(dim=8, epochs=2, window=3, negatives_per=per, batch_size=32, subsample=1e-2, **QUIET)
    a = train_vectorized(ids, vocab, rng=5, **kw)
    b = train_vectorized(ids, vocab, rng=5, **kw)
    c = train_vectorized(ids, vocab, rng=6, **kw)
    np.testing.assert_array_equal(a.E, b.E)
    np.testing.assert_array_equal(a.O, b.O)
    assert a.history["loss"] == b.history["loss"]
    assert not np.array_equal(a.E, c.E)


def test_id_file_round_trip_and_streaming_equals_in_memory(toy, tmp_path):
    ids, vocab = toy
    corpus = write_id_file(tmp_path / "toy.ids.npy", iter(ids))
    assert (tmp_path / "toy.ids.bounds.npy").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["toy.ids.bounds.npy", "toy.ids.npy"]
    again = read_id_file(tmp_path / "toy.ids.npy")
    pieces = again.sentences(0, len(again))
    assert len(pieces) == len(ids) and all(np.array_equal(p, s) for p, s in zip(pieces, ids))
    np.testing.assert_array_equal(np.load(tmp_path / "toy.ids.npy"), np.concatenate(ids))
    kw = dict(dim=6, epochs=2, chunk_tokens=50, rng=2, **QUIET)  # many chunks
    a = train_vectorized(ids, vocab, **kw)
    b = train_vectorized(corpus, vocab, **kw)
    np.testing.assert_array_equal(a.E, b.E)
    np.testing.assert_array_equal(a.O, b.O)


def test_chunks_hold_whole_sentences_and_cut_only_long_ones():
    bounds = np.array([0, 3, 5, 30, 32])
    assert chunk_cuts(bounds, 10) == [0, 5, 15, 25, 32]  # [5, 30) is cut twice
    corpus = IdCorpus(np.arange(32), bounds)
    assert [s.tolist() for s in corpus.sentences(0, 5)] == [[0, 1, 2], [3, 4]]
    assert [s.tolist() for s in corpus.sentences(25, 32)] == [[25, 26, 27, 28, 29], [30, 31]]


def test_a_chunk_flattened_is_its_sentences_flattened():
    bounds = np.array([0, 3, 3, 7, 12, 20])  # an empty sentence, and cuts inside sentences
    corpus = IdCorpus(np.arange(20) % 5, bounds)
    for a, b in ((0, 20), (2, 9), (3, 7), (8, 20), (5, 6)):
        tokens, sentence_of = corpus.flat(a, b)
        want_tokens, want_of = flatten_sentences(corpus.sentences(a, b))
        assert tokens.tolist() == want_tokens.tolist()
        # the same sentences (numbered differently where an empty one is skipped)
        assert np.array_equal(np.diff(sentence_of) != 0, np.diff(want_of) != 0)


def test_pairs_exist_for_one_chunk_at_a_time(toy, monkeypatch):
    ids, vocab = toy
    seen = []
    real = vectorized.window_positions

    def spy(sentence_of, *args, **kw):  # the positions of one chunk, flattened
        seen.append(len(sentence_of))
        return real(sentence_of, *args, **kw)

    monkeypatch.setattr(vectorized, "window_positions", spy)
    train_vectorized(ids, vocab, dim=4, epochs=1, chunk_tokens=40, negatives_per="pair",
                     subsample=None, **QUIET)
    assert max(seen) <= 40 and sum(seen) == sum(len(s) for s in ids)


# ---- bad input, divergence, interrupts, progress -----------------------------------------------
@pytest.mark.parametrize("kw,message", [
    (dict(window=0), "window must be >= 1, got window=0"),
    (dict(lr=0.0), "lr must be > 0"),
    (dict(dim=2.5), "dim must be an integer"),
    (dict(negatives=-1), "negatives must be >= 0"),
    (dict(subsample=-1e-3), "subsample must be > 0"),
    (dict(min_lr=1.0), "min_lr must be <="),
    (dict(batch_size=0), "batch_size must be >= 1"),
    (dict(workers=0), "workers must be >= 1"),
    (dict(chunk_tokens=0), "chunk_tokens must be >= 1"),
    (dict(negatives_per="word"), "negatives_per must be one of"),
    (dict(dtype=np.int32), "dtype must be one of"),
    (dict(rng="seed"), "rng must be None, an int seed"),
])
def test_bad_hyperparameters_give_the_shared_messages(toy, kw, message):
    ids, vocab = toy
    with pytest.raises(ValueError, match=message):
        train_vectorized(ids, vocab, **kw, **QUIET)


def test_bad_corpora(toy):
    ids, vocab = toy
    with pytest.raises(ValueError, match=r"sentences must be ids in \[0, "):
        train_vectorized([np.array([0, len(vocab)])], vocab, **QUIET)
    with pytest.raises(ValueError, match="empty"):
        train_vectorized([], vocab, **QUIET)
    with pytest.raises(ValueError, match=r"corpus must be ids in \[0, "):
        train_vectorized(IdCorpus(np.array([0, -1]), np.array([0, 2])), vocab, **QUIET)
    with pytest.raises(FileNotFoundError, match="id file not found"):
        read_id_file("no/such/file.npy")


@pytest.mark.parametrize("per", ["pair", "center"])
def test_divergence_names_the_step_and_lr(toy, per):
    ids, vocab = toy
    with pytest.raises(ns.TrainingDiverged, match=r"step \d+ .*lr="):
        train_vectorized(ids, vocab, dim=4, epochs=3, lr=1e30, min_lr=None, negatives_per=per,
                         subsample=None, **QUIET)


def test_interrupt_keeps_the_vectors_trained_so_far(toy):
    ids, vocab = toy
    calls = []

    def stop_on_second_chunk(info):
        calls.append(info)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(TrainingInterrupted) as caught:
        train_vectorized(ids, vocab, dim=4, epochs=2, chunk_tokens=60, subsample=None,
                         callback=stop_on_second_chunk, **QUIET)
    assert isinstance(caught.value, KeyboardInterrupt)
    result = caught.value.result
    assert np.all(np.isfinite(result.E)) and np.any(result.O != 0)  # trained, usable
    assert result.history["pairs"][0] == calls[-1]["pairs"] > 0
    assert set(calls[0]) == {"epoch", "words", "total_words", "pairs", "lr", "loss"}


def test_history_is_per_epoch_mean_loss_per_pair(toy):
    ids, vocab = toy
    result = train_vectorized(ids, vocab, dim=8, epochs=4, window=2, lr=0.05, subsample=None,
                              batch_size=16, **QUIET)
    loss = result.history["loss"]
    assert len(loss) == len(result.history["pairs"]) == len(result.history["seconds"]) == 4
    assert all(isinstance(x, float) for x in loss) and loss[-1] < loss[0]


def test_progress_bar_can_be_on(toy, capsys):
    ids, vocab = toy
    train_vectorized(ids, vocab, dim=4, epochs=1, progress=True)
    assert "word" in capsys.readouterr().err


def test_snapshots_every_n_steps(toy):
    ids, vocab = toy
    result = train_vectorized(ids, vocab, dim=4, epochs=1, batch_size=64, snapshot_every=2,
                              subsample=None, **QUIET)
    steps = [s.step for s in result.snapshots]
    assert steps[0] == 0 and all(s % 2 == 0 for s in steps[1:-1])
    np.testing.assert_array_equal(result.snapshots[-1].E, result.E)


# ---- several processes ----------------------------------------------------------------------
def test_two_workers_share_the_vectors_and_learn():
    """Hogwild is not reproducible: the bounds come from the spread of repeated runs.

    Twelve runs of this exact call (the defaults: gensim's roles) gave nearest-neighbour accuracy
    1.0 and gaps 0.76-0.86 (one worker: 1.0 and 0.85); with the book's roles, on a busier
    machine, twelve runs gave 0.92-1.0 and 0.47-0.87. With ~20 words, both processes write the
    same few rows all the time, so some updates are lost; real vocabularies collide far less.
    Chance is an accuracy near 0.5 and a gap near 0.
    """
    ids, vocab, A, F = two_groups(1500, seed=1)
    result = train_vectorized(ids, vocab, dim=20, window=3, epochs=5, batch_size=256, workers=2,
                              subsample=None, chunk_tokens=500, rng=1, **QUIET)
    nn_acc, gap = group_quality(result.embeddings, A, F)
    assert nn_acc >= 0.75 and gap > 0.25
    assert sum(result.history["pairs"]) > 0 and len(result.history["loss"]) == 5


def test_two_workers_interrupted_keep_their_vectors(toy):
    ids, vocab = toy

    def interrupt(info):  # once a chunk is done (the first poll may come before any update)
        if info["words"] > 0:
            raise KeyboardInterrupt

    with pytest.raises(TrainingInterrupted) as caught:
        train_vectorized(ids * 20, vocab, dim=8, epochs=50, workers=2, subsample=None,
                         chunk_tokens=100, callback=interrupt, **QUIET)
    result = caught.value.result
    assert np.all(np.isfinite(result.E)) and np.any(result.O != 0)


def test_two_workers_report_divergence(toy):
    ids, vocab = toy
    with pytest.raises(ns.TrainingDiverged, match=r"step \d+ .*lr="):
        train_vectorized(ids, vocab, dim=4, epochs=3, lr=1e30, min_lr=None, workers=2,
                         subsample=None, chunk_tokens=100, **QUIET)


def test_context_input_role_trains_the_swapped_pairs_in_order():
    """input_role="context": each pair (center, context) is trained as (input=context, output=center)."""
    from skipgram_lab.noise import NoiseSampler
    from skipgram_lab.pairs import skipgram_pairs
    from skipgram_lab.training import init_vectors

    vocab = Vocab(["a", "b", "c", "d"], [4, 3, 2, 1])
    sents = [np.array([0, 1, 2, 3, 1]), np.array([2, 0])]
    r = train_vectorized(sents, vocab, dim=3, window=2, epochs=1, lr=0.1, min_lr=None, rng=5,
                         **QUIET, **{**EXACT, "input_role": "context", "init_scale": 1.0})
    rng = np.random.default_rng(5)
    E, O = init_vectors(4, 3, rng, scale=1.0)
    sampler = NoiseSampler.from_counts(vocab.counts, 0.75)
    for w, c in skipgram_pairs(sents, 2)[:, ::-1]:
        ns.sgd_step(E, O, w, c, drop_positive(sampler.draw(rng, 5), c), 0.1)
    np.testing.assert_allclose(r.E, E, atol=1e-12)
    np.testing.assert_allclose(r.O, O, atol=1e-12)


def test_init_scale_and_input_role_are_checked():
    vocab = Vocab(["a", "b"], [2, 1])
    sents = [np.array([0, 1, 0])]
    E1 = train_vectorized(sents, vocab, dim=4, epochs=1, rng=0, lr=1e-9, min_lr=None,
                          **QUIET, **{**EXACT, "init_scale": 1.0}).E
    E05 = train_vectorized(sents, vocab, dim=4, epochs=1, rng=0, lr=1e-9, min_lr=None, **QUIET, **EXACT).E
    np.testing.assert_allclose(E1, 2 * E05, rtol=1e-6)
    with pytest.raises(ValueError, match="input_role must be one of"):
        train_vectorized(sents, vocab, dim=4, epochs=1, input_role="output", **QUIET)
    with pytest.raises(ValueError, match="init_scale must be > 0"):
        train_vectorized(sents, vocab, dim=4, epochs=1, init_scale=0.0, **QUIET)
