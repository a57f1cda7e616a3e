"""Static figures for the chapters: small functions from arrays to a matplotlib figure.

Every function takes plain arrays (and optional labels), draws on ``ax`` if
given or on a new figure otherwise, and returns ``(fig, ax)``. Nothing here
trains or reads a corpus; nothing in the package imports this module.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import numpy as np
>>> from skipgram_lab.book.plots import cooccurrence_heatmap
>>> fig, ax = cooccurrence_heatmap(np.array([[0, 2], [2, 0]]), ["dog", "ball"])
>>> [t.get_text() for t in ax.get_xticklabels()]
['dog', 'ball']
"""

from __future__ import annotations

import numpy as np

from .._validate import check_choice, check_int, check_rng

PROJECTIONS = ("pca", "tsne")


def _fig_ax(ax, figsize):
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    else:
        fig = ax.figure
    return fig, ax


def _group_colors(groups):
    """A colour per point from its group name: tab10 in order of first appearance."""
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(groups))
    cmap = plt.get_cmap("tab10")
    color_of = {g: cmap(i % 10) for i, g in enumerate(names)}
    return [color_of[g] for g in groups], color_of


def cooccurrence_heatmap(C, labels, *, ax=None, annotate=None, cmap="Blues", title=None):
    """A (rows x cols) count matrix as a heatmap with word labels.

    Parameters
    ----------
    C : (m, m) or (m, n) array
        Counts ``C[w, c]`` (center in rows, context in columns).
    labels : sequence of str, or (row_labels, col_labels)
        Tick labels; one sequence is used for both axes of a square matrix.
    annotate : bool or None
        Write each count in its cell; default: only if the matrix is at most 25 x 25.
    cmap, title : passed to matplotlib.

    Returns
    -------
    fig, ax
    """
    C = np.asarray(C)
    if C.ndim != 2:
        raise ValueError(f"C must be a 2-D array, got shape {C.shape}")
    if len(labels) == 2 and not isinstance(labels[0], str):
        rows, cols = list(labels[0]), list(labels[1])
    else:
        rows = cols = list(labels)
    if (len(rows), len(cols)) != C.shape:
        raise ValueError(
            f"labels must match C.shape={C.shape}, got {len(rows)} row and {len(cols)} column labels"
        )
    fig, ax = _fig_ax(ax, (0.32 * C.shape[1] + 2, 0.32 * C.shape[0] + 1.5))
    im = ax.imshow(C, cmap=cmap, aspect="equal")
    ax.set_xticks(range(len(cols)), cols, rotation=90)
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xlabel("context c")
    ax.set_ylabel("center w")
    if annotate is None:
        annotate = max(C.shape) <= 25
    if annotate:
        top = C.max() if C.size else 0
        for (i, j), v in np.ndenumerate(C):
            if v:
                ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=7,
                        color="white" if v > 0.6 * top else "black")
    fig.colorbar(im, ax=ax, shrink=0.8, label="count")
    if title:
        ax.set_title(title)
    return fig, ax


def vector_arrows(vectors, labels=None, *, origins=None, colors=None, ax=None, title=None,
                  styles=None):
    """2-D vectors as arrows from their origins (default: from 0), labelled at the tip.

    Parameters
    ----------
    vectors : (m, 2) array
    labels : sequence of str, optional
    origins : (m, 2) array or (2,) array, optional
        Where each arrow starts (to draw an update ``E_w -> E_w + delta``, pass
        ``origins=E_w`` and ``vectors=delta``).
    colors : sequence of colours, optional
    styles : sequence of str, optional
        Line style per arrow ("-", "--", ...).

    Returns
    -------
    fig, ax
        One ``Annotation`` per arrow in ``ax.texts`` (``.xy`` is the tip,
        ``.xyann`` the origin), followed by the labels.
    """
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float64))
    if vectors.ndim != 2 or vectors.shape[1] != 2:
        raise ValueError(f"vectors must have shape (m, 2), got {vectors.shape}: project to 2-D first")
    m = len(vectors)
    origins = np.zeros((m, 2)) if origins is None else np.broadcast_to(
        np.asarray(origins, dtype=np.float64), (m, 2))
    tips = origins + vectors
    colors = colors if colors is not None else [f"C{i % 10}" for i in range(m)]
    styles = styles if styles is not None else ["-"] * m
    fig, ax = _fig_ax(ax, (5, 5))
    for i in range(m):
        ax.annotate("", xy=tuple(tips[i]), xytext=tuple(origins[i]),
                    arrowprops=dict(arrowstyle="-|>", color=colors[i], lw=2, linestyle=styles[i],
                                    shrinkA=0, shrinkB=0))
    if labels is not None:
        for i, lab in enumerate(labels):
            ax.text(*(tips[i] + 0.03 * (np.abs(tips).max() or 1)), str(lab), color=colors[i])
    pts = np.vstack([origins, tips, [[0.0, 0.0]]])
    lo, hi = pts.min(0), pts.max(0)
    pad = 0.15 * max(float((hi - lo).max()), 1e-9)
    ax.set_xlim(lo[0] - pad, hi[0] + pad)
    ax.set_ylim(lo[1] - pad, hi[1] + pad)
    ax.set_aspect("equal")
    ax.axhline(0, color="0.85", lw=0.8, zorder=0)
    ax.axvline(0, color="0.85", lw=0.8, zorder=0)
    if title:
        ax.set_title(title)
    return fig, ax


def project_2d(X, method="pca", *, rng=0, perplexity=None):
    """Rows of ``X`` projected to 2-D, by PCA or t-SNE.

    PCA centers the rows and keeps the top two right singular vectors, with
    the sign of each fixed so that its largest entry is positive (same input,
    same picture). t-SNE (scikit-learn) runs on one thread (fast and
    reproducible on shared machines) with PCA initialisation.

    Parameters
    ----------
    X : (m, d) array, m >= 3
    method : {"pca", "tsne"}
    rng : Generator or int
        Seed for t-SNE.
    perplexity : float, optional
        t-SNE perplexity; default ``min(30, (m - 1) / 3)``.

    Returns
    -------
    (m, 2) float64 ndarray
    """
    check_choice("method", method, PROJECTIONS)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 3:
        raise ValueError(f"X must be a 2-D array with at least 3 rows, got shape {X.shape}")
    if method == "pca":
        Xc = X - X.mean(0)
        _, _, Vt = np.linalg.svd(Xc, full_matrices=False)
        comps = Vt[:2]
        if len(comps) < 2:
            comps = np.vstack([comps, np.zeros_like(comps)])
        signs = np.sign(comps[np.arange(2), np.argmax(np.abs(comps), axis=1)])
        return Xc @ (comps * np.where(signs == 0, 1.0, signs)[:, None]).T
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits

    seed = int(check_rng(rng).integers(2**31 - 1))
    perplexity = min(30.0, (len(X) - 1) / 3) if perplexity is None else perplexity
    with threadpool_limits(1):
        return TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed,
                    n_jobs=1).fit_transform(X)


def scatter_2d(points, labels=None, groups=None, *, ax=None, title=None, fontsize=8):
    """Points in 2-D, labelled, coloured by group (one legend entry per group).

    Parameters
    ----------
    points : (m, 2) array
        E.g. the output of :func:`project_2d`.
    labels : sequence of str, optional
        Text next to each point.
    groups : sequence of hashable, optional
        Group of each point (e.g. "pets", "fruit"); colours follow groups.

    Returns
    -------
    fig, ax
        One scatter collection per group (labelled with the group name).
    """
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (m, 2), got {points.shape}")
    m = len(points)
    for name, seq in (("labels", labels), ("groups", groups)):
        if seq is not None and len(seq) != m:
            raise ValueError(f"{name} must have one entry per point ({m}), got {len(seq)}")
    fig, ax = _fig_ax(ax, (6, 5))
    groups = list(groups) if groups is not None else ["_all"] * m
    _, color_of = _group_colors(groups)
    for g, color in color_of.items():
        idx = [i for i in range(m) if groups[i] == g]
        ax.scatter(points[idx, 0], points[idx, 1], color=color if g != "_all" else "C0",
                   s=25, label=None if g == "_all" else str(g))
    if labels is not None:
        for (x, y), lab in zip(points, labels):
            ax.annotate(str(lab), (x, y), xytext=(3, 3), textcoords="offset points",
                        fontsize=fontsize)
    if any(g != "_all" for g in groups):
        ax.legend(fontsize=8, loc="best")
    if title:
        ax.set_title(title)
    return fig, ax


def projection_plot(X, labels=None, groups=None, method="pca", *, rng=0, ax=None, title=None):
    """:func:`project_2d` then :func:`scatter_2d`; the title names the method.

    Returns
    -------
    fig, ax
    """
    points = project_2d(X, method, rng=rng)
    title = title if title is not None else {"pca": "PCA", "tsne": "t-SNE"}[method]
    return scatter_2d(points, labels, groups, ax=ax, title=title)


def loss_curves(curves, *, ax=None, xlabel="step", ylabel="loss", smooth=1, logy=False,
                title=None):
    """One or several loss curves, optionally smoothed by a running mean.

    Parameters
    ----------
    curves : (n,) array, or dict of name -> (n_i,) array or (x, y) pair
    smooth : int, default 1
        Width of a running mean (1: raw values). The raw curve is drawn faintly below.

    Returns
    -------
    fig, ax
        One ``Line2D`` per curve, labelled with its name (plus faint raw lines if smoothed).
    """
    if not isinstance(curves, dict):
        curves = {"loss": curves}
    fig, ax = _fig_ax(ax, (6, 3.5))
    for i, (name, val) in enumerate(curves.items()):
        if isinstance(val, tuple) and len(val) == 2:
            x, y = np.asarray(val[0], dtype=np.float64), np.asarray(val[1], dtype=np.float64)
        else:
            y = np.asarray(val, dtype=np.float64)
            x = np.arange(len(y), dtype=np.float64)
        if smooth > 1 and len(y) >= smooth:
            ax.plot(x, y, color=f"C{i}", alpha=0.2, lw=0.8)
            kernel = np.ones(smooth) / smooth
            y_s = np.convolve(y, kernel, mode="valid")
            ax.plot(x[smooth - 1:], y_s, color=f"C{i}", label=str(name))
        else:
            ax.plot(x, y, color=f"C{i}", label=str(name), marker="o" if len(y) <= 30 else None)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if len(curves) > 1 or "loss" not in curves:
        ax.legend()
    if title:
        ax.set_title(title)
    return fig, ax


def loglog_slope(x, y):
    """Least-squares slope of ``log y`` against ``log x`` (the exponent a in ``y ~ x^a``)."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.size < 2 or np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("x and y must be positive arrays of the same shape with >= 2 entries")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def cost_vs_V(V, seconds, *, ax=None, ylabel="seconds per step", title=None):
    """Cost as the vocabulary grows, on log-log axes, with the fitted slope in the legend.

    Parameters
    ----------
    V : (n,) array
        Vocabulary sizes (shared by all series).
    seconds : (n,) array or dict of name -> (n,) array
        Measured cost of one step (or of a batch) at each V.

    Returns
    -------
    fig, ax
        One line per series, labelled ``"name (slope 0.98)"``.
    """
    V = np.asarray(V, dtype=np.float64)
    if not isinstance(seconds, dict):
        seconds = {"cost": seconds}
    fig, ax = _fig_ax(ax, (5.5, 4))
    for i, (name, t) in enumerate(seconds.items()):
        t = np.asarray(t, dtype=np.float64)
        slope = loglog_slope(V, t)
        ax.plot(V, t, "o-", color=f"C{i}", label=f"{name} (slope {round(slope, 2) + 0.0:.2f})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("vocabulary size V")
    ax.set_ylabel(ylabel)
    ax.legend()
    if title:
        ax.set_title(title)
    return fig, ax


def rank_frequency(counts, *, ax=None, label=None, title=None):
    """Zipf plot: token frequency against its rank, on log-log axes, with the fitted slope.

    Parameters
    ----------
    counts : (V,) array
        Token counts, any order (zeros are ignored).

    Returns
    -------
    fig, ax
        The line's label holds the slope fitted over all ranks.
    """
    counts = np.sort(np.asarray(counts, dtype=np.float64))[::-1]
    counts = counts[counts > 0]
    if counts.size < 2:
        raise ValueError("counts must hold at least 2 positive entries")
    rank = np.arange(1, counts.size + 1)
    slope = loglog_slope(rank, counts)
    fig, ax = _fig_ax(ax, (5.5, 4))
    name = f"{label} " if label else ""
    ax.plot(rank, counts, ".", ms=3, label=f"{name}(slope {round(slope, 2) + 0.0:.2f})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("rank")
    ax.set_ylabel("count")
    ax.legend()
    if title:
        ax.set_title(title)
    return fig, ax


def probability_bars(p, labels=None, *, p_after=None, highlight=None, ax=None, title=None):
    """A distribution over tokens as bars; optionally a second one (after a step) beside it.

    Parameters
    ----------
    p : (V,) array
    labels : sequence of str, optional
    p_after : (V,) array, optional
    highlight : int, optional
        Index drawn in a different colour (the true context c).

    Returns
    -------
    fig, ax
        One bar container per distribution.
    """
    p = np.asarray(p, dtype=np.float64)
    x = np.arange(len(p))
    width = 0.4 if p_after is not None else 0.8
    fig, ax = _fig_ax(ax, (max(4, 0.5 * len(p) + 1), 3))
    colors = ["C0"] * len(p)
    if highlight is not None:
        colors[int(highlight)] = "C3"
    ax.bar(x - (width / 2 if p_after is not None else 0), p, width, color=colors,
           label="before" if p_after is not None else None)
    if p_after is not None:
        ax.bar(x + width / 2, np.asarray(p_after, dtype=np.float64), width, color=colors,
               alpha=0.5, hatch="//", label="after")
        ax.legend()
    ax.set_xticks(x, labels if labels is not None else [str(i) for i in x])
    ax.set_ylabel("P(j | w)")
    if title:
        ax.set_title(title)
    return fig, ax


def window_diagram(tokens, window, *, centers=None, start=0, ax=None, title=None):
    """The window sliding over one sentence: one row per center, its contexts shaded.

    Parameters
    ----------
    tokens : sequence of str
        One sentence (words or subword pieces).
    window : int
        The radius k: contexts are the tokens at offsets -k..-1 and 1..k.
    centers : sequence of int, optional
        Positions (0-based) to draw a row for; default every position.
    start : int, default 0
        Number shown for the first position in the row labels (1 to match
        the math's t_1, ..., t_n).

    Returns
    -------
    fig, ax
        One ``Rectangle`` per (row, token) in ``ax.patches``, with gid
        ``"center"``, ``"context"`` or ``"outside"``.
    """
    from matplotlib.patches import Rectangle

    window = check_int("window", window, 1)
    tokens = [str(t) for t in tokens]
    n = len(tokens)
    centers = list(range(n)) if centers is None else [int(i) for i in centers]
    if any(not 0 <= i < n for i in centers):
        raise ValueError(f"centers must be positions in [0, {n}), got centers={centers}")
    widths = [max(1.0, 0.16 * len(t) + 0.4) for t in tokens]
    x0 = np.concatenate([[0.0], np.cumsum(widths)[:-1]])
    fig, ax = _fig_ax(ax, (0.9 * sum(widths) + 1.5, 0.45 * len(centers) + 0.6))
    fill = {"center": "#f4a261", "context": "#a8dadc", "outside": "white"}
    for row, i in enumerate(centers):
        y = -row
        for j in range(n):
            kind = "center" if j == i else "context" if 0 < abs(j - i) <= window else "outside"
            ax.add_patch(Rectangle((x0[j] + 0.04, y - 0.4), widths[j] - 0.08, 0.8,
                                   facecolor=fill[kind], edgecolor="0.6", gid=kind))
            ax.text(x0[j] + widths[j] / 2, y, tokens[j], ha="center", va="center", fontsize=9,
                    color="black" if kind != "outside" else "0.55")
    ax.set_xlim(-0.1, sum(widths) + 0.1)
    ax.set_ylim(-len(centers) + 0.45, 0.55)
    ax.set_yticks([-r for r in range(len(centers))], [f"center {i + start}" for i in centers])
    ax.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(title if title is not None else f"window k = {window}")
    return fig, ax
