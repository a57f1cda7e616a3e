"""Does the batched trainer blow up where pair-by-pair SGD does not? With and without the bound.

    python benchmarks/stability.py                 # tiny corpora, then real text, seeds 0-2
    python benchmarks/stability.py --seeds 0 1 2 3 4
    python benchmarks/stability.py --tiny-only

The batched steps add up, at the old values, every step a row gets in a batch; on a small
vocabulary one row gets hundreds, and the sum overshoots. ``skipgram_lab.scatter.row_scale``
bounds each row's summed step by a Newton step of its batch loss (``lr * H <= 1``, H the trace of
the row's Gauss-Newton matrix). This script trains with the bound (the default) and without it
(``scatter.STABILITY_BOUND = False``):

1. tiny corpora, where the plain sum blew up: the 8-word corpus and the README's toy corpus
   (no subsampling, d = 10, 30 epochs), the toy corpus with the command line's settings and
   ``--subsample 0``; beside them the per-pair teaching loop at the same lr. Prints the last
   epoch's loss per pair and the largest row norm, or "diverged" (TrainingDiverged).
2. real text: gensim's shortened Wikipedia + Lee (~470k tokens, as ``quality_controls.py``),
   the command line's defaults, each seed: WordSim-353 and SimLex-999 Spearman rho, analogy
   accuracy, and the share of row updates the bound scaled. Chance is rho 0 and accuracy ~0.

Needs gensim (its test data). Prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from quality_controls import scores  # noqa: E402
from speed_ladder import RESULTS, gensim_data, wiki_text  # noqa: E402

from skipgram_lab import evaluate, scatter  # noqa: E402
from skipgram_lab.corpus import Vocab, read_sentences, tokenize, toy_corpus  # noqa: E402
from skipgram_lab.teaching import train_negative_sampling  # noqa: E402
from skipgram_lab.training import TrainingDiverged  # noqa: E402
from skipgram_lab.vectorized import train_vectorized  # noqa: E402

_count = {"scaled": 0, "rows": 0}
_row_scale = scatter.row_scale


def counting_row_scale(ids, h, lr):
    """scatter.row_scale, counting the row occurrences it scales (how often the bound acts)."""
    out = _row_scale(ids, h, lr)
    _count["rows"] += len(ids)
    _count["scaled"] += 0 if out is None else int(np.sum(out < 1.0))
    return out


def bound(on):
    scatter.STABILITY_BOUND = on
    return "bound" if on else "plain sum"


def describe(result):
    norms = max(np.linalg.norm(result.E, axis=1).max(), np.linalg.norm(result.O, axis=1).max())
    return f"loss/pair {result.history['loss'][-1]:>9.4f}   max |row| {norms:>8.3f}"


def attempt(train):
    try:
        return describe(train())
    except TrainingDiverged as err:
        return f"diverged: {err.what}"


def tiny():
    eight = [tokenize("the quick brown fox jumps over the lazy dog")] * 20
    toy = [tokenize(line) for line in toy_corpus()]
    cases = [  # name, sentences, keyword arguments (the command line's defaults otherwise)
        ("8 words x 20 lines, d=10, 5 epochs", eight, dict(dim=10, epochs=5, subsample=None)),
        ("README toy: d=10, 30 epochs", toy, dict(dim=10, epochs=30, subsample=None)),
        ("toy, CLI defaults, --subsample 0", toy, dict(dim=100, epochs=5, subsample=None)),
        ("toy, CLI defaults, --subsample 0, min count 5", toy, dict(dim=100, epochs=5, subsample=None,
                                                                   min_count=5)),
        ("toy x 3, CLI test settings", toy * 3, dict(dim=8, epochs=3, window=2, batch_size=64,
                                                      subsample=None)),
    ]
    print("1. tiny corpora (lr 0.025 -> 0.0001, batch 1024 pairs unless said; seed 0)")
    for name, sentences, kw in cases:
        vocab = Vocab.from_sentences(sentences, min_count=kw.pop("min_count", 1))
        ids = vocab.encode_sentences(sentences)
        print(f"\n{name}: {sum(map(len, ids))} tokens, V={len(vocab)}")
        for on in (False, True):
            label = bound(on)
            print(f"  batched, {label:<10} " + attempt(lambda: train_vectorized(ids, vocab, rng=0, progress=False, **kw)))
        pair_kw = dict(dim=kw["dim"], epochs=kw["epochs"], window=kw.get("window", 5), lr=0.025, min_lr=0.0001,
                       dynamic_window=True, rng=0, dtype=np.float32)
        print(f"  per pair (teaching)  " + attempt(lambda: train_negative_sampling(ids, vocab, **pair_kw)))
    bound(True)


def real_text(seeds):
    sentences = list(read_sentences(wiki_text(RESULTS / "cache" / "gensim-wiki-lee.txt")))
    vocab = Vocab.from_sentences(sentences, min_count=5)
    ids = vocab.encode_sentences(sentences)
    tests = {"ws353": evaluate.read_word_pairs(gensim_data("wordsim353.tsv")),
             "simlex": evaluate.read_word_pairs(gensim_data("simlex999.txt")),
             "analogy": evaluate.read_analogies(gensim_data("questions-words.txt"), lowercase=True)}
    names = ("ws353", "simlex", "analogy")
    print(f"\n2. real text: {sum(map(len, ids)):,} tokens, V={len(vocab):,}; the command line's defaults")
    print(f"{'trainer':<14}{'seed':>5}" + "".join(f"{n:>9}" for n in names) + f"{'scaled':>9}{'s':>6}")
    runs = {}
    scatter.row_scale = counting_row_scale
    for seed in seeds:
        for on in (False, True):
            label = bound(on)
            _count.update(scaled=0, rows=0)
            start = time.perf_counter()
            emb = train_vectorized(ids, vocab, rng=seed, progress=False).embeddings
            seconds = time.perf_counter() - start
            row = scores(emb, tests)
            runs.setdefault(label, []).append(row)
            share = _count["scaled"] / max(_count["rows"], 1)
            print(f"{label:<14}{seed:>5}" + "".join(f"{row[n]:>9.3f}" for n in names)
                  + f"{share:>9.2%}{seconds:>6.1f}", flush=True)
    scatter.row_scale = _row_scale
    bound(True)
    print(f"\nmean [min, max] over seeds {seeds}")
    for label, rows in runs.items():
        cells = []
        for n in names:
            x = np.array([r[n] for r in rows])
            cells.append(f"{x.mean():.3f} [{x.min():.3f}, {x.max():.3f}]")
        print(f"{label:<14}" + "  ".join(f"{c:>22}" for c in cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--tiny-only", action="store_true")
    args = parser.parse_args()
    tiny()
    if not args.tiny_only:
        real_text(args.seeds)


if __name__ == "__main__":
    main()
