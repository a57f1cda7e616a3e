"""Moving pictures of the update (chapter 4) and of training (chapter 5).

Two kinds of functions live here:

* plain functions that compute what a picture shows (``repeat_steps``,
  ``aligned_frames``, ``relearn_trajectory``) or
  draw one frame (``draw_update``, ``step_and_draw``); the widgets in
  :mod:`skipgram_lab.book.widgets` only wire controls to these;
* ``animate_update`` and ``animate_training``, which return a matplotlib
  ``FuncAnimation``. In a notebook, show one with ``to_html(anim)``: it
  plays in the static book with no kernel and no network.

>>> import numpy as np
>>> from skipgram_lab.book.animate import repeat_steps
>>> E = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
>>> O = np.array([[0.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
>>> records = repeat_steps(E, O, w=0, c=1, negatives=[2], lr=0.5, steps=3)
>>> [round(r.s, 3) for r in records]          # the positive score grows step by step
[0.5, 0.676, 0.973]
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML
from matplotlib.animation import FuncAnimation

from .. import negative_sampling as ns
from .._validate import check_E_O, check_choice, check_int, check_rng
from ..align import procrustes_align
from ..noise import drop_positive

PULL, PUSH, CENTER, CONTEXT = "tab:green", "tab:red", "tab:blue", "tab:gray"


def to_html(anim):
    """The animation as self-contained HTML (frames inlined) for a notebook or the static book.

    matplotlib's ``to_jshtml`` adds a stylesheet link to a CDN for its button
    icons; the book's theme already ships those icons, so the link is dropped
    and the page loads nothing from outside.

    Returns
    -------
    IPython.display.HTML
    """
    html = anim.to_jshtml()
    return HTML(re.sub(r'<link rel="stylesheet"\s+href="https?://[^"]*"\s*/?>', "", html))


# ---- one update on 2-D vectors ---------------------------------------------------------
def repeat_steps(E, O, w, c, negatives, lr, steps=1):
    """``steps`` negative-sampling SGD steps on copies of ``E`` and ``O``.

    Parameters
    ----------
    E, O : (V, d) float ndarrays
        Not modified.
    w, c : int
    negatives : (K,) or (steps, K) int array-like
        The same negatives at every step, or one row per step.
    lr : float
    steps : int

    Returns
    -------
    list of NSStep
        One record per step (eq. ``ns-update``), in order.
    """
    E, O = (np.array(M, dtype=np.float64) for M in check_E_O(E, O))
    steps = check_int("steps", steps, 1)
    negatives = np.asarray(negatives, dtype=np.int64)
    rows = negatives if negatives.ndim == 2 else np.tile(negatives.reshape(1, -1), (steps, 1))
    if rows.shape[0] != steps:
        raise ValueError(f"negatives must have {steps} rows (one per step), got {rows.shape[0]}")
    return [ns.sgd_step(E, O, w, c, rows[t], lr) for t in range(steps)]


def _limits(records, pad=0.25):
    pts = [np.zeros((1, 2))]
    for r in records:
        pts += [r.e_w_before[None], r.e_w_after[None], r.o_c_before[None], r.o_c_after[None],
                r.O_neg_before, r.O_neg_after, (r.e_w_before + r.pull)[None],
                r.e_w_before[None] + r.push]
    pts = np.concatenate(pts)
    lo, hi = pts.min(0) - pad, pts.max(0) + pad
    half = (hi - lo).max() / 2
    mid = (hi + lo) / 2
    return (mid[0] - half, mid[0] + half), (mid[1] - half, mid[1] + half)


def _arrow(ax, tail, tip, color, lw=2.0, ls="-", alpha=1.0):
    ax.annotate("", xy=tuple(tip), xytext=tuple(tail),
                arrowprops=dict(arrowstyle="-|>", color=color, lw=lw, ls=ls, alpha=alpha,
                                shrinkA=0, shrinkB=0, mutation_scale=12))


def draw_update(ax, record, names, limits=None, trail=None):
    """Draw one :class:`~skipgram_lab.negative_sampling.NSStep` on 2-D vectors.

    Vectors are arrows from the origin: ``E[w]`` (blue), ``O[c]`` (gray) and
    each ``O[n_k]`` (gray, dashed). At the tip of ``E[w]``, the pull
    ``-lr (p - 1) O[c]`` (green) and each push ``-lr p_k O[n_k]`` (red); at
    the tips of the context rows, their own moves (``ns-grad``: ``O[c]``
    gains a copy of ``E[w]``, each ``O[n_k]`` loses one). Faint arrows show
    the rows after the step.

    Parameters
    ----------
    ax : matplotlib Axes
    record : NSStep with d = 2
    names : sequence of str
        ``names[i]`` labels row i.
    limits : ((xmin, xmax), (ymin, ymax)) or None
    trail : (T, 2) ndarray or None
        Earlier positions of ``E[w]``, drawn as dots.
    """
    r = record
    if r.e_w_before.shape != (2,):
        raise ValueError(f"draw_update needs d = 2 vectors, got d = {r.e_w_before.shape[0]}")
    ax.axhline(0, color="0.85", lw=0.8, zorder=0)
    ax.axvline(0, color="0.85", lw=0.8, zorder=0)
    if trail is not None and len(trail):
        ax.plot(*np.asarray(trail).T, "o", color=CENTER, ms=3, alpha=0.35)
    _arrow(ax, (0, 0), r.e_w_before, CENTER)
    ax.text(*(r.e_w_before * 1.04), f"E[{names[r.w]}]", color=CENTER, fontsize=9)
    _arrow(ax, (0, 0), r.o_c_before, CONTEXT)
    ax.text(*(r.o_c_before * 1.04), f"O[{names[r.c]}]", color="0.3", fontsize=9)
    _arrow(ax, r.e_w_before, r.e_w_before + r.pull, PULL, lw=3)
    _arrow(ax, r.o_c_before, r.o_c_after, PULL, lw=1.5)
    for k, n in enumerate(r.negatives):
        _arrow(ax, (0, 0), r.O_neg_before[k], CONTEXT, ls="--", lw=1.2)
        ax.text(*(r.O_neg_before[k] * 1.04), f"O[{names[n]}]", color="0.3", fontsize=9)
        _arrow(ax, r.e_w_before, r.e_w_before + r.push[k], PUSH, lw=3)
        _arrow(ax, r.O_neg_before[k], r.O_neg_before[k] + r.delta_O_neg[k], PUSH, lw=1.5)
    _arrow(ax, (0, 0), r.e_w_after, CENTER, lw=1.2, alpha=0.35)
    ax.plot([], [], color=PULL, lw=2.5, label="pull (add a copy)")
    ax.plot([], [], color=PUSH, lw=2.5, label="push (subtract a copy)")
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    if limits is not None:
        ax.set_xlim(*limits[0])
        ax.set_ylim(*limits[1])
    ax.set_aspect("equal")
    ax.set_title(f"s = {r.s:+.3f}, p = {r.p:.3f}, s_k = "
                 + ", ".join(f"{x:+.2f}" for x in r.s_neg), fontsize=9)
    return ax


def animate_update(records, names, interval=900, figsize=(6, 6), dpi=72):
    """One frame per step of ``records`` (from :func:`repeat_steps`), plus the final state.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        Show it with ``to_html(anim)``; the figure is closed already.
    """
    if not 1 <= len(records) <= 39:
        raise ValueError(f"records must hold 1 to 39 steps (<= 40 frames), got {len(records)}")
    limits = _limits(records)
    fig, ax = plt.subplots(figsize=figsize, dpi=dpi)

    def frame(t):
        ax.clear()
        trail = np.array([r.e_w_before for r in records[: t + 1]])
        if t < len(records):
            draw_update(ax, records[t], names, limits, trail=trail[:-1])
            ax.set_title(f"step {t + 1}: " + ax.get_title(), fontsize=9)
        else:  # the state after the last step, no arrows
            last = records[-1]
            after = ns.NSStep(**{**last.__dict__, "e_w_before": last.e_w_after,
                                 "o_c_before": last.o_c_after, "O_neg_before": last.O_neg_after,
                                 "pull": 0 * last.pull, "push": 0 * last.push,
                                 "delta_O_neg": 0 * last.delta_O_neg, "s": last.s_after})
            draw_update(ax, after, names, limits, trail=trail)
            ax.set_title(f"after {len(records)} steps: s = {last.s_after:+.3f}", fontsize=9)

    anim = FuncAnimation(fig, frame, frames=len(records) + 1, interval=interval)
    plt.close(fig)
    return anim


def step_and_draw(E, O, w, c, negatives, lr, names, ax=None, limits=None):
    """Widget callback: one SGD step **in place** on 2-D ``E``, ``O``, drawn with its arrows.

    A negative equal to the context ``c`` is dropped first
    (:func:`skipgram_lab.noise.drop_positive`), as the trainers do; the
    record's ``negatives`` show the ones used.

    Returns
    -------
    fig : matplotlib Figure
    record : NSStep
    """
    E, O = check_E_O(E, O)
    negatives = drop_positive(np.asarray(negatives, dtype=np.int64).ravel(), c)
    record = ns.sgd_step(E, O, w, c, negatives, lr)
    if ax is None:
        fig, ax = plt.subplots(figsize=(5, 5), dpi=72)
    else:
        fig = ax.figure
    draw_update(ax, record, names, _limits([record]) if limits is None else limits)
    return fig, record


# ---- 2-D projections of many vectors, aligned frame to frame ---------------------------
def pca_basis(X):
    """Mean and the top-2 principal directions of the rows of ``X``.

    Returns
    -------
    mean : (d,) ndarray
    components : (2, d) ndarray
        Orthonormal rows; the sign of each is fixed so that its largest
        entry is positive (the same data always gives the same picture).
    """
    X = np.asarray(X, dtype=np.float64)
    mean = X.mean(0)
    _, _, Vt = np.linalg.svd(X - mean, full_matrices=False)
    comps = Vt[:2]
    signs = np.sign(comps[np.arange(len(comps)), np.argmax(np.abs(comps), axis=1)])
    return mean, comps * signs[:, None]


def aligned_frames(matrices, method="pca", embed=None):
    """2-D coordinates of the rows of several snapshots, without jumps between frames.

    Parameters
    ----------
    matrices : sequence of (V, d) ndarrays
        E (or any rows) at successive moments of training.
    method : {"pca", "procrustes"}
        ``"pca"``: one PCA fitted on all snapshots stacked, used for every
        frame (a fixed camera: motion on screen is motion in the space).
        ``"procrustes"``: each frame embedded on its own (``embed``, default
        a per-frame PCA), centred, then rotated/reflected onto the previous
        frame (:func:`skipgram_lab.align.procrustes_align`) so that points
        do not flip or spin between frames.
    embed : callable or None
        ``embed((V, d) ndarray) -> (V, 2) ndarray`` for ``"procrustes"``
        (for example a t-SNE).

    Returns
    -------
    (T, V, 2) ndarray
    """
    check_choice("method", method, ("pca", "procrustes"))
    mats = [np.asarray(M, dtype=np.float64) for M in matrices]
    if not mats:
        raise ValueError("matrices is empty: pass at least one snapshot")
    if method == "pca":
        mean, comps = pca_basis(np.concatenate(mats))
        return np.stack([(M - mean) @ comps.T for M in mats])
    if embed is None:
        def embed(M):
            mean, comps = pca_basis(M)
            return (M - mean) @ comps.T
    frames = []
    for M in mats:
        Y = np.asarray(embed(M), dtype=np.float64)
        Y = Y - Y.mean(0)
        if frames:
            Y = procrustes_align(Y, frames[-1]).aligned
        frames.append(Y)
    return np.stack(frames)


def animate_training(frames, labels, colors=None, titles=None, interval=300, figsize=(5.5, 5),
                     dpi=72, show=None):
    """Scatter the rows of each frame of :func:`aligned_frames`, one frame per snapshot.

    Parameters
    ----------
    frames : (T, V, 2) ndarray, T <= 40
    labels : sequence of str, length V
    colors : sequence of matplotlib colors or None
    titles : sequence of str or None
    show : sequence of int or None
        Rows to write a label next to (default: all).

    Returns
    -------
    matplotlib.animation.FuncAnimation
    """
    frames = np.asarray(frames, dtype=np.float64)
    if frames.ndim != 3 or frames.shape[2] != 2 or not 1 <= len(frames) <= 40:
        raise ValueError(f"frames must be (T, V, 2) with 1 <= T <= 40, got shape {frames.shape}")
    show = range(frames.shape[1]) if show is None else show
    lo, hi = frames.reshape(-1, 2).min(0), frames.reshape(-1, 2).max(0)
    pad = 0.08 * (hi - lo).max()
    fig, ax = plt.subplots(figsize=figsize, dpi=dpi)
    scat = ax.scatter(*frames[0].T, c=colors if colors is not None else CENTER, s=25)
    texts = {i: ax.text(*frames[0][i], labels[i], fontsize=8) for i in show}
    ax.set_xlim(lo[0] - pad, hi[0] + pad)
    ax.set_ylim(lo[1] - pad, hi[1] + pad)
    ax.set_xticks([])
    ax.set_yticks([])

    def frame(t):
        scat.set_offsets(frames[t])
        for i, txt in texts.items():
            txt.set_position(frames[t][i])
        ax.set_title(titles[t] if titles is not None else f"snapshot {t}", fontsize=10)
        return [scat, *texts.values()]

    anim = FuncAnimation(fig, frame, frames=len(frames), interval=interval)
    plt.close(fig)
    return anim


# ---- one word learned where real embeddings live ----------------------------------------
def relearn_trajectory(E, O, w, contexts, sampler, negatives, lr, rng=None, start=None):
    """Replay the (w, c) pairs of one word on copies of E and O; return E[w] after each.

    This is the picture behind "pull and push": start ``E[w]`` somewhere else
    (``start``, default the zero vector), then for each true context ``c`` of
    ``w`` draw ``negatives`` noise ids (dropping ``c``, as the trainers do) and
    take one :func:`~skipgram_lab.negative_sampling.sgd_step`.

    Parameters
    ----------
    E, O : (V, d) float ndarrays
        A trained model; not modified.
    w : int
    contexts : (T,) int array-like
        Context ids of ``w`` in the order they are replayed.
    sampler : NoiseSampler
    negatives : int
        K.
    lr : float
    rng : Generator, int or None
    start : (d,) ndarray or None

    Returns
    -------
    trajectory : (T + 1, d) ndarray
        ``E[w]`` before the first step and after each step.
    records : list of NSStep
    """
    E, O = (np.array(M, dtype=np.float64) for M in check_E_O(E, O))
    rng = check_rng(rng)
    E[w] = 0.0 if start is None else start
    trajectory, records = [E[w].copy()], []
    for c in np.asarray(contexts, dtype=np.int64):
        negs = drop_positive(sampler.draw(rng, negatives), c)
        records.append(ns.sgd_step(E, O, w, int(c), negs, lr))
        trajectory.append(E[w].copy())
    return np.array(trajectory), records
