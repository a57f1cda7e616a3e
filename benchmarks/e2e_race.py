"""The whole command, text file in -> vectors file out: ours against gensim, at 1 and 2 cores.

    python benchmarks/e2e_race.py                          # the 'large' English corpus, seeds 0 1 2, 1 epoch
    python benchmarks/e2e_race.py --corpus my.txt --seeds 0 --epochs 1
    python benchmarks/e2e_race.py --phases                 # before/after of the reading and writing, in-process

Each run is a fresh process, timed from outside as a user would time it:

* ours: ``python -m skipgram_lab train CORPUS --out vectors.txt --workers W --seed S`` at its
  defaults (gensim's: d=100, window 5 dynamic, K=5, sample 1e-3, lr 0.025 -> 0.0001, min_count 5);
  its phases are the ones it prints (read: one pass over the text, the vocabulary; encode:
  renumbering, the id file; train; write);
* gensim: a script that builds ``Word2Vec(sg=1, hs=0, ...)`` with the same settings and
  ``workers=W, seed=S``, then ``build_vocab(LineSentence(CORPUS))``, ``train`` and
  ``wv.save_word2vec_format(vectors.txt)``, each timed.

"CPU" is user + system seconds of all the run's processes; under load it is steadier than the
wall time, which depends on the share of the cores a run gets. "other" is the wall time no phase
accounts for: starting Python, imports, set-up. The runs are
interleaved (ours and gensim back to back, their order alternating) so that a change in the
machine's load hits both; ratios are taken between the two runs of a pair. Peak memory: the
largest process's peak RSS (GNU time's ``%M``), and the peak of the summed PSS of all the run's
processes, sampled every 0.1 s (PSS splits shared pages, such as the vectors our workers share,
between the processes that map them). Quality: each vectors file is read back and scored the same
way (WordSim-353 and SimLex-999 Spearman rho, questions-words 3CosAdd accuracy; see
``skipgram_lab.evaluate``).

Needs ``make setup`` (the corpus and the test sets), gensim and GNU time (``/usr/bin/time``).
Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PHASES = {"ours": ("read", "encode", "train", "write"), "gensim": ("build_vocab", "", "train", "save")}
TESTS = ("ws353", "simlex", "analogy")


# ---- the gensim side, run as its own process ------------------------------------------------
def gensim_child(corpus, out, workers, seed, epochs):
    start = time.perf_counter()
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence

    timings = {"import": time.perf_counter() - start}
    model = Word2Vec(sg=1, hs=0, vector_size=100, window=5, negative=5, sample=1e-3, alpha=0.025,
                     min_alpha=0.0001, min_count=5, workers=workers, seed=seed, epochs=epochs)
    for phase, step in (
        ("build_vocab", lambda: model.build_vocab(LineSentence(corpus))),
        ("train", lambda: model.train(LineSentence(corpus), total_examples=model.corpus_count,
                                      epochs=model.epochs)),
        ("save", lambda: model.wv.save_word2vec_format(out)),
    ):
        start = time.perf_counter()
        step()
        timings[phase] = time.perf_counter() - start
    print("seconds: " + json.dumps(timings))


# ---- one timed run ----------------------------------------------------------------------------
def _session_pss_kb(sid):
    """Summed PSS of the processes of session ``sid`` (kB)."""
    total = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[3]) != sid:  # state ppid pgrp session ...
                continue
            with open(f"/proc/{name}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, IndexError, StopIteration, ValueError):
            pass
    return total


def timed_run(cmd, log):
    """Run ``cmd`` in its own session: wall seconds, peak RSS of its largest process, peak PSS sum.

    The peak RSS is GNU time's ``%M``: a forked child counts its parent's pages until it execs,
    so ``wait4`` from this (large) process would report this process's size, not the run's.
    """
    load = os.getloadavg()[0]
    rss_file = Path(log).with_suffix(".rss")
    with open(log, "w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%M %U %S", "-o", str(rss_file), *cmd], stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        peak, done = [0], threading.Event()

        def sample():
            while not done.wait(0.1):
                peak[0] = max(peak[0], _session_pss_kb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, _ = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    text = Path(log).read_text()
    if proc.returncode:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{text[-2000:]}")
    rss_kb, user, system = rss_file.read_text().split()[-3:]
    return {"wall": wall, "cpu": float(user) + float(system), "rss_mb": int(rss_kb) / 1024,
            "pss_mb": peak[0] / 1024,
            "load": (load + os.getloadavg()[0]) / 2, "text": text}


def run_ours(corpus, out, workers, seed, epochs, work):
    cmd = [sys.executable, "-m", "skipgram_lab", "train", str(corpus), "--out", str(out),
           "--workers", str(workers), "--seed", str(seed), "--epochs", str(epochs), "--no-progress"]
    run = timed_run(cmd, work / "ours.log")
    line = re.search(r"^seconds: (.*)$", run["text"], re.M).group(1)
    run["phases"] = {k: float(v) for k, v in (part.split() for part in line.split(", "))}
    return run


def run_gensim(corpus, out, workers, seed, epochs, work):
    cmd = [sys.executable, __file__, "--gensim-child", str(corpus), str(out), str(workers), str(seed),
           str(epochs)]
    run = timed_run(cmd, work / "gensim.log")
    run["phases"] = json.loads(re.search(r"^seconds: (.*)$", run["text"], re.M).group(1))
    return run


def quality(path, tests):
    from skipgram_lab import evaluate
    from skipgram_lab.embeddings import Embeddings

    emb = Embeddings.from_word2vec(path)
    ws = evaluate.word_similarity(emb, tests["ws353"], n_boot=10, rng=0)
    sl = evaluate.word_similarity(emb, tests["simlex"], n_boot=10, rng=0)
    an = evaluate.analogy_accuracy(emb, tests["analogy"])
    return {"ws353": ws.rho, "simlex": sl.rho, "analogy": an.accuracy,
            "coverage": (ws.coverage, sl.coverage, an.coverage)}


# ---- before and after, phase by phase, in this process ------------------------------------------
def _clock(step):
    """(wall seconds, CPU seconds of this process and its children) of ``step()``."""
    import resource

    def cpu():
        return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                   for f in ("ru_utime", "ru_stime"))
    start, start_cpu = time.perf_counter(), cpu()
    step()
    return time.perf_counter() - start, cpu() - start_cpu


def phases(corpus, repeat=2):
    """The book's two passes against the one pass; the per-value writer against the block writer."""
    from skipgram_lab.corpus import Vocab, read_sentences
    from skipgram_lab.embeddings import Embeddings
    from skipgram_lab.fastvocab import encode_text_file
    from skipgram_lab.idfile import write_id_file

    def two_passes(folder):
        vocab = Vocab.from_sentences(read_sentences(corpus), min_count=5)
        write_id_file(folder / "book.ids.npy", (vocab.encode(s) for s in read_sentences(corpus)))

    with tempfile.TemporaryDirectory(prefix="e2e-phases-") as tmp:
        folder = Path(tmp)
        vocab, _ = encode_text_file(corpus, folder / "fast.ids.npy", min_count=5)
        E = np.random.default_rng(0).normal(0, 0.3, (len(vocab), 100)).astype(np.float32)
        emb = Embeddings(E, E, vocab)

        def per_value():
            with open(folder / "old.txt", "wb") as f:
                f.write(f"{len(vocab)} 100\n".encode())
                for t, row in zip(vocab.tokens, E):
                    f.write((t + " " + " ".join(f"{x:.6g}" for x in row) + "\n").encode())

        steps = {"read + vocabulary + id file: two passes (Vocab.from_sentences, write_id_file)":
                 lambda: two_passes(folder),
                 "read + vocabulary + id file: one pass, 1 process (encode_text_file)":
                 lambda: encode_text_file(corpus, folder / "fast.ids.npy", min_count=5, workers=1),
                 "read + vocabulary + id file: one pass, 2 processes":
                 lambda: encode_text_file(corpus, folder / "fast.ids.npy", min_count=5, workers=2),
                 f"write {len(vocab)} x 100 vectors: one format call per value (before)": per_value,
                 f"write {len(vocab)} x 100 vectors: blocks of rows (to_word2vec)":
                 lambda: emb.to_word2vec(folder / "new.txt")}
        print(f"{'step':<80}{'wall s':>8}{'CPU s':>8}  load (each step {repeat} times, interleaved)")
        results = {name: [] for name in steps}
        for _ in range(repeat):
            for name, step in steps.items():
                results[name].append((*_clock(step), os.getloadavg()[0]))
        for name, runs in results.items():
            wall, cpu, load = np.array(runs).T
            print(f"{name:<80}{wall.mean():>8.2f}{cpu.mean():>8.2f}  {load.mean():.1f}")


# ---- the report ---------------------------------------------------------------------------------
def fmt_range(x, digits=2):
    x = np.asarray(x, float)
    return f"{x.mean():.{digits}f} [{x.min():.{digits}f}, {x.max():.{digits}f}]"


def print_run(tool, workers, seed, run):
    names = PHASES[tool]
    cells = [f"{run['phases'][n]:6.2f}" if n else "     -" for n in names]
    other = run["wall"] - sum(run["phases"][n] for n in names if n)
    q = run["quality"]
    print(f"{tool:<7}{workers:>3}{seed:>5}{run['wall']:>8.2f}{run['cpu']:>8.2f} " + " ".join(cells)
          + f"{other:>7.2f}"
          f"{run['rss_mb']:>8.0f}{run['pss_mb']:>8.0f}{q['ws353']:>8.3f}{q['simlex']:>8.3f}"
          f"{q['analogy']:>8.3f}{run['load']:>6.1f}", flush=True)


def summary(runs, seeds):
    print("\nmean [min, max] over seeds", seeds)
    for workers in (1, 2):
        ours, gensim = runs[("ours", workers)], runs[("gensim", workers)]
        ratio = [g["wall"] / o["wall"] for o, g in zip(ours, gensim)]
        cpu_ratio = [g["cpu"] / o["cpu"] for o, g in zip(ours, gensim)]
        print(f"\n{workers} core(s): whole process, gensim wall / ours wall (pairs of runs): "
              f"{fmt_range(ratio)}x; gensim CPU seconds / ours: {fmt_range(cpu_ratio)}x")
        for tool, rs in (("ours", ours), ("gensim", gensim)):
            names = [n for n in PHASES[tool] if n]
            phases = ", ".join(f"{n} {fmt_range([r['phases'][n] for r in rs])}" for n in names)
            print(f"  {tool:<7} wall {fmt_range([r['wall'] for r in rs])} s, CPU "
                  f"{fmt_range([r['cpu'] for r in rs])} s; {phases}")
            print(f"  {'':<7} peak RSS {fmt_range([r['rss_mb'] for r in rs], 0)} MB, peak PSS sum "
                  f"{fmt_range([r['pss_mb'] for r in rs], 0)} MB; "
                  + ", ".join(f"{t} {fmt_range([r['quality'][t] for r in rs], 3)}" for t in TESTS))
    print("\nspeed-up from 1 to 2 cores (mean seconds at 1 / mean seconds at 2)")
    for tool in ("ours", "gensim"):
        one, two = runs[(tool, 1)], runs[(tool, 2)]
        cells = [f"wall {np.mean([r['wall'] for r in one]) / np.mean([r['wall'] for r in two]):.2f}x"]
        for n in (n for n in PHASES[tool] if n):
            cells.append(f"{n} {np.mean([r['phases'][n] for r in one]) / np.mean([r['phases'][n] for r in two]):.2f}x")
        print(f"  {tool:<7} " + ", ".join(cells))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--gensim-child":
        corpus, out, workers, seed, epochs = sys.argv[2:7]
        return gensim_child(corpus, out, int(workers), int(seed), int(epochs))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="large",
                        help="a name of skipgram_lab.english's corpora, or a UTF-8 text file")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--phases", action="store_true",
                        help="only time the reading and writing, before and after, in this process")
    args = parser.parse_args()

    from skipgram_lab.english import CORPORA, english_text_path
    from skipgram_lab.testsets import load_testsets

    corpus = english_text_path(args.corpus) if args.corpus in CORPORA else Path(args.corpus)
    if args.phases:
        print(f"corpus {corpus}, {os.cpu_count()} CPUs, load average {os.getloadavg()}")
        return phases(corpus)
    analogies, ws353, simlex = load_testsets()
    tests = {"analogy": analogies, "ws353": ws353, "simlex": simlex}
    from importlib.metadata import version  # gensim itself is imported by its runs only

    print(f"corpus {corpus} ({corpus.stat().st_size / 1e6:.1f} MB), {args.epochs} epoch(s), "
          f"seeds {args.seeds}; python {platform.python_version()}, numpy {np.__version__}, "
          f"gensim {version('gensim')}, {os.cpu_count()} CPUs, load average {os.getloadavg()}")
    print(f"\n{'tool':<7}{'w':>3}{'seed':>5}{'wall':>8}{'CPU':>8}  read/  enc.  train write/  other"
          f"  RSS MB  PSS MB   WS353  SimLex analogy  load")
    print(f"{'':<31}vocab              save")
    runs = {}
    with tempfile.TemporaryDirectory(prefix="e2e-race-") as tmp:
        work = Path(tmp)
        for seed in args.seeds:
            for workers in (1, 2):
                order = ("ours", "gensim") if (seed + workers) % 2 == 0 else ("gensim", "ours")
                for tool in order:
                    out = work / f"{tool}.txt"
                    run = (run_ours if tool == "ours" else run_gensim)(corpus, out, workers, seed,
                                                                       args.epochs, work)
                    run["quality"] = quality(out, tests)
                    out.unlink()
                    runs.setdefault((tool, workers), []).append(run)
                    print_run(tool, workers, seed, run)
    summary(runs, args.seeds)
    print(f"\nload average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
