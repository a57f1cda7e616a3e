"""Chapter 14's runs: the exposed trainer reproduces the teaching loop; the diagnostics measure what they say."""

import numpy as np
import pytest

from skipgram_lab import negative_sampling as ns
from skipgram_lab.book import troubleshooting as tr
from skipgram_lab.corpus import Vocab
from skipgram_lab.embeddings import Embeddings
from skipgram_lab.teaching import train_negative_sampling


def test_correct_gradient_and_order_reproduce_the_teaching_loop(toy):
    sentences, vocab = toy
    emb, losses = tr.train_pairs_with(ns.loss_and_grad, sentences, vocab, dim=6, epochs=2, rng=5)
    ref = train_negative_sampling(sentences, vocab, dim=6, epochs=2, rng=5)
    np.testing.assert_allclose(emb.E, ref.E, atol=1e-12)
    np.testing.assert_allclose(emb.O, ref.O, atol=1e-12)
    np.testing.assert_allclose(losses, ref.history["loss"], rtol=1e-12)


def test_sequential_order_changes_the_vectors(toy):
    sentences, vocab = toy
    a, _ = tr.train_pairs_with(ns.loss_and_grad, sentences, vocab, dim=6, epochs=1, rng=5)
    b, _ = tr.train_pairs_with(ns.loss_and_grad, sentences, vocab, dim=6, epochs=1, rng=5, order="sequential")
    gap = np.abs(a.O - b.O).max()
    assert gap > 1e-3


def test_frequent_share_by_cosine_and_by_dot():
    vocab = Vocab(["the", "dog", "cat", "red"], [100, 5, 5, 5])
    E = np.array([[10.0, 10.0], [1.0, 0.2], [1.0, 0.3], [0.2, 1.0]])
    emb = Embeddings(E, np.zeros_like(E), vocab)
    assert tr.frequent_share(emb, ["dog"], n_frequent=1, k=1) == 0.0  # cat is the closest by angle
    assert tr.frequent_share(emb, ["dog"], n_frequent=1, k=1, rank_by="dot") == 1.0  # the has the length
    with pytest.raises(ValueError, match="rank_by must be one of"):
        tr.frequent_share(emb, ["dog"], rank_by="euclid")


def test_remove_common_direction_centres_the_rows():
    rng = np.random.default_rng(0)
    E = rng.normal(size=(20, 3)) + 5.0
    emb = Embeddings(E, np.zeros_like(E), Vocab([f"w{i}" for i in range(20)], np.ones(20, int)))
    np.testing.assert_allclose(tr.remove_common_direction(emb).E.mean(axis=0), 0.0, atol=1e-12)


def test_permute_tokens_keeps_counts_and_lengths():
    sentences = [np.array([1, 2, 3]), np.array([4, 4]), np.array([5])]
    out = tr.permute_tokens(sentences, rng=0)
    assert [len(s) for s in out] == [3, 2, 1]
    assert sorted(np.concatenate(out).tolist()) == [1, 2, 3, 4, 4, 5]
