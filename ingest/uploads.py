"""Files dropped into the app: size-checked, with sanitised names (no path traversal), kept in the uploads folder."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path, PurePath

from core.phrases import PhrasedError
from ingest.loaders import SUPPORTED_SUFFIXES


MAX_NAME_BYTES = 150  # well below the 255-byte limit of file systems, with room for a "-<hash>" suffix


class UploadError(PhrasedError, ValueError):
    """An upload refused: a phrase key and its parameters, rendered in the user's language by the app; ``str()``
    keeps the English words."""

    default_language = "en"


def safe_name(name: str) -> str:
    """A file name without directories, '..', control characters or shell-hostile characters (æøå kept)."""
    base = PurePath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
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
