"""Mean removal and all-but-the-top: exact identities on small matrices."""

import numpy as np
import pytest

from skipgram_lab.postprocess import all_but_the_top, common_direction, top_directions


def test_common_direction_is_zero_when_centred_and_one_for_identical_rows():
    M = np.random.default_rng(0).normal(size=(50, 4))
    assert common_direction(M - M.mean(axis=0)) == pytest.approx(0.0, abs=1e-12)
    assert common_direction(np.tile([1.0, 2.0, 3.0], (7, 1))) == pytest.approx(1.0)


def test_all_but_the_top_centres_and_removes_exactly_the_top_directions():
    rng = np.random.default_rng(1)
    M = rng.normal(size=(200, 6)) * [5, 3, 1, 1, 1, 1] + 4.0
    U, share = top_directions(M, 2)
    np.testing.assert_allclose(U @ U.T, np.eye(2), atol=1e-12)
    assert share[0] > share[1] > 0 and share.sum() < 1
    P = all_but_the_top(M, 2)
    np.testing.assert_allclose(P.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(P @ U.T, 0, atol=1e-10)
    # what is left is the centred matrix minus its rank-2 principal part
    C = M - M.mean(axis=0)
    np.testing.assert_allclose(P, C - C @ U.T @ U, atol=1e-12)
    np.testing.assert_allclose(all_but_the_top(M, 0), C, atol=1e-12)


def test_the_default_removes_d_over_100_directions_at_least_one():
    M = np.random.default_rng(2).normal(size=(300, 200))
    U, _ = top_directions(M, 2)
    np.testing.assert_allclose(all_but_the_top(M) @ U.T, 0, atol=1e-9)
    assert not np.allclose(all_but_the_top(M, 1) @ U[1], 0)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="n_components"):
        all_but_the_top(np.ones((3, 2)), 3)
    with pytest.raises(ValueError, match="n_components"):
        top_directions(np.ones((3, 2)), -1)
    with pytest.raises(ValueError, match="M must"):
        common_direction(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="M must"):
        all_but_the_top(np.ones(3))
