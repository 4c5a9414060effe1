"""The ingest run: discover the files → prepare each (ingest.prepare: load → clean → metadata → chunk, in worker
threads) → IndexWriter (embed, store, commit: index/writer.py); ``--prune`` forgets files that are gone.

One bad file never stops the run; unchanged files are skipped by their byte hash before parsing; a
document's identity is where it came from and its text (ingest.names ``document_id``): the same text from two
files, mails or zip members is two letters (the outcome notes "samme indhold som …"); a changed file's old document
disappears in the same manifest commit that makes its new one visible. Parsing of the next files overlaps embedding.
Between files, and while a slow file is being read, a writer waiting for the lock gets its turn
(``IndexWriter.give_way``). Removing letters is ingest.removal.
"""

from __future__ import annotations

import os
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Callable, Iterable, Iterator

from core.phrases import message
from core.settings import Settings
from index.embedding import Embedder, embedder_for
from index.index import Index
from index.manifest import Manifest
from index.records import EDITABLE_FIELDS, Chunk, Document
from index.writer import IndexWriter, WriterTuning
from ingest.budget import prewarm
from ingest.chunking import make_splitter, sentence_spans
from ingest.corrections import apply_corrections
from ingest.metadata import canonical_hearing
from ingest.names import stored_source
from ingest.prepare import Prepared, prepare_file
from ingest.schema import FileOutcome, IngestReport, Status

ProgressCallback = Callable[[str, dict], None]
IDLE_SECONDS = 0.5  # while the next file is being read, how often an ingest looks for a writer waiting for the lock


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
            # A link to a file that is found anyway is not a second letter (a letter's identity is where it came
            # from: read twice, one response would count twice).
            targets = {child.resolve() for child in found if not child.is_symlink()}
            found = [child for child in found if not (child.is_symlink() and child.resolve() in targets)]
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


def new_bytes(files: list[str], manifest: Manifest) -> int:
    """The bytes of the files an ingest will probably read (not listed, or listed with another size): what it
    may have to embed, known before any file is read."""
    total = 0
    for path in files:
        try:
            size = Path(path).stat().st_size
        except OSError:
            continue
        known = manifest.files.get(stored_source(path))
        total += 0 if known and known.size == size else size
    return total


def _bounded_map(pool: ThreadPoolExecutor, fn, items: list[str], window: int, idle: Callable[[], None] | None = None) -> Iterator:
    """Like pool.map, but never more than ``window`` results ahead (bounded memory); ``idle`` is called about every
    IDLE_SECONDS while the next result is not ready (a slow scan being read)."""
    queue: deque[Future] = deque()
    iterator = iter(items)
    for item in iterator:
        queue.append(pool.submit(fn, item))
        if len(queue) >= window:
            break
    while queue:
        future = queue.popleft()
        while idle is not None and not wait([future], timeout=IDLE_SECONDS).done:
            idle()
        result = future.result()
        nxt = next(iterator, None)
        if nxt is not None:
            queue.append(pool.submit(fn, nxt))
        yield result


class _Run:
    """One ingest run's file-level decisions; every write goes through its ``IndexWriter``."""

    def __init__(self, writer: IndexWriter, settings: Settings) -> None:
        self.writer = writer
        self.settings = settings
        self.read_manifest()

    def read_manifest(self) -> None:
        """What the run keeps of the writer's manifest: on start, and again after the writer gave way to another
        writer. The hearings are kept up to date as documents are written (rebuilding them per document was
        quadratic in the index size)."""
        self.known_hearings = sorted({d.hearing for d in self.writer.manifest.documents.values() if d.hearing})
        self.by_text = {d.content_hash: d.doc_id for d in self.writer.manifest.documents.values()}  # a duplicate's first

    def apply(self, prepared: Prepared) -> FileOutcome:
        if prepared.error:
            return FileOutcome(source=prepared.source, status=Status.failed, detail=prepared.error)
        record = self.writer.manifest.files.get(prepared.key)
        if prepared.unchanged and record:
            return FileOutcome(source=prepared.source, status=Status.unchanged, doc_ids=record.doc_ids)
        new_ids: list[str] = []
        written = 0
        notes: list[str] = []
        removed = set(record.removed) if record else set()
        for doc, chunks in prepared.documents:
            if doc.source in removed:  # a person removed this letter of the file: a new version does not bring it back
                notes.append(message("removed_before", self.settings.language, source=doc.source))
                continue
            existing = self.writer.listed(doc.doc_id)  # listed: the same text from the same place (a file re-saved)
            if existing is None:
                notes.append(self._duplicate_note(doc))
                written += self._write(doc, chunks)
            elif doc.source not in existing.sources:  # stored by an older version under another name (CPR unmasked)
                existing.sources.append(doc.source)
            new_ids.append(doc.doc_id)
        old_ids = record.doc_ids if record else []
        self.writer.record_file(prepared.key, prepared.file_hash, prepared.size, new_ids)
        status = Status.ingested if written or set(old_ids) != set(new_ids) else Status.unchanged
        detail = "; ".join(n for n in notes + prepared.warnings if n)
        return FileOutcome(source=prepared.source, status=status, detail=detail, doc_ids=new_ids, chunks=written)

    def _duplicate_note(self, doc: Document) -> str:
        """"samme indhold som <source>" when another document has the same text (another person's copy of a
        letter, a campaign): both are kept, each a letter of its own; "" otherwise."""
        first = self.writer.manifest.documents.get(self.by_text.setdefault(doc.content_hash, doc.doc_id))
        if first is None or first.doc_id == doc.doc_id or first.source == doc.source:
            self.by_text[doc.content_hash] = doc.doc_id
            return ""
        return message("same_content", self.settings.language, source=first.source)

    def _write(self, doc: Document, chunks: list[Chunk]) -> int:
        """A new document: its hearing named as the index already names it, officials' corrections applied
        (a rebuilt document keeps its other file names), its chunks split into sentences; then written."""
        doc.hearing = canonical_hearing(doc.hearing, self.known_hearings)
        sources = self.writer.sources_of(doc)
        meta = apply_corrections(self.writer.manifest, doc.doc_id, sources, doc)
        doc = doc.model_copy(update={k: getattr(meta, k) for k in (*EDITABLE_FIELDS, "needs_review")})
        sentences = [sentence_spans(c.text) for c in chunks] if self.settings.sentence_vectors else None
        written = self.writer.add(doc, chunks, sentences, sources=sources)
        if doc.hearing and doc.hearing not in self.known_hearings:
            self.known_hearings = sorted([*self.known_hearings, doc.hearing])
        return written


def vanished_files(manifest: Manifest, roots: list[str], present: set[str] | None = None) -> list[str]:
    """The files under ``roots`` the manifest lists that no longer exist (for ``--prune``).

    ``present``: the stored names of the files found under ``roots`` now (a stored name with a masked CPR
    number cannot be looked up on disk: it is gone when not among them)."""
    roots = [stored_source(os.path.normpath(r)) for r in roots]
    return [
        source
        for source in manifest.files
        if any(source == r or source.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
        and (present is None or source not in present)
        # (a file not found now but still there is kept — one named on its own earlier — unless it is a link,
        # or a name stored by an older version with its CPR number unmasked)
        and (not os.path.exists(source) or os.path.islink(source) or stored_source(source) != source)
    ]


def ingest(
    paths: list[str | Path],
    settings: Settings,
    *,
    prune_missing: bool = False,
    embedder: Embedder | None = None,
    index: Index | None = None,
    on_progress: ProgressCallback | None = None,
    tuning: WriterTuning | None = None,
) -> IngestReport:
    started = time.perf_counter()
    prewarm(2)  # the file-reading worker processes start while the index and the model load
    notify = on_progress or (lambda kind, info: None)
    index = index or Index(settings)
    embedder = embedder or embedder_for(settings)
    report = IngestReport()
    with IndexWriter(index, embedder, on_progress=notify, tuning=tuning) as writer:
        run = _Run(writer, settings)
        files, missing, links = discover_all(paths)
        for path in missing:
            report.outcomes.append(
                FileOutcome(source=path, status=Status.failed, detail=missing_reason(path, settings.language))
            )
        for path in links:
            report.outcomes.append(FileOutcome(source=path, status=Status.failed, detail=message("symlink_outside", settings.language)))
        notify("start", {"files": len(files)})
        splitter = make_splitter(settings.chunk_size, settings.chunk_overlap)
        if hasattr(embedder, "expect"):  # the bundled model picks its engine by the work (index/embedding.py)
            embedder.expect(new_bytes(files, writer.manifest))

        def give_way() -> None:  # to a writer waiting for the lock (a docs set, a remove, an upload): see IndexWriter
            if writer.give_way():
                run.read_manifest()

        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="prepare") as pool:
            lost = writer.missing  # documents whose rows Chroma lost, not rebuilt yet: their files are read again
            # Each file is read against the manifest of the writer's turn it started in (writer.turns).
            work = lambda p: (writer.turns, prepare_file(p, writer.manifest, settings, splitter, frozenset(lost)))  # noqa: E731
            for turn, prepared in _bounded_map(pool, work, files, window=4, idle=give_way):
                if prepared.unchanged and turn != writer.turns:  # judged before another writer's turn: judged again
                    prepared = prepare_file(prepared.source, writer.manifest, settings, splitter, frozenset(lost))
                outcome = run.apply(prepared)
                report.outcomes.append(outcome)
                notify("file", {"outcome": outcome})
                if not prepared.unchanged:
                    for member, reason in prepared.member_failures:
                        failed = FileOutcome(source=member, status=Status.failed, detail=reason)
                        report.outcomes.append(failed)
                        notify("member", {"outcome": failed})  # not a file of its own: no progress step
                writer.commit_when_due()
                give_way()
        if prune_missing:  # (forget writes the documents still buffered first)
            gone = vanished_files(writer.manifest, [str(p) for p in paths], present={stored_source(f) for f in files})
            report.removed = len(writer.forget(gone))
    report.chunks = writer.chunks_written
    report.seconds = time.perf_counter() - started
    return report
