"""The ingest pipeline: discover → (load → clean → metadata → chunk, in worker threads) → IndexWriter (embed,
store, commit: index/writer.py).

One bad file never stops the run; unchanged files are skipped by their byte hash before parsing; a
document's identity is where it came from and its text (``document_id``): the same text from two files,
mails or zip members is two letters (the outcome notes "samme indhold som …"); a changed file's old document
disappears in the same manifest commit that makes its new one visible. Parsing of the next files overlaps embedding.
Between files, and while a slow file is being read, a writer waiting for the lock gets its turn
(``IndexWriter.give_way``).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from core.errors import describe_exception
from core.phrases import PhrasedError, message, number
from core.settings import Settings
from index.embedding import Embedder, embedder_for
from index.index import Index
from index.manifest import Manifest
from index.manifest_store import UNCOMMITTED_MARKER  # noqa: F401 - where the embedded index keeps its marker
from index.records import EDITABLE_FIELDS, Chunk, Document
from index.writer import IndexWriter, WriterTuning
from ingest.budget import SharedTime, load_file, prewarm
from ingest.chunking import chunk_document, make_splitter, sentence_spans
from ingest.clean import clean_pages, mask_cpr_in_name
from ingest.corrections import apply_corrections
from ingest.loaders import LoadError
from ingest.metadata import canonical_hearing, extract_metadata
from ingest.schema import FileOutcome, IngestReport, Status
from ingest.uploads import discard as discard_uploads

ProgressCallback = Callable[[str, dict], None]
PLAIN_TEXT_SUFFIXES = (".txt", ".md")  # read as they are: a character takes at most 4 bytes
IDLE_SECONDS = 0.5  # while the next file is being read, how often an ingest looks for a writer waiting for the lock


def stored_source(source: str, path: str | None = None) -> str:
    """The name under which a file (or "file#member") is stored in the index: CPR numbers in it masked
    (``[CPR-1a2b3c]``: a tag from the name keeps two files apart). ``path``: the file a member is inside."""
    if path and source.startswith(path):
        return mask_cpr_in_name(path) + mask_cpr_in_name(source[len(path) :])
    return mask_cpr_in_name(source)


def document_id(origin: str, text: str) -> str:
    """A document's id: a hash of where it came from (``canonical_origin``: the file, the mail, or the zip member
    "bundle.zip#svar/brev.pdf", whatever path it was named by) and its cleaned text. Five citizens mailing the
    same text are five documents; the same file re-saved with the same text keeps its id, and so does the same
    file named relative or absolute (one document, two sources). A folder moved elsewhere is new files. (Indexes
    written before this keep their ids, a hash of the text alone, until their file changes: an unchanged file is
    skipped by its byte hash.)"""
    return hashlib.sha256(f"{origin}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


def canonical_origin(source: str, path: str) -> str:
    """Where a letter came from, however its file was named: the file's real path (``svar/a.txt``,
    ``/srv/svar/a.txt`` and ``./svar/../svar/a.txt`` are one file; a link names the file it leads to) and the
    member inside it (``#svar/brev.pdf``). Only hashed into the id, never stored."""
    inner = source[len(path):] if source.startswith(path) else ""
    try:
        return os.path.realpath(path) + inner
    except (OSError, ValueError):
        return source


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
            origin = canonical_origin(item.source, path)
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
                doc_id=document_id(origin, text),
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
    """A zip bundle: its members' documents; refused or failed members (also those the bundle's time budget did not
    reach) are kept for the report (each a failed outcome under its own "bundle.zip#member" source) and noted on the
    zip's own outcome."""
    from ingest.bundles import load_bundle

    # Unpacked here within the zip limits; each member is read in a worker within its own budget, and all of them
    # within the bundle's one time budget (a zip of slow scans takes bundle_seconds, not its members' sum).
    shared = SharedTime.start(settings.bundle_seconds)
    result = load_bundle(data, path, load=lambda payload, name, source: load_file(payload, name, source, settings, shared))
    for member, exc in result.failures:
        reason = message(exc.code, settings.language, **exc.params)
        prepared.member_failures.append((member, reason))
        prepared.warnings.append(f"{member.removeprefix(path + '#')}: {reason}")
    if not result.documents:
        raise LoadError("zip_nothing", failed=len(result.failures))
    return result.documents


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


MIN_ID_PREFIX = 6  # shortest doc_id prefix ``remove`` accepts (ids are 16 hex digits)


class TargetError(PhrasedError, ValueError):
    """A ``remove`` target that is empty, too short or names more than one document: nothing is removed."""


@dataclass(frozen=True)
class Targets:
    """What ``remove`` targets name: whole files (manifest keys), and single documents (doc ids)."""

    files: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()  # targets that name no file or document (said, not silently dropped)


@dataclass(frozen=True)
class PlannedRemoval:
    """One document a removal takes: who sent it and where it came from (its own source)."""

    doc_id: str
    sender: str
    source: str


@dataclass(frozen=True)
class RemovalPlan:
    """Exactly what a removal takes, computed before anything goes (``plan_removal``): the CLI prints it, the
    app's confirmation lists it, and ``remove`` carries out the same plan under the writer lock."""

    targets: Targets
    documents: tuple[PlannedRemoval, ...]

    @property
    def doc_ids(self) -> list[str]:
        return [d.doc_id for d in self.documents]


def resolve_targets(manifest: Manifest, targets: list[str], language: str = "da") -> Targets:
    """What ``remove`` targets name. A file: its source path as stored (also named relative vs. absolute, or
    with its CPR number unmasked) — all of its documents. A document: its doc_id, a doc_id prefix of at least
    MIN_ID_PREFIX characters that names exactly one document, or its own source (a zip member
    "bundle.zip#svar/brev.txt") — that document alone. Every target is checked before anything is removed; an
    empty, too short or ambiguous target raises TargetError. Targets that name nothing are listed as ``unknown``
    (the caller says so). An id is read in any case ("3F2A…" is "3f2a…")."""
    by_abspath = {os.path.abspath(source): source for source in manifest.files}
    by_own_source: dict[str, list[str]] = {}
    for doc_id, record in manifest.documents.items():
        for source in dict.fromkeys([record.source, *record.sources]):
            by_own_source.setdefault(_absolute(source), []).append(doc_id)
    files: list[str] = []
    documents: list[str] = []
    unknown: list[str] = []
    for target in targets:
        wanted = target.strip()
        if not wanted:
            raise TargetError("remove_empty_target", language=language, min=MIN_ID_PREFIX)
        named = next((k for k in (wanted, os.path.normpath(wanted), stored_source(os.path.normpath(wanted)))
                      if k in manifest.files), None)  # a file name with a CPR number is stored masked
        absolute = stored_source(os.path.abspath(wanted))
        if named is None and absolute in by_abspath:  # the same file named relative vs. absolute
            named = by_abspath[absolute]
        if named is not None:
            files.append(named)
            continue
        own = next((by_own_source[k] for k in _spellings(wanted) if k in by_own_source), None)
        if own is not None:  # a document's own source: a zip member, an attachment of an older index
            documents.extend(own)
            continue
        if wanted.lower() in manifest.documents:  # a whole doc_id
            documents.append(wanted.lower())
            continue
        if len(wanted) < MIN_ID_PREFIX:
            raise TargetError("remove_short_prefix", language=language, target=wanted, min=MIN_ID_PREFIX)
        matches = sorted(d for d in manifest.documents if d.startswith(wanted.lower()))
        if not matches:
            unknown.append(wanted)
            continue
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (" …" if len(matches) > 5 else "")
            raise TargetError("remove_ambiguous", language=language, target=wanted, n=len(matches), ids=shown)
        documents.append(matches[0])
    return Targets(files=tuple(dict.fromkeys(files)), doc_ids=tuple(dict.fromkeys(documents)),
                   unknown=tuple(dict.fromkeys(unknown)))


def _absolute(source: str) -> str:
    """A stored source with its file part absolute ("/abs/bundle.zip#svar/brev.txt"), for comparing names."""
    outer, sep, inner = source.partition("#")
    return os.path.abspath(outer) + sep + inner


def _spellings(target: str) -> list[str]:
    """The ways a typed document source can be stored: as typed, or with CPR numbers masked (the file part and
    the member part apart, as ``stored_source`` does), each with its file part absolute."""
    outer, sep, inner = target.partition("#")
    masked = stored_source(os.path.normpath(outer)) + (mask_cpr_in_name(sep + inner) if sep else "")
    return list(dict.fromkeys(_absolute(s) for s in (target, masked)))


def plan_removal(manifest: Manifest, targets: list[str], language: str = "da") -> RemovalPlan:
    """The documents ``remove targets`` takes, with their senders and sources, before anything goes. A named file
    takes its documents (one another file lists too stays, under that name); a named document goes alone (its
    file keeps its other documents). Raises TargetError like ``resolve_targets``."""
    named = resolve_targets(manifest, targets, language)
    files = set(named.files)
    taken = set(named.doc_ids) | {d for key in files for d in manifest.files[key].doc_ids}
    kept = {d for key, record in manifest.files.items() if key not in files for d in record.doc_ids} - set(named.doc_ids)
    documents = tuple(
        PlannedRemoval(doc_id=r.doc_id, sender=r.sender, source=r.source)
        for r in manifest.documents.values()
        if r.doc_id in taken and r.doc_id not in kept
    )
    return RemovalPlan(targets=named, documents=documents)


def preview_removal(targets: list[str], settings: Settings, index: Index | None = None) -> RemovalPlan:
    """What ``remove targets`` would take now (on the committed index; nothing is changed): for a confirmation."""
    return plan_removal((index or Index(settings)).manifest(), targets, settings.language)


def remove_planned(targets: list[str], settings: Settings, index: Index | None = None, *,
                   erase_history: bool = False) -> RemovalPlan:
    """Remove what ``targets`` name (see resolve_targets) and return the plan that was carried out: the removed
    documents with their senders and sources. Raises TargetError (and removes nothing) for an empty, too short or
    ambiguous target.

    The review trail's removal rule (index/review_store.py ``forget_document``): a removed letter's review
    decisions go; its history stays (codes and names, never the letter's text), unless ``erase_history`` (erasure
    on request), which deletes its history rows too.

    Durable like an ingest: the marker is recorded before the commit, so a remove killed after it (rows still
    in Chroma, text still in its files) is finished by the next writer or reader."""
    index = index or Index(settings)
    with IndexWriter(index) as writer:
        listed = set(writer.manifest.files)
        plan = plan_removal(writer.manifest, targets, settings.language)
        named = plan.targets
        removed = set(writer.forget(list(named.files), list(named.doc_ids)))
        if named.files or named.doc_ids:
            writer.commit()
    # An uploaded original goes with its last document (its name may hold a CPR number): issue 21 #6.
    discard_uploads(listed - set(writer.manifest.files), settings.uploads, writer.manifest.files)
    if removed:
        from index.review_store import ReviewStore

        trail = ReviewStore.for_settings(settings)
        if not trail.url.startswith("sqlite:///") or Path(trail.url.removeprefix("sqlite:///")).exists():
            trail.forget_document(sorted(removed), erase=erase_history)  # (no trail yet: nothing to forget)
    return RemovalPlan(named, tuple(d for d in plan.documents if d.doc_id in removed))  # (the same, by construction)


def remove(targets: list[str], settings: Settings, index: Index | None = None) -> list[str]:
    """Remove documents by doc_id (or a unique prefix), by a document's own source or by a file's path (all of its
    documents; see resolve_targets); returns the removed doc ids (``remove_planned`` returns them with senders
    and sources). Raises TargetError (and removes nothing) for an empty, too short or ambiguous target."""
    return remove_planned(targets, settings, index).doc_ids
