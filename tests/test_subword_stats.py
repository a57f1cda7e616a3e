"""Window span over pieces, hubness and neighbour label shares, on cases worked by hand."""

import numpy as np
import pytest

from skipgram_lab.book import subword_stats as ss
from skipgram_lab.corpus import Vocab


def test_word_numbers_follow_the_word_start_mark():
    vocab = Vocab(["\u2581the", "\u2581walk", "ed", "s"], [1, 1, 1, 1])
    numbers = ss.word_numbers([np.array([0, 1, 2, 0, 1, 3])], vocab)
    assert numbers[0].tolist() == [0, 1, 1, 2, 3, 3]


def test_window_span_of_words_is_two_k_away_from_the_edges():
    span = ss.window_span([np.arange(20)], window=3)
    edge_loss = 2 * (1 + 2 + 3)  # pairs missing at the two ends
    assert span.words_per_window == pytest.approx((20 * 6 - edge_loss) / 20)
    assert span.within_word_share == 0.0 and span.pieces_per_word == 1.0


def test_window_span_over_pieces_reaches_fewer_words():
    word_of = [np.array([0, 0, 1, 1, 2, 2, 3, 3])]  # every word two pieces
    pieces = ss.window_span(word_of, window=2)
    words = ss.window_span([np.arange(4)], window=2)
    assert pieces.words_per_window < 2 * 2
    assert pieces.pieces_per_word == 2.0
    # pairs within a word: each piece sees its partner once, of its 2-4 window pairs
    assert 0 < pieces.within_word_share < 0.5
    assert words.within_word_share == 0.0


def test_k_occurrence_sums_to_n_k_and_finds_a_hub():
    rng = np.random.default_rng(0)
    u = np.zeros(20)
    u[0] = 1.0
    M = u + 0.6 * rng.normal(size=(30, 20))  # directions scattered around u (20-D)
    M[0] = u  # the centre of the cone: near everyone
    occ = ss.k_occurrence(M, k=3)
    assert occ.sum() == 30 * 3
    assert occ[0] == occ.max() and occ[0] > 3 * 3
    with pytest.raises(ValueError, match="k must be <"):
        ss.k_occurrence(M, k=30)


def test_neighbour_label_share():
    M = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    labels = np.array(["a", "a", "b", "b"])
    share = ss.neighbour_label_share(M, labels, [0, 2], k=1)
    assert share.tolist() == [1.0, 1.0]
    share = ss.neighbour_label_share(M, labels, [0], k=3)
    assert share[0] == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="one entry per row"):
        ss.neighbour_label_share(M, labels[:3], [0])


def test_combine_pieces_mean_first_and_weighted_by_hand():
    M = np.array([[1.0, 0.0], [0.0, 1.0], [3.0, 3.0]])
    words = [[0, 1], [2], [1, 0, 2]]
    assert ss.combine_pieces(M, words, "mean").tolist() == [[0.5, 0.5], [3.0, 3.0], [4 / 3, 4 / 3]]
    assert ss.combine_pieces(M, words, "first").tolist() == [[1.0, 0.0], [3.0, 3.0], [0.0, 1.0]]
    counts = np.array([1, 4, 1])  # piece 1 is four times as frequent: half the weight of piece 0
    weighted = ss.combine_pieces(M, words, "weighted", counts=counts)
    np.testing.assert_allclose(weighted[0], [1 / 1.5, 0.5 / 1.5])
    np.testing.assert_allclose(weighted[2], [(1 + 3) / 2.5, (0.5 + 3) / 2.5])
    equal = ss.combine_pieces(M, words, "weighted", counts=np.ones(3))
    np.testing.assert_allclose(equal, ss.combine_pieces(M, words, "mean"))


@pytest.mark.parametrize("kwargs, message", [
    (dict(how="sum"), "how"),
    (dict(how="weighted"), "needs counts"),
    (dict(how="weighted", counts=np.ones(2)), "counts must have"),
    (dict(word_pieces=[[0, 5]]), r"word_pieces\[0\]"),
    (dict(word_pieces=[[]]), r"word_pieces\[0\]"),
])
def test_combine_pieces_rejects_bad_input(kwargs, message):
    args = dict(M=np.eye(3), word_pieces=[[0, 1]], how="mean") | kwargs
    with pytest.raises(ValueError, match=message):
        ss.combine_pieces(**args)


def test_label_share_chance_counts_the_other_rows():
    labels = ["a", "a", "b", "a", "b"]
    np.testing.assert_allclose(ss.label_share_chance(labels, [0, 2]), [2 / 4, 1 / 4])


def test_aligned_cosines_are_one_after_a_rotation_and_fall_with_noise():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(40, 5))
    Q, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    np.testing.assert_allclose(ss.aligned_cosines(A, A @ Q, range(40)), 1.0)
    B = A @ Q
    B[:3] = rng.normal(size=(3, 5))  # three rows replaced: they, and only they, move
    cos = ss.aligned_cosines(A, B, range(40))
    assert cos[:3].max() < 0.9 and cos[3:].min() > 0.9
    B[5] = 0.0  # a word one run lacks is left out of the fit
    assert np.isfinite(ss.aligned_cosines(A, B, [0, 1])).all()


def test_aligned_cosines_with_partners_compare_other_rows_after_the_same_rotation():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(30, 4))
    Q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    B = A @ Q
    U = A / np.linalg.norm(A, axis=1, keepdims=True)
    rows, partners = [0, 1, 2], [3, 4, 5]
    np.testing.assert_allclose(ss.aligned_cosines(A, B, rows, partners),  # exact rotation undone
                               np.sum(U[rows] * U[partners], axis=1), atol=1e-12)
    np.testing.assert_allclose(ss.aligned_cosines(A, B, rows, rows), ss.aligned_cosines(A, B, rows))
    with pytest.raises(ValueError, match="partners must have one row of B per row of A"):
        ss.aligned_cosines(A, B, rows, [3, 4])
    with pytest.raises(ValueError, match=r"partners must be ids in \[0, 30\)"):
        ss.aligned_cosines(A, B, rows, [3, 4, 30])


def test_prefix_neighbours_rank_by_common_start_and_skip_the_word():
    candidates = ["walk", "walks", "wall", "dog", "climb", "climbs"]
    top = ss.prefix_neighbours(["climbing", "walk"], candidates, k=2)
    assert [candidates[i] for i in top[0]] == ["climb", "climbs"]
    assert [candidates[i] for i in top[1]] == ["walks", "wall"]  # "walk" itself is skipped
    with pytest.raises(ValueError, match="k must be"):
        ss.prefix_neighbours(["walk"], candidates, k=6)
