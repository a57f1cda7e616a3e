"""Command line: ``python -m skipgram_lab train CORPUS.txt --out vectors.txt``.

Reads a UTF-8 text file (one sentence per line; very long lines are cut, as
:func:`skipgram_lab.corpus.read_sentences` does), builds the vocabulary
(``--min-count``, default 5), streams the ids into a temporary id file, trains
with :func:`skipgram_lab.vectorized.train_vectorized` (gensim's defaults) and
writes the input vectors E (the ones gensim saves) in word2vec's text format (``--binary`` for the
binary one), which gensim's ``KeyedVectors.load_word2vec_format`` reads::

    python -m skipgram_lab train text8.txt --out vectors.txt --workers 2
    python -m skipgram_lab train notes.txt --out v.txt --dim 50 --epochs 10 --min-count 2 --seed 1

Words are those of :func:`skipgram_lab.corpus.tokenize` (``--tokenizer words``:
NFKC, lowercase, letters, marks and digits of any script, inner apostrophes),
or runs of a-z only (``--tokenizer text8``); the run prints which.

Nothing is lost, nothing is silent:

* every output (``--out``, ``--npz``) and the temporary folder are checked
  before the corpus is read (:func:`check_outputs`): a missing or read-only
  folder, a directory, a FIFO, a device or a symbolic link as output, an
  output equal to the corpus or to the other output all stop the run at once;
* mistakes (a missing, empty, binary or UTF-16 file, a bad option, an
  unwritable path, a full disk) end with exit code 2 and one line saying what to fix;
* a run that diverges ends with exit code 1 and writes nothing;
* Ctrl-C (exit 130) and SIGTERM (exit 143) write nothing and remove the
  temporary files; files are written to a temporary name, flushed and renamed,
  so ``--out`` is never half written, and a new file gets the mode the umask gives.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import tempfile
import time
import argparse
from pathlib import Path

from ._io import check_free_space, check_output_path
from ._validate import TrainingDiverged, check_int
from .corpus import TOKENIZERS, check_text_file, describe_tokenizer
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
    train.add_argument("--tokenizer", choices=sorted(TOKENIZERS), default="words",
                       help="words: NFKC, letters, marks and digits of any script, inner "
                            "apostrophes (default); text8: runs of a-z only")
    train.add_argument("--float64", action="store_true", help="train in float64 (default float32)")
    bar = train.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None,
                     help="show a progress bar (default: when stderr is a terminal)")
    bar.add_argument("--no-progress", dest="progress", action="store_false")
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that every cleanup runs (exit code 143)."""


def check_outputs(args):
    """Every file the run writes, checked before the corpus is read (one place for the rules).

    The rules themselves are those of ``skipgram_lab._io.check_output_path``.
    """
    check_output_path(args.out, "--out", inputs=[args.corpus])
    if args.npz is not None:
        check_output_path(args.npz, "--npz", inputs=[args.corpus], others=[("--out", args.out)])


_TMP_PREFIX = "skipgram-lab-pid"


def _make_temporary_folder():
    """A private folder for the id file; folders left by killed runs (kill -9) are removed."""
    root = Path(tempfile.gettempdir())
    for old in root.glob(_TMP_PREFIX + "*"):
        match = re.match(_TMP_PREFIX + r"(\d+)-", old.name)
        if match and old.is_dir() and not _alive(int(match.group(1))):
            shutil.rmtree(old, ignore_errors=True)
    try:
        return Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-"))
    except OSError as err:
        raise OSError(err.errno, f"cannot create a temporary folder ({err.strerror}); set TMPDIR "
                                 "to a writable folder", str(root)) from None


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_corpus(path, id_path, min_count, pattern, workers, timings):
    """The vocabulary and the id file, in one pass over the text (:mod:`skipgram_lab.fastvocab`)."""
    try:
        check_text_file(path)
    except FileNotFoundError:
        raise UsageError(f"corpus file not found: {str(path)!r}") from None
    try:
        return encode_text_file(path, id_path, min_count=min_count, pattern=pattern, workers=workers,
                                timings=timings)
    except ValueError as err:
        message = str(err)
        raise UsageError(message if str(path) in message else f"{str(path)!r}: {message}") from None


def _output_bytes(args, vocab):
    """About how many bytes the outputs take (to check the disk before training)."""
    V, d = len(vocab), args.dim
    names = sum(len(t.encode()) + 2 for t in vocab.tokens)
    out = names + V * d * (4 if args.binary else 13)
    return out, (names * 4 + 2 * V * d * (8 if args.float64 else 4) if args.npz else 0)


def train(args, out=None):
    """The ``train`` command; returns the exit code."""
    out = sys.stdout if out is None else out
    # The trainers' own checks and every output path, before a long read of the corpus.
    check_hyperparameters(dim=args.dim, window=args.window, lr=args.lr, epochs=args.epochs,
                          min_lr=args.min_lr, negatives=args.negatives,
                          subsample=args.subsample or None)
    for name in ("min_count", "batch_size", "workers"):
        check_int(name, getattr(args, name), 1)
    if args.subsample < 0:
        raise UsageError(f"--subsample must be >= 0 (0 = off), got {args.subsample}")
    check_int("seed", args.seed, 0)
    check_outputs(args)
    tmp = _make_temporary_folder()
    timings = {}
    try:
        pattern = TOKENIZERS[args.tokenizer]
        print(f"tokenizer: {describe_tokenizer(pattern)}", file=out)
        # Its size is known only once it is read: a full disk while reading ends in one line (OSError).
        vocab, corpus = _read_corpus(args.corpus, tmp / "corpus.ids.npy", args.min_count, pattern,
                                     args.workers, timings)
        shutil.rmtree(tmp, ignore_errors=True)  # mapped already: a kill -9 now leaves nothing behind
        text_bytes, npz_bytes = _output_bytes(args, vocab)
        check_free_space(args.out.parent, text_bytes, str(args.out))
        if args.npz is not None:
            check_free_space(args.npz.parent, npz_bytes, str(args.npz))
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
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    seconds = sum(result.history["seconds"])
    start = time.perf_counter()
    result.embeddings.to_word2vec(args.out, binary=args.binary)
    if args.npz is not None:
        result.embeddings.save(args.npz)
    timings["write"] = time.perf_counter() - start
    print(f"trained in {seconds:.1f} s ({words / max(seconds, 1e-9):,.0f} words/s), "
          f"loss per pair {result.history['loss'][-1]:.4f}; wrote {args.out}"
          + (f" and {args.npz}" if args.npz is not None else ""), file=out)
    print(f"seconds: read {timings['read']:.2f}, encode {timings['encode']:.2f}, "
          f"train {seconds:.2f}, write {timings['write']:.2f}", file=out)
    return 0


def _on_sigterm(signum, frame):
    raise Terminated()


def main(argv=None):
    """Entry point of ``python -m skipgram_lab`` and the ``skipgram-lab`` script."""
    args = build_parser().parse_args(argv)  # argparse exits with code 2 on a bad option
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return train(args)
    except (UsageError, ValueError, FileNotFoundError, MemoryError) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a full disk, a read-only folder, a permission: one line naming the path
        where = f"{err.filename}: " if err.filename else ""
        print(f"{PROG}: error: {where}{err.strerror or err}", file=sys.stderr)
        return 2
    except TrainingDiverged as err:
        where = "" if err.step is None else f" at step {err.step} (epoch {err.epoch}, lr={err.lr:.6g})"
        print(f"{PROG}: error: training diverged{where}: {err.what}; nothing was written: "
              "try a smaller --lr", file=sys.stderr)
        return 1
    except KeyboardInterrupt as err:
        terminated = isinstance(err, Terminated) or isinstance(getattr(err, "interrupt", None), Terminated)
        done = ""
        if isinstance(err, TrainingInterrupted) and err.total_words:
            done = f" after {err.words_done:,} of {err.total_words:,} words"
        print(f"{PROG}: {'terminated' if terminated else 'interrupted'}{done}; nothing was written",
              file=sys.stderr)
        return 143 if terminated else 130
    finally:
        signal.signal(signal.SIGTERM, previous)
