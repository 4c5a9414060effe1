"""PDF letters (pypdf): each page's text layer; pages without one that carry an image are scans, read with OCR.

Pages that draw the same content with the same resources are read once; the unpacked content a file makes the
parser read counts against the budget (base.Parsed), and a stream that unpacks too far is refused as a bomb.
Without OCR a PDF with some text is read with a warning naming the skipped pages; one with none is refused.
"""

from __future__ import annotations

import io

from core.phrases import message
from ingest.formats import ocr
from ingest.formats.base import LoadBudget, LoadError, Parsed, check_ratio, current_budget, out_of_memory, short_reason
from ingest.schema import LoadedDocument, Page


def load_pdf(data: bytes, source: str) -> list[LoadedDocument]:
    """A PDF as one document: its text layer, and its scanned pages read with OCR."""
    budget = current_budget()
    pages, scanned, title = _read_text_layer(data, budget)
    warnings: list[str] = []
    if scanned:
        pages, warnings = _read_scans(data, pages, scanned, budget)
    if not any(p.text.strip() for p in pages):
        raise LoadError("no_text")
    return [LoadedDocument(source=source, pages=pages, title=str(title) if title else None, warnings=warnings)]


def _read_text_layer(data: bytes, budget: LoadBudget) -> tuple[list[Page], list[int], object]:
    """The pages' text, the numbers of the pages that look scanned (no text, an image), and the /Title; a file
    pypdf cannot read is a LoadError."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError

    parsed = Parsed()
    try:
        reader = PdfReader(io.BytesIO(data))
        _decrypt(reader)
        raw_pages = list(reader.pages)
        pages, keys = _page_texts(raw_pages, budget, parsed)
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
        scanned = _scanned(pages, raw_pages, keys, budget, parsed)
    except LoadError:
        raise
    except LimitReachedError as exc:  # pypdf's own guard against decompression bombs
        raise LoadError("content_bomb_limit", error=short_reason(exc)) from exc
    except MemoryError as exc:
        raise out_of_memory() from exc
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError, OSError, RecursionError) as exc:
        raise LoadError("corrupt_pdf", error=short_reason(exc)) from exc
    return pages, scanned, title


def _decrypt(reader) -> None:
    """Open an encrypted PDF with the empty password (what a reader does), or refuse it."""
    if not reader.is_encrypted:
        return
    try:
        ok = reader.decrypt("")
    except Exception:  # noqa: BLE001 - any failure here means: cannot open
        ok = 0
    if not ok:
        raise LoadError("encrypted_pdf")


def _page_texts(raw_pages: list, budget: LoadBudget, parsed: Parsed) -> tuple[list[Page], list[tuple | None]]:
    """Each page's text and its content key. Pages that draw the same content streams with the same resources have
    the same text: read once (a file whose pages all share one large stream no longer costs a full parse per page)."""
    texts: dict[tuple, str] = {}
    keys: list[tuple | None] = []
    pages: list[Page] = []
    for i, raw in enumerate(raw_pages):
        budget.check_time()
        key = _content_key(raw)
        if key is not None and key in texts:
            text = texts[key]
        else:
            parsed.add(_content_size(raw))
            text = raw.extract_text() or ""
            if key is not None:
                texts[key] = text
        keys.append(key)
        pages.append(Page(number=i + 1, text=text))
    return pages, keys


def _scanned(pages: list[Page], raw_pages: list, keys: list[tuple | None], budget: LoadBudget, parsed: Parsed) -> list[int]:
    """The numbers of the pages without a text layer that carry an image: OCR candidates (a blank page is no scan)."""
    scanned: list[int] = []
    images: dict[tuple, bool] = {}
    for page, raw, key in zip(pages, raw_pages, keys):
        if page.text.strip():
            continue
        budget.check_time()
        if key is not None and key in images:
            found = images[key]
        else:
            parsed.add(_content_size(raw))  # listing inline images parses the content again
            found = _has_image(raw)
            if key is not None:
                images[key] = found
        if found:
            scanned.append(page.number)
    return scanned


def _read_scans(data: bytes, pages: list[Page], scanned: list[int], budget: LoadBudget) -> tuple[list[Page], list[str]]:
    """The pages with the scanned ones read by OCR; without OCR the pages as they are and a warning naming the
    skipped ones (or a refusal when no page has text)."""
    if not ocr.available():
        if not any(p.text.strip() for p in pages):
            raise LoadError("scanned_no_ocr")
        return pages, [message("ocr_pages_skipped", "da", pages=", ".join(map(str, scanned)), reason=ocr.status().reason)]
    if len(scanned) > budget.max_ocr_pages:
        raise LoadError("too_many_ocr_pages", count=len(scanned), limit=budget.max_ocr_pages)
    try:
        texts_by_page = ocr.ocr_pdf_pages(data, scanned)
    except LoadError:
        raise
    except MemoryError as exc:
        raise out_of_memory() from exc
    except Exception as exc:  # noqa: BLE001 - a renderer/Tesseract failure is this file's outcome
        raise LoadError("ocr_failed", error=short_reason(exc)) from exc
    pages = [
        p.model_copy(update={"text": texts_by_page[p.number], "ocr": True}) if p.number in texts_by_page else p
        for p in pages
    ]
    if not any(p.text.strip() for p in pages):
        raise LoadError("no_text_after_ocr")  # blank scans: OCR ran and read nothing
    return pages, []


def _has_image(page) -> bool:
    """Whether a PDF page draws an image (XObject or inline); on doubt True, so a scan is never skipped."""
    try:
        return len(page.images) > 0
    except LoadError:
        raise
    except Exception:  # noqa: BLE001 - pypdf cannot list them: assume a scan
        return True


def _ref(value, depth: int = 0) -> object:
    """A PDF object's identity: its object number when indirect; a direct dictionary or array (a page's own
    /Resources) by what it holds, so equal resources written out on every page still match."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    if isinstance(value, IndirectObject):
        return ("ref", value.idnum, value.generation)
    if depth > 4 or isinstance(value, StreamObject):
        return ("obj", id(value))
    if isinstance(value, DictionaryObject):
        return tuple(sorted((str(k), _ref(v, depth + 1)) for k, v in value.items()))
    if isinstance(value, ArrayObject):
        return tuple(_ref(v, depth + 1) for v in value)
    return repr(value)[:200]


def _content_key(page) -> tuple | None:
    """What a page's text depends on: its content streams, its resources and its rotation; None when the
    contents are not indirect objects (nothing to share, nothing to cache)."""
    from pypdf.generic import ArrayObject, IndirectObject

    contents = page.raw_get("/Contents") if "/Contents" in page else None
    if isinstance(contents, IndirectObject):
        resolved = contents.get_object()
        parts = [contents] if not isinstance(resolved, ArrayObject) else list(resolved)
    elif isinstance(contents, ArrayObject):
        parts = list(contents)
    else:
        return None
    if not all(isinstance(part, IndirectObject) for part in parts):
        return None
    resources = page.raw_get("/Resources") if "/Resources" in page else None
    return (tuple(_ref(part) for part in parts), _ref(resources), repr(page.get("/Rotate", 0)))


def _content_size(page) -> int:
    """Unpacked size of what reading a page parses: its content streams and the form XObjects they can draw
    (which the text extraction parses too). A stream that unpacks suspiciously far (more than the bundle
    limit's ratio, as a zip member would) is refused as a decompression bomb."""
    from pypdf.generic import ArrayObject

    if "/Contents" not in page:
        return 0
    resolved = page["/Contents"]
    streams = [part.get_object() for part in resolved] if isinstance(resolved, ArrayObject) else [resolved.get_object()]
    return sum(_stream_size(stream) for stream in streams) + _forms_size(page.get("/Resources"), 0, set())


def _forms_size(resources, depth: int, seen: set[int]) -> int:
    """Unpacked size of the form XObjects in ``resources`` (and in theirs, a few levels down), each once."""
    from pypdf.generic import DictionaryObject

    if depth > 3 or resources is None:
        return 0
    resources = resources.get_object()
    xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(xobjects, DictionaryObject):
        return 0
    total = 0
    for value in xobjects.values():
        form = value.get_object()
        if id(form) in seen or not isinstance(form, DictionaryObject) or form.get("/Subtype") != "/Form":
            continue
        seen.add(id(form))
        total += _stream_size(form) + _forms_size(form.get("/Resources"), depth + 1, seen)
    return total


def _stream_size(stream) -> int:
    if not hasattr(stream, "get_data"):
        return 0
    size = len(stream.get_data())
    check_ratio(size, len(getattr(stream, "_data", b"") or b""))
    return size
