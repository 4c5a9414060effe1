"""A local read cache of the committed index: what a snapshot holds, in files a reader maps instead of reading Chroma.

Chroma stays the system of record. For one committed manifest the cache holds, in one folder:

    meta.json             format, index identity, version, manifest fingerprint, counts, and the exact size and
                          CRC-32 of every file below
    manifest.json         the manifest it was built from (a later writer reuses the rows of unchanged documents)
    vectors.npy           chunk vectors, unit length, float32 (n × dim) — memory-mapped by readers
    sentence_vectors.npy  sentence vectors (m × dim) — memory-mapped (absent when chunks stand in for sentences)
    sentences.npy         (m × 3) int64: chunk row, start and end of each sentence, in row order
    statements.npy        (m) bool: whether each sentence can be evidence (index/statements.py)
    rows.npy              (n × 6) int64: document (its position in ``docs``), index, start, end, page, ocr
    texts.txt             the chunk texts, concatenated (UTF-8); text_offsets.npy: their byte offsets (n + 1)
    chunks.json           chunk ids, documents in order of their first row, pages and page breaks as Chroma
                          stores them ("2,3")

Nothing is pickled: reading the cache runs no code from the index folder (numpy with ``allow_pickle=False``,
JSON and text only). The document metadata of every row comes from the committed manifest, as on the Chroma path.

Where: ``<root>/<identity>/v<version>-<fingerprint>/``; root is ``HOERING_CACHE_DIR`` or ``<index>/read-cache``;
identity names the store (the embedded Chroma folder, or the server, tenant, database and collection prefix).
A folder is written under a temporary name and renamed into place (atomic). A reader uses only the folder of
exactly the committed version and manifest fingerprint (the manifest file's mtime and size beside an embedded
index, a hash of its content in a Chroma server), so a cache of another commit — an older version, or an index
rebuilt to the same version number — is never read. Anything wrong with it (a file missing, a size, shape,
dtype, count or checksum that disagrees) makes the reader discard the folder (with a log line) and fall back to
Chroma, and the snapshot read there is written again. Every file is checked against its CRC-32 when the folder
is opened: the memory-mapped vectors too (read once in blocks, not through the mapping), so a shifted column in
``rows.npy`` or a NaN written into the vectors is never served; vectors that are not finite are never written. Writing a new version deletes the older ones (and, under the default root, caches of copies of
the index made elsewhere), so a removed letter's text does not stay behind in the cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.phrases import message
from index.manifest import Manifest
from index.records import ChunkRecord, committed_fields
from index.chroma_files import DATABASE, header_damage

if TYPE_CHECKING:
    from index.index import Index

# 7: lines about the letter itself ("Høringssvaret er fremlagt for …", issue 22) are not statements;
# 6: rows in the order of their documents' content hash (not of doc ids, which hash a file's path); 5: keyword lists with commas or a label ("Nøgleord: …") are not statements; 4: statements.npy judged by the rules of issue 21 (another party's words reported, keyword lists are not
# statements); 3: a CRC-32 of every file (2 had them of the texts and the chunk list only). An older cache is
# written again.
FORMAT = 7
ROOT_NAME = "read-cache"
TEMP_PREFIX = ".tmp-"
STALE_TEMP_SECONDS = 3600  # a temporary folder this old belongs to a writer that died: removed
ROW_FIELDS = ("doc", "index", "start", "end", "page", "ocr")  # the columns of rows.npy
CHECK_BLOCK = 8 << 20  # bytes read at a time when a file's CRC-32 is checked (the mapping is not touched)

log = logging.getLogger("hoering.read_cache")


def cache_root(settings) -> Path:
    return Path(settings.cache_dir) if getattr(settings, "cache_dir", None) else Path(settings.index) / ROOT_NAME


def identity(settings) -> str:
    """What the cached rows were read from: the embedded Chroma folder, or the server and its collections."""
    if settings.chroma_host:
        scheme = "https" if settings.chroma_ssl else "http"
        return (f"server:{scheme}://{settings.chroma_host}:{settings.chroma_port}/{settings.chroma_tenant}/"
                f"{settings.chroma_database}/{settings.chroma_prefix}")
    return f"embedded:{(Path(settings.index) / 'chroma').resolve()}/{settings.chroma_prefix}"


def _digest(text: str, n: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


def fingerprint(index: Index, manifest: Manifest) -> str:
    """What tells this commit from another with the same version number (an index rebuilt from scratch): the
    manifest file's mtime and size beside an embedded index (taken after the manifest was read: a commit in
    between makes it disagree, never agree wrongly), a hash of the manifest in a Chroma server."""
    if index.settings.chroma_host:
        return "sha256:" + _digest(manifest.model_dump_json(), 32)
    st = index.manifest_path.stat()
    return f"file:{st.st_mtime_ns}:{st.st_size}"


def _identity_dir(settings) -> Path:
    return cache_root(settings) / _digest(identity(settings))


def _folder_name(version: int, print_: str) -> str:
    return f"v{version:010d}-{_digest(print_, 12)}"


def _version_of(name: str) -> int | None:
    if not name.startswith("v") or "-" not in name:
        return None
    try:
        return int(name[1:].split("-", 1)[0])
    except ValueError:
        return None


# --- reading -------------------------------------------------------------------------------------------------------


class CachedTexts(Sequence):
    """The snapshot's ``texts`` read from the cache: one text is decoded when it is asked for."""

    def __init__(self, data: bytes, offsets: list[int]) -> None:
        self._data, self._offsets = data, offsets

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = range(len(self))[i]  # negative indices; IndexError beyond the end
        return self._data[self._offsets[i] : self._offsets[i + 1]].decode("utf-8", "surrogatepass")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]


class CachedRecords(Sequence):
    """The snapshot's ``records`` read from the cache: a ChunkRecord is made when a row is asked for (a search
    reads a handful), exactly as the Chroma path makes it (the row's stored fields and the manifest's metadata)."""

    def __init__(self, docs: list[str], rows: np.ndarray, pages: list[str], breaks: list[str], manifest: Manifest) -> None:
        self._docs, self._rows, self._pages, self._breaks = docs, rows, pages, breaks
        self._manifest = manifest
        self._committed: dict[int, dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        doc, index, start, end, page, ocr = self._rows[i].tolist()
        committed = self._committed.get(doc)
        if committed is None:
            committed = self._committed[doc] = committed_fields(self._manifest.documents[self._docs[doc]])
        meta = {"doc_id": self._docs[doc], "index": index, "start": start, "end": end, "page": page,
                "pages": self._pages[i], "page_breaks": self._breaks[i], **({"ocr": True} if ocr else {})}
        return ChunkRecord.from_chroma({**meta, **committed})

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]


@dataclass
class CachedRows:
    """What a snapshot is made of, as read from the cache."""

    version: int
    ids: list[str]
    texts: CachedTexts
    records: CachedRecords
    vectors: np.ndarray
    sentence_rows: np.ndarray
    sentence_spans: np.ndarray
    sentence_vectors: np.ndarray
    statements: np.ndarray
    docs: list[str]  # documents in order of their first row
    doc_codes: np.ndarray  # per row: its document's position in ``docs``
    sentences_are_chunks: bool
    folder: Path


def load(index: Index, manifest: Manifest) -> CachedRows | None:
    """The cached rows of exactly this committed manifest, or None (no cache, another commit's, or damaged: a
    damaged folder is deleted so that the snapshot read from Chroma can be written in its place)."""
    settings = index.settings
    if not manifest.documents:
        return None
    if not settings.chroma_host:
        database = Path(settings.index) / "chroma" / DATABASE
        if not database.exists() or header_damage(database):
            return None  # Chroma lost or truncated: the reader must meet it (and be told the command), not the cache
    try:
        print_ = fingerprint(index, manifest)
    except OSError:
        return None
    folder = _identity_dir(settings) / _folder_name(manifest.version, print_)
    if not folder.is_dir():
        return None
    try:
        return _read(folder, settings, manifest, print_)
    except Exception as exc:  # noqa: BLE001 - any damage: fall back to Chroma (and rebuild the cache)
        _discard(folder, exc, settings)
        return None


def _discard(folder: Path, reason: Exception, settings) -> None:
    """Delete a damaged cache folder and say so in the log (the reader goes on from Chroma)."""
    shutil.rmtree(folder, ignore_errors=True)
    language = getattr(settings, "language", "da")
    log.warning(message("read_cache_discarded", language, folder=folder, reason=f"{type(reason).__name__}: {reason}"))


def latest(index: Index) -> tuple[Manifest, CachedRows] | None:
    """The newest cache of this index, whatever its version, with the manifest it was built from (a writer
    reuses its unchanged documents' rows)."""
    settings = index.settings
    base = _identity_dir(settings)
    try:
        folders = sorted((p for p in base.iterdir() if _version_of(p.name) is not None), key=lambda p: p.name)
    except OSError:
        return None
    for folder in reversed(folders):
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            manifest = Manifest.model_validate_json(_checked_bytes(folder, "manifest.json", meta))
            return manifest, _read(folder, settings, manifest, meta["fingerprint"])
        except Exception:  # noqa: BLE001 - damaged (never reused by a writer): try an older one
            continue
    return None


def _crc32_of(path: Path) -> int:
    """The CRC-32 of a file, read in blocks into one buffer (a mapped file's pages are not made part of the
    process: its resident memory stays what the search touches)."""
    crc = 0
    buffer = bytearray(CHECK_BLOCK)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buffer):
            crc = zlib.crc32(view[:n], crc)
    return crc


def _check_size(folder: Path, name: str, meta: dict) -> Path:
    path = folder / name
    if path.stat().st_size != meta["sizes"][name]:
        raise ValueError(f"{name}: size differs")
    return path


def _checked_bytes(folder: Path, name: str, meta: dict) -> bytes:
    """A small file's bytes, after its size and CRC-32 agree with the meta."""
    data = _check_size(folder, name, meta).read_bytes()
    if zlib.crc32(data) != meta["crc32"][name]:
        raise ValueError(f"{name}: checksum differs")
    return data


def _array(folder: Path, name: str, meta: dict, shape: tuple, dtype: str, mmap: bool = False) -> np.ndarray:
    path = _check_size(folder, name, meta)
    if _crc32_of(path) != meta["crc32"][name]:
        raise ValueError(f"{name}: checksum differs")
    array = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    if array.shape != shape or array.dtype != np.dtype(dtype):
        raise ValueError(f"{name}: {array.shape} {array.dtype}, expected {shape} {dtype}")
    return np.asarray(array)  # a plain ndarray (a view of the mapping when mapped)


def _read(folder: Path, settings, manifest: Manifest, print_: str) -> CachedRows:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    if (meta.get("format"), meta.get("identity"), meta.get("version"), meta.get("fingerprint")) != (
        FORMAT, identity(settings), manifest.version, print_
    ):
        raise ValueError("another commit's cache")
    n, m, dim = int(meta["rows"]), int(meta["sentences"]), int(meta["dim"])
    if n != sum(record.chunks for record in manifest.documents.values()):
        raise ValueError("row count differs from the manifest")
    chunk_bytes = _checked_bytes(folder, "chunks.json", meta)
    text_bytes = _checked_bytes(folder, "texts.txt", meta)
    chunks = json.loads(chunk_bytes)
    ids, docs, pages, breaks = chunks["ids"], chunks["docs"], chunks["pages"], chunks["page_breaks"]
    if not (len(ids) == len(pages) == len(breaks) == n) or set(docs) - set(manifest.documents):
        raise ValueError("chunk list differs")
    offsets = _array(folder, "text_offsets.npy", meta, (n + 1,), "int64").tolist()
    if offsets[0] != 0 or offsets[-1] != len(text_bytes) or any(b < a for a, b in zip(offsets, offsets[1:])):
        raise ValueError("text offsets differ")
    texts = CachedTexts(text_bytes, offsets)
    rows = _array(folder, "rows.npy", meta, (n, len(ROW_FIELDS)), "int64")
    doc_codes = np.ascontiguousarray(rows[:, 0])
    if n and (doc_codes.min() < 0 or doc_codes.max() >= len(docs)):
        raise ValueError("document codes out of range")
    vectors = _array(folder, "vectors.npy", meta, (n, dim), "float32", mmap=True)
    sentences = _array(folder, "sentences.npy", meta, (m, 3), "int64")
    statements = _array(folder, "statements.npy", meta, (m,), "bool")
    chunks_only = bool(meta["sentences_are_chunks"])
    sentence_vectors = vectors if chunks_only else _array(folder, "sentence_vectors.npy", meta, (m, dim), "float32", mmap=True)
    return CachedRows(
        version=manifest.version, ids=ids, texts=texts, records=CachedRecords(docs, rows, pages, breaks, manifest),
        vectors=vectors, sentence_rows=np.ascontiguousarray(sentences[:, 0]),
        sentence_spans=np.ascontiguousarray(sentences[:, 1:3]), sentence_vectors=sentence_vectors,
        statements=statements, docs=docs, doc_codes=doc_codes, sentences_are_chunks=chunks_only, folder=folder,
    )


# --- writing -------------------------------------------------------------------------------------------------------


def save(index: Index, snap) -> Path | None:
    """Write the cache of a snapshot read from Chroma (best effort: any failure leaves no cache, never an error).
    Skipped when another commit happened meanwhile; older caches of this index are deleted first."""
    settings = index.settings
    manifest = snap.manifest
    try:
        print_ = fingerprint(index, manifest)
        if index.version() != manifest.version or fingerprint(index, manifest) != print_:
            return None  # the index moved on: this snapshot's cache would never be read
        base = _identity_dir(settings)
        final = base / _folder_name(manifest.version, print_)
        purge(index, keep=final.name)
        if not manifest.documents:
            return None
        if final.is_dir():
            return final
        base.mkdir(parents=True, exist_ok=True)
        tmp = base / f"{TEMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
        tmp.mkdir()
        try:
            _write(tmp, snap, identity(settings), print_)
            if index.version() != manifest.version:
                raise FileExistsError("the index moved on")
            os.rename(tmp, final)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            return final if final.is_dir() else None
        return final
    except Exception:  # noqa: BLE001 - the cache is an optimisation: never fail a read or a commit over it
        return None


def _write(folder: Path, snap, ident: str, print_: str) -> None:
    n = len(snap.ids)
    docs: dict[str, int] = {}
    rows = np.zeros((n, len(ROW_FIELDS)), dtype=np.int64)
    pages, breaks = [], []
    for i, r in enumerate(snap.records):
        rows[i] = (docs.setdefault(r.doc_id, len(docs)), r.index, r.start, r.end, r.page, int(r.ocr))
        pages.append(",".join(str(p) for p in r.pages))
        breaks.append(",".join(str(b) for b in r.page_breaks))
    encoded = [t.encode("utf-8", "surrogatepass") for t in snap.texts]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(t) for t in encoded], out=offsets[1:])
    text_bytes = b"".join(encoded)
    chunk_bytes = json.dumps({"ids": list(snap.ids), "docs": list(docs), "pages": pages, "page_breaks": breaks},
                             ensure_ascii=False).encode("utf-8", "surrogatepass")
    dim = int(snap.vectors.shape[1]) if snap.vectors.ndim == 2 else 0
    sentences = np.column_stack([snap.sentence_rows, snap.sentence_spans]).astype(np.int64).reshape(-1, 3)
    files: dict[str, Any] = {
        "vectors.npy": np.ascontiguousarray(snap.vectors, dtype=np.float32),
        "sentences.npy": sentences,
        "statements.npy": np.asarray(snap.statements, dtype=bool),
        "rows.npy": rows,
        "text_offsets.npy": offsets,
    }
    if not snap.sentences_are_chunks:
        files["sentence_vectors.npy"] = np.ascontiguousarray(snap.sentence_vectors, dtype=np.float32)
    for name in ("vectors.npy", "sentence_vectors.npy"):
        if name in files and not np.isfinite(files[name]).all():
            raise ValueError(f"{name}: not finite")  # a NaN or inf would rank silently wrong: no cache
    for name, array in files.items():
        np.save(folder / name, array, allow_pickle=False)
    (folder / "texts.txt").write_bytes(text_bytes)
    (folder / "chunks.json").write_bytes(chunk_bytes)
    (folder / "manifest.json").write_text(snap.manifest.model_dump_json(), encoding="utf-8")
    names = [*files, "texts.txt", "chunks.json", "manifest.json"]
    meta = {
        "format": FORMAT, "identity": ident, "version": snap.manifest.version, "fingerprint": print_,
        "rows": n, "sentences": int(len(sentences)), "dim": dim, "sentences_are_chunks": bool(snap.sentences_are_chunks),
        "sizes": {name: (folder / name).stat().st_size for name in names},
        "crc32": {name: _crc32_of(folder / name) for name in names},  # of the bytes on disk, as a reader checks
        "written": time.time(),
    }
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def purge(index: Index, keep: str | None = None) -> list[Path]:
    """Delete caches no reader will use: this index's older commits (all but the folder ``keep`` and newer ones),
    temporary folders of writers that died, and — under the default root inside the index folder — caches of
    other identities (left there when the folder was copied). Returns what was deleted."""
    settings = index.settings
    base = _identity_dir(settings)
    gone: list[Path] = []
    root = cache_root(settings)
    if not root.is_dir():
        return gone
    if not getattr(settings, "cache_dir", None):
        for other in root.iterdir():
            if other.is_dir() and other != base:
                gone.append(other)
    keep_version = _version_of(keep) if keep else None
    if base.is_dir():
        now = time.time()
        for folder in base.iterdir():
            if folder.name.startswith(TEMP_PREFIX):
                if now - folder.stat().st_mtime > STALE_TEMP_SECONDS:
                    gone.append(folder)
                continue
            version = _version_of(folder.name)
            if folder.name != keep and (version is None or keep_version is None or version <= keep_version):
                gone.append(folder)
    for folder in gone:
        shutil.rmtree(folder, ignore_errors=True)
    return gone
