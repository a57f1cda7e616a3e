"""What every exercise check shares: the failure type and the two helpers that produce its messages."""

from __future__ import annotations

import numpy as np

from ..gradcheck import relative_error


class ExerciseCheckFailed(AssertionError):
    """The learner's answer is not right yet; the message says why."""


def _call(fn, *args):
    try:
        return fn(*args)
    except NotImplementedError:
        raise ExerciseCheckFailed(
            f"{getattr(fn, '__name__', 'your function')} is not implemented yet "
            "(it raised NotImplementedError): replace the stub with your code."
        ) from None


def _compare(name, got, expected, tol, hint=""):
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        raise ExerciseCheckFailed(f"{name} has shape {got.shape}, expected {expected.shape}.")
    if not np.all(np.isfinite(got)):
        raise ExerciseCheckFailed(f"{name} contains NaN or inf. {hint}".strip())
    err = relative_error(got, expected)
    if err.size and err.max() > tol:
        i = np.unravel_index(np.argmax(err), err.shape)
        where = f" at index {tuple(int(j) for j in i)}" if got.ndim else ""
        raise ExerciseCheckFailed(
            f"{name} is wrong{where}: expected {expected[i]:.6g}, got {got[i]:.6g}. {hint}".strip()
        )
    return float(err.max()) if err.size else 0.0
