"""The per-pair trainers: equations in a loop, determinism, learning, bad input."""

import numpy as np
import pytest

from skipgram_lab import negative_sampling as ns
from skipgram_lab.corpus import Vocab
from skipgram_lab.noise import NoiseSampler, drop_positive
from skipgram_lab.pairs import skipgram_pairs
from skipgram_lab.teaching import train_full_softmax, train_negative_sampling
from skipgram_lab.training import init_vectors, linear_lr


def two_groups(n_sentences=300, seed=0):
    """Animals only meet animal verbs, fruits only fruit verbs: two obvious groups."""
    rng = np.random.default_rng(seed)
    animals, fruits = ["cat", "dog", "cow", "pig"], ["apple", "pear", "plum", "fig"]
    a_verbs, f_verbs = ["runs", "barks", "sleeps"], ["ripens", "falls", "rots"]
    sents = []
    for _ in range(n_sentences):
        if rng.random() < 0.5:
            sents.append(["the", animals[rng.integers(4)], a_verbs[rng.integers(3)]])
        else:
            sents.append(["the", fruits[rng.integers(4)], f_verbs[rng.integers(3)]])
    vocab = Vocab.from_sentences(sents)
    return vocab.encode_sentences(sents), vocab, animals, fruits


def group_gap(emb, a, b):
    within = np.mean([emb.similarity(x, y) for g in (a, b) for x in g for y in g if x != y])
    across = np.mean([emb.similarity(x, y) for x in a for y in b])
    return within, across


def test_init_is_word2vec_c():
    E, O = init_vectors(7, 4, np.random.default_rng(0))
    assert np.all(np.abs(E) <= 0.5 / 4) and np.all(O == 0)


def test_linear_lr():
    assert linear_lr(0.025, None, 0.7) == 0.025
    assert linear_lr(0.025, 0.0001, 0.0) == 0.025
    assert linear_lr(0.025, 0.0001, 1.0) == pytest.approx(0.0001)
    assert linear_lr(0.025, 0.0001, 0.5) == pytest.approx((0.025 + 0.0001) / 2)


def test_loop_is_exactly_the_step_function_in_order(toy):
    """Re-running the equations by hand, pair by pair, gives the trainer's vectors bit for bit."""
    ids, vocab = toy
    result = train_negative_sampling(ids, vocab, dim=5, window=2, negatives=3, lr=0.05, epochs=1, rng=11)
    rng = np.random.default_rng(11)
    E, O = init_vectors(len(vocab), 5, rng)
    sampler = NoiseSampler.from_counts(vocab.counts, 0.75)
    losses = []
    for w, c in skipgram_pairs(ids, 2):
        negs = drop_positive(sampler.draw(rng, 3), c)
        losses.append(ns.sgd_step(E, O, w, c, negs, 0.05).loss)
    np.testing.assert_array_equal(result.E, E)
    np.testing.assert_array_equal(result.O, O)
    assert result.history["loss"][0] == pytest.approx(np.mean(losses), rel=1e-12)


def test_same_seed_same_vectors_bit_for_bit(toy):
    ids, vocab = toy
    kw = dict(dim=8, epochs=2, subsample=1e-2, dynamic_window=True, min_lr=0.001)
    a = train_negative_sampling(ids, vocab, rng=3, **kw)
    b = train_negative_sampling(ids, vocab, rng=3, **kw)
    c = train_negative_sampling(ids, vocab, rng=4, **kw)
    np.testing.assert_array_equal(a.E, b.E)
    np.testing.assert_array_equal(a.O, b.O)
    assert not np.array_equal(a.E, c.E)
    s1 = train_full_softmax(ids, vocab, dim=4, epochs=1, rng=5)
    s2 = train_full_softmax(ids, vocab, dim=4, epochs=1, rng=5)
    np.testing.assert_array_equal(s1.E, s2.E)


@pytest.mark.parametrize("trainer", [train_negative_sampling, train_full_softmax])
def test_loss_goes_down_on_the_toy_corpus(toy, trainer):
    ids, vocab = toy
    r = trainer(ids, vocab, dim=10, epochs=8, lr=0.05, rng=0)
    loss = r.history["loss"]
    assert len(loss) == 8 and all(isinstance(x, float) for x in loss)
    assert loss[-1] < 0.8 * loss[0]
    assert r.history["pairs"][0] == len(skipgram_pairs(ids, 2))


@pytest.mark.parametrize("trainer,lr", [(train_negative_sampling, 0.05), (train_full_softmax, 0.1)])
def test_two_obvious_groups_separate(trainer, lr):
    """Calibrated: over 5 seeds the within-group cosine beats the across-group one by a wide margin."""
    ids, vocab, animals, fruits = two_groups()
    gaps = []
    for seed in range(5):
        r = trainer(ids, vocab, dim=10, window=2, lr=lr, epochs=5, rng=seed)
        within, across = group_gap(r.embeddings, animals, fruits)
        gaps.append(within - across)
    assert min(gaps) > 0.3, gaps


def test_snapshots_for_animation(toy):
    ids, vocab = toy
    r = train_negative_sampling(ids, vocab, dim=3, epochs=2, rng=0, snapshot_every=100)
    steps = [s.step for s in r.snapshots]
    total = sum(r.history["pairs"])
    assert steps[0] == 0 and steps[-1] == total and steps[1] == 100
    np.testing.assert_array_equal(r.snapshots[-1].E, r.E)
    assert not np.array_equal(r.snapshots[0].E, r.snapshots[-1].E)


def test_given_init_is_copied_not_modified(toy):
    ids, vocab = toy
    E0, O0 = init_vectors(len(vocab), 4, np.random.default_rng(9))
    E_keep = E0.copy()
    r = train_negative_sampling(ids, vocab, dim=4, epochs=1, init=(E0, O0), rng=1)
    np.testing.assert_array_equal(E0, E_keep)
    assert not np.array_equal(r.E, E0)


def test_float32_training(toy):
    ids, vocab = toy
    r = train_negative_sampling(ids, vocab, dim=6, epochs=2, rng=0, dtype=np.float32)
    assert r.E.dtype == np.float32 and np.all(np.isfinite(r.E))


def test_divergence_names_the_step_and_suggests_a_smaller_lr(toy):
    ids, vocab = toy
    E, O = init_vectors(len(vocab), 4, np.random.default_rng(0))
    E[:] = 1e200
    O[:] = 1e200
    with pytest.raises(ns.TrainingDiverged, match=r"at step 0 .*smaller lr"):
        train_negative_sampling(ids, vocab, dim=4, epochs=1, init=(E, O), lr=1e200, rng=0)
