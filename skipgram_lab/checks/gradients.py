"""Checks for the gradient exercises: softmax, negative sampling, hierarchical softmax, one step.

>>> from skipgram_lab import softmax
>>> from skipgram_lab.checks.gradients import check_softmax_gradient
>>> check_softmax_gradient(softmax.loss_and_grad)  # doctest: +ELLIPSIS
Correct: ...
True
"""

from __future__ import annotations

import numpy as np

from .. import hierarchical_softmax as hs
from .. import negative_sampling as ns
from .. import softmax
from ._core import ExerciseCheckFailed, _call, _compare
from ..pairs import skipgram_pairs


def _ns_points(n=5):
    rng = np.random.default_rng(2024)
    for _ in range(n):
        d, K = int(rng.integers(2, 6)), int(rng.integers(1, 5))
        yield rng.normal(size=d), rng.normal(size=d), rng.normal(size=(K, d))


def _ns_hint(name, got, e_w, o_c, O_neg):
    """Recognise the classic mistakes by what the wrong answer equals."""
    _, g_e, g_c, g_neg = ns.loss_and_grad(e_w, o_c, O_neg)
    expected = {"grad_e_w": g_e, "grad_o_c": g_c, "grad_O_neg": g_neg}[name]
    got = np.asarray(got, dtype=np.float64)
    p = ns.sigmoid(e_w @ o_c)
    if got.shape == expected.shape and np.allclose(got, -expected):
        return "Hint: the sign is flipped. dL/ds = p - 1 for the true context and p_k for a negative."
    if name == "grad_e_w" and np.allclose(got, (p - 1) * o_c):
        return "Hint: the negatives are missing: add sum_k p_k o_nk (each negative pushes e_w)."
    if name == "grad_e_w" and np.allclose(got, (p - 1) * o_c - ns.sigmoid(O_neg @ e_w) @ O_neg):
        return "Hint: the negative terms have the wrong sign: dL/ds_k = +p_k."
    if name == "grad_e_w" and np.allclose(got, p * o_c + ns.sigmoid(O_neg @ e_w) @ O_neg):
        return "Hint: the positive term uses p, but dL/ds = p - 1 for the true context."
    return "Hint: write dL/ds first, then multiply by the other vector of the dot product."


def check_ns_gradient(loss_and_grad, tol=1e-6):
    """Check a learner's ``loss_and_grad(e_w, o_c, O_neg) -> (loss, grad_e_w, grad_o_c, grad_O_neg)``.

    Implements the checks of chapter 4's exercise on eq. ``ns-grad``.
    """
    worst = 0.0
    for e_w, o_c, O_neg in _ns_points():
        out = _call(loss_and_grad, e_w.copy(), o_c.copy(), O_neg.copy())
        again = _call(loss_and_grad, e_w.copy(), o_c.copy(), O_neg.copy())
        if not isinstance(out, tuple) or len(out) != 4:
            raise ExerciseCheckFailed("return a tuple (loss, grad_e_w, grad_o_c, grad_O_neg).")
        if any(not np.array_equal(np.asarray(a), np.asarray(b)) for a, b in zip(out, again)):
            raise ExerciseCheckFailed(
                "your function gave different answers for the same input: it must not draw "
                "random negatives inside. Draw them once, outside, and pass O_neg in."
            )
        ref = ns.loss_and_grad(e_w, o_c, O_neg)
        worst = max(worst, _compare("loss", out[0], ref[0], tol,
                                    "Hint: L = -log sigma(s) - sum_k log sigma(-s_k)."))
        for name, got, exp in zip(["grad_e_w", "grad_o_c", "grad_O_neg"], out[1:], ref[1:]):
            worst = max(worst, _compare(name, got, exp, tol, _ns_hint(name, got, e_w, o_c, O_neg)))
    print(f"Correct: all four outputs match the reference at 5 random points (max error {worst:.1e}).")
    return True


def _check_outputs(fn, reference, points, names, hints, tol):
    """Compare ``fn(*args)`` with ``reference(*args)`` output by output; return the worst error."""
    worst = 0.0
    for args in points:
        out = _call(fn, *(np.copy(x) if isinstance(x, np.ndarray) else x for x in args))
        if not isinstance(out, tuple) or len(out) != len(names):
            raise ExerciseCheckFailed(f"return a tuple ({', '.join(names)}).")
        for name, got, expected in zip(names, out, reference(*args)):
            worst = max(worst, _compare(name, got, expected, tol, hints[name]))
    return worst


def check_softmax_gradient(loss_and_grad, tol=1e-6):
    """Check ``loss_and_grad(e_w, O, c) -> (loss, grad_e_w, grad_O)`` (chapter 3, eq. ``sm-grad``)."""
    rng = np.random.default_rng(7)
    points = []
    for _ in range(5):
        V, d = int(rng.integers(2, 8)), int(rng.integers(2, 5))
        points.append((rng.normal(size=d), rng.normal(size=(V, d)), int(rng.integers(V))))
    hints = {"loss": "Hint: L = logsumexp(O e_w) - O_c . e_w.",
             "grad_e_w": "Hint: dL/de_w = sum_j P(j|w) O_j - O_c.",
             "grad_O": "Hint: row j of dL/dO is (P(j|w) - [j = c]) e_w: every row moves."}
    worst = _check_outputs(loss_and_grad, softmax.loss_and_grad, points, list(hints), hints, tol)
    print(f"Correct: loss and both gradients match at 5 random points (max error {worst:.1e}).")
    return True


def check_sigmoid(sigmoid):
    """Check a learner's sigmoid, including huge scores (no overflow, no NaN)."""
    s = np.array([-1000.0, -30.0, -1.0, 0.0, 0.5, 30.0, 1000.0])
    with np.errstate(over="ignore", invalid="ignore"):  # a naive sigmoid overflows
        got = np.array([_call(sigmoid, x) for x in s], dtype=np.float64)
    _compare("sigmoid", got, ns.sigmoid(s), 1e-12,
             "Hint: for s < 0 use exp(s) / (1 + exp(s)), which cannot overflow.")
    print("Correct: sigmoid matches at 7 points from -1000 to 1000.")
    return True


def check_pairs(make_pairs):
    """Check ``make_pairs(ids, window) -> list of (w, c)`` for one sentence (chapter 1)."""
    ids = np.array([4, 1, 7, 4, 2, 9])
    for window in (1, 2, 3):
        got = [tuple(int(x) for x in p) for p in _call(make_pairs, ids.copy(), window)]
        expected = [tuple(p) for p in skipgram_pairs([ids], window).tolist()]
        if sorted(got) != sorted(expected):
            extra = sorted(set(got) - set(expected))[:3]
            missing = sorted(set(expected) - set(got))[:3]
            raise ExerciseCheckFailed(
                f"window={window}: expected {len(expected)} pairs, got {len(got)}; "
                f"missing {missing}, not expected {extra}. Hint: offsets -k..-1 and 1..k, "
                "never 0, never past either end of the sentence."
            )
    print("Correct: the same pairs as skipgram_pairs for windows 1, 2 and 3.")
    return True


def check_sgd_step(sgd_step, tol=1e-10):
    """Check ``sgd_step(E, O, w, c, negatives, lr)`` that updates E and O in place (chapter 4)."""
    rng = np.random.default_rng(5)
    E, O = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    for w, c, negs in [(0, 1, np.array([2, 3])), (4, 5, np.array([2, 2])), (3, 3, np.array([1]))]:
        E_ref, O_ref = E.copy(), O.copy()
        ns.sgd_step(E_ref, O_ref, w, c, negs, 0.1)
        _call(sgd_step, E, O, w, c, negs.copy(), 0.1)
        hint = ("Hint: compute every gradient from the OLD rows before writing any, and add the "
                "updates of a negative drawn twice (np.add.at), not just one.")
        _compare("E after the step", E, E_ref, tol, hint)
        _compare("O after the step", O, O_ref, tol, hint)
    print("Correct: E and O match the reference after 3 steps (incl. a repeated negative).")
    return True


def check_hs_gradient(loss_and_grad, tol=1e-6):
    """Check ``loss_and_grad(e_w, U_path, code) -> (loss, grad_e_w, grad_U_path)`` (appendix, eq. ``hs-grad``)."""
    rng = np.random.default_rng(11)
    points = []
    for _ in range(5):
        L, d = int(rng.integers(1, 6)), int(rng.integers(2, 5))
        points.append((rng.normal(size=d), rng.normal(size=(L, d)), rng.integers(0, 2, size=L)))
    grad_hint = "Hint: at node j, dL/ds_j = sigma(s_j) - y_j with y_j = 1 - code_j (1 = go left)."
    hints = {"loss": "Hint: L = -sum_j log sigma(t_j s_j).", "grad_e_w": grad_hint, "grad_U_path": grad_hint}
    worst = _check_outputs(loss_and_grad, hs.loss_and_grad, points, list(hints), hints, tol)
    print(f"Correct: loss and both gradients match on 5 random paths (max error {worst:.1e}).")
    return True


def check_two_token_node(node_vector):
    """Check ``node_vector(O, tree) -> (1, d)``: the one inner node that makes a 2-token tree a softmax.

    For two tokens the Huffman tree has one inner node; hierarchical softmax
    with that node's vector must give the same ``P(c | w)`` as the full softmax
    over the rows of ``O``, for any center vector, whichever token the tree puts
    on the left (appendix, exercise ``hs-ex-predict``).
    """
    rng = np.random.default_rng(5)
    for counts in ([5, 3], [3, 5]):  # the rarer token goes left, then right
        tree = hs.huffman_tree(counts)
        O = rng.normal(size=(2, 3))
        Theta = np.asarray(_call(node_vector, O, tree), dtype=np.float64)
        if Theta.shape != (1, 3):
            raise ExerciseCheckFailed(f"node_vector must return a (1, d) = (1, 3) array, got shape {Theta.shape}.")
        for _ in range(3):
            e_w = rng.normal(size=3)
            p_softmax = np.exp(O @ e_w) / np.exp(O @ e_w).sum()
            _compare(f"P(c | w) with counts {counts}", hs.probabilities(e_w, Theta, tree), p_softmax, 1e-9,
                     "Hint: sigma(a - b) = e^a / (e^a + e^b), and the tree's code says which token is "
                     "left (code 0): the node vector is O[left] - O[right].")
    print("Correct: hierarchical softmax with your node vector equals the two-token softmax, "
          "whichever token is left.")
    return True
