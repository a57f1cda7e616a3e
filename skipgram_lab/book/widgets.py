"""Live controls for the notebooks (ipywidgets): controls wired to plain, tested functions.

A widget here computes nothing itself: each button or slider calls a
function of :mod:`skipgram_lab.book.animate`, which the tests call directly. In
the rendered book widgets show only their saved state, so every widget
cell has a static counterpart (an animation) next to it.

>>> import numpy as np
>>> from skipgram_lab.book.widgets import UpdateExplorer
>>> E = np.array([[0.8, -0.2], [0.1, 0.3], [-0.4, 0.5]])
>>> O = np.array([[0.1, 0.2], [0.6, 0.7], [0.9, -0.1]])
>>> ex = UpdateExplorer(E, O, ["dog", "ball", "sofa"])   # doctest: +SKIP
>>> ex.widget                                             # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np

from . import animate
from .._validate import check_E_O


class UpdateExplorer:
    """Pick a center, a context, negatives and lr; press "step" to take one SGD step.

    Each press calls :func:`skipgram_lab.book.animate.step_and_draw` on the
    explorer's own copies of ``E`` and ``O`` (the arrays passed in are never
    changed) and shows the picture and :meth:`~skipgram_lab.negative_sampling.NSStep.summary`. "reset" goes
    back to the starting vectors.

    Parameters
    ----------
    E, O : (V, 2) float ndarrays
        Starting center and context vectors (2-D, to be drawn as they are).
    names : sequence of str
        One name per row.
    w, c : int
        Initial center and context.
    negatives : sequence of int
        Initially selected negatives.
    lr : float
        Initial learning rate.

    Attributes
    ----------
    center, context, negatives, lr, step_button, reset_button, output
        The controls (ipywidgets).
    widget : ipywidgets.VBox
        Display this (the last expression of a cell).
    E, O : the current vectors
    records : list of NSStep
        The steps taken since the last reset.
    """

    def __init__(self, E, O, names, *, w=0, c=1, negatives=(2,), lr=0.5):
        import ipywidgets as W

        E, O = check_E_O(E, O)
        if E.shape[1] != 2:
            raise ValueError(f"E and O must be (V, 2) to be drawn, got d={E.shape[1]}")
        if len(names) != E.shape[0]:
            raise ValueError(f"names must have one entry per row ({E.shape[0]}), got {len(names)}")
        self.E0, self.O0 = np.array(E, dtype=np.float64), np.array(O, dtype=np.float64)
        self.names = list(names)
        self.records = []
        options = [(n, i) for i, n in enumerate(self.names)]
        self.center = W.Dropdown(options=options, value=w, description="center w")
        self.context = W.Dropdown(options=options, value=c, description="context c")
        self.negatives = W.SelectMultiple(options=options, value=tuple(negatives),
                                          description="negatives", rows=min(6, len(options)))
        self.lr = W.FloatLogSlider(value=lr, base=10, min=-2, max=0.5, step=0.05, description="lr")
        self.step_button = W.Button(description="step", button_style="primary")
        self.reset_button = W.Button(description="reset")
        self.output = W.Output()
        self.step_button.on_click(lambda _: self._show(self.step()))
        self.reset_button.on_click(lambda _: self._show(self.reset()))
        controls = W.VBox([self.center, self.context, self.negatives, self.lr,
                           W.HBox([self.step_button, self.reset_button])])
        self.widget = W.HBox([controls, self.output])
        self.reset()

    def reset(self):
        """Back to the starting vectors; returns None (nothing to draw)."""
        self.E, self.O = self.E0.copy(), self.O0.copy()
        self.records = []
        return None

    def step(self):
        """One step with the current control values; returns ``(fig, record)``."""
        import matplotlib.pyplot as plt

        fig, record = animate.step_and_draw(
            self.E, self.O, self.center.value, self.context.value, list(self.negatives.value),
            self.lr.value, self.names)
        plt.close(fig)
        self.records.append(record)
        return fig, record

    def _show(self, result):
        from IPython.display import display

        with self.output:
            self.output.clear_output(wait=True)
            if result is None:
                print("reset to the starting vectors")
                return
            fig, record = result
            display(fig)
            print(f"step {len(self.records)}")
            print(record.summary())
