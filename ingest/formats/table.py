"""The table of formats: a file name's ending → its loader, and ``load_bytes``, which reads one file by it.

The endings are core.formats' list (tests/test_phrases.py checks the two agree). The container formats — mails
and zip files — are handed ``load_bytes`` here to read what they hold, so they never import this module.
"""

from __future__ import annotations

from functools import partial
from pathlib import PurePath

from ingest.formats import bundles, mail
from ingest.formats.base import Loader, LoadError
from ingest.formats.images import load_image
from ingest.formats.pdf import load_pdf
from ingest.formats.text import load_html, load_text
from ingest.formats.word import load_docx
from ingest.schema import LoadedDocument


def load_bytes(data: bytes, name: str, source: str) -> list[LoadedDocument]:
    """Load one file's bytes; ``name`` decides the format, ``source`` is recorded for citations."""
    suffix = PurePath(name).suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        raise LoadError("unsupported_type", ext=suffix or name)
    if not data:
        raise LoadError("empty_file")
    return loader(data, source)


LOADERS: dict[str, Loader] = {
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".txt": load_text,
    ".md": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".eml": partial(mail.load_eml, load=load_bytes),
    ".msg": partial(mail.load_msg, load=load_bytes),
    ".zip": partial(bundles.load_zip, load=load_bytes),
    ".png": load_image,
    ".jpg": load_image,
    ".jpeg": load_image,
    ".tif": load_image,
    ".tiff": load_image,
}
