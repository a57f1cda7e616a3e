"""Chapter 4's check passes the exact formula and explains the usual incomplete ones."""

import numpy as np
import pytest

from skipgram_lab import negative_sampling as ns
from skipgram_lab.checks import ExerciseCheckFailed
from skipgram_lab.checks.update import (
    _actual_change, _points, check_negative_score_change, negative_score_change,
)


def parts(e_w, o_c, o_n, lr):
    s, s_k = e_w @ o_c, e_w @ o_n
    a, b = lr * (1 - ns.sigmoid(s)), lr * ns.sigmoid(s_k)
    return s, s_k, a, b


def test_reference_formula_is_the_measured_change():
    for e_w, o_c, o_n, lr in _points():
        assert negative_score_change(e_w, o_c, o_n, lr) == pytest.approx(
            _actual_change(e_w, o_c, o_n, lr), abs=1e-12)


def test_the_points_include_a_step_that_raises_the_negative_score():
    changes = [_actual_change(*p) for p in _points()]
    assert min(changes) < 0 < max(changes)


def test_reference_passes(capsys):
    assert check_negative_score_change(negative_score_change)
    assert capsys.readouterr().out.startswith("Correct")


def push_only(e_w, o_c, o_n, lr):
    s, s_k, a, b = parts(e_w, o_c, o_n, lr)
    return -b * (e_w @ e_w + o_n @ o_n)


def no_pull(e_w, o_c, o_n, lr):
    s, s_k, a, b = parts(e_w, o_c, o_n, lr)
    return -b * (e_w @ e_w + o_n @ o_n) + b * b * s_k


def flipped(e_w, o_c, o_n, lr):
    return -negative_score_change(e_w, o_c, o_n, lr)


def stub(e_w, o_c, o_n, lr):
    raise NotImplementedError


@pytest.mark.parametrize("fn,message", [
    (push_only, "push alone"),
    (no_pull, "pull is missing"),
    (flipped, "sign is flipped"),
    (lambda *args: 0.0, "multiply out"),
    (stub, "not implemented yet"),
])
def test_typical_mistakes_are_named(fn, message):
    with pytest.raises(ExerciseCheckFailed, match=message):
        check_negative_score_change(fn)


def test_no_false_pass_when_everything_is_zero():
    with pytest.raises(ExerciseCheckFailed):
        check_negative_score_change(lambda *args: np.float64(0.0))
