"""Widgets are thin: their controls exist and a press calls the tested plain function."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from skipgram_lab import negative_sampling as ns  # noqa: E402

widgets = pytest.importorskip("ipywidgets")

from skipgram_lab.book.widgets import UpdateExplorer  # noqa: E402

NAMES = ["dog", "ball", "sofa", "apple"]
E = np.array([[0.9, -0.3], [0.2, 0.1], [-0.1, 0.4], [0.3, 0.3]])
O = np.array([[0.0, 0.1], [0.1, 0.9], [0.8, 0.2], [-0.6, 0.5]])


def test_explorer_has_its_controls():
    ex = UpdateExplorer(E, O, NAMES, w=0, c=1, negatives=(2, 3), lr=0.5)
    assert isinstance(ex.widget, widgets.HBox)
    assert ex.center.value == 0 and ex.context.value == 1
    assert ex.negatives.value == (2, 3)
    assert ex.lr.value == pytest.approx(0.5)
    assert [label for label, _ in ex.center.options] == NAMES
    assert ex.step_button.description == "step" and ex.reset_button.description == "reset"


def test_step_is_the_plain_callback_on_private_copies_and_reset_restores():
    E_in, O_in = E.copy(), O.copy()
    ex = UpdateExplorer(E, O, NAMES, w=0, c=1, negatives=(2,), lr=0.5)
    E_ref, O_ref = E.copy(), O.copy()
    for _ in range(2):
        fig, record = ex.step()
        ref = ns.sgd_step(E_ref, O_ref, 0, 1, [2], 0.5)
        assert record.s == ref.s
    np.testing.assert_array_equal(ex.E, E_ref)
    np.testing.assert_array_equal(E, E_in)  # the caller's arrays are never changed
    np.testing.assert_array_equal(O, O_in)
    assert len(ex.records) == 2
    ex.context.value = 3
    ex.negatives.value = (3, 2)  # the true context among the negatives: dropped
    _, record = ex.step()
    assert record.c == 3 and record.negatives.tolist() == [2]
    ex.reset()
    np.testing.assert_array_equal(ex.E, E)
    assert ex.records == []


def test_button_press_fills_the_output_without_a_kernel():
    ex = UpdateExplorer(E, O, NAMES)
    ex.step_button.click()
    assert len(ex.records) == 1
    ex.reset_button.click()
    assert ex.records == []


def test_explorer_refuses_vectors_it_cannot_draw():
    with pytest.raises(ValueError, match=r"\(V, 2\)"):
        UpdateExplorer(np.zeros((3, 3)), np.zeros((3, 3)), ["a", "b", "c"])
    with pytest.raises(ValueError, match="names must have one entry per row"):
        UpdateExplorer(E, O, NAMES[:3])
