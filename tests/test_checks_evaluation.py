"""The chapter 15 checks pass the reference answers and explain typical wrong ones."""

import numpy as np
import pytest

from skipgram_lab.checks import ExerciseCheckFailed
from skipgram_lab.checks import evaluation as ce


def cos_mul(U, a, b, c, eps=1e-3):
    cos = U @ U.T
    S = (cos[b] + 1) / 2 * (cos[c] + 1) / 2 / ((cos[a] + 1) / 2 + eps)
    S[[a, b, c]] = -np.inf
    return S


def overlap_at_k(A, B, i, k):
    tops = []
    for M in (A, B):
        U = M / np.linalg.norm(M, axis=1, keepdims=True)
        s = U @ U[i]
        s[i] = -np.inf
        tops.append(set(np.argsort(-s, kind="stable")[:k]))
    return len(tops[0] & tops[1]) / k


def test_references_pass(capsys):
    assert ce.check_3cosmul(cos_mul) and ce.check_neighbour_overlap(overlap_at_k)
    assert capsys.readouterr().out.count("Correct") == 2


def unshifted(U, a, b, c):
    cos = U @ U.T
    S = cos[b] * cos[c] / (cos[a] + 1e-3)
    S[[a, b, c]] = -np.inf
    return S


@pytest.mark.parametrize("wrong,message", [
    (unshifted, "shift the cosines"),
    (lambda U, a, b, c: (U @ U.T)[b], "must get -inf"),
    (lambda U, a, b, c: np.where(np.isinf(cos_mul(U, a, b, c)), -np.inf, (U @ U.T)[c]), "cos'"),
    (lambda U, a, b, c: cos_mul(U, a, b, c)[:-1], "shape"),
])
def test_3cosmul_explains_mistakes(wrong, message):
    with pytest.raises(ExerciseCheckFailed, match=message):
        ce.check_3cosmul(wrong)


def raw_dot(A, B, i, k):  # ranks by dot product, not cosine
    tops = []
    for M in (A, B):
        s = M @ M[i]
        s[i] = -np.inf
        tops.append(set(np.argsort(-s, kind="stable")[:k]))
    return len(tops[0] & tops[1]) / k


@pytest.mark.parametrize("wrong,message", [
    (lambda A, B, i, k: overlap_at_k(A, B, i, k) * k, "divide the number"),
    (raw_dot, "normalise the rows"),
])
def test_overlap_explains_mistakes(wrong, message):
    with pytest.raises(ExerciseCheckFailed, match=message):
        ce.check_neighbour_overlap(wrong)


def test_stubs_say_not_implemented():
    def stub(*args):
        raise NotImplementedError
    for check in (ce.check_3cosmul, ce.check_neighbour_overlap):
        with pytest.raises(ExerciseCheckFailed, match="not implemented yet"):
            check(stub)
