"""Text file -> vocabulary and id file in one pass (the command line's fast path).

Chapter 2's way reads the corpus twice, one Python step per token each time::

    vocab = Vocab.from_sentences(read_sentences(path), min_count=5)                 # count
    write_id_file(id_path, (vocab.encode(s) for s in read_sentences(path)))         # encode

:func:`encode_text_file` gives the same vocabulary (tokens, counts, ids, ties
in the same order) and the same id file, bit for bit, reading the text once:

1. the file is cut into ``workers`` pieces of whole lines, one per process;
2. each process tokenizes blocks of lines: ASCII lines with a known tokenizer
   go through ``bytes.lower``, ``bytes.translate`` and ``str.split``, which do
   in C what :func:`skipgram_lab.corpus.tokenize`'s regular expression does
   (a test checks they agree); any other line goes through ``tokenize`` itself;
3. a token seen for the first time gets the next *provisional* id, so a
   block's ids are one dictionary lookup per token, made in C (``map``); the
   counts are a ``bincount`` of the provisional ids;
4. the parent sorts the tokens by (-count, token), as ``Vocab.from_sentences``
   does, drops those under ``min_count``, and renumbers every id with one
   lookup table while it writes the id file.

Anything unusual (a NUL byte, UTF-16 or other bytes that are not UTF-8, a
line longer than 1 MiB, an empty corpus) sends the whole file through
:func:`skipgram_lab.corpus.read_sentences` instead, in one process: same
result, or its own clear error message.

>>> from skipgram_lab.fastvocab import encode_text_file
>>> vocab, corpus = encode_text_file("corpus.txt", "corpus.ids.npy", min_count=5, workers=2)  # doctest: +SKIP
"""

from __future__ import annotations

import collections
import itertools
import os
import re
import signal
import time
from pathlib import Path

import numpy as np

from ._io import atomic_write, check_free_space, release_signals, signals_held
from ._validate import check_int
from .corpus import MAX_TOKEN_LENGTH, TEXT8_PATTERN, WORD_PATTERN, Vocab, read_sentences, tokenize
from .idfile import read_id_file

#: Stands for "end of line" among a block's tokens: provisional id 0. No known tokenizer makes
#: it a token (control characters separate words); a custom pattern that does is refused.
_EOL = "\x01"

#: Lines longer than this (bytes) may be cut by read_sentences' block reader: slow path.
_LONGEST_LINE = 1 << 20

#: Bytes read per step (whole lines are tokenized together).
_BLOCK = 1 << 20


def _ascii_table(kept):
    """A ``bytes.translate`` table: ``kept`` bytes and newlines stay, every other byte is a space."""
    table = bytearray(b" " * 256)
    for byte in kept + b"\n":
        table[byte] = byte
    return bytes(table)


#: pattern -> (translate table, inner apostrophes): on ASCII text, NFKC changes nothing, so a
#: token of the pattern is a run of the kept bytes of the lowercased text, an apostrophe staying
#: only between two letters or digits ("can't", not "'tis").
_ASCII_TOKENIZERS = {
    WORD_PATTERN: (_ascii_table(b"abcdefghijklmnopqrstuvwxyz0123456789'"), True),
    TEXT8_PATTERN: (_ascii_table(b"abcdefghijklmnopqrstuvwxyz"), False),
}

#: An apostrophe with no letter or digit before it, or none after it.
_OUTER_APOSTROPHE = re.compile(rb"'(?<![a-z0-9]')|'(?![a-z0-9])")


def ascii_tokens(block: bytes, pattern: str = WORD_PATTERN) -> list[str]:
    """The tokens of ASCII lines (each ending with a newline), with ``"\\x01"`` after each line.

    Equals ``tokenize(line, pattern=pattern)`` line by line for the patterns in
    ``_ASCII_TOKENIZERS``; a test checks it on random ASCII text.
    """
    table, inner_apostrophes = _ASCII_TOKENIZERS[pattern]
    text = block.lower()
    if inner_apostrophes and b"'" in text:
        text = _OUTER_APOSTROPHE.sub(b" ", text)
    tokens = text.translate(table).replace(b"\n", b" \x01 ").decode("ascii").split()
    if tokens and max(map(len, tokens)) > MAX_TOKEN_LENGTH:
        tokens = [t[:MAX_TOKEN_LENGTH] for t in tokens]
    return tokens


class _Unusual(Exception):
    """The fast path does not handle this file: use read_sentences."""


def _segments(block):
    """Runs of ASCII lines and single non-ASCII lines of ``block`` (whole lines), in order."""
    if block.isascii():
        yield True, block
        return
    data = np.frombuffer(block, np.uint8)
    ends = np.flatnonzero(data == 10) + 1                      # each line ends after its newline
    lines = np.unique(np.searchsorted(ends, np.flatnonzero(data >= 0x80), side="right"))
    starts = np.concatenate([[0], ends])
    done = 0
    for line in lines.tolist():
        a, b = int(starts[line]), int(ends[line])
        if a > done:
            yield True, block[done:a]
        yield False, block[a:b]
        done = b
    if done < len(block):
        yield True, block[done:]


def _block_tokens(block, pattern):
    """Tokens of a block of whole lines, ``_EOL`` after each line."""
    fast = pattern in _ASCII_TOKENIZERS
    if b"\x00" in block:
        raise _Unusual()  # binary or UTF-16: read_sentences names the byte
    if len(block) > _LONGEST_LINE:
        ends = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
        if np.diff(ends, prepend=-1).max() > _LONGEST_LINE:
            raise _Unusual()
    tokens = []
    for is_ascii, part in _segments(block):
        if is_ascii and fast:
            tokens += ascii_tokens(part, pattern)
            continue
        try:
            text = part.decode("utf-8")
        except UnicodeDecodeError:
            raise _Unusual() from None
        for line in text.split("\n")[:-1]:  # as read_sentences: each line with its newline
            tokens += _checked(tokenize(line + "\n", pattern=pattern), pattern)
            tokens.append(_EOL)
    return tokens


def _checked(tokens, pattern):
    if _EOL in tokens:
        raise ValueError(f"pattern={pattern!r} makes the control character \\x01 a token: "
                         "pass a pattern that matches words only")
    return tokens


def _line_blocks(path, start, stop):
    """Blocks of whole lines of ``path[start:stop]`` (``start`` and ``stop`` begin lines)."""
    with open(path, "rb") as f:
        f.seek(start)
        tail = b""
        while start < stop:
            raw = f.read(min(_BLOCK, stop - start))
            if not raw:
                break
            start += len(raw)
            data = tail + raw
            cut = data.rfind(b"\n") + 1
            if len(data) - cut > _LONGEST_LINE:
                raise _Unusual()
            if cut:
                yield data[:cut]
            tail = data[cut:]
        if tail:
            yield tail + b"\n"


class _Part:
    """One process's share of the file: its tokens in provisional-id order, counts, line lengths.

    The provisional ids go to a raw int32 file (``ids``); a child process also
    saves the rest to files, which the parent loads.
    """

    def __init__(self, folder, name):
        self.files = {kind: Path(folder) / f"{name}.{kind}" for kind in ("ids", "lines", "counts", "tokens")}
        self.tokens = self.counts = self.lines = None

    def encode(self, blocks):
        """Give provisional ids to the tokens of ``blocks`` (lists of tokens, ``_EOL`` ending lines)."""
        index = collections.defaultdict(itertools.count().__next__)
        index[_EOL]  # provisional id 0
        counts, lines = np.zeros(0, np.int64), []
        with open(self.files["ids"], "wb") as raw:
            for tokens in blocks:
                ids = np.array(list(map(index.__getitem__, tokens)), np.int32)  # new tokens: next id
                ends = np.flatnonzero(ids == 0)
                lines.append(np.diff(ends, prepend=-1) - 1)
                ids = ids[ids != 0]
                raw.write(ids.tobytes())
                counts = np.concatenate([counts, np.zeros(len(index) - len(counts), np.int64)])
                counts += np.bincount(ids, minlength=len(index))
        self.tokens, self.counts = list(index), counts
        self.lines = np.concatenate(lines) if lines else np.zeros(0, np.int64)

    def save(self):
        self.counts.tofile(self.files["counts"])
        self.lines.tofile(self.files["lines"])
        self.files["tokens"].write_bytes("\x00".join(self.tokens).encode("utf-8"))  # no NUL in a token

    def load(self):
        self.tokens = self.files["tokens"].read_bytes().decode("utf-8").split("\x00")
        self.counts = np.fromfile(self.files["counts"], np.int64)
        self.lines = np.fromfile(self.files["lines"], np.int64)

    def remove(self):
        for f in self.files.values():
            f.unlink(missing_ok=True)


def _line_starts(path, pieces):
    """Offsets cutting ``path`` into at most ``pieces`` pieces of whole lines (0 and the size included)."""
    size = path.stat().st_size
    cuts = [0]
    with open(path, "rb") as f:
        for j in range(1, pieces):
            f.seek(max(j * size // pieces - 1, cuts[-1]))
            f.readline()  # to the start of the next line
            cuts.append(min(f.tell(), size))
    return [0] + sorted(set(cuts[1:] + [size]) - {0}) if size else [0, 0]


def _encode_piece(path, start, stop, pattern, part, parent=None):
    """Encode ``path[start:stop]``; a child (``parent``: the parent's pid) stops if orphaned."""
    def blocks():
        for block in _line_blocks(path, start, stop):
            if parent is not None and os.getppid() != parent:
                raise _Unusual()  # the parent was killed (kill -9): no orphan reads on
            yield _block_tokens(block, pattern)
    part.encode(blocks())


def _run_in_children(path, cuts, pattern, parts):
    """One forked process per piece; ``_Unusual`` if any of them failed or met something unusual."""
    pids, codes, parent = [], [], os.getpid()
    try:
        for j, part in enumerate(parts):
            with signals_held():  # a Ctrl-C now reaches the parent after the fork
                pid = os.fork()
                if pid == 0:  # the child, still inside the block: leaving it would unblock the
                    code = 3  # signals before its handlers are set; it never returns
                    try:
                        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
                        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler
                        release_signals()
                        _encode_piece(path, cuts[j], cuts[j + 1], pattern, part, parent)
                        part.save()
                        code = 0
                    finally:
                        os._exit(code)
                pids.append(pid)  # before a held Ctrl-C can arrive: the cleanup below stops it
        while pids:
            codes.append(os.waitstatus_to_exitcode(os.waitpid(pids[0], 0)[1]))
            pids.pop(0)
    finally:
        for pid in pids:  # interrupted: stop the children still running
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
    if any(codes):
        raise _Unusual()  # the parent reads the file the slow way, which says what is wrong
    for part in parts:
        part.load()


def _slow_path(path, pattern, max_sentence_length, part):
    """read_sentences' tokens, its pieces of lines as lines: its checks and its messages."""
    sentences = read_sentences(path, pattern=pattern, max_sentence_length=max_sentence_length)

    def blocks():
        while batch := list(itertools.islice(sentences, 4096)):
            yield [t for s in batch for t in (*_checked(s, pattern), _EOL)]
    part.encode(blocks())


def encode_text_file(path, id_path, *, min_count=1, pattern=WORD_PATTERN,
                     max_sentence_length=10_000, workers=1, timings=None):
    """The vocabulary of a UTF-8 text file and its id file, in one pass.

    Same result as ``Vocab.from_sentences(read_sentences(path, pattern=pattern,
    max_sentence_length=max_sentence_length), min_count)`` and
    :func:`skipgram_lab.idfile.write_id_file` of its encoded sentences.

    Parameters
    ----------
    path : path
        UTF-8 text, one sentence per line.
    id_path : path
        The id file to write (``.npy``; its boundaries go beside it, as
        ``write_id_file`` does); temporary files are written in its folder.
    min_count : int, default 1
    pattern : str
        As in :func:`skipgram_lab.corpus.tokenize`.
    max_sentence_length : int, default 10000
        As in :func:`skipgram_lab.corpus.read_sentences`.
    workers : int, default 1
        Processes reading pieces of the file at once.
    timings : dict, optional
        Filled with the seconds of the two stages: ``"read"`` (tokenize, count,
        provisional ids) and ``"encode"`` (renumber, write the id file).

    Returns
    -------
    vocab : Vocab
    corpus : IdCorpus
        The id file, memory-mapped (:func:`skipgram_lab.idfile.read_id_file`).

    Raises
    ------
    ValueError, FileNotFoundError
        As ``read_sentences`` and ``Vocab.from_sentences`` raise them.
    """
    min_count = check_int("min_count", min_count, 1)
    max_sentence_length = check_int("max_sentence_length", max_sentence_length, 1)
    workers = check_int("workers", workers, 1)
    path, id_path = Path(path), Path(id_path)
    if not path.is_file():
        raise FileNotFoundError(f"source file not found: {str(path)!r}")
    name = f".{id_path.name}.{os.getpid()}"
    parts, timings, start = [], {} if timings is None else timings, time.perf_counter()
    try:
        try:
            cuts = _line_starts(path, workers)
            parts = [_Part(id_path.parent, f"{name}.{j}") for j in range(len(cuts) - 1)]
            if len(parts) == 1:
                _encode_piece(path, cuts[0], cuts[1], pattern, parts[0])
            else:
                _run_in_children(path, cuts, pattern, parts)
        except _Unusual:
            for part in parts:
                part.remove()
            parts = [_Part(id_path.parent, f"{name}.slow")]
            _slow_path(path, pattern, max_sentence_length, parts[0])
        timings["read"] = time.perf_counter() - start
        vocab, luts = _renumber(parts, min_count)
        if len(vocab) == 0:  # an empty corpus, or min_count too high: Vocab says it best
            Vocab.from_sentences(read_sentences(path, pattern=pattern), min_count=min_count)
            raise RuntimeError(f"no token of {str(path)!r} survives min_count={min_count}")
        lines = np.concatenate([part.lines for part in parts])
        _write_id_file(id_path, parts, luts, _piece_ends(lines, max_sentence_length),
                       int(vocab.counts.sum()))
    finally:
        for part in parts:
            part.remove()
    corpus = read_id_file(id_path)
    timings["encode"] = time.perf_counter() - start - timings["read"]
    return vocab, corpus


def _renumber(parts, min_count):
    """The Vocab of all parts and, per part, provisional id -> final id (-1: dropped)."""
    tokens, counts, where = parts[0].tokens, parts[0].counts, []
    if len(parts) > 1:  # one list of tokens: the first part's, then the new ones of each other part
        index = {}
        where = [np.array([index.setdefault(t, len(index)) for t in part.tokens], np.int64)
                 for part in parts]
        tokens, counts = list(index), np.zeros(len(index), np.int64)
        for at, part in zip(where, parts):
            counts[at] += part.counts
    kept = sorted(np.flatnonzero(counts >= min_count).tolist(), key=tokens.__getitem__)
    kept = np.array(kept, np.int64)[np.argsort(-counts[kept], kind="stable")]  # by -count, then token
    final = np.full(len(tokens), -1, np.int32)
    final[kept] = np.arange(len(kept), dtype=np.int32)
    luts = [final[at] for at in where] if where else [final]
    return Vocab([tokens[i] for i in kept.tolist()], counts[kept]), luts


def _piece_ends(lines, max_sentence_length):
    """Where read_sentences' pieces end in the token stream, given tokens per line."""
    M = max_sentence_length
    pieces = -(-lines // M)                                      # ceil; an empty line has none
    sizes = np.full(int(pieces.sum()), M, np.int64)
    has = pieces > 0
    sizes[np.cumsum(pieces[has]) - 1] = lines[has] - (pieces[has] - 1) * M
    return np.cumsum(sizes)


def _write_id_file(id_path, parts, luts, piece_ends, n_kept):
    """Final ids (int32) and boundaries of the non-empty sentences, as write_id_file writes them."""
    check_free_space(id_path.parent, 4 * n_kept + 8 * (len(piece_ends) + 1) + 4096, "the id file")
    bounds = [np.zeros(1, np.int64)]
    seen = kept_before = 0  # raw tokens read, and kept among them
    with atomic_write(id_path) as f:
        np.lib.format.write_array_header_1_0(f, {"descr": "<i4", "fortran_order": False,
                                                 "shape": (n_kept,)})
        for part, lut in zip(parts, luts):
            with open(part.files["ids"], "rb") as raw:
                while block := raw.read(1 << 22):  # a million ids at a time: memory stays flat
                    ids = lut[np.frombuffer(block, np.int32)]
                    dropped = np.flatnonzero(ids < 0)
                    f.write((np.delete(ids, dropped) if dropped.size else ids).astype("<i4", copy=False))
                    a, b = np.searchsorted(piece_ends, [seen + 1, seen + len(ids) + 1])
                    ends = piece_ends[a:b] - seen  # pieces ending in this block: kept tokens before
                    bounds.append(kept_before + ends - np.searchsorted(dropped, ends))
                    seen += len(ids)
                    kept_before += len(ids) - len(dropped)
    bounds = np.concatenate(bounds)
    bounds = bounds[np.concatenate([[True], np.diff(bounds) > 0])]  # empty sentences are dropped
    with atomic_write(id_path.with_suffix(".bounds.npy")) as f:
        np.save(f, bounds.astype("<i8"))
