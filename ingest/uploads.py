"""Files dropped into the app: size-checked, with sanitised names (no path traversal, CPR numbers masked), kept
in the uploads folder while the index lists them: an upload whose ingest failed is deleted at once
(``discard``), and an uploaded file goes when its last document is removed (``ingest.removal.remove``)."""

from __future__ import annotations

import hashlib
import re
import os
import unicodedata
from collections.abc import Collection, Iterable
from pathlib import Path, PurePath

from core.phrases import PhrasedError
from ingest.clean import mask_cpr_in_name
from core.formats import SUPPORTED_SUFFIXES


MAX_NAME_BYTES = 150  # well below the 255-byte limit of file systems, with room for a "-<hash>" suffix


class UploadError(PhrasedError, ValueError):
    """An upload refused: a phrase key and its parameters, rendered in the user's language by the app; ``str()``
    keeps the English words."""

    default_language = "en"


def safe_name(name: str) -> str:
    """A file name without directories, '..', control characters or shell-hostile characters (æøå kept), and
    with CPR numbers masked (``_CPR-1a2b3c_``: the file is kept, and listed in the index, under that name)."""
    base = PurePath(name.replace("\\", "/")).name
    base = mask_cpr_in_name(unicodedata.normalize("NFC", base))
    base = re.sub(r"[^\w.\- ()æøåÆØÅ]", "_", base).strip(" .")
    base = re.sub(r"\.{2,}", ".", base)
    if len(base.encode("utf-8")) > MAX_NAME_BYTES:  # shorten the stem, keep the file type
        suffix = PurePath(base).suffix if len(PurePath(base).suffix) <= 10 else ""
        stem = base[: len(base) - len(suffix)]
        while stem and len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
            stem = stem[:-1]
        base = stem.rstrip(" .") + suffix
    return base or "upload"


def save_upload(name: str, data: bytes, folder: Path, max_bytes: int) -> Path:
    """Write an uploaded file into ``folder``; same name with other content gets a content-hash suffix."""
    if len(data) > max_bytes:
        raise UploadError("upload_too_large", name=name, mb=max_bytes // (1024 * 1024))
    clean = safe_name(name)
    if PurePath(clean).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UploadError("upload_unsupported", name=name)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / clean
    if target.exists() and target.read_bytes() != data:
        digest = hashlib.sha256(data).hexdigest()[:8]
        target = folder / f"{PurePath(clean).stem}-{digest}{PurePath(clean).suffix}"
    if not target.resolve().is_relative_to(folder.resolve()):
        raise UploadError("upload_bad_name", name=name)
    target.write_bytes(data)
    return target


def discard(paths: Iterable[str | Path], folder: Path, listed: Collection[str]) -> list[Path]:
    """Delete the files among ``paths`` that lie in the uploads ``folder`` and that the index does not list
    (``listed``: the manifest's file names): an upload whose ingest failed, or one whose last document was
    removed. Files elsewhere (a folder ingested from the command line) are never touched. Returns the deleted."""
    root = Path(folder).resolve()
    deleted = []
    for raw in paths:
        path = Path(os.path.normpath(str(raw)))
        if mask_cpr_in_name(str(path)) in listed or path.is_symlink() or not path.is_file():
            continue
        if path.resolve().parent != root:  # only files saved by save_upload (directly in the folder)
            continue
        path.unlink(missing_ok=True)
        deleted.append(path)
    return deleted
