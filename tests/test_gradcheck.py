"""The gradient check itself is tested: it passes right gradients and FAILS wrong ones."""

import numpy as np
import pytest

from skipgram_lab import negative_sampling as ns
from skipgram_lab import softmax
from skipgram_lab.gradcheck import gradcheck, numerical_gradient, relative_error

WRT = ["e_w", "o_c", "O_neg"]


def ns_args(seed=0, d=5, K=3):
    rng = np.random.default_rng(seed)
    return dict(e_w=rng.normal(size=d), o_c=rng.normal(size=d), O_neg=rng.normal(size=(K, d)))


def test_numerical_gradient_of_a_quadratic_is_exact():
    x = np.array([1.0, -2.0, 3.0])
    g = numerical_gradient(lambda: float(x @ x), x)
    np.testing.assert_allclose(g, 2 * x, atol=1e-9)
    np.testing.assert_array_equal(x, [1.0, -2.0, 3.0])  # restored exactly


def test_relative_error_is_absolute_below_one():
    np.testing.assert_allclose(relative_error([0.0, 10.0], [1e-3, 11.0]), [1e-3, 1 / 11])


def test_correct_gradients_pass():
    report = gradcheck(ns.loss_and_grad, ns_args(), WRT)
    assert report.passed and report.max_error < 1e-8
    assert "ok" in str(report)


def wrong(kind):
    def fn(e_w, o_c, O_neg):
        loss, g_e, g_c, g_neg = ns.loss_and_grad(e_w, o_c, O_neg)
        if kind == "sign":
            g_e = -g_e
        elif kind == "missing_negative_term":
            p = ns.sigmoid(e_w @ o_c)
            g_e = (p - 1) * o_c  # forgot sum_k p_k o_nk
        elif kind == "zero":
            g_c = np.zeros_like(g_c)
        elif kind == "transposed_negatives":
            g_neg = g_neg[::-1]
        return loss, g_e, g_c, g_neg
    return fn


@pytest.mark.parametrize("kind,name", [("sign", "e_w"), ("missing_negative_term", "e_w"),
                                       ("zero", "o_c"), ("transposed_negatives", "O_neg")])
def test_wrong_gradients_fail_and_the_report_points_at_them(kind, name):
    report = gradcheck(wrong(kind), ns_args(seed=1), WRT)
    assert not report.passed
    assert not report[name].passed
    assert "WRONG" in str(report[name])
    others = [n for n in WRT if n != name]
    assert all(report[n].passed for n in others)


def test_zero_gradient_with_nonzero_loss_fails():
    def constant_claims_flat(x):
        return float(np.sum(np.sin(x))), np.zeros_like(x)
    report = gradcheck(constant_claims_flat, {"x": np.array([0.1, 0.2])}, ["x"])
    assert not report.passed


def test_resampling_negatives_inside_the_loss_fails():
    """The classic mistake: negatives drawn again at every evaluation."""
    rng = np.random.default_rng(0)
    O = rng.normal(size=(50, 4))
    draw = np.random.default_rng(123)

    def resampling_loss(e_w, o_c):
        O_neg = O[draw.integers(0, 50, size=5)]
        loss, g_e, g_c, _ = ns.loss_and_grad(e_w, o_c, O_neg)
        return loss, g_e, g_c

    report = gradcheck(resampling_loss, dict(e_w=rng.normal(size=4), o_c=rng.normal(size=4)), ["e_w", "o_c"])
    assert not report.passed


def test_softmax_wrong_normaliser_fails():
    def no_expectation(e_w, O, c):
        loss, g_e, g_O = softmax.loss_and_grad(e_w, O, c)
        return loss, -O[c], g_O  # forgot sum_j P(j|w) O_j
    rng = np.random.default_rng(2)
    report = gradcheck(no_expectation, dict(e_w=rng.normal(size=3), O=rng.normal(size=(5, 3)), c=1), ["e_w", "O"])
    assert not report["e_w"].passed and report["O"].passed


def test_bad_calls_are_explained():
    with pytest.raises(ValueError, match="wrt names"):
        gradcheck(ns.loss_and_grad, ns_args(), ["nope"])
    with pytest.raises(ValueError, match="must return"):
        gradcheck(lambda e_w, o_c, O_neg: 1.0, ns_args(), WRT)
    with pytest.raises(ValueError, match="shape"):
        gradcheck(lambda e_w, o_c, O_neg: (1.0, e_w[:1], o_c, O_neg), ns_args(), WRT)
