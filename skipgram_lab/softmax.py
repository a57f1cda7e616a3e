"""Full-softmax skip-gram: loss, gradients and one SGD step.

For a center row ``e_w = E[w]`` and the context id ``c`` (chapter 3):

* scores        ``s_j = e_w . O_j`` for every token j            (eq. ``sm-score``)
* probabilities ``P(j | w) = exp(s_j) / sum_i exp(s_i)``         (eq. ``softmax``)
* loss          ``L = -log P(c | w) = logsumexp(s) - s_c``       (eq. ``sm-loss``)
* dL/ds_j = P(j | w) - [j = c]                                    (eq. ``sm-dlds``)
* gradients     (eq. ``sm-grad``)::

      dL/de_w = sum_j P(j | w) O_j - O_c      (expected context row minus the true one)
      dL/dO_j = (P(j | w) - [j = c]) e_w      (every row of O moves: the O(|V|) cost)

>>> import numpy as np
>>> from skipgram_lab import softmax
>>> loss, g_e, g_O = softmax.loss_and_grad(np.zeros(2), np.ones((4, 2)), c=1)
>>> bool(np.isclose(loss, np.log(4)))          # all scores equal: uniform P
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import (
    TrainingDiverged, check_E_O, check_finite_rows, check_id, check_in_place, check_lr, check_matrix,
    check_vector,
)


def log_softmax(s):
    """``s - logsumexp(s)``: log-probabilities, stable for scores of any magnitude."""
    s = np.asarray(s, dtype=np.result_type(s, np.float64))
    m = np.max(s)
    return s - (m + np.log(np.sum(np.exp(s - m))))


def loss_and_grad(e_w, O, c):
    """Full-softmax negative log-likelihood of context ``c`` and its gradients.

    Implements eqs. ``sm-loss`` and ``sm-grad`` of chapter 3. Uses the
    log-sum-exp trick, so scores of magnitude 1e4 give finite results.

    Parameters
    ----------
    e_w : (d,) float ndarray
        Center row ``E[w]``.
    O : (V, d) float ndarray
        All context rows.
    c : int
        The true context id.

    Returns
    -------
    loss : float
    grad_e_w : (d,) ndarray
    grad_O : (V, d) ndarray
    """
    e_w = check_vector("e_w", e_w)
    O = check_matrix("O", O, e_w.shape[0])
    c = check_id("c", c, O.shape[0])
    return _loss_and_grad(e_w, O, c)


def _loss_and_grad(e_w, O, c):
    s = O @ e_w  # (V,)
    log_p = log_softmax(s)  # (V,)
    p = np.exp(log_p)
    dL_ds = p.copy()
    dL_ds[c] -= 1.0  # P - onehot(c)
    grad_e_w = dL_ds @ O  # (d,)
    grad_O = np.outer(dL_ds, e_w)  # (V, d)
    return float(-log_p[c]), grad_e_w, grad_O


@dataclass
class SoftmaxStep:
    """Every number of one full-softmax SGD step (for printing and drawing)."""

    w: int
    c: int
    lr: float
    s: np.ndarray  # (V,) scores
    p: np.ndarray  # (V,) P(j | w)
    loss: float
    dL_ds: np.ndarray  # (V,) p - onehot(c)
    e_w_before: np.ndarray  # (d,)
    O_before: np.ndarray  # (V, d)
    grad_e_w: np.ndarray  # (d,)
    grad_O: np.ndarray  # (V, d)
    pull: np.ndarray  # (d,) = lr * O_c: what the true context adds to e_w
    push: np.ndarray  # (d,) = -lr * sum_j p_j O_j: the expected row, subtracted
    delta_e_w: np.ndarray  # (d,) = pull + push
    delta_O: np.ndarray  # (V, d)
    e_w_after: np.ndarray  # (d,)
    O_after: np.ndarray  # (V, d)

    def summary(self) -> str:
        """The step in the order of chapter 3."""
        f = lambda x: np.array2string(np.asarray(x), precision=4, suppress_small=True)  # noqa: E731
        return "\n".join([
            f"center w={self.w}, context c={self.c}, lr={self.lr}",
            f"scores s = O e_w         = {f(self.s)}",
            f"P(j | w)                 = {f(self.p)}",
            f"L = -log P(c | w)        = {self.loss:.6f}",
            f"dL/ds = P - onehot(c)    = {f(self.dL_ds)}",
            f"dL/de_w                  = {f(self.grad_e_w)}",
            f"e_w: {f(self.e_w_before)} -> {f(self.e_w_after)}",
        ])


def sgd_step(E, O, w, c, lr):
    """One in-place full-softmax SGD step on ``E[w]`` and every row of ``O``.

    Implements eq. ``sm-update`` of chapter 3, gradients at the old values.

    Parameters
    ----------
    E, O : (V, d) float ndarrays, updated in place
    w, c : int
    lr : float, > 0

    Returns
    -------
    SoftmaxStep
    """
    E, O = check_E_O(check_in_place("E", E), check_in_place("O", O))
    w = check_id("w", w, E.shape[0])
    c = check_id("c", c, E.shape[0])
    return _sgd_step(E, O, w, c, check_lr(lr), record=True)


def _sgd_step(E, O, w, c, lr, record=False):
    """Unchecked :func:`sgd_step`; returns the loss, or the :class:`SoftmaxStep` if ``record``."""
    e_w = E[w].copy()
    O_before = O.copy() if record else None
    with np.errstate(over="ignore", invalid="ignore"):  # checked just below, with a clear message
        loss, grad_e_w, grad_O = _loss_and_grad(e_w, O, c)
        delta_e_w = -lr * grad_e_w
        delta_O = -lr * grad_O
    if not (np.isfinite(loss) and np.all(np.isfinite(delta_e_w)) and np.all(np.isfinite(delta_O))):
        check_finite_rows(e_w=e_w, O=O)
        raise TrainingDiverged(f"non-finite values at the step (w={w}, c={c}) with lr={lr}")
    E[w] += delta_e_w
    O += delta_O
    if not record:
        return loss
    s = O_before @ e_w
    p = np.exp(log_softmax(s))
    dL_ds = p.copy()
    dL_ds[c] -= 1.0
    return SoftmaxStep(
        w=w, c=c, lr=lr, s=s, p=p, loss=loss, dL_ds=dL_ds,
        e_w_before=e_w, O_before=O_before, grad_e_w=grad_e_w, grad_O=grad_O,
        pull=lr * O_before[c], push=-lr * (p @ O_before),
        delta_e_w=delta_e_w, delta_O=delta_O,
        e_w_after=E[w].copy(), O_after=O.copy(),
    )
