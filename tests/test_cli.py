"""``python -m skipgram_lab train``: end to end on a small file, clear errors, nothing half written."""

import subprocess
import sys

import numpy as np
import pytest

from skipgram_lab import cli
from skipgram_lab.corpus import toy_corpus
from skipgram_lab.embeddings import Embeddings
from skipgram_lab.vectorized import TrainingInterrupted

FAST = ["--dim", "8", "--epochs", "3", "--min-count", "1", "--window", "2", "--batch-size", "64",
        "--subsample", "0", "--no-progress"]


@pytest.fixture()
def corpus_file(tmp_path):
    path = tmp_path / "toy.txt"
    path.write_text("\n".join(toy_corpus() * 3) + "\n", encoding="utf-8")
    return path


def test_train_end_to_end_as_a_module(corpus_file, tmp_path):
    out = tmp_path / "vectors.txt"
    run = subprocess.run([sys.executable, "-m", "skipgram_lab", "train", str(corpus_file),
                          "--out", str(out), *FAST], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "wrote" in run.stdout and "Traceback" not in run.stderr
    emb = Embeddings.from_word2vec(out)
    assert emb.E.shape[1] == 8 and "dog" in emb.vocab
    assert np.all(np.isfinite(emb.E))


def test_output_loads_in_gensim(corpus_file, tmp_path):
    gensim_models = pytest.importorskip("gensim.models", reason="gensim is not installed")
    for binary in (False, True):
        out = tmp_path / f"vectors{int(binary)}.bin"
        assert cli.main(["train", str(corpus_file), "--out", str(out), *FAST,
                         *(["--binary"] if binary else [])]) == 0
        kv = gensim_models.KeyedVectors.load_word2vec_format(str(out), binary=binary)
        ours = Embeddings.from_word2vec(out, binary=binary)
        assert kv.vector_size == 8 and len(kv) == len(ours.vocab)
        np.testing.assert_allclose(kv["dog"], ours.vector("dog"), rtol=1e-5, atol=1e-6)


def test_same_seed_same_file(corpus_file, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    for out in (a, b):
        assert cli.main(["train", str(corpus_file), "--out", str(out), "--seed", "3", *FAST]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_input_role_option_trains_what_the_function_trains(corpus_file, tmp_path):
    """--input-role center is train_vectorized(input_role="center", init_scale=0.5), same seed."""
    from skipgram_lab.corpus import Vocab, read_sentences
    from skipgram_lab.vectorized import train_vectorized

    outs = {}
    for role in ("context", "center"):
        outs[role] = tmp_path / f"{role}.npz"
        assert cli.main(["train", str(corpus_file), "--out", str(tmp_path / f"{role}.txt"),
                         "--npz", str(outs[role]), "--input-role", role, *FAST]) == 0
    sentences = list(read_sentences(corpus_file))
    vocab = Vocab.from_sentences(sentences, min_count=1)
    direct = train_vectorized(vocab.encode_sentences(sentences), vocab, dim=8, epochs=3, window=2,
                              batch_size=64, subsample=None, rng=0, progress=False,
                              input_role="center", init_scale=0.5)
    np.testing.assert_array_equal(Embeddings.load(outs["center"]).E, direct.E)
    assert not np.array_equal(Embeddings.load(outs["context"]).E, direct.E)


def test_npz_and_float64(corpus_file, tmp_path):
    out, npz = tmp_path / "v.txt", tmp_path / "v.npz"
    assert cli.main(["train", str(corpus_file), "--out", str(out), "--npz", str(npz), "--float64",
                     *FAST]) == 0
    assert Embeddings.load(npz).E.dtype == np.float64


@pytest.mark.parametrize("make,message", [
    (lambda p: None, "corpus file not found"),
    (lambda p: p.write_bytes(b""), "sentences is empty"),
    (lambda p: p.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 50), "binary file"),
    (lambda p: p.write_bytes(b"caf\xe9 au lait\n"), "not UTF-8 text"),
    (lambda p: p.write_text("one two three\n"), "no token survives min_count=5"),
])
def test_bad_files_exit_2_with_one_clear_line(tmp_path, capsys, make, message):
    path = tmp_path / "corpus.txt"
    make(path)
    out = tmp_path / "vectors.txt"
    assert cli.main(["train", str(path), "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1
    assert not out.exists()


def test_bad_options_exit_2_before_reading_the_corpus(tmp_path, capsys):
    missing = tmp_path / "not-read.txt"  # the option is checked first, so no "not found"
    assert cli.main(["train", str(missing), "--out", str(tmp_path / "v.txt"), "--window", "0"]) == 2
    assert "window must be >= 1, got window=0" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:  # argparse: unknown option, bad number
        cli.main(["train", str(missing), "--out", "v.txt", "--dim", "ten"])
    assert caught.value.code == 2


def test_interrupt_writes_nothing(corpus_file, tmp_path, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise TrainingInterrupted("training interrupted after 10 of 100 words", result=None)

    monkeypatch.setattr(cli, "train_vectorized", interrupted)
    out = tmp_path / "vectors.txt"
    assert cli.main(["train", str(corpus_file), "--out", str(out), *FAST]) == 130
    assert not out.exists() and list(tmp_path.iterdir()) == [corpus_file]
    assert "nothing was written" in capsys.readouterr().err


def test_divergence_exits_1_naming_the_step(corpus_file, tmp_path, capsys):
    out = tmp_path / "v.txt"
    assert cli.main(["train", str(corpus_file), "--out", str(out), *FAST, "--lr", "1e30",
                     "--min-lr", "0"]) == 1
    err = capsys.readouterr().err
    assert "diverged at step" in err and "lr=" in err and not out.exists()


def test_workers_read_the_text_into_the_same_vocabulary(corpus_file, tmp_path):
    """--workers 2 reads the text in two processes: same vocabulary and counts as one."""
    for workers in (1, 2):
        assert cli.main(["train", str(corpus_file), "--out", str(tmp_path / f"v{workers}.txt"),
                         "--npz", str(tmp_path / f"v{workers}.npz"), "--workers", str(workers),
                         *FAST]) == 0
    one, two = Embeddings.load(tmp_path / "v1.npz"), Embeddings.load(tmp_path / "v2.npz")
    assert one.vocab.tokens == two.vocab.tokens
    np.testing.assert_array_equal(one.vocab.counts, two.vocab.counts)


def test_the_run_prints_the_seconds_of_each_phase(corpus_file, tmp_path):
    import io

    out = io.StringIO()
    args = cli.build_parser().parse_args(["train", str(corpus_file), "--out", str(tmp_path / "v.txt"), *FAST])
    assert cli.train(args, out=out) == 0
    line = [x for x in out.getvalue().splitlines() if x.startswith("seconds: ")][0]
    phases = dict(part.split() for part in line.removeprefix("seconds: ").split(", "))
    assert list(phases) == ["read", "encode", "train", "write"]
    assert all(float(s) >= 0 for s in phases.values())


def test_ctrl_c_while_reading_leaves_nothing(tmp_path):
    """SIGINT to the process group (what Ctrl-C sends) while two processes read the text."""
    import os
    import signal
    import time

    rng = np.random.default_rng(0)
    words = np.array([f"w{i}" for i in range(5000)])
    path = tmp_path / "big.txt"
    path.write_text("\n".join(" ".join(words[rng.zipf(1.2, 40) % 5000]) for _ in range(150_000)) + "\n")
    tmpdir, out = tmp_path / "tmp", tmp_path / "vectors.txt"
    tmpdir.mkdir()
    run = subprocess.Popen([sys.executable, "-m", "skipgram_lab", "train", str(path), "--out", str(out),
                            "--workers", "2", "--no-progress"], env={**os.environ, "TMPDIR": str(tmpdir)},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           start_new_session=True)
    deadline = time.monotonic() + 120
    while not any(tmpdir.glob("*/.corpus.ids.npy.*.ids")) and run.poll() is None:  # reading has begun
        assert time.monotonic() < deadline, "the run never started reading"
        time.sleep(0.01)
    os.killpg(run.pid, signal.SIGINT)
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 130, stderr
    assert "nothing was written" in stderr and "Traceback" not in stderr and stderr.count("\n") == 1
    assert not out.exists() and list(tmpdir.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "tmp"]
