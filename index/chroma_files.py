"""The embedded store's files, read and changed beside Chroma (a Chroma server keeps its own storage).

``check_database``: ``chroma.sqlite3`` checked for damage before Chroma opens it (``StoreDamagedError`` names
``hoering repair``); ``header_damage`` the O(1) part of that check, also used by the read cache. ``scrub_database``
erases what deleted documents leave in the file; ``delete_orphan_segments`` removes vector-index folders that no
segment of the database names. ``ChromaStore`` (index/store.py) calls them.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

from core.phrases import PhrasedError
from core.settings import Settings

DATABASE = "chroma.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreDamagedError(PhrasedError, RuntimeError):
    """The embedded store's ``chroma.sqlite3`` is damaged (not lost): SQLite's own check fails, or Chroma met
    the damage. Carries the phrase ``chroma_damaged`` naming ``hoering repair``, which moves it aside and
    rebuilds the index from the files the manifest lists."""


def store_damaged(settings: Settings, detail: str) -> StoreDamagedError:
    path = Path(settings.index) / "chroma" / DATABASE
    return StoreDamagedError("chroma_damaged", language=settings.language, path=path, index=Path(settings.index),
                             detail=detail)


def header_damage(path: Path) -> str | None:
    """What the first 100 bytes of an SQLite file say is wrong with it, in O(1): not SQLite at all, or shorter
    than the page count its header gives (truncated). None when they look whole (a page damaged in the middle
    needs ``check_database``); a file that is not there is not this function's business (None)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(100)
    except FileNotFoundError:
        return None
    if size == 0:
        return None  # created, not written yet (Chroma creates the file)
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        return "not an SQLite database"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    valid = head[24:28] == head[92:96]  # the header's page count is kept only when these agree
    if valid and pages and size < pages * page_size:
        return f"truncated: {size} of {pages * page_size} bytes"
    return None


_checked: dict[str, tuple[int, int]] = {}  # database → (size, mtime) last found whole by this process


def check_database(settings: Settings) -> None:
    """Raise ``StoreDamagedError`` when the embedded ``chroma.sqlite3`` is damaged, before Chroma opens it:
    Chroma's native core meets a damaged page with "database disk image is malformed", an unrelated error
    ("Failed to pull logs from the log store") or a Rust panic that prints a backtrace from native code and
    may abort the process — none of which can be turned into one line afterwards. SQLite's
    ``PRAGMA quick_check`` (every page, every b-tree: O(size), see the README's figures) on a read-only
    connection; once per process and state of the file. A missing file is not damage (Chroma creates it; the
    manifest then names the documents to rebuild), nor a file locked by a writer for the whole timeout."""
    path = Path(settings.index) / "chroma" / DATABASE
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    state = (st.st_size, st.st_mtime_ns)
    if _checked.get(str(path)) == state:
        return
    damage = header_damage(path)
    if damage:
        raise store_damaged(settings, damage)
    try:
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=10)) as con:
            con.text_factory = bytes  # a damaged page can hold anything: not decoded as text here
            rows = con.execute("PRAGMA quick_check(1)").fetchall()
            if rows == [(b"ok",)]:
                _decode_small_tables(con)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return  # a writer holds it: not damage (the writer checked it)
        if "readonly" in str(exc):  # a crashed writer's log waits to be replayed, which a read-only look cannot do
            return  # not damage: the next writer (or read-write open) replays it
        raise store_damaged(settings, str(exc)) from exc
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # (SQLite's message itself may not decode)
        raise store_damaged(settings, str(exc)) from exc
    if rows != [(b"ok",)]:
        first = b" ".join(r[0] for r in rows).decode("utf-8", "replace").replace("*** in database main ***", "")
        raise store_damaged(settings, " ".join(first.split())[:120])
    _checked[str(path)] = state


SMALL_TABLES = ("migrations", "tenants", "databases", "collections", "collection_metadata", "segments",
                "segment_metadata")  # what Chroma's native core reads, as text, when it opens the file


def _decode_small_tables(con: sqlite3.Connection) -> None:
    """Every text of the schema and of the small tables Chroma reads at open must be UTF-8 (a flipped byte
    there passes quick_check, and Chroma's core panics on it): sqlite3 raises OperationalError otherwise."""
    con.text_factory = str
    tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in SMALL_TABLES:
        if table in tables:
            con.execute(f'SELECT * FROM "{table}"').fetchall()


def scrub_database(database: Path, live: set[str]) -> None:
    """Erase what deleted documents leave behind in ``database`` (``live``: the documents the committed manifest
    lists): log rows of every other document lose their text and metadata (their vectors stay, so the log still
    replays), the full-text index is merged and the file vacuumed, with SQLite's secure delete on. Raises
    ``sqlite3.OperationalError`` when the file stays locked by another process."""
    with closing(sqlite3.connect(database, timeout=60, isolation_level=None)) as con:
        con.execute("PRAGMA secure_delete = ON")
        rows = con.execute("SELECT seq_id, id FROM embeddings_queue WHERE metadata IS NOT NULL").fetchall()
        # Row ids: "<doc_id>" (document), "<doc_id>:NNNN" (chunk), "<doc_id>:NNNN:sNNN" (sentence).
        seqs = [seq for seq, row_id in rows if row_id.split(":", 1)[0] not in live]
        for start in range(0, len(seqs), 500):
            part = seqs[start : start + 500]
            con.execute(f"UPDATE embeddings_queue SET metadata = NULL WHERE seq_id IN ({','.join('?' * len(part))})", part)
        try:  # drop deleted entries from the full-text index's segments
            con.execute("INSERT INTO embedding_fulltext_search(embedding_fulltext_search) VALUES ('optimize')")
        except sqlite3.DatabaseError:
            pass  # no such table in this Chroma version, or a tokenizer this SQLite lacks: VACUUM still runs
        con.execute("VACUUM")


def delete_orphan_segments(root: Path) -> list[str]:
    """Delete vector-index folders (``<root>/<segment uuid>/``) that no segment of ``<root>/chroma.sqlite3`` names:
    left when that database was lost and recreated; they hold the old vectors (and whatever memory Chroma wrote
    with them). Returns the folder names deleted."""
    with closing(sqlite3.connect(root / DATABASE, timeout=60)) as con:
        live = {row[0] for row in con.execute("SELECT id FROM segments")}
    gone = [p for p in root.iterdir() if p.is_dir() and _is_uuid(p.name) and p.name not in live]
    for folder in gone:
        shutil.rmtree(folder, ignore_errors=True)
    return sorted(p.name for p in gone)


def _is_uuid(name: str) -> bool:
    try:
        return str(uuid.UUID(name)) == name
    except ValueError:
        return False
