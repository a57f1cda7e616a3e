"""The exercise checks pass the reference and fail typical wrong answers with a helpful message."""

import numpy as np
import pytest

from skipgram_lab import checks
from skipgram_lab import hierarchical_softmax as hs
from skipgram_lab import negative_sampling as ns
from skipgram_lab import softmax
from skipgram_lab.pairs import skipgram_pairs


def test_reference_answers_pass(capsys):
    assert checks.check_ns_gradient(ns.loss_and_grad)
    assert checks.check_softmax_gradient(softmax.loss_and_grad)
    assert checks.check_sigmoid(ns.sigmoid)
    assert checks.check_pairs(lambda ids, k: skipgram_pairs([ids], k).tolist())
    assert checks.check_sgd_step(ns.sgd_step)
    out = capsys.readouterr().out
    assert out.count("Correct") == 5


def ns_variant(kind):
    def fn(e_w, o_c, O_neg):
        loss, g_e, g_c, g_neg = ns.loss_and_grad(e_w, o_c, O_neg)
        p, p_neg = ns.sigmoid(e_w @ o_c), ns.sigmoid(O_neg @ e_w)
        if kind == "sign":
            g_c = -g_c
        elif kind == "missing_negatives":
            g_e = (p - 1) * o_c
        elif kind == "p_not_p_minus_1":
            g_e = p * o_c + p_neg @ O_neg
        elif kind == "resampled":
            rng = np.random.default_rng()
            return ns.loss_and_grad(e_w, o_c, rng.normal(size=O_neg.shape))
        elif kind == "stub":
            raise NotImplementedError
        return loss, g_e, g_c, g_neg
    return fn


@pytest.mark.parametrize("kind,message", [
    ("sign", r"grad_o_c is wrong at index .*expected .* got .*sign is flipped"),
    ("missing_negatives", "grad_e_w is wrong.*negatives are missing"),
    ("p_not_p_minus_1", "grad_e_w is wrong.*p - 1"),
    ("resampled", "must not draw random negatives inside"),
    ("stub", "not implemented yet"),
])
def test_ns_gradient_check_explains_typical_mistakes(kind, message):
    with pytest.raises(checks.ExerciseCheckFailed, match=message):
        checks.check_ns_gradient(ns_variant(kind))


def test_softmax_check_catches_missing_expectation():
    def wrong(e_w, O, c):
        loss, g_e, g_O = softmax.loss_and_grad(e_w, O, c)
        return loss, -O[c], g_O
    with pytest.raises(checks.ExerciseCheckFailed, match="grad_e_w is wrong.*sum_j P"):
        checks.check_softmax_gradient(wrong)


def test_sigmoid_check_catches_overflow():
    with pytest.raises(checks.ExerciseCheckFailed, match="NaN or inf|wrong"):
        checks.check_sigmoid(lambda s: np.exp(s) / (1 + np.exp(s)))


def test_pairs_check_catches_off_by_one_window():
    def off_by_one(ids, k):
        return skipgram_pairs([ids], k + 1).tolist()
    with pytest.raises(checks.ExerciseCheckFailed, match="window=1: expected 10 pairs, got 18"):
        checks.check_pairs(off_by_one)


def test_sgd_step_check_catches_sequential_update_and_lost_duplicates():
    def sequential(E, O, w, c, negatives, lr):
        _, g_e, g_c, g_neg = ns.loss_and_grad(E[w], O[c], O[negatives])
        E[w] -= lr * g_e
        _, _, g_c, _ = ns.loss_and_grad(E[w], O[c], O[negatives])  # uses the NEW E[w]
        O[c] -= lr * g_c
        np.add.at(O, negatives, -lr * g_neg)

    def fancy_index(E, O, w, c, negatives, lr):
        _, g_e, g_c, g_neg = ns.loss_and_grad(E[w], O[c], O[negatives])
        E[w] -= lr * g_e
        O[c] -= lr * g_c
        O[negatives] -= lr * g_neg  # drops one of two updates of a repeated id

    for fn in (sequential, fancy_index):
        with pytest.raises(checks.ExerciseCheckFailed, match="after the step is wrong.*OLD rows"):
            checks.check_sgd_step(fn)


def test_hs_check_passes_reference_and_catches_a_flipped_code():
    assert checks.check_hs_gradient(hs.loss_and_grad)

    def flipped(e_w, U_path, code):
        return hs.loss_and_grad(e_w, U_path, 1 - code)
    with pytest.raises(checks.ExerciseCheckFailed, match="is wrong.*y_j = 1 - code_j|Hint: L ="):
        checks.check_hs_gradient(flipped)


def test_check_two_token_node_both_ways():
    def right(O, tree):
        left = int(np.flatnonzero([code[0] == 0 for code in tree.codes])[0])
        return (O[left] - O[1 - left])[None, :]

    assert checks.check_two_token_node(right)

    def always_first_minus_second(O, tree):  # right for one tree, wrong for the other
        return (O[0] - O[1])[None, :]

    with pytest.raises(checks.ExerciseCheckFailed, match="is wrong.*O\\[left\\] - O\\[right\\]"):
        checks.check_two_token_node(always_first_minus_second)
    with pytest.raises(checks.ExerciseCheckFailed, match="shape"):
        checks.check_two_token_node(lambda O, tree: O[0] - O[1])
