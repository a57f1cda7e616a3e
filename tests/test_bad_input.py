"""Every mistake a learner makes gets a ValueError that names the argument and the value."""

import numpy as np
import pytest

from skipgram_lab import negative_sampling as ns
from skipgram_lab import softmax
from skipgram_lab.corpus import Vocab
from skipgram_lab.noise import noise_distribution
from skipgram_lab.teaching import train_full_softmax, train_negative_sampling

VOCAB = Vocab(["a", "b", "c"], [3, 2, 1])
IDS = [np.array([0, 1, 2, 0, 1])]

TRAINER_CASES = [
    (dict(sentences=[]), "sentences is empty"),
    (dict(sentences=[np.array([], dtype=int)]), "sentences is empty"),
    (dict(window=0), "window must be >= 1, got window=0"),
    (dict(dim=0), "dim must be >= 1, got dim=0"),
    (dict(negatives=-1), "negatives must be >= 0, got negatives=-1"),
    (dict(lr=0.0), "lr must be > 0, got lr=0.0"),
    (dict(lr=-0.1), "lr must be > 0, got lr=-0.1"),
    (dict(lr=float("nan")), "lr must be finite, got lr=nan"),
    (dict(lr=float("inf")), "lr must be finite, got lr=inf"),
    (dict(epochs=0), "epochs must be >= 1, got epochs=0"),
    (dict(epochs=1.5), "epochs must be an integer, got epochs=1.5"),
    (dict(sentences=[np.array([0, 3])]), r"sentences must be ids in \[0, 3\), got sentences containing \[3\]"),
    (dict(sentences=[np.array([0, -1])]), r"containing \[-1\]"),
    (dict(sentences=[np.array([0.0, 1.0])]), "sentences must hold integer ids"),
    (dict(noise_power=float("nan")), "noise_power must be finite, got noise_power=nan"),
    (dict(subsample=0.0), "subsample must be > 0, got subsample=0.0"),
    (dict(subsample=-1e-3), "subsample must be > 0"),
    (dict(subsample_formula="gensim"), "subsample_formula must be one of"),
    (dict(rng="seed"), "rng must be None, an int seed or a numpy.random.Generator"),
    (dict(min_lr=1.0), "min_lr must be <= 0.05"),
    (dict(init=(np.zeros((3, 2)), np.zeros((3, 2)))), r"init must be two \(3, 10\) arrays"),
    (dict(snapshot_every=0), "snapshot_every must be >= 1"),
]


@pytest.mark.parametrize("kwargs,message", TRAINER_CASES, ids=[m[:30] for _, m in TRAINER_CASES])
def test_negative_sampling_trainer_rejects(kwargs, message):
    args = dict(sentences=IDS, vocab=VOCAB, dim=10, lr=0.05)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        train_negative_sampling(args.pop("sentences"), args.pop("vocab"), **args)


@pytest.mark.parametrize("kwargs,message", [c for c in TRAINER_CASES if "negatives" not in c[1]
                                            and "noise_power" not in c[1]])
def test_full_softmax_trainer_rejects(kwargs, message):
    args = dict(sentences=IDS, vocab=VOCAB, dim=10, lr=0.05)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        train_full_softmax(args.pop("sentences"), args.pop("vocab"), **args)


def test_step_functions_reject_bad_ids_and_shapes():
    E, O = np.zeros((3, 2)), np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"w must be an id in \[0, 3\), got w=3"):
        ns.sgd_step(E, O, 3, 0, [1], 0.1)
    with pytest.raises(ValueError, match="c must be an integer, got c=1.5"):
        ns.sgd_step(E, O, 0, 1.5, [1], 0.1)
    with pytest.raises(ValueError, match=r"negatives must be ids in \[0, 3\)"):
        ns.sgd_step(E, O, 0, 1, [7], 0.1)
    with pytest.raises(ValueError, match="E and O must have the same shape"):
        ns.sgd_step(E, np.zeros((4, 2)), 0, 1, [1], 0.1)
    with pytest.raises(ValueError, match="E and O must have the same dtype"):
        softmax.sgd_step(E, O.astype(np.float32), 0, 1, 0.1)
    with pytest.raises(ValueError, match="lr must be > 0"):
        softmax.sgd_step(E, O, 0, 1, 0)
    with pytest.raises(ValueError, match="o_c must have length d=2"):
        ns.loss_and_grad(np.zeros(2), np.zeros(3), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="O must have d=2 columns"):
        softmax.loss_and_grad(np.zeros(2), np.zeros((3, 3)), 0)
    with pytest.raises(ValueError, match="E must be a 2-D float array"):
        ns.sgd_step(np.zeros((3, 2), dtype=int), O, 0, 1, [1], 0.1)
    with pytest.raises(ValueError, match="power must be finite"):
        noise_distribution([1, 2], float("inf"))


# ---- hostile input (issue 11): one row per finding, input -> expected error ---------------------
from skipgram_lab import bpe, gradcheck  # noqa: E402
from skipgram_lab import hierarchical_softmax as hs  # noqa: E402
from skipgram_lab.corpus import read_sentences  # noqa: E402
from skipgram_lab.embeddings import Embeddings  # noqa: E402
from skipgram_lab.idfile import read_id_file, write_id_file  # noqa: E402
from skipgram_lab.pairs import skipgram_pairs  # noqa: E402
from skipgram_lab.training import TrainingDiverged  # noqa: E402
from skipgram_lab.vectorized import train_vectorized  # noqa: E402

E3, O3 = np.full((3, 2), 0.1), np.full((3, 2), 0.1)
EMB = Embeddings(np.eye(3), np.eye(3), VOCAB)


def _file(tmp, name, data):
    path = tmp / name
    path.write_bytes(data) if isinstance(data, bytes) else path.write_text(data, encoding="utf-8")
    return path


def _npz_with_huge_header(tmp):
    import io
    import zipfile
    EMB.save(tmp / "ok.npz")
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False,
                                                  "shape": (10**9, 10**4)})
    with zipfile.ZipFile(tmp / "ok.npz") as src, zipfile.ZipFile(tmp / "huge.npz", "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, header.getvalue() + b"\0" * 8 if info.filename == "E.npy" else data)
    return tmp / "huge.npz"


def _bad_bounds(tmp):
    write_id_file(tmp / "c.ids.npy", [np.array([0, 1]), np.array([2])])
    np.save(tmp / "c.ids.bounds.npy", np.array([0, 2, 1, 3], dtype=np.int64))
    return tmp / "c.ids.npy"


HOSTILE = [  # (finding, what is passed, exception, message)
    ("7 O_neg as (d, K)", lambda t: ns.loss_and_grad(np.ones(2), np.ones(2), np.ones((2, 3))),
     ValueError, r"O_neg must have d=2 columns"),
    ("7 sgd_step on lists", lambda t: ns.sgd_step(E3.tolist(), O3, 0, 1, [2], 0.1),
     ValueError, "E must be a numpy array"),
    ("7 softmax step on lists", lambda t: softmax.sgd_step(E3, O3.tolist(), 0, 1, 0.1),
     ValueError, "O must be a numpy array"),
    ("7 pairs of a 2-D array", lambda t: skipgram_pairs(np.zeros((2, 3), int), 1),
     ValueError, r"list of 1-D id arrays .* shape \(2, 3\)"),
    ("7 pairs of float ids", lambda t: skipgram_pairs([np.array([0.0, 1.0])], 1),
     ValueError, "must hold integer ids"),
    ("7 pairs of negative ids", lambda t: skipgram_pairs([np.array([0, -1])], 1),
     ValueError, "ids >= 0, got -1"),
    ("7 decode(-1)", lambda t: VOCAB.decode([-1]), ValueError, r"ids in \[0, 3\), got ids containing \[-1\]"),
    ("7 no pairs (teaching)", lambda t: train_negative_sampling([np.array([0]), np.array([1])], VOCAB),
     ValueError, "no \\(center, context\\) pairs"),
    ("7 no pairs (vectorized)", lambda t: train_vectorized([np.array([0]), np.array([1])], VOCAB,
                                                           dim=2, progress=False),
     ValueError, "no \\(center, context\\) pair"),
    ("7 word2vec nan", lambda t: Embeddings.from_word2vec(_file(t, "v.txt", "1 2\na nan 1\n")),
     ValueError, "line 2: a value is NaN"),
    ("7 word2vec 1e400", lambda t: Embeddings.from_word2vec(_file(t, "v.txt", "1 2\na 1e400 1\n")),
     ValueError, "line 2: a value is NaN, inf or too large"),
    ("7 word2vec extra rows", lambda t: Embeddings.from_word2vec(_file(t, "v.txt", "1 2\na 1 1\nb 2 2\n")),
     ValueError, "more rows than its header's 1"),
    ("7 id file bounds decrease", lambda t: read_id_file(_bad_bounds(t)), ValueError, "must never decrease"),
    ("7 id file float ids", lambda t: write_id_file(t / "f.ids.npy", [np.array([0.5, 1.7])]),
     ValueError, "ids must be integers, got dtype float64"),
    ("7 projector tab token", lambda t: Embeddings(np.eye(2), np.eye(2), Vocab(["a\tb", "c"], [1, 1]))
     .to_projector_tsv(t / "v.tsv", t / "m.tsv"), ValueError, "tab or a line break"),
    ("8 binary header 1 x 10**10", lambda t: Embeddings.from_word2vec(
        _file(t, "v.bin", b"1 10000000000\na "), binary=True), ValueError, "the header is wrong"),
    ("8 npz header of 80 TB", lambda t: Embeddings.load(_npz_with_huge_header(t)),
     ValueError, r"declares shape \(1000000000, 10000\)"),
    ("8 bpe vocab_size=10**9", lambda t: bpe.train(["a b"], vocab_size=10**9),
     ValueError, "vocab_size must be <= 10,000,000"),
    ("8 bpe.load of bad JSON", lambda t: bpe.load(_file(t, "tok.json", "{not json")),
     ValueError, "tok.json' is not a tokenizer file"),
    ("8 teaching dtype=int", lambda t: train_negative_sampling(IDS, VOCAB, dtype=int),
     ValueError, "dtype must be one of"),
    ("8 teaching dtype=complex", lambda t: train_full_softmax(IDS, VOCAB, dtype=complex),
     ValueError, "dtype must be one of"),
    ("8 binary token not UTF-8", lambda t: Embeddings.from_word2vec(
        _file(t, "v.bin", b"1 1\n\xff\xfe " + np.float32(1).tobytes() + b"\n"), binary=True),
     ValueError, r"token of vector 0 \(byte 4\) is not UTF-8"),
    ("8 --dim 10**6 memory", lambda t: train_vectorized(IDS, VOCAB, dim=10**6, epochs=1, progress=False,
                                                        subsample=None),
     MemoryError, "needs about .* GB of memory"),
    ("9 NUL after 64 KiB", lambda t: list(read_sentences(_file(t, "c.txt", b"a b\n" * 40000 + b"\0"))),
     ValueError, "NUL byte at byte 160000"),
    ("10 non-UTF-8 offset", lambda t: list(read_sentences(_file(t, "c.txt", b"abc\ncaf\xe9\n"))),
     ValueError, "byte 7 is 0xe9"),
    ("10 UTF-16", lambda t: list(read_sentences(_file(t, "c.txt", "the dog\n".encode("utf-16")))),
     ValueError, "is UTF-16 text, not UTF-8: convert it"),
    ("10 UTF-16 without BOM", lambda t: list(read_sentences(_file(t, "c.txt", "the dog\n".encode("utf-16-le")))),
     ValueError, "UTF-16-LE"),
    ("10 directory as corpus", lambda t: list(read_sentences(t)), ValueError, "is a directory"),
    ("10 gradcheck list of 2", lambda t: gradcheck.gradcheck(lambda x: [0.0, x], {"x": 1.0}, ["x", "x"]),
     ValueError, "got a list of length 2"),
    ("10 duplicate token", lambda t: Vocab(["a", "b", "a"], [1, 1, 1]), ValueError,
     r"unique, got 'a' at ids \[0, 2\]"),
    ("10 word2vec non-numeric", lambda t: Embeddings.from_word2vec(_file(t, "v.txt", "1 2\na 1 x\n")),
     ValueError, "line 2: could not convert"),
    ("10 NaN already in E", lambda t: ns.sgd_step(np.full((3, 2), np.nan), O3.copy(), 0, 1, [2], 0.1),
     ValueError, "e_w already holds NaN or inf before the step"),
    ("10 NaN already in E (hs)", lambda t: hs.sgd_step(np.full((3, 2), np.nan), np.ones((2, 2)), 0, 1,
                                                       hs.huffman_tree([3, 2, 1]), 0.1),
     ValueError, "e_w already holds NaN"),
    ("10 uint64 id 2**63", lambda t: VOCAB.decode(np.array([2**63], dtype=np.uint64)),
     ValueError, r"containing \[9223372036854775808\]"),
]


@pytest.mark.parametrize("finding,call,error,message", HOSTILE, ids=[row[0] for row in HOSTILE])
def test_hostile_input_raises_a_clear_error(tmp_path, finding, call, error, message):
    with pytest.raises(error, match=message):
        call(tmp_path)


def test_log_sigmoid_of_integers_does_not_wrap_around():
    assert ns.log_sigmoid(np.uint32(5)) == pytest.approx(-0.0067153484891181, rel=1e-12)
    assert ns.log_sigmoid(np.array([5], dtype=np.uint8))[0] == pytest.approx(-0.0067153484891181, rel=1e-12)


def test_most_similar_never_returns_the_query():
    assert [t for t, _ in EMB.most_similar("a", k=10)] == ["b", "c"]  # k >= V: every other token
    broken = Embeddings(np.array([[1.0, 0], [np.nan, 0], [0, 1]]), np.eye(3, 2), VOCAB)
    assert [t for t, _ in broken.most_similar("a", k=3)] == ["c"]  # a NaN row is no neighbour


def test_projector_files_are_both_written_or_neither(tmp_path, monkeypatch):
    vectors, meta = tmp_path / "v.tsv", tmp_path / "m.tsv"
    vectors.write_text("old")
    monkeypatch.setattr(Embeddings, "E", property(lambda self: 1 / 0), raising=False)
    with pytest.raises(ZeroDivisionError):
        EMB.to_projector_tsv(vectors, meta)
    assert vectors.read_text() == "old" and not meta.exists()


@pytest.mark.parametrize("text,tokens", [  # item 5: the tokenizer policy, script by script
    ("हिन्दी भाषा", ["हिन्दी", "भाषा"]),
    ("தமிழ் மொழி", ["தமிழ்", "மொழி"]),
    ("الْعَرَبِيَّة لغة", ["الْعَرَبِيَّة", "لغة"]),
    ("می\u200cخواهم بروم", ["می\u200cخواهم", "بروم"]),
    ("İstanbul Ankara", ["i\u0307stanbul", "ankara"]),
    ("nai\u0308ve cafe\u0301", ["naïve", "café"]),
    ("ﬁne ＡＢＣ", ["fine", "abc"]),
    ("中文 日本語", ["中文", "日本語"]),
    ("I ❤️ 🐍 python", ["i", "python"]),
    ("word2vec covid19 can't it’s 42", ["word2vec", "covid19", "can't", "it's", "42"]),
    ("x" * 250, ["x" * 100]),
])
def test_tokenizer_policy(text, tokens):
    from skipgram_lab.corpus import tokenize

    assert tokenize(text) == tokens


def test_divergence_is_reported_by_every_trainer():
    from skipgram_lab.book.claims import train_pairs
    from skipgram_lab.vectorized import train_vectorized_full_softmax

    pairs = skipgram_pairs(IDS * 20, 2)
    for train in (lambda: train_negative_sampling(IDS * 20, VOCAB, lr=1e6),
                  lambda: train_full_softmax(IDS * 20, VOCAB, lr=1e6),
                  lambda: train_vectorized(IDS * 20, VOCAB, dim=4, lr=1e30, min_lr=None, subsample=None,
                                           progress=False),
                  lambda: train_vectorized(IDS * 20, VOCAB, dim=4, lr=1e30, min_lr=None, subsample=None,
                                           negatives_per="pair", progress=False),
                  lambda: train_vectorized_full_softmax(IDS * 20, VOCAB, dim=4, lr=1e30, min_lr=None,
                                                        subsample=None, progress=False),
                  lambda: train_pairs(pairs, VOCAB, lr=1e6, min_lr=None),
                  lambda: train_pairs(pairs, VOCAB, tied=True, lr=1e6, min_lr=None)):
        with pytest.raises(TrainingDiverged, match=r"diverged at step \d+ \(epoch \d+, lr=.*\): .*smaller lr"):
            train()
