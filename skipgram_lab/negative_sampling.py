"""Skip-gram with negative sampling (SGNS): loss, gradients and one SGD step.

For a center row ``e_w = E[w]``, its true context row ``o_c = O[c]`` and K
noise rows ``O_neg = O[negatives]`` (chapter 4):

* scores        ``s = e_w . o_c``,  ``s_k = e_w . o_nk``          (eq. ``ns-score``)
* probabilities ``p = sigma(s)``,   ``p_k = sigma(s_k)``
* loss          ``L = -log sigma(s) - sum_k log sigma(-s_k)``     (eq. ``ns-loss``)
* dL/ds = p - 1,  dL/ds_k = p_k                                   (eq. ``ns-dlds``)
* gradients     (eq. ``ns-grad``)::

      dL/de_w  = (p - 1) o_c + sum_k p_k o_nk
      dL/do_c  = (p - 1) e_w
      dL/do_nk = p_k e_w

* update        ``row <- row - lr * dL/drow``, all at the old values  (eq. ``ns-update``)

Since ``p - 1 < 0`` the positive term *adds* a scaled copy of ``o_c`` to
``e_w`` (pull); since ``p_k > 0`` each negative *subtracts* a scaled copy of
``o_nk`` (push).

>>> import numpy as np
>>> from skipgram_lab import negative_sampling as ns
>>> e_w, o_c, O_neg = np.array([1.0, 0.0]), np.array([0.5, 0.5]), np.array([[0.0, 1.0]])
>>> loss, g_e, g_c, g_neg = ns.loss_and_grad(e_w, o_c, O_neg)
>>> round(loss, 4)
1.1672
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import (  # TrainingDiverged is also importable from here, as before
    TrainingDiverged, check_E_O, check_finite_rows, check_id, check_ids, check_in_place, check_lr,
    check_matrix, check_vector,
)


def _sigmoid_of(s, z):
    """``sigma(s)`` given ``z = exp(-|s|)``: ``1 / (1 + z)`` for s >= 0, ``z / (1 + z)`` below."""
    return np.where(s >= 0, 1.0, z) / (1.0 + z)


def sigmoid(s):
    """The logistic function ``1 / (1 + exp(-s))``, without overflow for any finite s."""
    s = np.asarray(s)
    if not np.issubdtype(s.dtype, np.floating):
        s = s.astype(np.float64)
    # exp(-|s|) never overflows; pick the algebraically equal form on each side of 0.
    out = _sigmoid_of(s, np.exp(-np.abs(s)))
    return out[()] if out.ndim == 0 else out


def log_sigmoid(s):
    """``log sigma(s) = -log(1 + exp(-s))``, finite for any ``|s|`` up to the float maximum."""
    s = np.asarray(s)
    if not np.issubdtype(s.dtype, np.floating):  # -s of an unsigned int wraps around
        s = s.astype(np.float64)
    out = -np.logaddexp(0.0, -s)
    return out[()] if np.ndim(out) == 0 else out


def sigmoid_and_log_sigmoid(s, sign=1.0):
    """``sigma(s)`` and ``log sigma(sign * s)`` from one ``exp(-|s|)`` (float arrays).

    For the batched steps, which need both: ``sigma(s)`` is :func:`sigmoid`'s bit
    for bit; the log is :func:`log_sigmoid`'s up to round-off
    (``min(sign s, 0) - log1p(exp(-|s|))``), finite for every finite s.
    ``sign`` may be an array broadcasting against ``s`` (+1 for true pairs, -1 for noise).
    """
    z = np.exp(-np.abs(s))
    return _sigmoid_of(s, z), np.minimum(sign * s, 0.0) - np.log1p(z)


def loss_and_grad(e_w, o_c, O_neg):
    """SGNS loss of one (center, context, negatives) triple and its gradients.

    Implements eqs. ``ns-loss``, ``ns-dlds`` and ``ns-grad`` of chapter 4.

    Parameters
    ----------
    e_w : (d,) float ndarray
        Center row ``E[w]``.
    o_c : (d,) float ndarray
        True context row ``O[c]``.
    O_neg : (K, d) float ndarray
        Noise rows ``O[n_1], ..., O[n_K]`` (K may be 0).

    Returns
    -------
    loss : float
    grad_e_w : (d,) ndarray
    grad_o_c : (d,) ndarray
    grad_O_neg : (K, d) ndarray
        Row k is the gradient for the k-th draw; a noise id drawn twice gets
        two rows, which an update must add up.
    """
    e_w = check_vector("e_w", e_w)
    o_c = check_vector("o_c", o_c, e_w.shape[0])
    O_neg = np.asarray(O_neg)
    if O_neg.size == 0 or O_neg.ndim == 1 and O_neg.shape[0] == e_w.shape[0]:  # no noise, or one row
        O_neg = O_neg.reshape(-1, e_w.shape[0])
    O_neg = check_matrix("O_neg", O_neg, e_w.shape[0])  # (K, d): a (d, K) array is refused, not reshaped
    return _loss_and_grad(e_w, o_c, O_neg)


def _loss_and_grad(e_w, o_c, O_neg):
    s = e_w @ o_c  # ()
    s_neg = O_neg @ e_w  # (K,)
    loss = -log_sigmoid(s) - np.sum(log_sigmoid(-s_neg))
    dL_ds = sigmoid(s) - 1.0  # p - 1 < 0: pull
    dL_ds_neg = sigmoid(s_neg)  # p_k > 0: push, (K,)
    grad_e_w = dL_ds * o_c + dL_ds_neg @ O_neg  # (d,)
    grad_o_c = dL_ds * e_w  # (d,)
    grad_O_neg = dL_ds_neg[:, None] * e_w[None, :]  # (K, d)
    return float(loss), grad_e_w, grad_o_c, grad_O_neg


@dataclass
class NSStep:
    """Every number of one negative-sampling SGD step (for printing and drawing).

    Rows are copies taken before (``*_before``) and after (``*_after``) the
    update. ``pull`` is what the true context added to ``e_w``; ``push[k]`` is
    what negative k added to it (a vector pointing away from ``o_nk``).
    ``delta_e_w = pull + push.sum(0)``.
    """

    w: int
    c: int
    negatives: np.ndarray  # (K,)
    lr: float
    s: float
    s_neg: np.ndarray  # (K,)
    p: float
    p_neg: np.ndarray  # (K,)
    dL_ds: float
    dL_ds_neg: np.ndarray  # (K,)
    loss: float
    e_w_before: np.ndarray  # (d,)
    o_c_before: np.ndarray  # (d,)
    O_neg_before: np.ndarray  # (K, d)
    grad_e_w: np.ndarray  # (d,)
    grad_o_c: np.ndarray  # (d,)
    grad_O_neg: np.ndarray  # (K, d)
    pull: np.ndarray  # (d,)  = -lr (p - 1) o_c
    push: np.ndarray  # (K, d) = -lr p_k o_nk
    delta_e_w: np.ndarray  # (d,)
    delta_o_c: np.ndarray  # (d,)
    delta_O_neg: np.ndarray  # (K, d)
    e_w_after: np.ndarray  # (d,)
    o_c_after: np.ndarray  # (d,)
    O_neg_after: np.ndarray  # (K, d)

    @property
    def s_after(self) -> float:
        """The positive score after the step, ``E[w] . O[c]``."""
        return float(self.e_w_after @ self.o_c_after)

    def summary(self) -> str:
        """The step in the order of chapter 4, one line per quantity."""
        f = lambda x: np.array2string(np.asarray(x), precision=4, suppress_small=True)  # noqa: E731
        lines = [
            f"center w={self.w}, context c={self.c}, negatives={self.negatives.tolist()}, lr={self.lr}",
            f"s = e_w . o_c            = {self.s:.6f}",
            f"p = sigma(s)             = {self.p:.6f}",
            f"L                        = {self.loss:.6f}",
            f"dL/ds = p - 1            = {self.dL_ds:.6f}",
            f"s_k (negatives)          = {f(self.s_neg)}",
            f"dL/ds_k = p_k            = {f(self.dL_ds_neg)}",
            f"dL/de_w                  = {f(self.grad_e_w)}",
            f"dL/do_c = (p - 1) e_w    = {f(self.grad_o_c)}",
            f"pull on e_w              = {f(self.pull)}",
            f"push on e_w (sum)        = {f(self.push.sum(axis=0))}",
            f"e_w: {f(self.e_w_before)} -> {f(self.e_w_after)}",
            f"o_c: {f(self.o_c_before)} -> {f(self.o_c_after)}",
            f"s after                  = {self.s_after:.6f}",
        ]
        return "\n".join(lines)


def sgd_step(E, O, w, c, negatives, lr):
    """One in-place SGD step on ``E[w]``, ``O[c]`` and ``O[negatives]``.

    Implements eq. ``ns-update`` of chapter 4. All gradients are taken at the
    old values (a simultaneous update). A noise id drawn twice has both of its
    updates added (``np.add.at``), as the gradient of the summed loss says.

    Parameters
    ----------
    E, O : (V, d) float ndarrays
        Center and context matrices, updated in place.
    w, c : int
        Center and context ids.
    negatives : (K,) int array-like
        Noise ids (K may be 0).
    lr : float
        The learning rate eta, > 0.

    Returns
    -------
    NSStep
        All intermediate numbers of the step.

    Raises
    ------
    TrainingDiverged
        If the step would write NaN or inf (nothing is written then).
    """
    E, O = check_E_O(check_in_place("E", E), check_in_place("O", O))
    V = E.shape[0]
    w = check_id("w", w, V)
    c = check_id("c", c, V)
    negatives = check_ids("negatives", np.atleast_1d(negatives), V).ravel()
    lr = check_lr(lr)
    return _sgd_step(E, O, w, c, negatives, lr, record=True)


def _sgd_step(E, O, w, c, negatives, lr, record=False):
    """Unchecked :func:`sgd_step`; returns the loss, or the :class:`NSStep` if ``record``."""
    e_w, o_c, O_neg = E[w].copy(), O[c].copy(), O[negatives]  # fancy indexing copies O_neg
    with np.errstate(over="ignore", invalid="ignore"):  # checked just below, with a clear message
        loss, grad_e_w, grad_o_c, grad_O_neg = _loss_and_grad(e_w, o_c, O_neg)
        delta_e_w = -lr * grad_e_w
        delta_o_c = -lr * grad_o_c
        delta_O_neg = -lr * grad_O_neg
    finite = np.isfinite(loss) and all(
        np.all(np.isfinite(x)) for x in (delta_e_w, delta_o_c, delta_O_neg)
    )
    if not finite:
        check_finite_rows(e_w=e_w, o_c=o_c, O_neg=O_neg)
        raise TrainingDiverged(f"non-finite values at the step (w={w}, c={c}) with lr={lr}")
    E[w] += delta_e_w
    O[c] += delta_o_c
    np.add.at(O, negatives, delta_O_neg)
    if not record:
        return loss
    s = float(e_w @ o_c)
    s_neg = O_neg @ e_w
    return NSStep(
        w=w, c=c, negatives=negatives.copy(), lr=lr,
        s=s, s_neg=s_neg, p=float(sigmoid(s)), p_neg=sigmoid(s_neg),
        dL_ds=float(sigmoid(s) - 1.0), dL_ds_neg=sigmoid(s_neg), loss=loss,
        e_w_before=e_w, o_c_before=o_c, O_neg_before=O_neg,
        grad_e_w=grad_e_w, grad_o_c=grad_o_c, grad_O_neg=grad_O_neg,
        pull=-lr * (sigmoid(s) - 1.0) * o_c,
        push=-lr * sigmoid(s_neg)[:, None] * O_neg,
        delta_e_w=delta_e_w, delta_o_c=delta_o_c, delta_O_neg=delta_O_neg,
        e_w_after=E[w].copy(), o_c_after=O[c].copy(), O_neg_after=O[negatives],
    )


def positive_score_change(e_w, o_c, lr):
    """Exact change of ``s = e_w . o_c`` after a positive-only step (eq. ``ns-ds``).

    With ``a = lr * (1 - p)`` the step is ``e_w += a o_c`` and ``o_c += a e_w``,
    so ``s_new - s = a (|e_w|^2 + |o_c|^2) + a^2 s``. The notes keep only the
    first term; the second is small for small ``a`` but makes this exact.

    Returns
    -------
    float
    """
    e_w = check_vector("e_w", e_w)
    o_c = check_vector("o_c", o_c, e_w.shape[0])
    lr = check_lr(lr)
    s = float(e_w @ o_c)
    a = lr * (1.0 - float(sigmoid(s)))
    return a * (float(e_w @ e_w) + float(o_c @ o_c)) + a * a * s
