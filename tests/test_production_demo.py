"""The functions behind chapter 10's pictures: exact identities first, then the figures' artists."""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from skipgram_lab.book import production_demo as pd  # noqa: E402
from skipgram_lab.noise import noise_distribution  # noqa: E402
from skipgram_lab.pairs import keep_probability  # noqa: E402
from skipgram_lab.training import linear_lr  # noqa: E402

COUNTS = np.array([5000, 1200, 300, 90, 40, 7, 3, 1])


@pytest.mark.parametrize("formula", ["paper", "word2vec.c"])
@pytest.mark.parametrize("t", [1e-1, 1e-2, 1e-3])
def test_keep_curve_is_pairs_keep_probability_of_the_frequencies(formula, t):
    f = COUNTS / COUNTS.sum()
    np.testing.assert_allclose(pd.keep_curve(f, t, formula), keep_probability(COUNTS, t, formula),
                               rtol=1e-14)


def test_word2vec_c_formula_is_the_fasttext_one_and_starts_at_phi_squared():
    t, f = 1e-3, np.logspace(-5, 0, 200)
    c_code = np.minimum((np.sqrt(f / t) + 1) * t / f, 1)  # as written in word2vec.c
    np.testing.assert_allclose(pd.keep_curve(f, t), c_code, rtol=1e-14)
    golden = (1 + math.sqrt(5)) / 2
    assert pd.keep_curve(golden**2 * t * (1 - 1e-9), t) == 1.0
    assert pd.keep_curve(golden**2 * t * (1 + 1e-6), t) < 1.0
    assert pd.keep_curve(t * (1 + 1e-6), t, "paper") < 1.0


def test_zipf_frequency_matches_keras_table():
    rank = np.arange(1, 6)
    inv = rank * (np.log(rank) + 0.577) + 0.5 - 1.0 / (12.0 * rank)
    np.testing.assert_allclose(pd.zipf_frequency(rank), 1 / inv, rtol=1e-14)
    with pytest.raises(ValueError, match="rank must be >= 1"):
        pd.zipf_frequency([0, 1])


def test_recipes_use_their_formula_threshold_and_frequency():
    assert {r.formula for r in pd.SUBSAMPLING_RECIPES} == {"paper", "word2vec.c"}
    gensim = next(r for r in pd.SUBSAMPLING_RECIPES if r.source.startswith("word2vec.c"))
    np.testing.assert_allclose(pd.recipe_keep(COUNTS, gensim), keep_probability(COUNTS, 1e-3))
    np.testing.assert_allclose(pd.recipe_keep(COUNTS, gensim, t=0.05), keep_probability(COUNTS, 0.05))
    keras = next(r for r in pd.SUBSAMPLING_RECIPES if r.frequency == "Zipf rank")
    shuffled = COUNTS[[3, 0, 7, 1, 2, 6, 4, 5]]  # ranks follow the counts, not the order
    keep = pd.recipe_keep(shuffled, keras, t=1e-2)
    np.testing.assert_allclose(keep[1], min(1, math.sqrt(1e-2 / pd.zipf_frequency(1))))
    assert np.all(np.diff(pd.recipe_keep(COUNTS, keras, t=1e-2)) >= 0)
    with pytest.raises(ValueError, match="positive counts"):
        pd.recipe_keep(np.array([3, 0]), gensim)


def test_kept_share_and_top_share():
    assert pd.kept_share([10, 30], [1.0, 0.5]) == pytest.approx(25 / 40)
    assert pd.top_share([0.1, 0.6, 0.3], 2) == pytest.approx(0.9)


def test_distance_profile_measures_the_linear_weights():
    prof = pd.distance_profile(5, n_tokens=40_000, rng=0)
    assert prof.offsets.tolist() == [1, 2, 3, 4, 5]
    np.testing.assert_allclose(prof.expected, [1, 0.8, 0.6, 0.4, 0.2])
    assert prof.measured[0] == 1.0  # every radius reaches distance 1
    np.testing.assert_allclose(prof.measured, prof.expected, atol=0.01)


def test_word2vec_c_lr_is_a_staircase_to_a_floor():
    total = 1_000_000
    done = np.array([0, 9_999, 10_000, 500_000, total])
    lr = pd.word2vec_c_lr(0.025, done, total)
    assert lr[0] == lr[1] == 0.025 and lr[2] < 0.025
    assert lr[3] == pytest.approx(0.025 * (1 - 500_000 / (total + 1)))
    assert lr[4] == pytest.approx(0.025 * 1e-4)
    # gensim's (and the package's) line ends at min_lr instead
    assert linear_lr(0.025, 1e-4, 1.0) == pytest.approx(1e-4)


def test_measure_reports_time_and_peak_of_an_allocation():
    m = pd.measure(lambda n: np.ones(n).sum(), 1_000_000)
    assert m.result == 1_000_000 and m.seconds >= 0
    assert 8_000_000 <= m.peak_bytes < 9_000_000
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(RuntimeError, match="already tracing"):
            pd.measure(len, [])
    finally:
        tracemalloc.stop()


def test_draw_keep_plots_both_formulas_and_the_words():
    fig, ax = pd.draw_keep(COUNTS, 1e-2, labels=list("abcdefgh"))
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["word2vec.c", "paper"]
    dots = ax.get_lines()[2]
    np.testing.assert_allclose(dots.get_ydata(), keep_probability(COUNTS, 1e-2))
    assert [t.get_text() for t in ax.texts] == ["a", "b", "c"]
    assert "t = 1e-02" in ax.get_title()
    plt.close(fig)


def test_draw_noise_draws_the_distribution_for_the_power():
    fig, ax = plt.subplots()
    pd.draw_noise(COUNTS, 0.75, ax=ax, top=2)
    q = noise_distribution(COUNTS, 0.75)
    np.testing.assert_allclose(ax.get_lines()[-1].get_ydata(), q)
    assert f"{q[:2].sum():.0%}" in ax.get_title()
    plt.close(fig)
