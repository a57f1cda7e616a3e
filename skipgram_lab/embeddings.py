"""The trained result: E, O and the vocabulary; neighbours; file formats.

>>> from skipgram_lab.embeddings import Embeddings
>>> emb = Embeddings.load("vectors.npz")                    # doctest: +SKIP
>>> emb.most_similar("dog", k=3)                            # doctest: +SKIP
[('puppy', 0.91), ('cat', 0.84), ('kitten', 0.80)]
>>> emb.to_word2vec("vectors.txt")                          # gensim can load this  # doctest: +SKIP

Files are written to a temporary name and renamed, so an interrupted save
never leaves half a file. Nothing is ever pickled: ``.npz`` files are read
with ``allow_pickle=False``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from ._io import atomic_write
from ._validate import check_E_O, check_choice, check_int
from .corpus import Vocab

_NPZ_FORMAT = "skipgram-lab-embeddings-1"


def cosine_matrix(M):
    """Rows of ``M`` scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(M, axis=1, keepdims=True)
    return M / np.where(norms > 0, norms, 1.0)


class Embeddings:
    """Center vectors ``E``, context vectors ``O`` and their vocabulary.

    Parameters
    ----------
    E, O : (V, d) float ndarrays
    vocab : Vocab
        ``vocab.tokens[i]`` names row i.
    """

    def __init__(self, E, O, vocab: Vocab):
        E, O = check_E_O(E, O)
        if len(vocab) != E.shape[0]:
            raise ValueError(f"vocab has {len(vocab)} tokens but E has {E.shape[0]} rows")
        self.E, self.O, self.vocab = E, O, vocab

    def __repr__(self) -> str:
        V, d = self.E.shape
        return f"Embeddings(V={V}, d={d}, dtype={self.E.dtype})"

    def matrix(self, which="E"):
        """``"E"`` (the usual word vectors), ``"O"``, or ``"E+O"`` (their sum)."""
        check_choice("which", which, ("E", "O", "E+O"))
        if which == "E+O":
            return self.E + self.O
        return self.E if which == "E" else self.O

    def vector(self, token, which="E"):
        """The vector of one token, shape (d,)."""
        return self.matrix(which)[self.vocab.id(token)]

    def similarity(self, a, b, which="E"):
        """Cosine similarity of two tokens."""
        M = self.matrix(which)
        u, v = M[self.vocab.id(a)], M[self.vocab.id(b)]
        denom = np.linalg.norm(u) * np.linalg.norm(v)
        return float(u @ v / denom) if denom > 0 else 0.0

    def most_similar(self, token, k=5, which="E"):
        """The ``k`` tokens with the highest cosine to ``token`` (itself excluded).

        Returns
        -------
        list of (str, float)
        """
        k = check_int("k", k, 1)
        M = self.matrix(which)
        i = self.vocab.id(token)
        if not np.all(np.isfinite(M[i])):
            raise ValueError(f"the vector of {token!r} holds NaN or inf: these embeddings are broken")
        U = cosine_matrix(M)
        sims = U @ U[i]
        others = np.flatnonzero((np.arange(len(sims)) != i) & np.isfinite(sims))  # never the query
        top = others[np.argsort(-sims[others], kind="stable")[:k]]  # k >= V: all the others
        return [(self.vocab.tokens[j], float(sims[j])) for j in top]

    # ---- .npz (the lab's own format: E, O, tokens, counts) -------------------------------
    def _check_finite(self):
        for name, M in (("E", self.E), ("O", self.O)):
            if not np.all(np.isfinite(M)):
                raise ValueError(f"{name} holds {int(np.sum(~np.isfinite(M)))} NaN or inf values: "
                                 "refusing to write broken vectors")

    def save(self, path):
        """Save to ``.npz`` (no pickle); ``load`` reads it back exactly. NaN or inf is refused."""
        self._check_finite()
        with atomic_write(path) as f:
            np.savez(
                f, format=np.array(_NPZ_FORMAT), E=self.E, O=self.O,
                tokens=np.array(self.vocab.tokens, dtype=str), counts=self.vocab.counts,
            )

    @classmethod
    def load(cls, path):
        """Read a file written by :meth:`save`."""
        path = Path(path)
        with open(path, "rb") as f:  # FileNotFoundError says it all
            magic = f.read(4)
        if magic != b"PK\x03\x04":
            raise ValueError(f"{str(path)!r} is not a skipgram-lab embeddings file (not an .npz archive)")
        _check_npz_shapes(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                if "format" not in z.files or str(z["format"]) != _NPZ_FORMAT:
                    raise ValueError("no skipgram-lab format marker")
                vocab = Vocab(z["tokens"].tolist(), z["counts"])
                return cls(z["E"], z["O"], vocab)
        except (zipfile.BadZipFile, KeyError, EOFError, ValueError) as err:
            raise ValueError(f"{str(path)!r} is not a skipgram-lab embeddings file ({err})") from None

    # ---- word2vec text and binary formats (E only, as word2vec.c writes) -----------------
    def to_word2vec(self, path, binary=False):
        """Write E in word2vec.c's format: header ``V d``, then one token and vector per line.

        The binary variant stores each vector as d little-endian float32
        values after ``token `` (and a newline after it, as word2vec.c does).
        gensim's ``KeyedVectors.load_word2vec_format`` reads both.
        """
        for t in self.vocab.tokens:
            if not t or any(ch.isspace() for ch in t):
                raise ValueError(f"token {t!r} contains whitespace: the word2vec format cannot hold it")
        self._check_finite()
        V, d = self.E.shape
        with atomic_write(path, "wb") as f:
            f.write(f"{V} {d}\n".encode())
            for block in word2vec_lines(self.vocab.tokens, self.E, binary=binary):
                f.write(block)

    @classmethod
    def from_word2vec(cls, path, binary=False):
        """Read a word2vec text or binary file (E only: O is zeros, counts unknown = 0)."""
        tokens, rows = read_word2vec(path, binary=binary)
        E = np.asarray(rows, dtype=np.float64 if not binary else np.float32)
        return cls(E, np.zeros_like(E), Vocab(tokens, np.zeros(len(tokens), np.int64)))

    # ---- TensorBoard Projector ---------------------------------------------------------
    def to_projector_tsv(self, vectors_path, metadata_path):
        """Write ``vectors.tsv`` (one tab-separated row per token) and ``metadata.tsv``.

        Load both at projector.tensorflow.org ("Load") to explore the vectors in 3-D.
        """
        for t in self.vocab.tokens:  # one line per token, or the rows no longer match
            if any(ch in t for ch in "\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"):
                raise ValueError(f"token {t!r} holds a tab or a line break: a TSV row cannot hold it")
        self._check_finite()
        # Both files are renamed into place only when both were written.
        with atomic_write(metadata_path, "w") as meta, atomic_write(vectors_path, "w") as f:
            meta.write("token\tcount\n")
            for t, n in zip(self.vocab.tokens, self.vocab.counts):
                meta.write(f"{t}\t{n}\n")
            for row in self.E:
                f.write("\t".join(f"{x:.6g}" for x in row) + "\n")


def _check_npz_shapes(path):
    """Refuse an .npz whose array headers declare more data than the archive holds (no huge allocation)."""
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if not info.filename.endswith(".npy"):
                    continue
                with z.open(info) as f:
                    version = np.lib.format.read_magic(f)
                    read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                            else np.lib.format.read_array_header_2_0)
                    shape, _, dtype = read(f, max_header_size=10_000)
                need = int(np.prod(shape, dtype=object)) * dtype.itemsize
                if need > info.file_size:
                    raise ValueError(f"{str(path)!r}: {info.filename} declares shape {shape} "
                                     f"({need:,} bytes) but holds {info.file_size:,} bytes")
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise ValueError(f"{str(path)!r} is not a skipgram-lab embeddings file ({err})") from None


def word2vec_lines(tokens, E, binary=False, rows=512):
    """The lines of a word2vec file after its header, as bytes, ``rows`` lines at a time.

    Text: ``token x_1 ... x_d`` with each value as ``f"{x:.6g}"`` (six significant
    digits, as word2vec.c's readers expect any ``%f``-style number). The values
    of a block are formatted by one ``%`` operation on a format string made for
    the block, not one Python call per value: same bytes, about three times faster.
    Binary: ``token``, a space, then d little-endian float32 values and a newline.

    Parameters
    ----------
    tokens : list of str, V tokens without whitespace
    E : (V, d) float ndarray
    binary : bool
    rows : int
        Lines per yielded block (memory stays flat).

    Yields
    ------
    bytes
    """
    d = E.shape[1]
    values = " %.6g" * d + "\n"
    for a in range(0, len(tokens), rows):
        names = tokens[a:a + rows]
        if binary:
            vectors = E[a:a + rows].astype("<f4")
            yield b"".join(t.encode() + b" " + v.tobytes() + b"\n" for t, v in zip(names, vectors))
        else:
            template = "".join(t.replace("%", "%%") + values for t in names)
            yield (template % tuple(E[a:a + rows].ravel().tolist())).encode()


def read_word2vec(path, binary=False):
    """Tokens and vectors of a word2vec text/binary file, with clear errors.

    The header ``V d`` is checked against the file's size before anything is
    allocated; every value must be a finite number; rows past the header's V are refused.
    """
    path = Path(path)
    size = path.stat().st_size
    with open(path, "rb") as f:
        header = f.readline(100).split()
        if len(header) != 2 or not all(h.isdigit() for h in header) or int(header[1]) < 1:
            raise ValueError(
                f"{str(path)!r} is not a word2vec file: the first line must be 'V d', got {header[:3]!r}"
            )
        V, d = int(header[0]), int(header[1])
        least = V * (4 * d + 2) if binary else V * (2 * d + 1)  # a 1-byte token, 1-char numbers
        if least > size:
            raise ValueError(f"{str(path)!r}: the header says {V:,} vectors of {d:,} values, at least "
                             f"{least:,} bytes, but the file has {size:,}: the header is wrong")
        tokens, rows = [], []
        for i in range(V):
            if binary:
                start = f.tell()
                raw = bytearray()
                while True:
                    ch = f.read(1)
                    if ch == b"":
                        raise ValueError(f"{str(path)!r} ends early at vector {i} of {V}")
                    if ch == b" ":
                        break
                    if ch != b"\n":
                        raw += ch
                data = f.read(4 * d)
                if len(data) != 4 * d:
                    raise ValueError(f"{str(path)!r} ends early at vector {i} of {V}")
                try:
                    tokens.append(raw.decode("utf-8"))
                except UnicodeDecodeError as err:
                    raise ValueError(f"{str(path)!r}: the token of vector {i} (byte {start + err.start}) "
                                     "is not UTF-8") from None
                rows.append(np.frombuffer(data, dtype="<f4"))
                if not np.all(np.isfinite(rows[-1])):
                    raise ValueError(f"{str(path)!r}: vector {i} ({tokens[-1]!r}) holds NaN or inf")
            else:
                line = f.readline()
                try:
                    parts = line.decode("utf-8").rstrip("\n").rstrip(" ").split(" ")
                except UnicodeDecodeError:
                    raise ValueError(
                        f"{str(path)!r} line {i + 2} is not UTF-8 text: is it a binary file (binary=True)?"
                    ) from None
                if len(parts) != d + 1:
                    raise ValueError(
                        f"{str(path)!r} line {i + 2}: expected a token and {d} numbers, got {len(parts)} fields"
                    )
                tokens.append(parts[0])
                try:
                    row = [float(x) for x in parts[1:]]
                except ValueError as err:
                    raise ValueError(f"{str(path)!r} line {i + 2}: {err}") from None
                if not all(np.isfinite(row)):
                    raise ValueError(f"{str(path)!r} line {i + 2}: a value is NaN, inf or too large "
                                     "for a float")
                rows.append(row)
        if f.read(1).strip() or f.readline().strip():
            raise ValueError(f"{str(path)!r} has more rows than its header's {V}: fix the header")
    return tokens, rows
