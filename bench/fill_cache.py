"""Fill an on-disk embedding cache with the chunk vectors of the first N speeches (resumable, never embeds twice).

    python bench/fill_cache.py --chunks 50000 [--speeches PATH] [--cache bench/.cache/embeddings.sqlite]

Runs ``ingest.prepare.prepare_file`` (the pipeline's own load → clean → metadata → chunk) on each speech letter (see
``bench/speeches.py``), so the texts are exactly those a later ingest embeds, keyed the same way
(``index.embedding_cache``: model + SHA-256 of the text). Stop it any time: the next run goes on where
this one stopped. ``bench/scale_bench.py`` calls the same function before it builds its index.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from core.settings import Settings  # noqa: E402
from ingest.chunking import make_splitter, sentence_spans  # noqa: E402
from index.embedding import create_embedder  # noqa: E402
from index.embedding_cache import CachedEmbedder, EmbeddingCache, text_key  # noqa: E402
from index.manifest import Manifest  # noqa: E402
from ingest.prepare import prepare_file  # noqa: E402
from speeches import DEFAULT_SPEECHES, write_speeches  # noqa: E402

EMBED_BATCH = 16  # chunk texts per call: the raw embedder's usual batching (bench/ingest_bench.py's raw run too)
SENTENCE_BATCH = 8  # sentence texts per call (sorted by length: docs/decisions/0005)
DEFAULT_CACHE = ROOT / "bench" / ".cache" / "embeddings.sqlite"
DEFAULT_FOLDER = ROOT / "bench" / ".cache" / "speeches"


def speech_files_for_chunks(speeches: Path, chunks: int, folder: Path, settings: Settings) -> tuple[list[Path], list[list[str]]]:
    """The fewest leading speeches whose chunks add up to at least ``chunks``; and each file's chunk texts."""
    splitter = make_splitter(settings.chunk_size, settings.chunk_overlap)
    files = write_speeches(speeches, 10**9, folder) if chunks > 0 else []
    chosen: list[Path] = []
    texts: list[list[str]] = []
    total = 0
    for path in files:
        if total >= chunks:
            break
        prepared = prepare_file(str(path), Manifest(), settings, splitter)
        file_texts = [c.text for _, doc_chunks in prepared.documents for c in doc_chunks]
        chosen.append(path)
        texts.append(file_texts)
        total += len(file_texts)
    return chosen, texts


def fill(texts: list[str], cache: EmbeddingCache, settings: Settings, batch: int, label: str) -> int:
    """Embed the texts the cache lacks (in order, ``batch`` at a time); returns how many were embedded."""
    embedder = None
    unique = list(dict.fromkeys(texts))
    done = 0
    started = time.perf_counter()
    for start in range(0, len(unique), 512):
        part = unique[start : start + 512]
        if embedder is None:
            embedder = CachedEmbedder(create_embedder(settings.embedding, settings.embedding_device), cache)
        known = cache.get_many(embedder.name, [text_key(t) for t in part])
        todo = [t for t in part if text_key(t) not in known]
        for b in range(0, len(todo), batch):
            embedder.embed_passages(todo[b : b + batch])
            done += len(todo[b : b + batch])
        rate = done / max(1e-9, time.perf_counter() - started)
        print(f"» {label}: {min(start + 512, len(unique))}/{len(unique)} checked, {done} embedded ({rate:.1f}/s)", file=sys.stderr, flush=True)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=50_000)
    parser.add_argument("--speeches", type=Path, default=DEFAULT_SPEECHES)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--sentences", action="store_true", help="also the sentence vectors (after all chunks)")
    args = parser.parse_args(argv)
    if not args.speeches.exists():
        print(f"» {args.speeches} not found: nothing to do", file=sys.stderr)
        return 0
    settings = Settings()
    files, texts = speech_files_for_chunks(args.speeches, args.chunks, args.folder, settings)
    flat = [t for file_texts in texts for t in file_texts]
    print(f"» {len(files)} speeches, {len(flat)} chunks", file=sys.stderr)
    cache = EmbeddingCache(args.cache)
    fill(flat, cache, settings, EMBED_BATCH, "chunks")
    if args.sentences:
        sentences = [t[a:b] for t in flat for a, b in sentence_spans(t)]
        fill(sorted(set(sentences), key=len), cache, settings, SENTENCE_BATCH, "sentences")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
