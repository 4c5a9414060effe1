"""How a file and its letters are named in the index: the stored source (CPR numbers masked), the canonical origin
(the file's real path, whatever it was named by) and the document id (a hash of the origin and the text).

Used where a file is prepared (ingest.prepare), where an ingest looks up the files it knows (ingest.pipeline) and
where a removal resolves what it was told to remove (ingest.removal).
"""

from __future__ import annotations

import hashlib
import os

from ingest.clean import mask_cpr_in_name


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
