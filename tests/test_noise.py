"""The noise distribution and its sampler."""

import numpy as np
import pytest

from skipgram_lab.noise import NoiseSampler, drop_positive, noise_distribution


def test_power_zero_is_uniform_over_seen_tokens_and_one_is_unigram():
    counts = np.array([8, 4, 2, 0])
    np.testing.assert_allclose(noise_distribution(counts, 0.0), [1 / 3, 1 / 3, 1 / 3, 0])
    np.testing.assert_allclose(noise_distribution(counts, 1.0), [8 / 14, 4 / 14, 2 / 14, 0])
    q = noise_distribution(counts, 0.75)
    np.testing.assert_allclose(q[:3], counts[:3] ** 0.75 / np.sum(counts[:3] ** 0.75))
    # 0.75 flattens: the rarest seen token gets more than under the unigram distribution
    assert q[2] > 2 / 14 and q[0] < 8 / 14


def test_sampler_frequencies_match_q():
    q = noise_distribution(np.array([50, 30, 15, 5]), 0.75)
    draws = NoiseSampler(q).draw(np.random.default_rng(0), 200_000)
    np.testing.assert_allclose(np.bincount(draws, minlength=4) / 200_000, q, atol=0.005)


def test_sampler_stream_is_the_same_drawn_flat_or_in_a_batch():
    s = NoiseSampler.from_counts(np.arange(1, 30))
    a = s.draw(np.random.default_rng(7), 15)
    b = s.draw(np.random.default_rng(7), (3, 5))
    np.testing.assert_array_equal(a, b.ravel())


@pytest.mark.parametrize("counts", [
    np.array([100, 10, 1]),
    np.arange(1, 500) ** 2,  # a steep head: many buckets in one id
    np.r_[np.full(50, 1000), np.ones(5000, int)],  # a long flat tail: many ids in one bucket
    np.r_[5, np.zeros(40, int), 5, np.zeros(40, int), 1],  # runs of zero probability (the fallback)
])
def test_guide_table_search_gives_the_binary_searchs_ids(counts):
    s = NoiseSampler.from_counts(counts, 0.75)
    u = np.r_[np.random.default_rng(3).random(20_000), 0.0, np.nextafter(1.0, 0.0),
              s.cdf[:-1], np.nextafter(s.cdf[:-1], 0.0), np.nextafter(s.cdf[:-1], 1.0)]
    expected = np.minimum(np.searchsorted(s.cdf, u, side="right"), len(counts) - 1)
    np.testing.assert_array_equal(s.search(u), expected)
    np.testing.assert_array_equal(s.search(u, max_steps=0), expected)  # the fallback alone


def test_zero_probability_tokens_are_never_drawn():
    s = NoiseSampler.from_counts(np.array([0, 5, 0, 5]), 0.75)
    assert set(s.draw(np.random.default_rng(1), 10_000).tolist()) == {1, 3}


def test_drop_positive():
    np.testing.assert_array_equal(drop_positive([3, 1, 3, 2], 3), [1, 2])


def test_bad_input():
    with pytest.raises(ValueError, match="power must be finite"):
        noise_distribution([1, 2], float("nan"))
    with pytest.raises(ValueError, match="counts must be >= 0"):
        noise_distribution([1, -2])
    with pytest.raises(ValueError, match="at least one positive"):
        noise_distribution([0, 0])
    with pytest.raises(ValueError, match="sum to 1"):
        NoiseSampler([0.5, 0.4])
