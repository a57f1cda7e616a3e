"""CBOW with negative sampling: the mean of the context rows predicts the center (chapter 13).

Skip-gram asks one question per (center, context) pair. CBOW ("continuous bag
of words") asks one per center: the m context tokens ``c_1 .. c_m`` of the
window are the *input*, their rows of E are averaged, and that mean predicts
the center w through its row of O, against K noise rows. The roles are
word2vec.c's and gensim's: E holds the input rows (here the contexts'), O the
output rows (here the center's and the noise ids').

* mean            ``h = (1/m) sum_j E[c_j]``                         (eq. ``cbow-h``)
* scores          ``s = h . o_w``,  ``s_k = h . o_nk``
* loss            ``L = -log sigma(s) - sum_k log sigma(-s_k)``      (eq. ``cbow-loss``)
* gradients       (eq. ``cbow-grad``)::

      dL/dh     = (p - 1) o_w + sum_k p_k o_nk
      dL/dE[c_j] = dL/dh / m           (each context row gets an m-th share)
      dL/do_w   = (p - 1) h
      dL/do_nk  = p_k h

The loss is skip-gram's eq. ``ns-loss`` with ``e_w`` replaced by ``h``; the
only new step is the chain rule through the mean, ``dh/dE[c_j] = I / m``. A
context id that occurs twice in the window is two terms of the mean and gets
two shares (the update adds them).

word2vec.c (``-cbow 1``) and gensim (``sg=0, cbow_mean=1``) take the mean in
the forward pass but add the *whole* ``-lr dL/dh`` to every context row, not
its m-th share: ``context_update="word2vec"`` below. That is the gradient of
the loss with a learning rate m times larger for the input rows.

>>> import numpy as np
>>> from skipgram_lab import cbow
>>> E_C = np.array([[1.0, 0.0], [0.0, 1.0]])      # two context rows
>>> o_w, O_neg = np.array([0.5, 0.5]), np.array([[0.0, -1.0]])
>>> loss, g_C, g_w, g_neg = cbow.loss_and_grad(E_C, o_w, O_neg)
>>> round(loss, 4), g_C.shape
(0.9482, (2, 2))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import check_choice, check_E_O, check_id, check_ids, check_lr, check_matrix, check_vector
from .negative_sampling import TrainingDiverged, log_sigmoid, sigmoid
from .pairs import flatten_sentences, window_positions

#: How the step of the mean reaches the context rows. "gradient" gives each row an m-th share
#: (the exact gradient), "word2vec" the whole step (word2vec.c's and gensim's rule).
CONTEXT_UPDATES = ("gradient", "word2vec")


def context_weights(sentences, window, *, dynamic=False, rng=None):
    """Every position's window as one row of 0/1 weights: the input of both CBOW trainers.

    Parameters
    ----------
    sentences : list of (n_i,) int ndarrays
    window : int
        The radius k.
    dynamic : bool
        Draw a radius in 1..k per position (word2vec.c's reduced window), from ``rng``.
    rng : Generator, int or None

    Returns
    -------
    tokens : (N,) int64 ndarray
        The sentences, concatenated.
    weight : (N, 2k + 1) uint8 ndarray
        ``weight[i, u] = 1`` if the token at position ``i + u - k`` is a context of
        center i (same sentence, within the radius); column k is always 0. A
        position whose row is all 0 (a one-token sentence) is no CBOW example.
    """
    tokens, sentence_of = flatten_sentences(sentences)
    return tokens, window_weights(sentence_of, window, dynamic=dynamic, rng=rng)


def window_weights(sentence_of, window, *, dynamic=False, rng=None):
    """The ``weight`` of :func:`context_weights` for a corpus already flattened.

    Parameters
    ----------
    sentence_of : (N,) int ndarray
        Each position's sentence, as :func:`skipgram_lab.pairs.flatten_sentences` returns it.
    window, dynamic, rng
        As in :func:`context_weights` (the same draws from ``rng``).

    Returns
    -------
    (N, 2k + 1) uint8 ndarray
    """
    centers, contexts = window_positions(sentence_of, window, dynamic=dynamic, rng=rng)
    weight = np.zeros((len(sentence_of), 2 * window + 1), np.uint8)
    weight[centers, contexts - centers + window] = 1
    return weight


def loss_and_grad(E_C, o_w, O_neg):
    """CBOW negative-sampling loss of one (contexts, center, negatives) example and its gradients.

    Implements eqs. ``cbow-h``, ``cbow-loss`` and ``cbow-grad`` of chapter 13.

    Parameters
    ----------
    E_C : (m, d) float ndarray
        The context rows ``E[c_1], ..., E[c_m]`` (m >= 1; a repeated id is a repeated row).
    o_w : (d,) float ndarray
        The center's output row ``O[w]``.
    O_neg : (K, d) float ndarray
        Noise rows ``O[n_1], ..., O[n_K]`` (K may be 0).

    Returns
    -------
    loss : float
    grad_E_C : (m, d) ndarray
        Row j is ``dL/dh / m``: every context row gets the same share.
    grad_o_w : (d,) ndarray
    grad_O_neg : (K, d) ndarray
    """
    E_C = check_matrix("E_C", np.atleast_2d(E_C))
    if E_C.shape[0] == 0:
        raise ValueError("E_C must hold at least one context row, got E_C.shape=(0, d)")
    d = E_C.shape[1]
    o_w = check_vector("o_w", o_w, d)
    O_neg = check_matrix("O_neg", np.reshape(O_neg, (-1, d)), d)
    loss, grad_h, grad_o_w, grad_O_neg, _ = _forward_backward(E_C, o_w, O_neg)
    m = E_C.shape[0]
    grad_E_C = np.broadcast_to(grad_h / m, E_C.shape).copy()  # (m, d): dh/dE[c_j] = I / m
    return loss, grad_E_C, grad_o_w, grad_O_neg


def _forward_backward(E_C, o_w, O_neg):
    """Loss, ``dL/dh``, ``dL/do_w``, ``dL/dO_neg`` and the scores, from the context rows."""
    h = E_C.mean(axis=0)  # (d,) eq. cbow-h
    s = h @ o_w  # ()
    s_neg = O_neg @ h  # (K,)
    loss = -log_sigmoid(s) - np.sum(log_sigmoid(-s_neg))
    dL_ds = sigmoid(s) - 1.0  # p - 1 < 0: pull
    dL_ds_neg = sigmoid(s_neg)  # p_k > 0: push, (K,)
    grad_h = dL_ds * o_w + dL_ds_neg @ O_neg  # (d,)
    grad_o_w = dL_ds * h  # (d,)
    grad_O_neg = dL_ds_neg[:, None] * h[None, :]  # (K, d)
    return float(loss), grad_h, grad_o_w, grad_O_neg, (h, float(s), s_neg)


@dataclass
class CBOWStep:
    """Every number of one CBOW negative-sampling SGD step (for printing and checking).

    ``delta_E_C[j]`` is what context row j received; with ``context_update="gradient"``
    it is ``-lr dL/dh / m``, with ``"word2vec"`` the whole ``-lr dL/dh``.
    """

    contexts: np.ndarray  # (m,)
    w: int
    negatives: np.ndarray  # (K,)
    lr: float
    context_update: str
    h: np.ndarray  # (d,) mean of the context rows
    s: float
    s_neg: np.ndarray  # (K,)
    p: float
    p_neg: np.ndarray  # (K,)
    loss: float
    grad_h: np.ndarray  # (d,)
    grad_E_C: np.ndarray  # (m, d) the exact gradient, dL/dh / m per row
    grad_o_w: np.ndarray  # (d,)
    grad_O_neg: np.ndarray  # (K, d)
    delta_E_C: np.ndarray  # (m, d) what each context row received
    delta_o_w: np.ndarray  # (d,)
    delta_O_neg: np.ndarray  # (K, d)
    E_C_before: np.ndarray  # (m, d)
    o_w_before: np.ndarray  # (d,)
    h_after: np.ndarray  # (d,)
    o_w_after: np.ndarray  # (d,)

    @property
    def s_after(self) -> float:
        """The positive score after the step, ``h' . O[w]'``."""
        return float(self.h_after @ self.o_w_after)

    def summary(self) -> str:
        """The step in the order of chapter 13, one line per quantity."""
        f = lambda x: np.array2string(np.asarray(x), precision=4, suppress_small=True)  # noqa: E731
        return "\n".join([
            f"contexts={self.contexts.tolist()} -> center w={self.w}, negatives={self.negatives.tolist()}, "
            f"lr={self.lr}, context_update={self.context_update!r}",
            f"h = mean of {len(self.contexts)} context rows = {f(self.h)}",
            f"s = h . o_w              = {self.s:.6f}",
            f"p = sigma(s)             = {self.p:.6f}",
            f"s_k (negatives)          = {f(self.s_neg)}",
            f"L                        = {self.loss:.6f}",
            f"dL/dh                    = {f(self.grad_h)}",
            f"each context row moves by  {f(self.delta_E_C[0])}",
            f"o_w: {f(self.o_w_before)} -> {f(self.o_w_after)}",
            f"s after                  = {self.s_after:.6f}",
        ])


def sgd_step(E, O, contexts, w, negatives, lr, context_update="gradient"):
    """One in-place CBOW SGD step on ``E[contexts]``, ``O[w]`` and ``O[negatives]``.

    Implements eq. ``cbow-update`` of chapter 13 (``context_update="gradient"``)
    or word2vec.c's rule, eq. ``cbow-w2v`` (``"word2vec"``). All gradients
    are taken at the old values; repeated ids (a context twice in the window,
    a noise id drawn twice) get their updates added.

    Parameters
    ----------
    E, O : (V, d) float ndarrays
        Input and output matrices, updated in place.
    contexts : (m,) int array-like
        The context ids of the window, m >= 1.
    w : int
        The center id (the target).
    negatives : (K,) int array-like
        Noise ids (K may be 0).
    lr : float
        The learning rate eta, > 0.
    context_update : {"gradient", "word2vec"}
        Each context row gets ``-lr dL/dh / m`` (the gradient) or ``-lr dL/dh`` (word2vec.c, gensim).

    Returns
    -------
    CBOWStep

    Raises
    ------
    TrainingDiverged
        If the step would write NaN or inf (nothing is written then).
    """
    E, O = check_E_O(E, O)
    V = E.shape[0]
    contexts = check_ids("contexts", np.atleast_1d(contexts), V).ravel()
    if len(contexts) == 0:
        raise ValueError("contexts must hold at least one id, got an empty array")
    w = check_id("w", w, V)
    negatives = check_ids("negatives", np.atleast_1d(negatives), V).ravel()
    lr = check_lr(lr)
    check_choice("context_update", context_update, CONTEXT_UPDATES)
    return _sgd_step(E, O, contexts, w, negatives, lr, context_update, record=True)


def _sgd_step(E, O, contexts, w, negatives, lr, context_update="gradient", record=False):
    """Unchecked :func:`sgd_step`; returns the loss, or the :class:`CBOWStep` if ``record``."""
    E_C, o_w, O_neg = E[contexts], O[w].copy(), O[negatives]  # fancy indexing copies
    m = len(contexts)
    with np.errstate(over="ignore", invalid="ignore"):  # checked just below, with a clear message
        loss, grad_h, grad_o_w, grad_O_neg, (h, s, s_neg) = _forward_backward(E_C, o_w, O_neg)
        share = 1.0 / m if context_update == "gradient" else 1.0
        delta_row = -lr * share * grad_h  # (d,) what each context row receives
        delta_o_w = -lr * grad_o_w
        delta_O_neg = -lr * grad_O_neg
    if not (np.isfinite(loss) and all(np.all(np.isfinite(x)) for x in (delta_row, delta_o_w, delta_O_neg))):
        raise TrainingDiverged(f"non-finite values at the step (w={w}) with lr={lr}")  # + the hint
    np.add.at(E, contexts, np.broadcast_to(delta_row, E_C.shape))
    O[w] += delta_o_w
    np.add.at(O, negatives, delta_O_neg)
    if not record:
        return loss
    return CBOWStep(
        contexts=contexts.copy(), w=w, negatives=negatives.copy(), lr=lr, context_update=context_update,
        h=h, s=s, s_neg=s_neg, p=float(sigmoid(s)), p_neg=sigmoid(s_neg), loss=loss,
        grad_h=grad_h, grad_E_C=np.broadcast_to(grad_h / m, E_C.shape).copy(), grad_o_w=grad_o_w,
        grad_O_neg=grad_O_neg, delta_E_C=np.broadcast_to(delta_row, E_C.shape).copy(),
        delta_o_w=delta_o_w, delta_O_neg=delta_O_neg, E_C_before=E_C, o_w_before=o_w,
        h_after=E[contexts].mean(axis=0), o_w_after=O[w].copy(),
    )
