"""The pictures' plain functions: the numbers they draw are the step's numbers, frames do not jump."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402

from skipgram_lab.book import animate  # noqa: E402
from skipgram_lab import negative_sampling as ns  # noqa: E402
from skipgram_lab.noise import NoiseSampler, drop_positive  # noqa: E402

NAMES = ["dog", "ball", "sofa", "apple"]


@pytest.fixture
def toy2d():
    E = np.array([[0.9, -0.3], [0.2, 0.1], [-0.1, 0.4], [0.3, 0.3]])
    O = np.array([[0.0, 0.1], [0.1, 0.9], [0.8, 0.2], [-0.6, 0.5]])
    return E, O


def test_repeat_steps_is_sgd_step_in_a_loop_on_copies(toy2d):
    E, O = toy2d
    E_in, O_in = E.copy(), O.copy()
    records = animate.repeat_steps(E, O, 0, 1, [2, 3], lr=0.4, steps=4)
    np.testing.assert_array_equal(E, E_in)  # inputs untouched
    np.testing.assert_array_equal(O, O_in)
    E2, O2 = E.copy(), O.copy()
    for r in records:
        ref = ns.sgd_step(E2, O2, 0, 1, [2, 3], 0.4)
        assert r.s == ref.s and r.loss == ref.loss
        np.testing.assert_array_equal(r.e_w_after, ref.e_w_after)
    assert [r.s for r in records] == sorted(r.s for r in records)  # the pull wins here
    assert records[1].s == pytest.approx(records[0].s_after)


def test_repeat_steps_accepts_one_row_of_negatives_per_step(toy2d):
    E, O = toy2d
    records = animate.repeat_steps(E, O, 0, 1, [[2], [3]], lr=0.1, steps=2)
    assert [r.negatives.tolist() for r in records] == [[2], [3]]
    with pytest.raises(ValueError, match="negatives must have 3 rows"):
        animate.repeat_steps(E, O, 0, 1, [[2], [3]], lr=0.1, steps=3)


def test_draw_update_draws_every_vector_and_arrow(toy2d):
    import matplotlib.pyplot as plt

    E, O = toy2d
    record = animate.repeat_steps(E, O, 0, 1, [2, 3], lr=0.4)[0]
    fig, ax = plt.subplots()
    animate.draw_update(ax, record, NAMES)
    texts = [t.get_text() for t in ax.texts]
    assert {"E[dog]", "O[ball]", "O[sofa]", "O[apple]"} <= set(texts)
    arrows = [t for t in ax.texts if t.get_text() == ""]
    # E_w, O_c, pull, O_c's move, the new E_w, and per negative: O_n, push, O_n's move
    assert len(arrows) == 5 + 3 * 2
    pull = next(a for a in arrows if a.arrow_patch.get_edgecolor()[:3] == matplotlib.colors.to_rgb(animate.PULL))
    np.testing.assert_allclose(pull.xy, record.e_w_before + record.pull)
    plt.close(fig)


def test_draw_update_refuses_vectors_that_are_not_2d():
    import matplotlib.pyplot as plt

    E, O = np.ones((3, 3)) * 0.1, np.ones((3, 3)) * 0.2
    record = ns.sgd_step(E, O, 0, 1, [2], 0.1)
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="d = 2"):
        animate.draw_update(ax, record, ["a", "b", "c"])
    plt.close(fig)


def test_animate_update_has_one_frame_per_step_plus_the_end(toy2d):
    E, O = toy2d
    records = animate.repeat_steps(E, O, 0, 1, [2], lr=0.5, steps=3)
    anim = animate.animate_update(records, NAMES)
    assert isinstance(anim, FuncAnimation)
    html = anim.to_jshtml()
    assert html.count("frames[") >= 4
    with pytest.raises(ValueError, match="1 to 39 steps"):
        animate.animate_update(records * 14, NAMES)


def test_step_and_draw_updates_in_place_and_drops_the_true_context(toy2d):
    import matplotlib.pyplot as plt

    E, O = toy2d
    E_ref, O_ref = E.copy(), O.copy()
    fig, record = animate.step_and_draw(E, O, 0, 1, [1, 2], 0.3, NAMES)
    ns.sgd_step(E_ref, O_ref, 0, 1, [2], 0.3)
    np.testing.assert_array_equal(E, E_ref)
    np.testing.assert_array_equal(O, O_ref)
    assert record.negatives.tolist() == [2]
    plt.close(fig)


def test_pca_basis_is_orthonormal_and_deterministic():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 5)) * [10, 3, 0.1, 0.1, 0.1]
    mean, comps = animate.pca_basis(X)
    np.testing.assert_allclose(comps @ comps.T, np.eye(2), atol=1e-12)
    assert abs(comps[0, 0]) > 0.99 and abs(comps[1, 1]) > 0.99  # the two wide axes
    _, again = animate.pca_basis(X[::-1])
    np.testing.assert_allclose(again, comps, atol=1e-10)


def test_pca_frames_use_one_camera():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(10, 4))
    frames = animate.aligned_frames([A, A + 0.0, A * 2])
    assert frames.shape == (3, 10, 2)
    np.testing.assert_array_equal(frames[0], frames[1])
    # one fitted mean and basis: scaling the data scales its picture about the fitted mean
    mean, comps = animate.pca_basis(np.concatenate([A, A, 2 * A]))
    np.testing.assert_allclose(frames[2], (2 * A - mean) @ comps.T)


def test_procrustes_frames_undo_rotations_and_flips_of_each_embedding():
    rng = np.random.default_rng(2)
    Y = rng.normal(size=(12, 2))
    angles = iter([0.0, 1.0, 2.5, -0.7])
    flips = iter([1, -1, 1, -1])

    def spinning_embed(M):  # the same layout, rotated and flipped differently each call
        t, f = next(angles), next(flips)
        R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]) @ np.diag([1, f])
        return Y @ R + 5.0

    frames = animate.aligned_frames([np.zeros((12, 3))] * 4, method="procrustes", embed=spinning_embed)
    for t in range(1, 4):
        np.testing.assert_allclose(frames[t], frames[0], atol=1e-10)


def test_aligned_frames_bad_input():
    with pytest.raises(ValueError, match="method must be one of"):
        animate.aligned_frames([np.zeros((3, 2))], method="umap")
    with pytest.raises(ValueError, match="matrices is empty"):
        animate.aligned_frames([])


def test_animate_training_moves_points_and_labels():
    frames = np.stack([np.array([[0.0, 0.0], [1.0, 1.0]]) * (t + 1) for t in range(3)])
    anim = animate.animate_training(frames, ["a", "b"], titles=["t0", "t1", "t2"])
    anim._func(2)
    fig = anim._fig
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.collections[0].get_offsets(), frames[2])
    assert ax.get_title() == "t2"
    assert [t.get_position() for t in ax.texts][1] == (3.0, 3.0)
    anim._draw_was_started = True  # drawn by hand above: no "deleted without rendering" warning
    with pytest.raises(ValueError, match="1 <= T <= 40"):
        animate.animate_training(np.zeros((41, 2, 2)), ["a", "b"])


def test_relearn_trajectory_replays_pairs_with_the_trainers_negatives():
    rng = np.random.default_rng(3)
    E, O = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    E_in = E.copy()
    sampler = NoiseSampler.from_counts(np.array([5, 4, 3, 3, 2, 1]))
    traj, records = animate.relearn_trajectory(E, O, 0, [1, 2, 1], sampler, 2, 0.2, rng=7)
    np.testing.assert_array_equal(E, E_in)
    assert traj.shape == (4, 3) and np.all(traj[0] == 0)
    E2, O2 = E.copy(), O.copy()
    E2[0] = 0.0
    r = np.random.default_rng(7)
    for t, c in enumerate([1, 2, 1]):
        ns.sgd_step(E2, O2, 0, c, drop_positive(sampler.draw(r, 2), c), 0.2)
        np.testing.assert_array_equal(traj[t + 1], E2[0])
    assert len(records) == 3


def test_to_html_inlines_frames_and_loads_nothing_from_outside():
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    from skipgram_lab.book.animate import to_html

    fig, ax = plt.subplots()
    (line,) = ax.plot([0, 1], [0, 1])
    anim = FuncAnimation(fig, lambda i: (line,), frames=3)
    html = to_html(anim).data
    plt.close(fig)
    assert "http://" not in html and "https://" not in html
    assert html.count("data:image/png;base64") >= 3
