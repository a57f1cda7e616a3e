"""CBOW against skip-gram, ours against gensim: same English corpus, same hyperparameters, several seeds.

    python benchmarks/cbow_compare.py                          # sotu, 3 epochs, seeds 0 1 2
    python benchmarks/cbow_compare.py --gradient-lrs 0.025 0.05 0.1 --cbow-alphas 0.025 0.05
    python benchmarks/cbow_compare.py --corpus wiki --epochs 5 --gradient-lrs 0.025 --cbow-alphas 0.025 \\
        --trainers random sg cbow cbow-gradient gensim-sg1 gensim-sg0

On the State of the Union addresses (``--corpus sotu``, the book's English corpus, 1.79M tokens,
:mod:`skipgram_lab.english`, needs ``make setup``) or on the speed ladder's first corpus
(``--corpus wiki``: gensim's shortened Wikipedia + Lee, ~470k tokens) with min_count 5, trains with
gensim's defaults (d=100, window 5 dynamic, K=5, sample 1e-3, lr 0.025 -> 0.0001, one worker) for
``--epochs`` epochs (gensim's default is 5; 3 is the english_smoke default):

* ``sg``: ``train_vectorized`` (skip-gram, its defaults);
* ``cbow``: ``train_cbow_vectorized`` (word2vec.c's context update, the default);
* ``cbow-gradient``: the same with ``context_update="gradient"`` (each context row gets its cw-th
  share), once per learning rate in ``--gradient-lrs``;
* ``gensim-sg1`` and ``gensim-sg0`` (cbow_mean=1, once per ``--cbow-alphas``; word2vec.c's own
  default for CBOW is 0.05), if gensim is installed;
* ``random``: unit Gaussian vectors for the same vocabulary, the baseline every score is read against;
  and a frequency baseline for the similarity sets (rho of the human scores against the rarer word's
  log count).

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
from english_smoke import frequency_rho  # noqa: E402
from speed_ladder import RESULTS, gensim_data, wiki_text  # noqa: E402

from skipgram_lab import evaluate  # noqa: E402
from skipgram_lab.cbow_vectorized import train_cbow_vectorized  # noqa: E402
from skipgram_lab.corpus import Vocab, read_sentences  # noqa: E402
from skipgram_lab.embeddings import Embeddings  # noqa: E402
from skipgram_lab.english import english_sentences  # noqa: E402
from skipgram_lab.negative_sampling import TrainingDiverged  # noqa: E402
from skipgram_lab.testsets import load_testsets  # noqa: E402
from skipgram_lab.vectorized import train_vectorized  # noqa: E402

GENSIM = dict(hs=0, vector_size=100, window=5, negative=5, sample=1e-3, min_alpha=0.0001,
              min_count=5, workers=1)
TRAINERS = ("random", "sg", "cbow", "cbow-gradient", "gensim-sg1", "gensim-sg0")


def ours(train, ids, vocab, seed, epochs, **kwargs):
    start = time.perf_counter()
    result = train(ids, vocab, rng=seed, epochs=epochs, **kwargs)
    seconds = time.perf_counter() - start
    updates = result.history.get("updates", result.history["pairs"])
    return result.embeddings, seconds / epochs, float(np.mean(updates))


def gensim_run(sentences, seed, sg, epochs, alpha=0.025):
    from gensim.models import Word2Vec
    model = Word2Vec(sg=sg, seed=seed, epochs=epochs, alpha=alpha, **GENSIM)
    model.build_vocab(sentences)
    start = time.perf_counter()
    model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
    seconds = time.perf_counter() - start
    words = model.wv.index_to_key
    E = np.array([model.wv[w] for w in words])
    return (Embeddings(E, np.zeros_like(E), Vocab(words, np.ones(len(words), int))), seconds / epochs,
            float("nan"))


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
    parser.add_argument("--corpus", choices=("sotu", "wiki"), default="sotu")
    parser.add_argument("--max-tokens", type=int, default=None, help="a prefix of sotu (a quick try)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--trainers", nargs="+", choices=TRAINERS,
                        default=["random", "cbow", "cbow-gradient", "gensim-sg1", "gensim-sg0"])
    parser.add_argument("--gradient-lrs", type=float, nargs="+", default=[0.025, 0.1],
                        help="learning rates of the exact-gradient CBOW")
    parser.add_argument("--cbow-alphas", type=float, nargs="+", default=[0.025, 0.05],
                        help="learning rates of gensim's CBOW")
    args = parser.parse_args()
    if args.corpus == "sotu":
        sentences = english_sentences("sotu", max_tokens=args.max_tokens)
        analogy, ws353, simlex = load_testsets()
        tests = {"ws353": ws353, "simlex": simlex, "analogy": analogy}
    else:
        sentences = list(read_sentences(wiki_text(RESULTS / "cache" / "gensim-wiki-lee.txt")))
        tests = {"ws353": evaluate.read_word_pairs(gensim_data("wordsim353.tsv")),
                 "simlex": evaluate.read_word_pairs(gensim_data("simlex999.txt")),
                 "analogy": evaluate.read_analogies(gensim_data("questions-words.txt"), lowercase=True)}
    vocab = Vocab.from_sentences(sentences, min_count=5)
    ids = vocab.encode_sentences(sentences)
    epochs = args.epochs
    print(f"corpus {args.corpus}: {sum(map(len, ids))} tokens, V = {len(vocab)}, {epochs} epochs; "
          f"analogy chance ~ 1/V = {1 / len(vocab):.1e}")
    print(f"frequency baseline (rho against the rarer word's log count): "
          f"WS353 {frequency_rho(vocab, tests['ws353']):.3f}, SimLex {frequency_rho(vocab, tests['simlex']):.3f}")
    trainers = {}
    for name in args.trainers:
        if name == "random":
            trainers["random"] = lambda seed: random_run(vocab, seed)
        elif name == "sg":
            trainers["sg (ours)"] = lambda seed: ours(train_vectorized, ids, vocab, seed, epochs, progress=False)
        elif name == "cbow":
            trainers["cbow (ours)"] = lambda seed: ours(train_cbow_vectorized, ids, vocab, seed, epochs)
        elif name == "cbow-gradient":
            for lr in args.gradient_lrs:
                trainers[f"cbow-gradient lr {lr:g}"] = (
                    lambda seed, lr=lr: ours(train_cbow_vectorized, ids, vocab, seed, epochs, lr=lr,
                                             context_update="gradient"))
        else:
            try:
                import gensim  # noqa: F401
            except ImportError:
                print(f"gensim is not installed: {name} is skipped")
                continue
            if name == "gensim-sg1":
                trainers["gensim sg=1"] = lambda seed: gensim_run(sentences, seed, 1, epochs)
            else:
                for alpha in args.cbow_alphas:
                    trainers[f"gensim sg=0 lr {alpha:g}"] = (
                        lambda seed, alpha=alpha: gensim_run(sentences, seed, 0, epochs, alpha))
    names = ("s/epoch", "updates", "ws353", "simlex", "analogy")
    rows = {}
    for name, run in trainers.items():
        rows[name] = []
        for seed in args.seeds:
            try:
                emb, sec, updates = run(seed)
            except TrainingDiverged as err:
                print(f"{name:<24} seed {seed}: {err}")
                rows[name].append([np.nan] * len(names))
                continue
            s = scores(emb, tests)
            rows[name].append([sec, updates, s["ws353"], s["simlex"], s["analogy"]])
            print(f"{name:<24} seed {seed}: " + " ".join(f"{n} {v:.4g}" for n, v in zip(names, rows[name][-1])),
                  flush=True)
    print(f"\ncoverage: WS353 {s['coverage'][0]:.2f}, SimLex {s['coverage'][1]:.2f}, "
          f"analogies {s['coverage'][2]:.2f}")
    print(f"mean [min, max] over seeds {args.seeds}")
    print(f"{'trainer':<24}" + "".join(f"  {n:>26}" for n in names))
    for name, values in rows.items():
        values = np.array(values)
        cells = []
        for j in range(values.shape[1]):
            col = values[:, j]
            col = col[~np.isnan(col)] if not np.isnan(col).all() else col
            cells.append("-" if np.isnan(col).all() else
                         f"{col.mean():.3g} [{col.min():.3g}, {col.max():.3g}]" if j < 2 else
                         f"{col.mean():.3f} [{col.min():.3f}, {col.max():.3f}]")
        print(f"{name:<24}" + "".join(f"  {c:>26}" for c in cells))


if __name__ == "__main__":
    main()
