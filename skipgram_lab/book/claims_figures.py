"""Pictures for Part II: the vectors of one training snapshot beside purity and loss curves.

:func:`geometry_figure` draws one snapshot (the callback of the chapter's
slider); :func:`animate_geometry` plays all of them with the same drawing code
(the static counterpart in the book). Both take 2-D points that are already
aligned frame to frame (``skipgram_lab.book.animate.aligned_frames``) and the
curves of :func:`skipgram_lab.book.claims.snapshot_metrics`. Nothing in the package
imports this module.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import numpy as np
>>> from skipgram_lab.book.claims_figures import geometry_figure
>>> frames = np.random.default_rng(0).normal(size=(3, 4, 2))
>>> curves = {"step": np.array([0, 10, 20]), "purity": np.array([0.1, 0.5, 0.8]),
...           "loss": np.array([4.2, 2.0, 1.5])}
>>> fig = geometry_figure(frames, 2, curves, groups=["a", "a", "b", "b"], labels=list("wxyz"))
>>> fig.axes[0].get_title()
'step 20: purity 0.80, loss 1.50'
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

from .._validate import check_int


class _GeometryPlot:
    """Left: the points of one frame, coloured by group. Right: purity and loss so far."""

    def __init__(self, frames, curves, groups, labels, show, chance, figsize, dpi):
        self.frames = np.asarray(frames, dtype=np.float64)
        if self.frames.ndim != 3 or self.frames.shape[2] != 2:
            raise ValueError(f"frames must be a (T, n, 2) array, got shape {self.frames.shape}")
        T, n, _ = self.frames.shape
        self.steps = np.asarray(curves["step"])
        self.purity = np.asarray(curves["purity"], dtype=np.float64)
        self.loss = np.asarray(curves["loss"], dtype=np.float64)
        if not len(self.steps) == len(self.purity) == len(self.loss) == T:
            raise ValueError(f"curves must hold one step, purity and loss per frame ({T}), got "
                             f"{len(self.steps)}, {len(self.purity)}, {len(self.loss)}")
        self.common = np.asarray(curves["common"], dtype=np.float64) if "common" in curves else None
        if self.common is not None and len(self.common) != T:
            raise ValueError(f"curves['common'] must hold one value per frame ({T}), got {len(self.common)}")
        groups = list(groups) if groups is not None else ["_all"] * n
        if len(groups) != n:
            raise ValueError(f"groups must have one entry per point ({n}), got {len(groups)}")
        names = list(dict.fromkeys(groups))
        cmap = plt.get_cmap("tab20" if len(names) > 10 else "tab10")
        color_of = {g: cmap(i % cmap.N) for i, g in enumerate(names)}
        self.fig, (self.ax, self.ax_curve) = plt.subplots(
            1, 2, figsize=figsize, dpi=dpi, gridspec_kw={"width_ratios": [1.25, 1]})
        lo, hi = self.frames.reshape(-1, 2).min(0), self.frames.reshape(-1, 2).max(0)
        pad = 0.06 * float((hi - lo).max() or 1.0)
        self.ax.set_xlim(lo[0] - pad, hi[0] + pad)
        self.ax.set_ylim(lo[1] - pad, hi[1] + pad)
        self.ax.set_xticks([])
        self.ax.set_yticks([])
        self.scatter = self.ax.scatter(*self.frames[0].T, s=18, c=[color_of[g] for g in groups])
        if groups[0] != "_all":
            for g in names:
                self.ax.scatter([], [], s=18, color=color_of[g], label=g)
            self.ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0.0, -0.01), ncol=4,
                           frameon=False, handletextpad=0.1, columnspacing=0.8)
        show = range(n) if show is None else show
        self.texts = {i: self.ax.text(*self.frames[0][i], labels[i], fontsize=7)
                      for i in show} if labels is not None else {}
        ax2 = self.ax_curve
        ax2.plot(self.steps, self.purity, color="0.8", lw=1)
        (self.purity_line,) = ax2.plot([], [], color="tab:blue", lw=2, label="k-NN group purity")
        lines = [self.purity_line]
        if self.common is not None:
            ax2.plot(self.steps, self.common, color="0.85", lw=1)
            (self.common_line,) = ax2.plot([], [], color="tab:green", lw=2, ls="--",
                                           label="shared direction (|mean unit row|)")
            lines.append(self.common_line)
        if chance is not None:
            lines.append(ax2.axhline(chance, color="tab:blue", ls=":", lw=1, label=f"chance {chance:.2f}"))
        ax2.set_ylim(0, 1)
        ax2.set_xlabel("training step")
        ax2.set_ylabel("purity", color="tab:blue")
        self.ax_loss = ax2.twinx()
        self.ax_loss.plot(self.steps, self.loss, color="0.85", lw=1)
        (self.loss_line,) = self.ax_loss.plot([], [], color="tab:red", lw=2, label="loss")
        self.ax_loss.set_ylim(0, 1.05 * float(self.loss.max()))
        self.ax_loss.set_ylabel("expected loss per pair", color="tab:red")
        self.marker = ax2.axvline(self.steps[0], color="k", lw=0.8)
        lines.append(self.loss_line)
        ax2.legend(lines, [x.get_label() for x in lines], fontsize=7, loc="center right")
        self.fig.tight_layout()

    def draw(self, t):
        t = int(t)
        self.scatter.set_offsets(self.frames[t])
        for i, txt in self.texts.items():
            txt.set_position(self.frames[t][i])
        self.purity_line.set_data(self.steps[:t + 1], self.purity[:t + 1])
        self.loss_line.set_data(self.steps[:t + 1], self.loss[:t + 1])
        if self.common is not None:
            self.common_line.set_data(self.steps[:t + 1], self.common[:t + 1])
        self.marker.set_xdata([self.steps[t], self.steps[t]])
        self.ax.set_title(f"step {self.steps[t]}: purity {self.purity[t]:.2f}, loss {self.loss[t]:.2f}",
                          fontsize=9)
        extra = [self.common_line] if self.common is not None else []
        return [self.scatter, self.purity_line, self.loss_line, *extra, self.marker, *self.texts.values()]


def geometry_figure(frames, t, curves, *, groups=None, labels=None, show=None, chance=None,
                    figsize=(9, 4.2), dpi=72):
    """One snapshot: its points (left) and the purity and loss curves up to it (right).

    Parameters
    ----------
    frames : (T, n, 2) array
        Aligned 2-D points, one frame per snapshot.
    t : int
        The frame to draw, ``0 <= t < T``.
    curves : dict
        ``"step"``, ``"purity"``, ``"loss"``: one value per frame; optionally ``"common"``, the
        length of the mean unit row (:func:`skipgram_lab.book.claims.common_direction`), drawn
        on the purity axis: the shared direction that a centred projection hides.
    groups : sequence of str, optional
        Group of each point (colour and legend).
    labels : sequence of str, optional
        Name of each point; written next to the points in ``show`` (default all).
    chance : float, optional
        Purity of random neighbours, drawn as a dotted line.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[0]`` the points, ``fig.axes[1]`` purity, ``fig.axes[2]`` loss.
    """
    frames = np.asarray(frames)
    t = check_int("t", t, 0)
    if t >= len(frames):
        raise ValueError(f"t must be < the number of frames ({len(frames)}), got t={t}")
    plot = _GeometryPlot(frames, curves, groups, labels, show, chance, figsize, dpi)
    plot.draw(t)
    return plot.fig


def animate_geometry(frames, curves, *, groups=None, labels=None, show=None, chance=None,
                     interval=400, figsize=(9, 4.2), dpi=72):
    """:func:`geometry_figure` for every frame, as an animation (at most 40 frames).

    Show it with ``skipgram_lab.book.animate.to_html(anim)`` (``to_jshtml`` without its CDN
    stylesheet link); the figure is closed already.

    Returns
    -------
    matplotlib.animation.FuncAnimation
    """
    frames = np.asarray(frames)
    if not 1 <= len(frames) <= 40:
        raise ValueError(f"frames must hold 1 to 40 frames, got {len(frames)}: use claims.pick_frames")
    plot = _GeometryPlot(frames, curves, groups, labels, show, chance, figsize, dpi)
    anim = FuncAnimation(plot.fig, plot.draw, frames=len(frames), interval=interval)
    plt.close(plot.fig)
    return anim
