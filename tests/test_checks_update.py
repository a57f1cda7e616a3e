"""Chapter 4's check passes the exact K-negative formula and explains the usual incomplete ones."""

import numpy as np
import pytest

from skipgram_lab import negative_sampling as ns
from skipgram_lab.checks import ExerciseCheckFailed
from skipgram_lab.checks.update import (
    _actual_change, _one_negative_each, _points, check_negative_score_change, negative_score_change,
)


def parts(e_w, o_c, O_neg, lr):
    s, s_neg = e_w @ o_c, O_neg @ e_w
    a, b = lr * (1 - ns.sigmoid(s)), lr * ns.sigmoid(s_neg)
    return s, s_neg, a, b


def test_reference_formula_is_the_measured_change():
    for e_w, o_c, O_neg, lr in _points():
        assert negative_score_change(e_w, o_c, O_neg, lr) == pytest.approx(
            _actual_change(e_w, o_c, O_neg, lr), abs=1e-12)


def test_reference_formula_term_by_term():
    # the sum over j != k written as an explicit loop, against the vectorized reference
    rng = np.random.default_rng(5)
    e_w, o_c, O_neg, lr = rng.normal(size=3), rng.normal(size=3), rng.normal(size=(4, 3)), 0.4
    s, s_neg, a, b = parts(e_w, o_c, O_neg, lr)
    expected = []
    for k in range(4):
        o_k = O_neg[k]
        change = -b[k] * (e_w @ e_w + o_k @ o_k) + b[k] ** 2 * s_neg[k] + a * (o_c @ o_k - b[k] * s)
        change -= sum(b[j] * (O_neg[j] @ o_k - b[k] * s_neg[j]) for j in range(4) if j != k)
        expected.append(change)
    assert negative_score_change(e_w, o_c, O_neg, lr) == pytest.approx(expected, abs=1e-14)


def test_chapter_example_apple_rises():
    # chapter 4's step: dog, ball, negatives sofa and apple, lr 0.5
    e_w, o_c = np.array([0.9, -0.3]), np.array([0.1, 0.9])
    O_neg = np.array([[0.8, 0.2], [-0.6, 0.5]])
    measured = _actual_change(e_w, o_c, O_neg, 0.5)
    assert measured[0] == pytest.approx(-0.337, abs=1e-3)
    assert measured[1] == pytest.approx(+0.0046, abs=1e-4)
    assert _one_negative_each(e_w, o_c, O_neg, 0.5)[1] < 0  # the one-negative answer gets the sign wrong


def test_the_points_include_steps_that_raise_a_noise_score_and_need_the_cross_term():
    changes = np.concatenate([_actual_change(*p) for p in _points()])
    assert changes.min() < 0 < changes.max()
    gaps = [np.abs(_one_negative_each(*p) - _actual_change(*p)).max() for p in _points() if len(p[2]) > 1]
    assert min(gaps) > 1e-3


def test_reference_passes(capsys):
    assert check_negative_score_change(negative_score_change)
    assert capsys.readouterr().out.startswith("Correct")


def push_only(e_w, o_c, O_neg, lr):
    s, s_neg, a, b = parts(e_w, o_c, O_neg, lr)
    return -b * (e_w @ e_w + np.sum(O_neg * O_neg, axis=1))


def no_pull(e_w, o_c, O_neg, lr):
    s, s_neg, a, b = parts(e_w, o_c, O_neg, lr)
    return push_only(e_w, o_c, O_neg, lr) + b * b * s_neg


def flipped(e_w, o_c, O_neg, lr):
    return -negative_score_change(e_w, o_c, O_neg, lr)


def stub(e_w, o_c, O_neg, lr):
    raise NotImplementedError


def old_single_negative(e_w, o_c, o_n, lr):
    # the previous exercise's answer, written for one (d,) noise row
    s, s_k = e_w @ o_c, e_w @ o_n
    a, b = lr * (1 - ns.sigmoid(s)), lr * ns.sigmoid(s_k)
    return -b * (e_w @ e_w + o_n @ o_n) + b * b * s_k + a * (o_c @ o_n - b * s)


@pytest.mark.parametrize("fn,message", [
    (_one_negative_each, "one-negative formula applied to each negative alone"),
    (push_only, "push alone"),
    (no_pull, "pull is missing"),
    (flipped, "sign is flipped"),
    (lambda e_w, o_c, O_neg, lr: np.zeros(len(O_neg)), "multiply out"),
    (stub, "not implemented yet"),
    (old_single_negative, "all K noise rows at once"),
    (lambda e_w, o_c, O_neg, lr: 0.0, r"shape \(\)"),
])
def test_typical_mistakes_are_named(fn, message):
    with pytest.raises(ExerciseCheckFailed, match=message):
        check_negative_score_change(fn)
