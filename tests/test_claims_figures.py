"""The training picture: the slider's frame and the animation's frame are the same drawing."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402

from skipgram_lab.book.claims_figures import animate_geometry, geometry_figure  # noqa: E402


@pytest.fixture
def data():
    frames = np.random.default_rng(0).normal(size=(4, 5, 2))
    curves = {"step": np.array([0, 5, 20, 80]), "purity": np.array([0.1, 0.3, 0.6, 0.9]),
              "loss": np.array([4.1, 3.0, 2.2, 1.8])}
    return frames, curves


def test_geometry_figure_draws_the_frame_and_the_curves_up_to_it(data):
    frames, curves = data
    fig = geometry_figure(frames, 2, curves, groups=list("aabbc"), labels=list("vwxyz"), show=[0, 3],
                          chance=0.2)
    ax, ax_purity, ax_loss = fig.axes
    np.testing.assert_allclose(ax.collections[0].get_offsets(), frames[2])
    assert [t.get_text() for t in ax.texts] == ["v", "y"]
    np.testing.assert_allclose(ax.texts[1].get_position(), frames[2][3])
    purity_line = [ln for ln in ax_purity.lines if ln.get_label() == "k-NN group purity"][0]
    np.testing.assert_allclose(purity_line.get_ydata(), [0.1, 0.3, 0.6])
    loss_line = [ln for ln in ax_loss.lines if ln.get_label() == "loss"][0]
    np.testing.assert_allclose(loss_line.get_xdata(), [0, 5, 20])
    assert ax.get_title() == "step 20: purity 0.60, loss 2.20"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "c"]
    plt.close(fig)


@pytest.mark.filterwarnings("ignore:Animation was deleted")
def test_animation_frame_t_is_the_figure_of_t(data):
    frames, curves = data
    anim = animate_geometry(frames, curves, labels=list("vwxyz"))
    assert isinstance(anim, FuncAnimation)
    anim._func(3)
    ax = anim._fig.axes[0]
    np.testing.assert_allclose(ax.collections[0].get_offsets(), frames[3])
    assert ax.get_title() == "step 80: purity 0.90, loss 1.80"


@pytest.mark.parametrize("kwargs, message", [
    (dict(t=4), "t must be < the number of frames"),
    (dict(groups=list("ab")), "one entry per point"),
])
def test_geometry_figure_bad_input(data, kwargs, message):
    frames, curves = data
    args = dict(t=0)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        geometry_figure(frames, args.pop("t"), curves, **args)


@pytest.mark.filterwarnings("ignore:Animation was deleted")
def test_curves_must_match_the_frames(data):
    frames, curves = data
    with pytest.raises(ValueError, match="one step, purity and loss per frame"):
        geometry_figure(frames[:3], 0, curves)
    with pytest.raises(ValueError, match="1 to 40 frames"):
        animate_geometry(np.zeros((41, 2, 2)), curves)


@pytest.mark.filterwarnings("ignore:Animation was deleted")
def test_the_shared_direction_curve_is_drawn_up_to_the_frame(data):
    frames, curves = data
    curves = dict(curves, common=np.array([0.05, 0.9, 0.8, 0.7]))
    fig = geometry_figure(frames, 1, curves)
    common = [ln for ln in fig.axes[1].lines if ln.get_label().startswith("shared direction")][0]
    np.testing.assert_allclose(common.get_ydata(), [0.05, 0.9])
    plt.close(fig)
    with pytest.raises(ValueError, match=r"curves\['common'\] must hold one value per frame"):
        geometry_figure(frames, 0, dict(curves, common=np.zeros(3)))
