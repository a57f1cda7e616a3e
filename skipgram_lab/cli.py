"""Command line: ``python -m skipgram_lab train CORPUS.txt --out vectors.txt``.

Reads a UTF-8 text file (one sentence per line; very long lines are cut, as
:func:`skipgram_lab.corpus.read_sentences` does), builds the vocabulary
(``--min-count``, default 5), streams the ids into a temporary id file, trains
with :func:`skipgram_lab.vectorized.train_vectorized` (gensim's defaults) and
writes the input vectors E (the ones gensim saves) in word2vec's text format (``--binary`` for the
binary one), which gensim's ``KeyedVectors.load_word2vec_format`` reads::

    python -m skipgram_lab train text8.txt --out vectors.txt --workers 2
    python -m skipgram_lab train notes.txt --out v.txt --dim 50 --epochs 10 --min-count 2 --seed 1

Mistakes in the input (a missing, empty or binary file, a bad option) end
with exit code 2 and one line saying what to fix. Ctrl-C ends with exit code
130 and writes nothing; files are written to a temporary name and renamed, so
``--out`` is never half written.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from ._validate import check_int
from .negative_sampling import TrainingDiverged
from .training import check_hyperparameters
from .fastvocab import encode_text_file
from .vectorized import NEGATIVES_PER, TrainingInterrupted, train_vectorized

PROG = "python -m skipgram_lab"


class UsageError(Exception):
    """A mistake the user can fix: reported in one line, exit code 2."""


def build_parser():
    parser = argparse.ArgumentParser(prog=PROG, description="Skip-gram (word2vec) on a text file.")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train vectors on a UTF-8 text file",
                                description="Train skip-gram with negative sampling (gensim's defaults).")
    train.add_argument("corpus", type=Path, help="UTF-8 text file, one sentence per line")
    train.add_argument("--out", type=Path, required=True, help="output file (word2vec format)")
    train.add_argument("--binary", action="store_true", help="write word2vec's binary format")
    train.add_argument("--npz", type=Path, help="also save E, O and the vocabulary as .npz")
    train.add_argument("--dim", type=int, default=100, help="vector size d (100)")
    train.add_argument("--window", type=int, default=5, help="context radius k (5, dynamic)")
    train.add_argument("--fixed-window", action="store_true", help="always use the full radius")
    train.add_argument("--negatives", type=int, default=5, help="noise ids per pair K (5)")
    train.add_argument("--negatives-per", choices=NEGATIVES_PER, default="center",
                       help="who shares a draw of K noise ids (center: fast; pair: word2vec.c)")
    train.add_argument("--input-role", choices=("context", "center"), default="context",
                       help="whose row of E is the input: the context's, as gensim (default, E "
                            "starts in +-1/d), or the center's, as the book's chapters 3-9 (E starts "
                            "in +-0.5/d, as word2vec.c)")
    train.add_argument("--epochs", type=int, default=5, help="passes over the corpus (5)")
    train.add_argument("--min-count", type=int, default=5, help="drop tokens seen fewer times (5)")
    train.add_argument("--lr", type=float, default=0.025, help="start learning rate (0.025)")
    train.add_argument("--min-lr", type=float, default=0.0001, help="final learning rate (0.0001)")
    train.add_argument("--subsample", type=float, default=1e-3, help="subsampling threshold t, 0 = off")
    train.add_argument("--batch-size", type=int, default=1024, help="pairs per step (1024)")
    train.add_argument("--workers", type=int, default=1, help="processes (1 = reproducible)")
    train.add_argument("--seed", type=int, default=0, help="random seed (0)")
    train.add_argument("--float64", action="store_true", help="train in float64 (default float32)")
    bar = train.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None,
                     help="show a progress bar (default: when stderr is a terminal)")
    bar.add_argument("--no-progress", dest="progress", action="store_false")
    return parser


def _read_corpus(path, id_path, min_count, workers, timings):
    """The vocabulary and the id file, in one pass over the text (:mod:`skipgram_lab.fastvocab`)."""
    if not path.is_file():
        raise UsageError(f"corpus file not found: {str(path)!r}")
    with open(path, "rb") as f:
        if b"\x00" in f.read(1 << 16):
            raise UsageError(f"{str(path)!r} is a binary file (it holds NUL bytes): pass a UTF-8 text file")
    try:
        return encode_text_file(path, id_path, min_count=min_count, workers=workers, timings=timings)
    except ValueError as err:
        raise UsageError(f"{str(path)!r}: {err}") from None


def train(args, out=sys.stdout):
    """The ``train`` command; returns the exit code."""
    # The trainers' own checks, before a long read of the corpus.
    check_hyperparameters(dim=args.dim, window=args.window, lr=args.lr, epochs=args.epochs,
                          min_lr=args.min_lr, negatives=args.negatives,
                          subsample=args.subsample or None)
    for name in ("min_count", "batch_size", "workers"):
        check_int(name, getattr(args, name), 1)
    timings = {}
    with tempfile.TemporaryDirectory(prefix="skipgram-lab-") as tmp:
        vocab, corpus = _read_corpus(args.corpus, Path(tmp) / "corpus.ids.npy", args.min_count,
                                     args.workers, timings)
        progress = sys.stderr.isatty() if args.progress is None else args.progress
        print(f"{len(corpus)} words, V={len(vocab)}, d={args.dim}, {args.epochs} epochs", file=out)
        result = train_vectorized(
            corpus, vocab, dim=args.dim, window=args.window, dynamic_window=not args.fixed_window,
            negatives=args.negatives, negatives_per=args.negatives_per, epochs=args.epochs,
            input_role=args.input_role, init_scale=1.0 if args.input_role == "context" else 0.5,
            lr=args.lr, min_lr=args.min_lr, subsample=args.subsample or None,
            batch_size=args.batch_size, workers=args.workers, rng=args.seed,
            dtype="float64" if args.float64 else "float32", progress=progress)
        words = len(corpus) * args.epochs
    seconds = sum(result.history["seconds"])
    start = time.perf_counter()
    result.embeddings.to_word2vec(args.out, binary=args.binary)
    if args.npz is not None:
        result.embeddings.save(args.npz)
    timings["write"] = time.perf_counter() - start
    print(f"trained in {seconds:.1f} s ({words / seconds:,.0f} words/s), "
          f"loss per pair {result.history['loss'][-1]:.4f}; wrote {args.out}", file=out)
    print(f"seconds: read {timings['read']:.2f}, encode {timings['encode']:.2f}, "
          f"train {seconds:.2f}, write {timings['write']:.2f}", file=out)
    return 0


def main(argv=None):
    """Entry point of ``python -m skipgram_lab`` and the ``skipgram-lab`` script."""
    args = build_parser().parse_args(argv)  # argparse exits with code 2 on a bad option
    try:
        return train(args)
    except (UsageError, ValueError, FileNotFoundError) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    except TrainingDiverged as err:
        print(f"{PROG}: error: {err} (try a smaller --lr or --batch-size)", file=sys.stderr)
        return 1
    except KeyboardInterrupt as err:
        done = f" ({err})" if isinstance(err, TrainingInterrupted) else ""
        print(f"{PROG}: interrupted{done}; nothing was written", file=sys.stderr)
        return 130
