"""What a score is compared with: model-free baselines, chance levels, and the spread over seeds.

A planted-structure score (purity, a rank, an analogy accuracy) says little on its
own. Three references make it mean something:

- **model-free baselines**: vectors read straight off the pair counts, with no
  training at all (:func:`count_embeddings`, :func:`ppmi_embeddings`,
  :func:`svd_embeddings_of` ; :func:`model_free_baselines` builds all three). If
  rows of the count matrix already score 0.90, a trained model's 0.89 shows
  that the structure is in the counts, not that training found it.
- **chance**: what random neighbours or random answers would score
  (:func:`skipgram_lab.planted.knn_purity` returns it for purity;
  :func:`partner_rank_in_group` and :func:`analogy_chance` here).
- **seeds**: a number a verdict rests on is measured with several seeds and
  reported as mean and spread (:func:`spread`); the prose compares the spread
  with the effect.

>>> import numpy as np
>>> from skipgram_lab.corpus import Vocab
>>> from skipgram_lab.baselines import model_free_baselines, spread
>>> C = np.array([[0, 3, 1], [3, 0, 1], [1, 1, 0]])
>>> sorted(model_free_baselines(C, Vocab(["a", "b", "c"], [4, 4, 2]), dim=2))
['PPMI', 'SVD of PPMI', 'counts']
>>> print(spread([0.90, 0.88, 0.92]))
0.900 [0.880, 0.920]
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._rows import _lookup, _unit_rows
from ._validate import check_int
from .embeddings import Embeddings
from .pmi import _check_counts, positive_pmi, svd_embeddings


# ---- vectors with no training ------------------------------------------------------------------
def count_embeddings(C, vocab):
    """Each word's row of the pair-count matrix as its vector: ``E = C``, ``O = C^T``.

    Parameters
    ----------
    C : (V, V) array of counts
        ``C[w, c] = #(w, c)``, as :func:`skipgram_lab.pairs.cooccurrence_counts` returns.
    vocab : Vocab
        The V words of ``C``'s rows.

    Returns
    -------
    Embeddings
        ``E`` (V, V): word ``w``'s counts with every context; ``O`` (V, V): its counts as a context.
    """
    C = _check_counts(C)
    _check_vocab(C, vocab)
    return Embeddings(C, C.T.copy(), vocab)


def ppmi_embeddings(C, vocab, *, K=1, context_power=1.0):
    """Rows of positive (shifted) PMI as vectors: ``E = max(PMI - log K, 0)``, ``O = E^T``.

    PMI re-weights the counts so that a context's own frequency no longer
    dominates a row (Levy, Goldberg & Dagan 2015); see :func:`skipgram_lab.pmi.positive_pmi`.

    Returns
    -------
    Embeddings
        ``E``, ``O`` : (V, V)
    """
    C = _check_counts(C)
    _check_vocab(C, vocab)
    M = positive_pmi(C, K, context_power=context_power)
    return Embeddings(M, M.T.copy(), vocab)


def svd_embeddings_of(C, vocab, dim, *, K=1, context_power=1.0):
    """The truncated SVD of positive PMI (:func:`skipgram_lab.pmi.svd_embeddings`) as Embeddings.

    Returns
    -------
    Embeddings
        ``E``, ``O`` : (V, dim)
    """
    C = _check_counts(C)
    _check_vocab(C, vocab)
    E, O = svd_embeddings(C, dim, K=K, context_power=context_power)
    return Embeddings(E, O, vocab)


def model_free_baselines(C, vocab, dim):
    """The three baselines every planted score in Part II is printed beside.

    Returns
    -------
    dict of str -> Embeddings
        ``"counts"`` (:func:`count_embeddings`), ``"PPMI"`` (:func:`ppmi_embeddings`, K = 1)
        and ``"SVD of PPMI"`` (:func:`svd_embeddings_of` with ``dim``, K = 1).
    """
    return {"counts": count_embeddings(C, vocab), "PPMI": ppmi_embeddings(C, vocab),
            "SVD of PPMI": svd_embeddings_of(C, vocab, dim)}


def _check_vocab(C, vocab):
    if len(vocab) != C.shape[0]:
        raise ValueError(f"vocab must have one word per row of C ({C.shape[0]}), got {len(vocab)} words")


# ---- chance levels ------------------------------------------------------------------------------
class PartnerRank(NamedTuple):
    """Where a planted partner ranks among its group-mates, and what chance gives."""

    nearest: float  # share of words whose partner is the nearest group-mate
    chance: float  # the same share for a random order of the group-mates
    mean_rank: float  # mean rank of the partner among the group-mates (1 = nearest)
    chance_rank: float  # mean rank for a random order: (n_mates + 1) / 2
    n_pairs: int


def partner_rank_in_group(emb, pairs, groups, which="E"):
    """Is the planted partner nearer than the other words of its group? (ranking inside a group)

    For each pair (a, b), both ways round: rank b among all of a's group-mates
    (the words with ``groups[t] == groups[a]``, a excluded) by cosine to a.
    Unlike k-NN purity, this asks a question group membership cannot answer:
    *big*'s group-mates are *large*, *small* and *little*, and only *large* is
    its synonym. A model that sees only groups ranks the partner at random:
    first with probability ``1 / n_mates``.

    Parameters
    ----------
    emb : Embeddings
    pairs : sequence of (str, str)
        e.g. ``truth.synonyms``; both words must be in one group of ``groups``.
    groups : dict of str -> str
    which : {"E", "O", "E+O"}

    Returns
    -------
    PartnerRank
        Pairs with a word outside the vocabulary are skipped (``n_pairs`` counts
        the (a, b) and (b, a) questions asked).
    """
    U = _unit_rows(emb, which)
    ids, covered = _lookup(emb.vocab, pairs, "pairs", 2)
    index = emb.vocab.index
    mates_of = {}
    for t, g in groups.items():
        if t in index:
            mates_of.setdefault(g, []).append(index[t])
    firsts, ranks, n_mates = [], [], []
    for (a, b), (i, j) in zip((p for p, ok in zip(pairs, covered) if ok), ids):
        for x, y, tx, ty in ((i, j, a, b), (j, i, b, a)):
            if groups.get(tx) is None or groups.get(tx) != groups.get(ty):
                raise ValueError(f"pairs must be of words in the same group, got ({tx!r}, {ty!r})")
            mates = np.array([m for m in mates_of[groups[tx]] if m != x])  # (n_g - 1,)
            sims = U[mates] @ U[x]
            rank = 1 + int(np.sum(sims > U[y] @ U[x]))
            firsts.append(rank == 1)
            ranks.append(rank)
            n_mates.append(len(mates))
    if not ranks:
        raise ValueError("pairs must hold at least one pair with both words in the vocabulary")
    n_mates = np.array(n_mates, dtype=np.float64)
    return PartnerRank(float(np.mean(firsts)), float(np.mean(1 / n_mates)), float(np.mean(ranks)),
                       float(np.mean((n_mates + 1) / 2)), len(ranks))


def analogy_chance(n_candidates):
    """Accuracy of a random answer to "a is to b as c is to ?" among ``n_candidates`` words.

    The search excludes a, b and c, so over a vocabulary of V words
    ``n_candidates = V - 3`` and chance is ``1 / (V - 3)``.
    """
    return 1.0 / check_int("n_candidates", n_candidates, 1)


# ---- seeds -------------------------------------------------------------------------------------
class Spread(NamedTuple):
    """Mean and range of one number measured over several seeds."""

    mean: float
    low: float
    high: float
    sd: float
    n: int

    def __str__(self):
        return self.format(3)

    def format(self, digits=3):
        """``"mean [min, max]"`` with ``digits`` decimals."""
        return f"{self.mean:.{digits}f} [{self.low:.{digits}f}, {self.high:.{digits}f}]"


def spread(values):
    """Mean, min, max and sample standard deviation of a score over seeds.

    Parameters
    ----------
    values : sequence of float
        One finite value per seed, at least one (``sd`` is 0 for one value).

    Returns
    -------
    Spread
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    if len(x) == 0 or not np.all(np.isfinite(x)):
        raise ValueError(f"values must be one or more finite numbers, got {values!r}")
    sd = float(x.std(ddof=1)) if len(x) > 1 else 0.0
    return Spread(float(x.mean()), float(x.min()), float(x.max()), sd, len(x))
