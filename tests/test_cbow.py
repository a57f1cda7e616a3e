"""CBOW's math: finite differences, the link to skip-gram, the step and its two context updates."""

import numpy as np
import pytest

from skipgram_lab import cbow
from skipgram_lab import negative_sampling as ns
from skipgram_lab.gradcheck import check_cbow
from skipgram_lab.pairs import skipgram_pairs


def example(rng, m, d, K, scale=1.0):
    return rng.normal(size=(m, d)) * scale, rng.normal(size=d) * scale, rng.normal(size=(K, d)) * scale


@pytest.mark.parametrize("m,d,K", [(1, 3, 2), (4, 5, 3), (6, 2, 0), (2, 4, 5)])
def test_gradients_pass_finite_differences(m, d, K):
    rng = np.random.default_rng(m * 100 + d * 10 + K)
    report = check_cbow(*example(rng, m, d, K))
    assert report.passed, str(report)


def test_a_repeated_context_row_is_two_terms_of_the_mean():
    rng = np.random.default_rng(1)
    E_C, o_w, O_neg = example(rng, 3, 4, 2)
    E_C[2] = E_C[0]  # the same word twice in the window
    report = check_cbow(E_C, o_w, O_neg)
    assert report.passed
    # as the rows of one id, its total gradient is two shares of dL/dh
    _, g_C, _, _ = cbow.loss_and_grad(E_C, o_w, O_neg)
    np.testing.assert_allclose(g_C[0] + g_C[2], 2 * g_C[1])


def test_one_context_is_skip_gram_with_the_roles_swapped():
    rng = np.random.default_rng(2)
    E_C, o_w, O_neg = example(rng, 1, 5, 3)
    out_cbow = cbow.loss_and_grad(E_C, o_w, O_neg)
    out_sg = ns.loss_and_grad(E_C[0], o_w, O_neg)
    assert out_cbow[0] == pytest.approx(out_sg[0], abs=1e-14)
    for a, b in zip(out_cbow[1:], out_sg[1:]):
        np.testing.assert_allclose(np.reshape(a, np.shape(b)), b, atol=1e-14)


def test_each_context_row_gets_an_mth_share_of_the_gradient_of_the_mean():
    rng = np.random.default_rng(3)
    E_C, o_w, O_neg = example(rng, 4, 3, 2)
    _, g_C, g_w, g_neg = cbow.loss_and_grad(E_C, o_w, O_neg)
    h = E_C.mean(axis=0)
    _, g_h, g_w_sg, g_neg_sg = ns.loss_and_grad(h, o_w, O_neg)  # the loss seen from h
    np.testing.assert_allclose(g_C, np.tile(g_h / 4, (4, 1)), atol=1e-15)
    np.testing.assert_allclose(g_w, g_w_sg, atol=1e-15)
    np.testing.assert_allclose(g_neg, g_neg_sg, atol=1e-15)


def test_all_zero_output_rows_give_k_plus_one_log_2():
    loss, *_ = cbow.loss_and_grad(np.ones((3, 4)), np.zeros(4), np.zeros((5, 4)))
    assert loss == pytest.approx(6 * np.log(2), abs=1e-14)


@pytest.mark.parametrize("rule,share", [("gradient", 1 / 3), ("word2vec", 1.0)])
def test_the_step_moves_exactly_the_rows_it_read(rule, share):
    rng = np.random.default_rng(4)
    E, O = rng.normal(size=(8, 3)), rng.normal(size=(8, 3))
    E0, O0 = E.copy(), O.copy()
    contexts, w, negatives, lr = np.array([1, 2, 1]), 5, np.array([6, 7, 6]), 0.1
    step = cbow.sgd_step(E, O, contexts, w, negatives, lr, context_update=rule)
    _, g_C, g_w, g_neg = cbow.loss_and_grad(E0[contexts], O0[w], O0[negatives])
    # context 1 appears twice: two shares added; context 2 once
    np.testing.assert_allclose(E[1] - E0[1], 2 * share * 3 * -lr * g_C[0], atol=1e-15)
    np.testing.assert_allclose(E[2] - E0[2], share * 3 * -lr * g_C[1], atol=1e-15)
    np.testing.assert_allclose(O[w] - O0[w], -lr * g_w, atol=1e-15)
    np.testing.assert_allclose(O[6] - O0[6], -lr * (g_neg[0] + g_neg[2]), atol=1e-15)
    untouched = [0, 3, 4]
    np.testing.assert_array_equal(E[untouched], E0[untouched])
    np.testing.assert_array_equal(np.delete(O, [5, 6, 7], axis=0), np.delete(O0, [5, 6, 7], axis=0))
    np.testing.assert_allclose(step.delta_E_C, -lr * share * np.tile(step.grad_h, (3, 1)), atol=1e-15)
    assert step.loss == pytest.approx(cbow.loss_and_grad(E0[contexts], O0[w], O0[negatives])[0])


def test_a_small_step_raises_the_center_score_and_the_summary_says_so():
    rng = np.random.default_rng(5)
    E, O = rng.normal(size=(6, 4)) * 0.3, rng.normal(size=(6, 4)) * 0.3
    step = cbow.sgd_step(E, O, [1, 2], 0, [], 0.05)
    assert step.s_after > step.s
    assert "h = mean of 2 context rows" in step.summary()


def test_a_huge_step_raises_training_diverged_and_writes_nothing():
    E, O = np.full((4, 2), 1e200), np.full((4, 2), 1e200)
    E0 = E.copy()
    with pytest.raises(ns.TrainingDiverged, match="smaller lr"):
        cbow.sgd_step(E, O, [1, 2], 0, [3], 1e300)
    np.testing.assert_array_equal(E, E0)


@pytest.mark.parametrize("kwargs,message", [
    (dict(contexts=[]), "contexts must hold at least one id"),
    (dict(contexts=[9]), r"contexts must be ids in \[0, 4\)"),
    (dict(w=-1), r"w must be an id in \[0, 4\)"),
    (dict(lr=0.0), "lr must be > 0"),
    (dict(context_update="sum"), "context_update must be one of"),
])
def test_bad_arguments_are_named(kwargs, message):
    args = dict(E=np.zeros((4, 2)), O=np.zeros((4, 2)), contexts=[1], w=0, negatives=[2], lr=0.1)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        cbow.sgd_step(**args)


def test_loss_and_grad_refuses_an_empty_window():
    with pytest.raises(ValueError, match="at least one context row"):
        cbow.loss_and_grad(np.zeros((0, 3)), np.zeros(3), np.zeros((1, 3)))


def test_context_weights_hold_the_skip_gram_pairs():
    sentences = [np.array([3, 1, 4, 1, 5]), np.array([9]), np.array([2, 6])]
    tokens, weight = cbow.context_weights(sentences, 2)
    assert weight.shape == (8, 5) and weight[:, 2].sum() == 0
    assert weight[5].sum() == 0  # the one-token sentence is no example
    centers, u = np.nonzero(weight)
    pairs = np.stack([tokens[centers], tokens[centers + u - 2]], axis=1)
    assert sorted(map(tuple, pairs.tolist())) == sorted(map(tuple, skipgram_pairs(sentences, 2).tolist()))
