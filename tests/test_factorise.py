"""The SGNS optimum: exact algebra first, then the trainer lands near it."""

import numpy as np
import pytest

from skipgram_lab import factorise, pmi
from skipgram_lab.corpus import Vocab, tokenize, toy_corpus
from skipgram_lab.noise import noise_distribution
from skipgram_lab.pairs import cooccurrence_counts


@pytest.fixture(scope="module")
def toy():
    sentences = [tokenize(s) for s in toy_corpus()]
    vocab = Vocab.from_sentences(sentences)
    ids = vocab.encode_sentences(sentences)
    return vocab, ids, cooccurrence_counts(ids, 2, len(vocab))


def test_optimum_is_where_the_cell_loss_is_flat():
    n_pos, n_neg = 3.0, 7.5
    x_star = factorise.sgns_optimum(np.array([[n_pos, 0.0], [1.0, 1.0]]),
                                    np.array([1.0, 0.0]), K=1, drop_positive=False)[0, 0]
    # with q = (1, 0) and #(w) = 3, N[0, 0] = 3: x* = log(3 / 3) = 0
    assert x_star == 0.0
    x_star = np.log(n_pos / n_neg)
    h = 1e-5
    slope = (factorise.cell_loss(x_star + h, n_pos, n_neg)
             - factorise.cell_loss(x_star - h, n_pos, n_neg)) / (2 * h)
    assert abs(slope) < 1e-8
    grid = np.linspace(x_star - 3, x_star + 3, 601)
    assert np.all(factorise.cell_loss(grid, n_pos, n_neg)
                  >= factorise.cell_loss(x_star, n_pos, n_neg) - 1e-12)


def test_unigram_noise_without_dropping_gives_shifted_pmi(toy):
    _, _, C = toy
    K = 5
    q = C.sum(axis=0) / C.sum()  # the context marginal of the pairs
    x = factorise.sgns_optimum(C, q, K, drop_positive=False)
    T = pmi.shifted_pmi(C, K)
    seen = C > 0
    np.testing.assert_allclose(x[seen], T[seen], atol=1e-12)
    assert np.all(np.isneginf(x[~seen]))


def test_noise_power_gives_the_power_pmi(toy):
    _, _, C = toy
    marginal = C.sum(axis=0).astype(float)
    q = marginal**0.75 / np.sum(marginal**0.75)
    x = factorise.sgns_optimum(C, q, 3, drop_positive=False)
    T = pmi.shifted_pmi(C, 3, context_power=0.75)
    np.testing.assert_allclose(x[C > 0], T[C > 0], atol=1e-12)


def test_dropping_the_positive_adds_log_nw_over_nw_minus_nwc(toy):
    vocab, _, C = toy
    q = noise_distribution(vocab.counts, 1.0)
    with_drop = factorise.sgns_optimum(C, q, 5)
    without = factorise.sgns_optimum(C, q, 5, drop_positive=False)
    n_w = C.sum(axis=1, keepdims=True)
    seen = C > 0
    expected = np.log(n_w) - np.log(n_w - C)  # +inf where w is seen with c alone
    np.testing.assert_allclose(with_drop[seen] - without[seen], np.broadcast_to(expected, C.shape)[seen])


def test_optimum_minimises_the_expected_loss(toy):
    vocab, _, C = toy
    V = len(vocab)
    q = noise_distribution(vocab.counts, 0.75)
    x = factorise.sgns_optimum(C, q, 5)
    # a rank-V factorisation of the finite target, with unseen cells set very low
    target = np.where(np.isfinite(x), x, -30.0)
    E, O = target.copy(), np.eye(V)
    best = factorise.expected_loss(E, O, C, q, 5)
    rng = np.random.default_rng(0)
    for _ in range(5):
        E2 = E + 0.05 * rng.normal(size=E.shape)
        assert factorise.expected_loss(E2, O, C, q, 5) > best


def test_trainer_approaches_the_optimum(toy):
    from skipgram_lab.teaching import train_negative_sampling
    vocab, ids, C = toy
    result = train_negative_sampling(ids, vocab, dim=len(vocab), window=2, negatives=5,
                                     lr=0.2, min_lr=1e-4, epochs=60, noise_power=1.0, rng=0)
    q = noise_distribution(vocab.counts, 1.0)
    agree = pmi.score_agreement(result.E @ result.O.T, factorise.sgns_optimum(C, q, 5))
    assert agree.n_cells == int((C > 0).sum())
    assert agree.correlation > 0.85  # 0.94 with this seed


def test_score_agreement_and_bad_input():
    T = np.array([[1.0, -np.inf], [2.0, 3.0]])
    a = pmi.score_agreement(2 * T, T)
    assert a.correlation == pytest.approx(1.0) and a.n_cells == 3
    assert a.mean_abs_error == pytest.approx(2.0)
    with pytest.raises(ValueError, match="same shape"):
        pmi.score_agreement(np.zeros((2, 3)), T)
    with pytest.raises(ValueError, match="q must have shape"):
        factorise.sgns_optimum(np.ones((2, 2)), np.ones(3) / 3, 1)
    with pytest.raises(ValueError, match="probability vector"):
        factorise.sgns_optimum(np.ones((2, 2)), np.array([0.7, 0.7]), 1)
    with pytest.raises(ValueError, match="K must be >= 1"):
        factorise.expected_negatives(np.ones((2, 2)), np.array([0.5, 0.5]), 0)
    with pytest.raises(ValueError, match="n_pos and n_neg"):
        factorise.cell_loss(0.0, -1, 1)


def test_expected_loss_gradient_matches_central_differences(toy):
    from skipgram_lab.gradcheck import gradcheck
    vocab, _, C = toy
    rng = np.random.default_rng(0)
    V = C.shape[0]
    q = noise_distribution(vocab.counts, 0.75)
    args = dict(E=0.3 * rng.normal(size=(V, 4)), O=0.3 * rng.normal(size=(V, 4)), C=C, q=q, K=5)
    report = gradcheck(factorise.expected_loss_and_grad, args, ["E", "O"])
    assert report.passed, report
    loss, _, _ = factorise.expected_loss_and_grad(**args)
    assert loss == pytest.approx(factorise.expected_loss(**args))


def test_full_batch_descent_lowers_the_expected_loss_and_approaches_the_optimum(toy):
    vocab, _, C = toy
    V = C.shape[0]
    q = noise_distribution(vocab.counts, 1.0)
    rng = np.random.default_rng(0)
    E, O = 0.1 * rng.normal(size=(V, V)), 0.1 * rng.normal(size=(V, V))
    T = factorise.sgns_optimum(C, q, 5)
    r_start = pmi.score_agreement(E @ O.T, T).correlation
    losses = []
    for _ in range(500):
        loss, grad_E, grad_O = factorise.expected_loss_and_grad(E, O, C, q, 5)
        losses.append(loss)
        E -= 2.0 * grad_E
        O -= 2.0 * grad_O
    assert losses[-1] < losses[0] - 0.5
    assert pmi.score_agreement(E @ O.T, T).correlation > max(r_start, 0.8)
