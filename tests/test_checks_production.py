"""Chapter 10's checks pass the reference answers and name the usual mistakes."""

import math

import numpy as np
import pytest

from skipgram_lab.checks import ExerciseCheckFailed
from skipgram_lab.checks.production import (
    check_expected_counts, check_expected_distinct, check_keep_probability, check_kept_by_naive,
    check_scatter, expected_distinct, expected_pair_counts,
)
from skipgram_lab.pairs import skipgram_pairs
from skipgram_lab.pairs import keep_probability
from skipgram_lab.scatter import scatter_add


def sorted_scatter(M, ids, D):
    order = np.argsort(ids, kind="stable")
    s = ids[order]
    if len(s) == 0:
        return
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    M[s[starts]] += np.add.reduceat(D[order], starts, axis=0)


def naive(M, ids, D):
    M[ids] += D


def stub(*args):
    raise NotImplementedError


def test_check_scatter_accepts_correct_ones(capsys):
    assert check_scatter(sorted_scatter)
    assert check_scatter(scatter_add)
    assert check_scatter(lambda M, ids, D: np.add.at(M, ids, D))
    assert capsys.readouterr().out.startswith("Correct")


def test_check_scatter_names_the_mistakes():
    with pytest.raises(ExerciseCheckFailed, match="each repeated row kept one update"):
        check_scatter(naive)
    with pytest.raises(ExerciseCheckFailed, match="M did not change"):
        check_scatter(lambda M, ids, D: M + 1)
    with pytest.raises(ExerciseCheckFailed, match="changed ids or D"):
        check_scatter(lambda M, ids, D: (np.add.at(M, ids, D), D.fill(0)))
    with pytest.raises(ExerciseCheckFailed, match="not implemented yet"):
        check_scatter(stub)
    with pytest.raises(ExerciseCheckFailed, match="is wrong"):
        check_scatter(lambda M, ids, D: np.add.at(M, ids, 2 * D))


def test_check_keep_probability(capsys):
    assert check_keep_probability(keep_probability)
    assert check_keep_probability(keep_probability, lambda t: t * (1 + math.sqrt(5)) ** 2 / 4)
    assert "2.6180 t" in capsys.readouterr().out
    with pytest.raises(ExerciseCheckFailed, match="clip the formula at 1"):
        check_keep_probability(lambda c, t, fm: np.sqrt(t / (c / c.sum())))
    with pytest.raises(ExerciseCheckFailed, match="discard probability"):
        check_keep_probability(lambda c, t, fm: 1 - keep_probability(c, t, fm))
    swap = {"paper": "word2vec.c", "word2vec.c": "paper"}
    with pytest.raises(ExerciseCheckFailed, match="computed the 'word2vec.c' formula"):
        check_keep_probability(lambda c, t, fm: keep_probability(c, t, swap[fm]))
    with pytest.raises(ExerciseCheckFailed, match="relative frequencies"):
        check_keep_probability(lambda c, t, fm: np.minimum(
            np.sqrt(t / c) + (t / c if fm == "word2vec.c" else 0), 1))
    with pytest.raises(ExerciseCheckFailed, match=r"drop_threshold\(1e-05\) / 1e-05 is wrong"):
        check_keep_probability(keep_probability, lambda t: t)


def test_check_kept_by_naive(capsys):
    assert check_kept_by_naive(lambda ids: len(np.unique(ids)))
    assert capsys.readouterr().out.startswith("Correct")
    with pytest.raises(ExerciseCheckFailed, match="counts every update"):
        check_kept_by_naive(len)
    with pytest.raises(ExerciseCheckFailed, match="one of its updates"):
        check_kept_by_naive(lambda ids: 1)


def test_expected_distinct_matches_a_simulation_and_its_check():
    q = np.array([0.6, 0.3, 0.05, 0.05])
    rng = np.random.default_rng(0)
    sims = [len(np.unique(rng.choice(4, size=6, p=q))) for _ in range(20_000)]
    assert np.mean(sims) == pytest.approx(expected_distinct(q, 6), rel=0.01)
    assert check_expected_distinct(expected_distinct)
    with pytest.raises(ExerciseCheckFailed, match="linearity of expectation"):
        check_expected_distinct(lambda q, n: float(min(n, len(q))))


# ---- expected counts under the dynamic window (both roles) -------------------------------------
def test_expected_counts_are_the_same_for_both_roles_and_match_sampling():
    sentences = [np.array([0, 3, 1, 4, 2, 0, 3]), np.array([1, 1, 2])]
    A = expected_pair_counts(sentences, 5, 3, "center")
    B = expected_pair_counts(sentences, 5, 3, "context")
    np.testing.assert_allclose(A, B, atol=1e-12)  # the book's claim: same expected pairs
    np.testing.assert_allclose(A, A.T, atol=1e-12)
    rng, C, R = np.random.default_rng(0), np.zeros((5, 5)), 4000
    for _ in range(R):
        p = skipgram_pairs(sentences, 3, dynamic=True, rng=rng)
        np.add.at(C, (p[:, 0], p[:, 1]), 1.0)
    np.testing.assert_allclose(C / R, A, atol=0.05)  # sampling agrees (std of a mean <= 0.008)
    fixed = expected_pair_counts(sentences, 5, 3, dynamic=False)
    assert fixed.sum() == len(skipgram_pairs(sentences, 3))


def test_check_expected_counts_accepts_the_reference_and_names_mistakes():
    assert check_expected_counts(lambda s, V, k, role: expected_pair_counts(s, V, k, role))
    with pytest.raises(ExerciseCheckFailed, match="fixed window"):
        check_expected_counts(lambda s, V, k, role: expected_pair_counts(s, V, k, role, dynamic=False))
    with pytest.raises(ExerciseCheckFailed, match="half of what it should be"):
        check_expected_counts(lambda s, V, k, role: expected_pair_counts(s, V, k, role) / 2)
    with pytest.raises(ExerciseCheckFailed, match="not implemented"):
        check_expected_counts(stub)
