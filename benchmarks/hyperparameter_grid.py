"""Which hyperparameters matter on real text? One factor at a time around gensim's defaults.

    python benchmarks/hyperparameter_grid.py                     # every setting, seeds 0 1 2: the run quoted
    python benchmarks/hyperparameter_grid.py --every 3 --epochs 2 --bootstraps 0   # a third, 2 epochs
    python benchmarks/hyperparameter_grid.py --only base window=2 --seeds 0
    python benchmarks/hyperparameter_grid.py --list
    python benchmarks/hyperparameter_grid.py --summarise a.json [b.json ...]   # the README's table

Trains ``train_vectorized`` on all of the State of the Union corpus (``sotu`` of
:mod:`skipgram_lab.english`) at gensim's Word2Vec defaults (d=100, window 5 dynamic, K=5,
noise counts**0.75, sample 1e-3, lr 0.025 -> 0.0001 linear, min_count 5, one worker) except
**3 epochs** (gensim's 5 cost 5/3 of the time for +0.02 on WordSim-353), then changes one
setting at a time, plus two interactions (window x subsampling). Every run is scored with E and
with E + O as the word vectors: WordSim-353 and SimLex-999 Spearman rho (covered pairs), and
questions-words accuracy (3CosAdd, covered questions), each with its coverage; the reference rows
are chance (random vectors) and a frequency baseline (rho against the rarer word's log count).

Then, at the base setting (chapter 15): nearest-neighbour overlap@10 across seeds and across
bootstrap resamples of the sentences (Antoniak & Mimno 2018), in three frequency bins, and the
scores after mean removal and "all but the top" (Mu & Viswanath 2018).

The full grid took about 45 minutes on one core (38 s per base run; 2026-12-04); on a busy machine it
takes hours (each base run took 2-8 minutes at load 7-12).
``--every N`` trains on every N-th sentence of ``sotu`` (a sample spread over all the years;
a prefix, ``--max-tokens``, holds only the oldest speeches, whose vocabulary covers a quarter of
WordSim-353) and ``--epochs`` replaces the base's 3 epochs (the "epochs=1" and "epochs=5" rows
stay as named). benchmarks/README.md summarises the full run, which chapter 16 quotes, and an
earlier one with ``--every 3 --epochs 2`` (a third of the tokens for two thirds of the epochs, about
2/9 of the cost; lower scores, less of the test sets covered, and a window result the full run
does not reproduce).

Needs ``make setup``. Prints, asserts nothing; the summaries are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from skipgram_lab import evaluate, postprocess, stability
from skipgram_lab.corpus import Vocab
from skipgram_lab.embeddings import Embeddings
from skipgram_lab.english import english_sentences
from skipgram_lab.evaluate import spearman_rows
from skipgram_lab.testsets import load_testsets
from skipgram_lab.vectorized import train_vectorized

BASE = dict(dim=100, window=5, dynamic_window=True, negatives=5, noise_power=0.75, subsample=1e-3,
            min_count=5, epochs=3, min_lr=0.0001)
#: name -> the settings that differ from BASE.
SETTINGS = {  # in the order they run: the cheap and the most asked-about first
    "base": {},
    "window=2": dict(window=2), "window=10": dict(window=10), "fixed window": dict(dynamic_window=False),
    "no subsampling": dict(subsample=None), "K=1": dict(negatives=1), "K=15": dict(negatives=15),
    "power=0": dict(noise_power=0.0), "power=1": dict(noise_power=1.0),
    "d=50": dict(dim=50), "epochs=1": dict(epochs=1), "constant lr": dict(min_lr=None),
    "min_count=20": dict(min_count=20), "sample=1e-5": dict(subsample=1e-5),
    "d=300": dict(dim=300), "epochs=5": dict(epochs=5), "min_count=1": dict(min_count=1),
    "window=2, no subsampling": dict(window=2, subsample=None),
    "window=10, no subsampling": dict(window=10, subsample=None),
}
TESTS = ("ws353", "simlex", "analogy")


def scores(emb, tests, which="E"):
    """{test: (score, coverage)} for one matrix of an Embeddings."""
    ws = evaluate.word_similarity(emb, tests["ws353"], which=which, n_boot=1)
    sl = evaluate.word_similarity(emb, tests["simlex"], which=which, n_boot=1)
    an = evaluate.analogy_accuracy(emb, tests["analogy"], which=which)
    return {"ws353": (ws.rho, ws.coverage), "simlex": (sl.rho, sl.coverage),
            "analogy": (an.accuracy, an.coverage)}


def frequency_rho(vocab, pairs):
    """Spearman rho of the human scores against the rarer word's log count (covered pairs)."""
    kept = [(a, b, s) for a, b, s in pairs if a in vocab.index and b in vocab.index]
    rarer = [min(vocab.counts[vocab.index[a]], vocab.counts[vocab.index[b]]) for a, b, _ in kept]
    return float(spearman_rows(np.array([[s for *_, s in kept]]), np.log(np.array([rarer], float)))[0])


def train(sentences, settings, seed, vocabs):
    cfg = {**BASE, **settings}
    min_count = cfg.pop("min_count")
    if min_count not in vocabs:
        vocabs[min_count] = Vocab.from_sentences(sentences, min_count=min_count)
    vocab = vocabs[min_count]
    start = time.perf_counter()
    result = train_vectorized(vocab.encode_sentences(sentences), vocab, rng=seed, progress=False, **cfg)
    return result.embeddings, time.perf_counter() - start


def fmt(result):
    return "".join(f"{result[n][0]:>7.3f} ({result[n][1]:3.0%})" for n in TESTS)


def spread(values):
    x = np.array(values, dtype=float)
    return f"{x.mean():.3f} [{x.min():.3f}, {x.max():.3f}]"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", default=None, help="setting names (see --list)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--bootstraps", type=int, default=3, help="bootstrap runs at base (0: none)")
    parser.add_argument("--max-tokens", type=int, default=None, help="a prefix of the corpus")
    parser.add_argument("--every", type=int, default=1, help="every N-th sentence of the corpus")
    parser.add_argument("--epochs", type=int, default=BASE["epochs"], help="epochs of the base setting")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--summarise", nargs="+", metavar="JSON", help="print the table of saved runs")
    parser.add_argument("--out", default="benchmarks/results/hyperparameter_grid.json")
    args = parser.parse_args()
    if args.summarise:
        summarise(args.summarise)
        return
    if args.list:
        for name, s in SETTINGS.items():
            print(f"{name:<28}{s}")
        return
    names = args.only or list(SETTINGS)
    unknown = [n for n in names if n not in SETTINGS]
    if unknown:
        parser.error(f"unknown settings {unknown}; see --list")

    if args.every < 1 or args.epochs < 1:
        parser.error(f"--every and --epochs must be >= 1, got {args.every} and {args.epochs}")
    BASE["epochs"] = args.epochs
    sentences = english_sentences("sotu", max_tokens=args.max_tokens)[::args.every]
    analogies, ws353, simlex = load_testsets()
    tests = {"ws353": ws353, "simlex": simlex,
             "analogy": [q for qs in analogies.values() for q in qs]}
    vocabs = {}
    vocab = vocabs[5] = Vocab.from_sentences(sentences, min_count=5)
    sample = "" if args.every == 1 else f" (every sentence number i with i % {args.every} == 0)"
    print(f"sotu{sample}: {sum(map(len, sentences)):,} tokens, {len(sentences):,} sentences, V={len(vocab):,} "
          f"(min_count 5); base {BASE}")
    rng = np.random.default_rng(0)
    E = rng.standard_normal((len(vocab), 100))
    chance = scores(Embeddings(E, E, vocab), tests)
    print(f"{'chance (random vectors)':<30}{'':>5}{fmt(chance)}")
    print(f"{'frequency baseline':<30}{'':>5}{frequency_rho(vocab, ws353):>7.3f}{'':>6}"
          f"{frequency_rho(vocab, simlex):>7.3f}")
    print(f"\n{'setting':<30}{'seed':>5}{'ws353 (cov)':>13}{'simlex (cov)':>13}{'analogy (cov)':>13}"
          f"{'ws E+O':>8}{'sl E+O':>8}{'an E+O':>8}{'s':>7}", flush=True)
    out = {"base": BASE, "chance": chance, "runs": {},
           "frequency": {n: frequency_rho(vocab, tests[n]) for n in ("ws353", "simlex")}}
    base_models = []
    for name in names:
        for seed in args.seeds:
            emb, seconds = train(sentences, SETTINGS[name], seed, vocabs)
            r = {"E": scores(emb, tests), "E+O": scores(emb, tests, "E+O"), "seconds": seconds}
            out["runs"].setdefault(name, []).append(r)
            save(out, args.out)  # after every run: a stopped grid keeps what it measured
            both = "".join(f"{r['E+O'][n][0]:>8.3f}" for n in TESTS)
            print(f"{name:<30}{seed:>5}{fmt(r['E'])}{both}{seconds:>7.1f}", flush=True)
            if name == "base":
                base_models.append(emb)
        if name == "base" and base_models:
            stability_report(sentences, vocab, tests, base_models, args, out)

    print(f"\nmean [min, max] over seeds {args.seeds}")
    for name, runs in out["runs"].items():
        cells = "  ".join(f"{n} {spread([r[w][n][0] for r in runs])}" for w in ("E",) for n in TESTS)
        plus = "  ".join(f"{n} {spread([r['E+O'][n][0] for r in runs])}" for n in TESTS)
        print(f"{name:<28}E: {cells}\n{'':<28}E+O: {plus}")

    save(out, args.out)
    print(f"\nnumpy {np.__version__}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}; wrote {args.out}")


def summarise(paths):
    """The markdown table of benchmarks/README.md from the JSON of one or more runs (merged in order).

    Cells are mean [min, max] over the seeds. The 95% interval of one run's score from the test set
    alone (Fisher's z with the Spearman variance 1.06 / (n - 3); Wilson's for accuracies, n the
    covered items) is printed for the base, to compare the seed spread with.
    """
    data = [json.loads(Path(p).read_text()) for p in paths]
    runs = {name: rows for d in data for name, rows in d["runs"].items()}
    analogies, ws353, simlex = load_testsets()
    totals = {"ws353": len(ws353), "simlex": len(simlex), "analogy": sum(map(len, analogies.values()))}
    print("| setting | seeds | coverage | " + " | ".join(f"{n}, {w}" for w in ("E", "E+O") for n in TESTS)
          + " | s/run |")
    print("|---" * (4 + 2 * len(TESTS)) + "|")
    chance = data[0]["chance"]
    print("| chance (random vectors) | | " + "/".join(f"{chance[n][1]:.0%}" for n in TESTS) + " | "
          + " | ".join(f"{chance[n][0]:.3f}" for n in TESTS) + " | | | | |")
    freq = next((d["frequency"] for d in data if "frequency" in d), None)
    if freq:
        print(f"| frequency baseline | | | {freq['ws353']:.3f} | {freq['simlex']:.3f} | | | | | |")
    for name, rows in runs.items():
        cov = "/".join(f"{rows[0]['E'][n][1]:.0%}" for n in TESTS)
        cells = " | ".join(spread([r[w][n][0] for r in rows]) for w in ("E", "E+O") for n in TESTS)
        seconds = np.mean([r["seconds"] for r in rows])
        print(f"| {name} | {len(rows)} | {cov} | {cells} | {seconds:.0f} |")
    base = runs.get("base")
    if base:
        print("\none run's 95% interval from the test set alone, at the base's mean score (E):")
        for n in TESTS:
            score = np.mean([r["E"][n][0] for r in base])
            k = round(base[0]["E"][n][1] * totals[n])
            low, high = (_wilson(score, k) if n == "analogy" else _fisher(score, k))
            print(f"  {n}: {score:.3f} [{low:.3f}, {high:.3f}] on {k} covered items")


def _fisher(rho, n):
    half = 1.96 * np.sqrt(1.06 / (n - 3))
    return np.tanh(np.arctanh(rho) - half), np.tanh(np.arctanh(rho) + half)


def _wilson(p, n, z=1.96):
    center = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return center - half, center + half


def save(out, path):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(out, indent=1, default=float))


def stability_report(sentences, vocab, tests, base_models, args, out):
    """Neighbour overlap across seeds and bootstraps, and post-processing, at the base setting."""
    queries = [t for t, c in zip(vocab.tokens, vocab.counts) if c >= 5]
    print(f"\nnearest-neighbour overlap@10 at base, {len(queries):,} query words, bins of count")

    def report(label, models):
        overlaps = [stability.neighbour_overlap(a, b, queries, k=10)
                    for a, b in itertools.combinations(models, 2)]
        means = [o.overlap.mean() for o in overlaps]
        bins = [stability.binned_by_count(o.overlap, o.counts, n_bins=3) for o in overlaps]
        cells = "  ".join(f"{b[0].count_min}-{b[0].count_max}: "
                          f"{spread([bb[i].mean for bb in bins])}" for i, b in enumerate(zip(*bins)))
        print(f"  {label:<26} all {spread(means)}  by count {cells}")
        out[f"overlap {label}"] = {"all": means, "bins": [[tuple(x) for x in b] for b in bins]}

    if len(base_models) > 1:
        report("across seeds", base_models)
    if args.bootstraps:
        boot_models = []
        for b in range(args.bootstraps):
            ids = stability.bootstrap_sentences(len(sentences), rng=100 + b)
            part = [sentences[i] for i in ids]
            emb, _ = train(part, {}, 0, {5: Vocab.from_sentences(part, min_count=5)})
            boot_models.append(emb)
        report("across bootstraps (seed 0)", boot_models)

    print("\npost-processing at base (E): ws353 simlex analogy, mean [min, max] over seeds")
    for label, D in (("as trained", None), ("mean removed", 0), ("all but the top, D=1", 1),
                     ("all but the top, D=3", 3)):
        rs = []
        for emb in base_models:
            M = emb.E if D is None else postprocess.all_but_the_top(emb.E, D)
            rs.append(scores(Embeddings(M, M, emb.vocab), tests))
        common = spread([postprocess.common_direction(
            emb.E if D is None else postprocess.all_but_the_top(emb.E, D)) for emb in base_models])
        print(f"  {label:<22}" + "  ".join(spread([r[n][0] for r in rs]) for n in TESTS)
              + f"  common direction {common}")
        out[f"post {label}"] = rs


if __name__ == "__main__":
    main()
