"""Chapter 16's apparatus: similar vs related neighbours, the one-factor loop, a window's reach."""

import numpy as np
import pytest

from skipgram_lab.book import hyperparameters as hp
from skipgram_lab.embeddings import Embeddings
from skipgram_lab.planted import knn_purity
from skipgram_lab.synthetic import generate


@pytest.fixture(scope="module")
def corpus():
    return generate(600, rng=0)


def test_labels_split_a_topic_by_part_of_speech(corpus):
    function, topic = hp.structure_labels(corpus.truth)
    assert set(function.values()) == set(hp.TOPICS) | set(hp.TOPICS.values())
    assert set(topic.values()) == set(hp.TOPICS)
    assert function["dog"] != function["walked"] and topic["dog"] == topic["walked"] == "animals"
    assert "paris" not in function and "big" not in function


def rows(corpus, label_of, rng, noise=0.01):
    """One-hot rows by label (plus a little noise) for every vocabulary word; others random."""
    vocab = corpus.vocab
    labels = sorted(set(label_of.values()))
    E = noise * rng.standard_normal((len(vocab), len(labels) + 5))
    for w, g in label_of.items():
        if w in vocab.index:
            E[vocab.index[w], labels.index(g)] += 1.0
    return Embeddings(E, E, vocab)


def test_scores_are_purity_differences_with_their_chance(corpus):
    function, topic = hp.structure_labels(corpus.truth)
    emb = rows(corpus, function, np.random.default_rng(0), noise=0.5)
    s = hp.structure_scores(emb, corpus.truth, k=3)
    f, t = knn_purity(emb, function, 3), knn_purity(emb, topic, 3)
    assert s.similar == f.purity and s.related == pytest.approx(t.purity - f.purity)
    assert s.chance_similar == f.chance and s.chance_related == pytest.approx(t.chance - f.chance)
    assert s.related_of_rest == pytest.approx((t.purity - f.purity) / (1 - f.purity))
    assert s.chance_related_of_rest == pytest.approx((t.chance - f.chance) / (1 - f.chance))


def test_vectors_that_know_only_the_group_have_no_related_neighbours(corpus):
    function, _ = hp.structure_labels(corpus.truth)
    s = hp.structure_scores(rows(corpus, function, np.random.default_rng(1)), corpus.truth)
    assert s.similar == 1.0 and s.related == 0.0 and np.isnan(s.related_of_rest)


def test_vectors_that_know_only_the_topic_mix_the_two(corpus):
    _, topic = hp.structure_labels(corpus.truth)
    s = hp.structure_scores(rows(corpus, topic, np.random.default_rng(2)), corpus.truth, k=5)
    assert s.similar + s.related == pytest.approx(1.0)
    assert 0.2 < s.related < 0.8  # neighbours drawn from the whole topic, nouns and verbs alike


def test_random_vectors_score_about_chance(corpus):
    rng = np.random.default_rng(3)
    E = rng.standard_normal((len(corpus.vocab), 20))
    s = hp.structure_scores(Embeddings(E, E, corpus.vocab), corpus.truth)
    assert abs(s.similar - s.chance_similar) < 0.06 and abs(s.related - s.chance_related) < 0.06
    assert abs(s.related_of_rest - s.chance_related_of_rest) < 0.06


def test_one_factor_trains_every_setting_with_every_seed():
    calls = []

    def train(seed, **changes):
        calls.append((seed, changes))
        return seed + changes.get("window", 0)

    runs = hp.one_factor(train, {"base": {}, "window=2": {"window": 2}}, (0, 1, 2), lambda r: {"x": r})
    assert calls == [(s, {}) for s in (0, 1, 2)] + [(s, {"window": 2}) for s in (0, 1, 2)]
    assert [r["x"] for r in runs["window=2"]] == [2, 3, 4]
    sp = hp.spreads(runs, "x")
    assert (sp["base"].mean, sp["base"].low, sp["base"].high) == (1.0, 0.0, 2.0)
    with pytest.raises(ValueError, match="seeds"):
        hp.one_factor(train, {"base": {}}, (), lambda r: {})


def test_pair_distances_count_positions_not_kept_tokens():
    p = np.array([0, 1, 4, 5, 9])
    assert hp.pair_distances(p, 1).tolist() == [1, 3, 1, 4]
    assert hp.pair_distances(p, 2).tolist() == [1, 3, 1, 4, 4, 4, 5]
    assert hp.pair_distances(np.arange(6), 3).mean() == pytest.approx((5 * 1 + 4 * 2 + 3 * 3) / 12)
    assert hp.pair_distances(np.array([7]), 2).size == 0
    assert hp.pair_distances(p, 10).size == 10  # every pair of the sentence once


@pytest.mark.parametrize("positions,window,message", [
    ([3, 2, 5], 1, "increasing"), ([1, 1, 2], 1, "increasing"), ([[0, 1]], 1, "1-d"), ([0, 1], 0, "window"),
])
def test_pair_distances_reject_bad_input(positions, window, message):
    with pytest.raises(ValueError, match=message):
        hp.pair_distances(np.array(positions), window)


def test_reach_without_subsampling_is_the_mean_offset():
    sentences = [np.arange(n) % 3 for n in (4, 7, 1, 5)]
    expected = np.concatenate([hp.pair_distances(np.arange(len(s)), 2) for s in sentences]).mean()
    reach, kept = hp.subsampled_reach(sentences, None, 2)
    assert reach == pytest.approx(expected) and kept == 1.0
    assert hp.subsampled_reach(sentences, np.ones(3), 2, rng=0) == (reach, 1.0)


def test_reach_follows_one_draw_per_token_in_corpus_order():
    sentences = [np.array([0, 1, 0, 2, 0, 1]), np.array([2, 0, 0, 1, 2])]
    keep = np.array([0.3, 1.0, 0.8])
    reach, kept = hp.subsampled_reach(sentences, keep, 2, rng=5)
    u = np.random.default_rng(5).random(11)
    distances, n_kept, start = [], 0, 0
    for s in sentences:
        mask = u[start:start + len(s)] < keep[s]
        start += len(s)
        n_kept += mask.sum()
        distances.append(hp.pair_distances(np.flatnonzero(mask), 2))
    assert reach == pytest.approx(np.concatenate(distances).mean()) and kept == pytest.approx(n_kept / 11)
    assert reach > hp.subsampled_reach(sentences, None, 2)[0]  # removing tokens widens the window


def test_reach_raises_when_no_pair_is_left():
    with pytest.raises(ValueError, match="no pair"):
        hp.subsampled_reach([np.array([0, 1])], np.zeros(2), 2, rng=0)
