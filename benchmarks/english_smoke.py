"""What signal does the real English text give? A smoke measurement for chapter authors.

    python benchmarks/english_smoke.py                          # sotu, epochs 1 and 3, seeds 0 1 2
    python benchmarks/english_smoke.py --max-tokens 500000 --epochs 3
    python benchmarks/english_smoke.py --corpus large --epochs 1 --seeds 0

Trains ``train_vectorized`` at its defaults (gensim's Word2Vec defaults: d=100, window 5
dynamic, K=5, sample 1e-3, lr 0.025 -> 0.0001, min_count 5, one worker) on a corpus from
:mod:`skipgram_lab.english`, and gensim's Word2Vec (sg=1) with the same settings when gensim is
installed, for each number of epochs and seed. Prints WordSim-353 and SimLex-999 Spearman rho and
questions-words accuracy (3CosAdd), each with its coverage, beside two references computed on the
same vocabulary: chance (random vectors) and a frequency baseline (rho of the human scores
against the rarer word's log count). Then the mean and min-max over seeds.

Needs ``make setup`` (the corpus and the test sets). Prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from skipgram_lab import evaluate
from skipgram_lab.corpus import Vocab
from skipgram_lab.embeddings import Embeddings
from skipgram_lab.english import CORPORA, english_sentences
from skipgram_lab.evaluate import spearman_rows
from skipgram_lab.testsets import load_testsets
from skipgram_lab.vectorized import train_vectorized

NAMES = ("ws353", "simlex", "analogy")


def scores(emb, tests):
    """{test: (score, coverage)}."""
    ws = evaluate.word_similarity(emb, tests["ws353"], n_boot=10, rng=0)
    sl = evaluate.word_similarity(emb, tests["simlex"], n_boot=10, rng=0)
    an = evaluate.analogy_accuracy(emb, tests["analogy"])
    return {"ws353": (ws.rho, ws.coverage), "simlex": (sl.rho, sl.coverage),
            "analogy": (an.accuracy, an.coverage)}


def frequency_rho(vocab, pairs):
    """Spearman rho of human scores against log count of the rarer word (covered pairs only)."""
    index = vocab.index
    kept = [(a, b, s) for a, b, s in pairs if a in index and b in index]
    rarer = [min(vocab.counts[index[a]], vocab.counts[index[b]]) for a, b, _ in kept]
    human = [s for _, _, s in kept]
    return float(spearman_rows(np.array([human]), np.log(np.array([rarer], float)))[0])


def gensim_embeddings(sentences, epochs, seed):
    from gensim.models import Word2Vec
    model = Word2Vec(sentences, sg=1, hs=0, vector_size=100, window=5, negative=5, sample=1e-3,
                     alpha=0.025, min_alpha=0.0001, min_count=5, workers=1, epochs=epochs, seed=seed)
    words = model.wv.index_to_key
    E = np.array([model.wv[w] for w in words])
    return Embeddings(E, np.zeros_like(E), Vocab(words, np.ones(len(words), int)))


def row(label, epochs, seed, result, seconds):
    cells = "".join(f"{result[n][0]:>8.3f} ({result[n][1]:4.0%})" for n in NAMES)
    print(f"{label:<12}{epochs:>4}{seed:>5}{cells}{seconds:>9.1f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="sotu", choices=CORPORA)
    parser.add_argument("--max-tokens", type=int, default=None, help="a prefix of the corpus")
    parser.add_argument("--epochs", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--no-gensim", action="store_true")
    args = parser.parse_args()

    sentences = english_sentences(args.corpus, max_tokens=args.max_tokens)
    vocab = Vocab.from_sentences(sentences, min_count=5)
    ids = vocab.encode_sentences(sentences)
    analogies, ws353, simlex = load_testsets()
    tests = {"ws353": ws353, "simlex": simlex, "analogy": analogies}
    n_tokens = sum(len(s) for s in sentences)
    print(f"corpus {args.corpus}: {n_tokens:,} tokens, {len(sentences):,} sentences, "
          f"V={len(vocab.tokens):,} (min_count 5)")
    print("chance: random vectors (seed 0); "
          "frequency: rho of human scores vs the rarer word's log count")

    header = "".join(f"{n:>15}" for n in NAMES)
    print(f"\n{'trainer':<12}{'ep':>4}{'seed':>5}{header}{'seconds':>9}   score (coverage)")
    rng = np.random.default_rng(0)
    E = rng.standard_normal((len(vocab.tokens), 100))
    chance = scores(Embeddings(E, E, vocab), tests)
    row("chance", 0, 0, chance, 0.0)
    freq = {"ws353": (frequency_rho(vocab, ws353), chance["ws353"][1]),
            "simlex": (frequency_rho(vocab, simlex), chance["simlex"][1]),
            "analogy": (np.nan, chance["analogy"][1])}
    row("frequency", 0, 0, freq, 0.0)

    def ours(epochs, seed):
        return train_vectorized(ids, vocab, epochs=epochs, rng=seed, progress=False).embeddings

    trainers = {"ours": ours}
    if not args.no_gensim:
        try:
            import gensim  # noqa: F401
            trainers["gensim"] = lambda e, s: gensim_embeddings(sentences, e, s)
        except ImportError:
            print("(gensim is not installed: its rows are left out)")
    runs = {}
    for epochs in args.epochs:
        for name, train in trainers.items():
            for seed in args.seeds:
                start = time.perf_counter()
                emb = train(epochs, seed)
                seconds = time.perf_counter() - start
                runs.setdefault((name, epochs), []).append(scores(emb, tests))
                row(name, epochs, seed, runs[(name, epochs)][-1], seconds)

    print(f"\nmean [min, max] over seeds {args.seeds}")
    for (name, epochs), results in runs.items():
        cells = []
        for n in NAMES:
            x = np.array([r[n][0] for r in results])
            cells.append(f"{x.mean():.3f} [{x.min():.3f}, {x.max():.3f}]")
        print(f"{name:<8} ep {epochs}: " + "   ".join(f"{n} {c}" for n, c in zip(NAMES, cells)))


if __name__ == "__main__":
    main()
