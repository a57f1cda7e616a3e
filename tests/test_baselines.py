"""Model-free baselines, chance levels and seed spreads: exact on small cases, then on the planted corpus."""

import numpy as np
import pytest

from skipgram_lab.baselines import (
    analogy_chance, count_embeddings, model_free_baselines, partner_rank_in_group, ppmi_embeddings,
    spread, svd_embeddings_of,
)
from skipgram_lab.corpus import Vocab
from skipgram_lab.embeddings import Embeddings
from skipgram_lab.evaluate import knn_purity
from skipgram_lab.pairs import cooccurrence_counts
from skipgram_lab.pmi import positive_pmi, svd_embeddings
from skipgram_lab.synthetic import generate

C = np.array([[0, 3, 1, 0], [3, 0, 1, 2], [1, 1, 0, 4], [0, 2, 4, 0]])
VOCAB = Vocab(["a", "b", "c", "d"], [4, 6, 6, 6])


def test_count_and_ppmi_rows_are_the_matrices_themselves():
    counts = count_embeddings(C, VOCAB)
    np.testing.assert_array_equal(counts.E, C.astype(float))
    np.testing.assert_array_equal(counts.O, C.T.astype(float))
    ppmi = ppmi_embeddings(C, VOCAB, K=2)
    np.testing.assert_allclose(ppmi.E, positive_pmi(C, 2))
    E, O = svd_embeddings(C, 2)
    svd = svd_embeddings_of(C, VOCAB, 2)
    np.testing.assert_allclose(svd.E, E)
    np.testing.assert_allclose(svd.O, O)
    assert set(model_free_baselines(C, VOCAB, 2)) == {"counts", "PPMI", "SVD of PPMI"}


def test_baselines_check_their_arguments():
    with pytest.raises(ValueError, match="vocab must have one word per row of C"):
        count_embeddings(C, Vocab(["a", "b"], [1, 1]))
    with pytest.raises(ValueError, match="C must be a square"):
        ppmi_embeddings(C[:3], VOCAB)
    with pytest.raises(ValueError, match="dim must be <= V"):
        svd_embeddings_of(C, VOCAB, 9)


def test_partner_rank_is_exact_on_a_hand_made_group():
    # group of four: a's partner b is nearest; c's partner d is the farthest of c's mates
    E = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [1.0, -0.2]])
    emb = Embeddings(E, E, VOCAB)
    groups = dict.fromkeys("abcd", "g")
    r = partner_rank_in_group(emb, [("a", "b"), ("c", "d")], groups)
    # cosines: a.b 0.994, a.d 0.981, b.d 0.954, c.b 0.110, c.a 0, c.d -0.196
    # a -> b: rank 1; b -> a: rank 1; c -> d: rank 3 (behind b and a); d -> c: rank 3
    assert r.n_pairs == 4 and r.mean_rank == (1 + 1 + 3 + 3) / 4 and r.nearest == 0.5
    assert r.chance == pytest.approx(1 / 3) and r.chance_rank == 2.0


def test_partner_rank_refuses_pairs_from_two_groups():
    emb = Embeddings(np.eye(4), np.eye(4), VOCAB)
    with pytest.raises(ValueError, match="same group"):
        partner_rank_in_group(emb, [("a", "c")], {"a": "x", "b": "x", "c": "y", "d": "y"})
    with pytest.raises(ValueError, match="at least one pair"):
        partner_rank_in_group(emb, [("a", "zzz")], dict.fromkeys("abcd", "g"))


def test_spread_and_analogy_chance():
    s = spread([0.2, 0.4, 0.9])
    assert (s.mean, s.low, s.high, s.n) == (pytest.approx(0.5), 0.2, 0.9, 3)
    assert s.sd == pytest.approx(np.std([0.2, 0.4, 0.9], ddof=1))
    assert str(s) == "0.500 [0.200, 0.900]" and s.format(1) == "0.5 [0.2, 0.9]"
    assert spread([1.0]).sd == 0.0
    with pytest.raises(ValueError, match="finite"):
        spread([0.1, np.nan])
    with pytest.raises(ValueError, match="finite"):
        spread([])
    assert analogy_chance(918) == 1 / 918
    with pytest.raises(ValueError, match="n_candidates"):
        analogy_chance(0)


def test_count_rows_already_find_the_planted_groups():
    """Why Part II prints baselines: on the plain planted corpus purity is saturated without training."""
    corpus = generate(3000, rng=0)
    C = cooccurrence_counts(corpus.encoded(), 2, len(corpus.vocab))
    groups = corpus.truth.groups
    chance = knn_purity(count_embeddings(C, corpus.vocab), groups).chance
    for name, emb in model_free_baselines(C, corpus.vocab, 30).items():
        assert knn_purity(emb, groups).purity > 0.8 > 10 * chance, name
