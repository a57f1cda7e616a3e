"""One matrix or two, over learning rates and seeds (chapter "Why two matrices").

    python benchmarks/tied_lr_sweep.py                          # the chapter's corpus, seeds 0-2
    python benchmarks/tied_lr_sweep.py --seeds 0 1 2 3 4 --lrs 0.025 0.05 0.1

Trains ``skipgram_lab.book.claims.train_pairs`` with two matrices and with one shared matrix on
the planted corpus ``generate(8000, rng=0)`` (window 2, d = 30, K = 5, 5 epochs, batches of 256
pairs, lr decayed linearly to 0.0001), for every starting lr and seed, with the same start,
pairs and noise draws for both models. Prints, per model and lr, the last epoch's loss, the
expected loss per pair and the k-NN group purity as mean (min-max) over the seeds, or how many
seeds diverged (``claims.divergence``: a non-finite or exploding loss or vector). Asserts nothing.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from skipgram_lab import factorise
from skipgram_lab.baselines import spread
from skipgram_lab.book import claims
from skipgram_lab.evaluate import knn_purity
from skipgram_lab.noise import noise_distribution
from skipgram_lab.pairs import cooccurrence_counts, skipgram_pairs
from skipgram_lab.synthetic import generate


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=8000)
    parser.add_argument("--lrs", type=float, nargs="+", default=[0.0125, 0.025, 0.05, 0.075, 0.1, 0.2, 0.4])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args(argv)
    corpus = generate(args.sentences, rng=0)
    sentences, vocab = corpus.encoded(), corpus.vocab
    pairs = skipgram_pairs(sentences, 2)
    C = cooccurrence_counts(sentences, 2, len(vocab))
    q = noise_distribution(vocab.counts, 0.75)
    start = time.perf_counter()
    runs = claims.lr_sweep(pairs, vocab, args.lrs, args.seeds, dim=30, negatives=5,
                           epochs=args.epochs, batch_size=256)
    print(f"{corpus}, {len(pairs)} pairs per epoch, seeds {args.seeds}, "
          f"{time.perf_counter() - start:.0f} s")
    print(f"{'model':<14}{'lr':>7}  {'last epoch loss':<22}{'expected loss':<22}{'purity':<22}")
    for tied in (False, True):
        for lr in args.lrs:
            done = [r for r in runs if r.tied == tied and r.lr == lr]
            ok = [r for r in done if not r.diverged]
            name = "one matrix" if tied else "two matrices"
            if len(ok) < len(done):
                print(f"{name:<14}{lr:>7.4f}  diverged in {len(done) - len(ok)} of {len(done)} seeds: "
                      f"{next(r.diverged for r in done if r.diverged)}")
            if ok:
                loss = spread([r.loss for r in ok])
                expected = spread([factorise.expected_loss(r.result.E, r.result.O, C, q, 5) for r in ok])
                purity = spread([knn_purity(r.result.embeddings, corpus.truth.groups).purity for r in ok])
                print(f"{name:<14}{lr:>7.4f}  {str(loss):<22}{str(expected):<22}{str(purity):<22}"
                      f"({len(ok)} seeds)")


if __name__ == "__main__":
    np.seterr(over="ignore", invalid="ignore")
    main()
