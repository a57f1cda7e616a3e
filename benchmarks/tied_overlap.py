"""One matrix or two on a planted corpus where purity can tell methods apart (chapter "Why two matrices").

    python benchmarks/tied_overlap.py                           # f = 0.3 and 0.6, lr 0.025 0.05 0.1, seeds 0-2
    python benchmarks/tied_overlap.py --overlaps 0.3 --lrs 0.025 --seeds 0 1 2 3 4

On the plain planted corpus k-NN purity is saturated: rows of the count matrix already score
0.904, so purity cannot say whether one matrix does worse than two. With overlapping frames
(``generate(8000, rng=0, frame_overlap=f)``: a noun slot takes a noun of another noun group with
probability f) it can: at f = 0.3 the count rows, PPMI rows and SVD of PPMI score 0.97, 0.86 and
0.83 on the 112 nouns. For every f, starting lr and seed, this script trains
``claims.train_pairs`` with two matrices and with one shared matrix (window 2, d = 30, K = 5,
5 epochs, batches of 256 pairs, lr decayed linearly to 0.0001; the same start, pairs and noise
draws for both), and prints, mean [min, max] over the seeds:

- k-NN purity (k = 5) on the four noun groups, the groups the overlap mixes;
- k-NN purity on all planted groups;
- "dims", the participation ratio of the centred singular values of the matrix
  ((sum s^2)^2 / sum s^4, the number of dimensions in use, at most d): a collapse would show here;

for E, O and E + O of two matrices and W of one, beside the three model-free baselines of
``skipgram_lab.baselines`` and chance. Diverged runs are reported as such. Asserts nothing.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from threadpoolctl import threadpool_limits

from skipgram_lab.baselines import model_free_baselines, spread
from skipgram_lab.book import claims
from skipgram_lab.evaluate import knn_purity
from skipgram_lab.pairs import cooccurrence_counts, skipgram_pairs
from skipgram_lab.synthetic import NOUNS, generate

DIM = 30


def dims_in_use(M):
    """Participation ratio of the centred singular values of ``M`` (V, d): between 1 and d."""
    sv = np.linalg.svd(M - M.mean(axis=0), compute_uv=False)
    return float((sv**2).sum() ** 2 / (sv**4).sum())


def scores(emb, nouns, groups, which="E"):
    return (knn_purity(emb, nouns, which=which).purity, knn_purity(emb, groups, which=which).purity,
            dims_in_use(emb.matrix(which)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=8000)
    parser.add_argument("--overlaps", type=float, nargs="+", default=[0.3, 0.6])
    parser.add_argument("--lrs", type=float, nargs="+", default=[0.025, 0.05, 0.1])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args(argv)
    header = f"{'':<22}{'noun purity':<22}{'all-group purity':<22}{'dims':<20}"
    for f in args.overlaps:
        corpus = generate(args.sentences, rng=0, frame_overlap=f)
        sentences, vocab, groups = corpus.encoded(), corpus.vocab, corpus.truth.groups
        nouns = {w: g for w, g in groups.items() if g in NOUNS}
        pairs = skipgram_pairs(sentences, 2)
        C = cooccurrence_counts(sentences, 2, len(vocab))
        start = time.perf_counter()
        runs = claims.lr_sweep(pairs, vocab, args.lrs, args.seeds, dim=DIM, negatives=5,
                               epochs=args.epochs, batch_size=256)
        print(f"\nframe_overlap {f}: {corpus}, {len(pairs)} pairs per epoch, {len(nouns)} nouns, "
              f"seeds {args.seeds}, {time.perf_counter() - start:.0f} s")
        with threadpool_limits(1):  # one BLAS thread: faster for one SVD
            base = model_free_baselines(C, vocab, dim=DIM)
        print(header)
        print(f"{'chance':<22}{knn_purity(base['counts'], nouns).chance:<22.3f}"
              f"{knn_purity(base['counts'], groups).chance:<22.3f}")
        for name, emb in base.items():
            noun, every, _ = scores(emb, nouns, groups)
            dims = "" if name != "SVD of PPMI" else f"{dims_in_use(emb.E):.1f}"
            print(f"{name:<22}{noun:<22.3f}{every:<22.3f}{dims:<20}")
        for lr in args.lrs:
            for tied, which in ((False, "E"), (False, "O"), (False, "E+O"), (True, "E")):
                done = [r for r in runs if r.tied == tied and r.lr == lr]
                name = f"lr {lr:g} " + ("W (one)" if tied else f"{which} (two)")
                bad = [r for r in done if r.diverged]
                if bad:
                    print(f"{name:<22}diverged in {len(bad)} of {len(done)} seeds: {bad[0].diverged}")
                    continue
                per_seed = np.array([scores(r.result.embeddings, nouns, groups, which) for r in done])
                noun, every, dims = (spread(per_seed[:, j]) for j in range(3))
                print(f"{name:<22}{str(noun):<22}{str(every):<22}{dims.format(1):<20}")


if __name__ == "__main__":
    np.seterr(over="ignore", invalid="ignore")
    main()
