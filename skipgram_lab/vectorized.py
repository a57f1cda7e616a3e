"""Streaming minibatch trainer: the production path.

The same equations as :mod:`skipgram_lab.teaching`, applied to a batch of
pairs at once with numpy array operations, over a corpus that never has to fit
in memory as pairs: the corpus is one id array (in memory, or memory-mapped
from an id file) cut into chunks of whole sentences, and pairs exist only for
one chunk at a time.

>>> from skipgram_lab.corpus import toy_corpus, tokenize, Vocab
>>> from skipgram_lab.vectorized import train_vectorized
>>> sentences = [tokenize(s) for s in toy_corpus()]
>>> vocab = Vocab.from_sentences(sentences)
>>> result = train_vectorized(vocab.encode_sentences(sentences), vocab, dim=10, epochs=3,
...                           subsample=None, progress=False, rng=0)
>>> len(result.history["loss"]), result.E.dtype
(3, dtype('float32'))

Defaults are gensim's ``Word2Vec(sg=1)``: d = 100, k = 5 with a dynamic
window, K = 5 noise ids from ``counts**0.75``, subsampling 1e-3, lr 0.025
decayed linearly to 0.0001 over all words of all epochs, 5 epochs, float32,
and gensim's roles and start (below).

Which row is the input (``input_role``). Every pair (center, context) can be
trained either way round, and the multiset of pairs is the same:

* ``"context"`` (default): the context's row of E predicts the center's row of
  O, and noise ids replace the center. This is how word2vec.c and gensim
  loop; the dynamic radius is drawn for the center's position. E starts in
  +-1/d (``init_scale=1``, gensim's start).
* ``"center"``: the center's row of E predicts the context, the book's
  convention (chapters 3-5, :mod:`skipgram_lab.teaching`), with word2vec.c's
  start +-0.5/d (``init_scale=0.5``). With these, ``batch_size=1``,
  ``negatives_per="pair"``, no subsampling and a fixed window the trainer
  reproduces :func:`skipgram_lab.teaching.train_negative_sampling` (a test
  checks it to 1e-10).

Under a fixed window the two agree within seed noise; with gensim's dynamic
window and start they do not. On a 0.5M-word Wikipedia sample (5 seeds,
``benchmarks/quality_controls.py``) the fast path with gensim's roles scores
as gensim does (WordSim-353 0.239 against 0.238, SimLex-999 0.149 against
0.149, analogies 0.021 against 0.021); with the book's roles and start, 0.035
lower on WordSim-353 and half the analogy accuracy (0.011).

Who shares a draw of K noise ids (``negatives_per``):

* ``"pair"``: each pair draws its own, as word2vec.c does: ``(B, K)`` numbers
  per batch of B pairs, the same random stream as B calls of
  ``sampler.draw(rng, K)``. A noise id equal to the positive target gets
  weight 0 (the teaching loop drops it: the same update). Most of the time
  goes into scattering B (K + 1) rows of O.
* ``"center"`` (default, the fast path): the pairs of one center share its K
  noise ids (:func:`skipgram_lab.scatter.context_window_step`, or
  :func:`~skipgram_lab.scatter.window_step` with the book's roles). A batch is
  the pairs of consecutive centers; each row of the window is gathered and
  scattered once per token, not once per pair, and the scores are strided
  matrix products. Its cost is per token, not per pair: 5.2x faster than
  ``"pair"`` on the Wikipedia sample of ``benchmarks/speed_ladder.py`` (4.6
  pairs per token), 1.3x on the short planted sentences of chapter 10 (1.9
  pairs per token). With gensim's roles the shared ids still
  get one score per pair (each context is a different input); with the book's
  roles a center's noise score is the same for all its pairs, and on the
  Wikipedia sample its analogy accuracy was lower than per pair (0.011
  against 0.018, 3 seeds).
* ``"batch"``: one draw of K for the whole batch. A noise row then gets the
  summed push of every pair of the batch: on that Wikipedia sample (book's
  roles) its loss was worse at 256 pairs per batch (3.30 against 2.92 after
  one epoch) and blew up at 1024. Kept to show why the default shares per
  center.

``workers > 1`` runs that many processes that share E and O through
:mod:`multiprocessing.shared_memory` and update them without locks
("Hogwild", as word2vec.c and gensim do with threads). ``workers=1`` is
reproducible bit for bit from ``rng``; ``workers > 1`` is not (the order in
which processes write is up to the operating system), exactly like gensim.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass

import numpy as np

from . import scatter
from ._io import release_signals, signals_held
from ._validate import check_choice, check_int, check_rng
from .embeddings import Embeddings
from .idfile import IdCorpus, as_id_corpus
from ._validate import TrainingDiverged, check_memory, check_not_diverged
from .noise import NoiseSampler
from .pairs import keep_probability, reach, subsample_flat, window_positions
from .training import Snapshot, TrainResult, check_hyperparameters, init_vectors, linear_lr


#: Who shares one draw of K noise ids (each pair alone, the pairs of a center, or a whole batch).
NEGATIVES_PER = ("pair", "center", "batch")


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C during training. ``result`` holds a :class:`~skipgram_lab.training.TrainResult` with the vectors so far.

    Also ``words_done`` and ``total_words``, and ``interrupt``: the
    KeyboardInterrupt (or subclass, e.g. a SIGTERM turned into one) that stopped the run.
    """

    def __init__(self, message, result, *, words_done=0, total_words=0, interrupt=None):
        super().__init__(message)
        self.result, self.words_done, self.total_words = result, words_done, total_words
        self.interrupt = interrupt


# ---- the loop: chunks -> pairs -> batches -----------------------------------------------------
class _Stats:
    """Counters one worker writes and everyone reads (shared memory when workers > 1)."""

    def __init__(self, workers, epochs, buffer=None):
        size = workers * (1 + 3 * epochs) + 1
        self.flat = flat = np.zeros(size) if buffer is None else np.ndarray((size,), np.float64, buffer)
        self.words = flat[:workers]  # raw corpus tokens done, all epochs
        rest = flat[workers:-1].reshape(3, workers, epochs)
        self.loss, self.pairs, self.end = rest  # per worker and epoch; end = perf_counter()
        self.stop = flat[-1:]

    @staticmethod
    def nbytes(workers, epochs):
        return 8 * (workers * (1 + 3 * epochs) + 1)

    def info(self, epoch, lr, total_words):
        pairs = self.pairs[:, epoch].sum()
        return {"epoch": epoch, "words": int(self.words.sum()), "total_words": total_words,
                "pairs": int(pairs), "lr": lr, "loss": self.loss[:, epoch].sum() / max(pairs, 1)}


@dataclass
class _Plan:
    """What every worker needs to train (read-only)."""

    corpus: IdCorpus
    cuts: list
    epochs: int
    window: int
    dynamic_window: bool
    keep: np.ndarray
    lr: float
    min_lr: float
    batch_size: int
    objective: str  # "ns-pairs", "ns-window" or "softmax"
    sampler: NoiseSampler = None
    negatives: int = 0
    snapshot_every: int = None
    per_center: bool = False
    context_input: bool = False  # train the context's row of E as the input (word2vec.c's roles)

    @property
    def total_words(self):
        return len(self.corpus) * self.epochs


def _chunk_batches(plan, tokens, sentence_of, rng, dtype):
    """The batches of one chunk: ``(share_of_chunk_pairs_before, n_pairs, step, args)``.

    ``tokens, sentence_of`` are the chunk flattened (as ``pairs.flatten_sentences`` returns it).
    Training a batch is ``step(E, O, *args, lr)``; the noise ids are drawn here,
    in batch order, so the random stream does not depend on how steps run.
    """
    k = plan.window
    centers, contexts = window_positions(sentence_of, k, dynamic=plan.dynamic_window, rng=rng)
    if plan.objective in ("ns-pairs", "softmax"):
        pairs = np.stack([tokens[centers], tokens[contexts]], axis=1)  # (P, 2): skipgram_pairs
        if plan.context_input:
            pairs = pairs[:, ::-1]  # (input, output) = (context, center), as word2vec.c loops
        P, B = len(pairs), plan.batch_size
        if plan.objective == "ns-pairs":  # (P, K): P draws of K, the stream of one draw per batch
            negatives = plan.sampler.draw(rng, (P, plan.negatives))
        for i in range(0, P, B):
            w, c = pairs[i:i + B, 0], pairs[i:i + B, 1]  # (B,), (B,)
            if plan.objective == "softmax":
                yield i / P, len(w), scatter.softmax_pairs_step, (w, c)
            else:
                yield i / P, len(w), scatter.ns_pairs_step, (w, c, negatives[i:i + B])
        return
    # The fast path: batches of n consecutive centers, each with its whole window.
    k = reach(sentence_of, k)  # no offset goes further
    P = len(centers)
    if P == 0:
        return
    weight = np.zeros((len(tokens), 2 * k + 1), dtype)  # (N, 2k+1): 1 where offset u - k is a context
    weight[centers, contexts - centers + k] = 1.0
    pairs_of = np.bincount(centers, minlength=len(tokens))  # (N,) pairs of each center
    tokens_pad = np.concatenate([np.zeros(k, np.int64), tokens, np.zeros(k, np.int64)])  # weight 0
    n = max(1, round(plan.batch_size * len(tokens) / P))  # centers per batch: ~batch_size pairs
    # All noise ids of the chunk in one draw: the same stream as one draw per batch, in order.
    if plan.per_center:
        negatives = plan.sampler.draw(rng, (len(tokens), plan.negatives))  # (N, K): K per center
    else:
        negatives = plan.sampler.draw(rng, (-(-len(tokens) // n), plan.negatives))  # K per batch
    step = scatter.context_window_step if plan.context_input else scatter.window_step
    done = 0
    for j, a in enumerate(range(0, len(tokens), n)):
        m = min(n, len(tokens) - a)
        n_pairs = int(pairs_of[a:a + m].sum())
        noise = negatives[a:a + m] if plan.per_center else negatives[j]
        yield done / P, n_pairs, step, (tokens_pad[a:a + m + 2 * k], weight[a:a + m], noise)
        done += n_pairs


def _run(plan, E, O, stats, rng, worker=0, workers=1, hook=None, snapshots=None, parent=None):
    """All epochs over chunks ``worker, worker + workers, ...``; counters go to ``stats``.

    A worker process (``parent`` = the parent's pid) stops at the next chunk if
    its parent died (killed with -9, say): an orphan never trains on.
    """
    step = 0
    for epoch in range(plan.epochs):
        for ci in range(worker, len(plan.cuts) - 1, workers):
            if stats.stop[0] or (parent is not None and os.getppid() != parent):
                return
            a, b = plan.cuts[ci], plan.cuts[ci + 1]
            tokens, sentence_of = plan.corpus.flat(a, b)
            if plan.keep is not None:
                tokens, sentence_of = subsample_flat(tokens, sentence_of, plan.keep, rng)
            words_before = stats.words.sum()  # every worker's: the lr decays with global progress
            lr_t = plan.lr
            for share, n_pairs, step_fn, args in _chunk_batches(plan, tokens, sentence_of, rng, E.dtype):
                lr_t = linear_lr(plan.lr, plan.min_lr, (words_before + (b - a) * share) / plan.total_words)
                try:
                    with np.errstate(over="ignore", invalid="ignore"):  # a non-finite loss is checked
                        stats.loss[worker, epoch] += step_fn(E, O, *args, lr_t)
                except TrainingDiverged as err:
                    raise err.at(step=step, epoch=epoch, lr=lr_t) from None
                stats.pairs[worker, epoch] += n_pairs
                step += 1
                if snapshots is not None and step % plan.snapshot_every == 0:
                    snapshots.append(Snapshot(step, epoch, E.copy(), O.copy()))
            stats.words[worker] += b - a
            if hook is not None:
                hook(stats.info(epoch, lr_t, plan.total_words))
        try:  # after the epoch's last update: no row may have blown up either
            check_not_diverged(E=E, O=O)
        except TrainingDiverged as err:
            raise err.at(step=step, epoch=epoch, lr=lr_t) from None
        stats.end[worker, epoch] = time.perf_counter()
    if snapshots is not None and (not snapshots or snapshots[-1].step != step):
        snapshots.append(Snapshot(step, plan.epochs - 1, E.copy(), O.copy()))


# ---- several processes, one E and O (Hogwild) -------------------------------------------------
def _worker(plan, E, O, stats, rng, worker, workers, errors, parent):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    release_signals()  # held while the parent forked (signals_held)
    try:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # pragma: no cover
            threadpool_limits = None
        if threadpool_limits is not None:
            threadpool_limits(1)  # one BLAS thread per process: the processes are the parallelism
        _run(plan, E, O, stats, rng, worker, workers, parent=parent)
    except BaseException as err:  # reported to the parent, which raises it
        stats.stop[0] = 1
        errors.put((type(err).__name__, str(err)))


def _hogwild(plan, E, O, stats, rngs, hook, poll=0.2):
    """Train in ``len(rngs)`` processes writing to shared E and O without locks.

    E, O and ``stats`` are filled with the shared values when this returns or raises.
    """
    import multiprocessing
    from multiprocessing.shared_memory import SharedMemory

    try:
        ctx = multiprocessing.get_context("fork")  # workers see the corpus and plan without pickling
    except ValueError:  # pragma: no cover
        raise ValueError("workers > 1 needs the 'fork' start method (Linux, macOS): use workers=1") from None
    workers = len(rngs)
    blocks = [SharedMemory(create=True, size=max(x.nbytes, 1)) for x in (E, O)]
    blocks.append(SharedMemory(create=True, size=_Stats.nbytes(workers, plan.epochs)))
    try:
        E_sh = np.ndarray(E.shape, E.dtype, blocks[0].buf)
        O_sh = np.ndarray(O.shape, O.dtype, blocks[1].buf)
        E_sh[...], O_sh[...] = E, O
        shared = _Stats(workers, plan.epochs, blocks[2].buf)
        errors = ctx.Queue()
        procs = [ctx.Process(target=_worker, args=(plan, E_sh, O_sh, shared, rngs[j], j, workers, errors,
                                                   os.getpid()),
                             daemon=True) for j in range(workers)]
        try:
            with signals_held():  # a Ctrl-C during the forks reaches the parent after them
                for p in procs:
                    p.start()
            while any(p.is_alive() for p in procs):
                time.sleep(poll)
                progress = shared.words.sum() / plan.total_words
                epoch = min(int(progress * plan.epochs), plan.epochs - 1)
                hook(shared.info(epoch, linear_lr(plan.lr, plan.min_lr, progress), plan.total_words))
                if shared.stop[0]:
                    break
        except BaseException:
            shared.stop[0] = 1
            raise
        finally:
            for p in procs:
                if p.pid is not None:  # started
                    p.join()
        if not errors.empty():
            kind, message = errors.get()
            raise (TrainingDiverged if kind == "TrainingDiverged" else RuntimeError)(
                message if kind == "TrainingDiverged" else f"a worker failed: {kind}: {message}")
        failed = [p.exitcode for p in procs if p.exitcode]
        if failed:
            raise RuntimeError(f"a worker process died (exit code {failed[0]})")
    finally:
        E[...], O[...] = E_sh, O_sh
        stats.flat[...] = shared.flat
        del E_sh, O_sh, shared
        for block in blocks:
            block.close()
            block.unlink()


# ---- the trainers ------------------------------------------------------------------------------
def _history(stats, start):
    pairs = stats.pairs.sum(0)
    ends = stats.end.max(0)
    done = [e for e in range(len(pairs)) if pairs[e] > 0]
    now = time.perf_counter()
    seconds, before = [], start
    for e in done:
        end = ends[e] if ends[e] > 0 else now
        seconds.append(end - before)
        before = end
    return {"loss": [float(stats.loss[:, e].sum() / pairs[e]) for e in done],
            "pairs": [int(pairs[e]) for e in done], "seconds": seconds}


def estimate_memory(plan, V, dim, dtype, workers=1):
    """About the peak bytes of a run: E and O, and each worker's chunk and step arrays.

    A chunk holds ``chunk`` tokens with 2k offsets each (k no longer than its
    longest sentence); a step of B pairs holds about B (1 + K + 2 (2k + 1)) rows of
    d values and their scatter indices. Measured peaks are below this (it assumes
    one center per pair).
    """
    item = np.dtype(dtype).itemsize
    longest = int(np.diff(np.asarray(plan.corpus.bounds)).max(initial=1))
    chunk = min(max(np.diff(plan.cuts), default=1), len(plan.corpus))
    k = min(plan.window, max(min(longest, chunk) - 1, 1))
    per_chunk = chunk * 2 * k * (8 * 3 + item)  # centers, contexts, mask; the weight array
    B = plan.batch_size
    per_step = B * (1 + plan.negatives + 2 * (2 * k + 1)) * dim * (2 * item + 8)
    if plan.objective == "softmax":
        per_step = B * V * 3 * item + B * dim * 3 * item
    return 2 * V * dim * item + workers * (per_chunk + per_step)


def _train(plan, vocab, *, dim, rng, dtype, workers, progress, callback, init_scale=0.5):
    """Shared driver: init, progress bar, one process or Hogwild, interrupts."""
    from tqdm.auto import tqdm

    workers = check_int("workers", workers, 1)
    dtype = np.dtype(check_choice("dtype", np.dtype(dtype).name, ("float32", "float64")))
    if plan.snapshot_every is not None:
        plan.snapshot_every = check_int("snapshot_every", plan.snapshot_every, 1)
        if workers > 1:
            raise ValueError(f"snapshot_every needs workers=1, got workers={workers}")
    rng = check_rng(rng)
    check_memory(estimate_memory(plan, len(vocab), dim, dtype, workers), "training",
                 "lower dim, batch_size or window")
    E, O = init_vectors(len(vocab), dim, rng, dtype, scale=init_scale)
    snapshots = [Snapshot(0, 0, E.copy(), O.copy())] if plan.snapshot_every else None
    if progress is None:
        progress = plan.total_words >= 5_000_000
    bar = tqdm(total=plan.total_words, unit="word", unit_scale=True, disable=not progress,
               desc="training", mininterval=0.5, smoothing=0.1)

    def hook(info):
        bar.update(info["words"] - bar.n)
        bar.set_postfix(lr=f"{info['lr']:.5f}", loss=f"{info['loss']:.4f}", refresh=False)
        if callback is not None:
            callback(info)

    stats = _Stats(workers, plan.epochs)
    start = time.perf_counter()
    try:
        if workers == 1:
            _run(plan, E, O, stats, rng, hook=hook, snapshots=snapshots)
        else:
            _hogwild(plan, E, O, stats, rng.spawn(workers), hook)
    except KeyboardInterrupt as err:
        result = TrainResult(Embeddings(E, O, vocab), _history(stats, start), snapshots or [])
        done = int(stats.words.sum())
        raise TrainingInterrupted(
            f"training interrupted after {done} of {plan.total_words} words: "
            "the exception's .result holds the vectors trained so far", result,
            words_done=done, total_words=plan.total_words, interrupt=err) from None
    finally:
        bar.close()
    if stats.pairs.sum() == 0:  # vectors that never moved must not look trained
        raise ValueError("the corpus gave no (center, context) pair in any epoch: its sentences "
                         "are single words (after subsampling and min_count); use a longer corpus, "
                         "or subsample=None (--subsample 0)")
    return TrainResult(Embeddings(E, O, vocab), _history(stats, start), snapshots or [])


def _plan(corpus, vocab, *, window, epochs, lr, min_lr, subsample_t, subsample_formula,
          dynamic_window, batch_size, chunk_tokens, objective, snapshot_every, **noise):
    corpus = as_id_corpus(corpus, len(vocab))
    keep = keep_probability(vocab.counts, subsample_t, subsample_formula) if subsample_t else None
    cuts = corpus.chunks(check_int("chunk_tokens", chunk_tokens, 1))
    return _Plan(corpus, cuts, epochs, window, bool(dynamic_window), keep, lr, min_lr,
                 check_int("batch_size", batch_size, 1), objective, snapshot_every=snapshot_every, **noise)


def train_vectorized(corpus, vocab, *, dim=100, window=5, negatives=5, lr=0.025, min_lr=0.0001,
                     epochs=5, noise_power=0.75, subsample=1e-3, subsample_formula="word2vec.c",
                     dynamic_window=True, batch_size=1024, negatives_per="center", workers=1,
                     chunk_tokens=16384, rng=None, dtype=np.float32, progress=None, callback=None,
                     snapshot_every=None, input_role="context", init_scale=1.0):
    """Skip-gram with negative sampling over minibatches of pairs, streaming the corpus.

    Implements eq. ``ns-update`` of chapter 4 for a batch: gradients of the
    summed loss at the old values, added with :func:`skipgram_lab.scatter.scatter_add`.

    Parameters
    ----------
    corpus : list of (n_i,) int ndarrays, or IdCorpus
        Encoded sentences (as for the teaching loops), or an id array with
        sentence boundaries (:func:`~skipgram_lab.idfile.read_id_file` maps a file of any size).
    vocab : Vocab
        Gives V and the counts for the noise distribution and subsampling.
    dim, window, negatives, lr, min_lr, epochs, noise_power, subsample, subsample_formula, dynamic_window
        As in :func:`skipgram_lab.teaching.train_negative_sampling`, with
        gensim's defaults. ``min_lr=None`` keeps lr constant. The lr falls
        linearly with the share of corpus words done (as gensim), interpolated by
        pairs inside a chunk: for a corpus of one chunk this is exactly the
        teaching loop's ``(epoch + i / P) / epochs``.
    batch_size : int
        Pairs per SGD step (unless ``negatives_per="pair"``, about that many:
        the pairs of whole centers).
    negatives_per : {"center", "pair", "batch"}
        Who shares a draw of K noise ids: the pairs of one center (default,
        the fast path), each pair alone (word2vec.c; with the book's roles it
        reproduces the teaching loop), or the whole batch. See the module docstring.
    workers : int
        Processes sharing E and O (Hogwild); only ``workers=1`` is bit-reproducible.
    chunk_tokens : int
        Corpus tokens per chunk: pairs exist for one chunk at a time. Bounds
        the working memory; sentences longer than this are cut.
    rng : Generator, int or None
        All randomness (init, subsampling, windows, negatives), in that order per chunk.
    dtype : float32 (default) or float64
    progress : bool or None
        A tqdm bar with words/s, lr and the running loss; None shows it for
        runs of 5M words or more.
    callback : callable or None
        ``callback(info)`` after each chunk (every 0.2 s with workers > 1);
        ``info`` has ``epoch, words, total_words, pairs, lr, loss``.
    snapshot_every : int or None
        Copies of E and O every this many steps (workers=1).
    input_role : {"context", "center"}
        Whose row of E is the input of a pair. "context" (default) is
        word2vec.c's and gensim's loop: the context's row of E predicts the
        center's row of O, and noise replaces the center; the dynamic radius is
        drawn for the center's position. "center" is the book's convention
        (chapters 3-4, the teaching loops): the center's row of E predicts the
        context. The pairs are the same multiset either way.
    init_scale : float
        E starts uniform in [-init_scale/d, init_scale/d): 1 (default) is
        gensim's start, 0.5 word2vec.c's and the teaching loops'.
        ``input_role="center", init_scale=0.5`` with ``batch_size=1,
        negatives_per="pair"``, no subsampling and a fixed window reproduces
        :func:`~skipgram_lab.teaching.train_negative_sampling`.

    Returns
    -------
    TrainResult
        ``history``: ``loss`` (mean per pair of each epoch, float64),
        ``pairs``, ``seconds``.

    Raises
    ------
    TrainingDiverged
        With the step, epoch and lr, if a batch gives a non-finite loss (nothing of it is written).
    TrainingInterrupted
        On Ctrl-C (a KeyboardInterrupt); its ``result`` holds the vectors so far.
    """
    check_hyperparameters(dim=dim, window=window, lr=lr, epochs=epochs, min_lr=min_lr,
                          negatives=negatives, noise_power=noise_power, subsample=subsample,
                          subsample_formula=subsample_formula)
    check_choice("negatives_per", negatives_per, NEGATIVES_PER)
    check_choice("input_role", input_role, ("center", "context"))
    sampler = NoiseSampler.from_counts(vocab.counts, noise_power)
    plan = _plan(corpus, vocab, window=window, epochs=epochs, lr=lr, min_lr=min_lr,
                 subsample_t=subsample, subsample_formula=subsample_formula,
                 dynamic_window=dynamic_window, batch_size=batch_size, chunk_tokens=chunk_tokens,
                 objective="ns-pairs" if negatives_per == "pair" else "ns-window",
                 snapshot_every=snapshot_every, sampler=sampler, negatives=negatives,
                 per_center=negatives_per == "center", context_input=input_role == "context")
    return _train(plan, vocab, dim=dim, rng=rng, dtype=dtype, workers=workers,
                  progress=progress, callback=callback, init_scale=init_scale)


def train_vectorized_full_softmax(corpus, vocab, *, dim=100, window=5, lr=0.025, min_lr=0.0001,
                                  epochs=5, subsample=1e-3, subsample_formula="word2vec.c",
                                  dynamic_window=True, batch_size=256, workers=1,
                                  chunk_tokens=16384, rng=None, dtype=np.float32, progress=None,
                                  callback=None, snapshot_every=None):
    """Full-softmax skip-gram over minibatches: a batch of centers against all of O.

    Implements eq. ``sm-update`` of chapter 3 for a batch: the (B, V) scores
    are one matrix product and every row of O moves each step, so a step costs
    O(B V d) against O(B K d) for negative sampling at the same batch size.
    For small vocabularies (the chapter that measures that cost). Parameters
    as in :func:`train_vectorized`, without the noise ones.

    Returns
    -------
    TrainResult
    """
    check_hyperparameters(dim=dim, window=window, lr=lr, epochs=epochs, min_lr=min_lr,
                          subsample=subsample, subsample_formula=subsample_formula)
    plan = _plan(corpus, vocab, window=window, epochs=epochs, lr=lr, min_lr=min_lr,
                 subsample_t=subsample, subsample_formula=subsample_formula,
                 dynamic_window=dynamic_window, batch_size=batch_size, chunk_tokens=chunk_tokens,
                 objective="softmax", snapshot_every=snapshot_every)
    return _train(plan, vocab, dim=dim, rng=rng, dtype=dtype, workers=workers,
                  progress=progress, callback=callback)
