"""Negative sampling: exact values, finite differences, the pull/push identity, the update."""

import warnings

import numpy as np
import pytest

from skipgram_lab import negative_sampling as ns
from skipgram_lab.gradcheck import check_negative_sampling


def random_triple(rng, d, K, scale=1.0):
    return rng.normal(size=d) * scale, rng.normal(size=d) * scale, rng.normal(size=(K, d)) * scale


def test_sigmoid_and_log_sigmoid_exact_values():
    assert ns.sigmoid(0.0) == 0.5
    assert np.isclose(ns.sigmoid(np.log(3.0)), 0.75)
    assert np.isclose(ns.log_sigmoid(0.0), -np.log(2.0))
    s = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(ns.sigmoid(s), 1 / (1 + np.exp(-s)), rtol=1e-12)
    np.testing.assert_allclose(ns.sigmoid(-s), 1 - ns.sigmoid(s), atol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_and_log_sigmoid_together_match_each_alone(dtype):
    """One exp for sigma(s) and log sigma(+-s): sigma bit for bit, the logs to round-off, no overflow."""
    s = np.r_[np.random.default_rng(0).normal(0, 10, 10_000), 0.0, -0.0, 50, -50, 1e30, -1e30].astype(dtype)
    p, log_p = ns.sigmoid_and_log_sigmoid(s)
    _, log_q = ns.sigmoid_and_log_sigmoid(s, -1.0)
    assert p.dtype == log_p.dtype == dtype
    np.testing.assert_array_equal(p, ns.sigmoid(s))
    tol = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(log_p, ns.log_sigmoid(s), rtol=tol, atol=tol)
    np.testing.assert_allclose(log_q, ns.log_sigmoid(-s), rtol=tol, atol=tol)
    assert log_p[-1] == -1e30 and log_q[-2] == -1e30 and np.isfinite(log_p).all()


def test_stable_for_huge_scores_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = np.array([-1e4, -800.0, 0.0, 800.0, 1e4])
        assert np.all(np.isfinite(ns.log_sigmoid(s)))
        np.testing.assert_array_equal(ns.sigmoid(s), [0.0, 0.0, 0.5, 1.0, 1.0])
        e_w = np.array([100.0, 0.0])
        loss, g_e, g_c, g_neg = ns.loss_and_grad(e_w, np.array([-100.0, 0]), np.array([[100.0, 0]]))
    assert loss == pytest.approx(2e4)  # two scores of magnitude 1e4, both wrong
    assert np.all(np.isfinite(g_e)) and np.all(np.isfinite(g_c)) and np.all(np.isfinite(g_neg))


def test_hand_computed_example():
    # e_w = (1, 0), o_c = (0.5, 0.5), one negative (0, 1): s = 0.5, s_1 = 0.
    loss, g_e, g_c, g_neg = ns.loss_and_grad(np.array([1.0, 0]), np.array([0.5, 0.5]), np.array([[0.0, 1]]))
    p = 1 / (1 + np.exp(-0.5))
    assert loss == pytest.approx(-np.log(p) - np.log(0.5), abs=1e-15)
    np.testing.assert_allclose(g_e, (p - 1) * np.array([0.5, 0.5]) + 0.5 * np.array([0.0, 1]), atol=1e-15)
    np.testing.assert_allclose(g_c, (p - 1) * np.array([1.0, 0]), atol=1e-15)
    np.testing.assert_allclose(g_neg, [[0.5, 0.0]], atol=1e-15)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("d,K", [(1, 1), (2, 0), (3, 5), (16, 10)])
def test_gradients_match_finite_differences(seed, d, K):
    rng = np.random.default_rng(seed)
    report = check_negative_sampling(*random_triple(rng, d, K))
    assert report.passed, str(report)
    assert report.max_error < 1e-7


def test_float32_inputs_work():
    rng = np.random.default_rng(1)
    e, o, On = (x.astype(np.float32) for x in random_triple(rng, 4, 3))
    loss, g_e, g_c, g_neg = ns.loss_and_grad(e, o, On)
    ref = ns.loss_and_grad(*(x.astype(np.float64) for x in (e, o, On)))
    assert g_e.dtype == np.float32
    assert loss == pytest.approx(ref[0], rel=1e-5)


def test_positive_step_score_change_identity_exact():
    """s_new - s_old = a (|E_w|^2 + |O_c|^2) + a^2 s_old, with a = lr (1 - p)."""
    rng = np.random.default_rng(0)
    for _ in range(50):
        d, lr = int(rng.integers(1, 20)), float(rng.uniform(0.001, 1.0))
        E, O = rng.normal(size=(5, d)), rng.normal(size=(5, d))
        w, c = 1, 3
        s_old = E[w] @ O[c]
        predicted = ns.positive_score_change(E[w], O[c], lr)
        step = ns.sgd_step(E, O, w, c, negatives=[], lr=lr)
        assert step.s_after - s_old == pytest.approx(predicted, abs=1e-12)
        a = lr * (1 - step.p)
        assert predicted > 0 or s_old < 0  # the first term is always positive
        np.testing.assert_allclose(step.e_w_after, step.e_w_before + a * step.o_c_before, atol=1e-14)


def test_sgd_step_updates_rows_simultaneously_and_records_everything():
    rng = np.random.default_rng(3)
    E, O = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    E0, O0 = E.copy(), O.copy()
    negs = np.array([4, 5])
    step = ns.sgd_step(E, O, 2, 1, negs, lr=0.1)
    loss, g_e, g_c, g_neg = ns.loss_and_grad(E0[2], O0[1], O0[negs])
    np.testing.assert_allclose(E[2], E0[2] - 0.1 * g_e, atol=1e-15)
    np.testing.assert_allclose(O[1], O0[1] - 0.1 * g_c, atol=1e-15)
    np.testing.assert_allclose(O[negs], O0[negs] - 0.1 * g_neg, atol=1e-15)
    untouched = [0, 3]
    np.testing.assert_array_equal(E[untouched + [1, 4, 5]], E0[untouched + [1, 4, 5]])
    np.testing.assert_array_equal(O[untouched + [2]], O0[untouched + [2]])
    # pull adds a scaled copy of o_c, push subtracts scaled copies of o_n
    np.testing.assert_allclose(step.pull, -0.1 * (step.p - 1) * O0[1])
    np.testing.assert_allclose(step.push, -0.1 * step.p_neg[:, None] * O0[negs])
    np.testing.assert_allclose(step.delta_e_w, step.pull + step.push.sum(0), atol=1e-15)
    assert step.dL_ds == pytest.approx(step.p - 1) and step.dL_ds < 0
    assert np.all(step.dL_ds_neg > 0)
    assert step.loss == pytest.approx(loss)
    assert "dL/ds" in step.summary()


def test_repeated_negatives_accumulate():
    rng = np.random.default_rng(4)
    E, O = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    O0 = O.copy()
    step = ns.sgd_step(E, O, 0, 1, [3, 3, 3], lr=0.2)
    np.testing.assert_allclose(O[3], O0[3] + step.delta_O_neg.sum(0), atol=1e-15)
    # and differs from what fancy-index += would do (one update kept)
    assert not np.allclose(O[3], O0[3] + step.delta_O_neg[0])


def test_negative_equal_to_context_gets_both_updates():
    rng = np.random.default_rng(5)
    E, O = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    O0 = O.copy()
    step = ns.sgd_step(E, O, 0, 2, [2], lr=0.1)
    np.testing.assert_allclose(O[2], O0[2] + step.delta_o_c + step.delta_O_neg[0], atol=1e-15)


def test_negative_step_pushes_score_down():
    """With o_c = 0 the positive term is silent and only the push acts on s_n = E_w . O_n."""
    rng = np.random.default_rng(6)
    E, O = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    O[1] = 0.0
    s_before = E[0] @ O[3]
    step = ns.sgd_step(E, O, 0, 1, [3], lr=0.05)
    np.testing.assert_allclose(step.pull, 0.0)
    assert E[0] @ O[3] < s_before


def test_sgd_step_diverges_with_clear_error_and_writes_nothing():
    E = np.array([[1e308, 1e308], [1.0, 1.0]])
    O = np.array([[1.0, 1.0], [-1e308, -1e308]])
    E0, O0 = E.copy(), O.copy()
    with pytest.raises(ns.TrainingDiverged, match="smaller lr"):
        ns.sgd_step(E, O, 0, 1, [0], lr=1e10)
    np.testing.assert_array_equal(E, E0)
    np.testing.assert_array_equal(O, O0)
