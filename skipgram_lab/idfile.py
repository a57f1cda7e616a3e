"""The corpus as one id array: id files on disk, sentence boundaries, chunks.

The vectorized trainer never holds pairs, nor even token strings, for a whole
corpus: it reads one chunk of whole sentences at a time from one id array.
That array may live in memory or in an id file, a plain ``.npy`` of int32 ids
beside a ``.bounds.npy`` of sentence boundaries, memory-mapped so that a
corpus larger than memory trains in a flat amount of it.

>>> from skipgram_lab.corpus import read_sentences, Vocab
>>> from skipgram_lab.idfile import write_id_file, read_id_file
>>> vocab = Vocab.from_sentences(read_sentences("corpus.txt"), min_count=5)      # doctest: +SKIP
>>> write_id_file("corpus.ids.npy", (vocab.encode(s) for s in read_sentences("corpus.txt")))  # doctest: +SKIP
>>> corpus = read_id_file("corpus.ids.npy")                                      # doctest: +SKIP
>>> corpus.sentences(0, 100)           # the sentences of the first 100 tokens    # doctest: +SKIP

No pickle anywhere: ``np.load(path, mmap_mode="r")`` reads the same files.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._validate import check_sentences
from .embeddings import atomic_write


class _MappedNpy:
    """A 1-D ``.npy`` file mapped read-only; pages already read can be given back to the kernel."""

    def __init__(self, path):
        with open(path, "rb") as f:
            version = np.lib.format.read_magic(f)
            read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                           (2, 0): np.lib.format.read_array_header_2_0}.get(version)
            shape, fortran, dtype = read_header(f) if read_header else ((), False, np.dtype("O"))
            if len(shape) != 1 or dtype.kind != "i":
                raise ValueError(f"{str(path)!r} is not a 1-D integer .npy file (shape {shape}, dtype {dtype})")
            self.offset = f.tell()
            self.mmap = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        self.array = np.frombuffer(self.mmap, dtype, count=shape[0], offset=self.offset)

    def release(self, a, b):
        """``MADV_DONTNEED`` on the pages of ``array[a:b]``: resident memory stays flat."""
        # Whole pages around the range: a page shared with the next chunk is simply read again.
        lo = (self.offset + a * self.array.itemsize) // mmap.PAGESIZE * mmap.PAGESIZE
        hi = min(self.offset + b * self.array.itemsize, len(self.mmap))
        if hi > lo and hasattr(self.mmap, "madvise"):
            self.mmap.madvise(mmap.MADV_DONTNEED, int(lo), int(hi - lo))


@dataclass
class IdCorpus:
    """A corpus as one id array and its sentence boundaries.

    Attributes
    ----------
    ids : (N,) int ndarray
        All sentences, one after the other (in memory, an ``np.memmap``, or
        mapped by :func:`read_id_file`).
    bounds : (S + 1,) int64 ndarray
        Sentence s is ``ids[bounds[s]:bounds[s + 1]]``; ``bounds[0] = 0``, ``bounds[-1] = N``.
    """

    ids: np.ndarray
    bounds: np.ndarray
    _files: tuple = ()  # the two _MappedNpy when read from disk

    def __len__(self):
        return int(self.bounds[-1])

    def chunks(self, chunk_tokens):
        """:func:`chunk_cuts` of the boundaries (giving back the pages it read)."""
        cuts = chunk_cuts(self.bounds, chunk_tokens)
        if self._files:
            self._files[1].release(0, len(self.bounds))
        return cuts

    def check_ids(self, V):
        """Every id in ``[0, V)``, read one block at a time."""
        for a in range(0, len(self), 1 << 20):
            block = self.ids[a:a + (1 << 20)]
            low, high = block.min(), block.max()
            if self._files:
                self._files[0].release(a, a + (1 << 20))
            if low < 0 or high >= V:
                raise ValueError(f"corpus must be ids in [0, {V}), got ids from {low} to {high}")

    def read(self, a, b):
        """A copy of ``ids[a:b]`` as int64 (the pages of a mapped file are given back)."""
        out = np.array(self.ids[a:b], dtype=np.int64)
        if self._files:
            self._files[0].release(a, b)
        return out

    def sentences(self, a, b):
        """The (pieces of) sentences of ``ids[a:b]``, as a list of int64 arrays (copied)."""
        return [s for s in np.split(self.read(a, b), self._inner(a, b) - a) if len(s)]

    def flat(self, a, b):
        """``ids[a:b]`` (copied, int64) and the sentence index of each token, counted from 0.

        What :func:`skipgram_lab.pairs.flatten_sentences` returns for :meth:`sentences`,
        without making one array per sentence.
        """
        lengths = np.diff(np.concatenate([[a], self._inner(a, b), [b]]))  # (S,) >= 0
        return self.read(a, b), np.repeat(np.arange(len(lengths)), lengths)

    def _inner(self, a, b):
        """The sentence boundaries strictly inside ``(a, b)``."""
        lo, hi = np.searchsorted(self.bounds, a, "right"), np.searchsorted(self.bounds, b, "left")
        inner = np.array(self.bounds[lo:hi], dtype=np.int64)
        if self._files:  # all of it: the binary searches touch pages far from [lo, hi)
            self._files[1].release(0, len(self.bounds))
        return inner


def _bounds_path(path):
    return Path(path).with_suffix(".bounds.npy")


def write_id_file(path, sentences):
    """Stream encoded sentences into an id file and its boundaries file (both ``.npy``).

    Writes ``path`` (int32 ids, all sentences one after the other) and
    ``path.with_suffix(".bounds.npy")`` (int64 sentence boundaries): plain
    ``.npy``, no pickle, each renamed into place only when complete. Memory
    stays flat: sentences are written as they come.

    Parameters
    ----------
    path : str or Path, e.g. ``"corpus.ids.npy"``
    sentences : iterable of (n_i,) int arrays
        E.g. ``(vocab.encode(s) for s in read_sentences("corpus.txt"))``.

    Returns
    -------
    IdCorpus
        The files, opened with :func:`read_id_file`.
    """
    path = Path(path)
    raws = [path.with_name(f".{path.name}.{part}.raw") for part in ("ids", "bounds")]
    try:
        with open(raws[0], "wb") as ids_raw, open(raws[1], "wb") as bounds_raw:
            n = 0
            bounds_raw.write(np.int64(0).tobytes())
            for s in sentences:
                s = np.asarray(s)
                if s.size and not np.issubdtype(s.dtype, np.integer):  # 2.7 must not become 2
                    raise ValueError(f"ids must be integers, got dtype {s.dtype}")
                if s.size and (s.min() < 0 or s.max() > np.iinfo(np.int32).max):
                    raise ValueError(f"ids must be in [0, 2**31), got ids from {s.min()} to {s.max()}")
                if s.size:
                    ids_raw.write(s.astype("<i4").tobytes())
                    n += s.size
                    bounds_raw.write(np.int64(n).tobytes())
        for raw, target, dtype in zip(raws, (path, _bounds_path(path)), ("<i4", "<i8")):
            count = raw.stat().st_size // np.dtype(dtype).itemsize
            with atomic_write(target) as f, open(raw, "rb") as src:
                header = {"descr": dtype, "fortran_order": False, "shape": (count,)}
                np.lib.format.write_array_header_1_0(f, header)
                while block := src.read(1 << 24):
                    f.write(block)
    finally:
        for raw in raws:
            raw.unlink(missing_ok=True)
    return read_id_file(path)


def read_id_file(path):
    """Open an id file written by :func:`write_id_file`, memory-mapped (nothing is read yet).

    Returns
    -------
    IdCorpus
    """
    path = Path(path)
    for p in (path, _bounds_path(path)):
        if not p.is_file():
            raise FileNotFoundError(f"id file not found: {str(p)!r} (write it with write_id_file)")
    files = (_MappedNpy(path), _MappedNpy(_bounds_path(path)))
    ids, bounds = files[0].array, files[1].array
    if len(bounds) == 0 or bounds[0] != 0 or bounds[-1] != len(ids):
        raise ValueError(f"{str(path)!r} and {_bounds_path(path).name!r} do not belong together: "
                         f"{len(ids)} ids, bounds ending at {bounds[-1] if len(bounds) else None}")
    for a in range(0, len(bounds), 1 << 20):  # read once, block by block
        step = np.diff(np.asarray(bounds[max(a - 1, 0):a + (1 << 20)]))
        if step.size and step.min() < 0:
            raise ValueError(f"{_bounds_path(path).name!r} is not a list of sentence boundaries: "
                             "they must never decrease (the file is corrupt)")
    return IdCorpus(ids, bounds, files)


def as_id_corpus(corpus, V):
    """A list of encoded sentences (as in the teaching loops) or an :class:`IdCorpus`, checked."""
    if isinstance(corpus, IdCorpus):
        if len(corpus) == 0:
            raise ValueError("corpus is empty: there are no tokens to train on (check min_count)")
        corpus.check_ids(V)
        return corpus
    sentences = check_sentences("sentences", corpus, V)
    bounds = np.concatenate([[0], np.cumsum([len(s) for s in sentences])]).astype(np.int64)
    return IdCorpus(np.concatenate(sentences), bounds)


def chunk_cuts(bounds, chunk_tokens):
    """Cut points of chunks of whole sentences, at most ``chunk_tokens`` tokens each.

    A sentence longer than ``chunk_tokens`` is cut (word2vec.c cuts at 1000
    tokens, gensim at 10000); no pair crosses a cut.
    """
    N, cuts = int(bounds[-1]), [0]
    while cuts[-1] < N:
        pos = cuts[-1]
        last = int(bounds[np.searchsorted(bounds, pos + chunk_tokens, "right") - 1])
        cuts.append(last if last > pos else min(pos + chunk_tokens, N))
    return cuts
