"""CBOW against skip-gram, ours against gensim: same English corpus, same hyperparameters, several seeds.

    python benchmarks/cbow_compare.py                 # seeds 0 1 2
    python benchmarks/cbow_compare.py --seeds 0 1 2 3 4

On the speed ladder's default corpus (gensim's shortened Wikipedia + Lee, ~470k tokens after
min_count 5) trains, with gensim's defaults (d=100, window 5 dynamic, K=5, sample 1e-3,
lr 0.025 -> 0.0001, 5 epochs, one worker):

* ``sg``: ``train_vectorized`` (skip-gram, its defaults);
* ``cbow``: ``train_cbow_vectorized`` (word2vec.c's context update, the default);
* ``cbow-gradient``: the same with ``context_update="gradient"`` (each context row gets its cw-th share);
* ``gensim sg=1`` and ``gensim sg=0`` (cbow_mean=1), if gensim is installed;
* ``random``: unit Gaussian vectors for the same vocabulary, the baseline every score is read against.

and prints, per trainer, the mean and min-max over seeds of: seconds per epoch, updates per epoch
(pairs for skip-gram, centers for CBOW; gensim does not report them), WordSim-353 and SimLex-999
Spearman rho, and questions-words analogy accuracy (3CosAdd, query words excluded), with the
coverage of each test set. Chance for the analogies is about 1/V. Timings are comparable only
within one run. Prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from speed_ladder import RESULTS, gensim_data, wiki_text  # noqa: E402

from skipgram_lab import evaluate  # noqa: E402
from skipgram_lab.cbow_vectorized import train_cbow_vectorized  # noqa: E402
from skipgram_lab.corpus import Vocab, read_sentences  # noqa: E402
from skipgram_lab.embeddings import Embeddings  # noqa: E402
from skipgram_lab.vectorized import train_vectorized  # noqa: E402

GENSIM = dict(hs=0, vector_size=100, window=5, negative=5, sample=1e-3, alpha=0.025, min_alpha=0.0001,
              min_count=5, workers=1, epochs=5)


def ours(train, ids, vocab, seed, **kwargs):
    start = time.perf_counter()
    result = train(ids, vocab, rng=seed, **kwargs)
    seconds = time.perf_counter() - start
    updates = result.history.get("updates", result.history["pairs"])
    return result.embeddings, seconds / 5, float(np.mean(updates))


def gensim_run(sentences, seed, sg):
    from gensim.models import Word2Vec
    model = Word2Vec(sg=sg, seed=seed, **GENSIM)
    model.build_vocab(sentences)
    start = time.perf_counter()
    model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
    seconds = time.perf_counter() - start
    words = model.wv.index_to_key
    E = np.array([model.wv[w] for w in words])
    return Embeddings(E, np.zeros_like(E), Vocab(words, np.ones(len(words), int))), seconds / 5, float("nan")


def random_run(vocab, seed, dim=100):
    E = np.random.default_rng(seed).normal(size=(len(vocab), dim))
    return Embeddings(E, np.zeros_like(E), vocab), float("nan"), float("nan")


def scores(emb, tests):
    ws = evaluate.word_similarity(emb, tests["ws353"], n_boot=10, rng=0)
    sl = evaluate.word_similarity(emb, tests["simlex"], n_boot=10, rng=0)
    an = evaluate.analogy_accuracy(emb, tests["analogy"])
    return {"ws353": ws.rho, "simlex": sl.rho, "analogy": an.accuracy,
            "coverage": (ws.coverage, sl.coverage, an.coverage)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    sentences = list(read_sentences(wiki_text(RESULTS / "cache" / "gensim-wiki-lee.txt")))
    vocab = Vocab.from_sentences(sentences, min_count=5)
    ids = vocab.encode_sentences(sentences)
    tests = {"ws353": evaluate.read_word_pairs(gensim_data("wordsim353.tsv")),
             "simlex": evaluate.read_word_pairs(gensim_data("simlex999.txt")),
             "analogy": evaluate.read_analogies(gensim_data("questions-words.txt"), lowercase=True)}
    print(f"corpus: {sum(map(len, ids))} tokens, V = {len(vocab)}; analogy chance ~ 1/V = {1 / len(vocab):.1e}")
    trainers = {
        "random": lambda seed: random_run(vocab, seed),
        "sg (ours)": lambda seed: ours(train_vectorized, ids, vocab, seed, progress=False),
        "cbow (ours)": lambda seed: ours(train_cbow_vectorized, ids, vocab, seed),
        "cbow-gradient (ours)": lambda seed: ours(train_cbow_vectorized, ids, vocab, seed,
                                                  context_update="gradient"),
    }
    try:
        import gensim  # noqa: F401
        trainers["gensim sg=1"] = lambda seed: gensim_run(sentences, seed, 1)
        trainers["gensim sg=0"] = lambda seed: gensim_run(sentences, seed, 0)
    except ImportError:
        print("gensim is not installed: its rows are skipped")
    names = ("s/epoch", "updates", "ws353", "simlex", "analogy")
    rows = {}
    for name, run in trainers.items():
        rows[name] = []
        for seed in args.seeds:
            emb, sec, updates = run(seed)
            s = scores(emb, tests)
            rows[name].append([sec, updates, s["ws353"], s["simlex"], s["analogy"]])
            print(f"{name:<22} seed {seed}: " + " ".join(f"{n} {v:.4g}" for n, v in zip(names, rows[name][-1])),
                  flush=True)
    print(f"\ncoverage: WS353 {s['coverage'][0]:.2f}, SimLex {s['coverage'][1]:.2f}, "
          f"analogies {s['coverage'][2]:.2f}")
    print(f"mean [min, max] over seeds {args.seeds}")
    print(f"{'trainer':<22}" + "".join(f"{n:>26}" for n in names))
    for name, values in rows.items():
        values = np.array(values)
        cells = []
        for j in range(values.shape[1]):
            col = values[:, j]
            cells.append("-" if np.isnan(col).all() else
                         f"{col.mean():.3g} [{col.min():.3g}, {col.max():.3g}]" if j < 2 else
                         f"{col.mean():.3f} [{col.min():.3f}, {col.max():.3f}]")
        print(f"{name:<22}" + "".join(f"{c:>26}" for c in cells))


if __name__ == "__main__":
    main()
