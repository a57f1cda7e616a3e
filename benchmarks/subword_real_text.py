"""Chapter 17 on real English: a word model against character n-grams (fastText) on the same tokens.

    python benchmarks/subword_real_text.py                       # sotu, first 600k tokens, seeds 0 1 2, 3 epochs
    python benchmarks/subword_real_text.py --max-tokens 300000 --seeds 0 --epochs 1   # a quick look
    python benchmarks/subword_real_text.py --unseen-composition --seeds 0   # which unseen pairs, ~1.5 min

On the first ``--max-tokens`` tokens of an English corpus (:mod:`skipgram_lab.english`; needs
``make setup``), min_count 5, ``train_subword`` trains, for each seed and on the same sentences, the
word model (``ngram_table(vocab, n_max=0)``) and the n-gram model (n-grams of 3 to 6 letters,
gensim's update rule, as chapter 17's "n-grams"): d = 50, window 5 (dynamic), K = 5, subsampling
1e-3, lr 0.025 -> 0.0001, batch 512. It prints, mean [min, max] over the seeds:

1. WordSim-353 and SimLex-999 Spearman rho on the pairs the word model covers (both words seen at
   least 5 times), with coverage, beside PPMI rows and the SVD of PPMI of the same window counts
   (d = 50), spelling alone (as in 2) and random vectors;
2. unseen words: the test-set pairs with a word seen fewer than 5 times (so neither model has a row
   for it), which only the n-gram model can score, from the word's known n-grams. The word model
   covers none of them; its back-off is the vector of the vocabulary word with the longest common
   start (chapter 17's back-off); random vectors give the chance level, and "spelling" (the Jaccard
   overlap of the two words' n-gram sets, no training) what spelling alone gives;
3. neighbours by spelling: for the inflected forms of the vocabulary (a word ending in -s, -ed or
   -ing whose stem, at least 3 letters, is also a word of the vocabulary), the share of its 10
   nearest words (cosine) that start with its stem, and the share that end with its suffix, beside
   the share among all words (chance) and the PPMI-SVD baseline;
4. if gensim is installed, gensim's FastText (sg=1, same settings, 3 to 6 letters, 500,000
   buckets, 1 worker) as a reference row on the same sentences.

With ``--unseen-composition`` it prints only what the unseen-word pairs of 2 are made of: how
many have both words outside the vocabulary and how many one, how many of those words are a
vocabulary stem + -s / -ed / -ing, how many letters each shares with its back-off word; then it
trains the n-gram model alone (each of ``--seeds``) and scores the two kinds of pair apart, beside
spelling and random vectors on the same pairs.

Prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import time

from collections import Counter

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from skipgram_lab import evaluate
from skipgram_lab.baselines import spread
from skipgram_lab.book.subword_stats import prefix_neighbours
from skipgram_lab.corpus import Vocab
from skipgram_lab.embeddings import Embeddings, cosine_matrix
from skipgram_lab.english import english_sentences
from skipgram_lab.pairs import skipgram_pairs
from skipgram_lab.subword_ngrams import char_ngrams, ngram_table, train_subword
from skipgram_lab.testsets import load_testsets

MIN_COUNT = 5
SETTINGS = dict(dim=50, window=5, negatives=5, lr=0.025, min_lr=0.0001, subsample=1e-3,
                dynamic_window=True, batch_size=512)
SUFFIXES = ("s", "ed", "ing")
BUCKETS = 500_000


def sparse_ppmi(ids, V, window):
    """(V, V) csr matrix of positive PMI of the fixed-window pair counts (eq. ``ppmi`` of chapter 9)."""
    P = skipgram_pairs(ids, window)
    C = sp.csr_matrix((np.ones(len(P)), (P[:, 0], P[:, 1])), shape=(V, V)).tocoo()
    n_w, n_c = np.bincount(C.row, C.data, V), np.bincount(C.col, C.data, V)
    value = np.log(C.data) + np.log(C.data.sum()) - np.log(n_w[C.row]) - np.log(n_c[C.col])
    keep = value > 0
    return sp.csr_matrix((value[keep], (C.row[keep], C.col[keep])), shape=(V, V))


def rho(vectors, words, pairs, n_boot=1):
    """Spearman rho and coverage of the pairs whose words are both in ``words`` (rows of ``vectors``)."""
    vocab = Vocab(words, np.ones(len(words), np.int64))
    return evaluate.word_similarity(Embeddings(vectors, vectors, vocab), pairs, n_boot=n_boot, rng=0)


def spelling_rho(pairs):
    """Spearman rho of a model-free score: the Jaccard overlap of the two words' n-gram sets (3-6 letters)."""
    grams = [(set(char_ngrams(a)), set(char_ngrams(b))) for a, b, _ in pairs]
    overlap = np.array([len(x & y) / len(x | y) for x, y in grams])
    human = np.array([float(p[2]) for p in pairs])
    return float(evaluate.spearman_rows(human[None], overlap[None])[0])


def inflected_forms(vocab):
    """(word id, stem, suffix) of every vocabulary word that is a vocabulary stem + -s, -ed or -ing."""
    out = []
    for i, w in enumerate(vocab.tokens):
        for end in SUFFIXES:
            stem = w[:-len(end)]
            if w.endswith(end) and len(stem) >= 3 and stem in vocab.index:
                out.append((i, stem, end))
                break
    return out


def spelling_shares(M, words, forms, k=10):
    """Mean share of each form's k nearest words that start with its stem, and that end with its suffix."""
    U = cosine_matrix(M)
    ids = np.array([i for i, _, _ in forms])
    S = U[ids] @ U.T  # (q, V)
    S[np.arange(len(ids)), ids] = -np.inf
    top = np.argpartition(-S, k, axis=1)[:, :k]  # (q, k)
    stem = np.mean([np.mean([words[j].startswith(s) for j in row]) for row, (_, s, _) in zip(top, forms)])
    end = np.mean([np.mean([words[j].endswith(e) for j in row]) for row, (_, _, e) in zip(top, forms)])
    return stem, end


def spelling_chance(words, forms):
    """The same shares for neighbours drawn at random from the other words."""
    n = len(words) - 1
    stem = np.mean([(sum(w.startswith(s) for w in words) - 1) / n for _, s, _ in forms])
    ends = {e: sum(w.endswith(e) for w in words) for e in SUFFIXES}
    end = np.mean([(ends[e] - 1) / n for _, _, e in forms])
    return stem, end


def common_start(a, b):
    """Number of leading letters ``a`` and ``b`` share."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def unseen_composition(vocab, ids, table, tests, seeds, epochs):
    """Section 2's pairs split by how many of their words are outside the vocabulary (see the docstring)."""
    words = vocab.tokens
    splits = {}
    for name, test in tests.items():
        unseen = [p for p in test if p[0] not in vocab.index or p[1] not in vocab.index]
        covered = [p for p in unseen if table.pieces(p[0]) and table.pieces(p[1])]
        new = sorted({w for p in covered for w in p[:2] if w not in vocab.index})
        back_off = dict(zip(new, (words[j] for j in prefix_neighbours(new, words, k=1)[:, 0])))
        inflected = [w for w in new if any(w.endswith(e) and len(w) - len(e) >= 3
                                           and w[:-len(e)] in vocab.index for e in SUFFIXES)]
        shared = np.array([common_start(w, back_off[w]) for w in new])
        both = [p for p in covered if p[0] not in vocab.index and p[1] not in vocab.index]
        one = [p for p in covered if p not in both]
        splits[name] = {"all": covered, "one word outside": one, "both words outside": both}
        print(f"  {name}: {len(covered)} pairs the n-gram model builds; {len(both)} with both words outside "
              f"the vocabulary, {len(one)} with one; {len(new)} distinct such words, {len(inflected)} of them "
              f"a vocabulary stem + -s / -ed / -ing; the back-off word shares <= 3 leading letters with "
              f"{int((shared <= 3).sum())} (median {np.median(shared):.0f})")
        print("    e.g. " + ", ".join(f"{w} -> {back_off[w]}" for w in new[:: max(1, len(new) // 8)][:8]))
    forms = Counter(end for _, _, end in inflected_forms(vocab))
    print(f"  section 3's {sum(forms.values()):,} inflected forms: " + ", ".join(f"-{e} {forms[e]}" for e in SUFFIXES))
    rng = np.random.default_rng(0)
    models = {}
    for seed in seeds:
        tick = time.perf_counter()
        models[seed] = train_subword(ids, table, epochs=epochs, rng=seed, input_update="gensim", **SETTINGS)
        print(f"  n-gram model, seed {seed}: {time.perf_counter() - tick:.0f} s")
    for name, parts in splits.items():
        for label, pairs in parts.items():
            query = sorted({w for p in pairs for w in p[:2]})
            res = [rho(models[s].vectors(query), query, pairs, n_boot=1000) for s in seeds]
            chance = [rho(rng.normal(size=(len(query), SETTINGS["dim"])), query, pairs).rho for _ in range(3)]
            print(f"    {name}, {label} ({len(pairs)} pairs): n-grams {spread([r.rho for r in res])} "
                  f"[{res[0].ci_low:.3f}, {res[0].ci_high:.3f}], spelling {spelling_rho(pairs):.3f}, "
                  f"random vectors (3 draws) {spread(chance)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="sotu")
    parser.add_argument("--max-tokens", type=int, default=600_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--unseen-composition", action="store_true",
                        help="only split the unseen-word pairs by how many words are unseen (see above)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    sentences = english_sentences(args.corpus, max_tokens=args.max_tokens)
    vocab = Vocab.from_sentences(sentences, min_count=MIN_COUNT)
    ids = vocab.encode_sentences(sentences)
    words, V = vocab.tokens, len(vocab)
    _, ws353, simlex = load_testsets()
    tests = {"WS353": ws353, "SimLex": simlex}
    tables = {"words": ngram_table(vocab, n_max=0), "n-grams": ngram_table(vocab, 3, 6)}
    print(f"{args.corpus}: first {sum(map(len, sentences)):,} tokens, {sum(map(len, ids)):,} in the "
          f"vocabulary (min_count {MIN_COUNT}), V = {V:,}, {len(tables['n-grams'].ngrams):,} n-grams of "
          f"3-6 letters; d = {SETTINGS['dim']}, {args.epochs} epochs, seeds {args.seeds}")
    if args.unseen_composition:
        unseen_composition(vocab, ids, tables["n-grams"], tests, args.seeds, args.epochs)
        print(f"\n{time.perf_counter() - start:.0f} s in all")
        return

    runs = {}
    for kind, table in tables.items():
        tick = time.perf_counter()
        for seed in args.seeds:
            rule = "gensim" if table.n_max else "gradient"  # the same rule for one row per word
            runs[kind, seed] = train_subword(ids, table, epochs=args.epochs, rng=seed, input_update=rule,
                                             **SETTINGS)
        print(f"  {kind}: {len(args.seeds)} models in {time.perf_counter() - tick:.0f} s")
    try:
        from gensim.models import FastText
    except ImportError:
        FastText = None
        print("  gensim is not installed: its FastText row is skipped (pip install gensim==4.4.0)")
    gensim_wv = {}
    if FastText is not None:
        tick = time.perf_counter()
        for seed in args.seeds:
            gensim_wv[seed] = FastText(
                sentences, sg=1, vector_size=SETTINGS["dim"], window=SETTINGS["window"], negative=5,
                sample=SETTINGS["subsample"], alpha=SETTINGS["lr"], min_alpha=SETTINGS["min_lr"],
                min_count=MIN_COUNT, epochs=args.epochs, min_n=3, max_n=6, bucket=BUCKETS, workers=1,
                seed=seed).wv
        print(f"  gensim FastText: {len(args.seeds)} models in {time.perf_counter() - tick:.0f} s")

    def vectors(kind, seed, query):
        """(n, d) vectors of the query words (any words for the n-gram models)."""
        if kind == "gensim FastText":
            return np.array([gensim_wv[seed][w] for w in query], dtype=np.float64)
        return runs[kind, seed].vectors(query)

    kinds = ["words", "n-grams"] + (["gensim FastText"] if gensim_wv else [])
    M_ppmi = sparse_ppmi(ids, V, SETTINGS["window"])
    U, S, _ = svds(M_ppmi, k=SETTINGS["dim"], random_state=0)
    E_svd = U * np.sqrt(S)  # (V, d)
    rng = np.random.default_rng(0)

    print("\n1. Spearman rho on the pairs with both words in the vocabulary (seed 0's 95% bootstrap "
          "interval)")
    for name, test in tests.items():
        seen = [p for p in test if p[0] in vocab.index and p[1] in vocab.index]
        query = sorted({w for p in seen for w in p[:2]})
        rows = [vocab.index[w] for w in query]
        print(f"  {name}: {len(seen)} of {len(test)} pairs covered ({len(seen) / len(test):.0%})")
        for kind in kinds:
            res = [rho(vectors(kind, s, query), query, seen, n_boot=1000) for s in args.seeds]
            print(f"    {kind:<16} {spread([r.rho for r in res])}  [{res[0].ci_low:.3f}, {res[0].ci_high:.3f}]")
        for label, M in (("PPMI rows", M_ppmi[rows].toarray()), ("SVD of PPMI", E_svd[rows])):
            r = rho(M, query, seen, n_boot=1000)
            print(f"    {label:<16} {r.rho:.3f}  [{r.ci_low:.3f}, {r.ci_high:.3f}]")
        print(f"    {'spelling':<16} {spelling_rho(seen):.3f}")
        chance = [rho(rng.normal(size=(len(query), SETTINGS["dim"])), query, seen).rho for _ in args.seeds]
        print(f"    {'random vectors':<16} {spread(chance)}")

    print(f"\n2. pairs with a word seen fewer than {MIN_COUNT} times: the word model has no vector for it")
    raw = Counter(w for s in sentences for w in s)
    for name, test in tests.items():
        unseen = [p for p in test if p[0] not in vocab.index or p[1] not in vocab.index]
        absent = sum(1 for p in unseen if min(raw[p[0]], raw[p[1]]) == 0)
        query = sorted({w for p in unseen for w in p[:2]})
        built = [w for w in query if tables["n-grams"].pieces(w)]  # in the vocabulary or a known n-gram
        covered = [p for p in unseen if p[0] in built and p[1] in built]
        new = [w for w in built if w not in vocab.index]
        back_off = dict(zip(new, prefix_neighbours(new, words, k=1)[:, 0]))  # longest common start
        rows = [vocab.index[w] if w in vocab.index else back_off[w] for w in built]
        print(f"  {name}: {len(unseen)} pairs ({absent} with a word absent from the text); the n-gram "
              f"model builds both words of {len(covered)} ({len(covered) / len(unseen):.0%})")
        for kind in kinds:
            if kind == "words":
                res = [rho(vectors(kind, s, words)[rows], built, covered, n_boot=1000) for s in args.seeds]
                kind = "words, back-off"
            else:
                res = [rho(vectors(kind, s, built), built, covered, n_boot=1000) for s in args.seeds]
            print(f"    {kind:<16} {spread([r.rho for r in res])}  [{res[0].ci_low:.3f}, {res[0].ci_high:.3f}]")
        same = sum(1 for p in covered if p[0] == p[1])
        print(f"    {'spelling':<16} {spelling_rho(covered):.3f}  ({same} pairs of a word with itself)")
        chance = [rho(rng.normal(size=(len(built), SETTINGS["dim"])), built, covered).rho for _ in args.seeds]
        print(f"    {'random vectors':<16} {spread(chance)}")

    forms = inflected_forms(vocab)
    by_end = Counter(end for _, _, end in forms)
    print(f"\n3. the {len(forms):,} inflected forms (stem + -s / -ed / -ing, both in the vocabulary; "
          + ", ".join(f"-{e} {by_end[e]}" for e in SUFFIXES) + "): share of "
          f"the 10 nearest words that start with the stem / end with the suffix")
    for kind in kinds:
        shares = np.array([spelling_shares(vectors(kind, s, words), words, forms) for s in args.seeds])
        print(f"    {kind:<16} stem {spread(shares[:, 0])}, suffix {spread(shares[:, 1])}")
    stem, end = spelling_shares(E_svd, words, forms)
    print(f"    {'SVD of PPMI':<16} stem {stem:.3f}, suffix {end:.3f}")
    stem, end = spelling_chance(words, forms)
    print(f"    {'chance':<16} stem {stem:.3f}, suffix {end:.3f}")
    print(f"\n{time.perf_counter() - start:.0f} s in all")


if __name__ == "__main__":
    main()
