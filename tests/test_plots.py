"""Figures are built with Agg and inspected through their artists (no image comparison)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Annotation  # noqa: E402

from skipgram_lab.book import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_heatmap_shows_the_counts_and_the_words():
    C = np.array([[0, 2, 1], [2, 0, 0], [1, 0, 3]])
    fig, ax = plots.cooccurrence_heatmap(C, ["the", "dog", "ball"], title="counts")
    np.testing.assert_array_equal(ax.images[0].get_array(), C)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["the", "dog", "ball"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["the", "dog", "ball"]
    assert sorted(t.get_text() for t in ax.texts) == ["1", "1", "2", "2", "3"]  # zeros left blank
    assert ax.get_title() == "counts" and ax.get_xlabel() == "context c"
    assert fig is ax.figure


def test_heatmap_rectangular_labels_and_bad_labels():
    fig, ax = plots.cooccurrence_heatmap(np.ones((2, 3)), (["a", "b"], ["x", "y", "z"]),
                                         annotate=False)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x", "y", "z"]
    assert not ax.texts
    with pytest.raises(ValueError, match="labels must match"):
        plots.cooccurrence_heatmap(np.ones((2, 2)), ["a", "b", "c"])


def test_heatmap_draws_on_a_given_axes():
    fig, axes = plt.subplots(1, 2)
    out_fig, out_ax = plots.cooccurrence_heatmap(np.eye(2), ["a", "b"], ax=axes[1])
    assert out_fig is fig and out_ax is axes[1] and not axes[0].images


def test_vector_arrows_start_at_origins_and_end_at_tips():
    v = np.array([[1.0, 0.5], [-0.5, 1.0]])
    fig, ax = plots.vector_arrows(v, ["E_w", "O_c"], origins=[0.2, 0.1])
    arrows = [t for t in ax.texts if isinstance(t, Annotation)]
    assert len(arrows) == 2
    np.testing.assert_allclose([a.xy for a in arrows], v + [0.2, 0.1])
    np.testing.assert_allclose([a.xyann for a in arrows], [[0.2, 0.1]] * 2)
    assert [t.get_text() for t in ax.texts if not isinstance(t, Annotation)] == ["E_w", "O_c"]
    x0, x1 = ax.get_xlim()
    assert x0 < -0.3 and x1 > 1.2  # every tip is inside the view
    with pytest.raises(ValueError, match="project to 2-D"):
        plots.vector_arrows(np.ones((2, 3)))


def test_pca_projection_matches_svd_and_is_sign_stable():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(10, 5)) * [5, 2, 1, 0.1, 0.1]
    P = plots.project_2d(X)
    assert P.shape == (10, 2)
    Xc = X - X.mean(0)
    _, S, _ = np.linalg.svd(Xc)
    np.testing.assert_allclose(np.linalg.norm(P, axis=0), S[:2])  # variance kept = top 2 singular values
    np.testing.assert_allclose(np.abs(plots.project_2d(-X)), np.abs(P))
    np.testing.assert_allclose(plots.project_2d(X[:, ::-1]), P, atol=1e-12)  # column order is irrelevant


def test_tsne_projection_is_reproducible():
    X = np.random.default_rng(1).normal(size=(12, 4))
    a = plots.project_2d(X, "tsne", rng=3)
    b = plots.project_2d(X, "tsne", rng=3)
    assert a.shape == (12, 2)
    np.testing.assert_array_equal(a, b)


def test_projection_rejects_bad_input():
    with pytest.raises(ValueError, match="method"):
        plots.project_2d(np.ones((4, 3)), "umap")
    with pytest.raises(ValueError, match="at least 3 rows"):
        plots.project_2d(np.ones((2, 3)))


def test_scatter_colours_by_group_and_labels_points():
    pts = np.array([[0, 0], [1, 1], [2, 0], [3, 1.0]])
    fig, ax = plots.scatter_2d(pts, ["dog", "apple", "cat", "pear"],
                               ["pets", "fruit", "pets", "fruit"], title="groups")
    assert [c.get_label() for c in ax.collections] == ["pets", "fruit"]
    np.testing.assert_array_equal(ax.collections[0].get_offsets(), pts[[0, 2]])
    assert [t.get_text() for t in ax.texts] == ["dog", "apple", "cat", "pear"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["pets", "fruit"]
    with pytest.raises(ValueError, match="one entry per point"):
        plots.scatter_2d(pts, ["a"])


def test_projection_plot_titles_the_method():
    X = np.random.default_rng(2).normal(size=(6, 3))
    fig, ax = plots.projection_plot(X, list("abcdef"))
    assert ax.get_title() == "PCA" and len(ax.texts) == 6 and ax.get_legend() is None


def test_loss_curves_raw_and_smoothed():
    fig, ax = plots.loss_curves({"softmax": [3.0, 2.0, 1.0], "SGNS": ([0, 5, 10], [2.0, 1.5, 1.2])})
    assert [line.get_label() for line in ax.lines] == ["softmax", "SGNS"]
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), [0, 5, 10])
    fig, ax = plots.loss_curves(np.arange(10.0), smooth=4, logy=True)
    raw, smooth = ax.lines
    np.testing.assert_allclose(smooth.get_ydata(), np.arange(1.5, 8))  # running mean of 4
    assert ax.get_yscale() == "log" and ax.get_legend() is None


def test_loglog_slope_recovers_the_exponent():
    x = np.array([1e2, 1e3, 1e4])
    assert plots.loglog_slope(x, 3 * x**1.5) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="positive"):
        plots.loglog_slope([1, 2], [0, 1])


def test_cost_vs_V_labels_each_series_with_its_slope():
    V = np.array([1e2, 1e3, 1e4, 1e5])
    fig, ax = plots.cost_vs_V(V, {"full softmax": 1e-8 * V, "negative sampling": np.full(4, 1e-5)})
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["full softmax (slope 1.00)", "negative sampling (slope 0.00)"]
    assert ax.get_xscale() == ax.get_yscale() == "log"


def test_rank_frequency_on_a_zipf_law():
    counts = np.round(1e4 / np.arange(1, 200)).astype(int)
    fig, ax = plots.rank_frequency(np.random.default_rng(0).permutation(counts), label="zipf")
    (line,) = ax.lines
    assert line.get_ydata()[0] == 1e4 and np.all(np.diff(line.get_ydata()) <= 0)
    slope = float(line.get_label().split("slope ")[1].rstrip(")"))
    assert slope == pytest.approx(-1.0, abs=0.02)


def test_probability_bars_before_and_after():
    p, q = np.array([0.1, 0.6, 0.3]), np.array([0.05, 0.8, 0.15])
    fig, ax = plots.probability_bars(p, ["a", "b", "c"], p_after=q, highlight=1)
    before, after = ax.containers
    np.testing.assert_allclose([b.get_height() for b in before], p)
    np.testing.assert_allclose([b.get_height() for b in after], q)
    assert before[1].get_facecolor() != before[0].get_facecolor()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]


def test_window_diagram_shades_exactly_the_context_positions():
    tokens = ["the", "dog", "fetched", "the", "ball"]
    fig, ax = plots.window_diagram(tokens, 2, centers=[1, 4])
    kinds = [p.get_gid() for p in ax.patches]
    assert kinds[:5] == ["context", "center", "context", "context", "outside"]  # "ball" is 3 away
    assert kinds[5:] == ["outside", "outside", "context", "context", "center"]
    assert [t.get_text() for t in ax.texts][:5] == tokens
    assert ax.get_title() == "window k = 2"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["center 1", "center 4"]
    fig, ax = plots.window_diagram(tokens, 1, start=1)
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "center 1" and len(ax.patches) == 25
    with pytest.raises(ValueError, match="centers"):
        plots.window_diagram(tokens, 1, centers=[5])
    with pytest.raises(ValueError, match="window must be >= 1"):
        plots.window_diagram(tokens, 0)
