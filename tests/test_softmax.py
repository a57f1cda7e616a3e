"""Full softmax: exact values, stability, finite differences, the step."""

import warnings

import numpy as np
import pytest

from skipgram_lab import negative_sampling as ns
from skipgram_lab import softmax
from skipgram_lab.gradcheck import check_softmax


def test_uniform_scores_give_log_V():
    for V in (1, 2, 7):
        loss, g_e, g_O = softmax.loss_and_grad(np.zeros(3), np.ones((V, 3)), c=0)
        assert loss == pytest.approx(np.log(V))


def test_hand_computed_two_token_case_is_a_sigmoid():
    # With V = 2 and O_0 = 0, P(1 | w) = sigma(e_w . O_1): softmax generalises the sigmoid.
    e_w, O = np.array([0.3, -1.2]), np.array([[0.0, 0.0], [2.0, 0.5]])
    loss, _, _ = softmax.loss_and_grad(e_w, O, c=1)
    assert loss == pytest.approx(-ns.log_sigmoid(e_w @ O[1]), abs=1e-15)


def test_gradient_is_expected_row_minus_true_row():
    rng = np.random.default_rng(0)
    e_w, O = rng.normal(size=4), rng.normal(size=(6, 4))
    _, g_e, g_O = softmax.loss_and_grad(e_w, O, c=2)
    P = np.exp(O @ e_w) / np.exp(O @ e_w).sum()
    np.testing.assert_allclose(g_e, P @ O - O[2], atol=1e-14)
    np.testing.assert_allclose(g_O.sum(0), (P.sum() - 1) * e_w, atol=1e-14)  # rows of dL/ds sum to 0


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("V,d", [(1, 1), (2, 3), (10, 5), (40, 8)])
def test_gradients_match_finite_differences(seed, V, d):
    rng = np.random.default_rng(seed)
    report = check_softmax(rng.normal(size=d), rng.normal(size=(V, d)), int(rng.integers(V)))
    assert report.passed, str(report)


def test_stable_for_scores_of_magnitude_1e4():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e_w = np.array([1e4, 0.0])
        O = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]])
        loss, g_e, g_O = softmax.loss_and_grad(e_w, O, c=1)
        assert loss == pytest.approx(2e4)
        assert np.all(np.isfinite(g_e)) and np.all(np.isfinite(g_O))
        loss, _, _ = softmax.loss_and_grad(e_w, O, c=0)
        assert loss == pytest.approx(0.0, abs=1e-300)


def test_sgd_step_moves_every_row_of_O_and_lowers_the_loss():
    rng = np.random.default_rng(1)
    E, O = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    E0, O0 = E.copy(), O.copy()
    step = softmax.sgd_step(E, O, 1, 4, lr=0.1)
    _, g_e, g_O = softmax.loss_and_grad(E0[1], O0, 4)
    np.testing.assert_allclose(E[1], E0[1] - 0.1 * g_e, atol=1e-15)
    np.testing.assert_allclose(O, O0 - 0.1 * g_O, atol=1e-15)
    assert np.all(np.any(O != O0, axis=1))
    np.testing.assert_allclose(step.delta_e_w, step.pull + step.push, atol=1e-15)
    assert softmax.loss_and_grad(E[1], O, 4)[0] < step.loss
    assert "P(j | w)" in step.summary()
