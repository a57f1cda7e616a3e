"""Skip-gram with character n-grams: n-grams, the table, finite differences, batch == pair by pair."""

import numpy as np
import pytest

from skipgram_lab.corpus import Vocab
from skipgram_lab.gradcheck import gradcheck
from skipgram_lab.subword_ngrams import (
    char_ngrams, loss_and_grad, ngram_table, subword_pairs_step, train_subword, word_vectors,
)
from skipgram_lab import negative_sampling as ns


def small_table(n_max=4):
    vocab = Vocab(["walk", "walks", "walked", "dog", "dogs"], [5, 4, 3, 2, 1])
    return ngram_table(vocab, 3, n_max)


def test_char_ngrams_mark_the_word_and_leave_out_the_whole_word():
    assert char_ngrams("dog", 3, 6) == ["<do", "dog", "og>", "<dog", "dog>"]
    assert char_ngrams("a", 3, 6) == []  # "<a>" itself is the whole word
    assert all(3 <= len(g) <= 6 for g in char_ngrams("walking"))
    assert len(char_ngrams("walking")) == 7 + 6 + 5 + 4  # "<walking>" has 9 characters


def test_table_rows_are_the_word_then_its_distinct_ngrams_with_mean_weights():
    t = small_table()
    V = len(t.vocab)
    assert t.n_rows == V + len(t.ngrams)
    np.testing.assert_allclose(t.weight.sum(axis=1), 1.0)
    for w, word in enumerate(t.vocab.tokens):
        real = t.weight[w] > 0
        assert t.rows[w, 0] == w and t.rows[w, real].tolist() == t.pieces(word)
        assert [t.ngrams[j - V] for j in t.rows[w, real][1:]] == list(dict.fromkeys(char_ngrams(word, 3, 4)))
    # an unseen word gets the known n-grams only; shared n-grams are shared rows
    assert set(t.pieces("walking")) == {V + t.ngrams.index(g) for g in ("<wa", "wal", "alk", "<wal", "walk")}
    assert t.pieces("xyz") == []
    words_only = ngram_table(t.vocab, n_max=0)
    assert words_only.ngrams == [] and words_only.rows.shape == (V, 1)


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    args = dict(Z_w=rng.normal(size=(6, 4)), o_c=rng.normal(size=4), O_neg=rng.normal(size=(3, 4)))
    report = gradcheck(loss_and_grad, args, ["Z_w", "o_c", "O_neg"])
    assert report.passed, str(report)


def test_one_row_is_plain_negative_sampling():
    rng = np.random.default_rng(1)
    e, o, O_neg = rng.normal(size=4), rng.normal(size=4), rng.normal(size=(2, 4))
    got = loss_and_grad(e[None], o, O_neg)
    ref = ns.loss_and_grad(e, o, O_neg)
    assert got[0] == pytest.approx(ref[0])
    for g, r in zip((got[1][0],) + got[2:], ref[1:]):
        np.testing.assert_allclose(g, r, rtol=1e-14)


def test_batch_step_adds_the_per_pair_gradients_at_the_old_values():
    t = small_table()
    rng = np.random.default_rng(2)
    Z, O = rng.normal(size=(t.n_rows, 4)), rng.normal(size=(len(t.vocab), 4))
    w, c = np.array([1, 2, 1]), np.array([3, 0, 4])
    negatives = np.array([[0, 4], [2, 2], [4, 3]])  # a noise id equal to c gets weight 0
    Z_ref, O_ref = Z.copy(), O.copy()
    total = 0.0
    for b in range(3):
        keep = negatives[b][negatives[b] != c[b]]
        rows = t.pieces(t.vocab.tokens[w[b]])
        loss, gZ, go, gneg = loss_and_grad(Z[rows], O[c[b]], O[keep])
        total += loss
        np.add.at(Z_ref, rows, -0.1 * gZ)
        O_ref[c[b]] -= 0.1 * go
        np.add.at(O_ref, keep, -0.1 * gneg)
    got = subword_pairs_step(Z, O, t, w, c, negatives, 0.1)
    assert got == pytest.approx(total, rel=1e-12)
    np.testing.assert_allclose(Z, Z_ref, atol=1e-12)
    np.testing.assert_allclose(O, O_ref, atol=1e-12)


def test_training_is_seeded_learns_and_gives_unseen_words_vectors():
    rng = np.random.default_rng(3)
    t = small_table()
    sentences = [rng.integers(0, len(t.vocab), size=8) for _ in range(60)]
    kwargs = dict(dim=8, window=2, epochs=4, lr=0.05, rng=0)
    a, b = train_subword(sentences, t, **kwargs), train_subword(sentences, t, **kwargs)
    assert np.array_equal(a.Z, b.Z) and a.history["loss"][-1] < a.history["loss"][0]
    assert a.embeddings.E.shape == (len(t.vocab), 8)
    np.testing.assert_allclose(a.embeddings.E[1], a.Z[t.pieces("walks")].mean(axis=0), rtol=1e-6)
    oov = word_vectors(a.Z, t, ["walking", "xyz"])
    assert np.abs(oov[0]).sum() > 0 and np.all(oov[1] == 0)


def test_bad_input_is_named():
    t = small_table()
    with pytest.raises(ValueError, match="word must"):
        char_ngrams("")
    with pytest.raises(ValueError, match="n_max"):
        ngram_table(t.vocab, 4, 3)
    with pytest.raises(ValueError, match="Z_w"):
        loss_and_grad(np.zeros((0, 3)), np.zeros(3), np.zeros((1, 3)))
    with pytest.raises(ValueError, match="table must"):
        train_subword([np.array([0, 1])], t.vocab)
    with pytest.raises(ValueError, match="window"):
        train_subword([np.array([0, 1])], t, window=0)
    with pytest.raises(ValueError, match="sentences"):
        train_subword([np.array([0, 99])], t)
    with pytest.raises(ValueError, match="Z must"):
        word_vectors(np.zeros((3, 2)), t, ["dog"])


def test_gensim_update_gives_every_piece_row_the_whole_input_gradient():
    t = small_table()
    rng = np.random.default_rng(4)
    Z, O = rng.normal(size=(t.n_rows, 4)), rng.normal(size=(len(t.vocab), 4))
    w, c = np.array([2, 2, 0]), np.array([3, 1, 4])
    negatives = np.array([[0, 4], [3, 3], [1, 2]])
    Z_grad, O_grad = Z.copy(), O.copy()
    subword_pairs_step(Z_grad, O_grad, t, w, c, negatives, 0.1, input_update="gradient")
    Z_ref = Z.copy()
    for b in range(3):
        keep = negatives[b][negatives[b] != c[b]]
        rows = t.pieces(t.vocab.tokens[w[b]])
        _, gZ, _, _ = loss_and_grad(Z[rows], O[c[b]], O[keep])
        np.add.at(Z_ref, rows, -0.1 * gZ * len(rows))  # the whole dL/dh on every row
    O_gensim = O.copy()
    subword_pairs_step(Z, O_gensim, t, w, c, negatives, 0.1, input_update="gensim")
    np.testing.assert_allclose(Z, Z_ref, atol=1e-12)
    np.testing.assert_allclose(O_gensim, O_grad, atol=1e-12)  # the output rows move as before
    # the word model (one row per word) is the same under both rules
    words_only = ngram_table(t.vocab, n_max=0)
    kw = dict(dim=4, window=1, epochs=1, rng=5, dtype=np.float64)
    sents = [np.array([0, 1, 2, 3, 4, 1])]
    a = train_subword(sents, words_only, input_update="gradient", **kw)
    b = train_subword(sents, words_only, input_update="gensim", **kw)
    np.testing.assert_allclose(a.Z, b.Z, atol=1e-14)


def test_bad_input_update_is_named():
    t = small_table()
    with pytest.raises(ValueError, match="input_update"):
        train_subword([np.array([0, 1])], t, input_update="fasttext")
    with pytest.raises(ValueError, match="input_update"):
        subword_pairs_step(np.zeros((t.n_rows, 2)), np.zeros((5, 2)), t, np.array([0]), np.array([1]),
                           np.array([[2]]), 0.1, input_update="sum")


def test_a_repeated_ngram_counts_once_in_training_and_in_the_word_vector():
    vocab = Vocab(["banana", "bananas", "band"], [3, 2, 1])
    t = ngram_table(vocab, 3, 3)
    assert char_ngrams("banana", 3, 3).count("ana") == 2
    for w, word in enumerate(vocab.tokens):
        assert t.pieces(word) == t.rows[w, t.weight[w] > 0].tolist()
    Z = np.random.default_rng(6).normal(size=(t.n_rows, 3))
    np.testing.assert_allclose(word_vectors(Z, t, ["banana"])[0],
                               np.einsum("g,gd->d", t.weight[0], Z[t.rows[0]]))
