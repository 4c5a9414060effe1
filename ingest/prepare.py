"""Preparing one file for the index: reading it (load → clean) and making its documents (metadata → chunks).

``prepare_file`` reads and hashes a file; unless the index already holds it unchanged, ``read_letters`` loads it
in a worker process within the file's budget (ingest.budget; a zip member by member, within the bundle's one time
budget) and cleans each letter, and ``make_document`` describes and chunks each. Nothing here writes: the run
(ingest.pipeline) hands the ``Prepared`` file to the writer. One bad file is a failed outcome, never an exception.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from core.errors import describe_exception
from core.phrases import message, number
from core.settings import Settings
from index.manifest import Manifest
from index.records import Chunk, Document
from ingest.budget import SharedTime, load_file
from ingest.chunking import chunk_document
from ingest.clean import clean_pages
from ingest.formats.base import LoadError
from ingest.formats.bundles import load_bundle
from ingest.metadata import extract_metadata
from ingest.names import canonical_origin, document_id, stored_source
from ingest.schema import LoadedDocument

PLAIN_TEXT_SUFFIXES = (".txt", ".md")  # read as they are: a character takes at most 4 bytes


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

    def member_failed(self, member: str, reason: str) -> None:
        """A zip member or attachment that failed: a failed outcome of its own, and a warning on this file's."""
        self.member_failures.append((member, reason))
        self.warnings.append(f"{member.removeprefix(self.source + '#')}: {reason}")


@dataclass(frozen=True)
class CleanLetter:
    """One letter of a file, read and cleaned: the loaded document under its stored name, where it came from
    (``canonical_origin``), its cleaned text and each page's character span in it."""

    loaded: LoadedDocument
    origin: str
    text: str
    page_spans: list[tuple[int, int]]


def prepare_file(path: str, manifest: Manifest, settings: Settings, splitter, missing: frozenset[str] = frozenset()) -> Prepared:
    """Read, hash and — unless unchanged — load, clean, describe and chunk one file. A file whose documents
    lost their rows in Chroma (``missing``) is never unchanged: it is read again to rebuild them. Loading runs in
    a worker process within the file's budget (settings file_seconds, file_memory_mb, max_ocr_pages,
    max_parse_mb): a file over it gets a failed outcome of its own and the run goes on."""
    prepared = Prepared(source=path, key=stored_source(path))
    data = _file_bytes(path, prepared, settings)
    if data is None:
        return prepared
    prepared.file_hash = hashlib.sha256(data).hexdigest()
    prepared.size = len(data)
    if _unchanged(prepared, manifest, missing):
        prepared.unchanged = True
        return prepared
    try:
        for letter in read_letters(data, prepared, settings):
            prepared.documents.append(make_document(letter, splitter))
            prepared.warnings.extend(letter.loaded.warnings)
    except LoadError as exc:
        prepared.error = message(exc.code, settings.language, **exc.params)
        prepared.documents = []
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the run
        prepared.error = describe_exception(exc, settings.language)  # a decompression bomb: "for kompleks"
        prepared.documents = []
    return prepared


def _file_bytes(path: str, prepared: Prepared, settings: Settings) -> bytes | None:
    """The file's bytes; None (and the reason on ``prepared``) for a name Chroma cannot store, a text file whose
    size alone proves it too long, or a file that cannot be read."""
    language, limit = settings.language, settings.max_document_chars
    if any("\udc80" <= ch <= "\udcff" for ch in path):  # bytes of a name that is not UTF-8 (surrogate-escaped)
        prepared.error = message("bad_file_name", language)  # Chroma cannot store it as a source
        return None
    try:
        size = Path(path).stat().st_size
        if Path(path).suffix.lower() in PLAIN_TEXT_SUFFIXES and (size - 4) // 4 > limit:
            # Its size alone proves the text is over the limit: refused without reading it into memory.
            amount = f"{number(round(size / 2**20), language)} MB" if size >= 2**20 else f"{number(size // 1024, language)} kB"
            prepared.error = message("file_too_long", language, size=amount, limit=number(limit, language))
            return None
        return Path(path).read_bytes()
    except OSError as exc:
        prepared.error = message("unreadable", settings.language, error=exc.strerror or exc)
        return None


def _unchanged(prepared: Prepared, manifest: Manifest, missing: frozenset[str]) -> bool:
    """The index holds this file with these bytes, and all of its documents (none lost in Chroma)."""
    known = manifest.files.get(prepared.key)
    return bool(
        known
        and known.file_hash == prepared.file_hash
        and all(d in manifest.documents for d in known.doc_ids)
        and not missing.intersection(known.doc_ids)
    )


def read_letters(data: bytes, prepared: Prepared, settings: Settings) -> Iterator[CleanLetter]:
    """Reading a file: load → clean. Yields its letters one by one, each under its stored name. A zip member or
    attachment over max_document_chars is noted on ``prepared`` and left out; the file itself over it, or a file
    that yields no letter, raises LoadError."""
    path, language, limit = prepared.source, settings.language, settings.max_document_chars
    too_long: LoadError | None = None
    read = False
    for item in _load(data, prepared, settings):
        length = sum(len(page.text) for page in item.pages)
        if length > limit:
            too_long = LoadError("document_too_long", chars=number(length, language), limit=number(limit, language))
            if item.source == path:
                raise too_long
            prepared.member_failed(item.source, message(too_long.code, language, **too_long.params))
            continue
        letter = _clean(item, path)
        if letter is not None:
            read = True
            yield letter
    if not read:
        raise too_long or LoadError("no_text")


def _load(data: bytes, prepared: Prepared, settings: Settings) -> list[LoadedDocument]:
    """The file's loaded documents: a zip's members, or what the file's format makes of it."""
    if Path(prepared.source).suffix.lower() == ".zip":
        return _load_bundle(data, prepared, settings)
    # Read in a worker process within the file's time and memory budget (ingest.budget).
    return load_file(data, Path(prepared.source).name, prepared.source, settings)


def _load_bundle(data: bytes, prepared: Prepared, settings: Settings) -> list[LoadedDocument]:
    """A zip bundle: its members' documents; refused or failed members (also those the bundle's time budget did not
    reach) are kept for the report (each a failed outcome under its own "bundle.zip#member" source) and noted on the
    zip's own outcome."""
    # Unpacked here within the zip limits; each member is read in a worker within its own budget, and all of them
    # within the bundle's one time budget (a zip of slow scans takes bundle_seconds, not its members' sum).
    shared = SharedTime.start(settings.bundle_seconds)
    result = load_bundle(data, prepared.source, load=lambda payload, name, source: load_file(payload, name, source, settings, shared))
    for member, exc in result.failures:
        prepared.member_failed(member, message(exc.code, settings.language, **exc.params))
    if not result.documents:
        raise LoadError("zip_nothing", failed=len(result.failures))
    return result.documents


def _clean(item: LoadedDocument, path: str) -> CleanLetter | None:
    """A loaded document under its stored name, its pages cleaned; None when no text is left."""
    origin = canonical_origin(item.source, path)
    item = item.model_copy(
        update={
            "source": stored_source(item.source, path),
            "parent_source": stored_source(item.parent_source, path) if item.parent_source else None,
        }
    )
    text, spans = clean_pages(item.pages)
    if not text.strip():
        return None
    return CleanLetter(loaded=item, origin=origin, text=text, page_spans=spans)


def make_document(letter: CleanLetter, splitter) -> tuple[Document, list[Chunk]]:
    """Making a letter's document: its metadata (sender, date, hearing …), then its chunks."""
    item, text = letter.loaded, letter.text
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    meta = extract_metadata(item, text)
    doc = Document(
        doc_id=document_id(letter.origin, text),
        source=item.source,
        content_hash=content_hash,
        pages=len(item.pages),
        text=text,
        page_spans=letter.page_spans,
        parent_source=item.parent_source,
        ocr_pages=[i + 1 for i, page in enumerate(item.pages) if page.ocr],
        **meta.model_dump(),
    )
    return doc, chunk_document(doc, splitter)
