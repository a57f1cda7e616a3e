"""Finite-difference gradient checks.

Central differences (chapter 3, eq. ``central-diff``)::

    dL/dx_i  ~  (L(x + h e_i) - L(x - h e_i)) / (2 h)

compared with the analytic gradient by the error
``|a - n| / max(1, |a|, |n|)``: relative for entries larger than 1,
absolute below (so an entry that should be 0 is not divided by ~0).

Everything that is random (the negatives!) must be fixed *outside* the
function being checked. A loss that re-draws its negatives at every call is
a different function at each evaluation, and no gradient passes.

>>> import numpy as np
>>> from skipgram_lab import negative_sampling as ns
>>> from skipgram_lab.gradcheck import gradcheck
>>> rng = np.random.default_rng(0)
>>> args = dict(e_w=rng.normal(size=3), o_c=rng.normal(size=3), O_neg=rng.normal(size=(2, 3)))
>>> gradcheck(ns.loss_and_grad, args, wrt=["e_w", "o_c", "O_neg"]).passed
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import negative_sampling, softmax
from ._validate import check_float


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of a scalar function at ``x``.

    Parameters
    ----------
    f : callable
        ``f()`` returns a float and reads ``x`` (which is perturbed in place
        and restored exactly after each coordinate).
    x : float64 ndarray
    h : float

    Returns
    -------
    ndarray, the shape of ``x``
    """
    h = check_float("h", h, positive=True)
    grad = np.zeros(x.shape, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f()
        x[i] = old - h
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def relative_error(analytic, numeric):
    """Elementwise ``|a - n| / max(1, |a|, |n|)``."""
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    return np.abs(a - n) / np.maximum(1.0, np.maximum(np.abs(a), np.abs(n)))


@dataclass
class GradCheck:
    """The outcome of checking one gradient."""

    name: str
    max_error: float
    where: tuple  # index of the worst entry
    analytic: float  # analytic value there
    numeric: float  # finite-difference value there
    tol: float

    @property
    def passed(self) -> bool:
        return bool(np.isfinite(self.max_error) and self.max_error <= self.tol)

    def __str__(self) -> str:
        verdict = "ok" if self.passed else "WRONG"
        return (
            f"{self.name}: {verdict}, max error {self.max_error:.2e} at {self.where} "
            f"(analytic {self.analytic:.6g}, numeric {self.numeric:.6g}, tol {self.tol:.0e})"
        )


@dataclass
class GradCheckReport:
    """One :class:`GradCheck` per argument; ``passed`` if all passed."""

    checks: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks.values())

    @property
    def max_error(self) -> float:
        return max(c.max_error for c in self.checks.values())

    def __getitem__(self, name) -> GradCheck:
        return self.checks[name]

    def __str__(self) -> str:
        return "\n".join(str(c) for c in self.checks.values())


def gradcheck(loss_and_grad, args, wrt, h=1e-5, tol=1e-6):
    """Check the analytic gradients of ``loss_and_grad`` by central differences.

    Parameters
    ----------
    loss_and_grad : callable
        ``loss_and_grad(**args) -> (loss, grad_1, ..., grad_m)``, with
        ``grad_i`` the gradient with respect to ``args[wrt[i]]``.
    args : dict of str -> value
        The arguments; those named in ``wrt`` are copied to float64 arrays.
    wrt : sequence of str
        Argument names, in the order of the returned gradients.
    h : float, default 1e-5
    tol : float, default 1e-6

    Returns
    -------
    GradCheckReport
    """
    tol = check_float("tol", tol, positive=True)
    if not isinstance(args, dict):
        raise ValueError(f"args must be a dict of argument name -> value, got {type(args).__name__}")
    if isinstance(wrt, str) or not all(isinstance(name, str) for name in np.atleast_1d(wrt)):
        raise ValueError(f"wrt must be a list of argument names, got wrt={wrt!r}")
    args = dict(args)
    missing = [name for name in wrt if name not in args]
    if missing:
        raise ValueError(f"wrt names arguments that are not in args: {missing}")
    for name in wrt:
        args[name] = np.array(args[name], dtype=np.float64)  # a copy we may perturb
    out = loss_and_grad(**args)
    if not isinstance(out, (tuple, list)) or len(out) != len(wrt) + 1:
        got = f" of length {len(out)}" if isinstance(out, (tuple, list)) else ""
        raise ValueError(
            f"loss_and_grad must return (loss, {len(wrt)} gradients), got a {type(out).__name__}{got}"
        )
    report = GradCheckReport()
    for name, analytic in zip(wrt, out[1:]):
        x = args[name]
        analytic = np.asarray(analytic, dtype=np.float64)
        if analytic.shape != x.shape:
            raise ValueError(
                f"gradient for {name} has shape {analytic.shape}, expected {x.shape}"
            )
        numeric = numerical_gradient(lambda: float(loss_and_grad(**args)[0]), x, h)
        err = relative_error(analytic, numeric)
        where = np.unravel_index(np.argmax(np.nan_to_num(err, nan=np.inf)), err.shape) if err.size else ()
        report.checks[name] = GradCheck(
            name=name,
            max_error=float(err[where]) if err.size else 0.0,
            where=tuple(int(i) for i in where),
            analytic=float(analytic[where]) if err.size else 0.0,
            numeric=float(numeric[where]) if err.size else 0.0,
            tol=tol,
        )
    return report


def check_softmax(e_w, O, c, **kwargs):
    """Gradient check of :func:`skipgram_lab.softmax.loss_and_grad` at one point."""
    return gradcheck(softmax.loss_and_grad, dict(e_w=e_w, O=O, c=c), ["e_w", "O"], **kwargs)


def check_negative_sampling(e_w, o_c, O_neg, **kwargs):
    """Gradient check of :func:`skipgram_lab.negative_sampling.loss_and_grad` (negatives fixed)."""
    return gradcheck(
        negative_sampling.loss_and_grad,
        dict(e_w=e_w, o_c=o_c, O_neg=O_neg),
        ["e_w", "o_c", "O_neg"],
        **kwargs,
    )
