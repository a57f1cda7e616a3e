"""Chapter 5's checks pass the reference answers and name the usual mistakes."""

import math

import numpy as np
import pytest

from skipgram_lab import negative_sampling as ns
from skipgram_lab.checks import ExerciseCheckFailed
from skipgram_lab.checks.training import (
    check_epoch_loop, check_expected_pairs, check_first_step, expected_pairs,
)
from skipgram_lab.noise import drop_positive
from skipgram_lab.pairs import skipgram_pairs


def test_expected_pairs_fixed_is_the_count_and_dynamic_is_the_mean():
    sentences = [np.arange(n) for n in (7, 2, 4)]
    assert expected_pairs([7, 2, 4], 3) == len(skipgram_pairs(sentences, 3))
    draws = [len(skipgram_pairs(sentences, 3, dynamic=True, rng=s)) for s in range(400)]
    assert np.mean(draws) == pytest.approx(expected_pairs([7, 2, 4], 3, dynamic=True), rel=0.02)


def test_expected_pairs_check(capsys):
    assert check_expected_pairs(expected_pairs)
    assert capsys.readouterr().out.startswith("Correct")
    with pytest.raises(ExerciseCheckFailed, match="that is the fixed-window count"):
        check_expected_pairs(lambda n, k, dynamic: expected_pairs(n, k))
    with pytest.raises(ExerciseCheckFailed, match="none if o >= n"):
        check_expected_pairs(lambda n, k, dynamic: sum(2 * k * x for x in n))


def reference_epoch(E, O, pairs, sampler, K, lr, rng):
    total = 0.0
    for w, c in pairs:
        negatives = drop_positive(sampler.draw(rng, K), c)
        total += ns.sgd_step(E, O, w, c, negatives, lr).loss
    return total / len(pairs)


def test_epoch_loop_reference_passes_bit_for_bit(capsys):
    assert check_epoch_loop(reference_epoch)
    assert "bit for bit" in capsys.readouterr().out


def test_drawing_all_negatives_up_front_is_the_same_stream(capsys):
    def up_front(E, O, pairs, sampler, K, lr, rng):
        draws = sampler.draw(rng, (len(pairs), K))
        losses = [ns.sgd_step(E, O, w, c, drop_positive(d, c), lr).loss
                  for (w, c), d in zip(pairs, draws)]
        return float(np.mean(losses))
    assert check_epoch_loop(up_front)


@pytest.mark.parametrize("mistake,message", [
    ("no_drop", "must be dropped"),
    ("once", "new negatives for every pair"),
    ("copies", "did not change"),
    ("fresh_rng", "draw sampler.draw"),
    ("no_return", "return the mean loss"),
])
def test_epoch_loop_mistakes_are_named(mistake, message):
    def wrong(E, O, pairs, sampler, K, lr, rng):
        if mistake == "copies":
            E, O = E.copy(), O.copy()
        if mistake == "fresh_rng":
            rng = np.random.default_rng(0)
        fixed = sampler.draw(rng, K) if mistake == "once" else None
        total = 0.0
        for w, c in pairs:
            negatives = fixed if mistake == "once" else sampler.draw(rng, K)
            if mistake != "no_drop":
                negatives = drop_positive(negatives, c)
            total += ns.sgd_step(E, O, w, c, negatives, lr).loss
        return None if mistake == "no_return" else total / len(pairs)
    with pytest.raises(ExerciseCheckFailed, match=message):
        check_epoch_loop(wrong)


def test_first_step_check(capsys):
    assert check_first_step(lambda K: (K + 1) * math.log(2), e_w_moves=False)
    assert capsys.readouterr().out.startswith("Correct")
    with pytest.raises(ExerciseCheckFailed, match="p = p_k = 1/2"):
        check_first_step(lambda K: K * math.log(2), e_w_moves=False)
    with pytest.raises(ExerciseCheckFailed, match="every row of O is zero"):
        check_first_step(lambda K: (K + 1) * math.log(2), e_w_moves=True)
    with pytest.raises(ExerciseCheckFailed, match="set e_w_moves to True or False"):
        check_first_step(lambda K: (K + 1) * math.log(2), e_w_moves=None)
