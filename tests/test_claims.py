"""The experiment functions of Part II: exact where they can be, calibrated where they measure."""

from collections import Counter

import numpy as np
import pytest

from skipgram_lab.book import claims
from skipgram_lab import negative_sampling as ns
from skipgram_lab.corpus import Vocab, tokenize, toy_corpus
from skipgram_lab.embeddings import Embeddings
from skipgram_lab.evaluate import knn_purity
from skipgram_lab.gradcheck import numerical_gradient
from skipgram_lab.noise import NoiseSampler
from skipgram_lab.pairs import cooccurrence_counts, skipgram_pairs
from skipgram_lab.synthetic import generate
from skipgram_lab.teaching import train_negative_sampling
from skipgram_lab.training import Snapshot


@pytest.fixture(scope="module")
def toy():
    sentences = [tokenize(s) for s in toy_corpus()]
    vocab = Vocab.from_sentences(sentences)
    return vocab.encode_sentences(sentences), vocab


@pytest.fixture(scope="module")
def planted():
    corpus = generate(3000, rng=0)
    return corpus, corpus.encoded()


def tied_loss(W, w, c, negatives):
    return ns.loss_and_grad(W[w], W[c], W[negatives])[0]


# ---- the tied step ------------------------------------------------------------------------
@pytest.mark.parametrize("w, c, negatives", [(0, 1, [2, 3]), (2, 2, [0, 1]), (1, 3, [1, 1, 0]),
                                             (3, 0, [])])
def test_tied_step_is_gradient_descent_on_the_shared_matrix(w, c, negatives):
    rng = np.random.default_rng(3)
    W = rng.normal(scale=0.5, size=(4, 3))
    negs = np.array(negatives, dtype=np.int64)
    grad = numerical_gradient(lambda: tied_loss(W, w, c, negs), W)
    expected = W - 0.1 * grad
    loss = claims.tied_sgd_step(W, w, c, negs, 0.1)
    np.testing.assert_allclose(W, expected, atol=1e-8)
    assert loss == pytest.approx(tied_loss(expected + 0.1 * grad, w, c, negs))


def test_tied_step_with_w_equal_c_pushes_the_row_along_itself():
    W = np.array([[0.3, -0.4], [1.0, 1.0]])
    p = ns.sigmoid(W[0] @ W[0])
    before = W[0].copy()
    claims.tied_sgd_step(W, 0, 0, [], lr=0.2)
    np.testing.assert_allclose(W[0], before * (1 + 2 * 0.2 * (1 - p)))
    np.testing.assert_array_equal(W[1], [1.0, 1.0])


def test_tied_step_drops_a_negative_equal_to_the_context():
    W = np.random.default_rng(0).normal(size=(3, 2))
    W2 = W.copy()
    claims.tied_sgd_step(W, 0, 1, [1, 2], 0.1)
    claims.tied_sgd_step(W2, 0, 1, [2], 0.1)
    np.testing.assert_array_equal(W, W2)


# ---- the trainer --------------------------------------------------------------------------
def test_train_pairs_with_one_pair_per_step_is_the_teaching_loop(toy):
    sentences, vocab = toy
    pairs = skipgram_pairs(sentences, 2)
    kw = dict(dim=6, negatives=3, lr=0.05, min_lr=0.001, epochs=2, rng=4)
    ref = train_negative_sampling(sentences, vocab, window=2, **kw)
    got = claims.train_pairs(pairs, vocab, batch_size=1, **kw)
    np.testing.assert_allclose(got.E, ref.E, atol=1e-10)
    np.testing.assert_allclose(got.O, ref.O, atol=1e-10)
    np.testing.assert_allclose(got.history["loss"], ref.history["loss"], rtol=1e-10)


def test_tied_trainer_with_one_pair_per_step_is_the_tied_step_in_a_loop(toy):
    sentences, vocab = toy
    pairs = skipgram_pairs(sentences, 2)
    got = claims.train_pairs(pairs, vocab, tied=True, dim=5, negatives=2, lr=0.05, min_lr=None,
                             epochs=1, batch_size=1, rng=1)
    assert got.E is got.O
    rng = np.random.default_rng(1)
    W = (rng.random((len(vocab), 5)) - 0.5) / 5
    sampler = NoiseSampler.from_counts(vocab.counts, 0.75)
    for w, c in pairs:
        claims.tied_sgd_step(W, w, c, sampler.draw(rng, 2), 0.05)
    np.testing.assert_allclose(got.E, W, atol=1e-12)


def test_train_pairs_is_reproducible_and_keeps_snapshots(toy):
    sentences, vocab = toy
    pairs = skipgram_pairs(sentences, 2)
    a = claims.train_pairs(pairs, vocab, dim=4, epochs=2, batch_size=16, rng=7, snapshot_every=10)
    b = claims.train_pairs(pairs, vocab, dim=4, epochs=2, batch_size=16, rng=7)
    np.testing.assert_array_equal(a.E, b.E)
    steps = [s.step for s in a.snapshots]
    n_steps = 2 * int(np.ceil(len(pairs) / 16))
    assert steps[0] == 0 and steps[-1] == n_steps and steps == sorted(set(steps))
    assert not np.array_equal(a.snapshots[0].E, a.snapshots[-1].E)


@pytest.mark.parametrize("kwargs, message", [
    (dict(pairs=np.zeros((0, 2), int)), "non-empty"),
    (dict(pairs=np.zeros((3, 3), int)), "(P, 2)"),
    (dict(batch_size=0), "batch_size must be >= 1"),
    (dict(dim=0), "dim must be >= 1"),
    (dict(pairs=np.array([[0, 999]])), "pairs must be ids"),
])
def test_train_pairs_bad_input_says_what_to_fix(toy, kwargs, message):
    sentences, vocab = toy
    args = dict(pairs=skipgram_pairs(sentences, 1), batch_size=8)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        claims.train_pairs(args.pop("pairs"), vocab, **args)


def test_tying_raises_the_loss_but_keeps_the_groups(planted):
    corpus, sentences = planted
    pairs = skipgram_pairs(sentences, 2)
    kw = dict(dim=20, epochs=5, lr=0.05, batch_size=64, rng=0)
    two = claims.train_pairs(pairs, corpus.vocab, **kw)
    one = claims.train_pairs(pairs, corpus.vocab, tied=True, **kw)
    assert one.history["loss"][-1] > two.history["loss"][-1] + 0.5
    chance = knn_purity(two.embeddings, corpus.truth.groups).chance
    for result in (two, one):
        assert knn_purity(result.embeddings, corpus.truth.groups).purity > 5 * chance
    assert claims.score_asymmetry(one.E, one.O) == 0.0
    assert claims.self_probability(one.E, one.O).min() >= 0.5
    assert claims.self_probability(two.E, two.O).min() < 0.5


def test_row_gradient_matches_finite_differences_and_rows_with_one_pi_meet():
    rng = np.random.default_rng(0)
    V, d = 7, 3
    O = rng.normal(size=(V, d))
    pi = rng.dirichlet(np.ones(V))
    q = rng.dirichlet(np.ones(V))
    x = rng.normal(size=d)
    loss, grad = claims.row_loss_and_grad(x, O, pi, q, 5)
    num = numerical_gradient(lambda: claims.row_loss_and_grad(x, O, pi, q, 5)[0], x)
    np.testing.assert_allclose(grad, num, atol=1e-7)
    a = claims.descend_row(O, pi, q, 5, rng.normal(size=d), 0.1, 3000)
    b = claims.descend_row(O, pi, q, 5, rng.normal(size=d), 0.1, 3000)
    dist = np.linalg.norm(a - b, axis=1)
    assert dist[-1] < 1e-3 * dist[0] and np.all(np.diff(dist) <= 1e-12)
    assert a.shape == (3001, d)


# ---- order ---------------------------------------------------------------------------------
def test_shuffle_keeps_the_words_of_each_sentence_and_is_seeded():
    sentences = [np.arange(6), np.array([3, 3, 1])]
    a = claims.shuffle_within_sentences(sentences, 0)
    b = claims.shuffle_within_sentences(sentences, 0)
    for s, x, y in zip(sentences, a, b):
        assert sorted(x.tolist()) == sorted(s.tolist())
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], sentences[0])


def test_reversed_sentences_give_the_same_pairs_and_the_same_window_score(toy):
    sentences, vocab = toy
    rev = claims.reverse_sentences(sentences)
    pairs = lambda s: Counter(map(tuple, skipgram_pairs(s, 3).tolist()))  # noqa: E731
    assert pairs(sentences) == pairs(rev)
    rng = np.random.default_rng(0)
    E, O = rng.normal(size=(len(vocab), 4)), rng.normal(size=(len(vocab), 4))
    s = sentences[0]
    assert claims.window_score(E, O, s, 2) == pytest.approx(claims.window_score(E, O, s[::-1], 2))
    manual = sum(np.log(ns.sigmoid(E[w] @ O[c])) for w, c in skipgram_pairs([s], 2))
    assert claims.window_score(E, O, s, 2) == pytest.approx(manual)


def test_forward_pairs_are_the_right_half_of_the_window():
    sentences = [np.array([4, 1, 7, 4]), np.array([2, 9])]
    fwd = claims.forward_pairs(sentences, 2)
    assert fwd.tolist() == [[4, 1], [4, 7], [1, 7], [1, 4], [7, 4], [2, 9]]
    both = Counter(map(tuple, skipgram_pairs(sentences, 2).tolist()))
    back = Counter((c, w) for w, c in fwd.tolist())
    assert Counter(map(tuple, fwd.tolist())) + back == both


def test_order_correlation_is_plus_or_minus_one_for_monotone_values():
    assert claims.order_correlation([1, 2, 5, 9], "abcd") == pytest.approx(1.0)
    assert claims.order_correlation([9, 5, 2, 1], "abcd") == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="same length"):
        claims.order_correlation([1, 2, 3], "ab")


# ---- per-word numbers ----------------------------------------------------------------------
def small_embeddings():
    E = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9], [-1.0, 0.2], [0.95, -0.1]])
    vocab = Vocab(["walk", "walks", "cook", "cooks", "pear", "walked"], [5, 4, 3, 2, 2, 1])
    return Embeddings(E, E.copy(), vocab)


def test_neighbour_rank_counts_strictly_closer_tokens():
    emb = small_embeddings()
    assert claims.neighbour_rank(emb, "walk", "walked") == 1
    assert claims.neighbour_rank(emb, "walk", "walks") == 2
    assert claims.neighbour_rank(emb, "walk", "pear") == 5


def test_morphology_cosines_compare_stems_with_forms():
    emb = small_embeddings()
    out = claims.morphology_cosines(emb, [("walk", "walks"), ("cook", "cooks")])
    assert out["same stem"] > 0.99 and out["same form"] < 0.2 and out["rank"] == 1.25
    with pytest.raises(ValueError, match="same length"):
        claims.morphology_cosines(emb, [("walk", "walks"), ("cook",)])


def test_word_purity_averages_to_knn_purity(planted):
    corpus, sentences = planted
    result = claims.train_pairs(skipgram_pairs(sentences, 2), corpus.vocab, dim=10, epochs=1, rng=0)
    groups = corpus.truth.groups
    per_word = claims.word_purity(result.embeddings, groups, list(groups), k=3)
    assert per_word.mean() == pytest.approx(knn_purity(result.embeddings, groups, k=3).purity)
    with pytest.raises(ValueError, match="grouped words"):
        claims.word_purity(result.embeddings, groups, ["the"])


def test_link_gap_ignores_row_and_column_effects():
    rng = np.random.default_rng(0)
    n, d = 4, 12
    E = np.hstack([np.eye(n), rng.normal(size=(n, 1)), np.ones((n, 1))])
    O = np.hstack([0.7 * np.eye(n), np.ones((n, 1)), rng.normal(size=(n, 1))])
    gap, acc = claims.link_gap(E, O, np.arange(n), np.arange(n))
    assert gap == pytest.approx(0.7) and acc == 1.0
    gap, acc = claims.link_gap(E[:, n:], O[:, n:], np.arange(n), np.arange(n))  # effects only
    assert gap == pytest.approx(0.0, abs=1e-12)
    assert d > 0


def test_score_asymmetry_and_self_probability():
    E = np.array([[1.0, 0.0], [0.0, 1.0]])
    O = np.array([[0.0, 1.0], [0.0, 0.0]])  # S = [[0, 1], [0, 0]]: fully asymmetric
    assert claims.score_asymmetry(E, O) == pytest.approx(np.sqrt(2))
    assert claims.score_asymmetry(E, E) == 0.0
    np.testing.assert_allclose(claims.self_probability(E, -E), ns.sigmoid(-1.0))


# ---- along training ------------------------------------------------------------------------
def test_snapshot_metrics_follow_training(planted):
    corpus, sentences = planted
    V = len(corpus.vocab)
    result = claims.train_pairs(skipgram_pairs(sentences, 2), corpus.vocab, dim=10, epochs=2,
                                lr=0.05, batch_size=128, rng=0, snapshot_every=100)
    C = cooccurrence_counts(sentences, 2, V)
    m = claims.snapshot_metrics(result.snapshots, corpus.vocab, corpus.truth.groups, C)
    assert len(m["step"]) == len(m["purity"]) == len(m["loss"]) == len(result.snapshots)
    assert m["purity"][-1] > 3 * m["purity"][0]
    assert m["loss"][-1] < m["loss"][0]
    assert m["loss"][0] == pytest.approx(6 * np.log(2), rel=0.01)  # O = 0: every p = 1/2
    with pytest.raises(ValueError, match="snapshots is empty"):
        claims.snapshot_metrics([], corpus.vocab, corpus.truth.groups, C)
    assert isinstance(result.snapshots[0], Snapshot)


@pytest.mark.parametrize("n, m", [(1, 5), (5, 5), (100, 12), (1000, 40)])
def test_pick_frames_is_increasing_and_dense_at_the_start(n, m):
    idx = claims.pick_frames(n, m)
    assert idx[0] == 0 and idx[-1] == n - 1 and len(idx) <= m
    assert np.all(np.diff(idx) > 0)
    if n > m:
        assert idx[2] - idx[1] <= idx[-1] - idx[-2]


def test_common_direction_of_parallel_and_of_random_rows():
    rng = np.random.default_rng(0)
    shared = np.array([1.0, 0.0, 0.0])
    spread_ = np.array([0.0, 1.0, 0.0])
    M = 3 * shared + rng.normal(size=(200, 1)) * 0.3 * spread_  # all near one direction, spread along y
    c = claims.common_direction(M)
    assert c.length > 0.95 and c.pc1_cosine < 0.05 and c.pc1_share > 0.99  # PCA shows y, not the shared x
    r = claims.common_direction(rng.normal(size=(2000, 3)))
    assert r.length < 0.05
    exact = claims.common_direction(np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert exact.length == pytest.approx(np.sqrt(0.5)) and exact.pc1_share == pytest.approx(1.0)
    assert exact.pc1_cosine == pytest.approx(0.0, abs=1e-12)


def test_divergence_names_the_epoch_or_the_entry(toy):
    sentences, vocab = toy
    pairs = skipgram_pairs(sentences, 2)
    good = claims.train_pairs(pairs, vocab, dim=4, epochs=2, rng=0)
    assert claims.divergence(good) == ""
    bad = claims.train_pairs(pairs, vocab, dim=4, epochs=2, rng=0)
    bad.history["loss"][1] = 1e206
    assert claims.divergence(bad).startswith("epoch 1 mean loss 1e+206")
    bad.history["loss"][1] = 1.0
    bad.embeddings.O[0, 0] = np.inf
    assert claims.divergence(bad).startswith("largest |O| entry inf")


def test_lr_sweep_keeps_converged_runs_and_marks_diverged_ones(toy):
    sentences, vocab = toy
    pairs = skipgram_pairs(sentences, 2)
    runs = claims.lr_sweep(pairs, vocab, [0.025, 50.0], [0, 1], tied=(True,), dim=4, epochs=3)
    assert [(r.tied, r.lr, r.seed) for r in runs] == [(True, 0.025, 0), (True, 0.025, 1),
                                                      (True, 50.0, 0), (True, 50.0, 1)]
    assert all(r.diverged == "" and r.result is not None and np.isfinite(r.loss) for r in runs[:2])
    assert runs[0].loss == claims.train_pairs(pairs, vocab, tied=True, dim=4, epochs=3, lr=0.025,
                                              rng=0).history["loss"][-1]
    assert all(r.diverged and r.result is None and np.isnan(r.loss) for r in runs[2:])


def test_frequent_neighbour_share_counts_frequent_tokens_among_the_nearest():
    # ids 0, 1 frequent; word "c" has neighbours a (frequent), d, b (frequent) in that order
    E = np.array([[1.0, 0.1], [0.5, 0.5], [1.0, 0.0], [0.9, -0.3], [-1.0, 0.0]])
    vocab = Vocab(["a", "b", "c", "d", "e"], [9, 8, 3, 2, 1])
    emb = Embeddings(E, E, vocab)
    share, chance = claims.frequent_neighbour_share(emb, ["c"], n_frequent=2, k=2)
    assert share == 0.5 and chance == 2 / 4
    share, _ = claims.frequent_neighbour_share(emb, ["c"], n_frequent=2, k=3)
    assert share == pytest.approx(2 / 3)
