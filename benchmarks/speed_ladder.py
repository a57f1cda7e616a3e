"""The speed ladder: one corpus, one set of hyperparameters, every trainer, in one run.

    python benchmarks/speed_ladder.py                         # default corpus, 5 epochs
    python benchmarks/speed_ladder.py --corpus synthetic --tokens 2000000
    python benchmarks/speed_ladder.py --corpus text8.txt --epochs 1
    python benchmarks/speed_ladder.py --word2vec-binary ~/word2vec/bin/word2vec
    python benchmarks/speed_ladder.py --growth                # peak RSS and seconds, 1M -> 10M tokens
    python benchmarks/speed_ladder.py --softmax-cost          # full softmax vs negative sampling, growing V

Each row runs in a fresh Python process (so its peak RSS is its own) on the same
token file; the parent evaluates every vectors file the same way. Nothing is
asserted: the figures are printed and written to ``benchmarks/results/*.json``.
See benchmarks/README.md for what each column means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skipgram_lab.corpus import Vocab, read_sentences  # noqa: E402
from skipgram_lab.idfile import read_id_file, write_id_file  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
#: train_vectorized with the book's roles (the center's row of E is the input) and word2vec.c's start.
BOOK = dict(input_role="center", init_scale=0.5)


# ---- environment and corpus --------------------------------------------------------------------
def environment():
    env = {"python": platform.python_version(), "numpy": np.__version__, "cpus": os.cpu_count(),
           "machine": platform.machine(), "load_average": os.getloadavg()}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if name in os.environ:
            env[name] = os.environ[name]
    try:
        import gensim
        env["gensim"] = gensim.__version__
    except ImportError:
        pass
    return env


def gensim_data(name):
    from gensim.test.utils import datapath
    return datapath(name)


def wiki_text(cache):
    """English text shipped with gensim: a shortened Wikipedia dump (~450k words) + the Lee corpus."""
    if not cache.is_file():
        from gensim.corpora.wikicorpus import WikiCorpus
        wiki = WikiCorpus(gensim_data("enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"),
                          dictionary={}, processes=1)
        cache.parent.mkdir(parents=True, exist_ok=True)
        with open(cache.with_suffix(".tmp"), "w", encoding="utf-8") as f:
            for tokens in wiki.get_texts():
                f.write(" ".join(tokens) + "\n")
            f.write(Path(gensim_data("lee_background.cor")).read_text(encoding="utf-8"))
        os.replace(cache.with_suffix(".tmp"), cache)
    return cache


def prepare(args, work):
    """Write work/tokens.txt (one sentence per line), the id file and the vocabulary."""
    meta = {"eval": "english"}
    if args.corpus == "synthetic":
        from skipgram_lab.synthetic import generate, write_text
        n_sentences = max(1, args.tokens // 6)
        planted = generate(n_sentences, rng=args.seed, n_filler=10_000)
        source = write_text(planted, work / "source.txt")
        truth = planted.truth
        (work / "truth.json").write_text(json.dumps({"groups": truth.groups, "analogies": truth.analogies}))
        meta.update(eval="planted", name=f"synthetic ({n_sentences} sentences, planted structure)")
    elif args.corpus == "wiki":
        source = wiki_text(RESULTS / "cache" / "gensim-wiki-lee.txt")
        meta["name"] = "gensim test data: shortened enwiki + Lee background (English)"
    else:
        source = Path(args.corpus)
        meta["name"] = str(source)
    # Every trainer reads the same tokens: ours as ids, gensim and word2vec.c as tokens.txt.
    with open(work / "tokens.txt", "w", encoding="utf-8") as f:
        for sentence in read_sentences(source):
            f.write(" ".join(sentence) + "\n")
    vocab = Vocab.from_sentences(read_sentences(work / "tokens.txt"), min_count=args.min_count)
    np.savez(work / "vocab.npz", tokens=np.array(vocab.tokens), counts=vocab.counts)
    corpus = write_id_file(work / "corpus.ids.npy",
                           (vocab.encode(s) for s in read_sentences(work / "tokens.txt")))
    meta.update(tokens=len(corpus), V=len(vocab))
    return meta


def load_vocab(work):
    with np.load(work / "vocab.npz", allow_pickle=False) as z:
        return Vocab(z["tokens"].tolist(), z["counts"])


# ---- one row, in a child process ---------------------------------------------------------------
def vm_hwm_kb(pid="self"):
    """Peak resident memory of one process (Linux ``VmHWM``), in kB; 0 if unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds():
    """User + system CPU seconds of this process and of its joined children (worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb():
    """Peak RSS of this process or of any worker process it forked and joined, in MB.

    Not ``ru_maxrss`` of RUSAGE_SELF: Linux carries it across ``exec``, so a child
    started by a large parent would report the parent's peak.
    """
    own = vm_hwm_kb() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, workers) / 1024


def child(args):
    work, p = Path(args.work), json.loads(Path(args.work, "params.json").read_text())
    vocab = load_vocab(work)
    kw = dict(dim=p["dim"], window=p["window"], negatives=p["negatives"], lr=0.025,
              min_lr=0.0001, subsample=1e-3)
    out = {"method": args.child, "workers": args.workers}
    vectors = work / f"vectors-{args.child}-{args.workers}.txt"
    if args.child == "teaching":
        from skipgram_lab.teaching import train_negative_sampling
        corpus = read_id_file(work / "corpus.ids.npy")
        cut = int(corpus.bounds[np.searchsorted(corpus.bounds, p["teaching_tokens"])])
        sentences = corpus.sentences(0, cut)
        start, cpu = time.perf_counter(), cpu_seconds()
        result = train_negative_sampling(sentences, vocab, epochs=1, dynamic_window=True,
                                         rng=p["seed"], dtype=np.float32, **kw)
        seconds = time.perf_counter() - start
        out.update(words=cut, pairs=result.history["pairs"][0], seconds=seconds, vectors=None,
                   note=f"timed on the first {cut} tokens, 1 epoch; extrapolated")
    elif args.child.startswith("vectorized"):
        from skipgram_lab.vectorized import train_vectorized
        corpus = read_id_file(work / "corpus.ids.npy")
        per = args.child.split("-")[1]
        if args.child.endswith("-book"):  # the roles and start of chapters 3-9
            kw.update(BOOK)
        start, cpu = time.perf_counter(), cpu_seconds()
        result = train_vectorized(corpus, vocab, epochs=p["epochs"], negatives_per=per,
                                  batch_size=p["batch_size"], workers=args.workers, rng=p["seed"],
                                  progress=False, **kw)
        seconds = time.perf_counter() - start
        out.update(words=len(corpus) * p["epochs"], pairs=sum(result.history["pairs"]),
                   seconds=seconds, loss=result.history["loss"][-1])
        out["peak_rss_mb"] = peak_rss_mb()
        result.embeddings.to_word2vec(vectors)
        out["vectors"] = str(vectors)
    elif args.child == "gensim":
        from gensim.models import Word2Vec
        from gensim.models.word2vec import LineSentence
        sentences = list(LineSentence(str(work / "tokens.txt")))
        model = Word2Vec(sg=1, hs=0, vector_size=p["dim"], window=p["window"], negative=p["negatives"],
                         sample=1e-3, alpha=0.025, min_alpha=0.0001, min_count=p["min_count"],
                         workers=args.workers, epochs=p["epochs"], seed=p["seed"])
        model.build_vocab(sentences)
        start, cpu = time.perf_counter(), cpu_seconds()
        model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
        seconds = time.perf_counter() - start
        out.update(words=p["tokens"] * p["epochs"], pairs=None, seconds=seconds)
        out["peak_rss_mb"] = peak_rss_mb()
        model.wv.save_word2vec_format(str(vectors))
        out["vectors"] = str(vectors)
    elif args.child == "word2vec.c":
        command = [p["word2vec_binary"], "-train", str(work / "tokens.txt"), "-output", str(vectors),
                   "-cbow", "0", "-size", str(p["dim"]), "-window", str(p["window"]),
                   "-negative", str(p["negatives"]), "-hs", "0", "-sample", "1e-3",
                   "-threads", str(args.workers), "-iter", str(p["epochs"]),
                   "-min-count", str(p["min_count"]), "-alpha", "0.025", "-binary", "0"]
        start, cpu = time.perf_counter(), cpu_seconds()
        process, peak = subprocess.Popen(command, stdout=subprocess.DEVNULL), 0
        while process.poll() is None:
            peak = max(peak, vm_hwm_kb(process.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        if process.returncode:
            raise RuntimeError(f"word2vec exited with {process.returncode}")
        out.update(words=p["tokens"] * p["epochs"], pairs=None, seconds=seconds, vectors=str(vectors),
                   peak_rss_mb=peak / 1024,
                   note="wall time includes reading the text and building the vocabulary")
    out.setdefault("peak_rss_mb", peak_rss_mb())
    out["cores"] = (cpu_seconds() - cpu) / out["seconds"]  # CPU time / wall time while training
    print(json.dumps(out))


def run_row(work, method, workers=1):
    command = [sys.executable, __file__, "--child", method, "--workers", str(workers), "--work", str(work)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return {"method": method, "workers": workers, "error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---- quality (in the parent, the same for every row) -------------------------------------------
def quality(path, meta, work):
    from skipgram_lab import evaluate
    from skipgram_lab.embeddings import Embeddings
    emb = Embeddings.from_word2vec(path)
    if meta["eval"] == "planted":
        truth = json.loads((work / "truth.json").read_text())
        purity = evaluate.knn_purity(emb, truth["groups"], k=5)
        analogy = evaluate.analogy_accuracy(emb, truth["analogies"])
        return {"purity@5": purity.purity, "purity_chance": purity.chance,
                "analogy": analogy.accuracy, "analogy_coverage": analogy.coverage}
    out = {}
    for name, file in (("ws353", "wordsim353.tsv"), ("simlex", "simlex999.txt")):
        sim = evaluate.word_similarity(emb, evaluate.read_word_pairs(gensim_data(file)), rng=0)
        out[name], out[f"{name}_coverage"] = sim.rho, sim.coverage
    analogy = evaluate.analogy_accuracy(emb, evaluate.read_analogies(gensim_data("questions-words.txt"),
                                                                      lowercase=True))
    out["analogy"], out["analogy_coverage"] = analogy.accuracy, analogy.coverage
    return out


# ---- the ladder ----------------------------------------------------------------------------
def ladder(args):
    with tempfile.TemporaryDirectory(prefix="speed-ladder-") as tmp:
        work = Path(tmp)
        meta = prepare(args, work)
        params = dict(dim=args.dim, window=args.window, negatives=args.negatives, epochs=args.epochs,
                      min_count=args.min_count, batch_size=args.batch_size, seed=args.seed,
                      tokens=meta["tokens"], teaching_tokens=args.teaching_tokens,
                      word2vec_binary=args.word2vec_binary)
        (work / "params.json").write_text(json.dumps(params))
        print(f"corpus: {meta['name']}: {meta['tokens']:,} tokens (min_count {args.min_count}), "
              f"V={meta['V']:,}; d={args.dim}, window={args.window} (dynamic), K={args.negatives}, "
              f"sample=1e-3, lr 0.025->0.0001, {args.epochs} epochs")
        rows = [("teaching", 1)]
        rows += [("vectorized-pair", 1), ("vectorized-center-book", 1), ("vectorized-center", 1),
                 ("vectorized-center", 2)]
        if has_gensim():
            rows += [("gensim", 1), ("gensim", 2)]
        if args.word2vec_binary:
            rows += [("word2vec.c", 1), ("word2vec.c", 2)]
        results = []
        for method, workers in rows:
            print(f"  running {method} workers={workers} ...", file=sys.stderr, flush=True)
            runs = []
            for _ in range(1 if method == "teaching" else args.repeat):
                runs.append(run_row(work, method, workers))
            row = min(runs, key=lambda r: r.get("seconds", np.inf))  # the least disturbed run
            row["seconds_all"] = [r.get("seconds") for r in runs]
            if row.get("vectors"):
                row["quality"] = quality(row["vectors"], meta, work)
            results.append(row)
        report(results, meta, args)
        save("speed_ladder", {"environment": environment(), "corpus": meta, "params": params,
                              "rows": results})


def has_gensim():
    try:
        import gensim.models
        return gensim.models is not None
    except ImportError:
        return False


def report(rows, meta, args):
    per_word = next((r["pairs"] / r["words"] for r in rows if r["method"] == "vectorized-pair"
                     and "pairs" in r), None)  # same sampling: gensim's and word2vec.c's pairs/word
    base = next((r["words"] / r["seconds"] for r in rows if r["method"] == "gensim"
                 and r["workers"] == 1 and "seconds" in r), None)
    if meta["eval"] == "planted":
        qcols = ("purity@5", "analogy (cov)")
    else:
        qcols = ("WS353 (cov)", "SimLex (cov)", "analogy (cov)")
    head = f"{'method':<26}{'words/s':>10}{'pairs/s':>11}{'s/epoch':>9}{'RSS MB':>8}{'cores':>6}{'x gensim1':>10}"
    print(head + "".join(f"{c:>15}" for c in qcols))
    for r in rows:
        name = f"{r['method']} w={r['workers']}"
        if "error" in r:
            print(f"{name:<26}failed: {r['error']}")
            continue
        wps = r["words"] / r["seconds"]
        pairs = f"{r['pairs'] / r['seconds']:>11,.0f}" if r.get("pairs") else (
            f"{'~' + format(wps * per_word, ',.0f'):>11}" if per_word else f"{'-':>11}")
        epoch_s = meta["tokens"] / wps
        ratio = f"{wps / base:>10.2f}" if base else f"{'-':>10}"
        q = r.get("quality", {})
        if meta["eval"] == "planted":
            cells = [f"{q['purity@5']:.3f}" if q else "-",
                     f"{q['analogy']:.3f} ({q['analogy_coverage']:.2f})" if q else "-"]
        else:
            cells = [f"{q[k]:.3f} ({q[k + '_coverage']:.2f})" if q else "-"
                     for k in ("ws353", "simlex", "analogy")]
        print(f"{name + (' *' if r['method'] == 'teaching' else ''):<26}{wps:>10,.0f}{pairs}"
              f"{epoch_s:>9.1f}{r['peak_rss_mb']:>8.0f}{r.get('cores', 0):>6.2f}{ratio}"
              + "".join(f"{c:>15}" for c in cells))
    print("* teaching: timed on a slice (1 epoch), extrapolated to the corpus; no quality."
          " ~ pairs/s: the vectorized per-pair run's pairs per word times this row's words/s.")
    if args.repeat > 1:
        print(f"fastest of {args.repeat} runs per row (teaching: 1).")
    print("cores: CPU time / wall time while training; below the worker count, another job held a core.")
    print("-book: the book's roles (the center's row of E is the input) and word2vec.c's start;"
          " the others run train_vectorized's defaults (gensim's roles and start).")
    speed = {(r["method"], r["workers"]): r for r in rows if "seconds" in r}
    teach, fast = speed.get(("teaching", 1)), speed.get(("vectorized-center", 1))
    if teach and fast:
        print(f"vectorized-center w=1 / teaching: {fast['pairs'] / fast['seconds'] / (teach['pairs'] / teach['seconds']):.0f}x pairs/s")
    for w in (1, 2):
        ours, ref = speed.get(("vectorized-center", w)), speed.get(("gensim", w))
        if ours and ref:
            print(f"vectorized-center w={w} / gensim w={w}: "
                  f"{(ours['words'] / ours['seconds']) / (ref['words'] / ref['seconds']):.2f}x words/s")
    env = environment()
    print("environment: " + ", ".join(f"{k}={v}" for k, v in env.items()))


def save(kind, data):
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(data, indent=1, default=float))
    print(f"wrote {path.relative_to(ROOT)}")


# ---- growth: memory and time as the corpus grows ----------------------------------------------
def growth_child(args):
    work = Path(args.work)
    vocab = load_vocab(work)
    from skipgram_lab.vectorized import train_vectorized
    corpus = read_id_file(work / f"{args.child}.ids.npy")
    before = peak_rss_mb()
    start = time.perf_counter()
    train_vectorized(corpus, vocab, epochs=1, workers=args.workers, progress=False, rng=0)
    seconds = time.perf_counter() - start
    print(json.dumps({"tokens": len(corpus), "seconds": seconds, "rss_before_mb": before,
                      "peak_rss_mb": peak_rss_mb()}))


def growth(args):
    from skipgram_lab.synthetic import generate
    sizes = [1_000_000, 2_000_000, 5_000_000, 10_000_000]
    planted = generate(max(sizes) // 6 + 1000, rng=args.seed, n_filler=10_000)
    rows = []
    with tempfile.TemporaryDirectory(prefix="speed-growth-") as tmp:
        work = Path(tmp)
        # One vocabulary (of the largest corpus) for every size: only the corpus length changes.
        np.savez(work / "vocab.npz", tokens=np.array(planted.vocab.tokens), counts=planted.vocab.counts)
        print(f"synthetic corpus, V={len(planted.vocab):,}, d=100, 1 epoch, negatives per center, "
              f"trained from a memory-mapped id file; workers={args.workers}")
        print(f"{'tokens':>12}{'seconds':>9}{'words/s':>10}{'RSS before':>12}{'peak RSS':>10}{'growth':>8}")
        for size in sizes:
            n = int(np.searchsorted(planted.offsets, size))  # whole sentences
            name = f"g{size}"
            # The id file format is two plain .npy files: save the prefix directly.
            np.save(work / f"{name}.ids.npy", planted.ids[:planted.offsets[n]])
            np.save(work / f"{name}.ids.bounds.npy", planted.offsets[:n + 1])
            command = [sys.executable, __file__, "--growth-child", "--child", name,
                       "--workers", str(args.workers), "--work", str(work)]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            first = rows[0]["peak_rss_mb"]
            print(f"{row['tokens']:>12,}{row['seconds']:>9.1f}{row['tokens'] / row['seconds']:>10,.0f}"
                  f"{row['rss_before_mb']:>12.0f}{row['peak_rss_mb']:>10.0f}"
                  f"{100 * (row['peak_rss_mb'] / first - 1):>7.1f}%")
    print("environment: " + ", ".join(f"{k}={v}" for k, v in environment().items()))
    save("growth", {"environment": environment(), "rows": rows})


# ---- the O(|V|) cost of the full softmax ------------------------------------------------------
def softmax_cost(args):
    """Microseconds per pair: full softmax against negative sampling, same batch, growing V."""
    from skipgram_lab.vectorized import train_vectorized, train_vectorized_full_softmax
    rng = np.random.default_rng(args.seed)
    print(f"microseconds per pair, batch_size={args.batch_size}, d={args.dim}, window 5, 1 epoch, "
          "Zipf corpus of 50,000 tokens")
    print(f"{'V':>8}{'full softmax':>14}{'NS per pair':>13}{'NS per center':>15}{'softmax / NS':>14}")
    rows = []
    for V in (100, 1000, 10_000):
        weights = 1.0 / np.arange(1, V + 1)
        ids = rng.choice(V, size=50_000, p=weights / weights.sum())
        vocab = Vocab([f"w{i}" for i in range(V)], np.bincount(ids, minlength=V) + 1)
        sentences = np.split(ids, np.arange(20, len(ids), 20))
        row = {"V": V}
        for name, train, kw in (("softmax", train_vectorized_full_softmax, {}),
                                ("ns_pair", train_vectorized, {"negatives_per": "pair"}),
                                ("ns_center", train_vectorized, {"negatives_per": "center"})):
            start = time.perf_counter()
            result = train(sentences, vocab, dim=args.dim, epochs=1, batch_size=args.batch_size,
                           subsample=None, progress=False, rng=0, **kw)
            row[name] = 1e6 * (time.perf_counter() - start) / result.history["pairs"][0]
        rows.append(row)
        print(f"{V:>8,}{row['softmax']:>14.2f}{row['ns_pair']:>13.2f}{row['ns_center']:>15.2f}"
              f"{row['softmax'] / row['ns_pair']:>14.1f}")
    print("environment: " + ", ".join(f"{k}={v}" for k, v in environment().items()))
    save("softmax_cost", {"environment": environment(), "rows": rows})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=None,
                        help="'wiki' (gensim's test data, default when gensim is installed), "
                             "'synthetic', or a UTF-8 text file")
    parser.add_argument("--tokens", type=int, default=1_000_000, help="size of the synthetic corpus")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--negatives", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=None,
                        help="pairs per step (1024; 256 for --softmax-cost)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--teaching-tokens", type=int, default=20_000,
                        help="tokens the per-pair loop is timed on")
    parser.add_argument("--word2vec-binary", default=None, help="path to word2vec.c's binary (optional)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per row; the fastest is reported (other jobs on the machine slow some)")
    parser.add_argument("--growth", action="store_true", help="peak RSS and seconds, 1M -> 10M tokens")
    parser.add_argument("--softmax-cost", action="store_true",
                        help="microseconds per pair: full softmax against negative sampling")
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--growth-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.growth_child:
        return growth_child(args)
    if args.child:
        return child(args)
    if args.growth:
        return growth(args)
    if args.softmax_cost:
        args.batch_size = args.batch_size or 256
        return softmax_cost(args)
    args.batch_size = args.batch_size or 1024
    if args.corpus is None:
        args.corpus = "wiki" if has_gensim() else "synthetic"
    if args.corpus == "wiki" and not has_gensim():
        parser.error("--corpus wiki needs gensim (pip install gensim); try --corpus synthetic")
    return ladder(args)


if __name__ == "__main__":
    main()
