"""Argument checks shared by every room of the package.

One place writes each message, so a learner who passes ``window=0`` to the
teaching loop or to the vectorized trainer reads the same sentence:
``ValueError: window must be >= 1, got window=0``.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def check_int(name, value, minimum=None):
    """Return ``value`` as an ``int`` after checking it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {name}={value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {name}={value}")
    return value


def check_float(name, value, *, positive=False, minimum=None, maximum=None):
    """Return ``value`` as a finite ``float``; optionally > 0 or within bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {name}={value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {name}={value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0, got {name}={value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {name}={value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {name}={value}")
    return value


def check_lr(lr, name="lr"):
    """The learning rate eta: finite and > 0 (lower it if training diverges)."""
    return check_float(name, lr, positive=True)


def check_choice(name, value, choices):
    """Check that ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {name}={value!r}")
    return value


def check_rng(rng):
    """Turn ``rng`` (None, an int seed or a Generator) into a ``numpy.random.Generator``.

    Randomness enters the package only here: same seed, same numbers.
    ``None`` means seed 0, so that forgetting a seed still gives a reproducible run.
    """
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise ValueError(
        f"rng must be None, an int seed or a numpy.random.Generator, got rng={rng!r}"
    )


def check_ids(name, ids, V):
    """Return ``ids`` as an int64 array after checking every id is in ``[0, V)``."""
    arr = _integer_array(name, ids)
    _check_range(name, arr, V)
    return arr.astype(np.int64, copy=False)


def _integer_array(name, ids):
    """``ids`` as an array of an integer dtype (empty arrays of any dtype pass)."""
    arr = np.asarray(ids)
    if arr.size and arr.dtype.kind not in "iu":  # kind, not np.issubdtype: called once per sentence
        # Whole floats (2.0) are almost always a mistake upstream: refuse rather than guess.
        raise ValueError(f"{name} must hold integer ids, got dtype {arr.dtype}: {name}={ids!r}")
    return arr


def _check_range(name, arr, V):
    """Every id of the integer array ``arr`` is in ``[0, V)``, compared before any cast."""
    if arr.size and (arr.min() < 0 or arr.max() >= V):  # 2**63 (uint64) stays 2**63
        bad = arr[(arr < 0) | (arr >= V)]
        raise ValueError(
            f"{name} must be ids in [0, {V}), got {name} containing {bad.ravel()[:5].tolist()}"
        )


def check_id(name, value, V):
    """One integer id in ``[0, V)``."""
    if isinstance(value, np.integer):
        value = int(value)
    value = check_int(name, value)
    if not 0 <= value < V:
        raise ValueError(f"{name} must be an id in [0, {V}), got {name}={value}")
    return value


def check_vector(name, x, d=None):
    """A 1-D float array of length ``d`` (when given)."""
    x = np.asarray(x)
    if x.ndim != 1 or not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"{name} must be a 1-D float array, got shape {x.shape} dtype {x.dtype}")
    if d is not None and x.shape[0] != d:
        raise ValueError(f"{name} must have length d={d}, got {name}.shape={x.shape}")
    return x


def check_matrix(name, M, d=None):
    """A 2-D float array with ``d`` columns (when given)."""
    M = np.asarray(M)
    if M.ndim != 2 or not np.issubdtype(M.dtype, np.floating):
        raise ValueError(f"{name} must be a 2-D float array, got shape {M.shape} dtype {M.dtype}")
    if d is not None and M.shape[1] != d:
        raise ValueError(f"{name} must have d={d} columns, got {name}.shape={M.shape}")
    return M


def check_in_place(name, M):
    """A writable numpy array: a function that updates ``M`` in place needs the array itself.

    (``np.asarray`` of a list is a copy: the caller's list would silently stay unchanged.)
    """
    if not isinstance(M, np.ndarray):
        raise ValueError(f"{name} must be a numpy array (it is updated in place), got a "
                         f"{type(M).__name__}: pass np.array({name})")
    if not M.flags.writeable:
        raise ValueError(f"{name} is read-only: pass a writable copy ({name}.copy())")
    return M


def check_float_dtype(dtype, name="dtype"):
    """float32 or float64 (the trainers' two precisions)."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise ValueError(f"{name} must be float32 or float64, got {name}={dtype!r}") from None
    return np.dtype(check_choice(name, dtype.name, ("float32", "float64")))


def check_finite_rows(**rows):
    """Raise ValueError if a row given to a step already holds NaN or inf (not the lr's fault)."""
    for name, x in rows.items():
        if not np.all(np.isfinite(x)):
            raise ValueError(f"{name} already holds NaN or inf before the step: the vectors were "
                             "broken earlier (not by this lr); start again from finite vectors")


def check_sentence_ids(name, sentences):
    """Sentences of ids >= 0: a list of 1-D integer arrays (a single 1-D array is one sentence)."""
    if isinstance(sentences, np.ndarray) and sentences.dtype != object:
        if sentences.ndim != 1:
            raise ValueError(f"{name} must be a list of 1-D id arrays (one per sentence), got one "
                             f"array of shape {sentences.shape}: pass list({name})")
        sentences = [sentences]
    out = []
    for s in sentences:
        arr = np.asarray(s)
        if arr.ndim != 1:
            raise ValueError(f"{name} must hold 1-D id arrays, got one of shape {arr.shape}")
        if arr.size and arr.dtype.kind not in "iu":
            raise ValueError(f"{name} must hold integer ids, got dtype {arr.dtype}")
        out.append(arr)
    # one reduction over all sentences (not two per sentence) when they share a dtype
    for part in _same_dtype_runs(out):
        if part.size and part.min() < 0:
            raise ValueError(f"{name} must hold ids >= 0, got {part.min()}")
    return [arr.astype(np.int64, copy=False) for arr in out]


def _same_dtype_runs(arrays):
    """The arrays concatenated, one array per dtype (no mixed-dtype cast: uint64 stays exact)."""
    by_dtype = {}
    for arr in arrays:
        if arr.size:
            by_dtype.setdefault(arr.dtype, []).append(arr.ravel())
    return [np.concatenate(parts) for parts in by_dtype.values()]


def check_E_O(E, O):
    """E and O must both be (V, d) float arrays of the same shape and dtype."""
    E = check_matrix("E", E)
    O = check_matrix("O", O)
    if E.shape != O.shape:
        raise ValueError(f"E and O must have the same shape, got E.shape={E.shape}, O.shape={O.shape}")
    if E.dtype != O.dtype:
        raise ValueError(f"E and O must have the same dtype, got {E.dtype} and {O.dtype}")
    return E, O


def check_sentences(name, sentences, V):
    """Encoded sentences: a non-empty list of 1-D integer id arrays in ``[0, V)``."""
    if isinstance(sentences, np.ndarray) and sentences.ndim == 1 and sentences.dtype != object:
        sentences = [sentences]
    arrays = [_integer_array(name, s) for s in sentences]
    for part in _same_dtype_runs(arrays):  # one range check per dtype, not one per sentence
        _check_range(name, part, V)
    out = [arr.astype(np.int64, copy=False).ravel() for arr in arrays]
    if not out or sum(len(s) for s in out) == 0:
        raise ValueError(f"{name} is empty: there are no tokens to train on (check min_count)")
    return out


# ---- divergence: one threshold, one exception, for every trainer ------------------------------
#: Training has diverged when the mean loss per pair of a step, or the squared norm of a row of
#: E or O, exceeds this. A loss per pair near 1e4 needs a score of about -1e4 on a true pair
#: (sigma is 1 to the last bit of a float64 from |s| = 40 on); a healthy run starts at
#: (1 + K) log 2 (4.2 for K = 5) and stays below 10, and its rows stay far below norm 100.
DIVERGENCE_THRESHOLD = 1e4


class TrainingDiverged(FloatingPointError):
    """Training blew up: a loss or a vector exceeded ``DIVERGENCE_THRESHOLD``, or was NaN or inf.

    Attributes ``step``, ``epoch``, ``lr`` (None when raised by a single step
    function) and ``hint`` (what to change). The trainers add the step, epoch and lr.
    """

    def __init__(self, message, *, step=None, epoch=None, lr=None, hint="use a smaller lr"):
        self.what, self.step, self.epoch, self.lr, self.hint = message, step, epoch, lr, hint
        where = "" if step is None else f"training diverged at step {step} (epoch {epoch}, lr={lr:.6g}): "
        super().__init__(f"{where}{message}; {hint}")

    def at(self, *, step, epoch, lr):
        """The same error, placed at a trainer's step, epoch and lr."""
        return TrainingDiverged(self.what, step=step, epoch=epoch, lr=lr, hint=self.hint)


def check_step_loss(loss, n_pairs, lr=None):
    """Raise :class:`TrainingDiverged` if a step's summed ``loss`` over ``n_pairs`` blew up."""
    if not np.isfinite(loss):
        raise TrainingDiverged(f"the loss is {loss}")
    if loss > DIVERGENCE_THRESHOLD * max(n_pairs, 1):
        raise TrainingDiverged(f"the loss per pair is {loss / max(n_pairs, 1):.3g} > "
                               f"{DIVERGENCE_THRESHOLD:g}")


def check_not_diverged(**matrices):
    """Raise :class:`TrainingDiverged` if a row of any matrix is non-finite or has norm > 100.

    ``check_not_diverged(E=E, O=O)``: the check trainers run after their updates.
    """
    for name, M in matrices.items():
        with np.errstate(over="ignore", invalid="ignore"):
            sq = np.einsum("ij,ij->i", M, M, dtype=np.float64) if M.size else np.zeros(1)
        worst = sq.max()
        if not np.isfinite(worst) or worst > DIVERGENCE_THRESHOLD:
            row = int(np.argmax(np.where(np.isfinite(sq), sq, np.inf)))
            shown = "not finite" if not np.isfinite(worst) else f"{np.sqrt(worst):.3g}"
            raise TrainingDiverged(f"row {row} of {name} has norm {shown} "
                                   f"(> {np.sqrt(DIVERGENCE_THRESHOLD):g})")


def available_memory():
    """Bytes of memory available now (Linux's MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def check_memory(nbytes, what, fix):
    """Refuse, with the estimate, a request that would need more memory than is available."""
    free = available_memory()
    if free is not None and nbytes > free:
        raise MemoryError(f"{what} needs about {nbytes / 1e9:,.1f} GB of memory, "
                          f"{free / 1e9:,.1f} GB are available: {fix}")
