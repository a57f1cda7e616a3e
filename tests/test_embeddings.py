"""Embeddings: neighbours, and every file format read back exactly."""

import numpy as np
import pytest

from skipgram_lab.corpus import Vocab
from skipgram_lab.embeddings import Embeddings, atomic_write


@pytest.fixture
def emb():
    rng = np.random.default_rng(0)
    vocab = Vocab(["cat", "dog", "apple", "pear"], [4, 3, 2, 1])
    E = np.array([[1.0, 0.1, 0.0], [0.9, 0.2, 0.0], [0.0, 1.0, 0.1], [0.1, 0.9, 0.3]])
    return Embeddings(E, rng.normal(size=(4, 3)), vocab)


def test_most_similar_by_cosine_excludes_the_query(emb):
    top = emb.most_similar("cat", k=3)
    assert [t for t, _ in top] == ["dog", "pear", "apple"]
    assert top[0][1] == pytest.approx(emb.similarity("cat", "dog"))
    assert emb.similarity("cat", "cat") == pytest.approx(1.0)
    assert emb.most_similar("apple", k=1, which="E")[0][0] == "pear"
    np.testing.assert_array_equal(emb.matrix("E+O"), emb.E + emb.O)


def test_npz_round_trip_is_exact(emb, tmp_path):
    emb.save(tmp_path / "v.npz")
    back = Embeddings.load(tmp_path / "v.npz")
    np.testing.assert_array_equal(back.E, emb.E)
    np.testing.assert_array_equal(back.O, emb.O)
    assert back.vocab.tokens == emb.vocab.tokens
    np.testing.assert_array_equal(back.vocab.counts, emb.vocab.counts)


@pytest.mark.parametrize("binary", [False, True])
def test_word2vec_round_trip(emb, tmp_path, binary):
    path = tmp_path / "v.w2v"
    emb.to_word2vec(path, binary=binary)
    back = Embeddings.from_word2vec(path, binary=binary)
    assert back.vocab.tokens == emb.vocab.tokens
    np.testing.assert_allclose(back.E, emb.E, rtol=1e-6, atol=1e-7)
    assert path.read_bytes().startswith(b"4 3\n")


def test_word2vec_file_loads_in_gensim(emb, tmp_path):
    gensim_models = pytest.importorskip("gensim.models", reason="gensim is an optional extra")
    for binary in (False, True):
        path = tmp_path / f"v{int(binary)}.w2v"
        emb.to_word2vec(path, binary=binary)
        kv = gensim_models.KeyedVectors.load_word2vec_format(str(path), binary=binary)
        np.testing.assert_allclose(kv["dog"], emb.vector("dog"), rtol=1e-6, atol=1e-7)


def test_projector_tsv(emb, tmp_path):
    emb.to_projector_tsv(tmp_path / "vectors.tsv", tmp_path / "metadata.tsv")
    vectors = np.loadtxt(tmp_path / "vectors.tsv", delimiter="\t")
    np.testing.assert_allclose(vectors, emb.E, rtol=1e-5)
    meta = (tmp_path / "metadata.tsv").read_text().splitlines()
    assert meta[0] == "token\tcount" and meta[1] == "cat\t4" and len(meta) == 5


def test_loading_files_that_are_not_what_they_claim(emb, tmp_path):
    bogus = tmp_path / "bogus.npz"
    bogus.write_text("hello")
    with pytest.raises(ValueError, match="not a skipgram-lab embeddings file"):
        Embeddings.load(bogus)
    other = tmp_path / "other.npz"
    np.savez(other, x=np.arange(3))
    with pytest.raises(ValueError, match="not a skipgram-lab embeddings file"):
        Embeddings.load(other)
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, format=np.array("skipgram-lab-embeddings-1"), E=np.array([object()]))
    with pytest.raises(ValueError):
        Embeddings.load(pickled)
    with pytest.raises(ValueError, match="not a word2vec file"):
        Embeddings.from_word2vec(bogus)
    emb.to_word2vec(tmp_path / "b.bin", binary=True)
    with pytest.raises(ValueError, match="binary"):
        Embeddings.from_word2vec(tmp_path / "b.bin", binary=False)
    with pytest.raises(FileNotFoundError):
        Embeddings.load(tmp_path / "missing.npz")


def test_atomic_write_leaves_nothing_when_interrupted(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(target, "w") as f:
            f.write("half")
            raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_tokens_with_spaces_cannot_go_to_word2vec(tmp_path):
    e = Embeddings(np.zeros((1, 2)), np.zeros((1, 2)), Vocab(["a b"], [1]))
    with pytest.raises(ValueError, match="whitespace"):
        e.to_word2vec(tmp_path / "x.txt")


def per_value_word2vec(tokens, E, binary):
    """The writer as it was: one Python format call per value (the reference for the bytes)."""
    lines = [f"{len(tokens)} {E.shape[1]}\n".encode()]
    for t, row in zip(tokens, E):
        if binary:
            lines.append(t.encode() + b" " + row.astype("<f4").tobytes() + b"\n")
        else:
            lines.append((t + " " + " ".join(f"{x:.6g}" for x in row) + "\n").encode())
    return b"".join(lines)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("binary", [False, True])
def test_word2vec_bytes_are_the_per_value_writers(tmp_path, dtype, binary):
    """Blocks of rows formatted at once: the same bytes, for every kind of value and token."""
    rng = np.random.default_rng(0)
    V, d = 1500, 7  # more rows than one block
    E = (rng.standard_normal((V, d)) * 10.0 ** rng.integers(-8, 8, (V, 1))).astype(dtype)
    E[0] = [0.0, -0.0, 1e-4, 999999.5, 0.5, 2.5e-5, 1.0]
    E[1] = rng.standard_normal(d).astype(dtype) * 0.3
    tokens = [f"w{i}" for i in range(V)]
    tokens[:4] = ["100%", "%s", "naïve", "東京"]
    emb = Embeddings(E, E, Vocab(tokens, np.ones(V, int)))
    emb.to_word2vec(tmp_path / "v", binary=binary)
    assert (tmp_path / "v").read_bytes() == per_value_word2vec(tokens, E, binary)
