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
