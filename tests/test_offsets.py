"""The offset method and its baselines: formulas, the exclusion of query words, chance."""

import numpy as np
import pytest

from skipgram_lab.corpus import Vocab
from skipgram_lab.embeddings import Embeddings, cosine_matrix
from skipgram_lab.evaluate import analogy_accuracy, analogy_scores
from skipgram_lab.offsets import OFFSET_METHODS, offset_accuracy, offset_scores, offset_table


def random_emb(V=30, d=8, seed=0):
    E = np.random.default_rng(seed).normal(size=(V, d))
    return Embeddings(E, np.zeros_like(E), Vocab([f"w{i}" for i in range(V)], [1] * V))


def test_excluded_scores_equal_the_evaluate_module_for_3cosadd_and_3cosmul():
    U = cosine_matrix(random_emb().E)
    a, b, c = np.array([0, 3]), np.array([1, 4]), np.array([2, 5])
    for method in ("3CosAdd", "3CosMul"):
        np.testing.assert_array_equal(offset_scores(U, a, b, c, method), analogy_scores(U, a, b, c, method))


def test_each_method_is_its_formula_and_the_query_words_are_allowed_without_exclusion():
    U = cosine_matrix(random_emb(seed=1).E)
    a, b, c = np.array([0]), np.array([1]), np.array([2])
    cos = U @ U.T
    expected = {"3CosAdd": cos[1] - cos[0] + cos[2],
                "3CosMul": (cos[1] + 1) / 2 * (cos[2] + 1) / 2 / ((cos[0] + 1) / 2 + 1e-3),
                "only-c": cos[2], "ignore-a": cos[1] + cos[2]}
    for method in OFFSET_METHODS:
        S = offset_scores(U, a, b, c, method, exclude_query=False)
        np.testing.assert_allclose(S[0], expected[method], rtol=1e-12, atol=1e-12)
        assert np.isfinite(S).all()
        assert np.isneginf(offset_scores(U, a, b, c, method)[0, [0, 1, 2]]).all()


def test_offset_accuracy_agrees_with_analogy_accuracy_and_reports_chance_and_query_share():
    emb = random_emb(V=40, seed=2)
    questions = [tuple(f"w{i}" for i in q) for q in np.random.default_rng(3).choice(40, (60, 4))
                 if len(set(q)) == 4] + [("w0", "w1", "w2", "nothere")]
    for method in ("3CosAdd", "3CosMul"):
        r = offset_accuracy(emb, questions, method=method)
        ref = analogy_accuracy(emb, questions, method=method)
        assert r.accuracy == pytest.approx(ref.accuracy) and r.coverage == pytest.approx(ref.coverage)
        assert r.query_share == 0.0 and r.chance == pytest.approx(1 / 37)
    own = offset_accuracy(emb, questions, method="only-c", exclude_query=False)
    assert own.query_share == 1.0 and own.accuracy == 0.0 and own.chance == pytest.approx(1 / 40)


def test_a_parallelogram_is_solved_by_3cosadd_but_not_by_only_c():
    # x_i = u_i - s z, y_i = u_i + s z: every y_i - x_i is the same offset.
    n, s = 5, 0.6
    d = n + 1
    X = np.sqrt(1 - s**2) * np.eye(d)[:n] - s * np.eye(d)[-1]
    Y = X + 2 * s * np.eye(d)[-1]
    emb = Embeddings(np.vstack([X, Y]), np.zeros((2 * n, d)),
                     Vocab([f"x{i}" for i in range(n)] + [f"y{i}" for i in range(n)], [1] * 2 * n))
    qs = [(f"x{i}", f"y{i}", f"x{j}", f"y{j}") for i in range(n) for j in range(n) if i != j]
    assert offset_accuracy(emb, qs).accuracy == 1.0
    assert offset_accuracy(emb, qs, method="only-c").accuracy < 0.5


@pytest.mark.parametrize("kwargs, match", [
    (dict(method="3CosSub"), "method"), (dict(exclude_query="yes"), "exclude_query"),
    (dict(batch_size=0), "batch_size"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        offset_accuracy(random_emb(), [("w0", "w1", "w2", "w3")], **kwargs)


def test_bad_eps_and_short_questions_are_named():
    U = cosine_matrix(random_emb().E)
    with pytest.raises(ValueError, match="eps"):
        offset_scores(U, np.array([0]), np.array([1]), np.array([2]), "3CosMul", eps=0)
    with pytest.raises(ValueError, match="questions"):
        offset_accuracy(random_emb(), [("w0", "w1", "w2")])


def test_offset_table_equals_one_method_at_a_time():
    emb = random_emb(V=25, seed=4)
    questions = [tuple(f"w{i}" for i in q) for q in np.random.default_rng(5).choice(25, (40, 4))
                 if len(set(q)) == 4]
    table = offset_table(emb, questions, batch_size=7)
    assert set(table) == {(m, x) for m in OFFSET_METHODS for x in (True, False)}
    for (method, exclude), r in table.items():
        one = offset_accuracy(emb, questions, method=method, exclude_query=exclude)
        assert np.array_equal(r.correct, one.correct) and r.query_share == one.query_share
    with pytest.raises(ValueError, match="exclude_query"):
        offset_table(emb, questions, exclude_query=(1,))
    with pytest.raises(ValueError, match="methods"):
        offset_table(emb, questions, methods=())
