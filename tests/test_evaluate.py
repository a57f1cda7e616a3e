"""Evaluation metrics on hand-made vectors whose right answers are known."""

import math
import os

import numpy as np
import pytest
from scipy import stats

from skipgram_lab.corpus import Vocab
from skipgram_lab.embeddings import Embeddings
from skipgram_lab.evaluate import (
    analogy_accuracy, analogy_scores, factorization_agreement, knn_purity, linear_cka,
    mean_cosines, nearest_neighbours, pmi, positive_pmi, procrustes_align, purity_by_frequency,
    read_analogies, read_word_pairs, relation_analogy_accuracy, shifted_pmi, spearman_rows,
    svd_embeddings, word_similarity,
)
from skipgram_lab.pairs import cooccurrence_counts


def make_emb(tokens, E, counts=None):
    E = np.asarray(E, dtype=np.float64)
    counts = np.ones(len(tokens), np.int64) if counts is None else counts
    return Embeddings(E, np.zeros_like(E), Vocab(tokens, counts))


def parallelogram(seed=0, n_pairs=6, s=0.5):
    """Unit vectors x_i = (u_i, -s), y_i = (u_i, +s) with orthogonal u_i, then rotated.

    y_i - x_i is the same offset for every i and every vector has length 1, so each
    analogy x_i : y_i :: x_j : ? is an exact parallelogram on the unit sphere.
    """
    d = n_pairs + 1
    U = np.sqrt(1 - s**2) * np.eye(d)[:n_pairs]  # (n, d) orthogonal, last axis 0
    X = U - s * np.eye(d)[-1]
    Y = U + s * np.eye(d)[-1]
    Q = random_rotation(d, np.random.default_rng(seed))
    tokens = [f"x{i}" for i in range(n_pairs)] + [f"y{i}" for i in range(n_pairs)]
    return make_emb(tokens, np.vstack([X, Y]) @ Q), [(f"x{i}", f"y{i}") for i in range(n_pairs)]


def random_rotation(d, rng):
    Q, R = np.linalg.qr(rng.normal(size=(d, d)))
    return Q * np.sign(np.diag(R))


def unit_emb(tokens, E):
    E = np.asarray(E, float)
    return make_emb(tokens, E / np.linalg.norm(E, axis=1, keepdims=True))


# ---- neighbours and analogies -------------------------------------------------------------
def test_nearest_neighbours_reuses_most_similar():
    emb = make_emb(["a", "b", "c"], [[1.0, 0], [0.9, 0.1], [-1, 0]])
    nn = nearest_neighbours(emb, ["a"], k=2)
    assert nn == {"a": emb.most_similar("a", k=2)} and nn["a"][0][0] == "b"


def test_analogy_scores_match_the_formulas_and_exclude_question_words():
    rng = np.random.default_rng(1)
    U = rng.normal(size=(7, 3))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    a, b, c = np.array([0]), np.array([1]), np.array([2])
    add = analogy_scores(U, a, b, c, "3CosAdd")[0]
    mul = analogy_scores(U, a, b, c, "3CosMul", eps=1e-3)[0]
    cos = U @ U.T
    for x in range(3, 7):
        assert add[x] == pytest.approx(cos[x, 1] - cos[x, 0] + cos[x, 2])
        sh = (cos[x] + 1) / 2
        assert mul[x] == pytest.approx(sh[1] * sh[2] / (sh[0] + 1e-3))
    assert np.all(np.isneginf(add[:3])) and np.all(np.isneginf(mul[:3]))


@pytest.mark.parametrize("method", ["3CosAdd", "3CosMul"])
def test_exact_parallelograms_give_full_accuracy(method):
    emb, pairs = parallelogram()
    result = relation_analogy_accuracy(emb, pairs, method=method, batch_size=7)
    assert result.n_total == 6 * 5 and result.coverage == 1.0
    assert result.accuracy == 1.0 and result.n_correct == 30


def test_coverage_counts_are_exact_and_uncovered_questions_have_no_prediction():
    emb, _ = parallelogram()
    questions = {
        "good": [("x0", "y0", "x1", "y1"), ("x2", "y2", "x3", "y3")],
        "partly": [("x0", "y0", "nope", "y1"), ("x4", "y4", "x5", "y5"), ("a", "b", "c", "d")],
    }
    result = analogy_accuracy(emb, questions)
    assert (result.n_total, result.n_covered, result.n_correct) == (5, 3, 3)
    assert result.coverage == pytest.approx(3 / 5) and result.accuracy == 1.0
    assert result.accuracy_all == pytest.approx(3 / 5)
    assert result.predictions == ["y1", "y3", None, "y5", None]
    part = result.sections["partly"]
    assert (part.n_total, part.n_covered, part.n_correct) == (3, 1, 1)
    assert result.sections["good"].coverage == 1.0


def test_analogy_batches_do_not_change_the_answer():
    rng = np.random.default_rng(3)
    tokens = [f"w{i}" for i in range(30)]
    emb = make_emb(tokens, rng.normal(size=(30, 5)))
    qs = [tuple(rng.choice(tokens, 4, replace=False)) for _ in range(40)]
    for method in ("3CosAdd", "3CosMul"):
        one = analogy_accuracy(emb, qs, method=method, batch_size=1).predictions
        assert analogy_accuracy(emb, qs, method=method, batch_size=1000).predictions == one


def test_nothing_covered_gives_nan_accuracy_and_zero_coverage():
    emb, _ = parallelogram()
    result = analogy_accuracy(emb, [("a", "b", "c", "d")])
    assert math.isnan(result.accuracy) and result.coverage == 0.0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(questions=[]), "questions is empty"),
        (dict(questions=[("a", "b", "c")]), r"questions items must hold 4 words"),
        (dict(questions=[("x0", "y0", "x1", "y1")], method="3CosSub"), "method must be one of"),
        (dict(questions=[("x0", "y0", "x1", "y1")], batch_size=0), "batch_size must be >= 1"),
    ],
)
def test_analogy_bad_input(kwargs, match):
    emb, _ = parallelogram()
    with pytest.raises(ValueError, match=match):
        analogy_accuracy(emb, **kwargs)


def test_emb_must_be_embeddings():
    with pytest.raises(ValueError, match="emb must be an Embeddings"):
        analogy_accuracy(np.eye(4), [("a", "b", "c", "d")])
    with pytest.raises(ValueError, match="emb must be an Embeddings"):
        nearest_neighbours(np.eye(4), ["a"])


# ---- word-pair similarity -----------------------------------------------------------------
def similarity_setup(n=40, seed=0):
    rng = np.random.default_rng(seed)
    angles = np.sort(rng.uniform(0.05, 3.0, size=n))
    E = np.vstack([[1.0, 0.0], np.c_[np.cos(angles), np.sin(angles)]])  # cos(w0, wi) = cos(angle_i)
    tokens = ["w0"] + [f"w{i + 1}" for i in range(n)]
    return make_emb(tokens, E), np.cos(angles), tokens


def test_spearman_on_a_monotone_transform_is_one():
    emb, cos, tokens = similarity_setup()
    pairs = [("w0", t, float(np.exp(3 * c))) for t, c in zip(tokens[1:], cos)]
    result = word_similarity(emb, pairs, n_boot=200, rng=0)
    assert result.rho == pytest.approx(1.0)
    assert result.ci_low == pytest.approx(1.0) and result.ci_high == pytest.approx(1.0)
    assert (result.n_covered, result.n_total, result.coverage) == (40, 40, 1.0)


def test_spearman_rows_matches_scipy_with_ties():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 5, size=(4, 30)).astype(float)
    Y = rng.normal(size=(4, 30))
    expected = [stats.spearmanr(x, y).statistic for x, y in zip(X, Y)]
    np.testing.assert_allclose(spearman_rows(X, Y), expected, atol=1e-12)


def test_bootstrap_interval_contains_estimate_and_is_deterministic():
    emb, cos, tokens = similarity_setup(seed=1)
    noisy = cos + np.random.default_rng(2).normal(scale=0.4, size=cos.size)
    pairs = [("w0", t, float(s)) for t, s in zip(tokens[1:], noisy)] + [("w0", "absent", 5.0)]
    first = word_similarity(emb, pairs, n_boot=300, rng=7)
    assert first == word_similarity(emb, pairs, n_boot=300, rng=7)
    assert first != word_similarity(emb, pairs, n_boot=300, rng=8)
    assert first.ci_low < first.rho < first.ci_high < 1.0
    assert first.rho == pytest.approx(stats.spearmanr(cos, noisy).statistic)
    assert (first.n_covered, first.n_total) == (40, 41)


def test_too_few_covered_pairs_gives_nan():
    emb, _, _ = similarity_setup()
    result = word_similarity(emb, [("w0", "w1", 1.0), ("w0", "zz", 2.0)])
    assert math.isnan(result.rho) and (result.n_covered, result.n_total) == (1, 2)


def test_constant_human_scores_give_nan_without_warnings():
    emb, _, tokens = similarity_setup()
    result = word_similarity(emb, [("w0", t, 5.0) for t in tokens[1:]], n_boot=50)
    assert math.isnan(result.rho) and math.isnan(result.ci_low) and result.n_covered == 40


def test_similarity_bad_input():
    emb, _, _ = similarity_setup()
    with pytest.raises(ValueError, match=r"pairs items must be \(word1, word2, score\)"):
        word_similarity(emb, [("w0", "w1")])
    with pytest.raises(ValueError, match="pairs is empty"):
        word_similarity(emb, [])
    with pytest.raises(ValueError, match="n_boot must be >= 1"):
        word_similarity(emb, [("w0", "w1", 1.0)], n_boot=0)


# ---- readers -------------------------------------------------------------------------------
def test_read_analogies(tmp_path):
    path = tmp_path / "q.txt"
    path.write_text(": capital\nAthens Greece Baghdad Iraq\n\n: family\nboy girl brother sister\n")
    assert read_analogies(path) == {
        "capital": [("Athens", "Greece", "Baghdad", "Iraq")],
        "family": [("boy", "girl", "brother", "sister")],
    }
    assert read_analogies(path, lowercase=True)["capital"] == [("athens", "greece", "baghdad", "iraq")]
    path.write_text(": s\na b c\n")
    with pytest.raises(ValueError, match="line 2: expected ': section' or four words"):
        read_analogies(path)
    path.write_text(": only a header\n")
    with pytest.raises(ValueError, match="no analogy questions"):
        read_analogies(path)


def test_read_word_pairs_formats(tmp_path):
    gensim_style = tmp_path / "ws.tsv"
    gensim_style.write_text("# WordSim\n# Word 1\tWord 2\tHuman (mean)\nLove\tsex\t6.77\ntiger\tcat\t7.35\n")
    assert read_word_pairs(gensim_style) == [("love", "sex", 6.77), ("tiger", "cat", 7.35)]
    assert read_word_pairs(gensim_style, lowercase=False)[0] == ("Love", "sex", 6.77)
    csv_style = tmp_path / "combined.csv"
    csv_style.write_text("Word 1,Word 2,Human (mean)\nlove,sex,6.77\n")
    assert read_word_pairs(csv_style) == [("love", "sex", 6.77)]
    simlex = tmp_path / "SimLex-999.txt"
    simlex.write_text(
        "word1\tword2\tPOS\tSimLex999\tconc(w1)\tconc(w2)\n"
        "old\tnew\tA\t1.58\t2.72\t2.81\nsmart\tintelligent\tA\t9.2\t1.75\t2.46\n"
    )
    assert read_word_pairs(simlex) == [("old", "new", 1.58), ("smart", "intelligent", 9.2)]
    assert read_word_pairs(simlex, score_column=4)[0] == ("old", "new", 2.72)


def test_read_word_pairs_bad_files(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("a\tb\t1.0\nc\td\tlots\n")
    with pytest.raises(ValueError, match="line 2: expected 'word1<TAB>word2<TAB>score'"):
        read_word_pairs(path)
    path.write_text("# nothing\n")
    with pytest.raises(ValueError, match="no word pairs"):
        read_word_pairs(path)
    with pytest.raises(ValueError, match="score_column must be >= 2"):
        read_word_pairs(path, score_column=1)


def test_readers_on_the_files_gensim_ships():
    gensim = pytest.importorskip("gensim", reason="gensim ships the standard test files")
    data = os.path.join(os.path.dirname(gensim.__file__), "test", "test_data")
    sections = read_analogies(os.path.join(data, "questions-words.txt"), lowercase=True)
    assert len(sections) == 14 and sum(map(len, sections.values())) == 19544
    assert len(read_word_pairs(os.path.join(data, "wordsim353.tsv"))) == 353
    assert len(read_word_pairs(os.path.join(data, "simlex999.txt"))) == 999


# ---- planted structure ---------------------------------------------------------------------
def grouped(n_groups=4, size=25, d=20, spread=0.0, seed=0, counts=None):
    rng = np.random.default_rng(seed)
    centers = np.eye(d)[:n_groups] * 10
    E = np.repeat(centers, size, axis=0) + spread * rng.normal(size=(n_groups * size, d))
    tokens = [f"g{g}_{i}" for g in range(n_groups) for i in range(size)]
    groups = {t: t.split("_")[0] for t in tokens}
    return make_emb(tokens, E, counts), groups


def test_purity_is_one_on_separated_groups_and_chance_on_random():
    emb, groups = grouped(spread=0.5)
    perfect = knn_purity(emb, {**groups, "absent": "g0"}, k=5)
    assert perfect.purity == 1.0 and perfect.n_words == 100 and perfect.n_missing == 1
    assert perfect.chance == pytest.approx(24 / 99)
    rng = np.random.default_rng(5)
    noise = make_emb(list(groups), rng.normal(size=(100, 20)))
    random = knn_purity(noise, groups, k=5)
    assert abs(random.purity - random.chance) < 0.08


def test_purity_by_frequency_bins():
    counts = np.repeat([1, 10, 100, 1000], 25)[np.random.default_rng(0).permutation(100)]
    emb, groups = grouped(spread=0.5, counts=counts)
    bins = purity_by_frequency(emb, groups, k=5, n_bins=4)
    assert [(b.count_min, b.count_max, b.n_words) for b in bins] == [
        (1, 1, 25), (10, 10, 25), (100, 100, 25), (1000, 1000, 25)
    ]
    assert all(b.purity == 1.0 for b in bins)
    assert len(purity_by_frequency(emb, groups, n_bins=1)) == 1


def test_purity_bad_input():
    emb, groups = grouped(n_groups=2, size=2)
    with pytest.raises(ValueError, match="k must be smaller than the number of grouped words"):
        knn_purity(emb, groups, k=4)
    with pytest.raises(ValueError, match="groups must be a non-empty dict"):
        knn_purity(emb, {})


def test_mean_cosines_of_synonyms_antonyms_random():
    emb = unit_emb(["hot", "warm", "cold", "x", "y"],
                   [[1, 0, 0], [1, 0.1, 0], [-1, 0, 0], [0, 1, 0], [0, 0, 1]])
    out = mean_cosines(emb, {"synonym": [("hot", "warm"), ("hot", "nope")],
                             "antonym": [("hot", "cold")]}, n_random=500, rng=0)
    assert out["synonym"].mean == pytest.approx(1 / np.sqrt(1.01)) and out["synonym"][1:] == (1, 2)
    assert out["antonym"].mean == pytest.approx(-1.0)
    assert out["random"].n_pairs == 500 and -1 < out["random"].mean < 1
    assert out == mean_cosines(emb, {"synonym": [("hot", "warm"), ("hot", "nope")],
                                     "antonym": [("hot", "cold")]}, n_random=500, rng=0)
    with pytest.raises(ValueError, match="'random' key"):
        mean_cosines(emb, {"random": [("hot", "warm")]})


# ---- PMI -----------------------------------------------------------------------------------
C_TINY = np.array([[2, 1, 0], [1, 0, 3], [0, 3, 2]])  # total 12; rows 3, 4, 5; cols 3, 4, 5


def test_pmi_on_a_hand_computed_matrix():
    M = pmi(C_TINY)
    assert M[0, 0] == pytest.approx(math.log(2 * 12 / (3 * 3)))
    assert M[0, 1] == pytest.approx(math.log(1 * 12 / (3 * 4)))  # = 0
    assert M[1, 2] == pytest.approx(math.log(3 * 12 / (4 * 5)))
    assert np.isneginf(M[0, 2]) and np.isneginf(M[1, 1])
    alpha = pmi(C_TINY, context_power=0.75)
    P_c = np.array([3, 4, 5]) ** 0.75 / np.sum(np.array([3, 4, 5]) ** 0.75)
    assert alpha[2, 1] == pytest.approx(math.log(3 / (5 * P_c[1])))


def test_shifted_and_positive_pmi():
    for K in (1, 5, 15):
        M, S = pmi(C_TINY), shifted_pmi(C_TINY, K)
        finite = np.isfinite(M)
        np.testing.assert_array_equal(S[finite], M[finite] - np.log(K))
        np.testing.assert_array_equal(np.isneginf(S), ~finite)
        np.testing.assert_array_equal(positive_pmi(C_TINY, K), np.where(finite, np.maximum(S, 0), 0))


def test_pmi_from_cooccurrence_counts_and_bad_input():
    sentences = [np.array([0, 1, 2, 1, 0]), np.array([2, 2, 1])]
    C = cooccurrence_counts(sentences, 1, 3)
    assert np.isfinite(pmi(C)[C > 0]).all() and np.isneginf(pmi(C)[C == 0]).all()
    for bad in (np.zeros((2, 3)), np.zeros((0, 0)), -np.eye(2), np.zeros((2, 2))):
        with pytest.raises(ValueError, match="C must"):
            pmi(bad)
    with pytest.raises(ValueError, match="K must be >= 1"):
        shifted_pmi(C_TINY, 0)


def test_svd_embeddings_factorise_sppmi():
    rng = np.random.default_rng(0)
    C = rng.integers(0, 20, size=(12, 12))
    E, O = svd_embeddings(C, dim=12, K=2)
    np.testing.assert_allclose(E @ O.T, positive_pmi(C, 2), atol=1e-10)
    E3, O3 = svd_embeddings(C, dim=3, K=2)
    assert E3.shape == O3.shape == (12, 3)
    np.testing.assert_allclose(E3, E[:, :3])  # the truncation keeps the leading components
    with pytest.raises(ValueError, match="dim must be <= V"):
        svd_embeddings(C, dim=13)


def test_factorization_agreement_is_perfect_for_the_exact_factorisation():
    rng = np.random.default_rng(1)
    C = rng.uniform(1, 30, size=(10, 10))  # all cells seen (no -inf), no tied values
    M = shifted_pmi(C, 5)
    U, S, Vt = np.linalg.svd(M)
    E, O = U * np.sqrt(S), Vt.T * np.sqrt(S)
    for method in ("pearson", "spearman"):
        for weighted in (False, True):
            agree = factorization_agreement(E, O, C, 5, method=method, weighted=weighted)
            assert agree.correlation == pytest.approx(1.0) and agree.rmse < 1e-10
            assert agree.n_cells == 100
    noise = factorization_agreement(rng.normal(size=(10, 4)), rng.normal(size=(10, 4)), C, 5)
    assert abs(noise.correlation) < 0.5
    C[0, 0] = 0
    assert factorization_agreement(E, O, C, 5).n_cells == 99
    with pytest.raises(ValueError, match="C must be \\(V, V\\) with V = E.shape\\[0\\]"):
        factorization_agreement(E[:5], O[:5], C, 5)


# ---- Procrustes and CKA --------------------------------------------------------------------
def test_procrustes_recovers_a_random_rotation():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(50, 6))
    Q = random_rotation(6, rng)
    result = procrustes_align(A, A @ Q)
    np.testing.assert_allclose(result.R, Q, atol=1e-10)
    np.testing.assert_allclose(result.aligned, A @ Q, atol=1e-10)
    assert result.residual < 1e-10 and result.mean_cosine == pytest.approx(1.0)
    np.testing.assert_allclose(result.R @ result.R.T, np.eye(6), atol=1e-12)


def test_procrustes_on_noise_leaves_a_residual_and_checks_shapes():
    rng = np.random.default_rng(1)
    result = procrustes_align(rng.normal(size=(40, 5)), rng.normal(size=(40, 5)))
    assert 0.5 < result.residual < 1.5
    with pytest.raises(ValueError, match="B must have d=5 columns"):
        procrustes_align(np.ones((4, 5)), np.ones((4, 3)))
    with pytest.raises(ValueError, match="same rows"):
        procrustes_align(np.ones((4, 5)), np.ones((3, 5)))
    with pytest.raises(ValueError, match="A must be a 2-D float array"):
        procrustes_align(np.ones(5), np.ones((4, 5)))


def test_cka_invariant_to_rotation_and_isotropic_scaling():
    rng = np.random.default_rng(2)
    A = rng.normal(size=(60, 8))
    B = np.tanh(A @ rng.normal(size=(8, 5)))
    assert linear_cka(A, A) == pytest.approx(1.0)
    assert linear_cka(A, 3.5 * A @ random_rotation(8, rng)) == pytest.approx(1.0)
    base = linear_cka(A, B)
    assert 0 < base < 1
    assert linear_cka(A @ random_rotation(8, rng) * 0.1, B) == pytest.approx(base)
    assert linear_cka(A, rng.normal(size=(60, 5))) < 0.3
    with pytest.raises(ValueError, match="constant"):
        linear_cka(A, np.ones((60, 2)))
    with pytest.raises(ValueError, match="same rows"):
        linear_cka(A, B[:10])


@pytest.mark.filterwarnings("ignore:Call to deprecated `init_sims`:DeprecationWarning")
def test_analogies_agree_with_gensim_on_its_own_test_file():
    """An independent reference: gensim's evaluate_word_analogies (3CosAdd) and most_similar_cosmul."""
    gensim = pytest.importorskip("gensim", reason="gensim is the independent reference")
    from gensim.models import KeyedVectors

    path = os.path.join(os.path.dirname(gensim.__file__), "test", "test_data", "questions-words.txt")
    sections = read_analogies(path, lowercase=True)
    words = sorted({w for q in sections["family"] for w in q})[:-5]  # leave some uncovered
    E = np.random.default_rng(0).normal(size=(len(words), 10))
    emb = make_emb(words, E)
    ours = analogy_accuracy(emb, sections)
    kv = KeyedVectors(10)
    kv.add_vectors(words, E)
    _, theirs = kv.evaluate_word_analogies(path, case_insensitive=True)
    total = theirs[-1]
    assert (ours.n_correct, ours.n_covered) == (len(total["correct"]),
                                                len(total["correct"]) + len(total["incorrect"]))
    covered = [q for q, p in zip(sections["family"], ours.sections["family"].predictions) if p]
    mul = analogy_accuracy(emb, covered[:60], method="3CosMul", eps=1e-6)  # gensim's epsilon
    expected = [next(x for x, _ in kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=4)
                     if x not in (a, b, c)) for a, b, c, _ in covered[:60]]
    assert mul.predictions == expected
