"""``python -m skipgram_lab train``: end to end on a small file, clear errors, nothing half written."""

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
    # A shell that starts the suite in the background (`make test &`) ignores SIGINT, the child
    # would inherit that, and Python then installs no Ctrl-C handler: give the run the default.
    run = subprocess.Popen([sys.executable, "-m", "skipgram_lab", "train", str(path), "--out", str(out),
                            "--workers", "2", "--no-progress"], env={**os.environ, "TMPDIR": str(tmpdir)},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           start_new_session=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
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


# ---- nothing lost (issue 11, items 1-3): every case on temporary paths only --------------------
def _run(args, **kw):
    return subprocess.run([sys.executable, "-m", "skipgram_lab", "train", *map(str, args)],
                          capture_output=True, text=True, timeout=120, **kw)


@pytest.mark.parametrize("make,message", [
    (lambda p: p.mkdir(), "is a directory, not a regular file"),
    (lambda p: os.mkfifo(p), "is a FIFO (named pipe), not a regular file"),
    (lambda p: p.symlink_to(p.with_name("elsewhere.txt")), "is a symbolic link, not a regular file"),
    (lambda p: (p.write_text("keep"), os.link(p, p.with_name("other.txt"))), "other hard link"),
])
def test_out_refuses_a_target_that_is_not_a_plain_file(corpus_file, tmp_path, capsys, make, message):
    target = tmp_path / "target"
    make(target)
    assert cli.main(["train", str(corpus_file), "--out", str(target), *FAST]) == 2
    err = capsys.readouterr().err
    assert message in err and "--out" in err and err.count("\n") == 1


def test_out_equal_to_the_corpus_or_to_npz_is_refused_before_training(corpus_file, tmp_path, capsys):
    before = corpus_file.read_bytes()
    assert cli.main(["train", str(corpus_file), "--out", str(corpus_file), *FAST]) == 2
    assert "is the input file" in capsys.readouterr().err and corpus_file.read_bytes() == before
    alias = tmp_path / "alias.txt"
    alias.symlink_to(corpus_file)  # the same file under another name
    assert cli.main(["train", str(alias), "--out", str(corpus_file), *FAST]) == 2
    assert corpus_file.read_bytes() == before
    out = tmp_path / "v.txt"
    assert cli.main(["train", str(corpus_file), "--out", str(out), "--npz", str(out), *FAST]) == 2
    assert "--npz" in capsys.readouterr().err and not out.exists()


def test_a_new_output_follows_the_umask_and_a_replaced_one_keeps_its_mode(corpus_file, tmp_path):
    new, old = tmp_path / "new.txt", tmp_path / "old.txt"
    old.write_text("previous")
    old.chmod(0o640)
    mask = os.umask(0o027)
    try:
        assert cli.main(["train", str(corpus_file), "--out", str(new), *FAST]) == 0
        assert cli.main(["train", str(corpus_file), "--out", str(old), *FAST]) == 0
    finally:
        os.umask(mask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o640  # 0o666 & ~0o027
    assert stat.S_IMODE(old.stat().st_mode) == 0o640 and old.read_text() != "previous"


@pytest.mark.parametrize("where,message", [
    (lambda t: t / "missing" / "v.txt", "does not exist"),
    (lambda t: t / ("x" * 256), "File name too long"),
    (lambda t: t / "ro" / "v.txt", "cannot be written"),
    (lambda t: t / "file" / "v.txt", "Not a directory"),
])
def test_a_bad_output_location_fails_before_the_corpus_is_read(corpus_file, tmp_path, monkeypatch,
                                                               capsys, where, message):
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro").chmod(0o500)
    (tmp_path / "file").write_text("a file, not a folder")
    if where(tmp_path).parent.name == "ro" and os.access(tmp_path / "ro", os.W_OK):
        # root may write into a read-only folder: let the OS's refusal come from os.open instead
        real_open, ro = os.open, tmp_path / "ro"

        def refusing_open(path, *args, **kwargs):
            if Path(path).parent == ro:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", refusing_open)
    monkeypatch.setattr(cli, "_read_corpus", lambda *a: pytest.fail("the corpus was read"))
    try:
        assert cli.main(["train", str(corpus_file), "--out", str(where(tmp_path)), *FAST]) == 2
    finally:
        (tmp_path / "ro").chmod(0o700)
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_a_name_that_fits_only_without_the_temporary_suffix_is_written(corpus_file, tmp_path):
    out = tmp_path / ("v" * 250)  # legal, but ".<name>.pid<n>.<hex>.part" would not be
    assert cli.main(["train", str(corpus_file), "--out", str(out), *FAST]) == 0
    assert out.is_file()


def test_a_full_or_unwritable_temporary_folder_is_one_line(corpus_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-tmp"))
    assert cli.main(["train", str(corpus_file), "--out", str(tmp_path / "v.txt"), *FAST]) == 2
    err = capsys.readouterr().err
    assert "no-such-tmp" in err and "TMPDIR" in err and err.count("\n") == 1
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10**9, 10**9, 100))
    assert cli.main(["train", str(corpus_file), "--out", str(tmp_path / "v.txt"), *FAST]) == 2
    err = capsys.readouterr().err
    assert "not enough space for the id file" in err and err.count("\n") == 1
    assert not (tmp_path / "v.txt").exists() and not list(tmp_path.glob("skipgram-lab-*"))


def _slow_corpus(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("\n".join(toy_corpus() * 200) + "\n", encoding="utf-8")
    return path


def _wait_for(predicate, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_sigterm_during_training_leaves_no_temporary_file(tmp_path):
    corpus, out, tmp = _slow_corpus(tmp_path), tmp_path / "v.txt", tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen([sys.executable, "-m", "skipgram_lab", "train", str(corpus), "--out",
                             str(out), *FAST[:2], "--epochs", "200", *FAST[4:]],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    # Training has begun once the id file in the temporary folder is memory-mapped: the file
    # itself may already be unlinked (it is deleted as soon as it is mapped), but the mapping
    # still names it, so a busy machine cannot make the test miss a short-lived folder.
    maps = Path(f"/proc/{proc.pid}/maps")
    assert _wait_for(lambda: proc.poll() is None and maps.exists() and str(tmp) in maps.read_text()), (
        f"the run never mapped its id file from {tmp} (exit {proc.poll()})")
    time.sleep(1.0)
    assert proc.poll() is None, "the run ended before it could be terminated"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "terminated" in err and "nothing was written" in err
    assert list(tmp.iterdir()) == [] and not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_kill_9_leftovers_are_removed_by_the_next_run(corpus_file, tmp_path):
    """kill -9 cannot be caught: what it leaves (a .part file, a temporary folder) goes next time."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    part = tmp_path / f".v.txt.pid{dead}.0123abcd.part"
    part.write_text("half")
    tmp = tmp_path / "tmp"
    (tmp / f"skipgram-lab-pid{dead}-xyz").mkdir(parents=True)
    run = _run([corpus_file, "--out", tmp_path / "v.txt", *FAST], env={**os.environ, "TMPDIR": str(tmp)})
    assert run.returncode == 0, run.stderr
    assert not part.exists() and list(tmp.iterdir()) == []


def test_workers_stop_when_the_parent_is_killed(tmp_path):
    """The parent is killed with -9 (no cleanup runs); its two workers exit within a chunk."""
    corpus = _slow_corpus(tmp_path)
    script = (f"from skipgram_lab import cli; cli.main(['train', {str(corpus)!r}, '--out', "
              f"{str(tmp_path / 'v.txt')!r}, '--workers', '2', '--epochs', '300', '--dim', '8', "
              "'--min-count', '1', '--no-progress', '--subsample', '0'])")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def children():
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(parent.pid)], capture_output=True, text=True)
        return [int(x) for x in out.stdout.split()]

    assert _wait_for(lambda: len(children()) >= 2)
    workers = children()
    parent.kill()
    parent.wait()

    def gone():
        return all(not os.path.exists(f"/proc/{pid}") or
                   open(f"/proc/{pid}/stat").read().split()[2] == "Z" for pid in workers)

    assert _wait_for(gone, timeout=10.0)


def test_the_run_says_which_tokenizer_it_uses(corpus_file, tmp_path, capsys):
    for name, says in (("words", "words (NFKC"), ("text8", "text8 (NFKC")):
        assert cli.main(["train", str(corpus_file), "--out", str(tmp_path / "v.txt"), *FAST,
                         "--tokenizer", name]) == 0
        assert f"tokenizer: {says}" in capsys.readouterr().out


def test_a_tiny_corpus_trains_without_blowing_up(tmp_path):
    """Issue 11, item 4: the README's toy corpus, d = 10, 30 epochs, once ended at loss 1.7e11 per pair."""
    path = tmp_path / "toy.txt"
    path.write_text("\n".join(toy_corpus()) + "\n")
    out = tmp_path / "v.txt"
    run = _run([path, "--out", out, "--dim", "10", "--epochs", "30", "--min-count", "1",
                "--subsample", "0", "--no-progress"])
    assert run.returncode == 0, run.stderr
    loss = float(run.stdout.split("loss per pair ")[1].split(";")[0])
    assert loss < 3.0  # the teaching loop ends at 2.47; the start is (1 + K) log 2 = 4.16
    assert np.all(np.isfinite(Embeddings.from_word2vec(out).E))


def test_a_diverged_run_writes_nothing_even_after_the_last_batch(corpus_file, tmp_path, capsys):
    out = tmp_path / "v.txt"
    assert cli.main(["train", str(corpus_file), "--out", str(out), *FAST, "--lr", "1e20",
                     "--min-lr", "0", "--epochs", "1"]) == 1
    assert "training diverged at step" in capsys.readouterr().err and not out.exists()
