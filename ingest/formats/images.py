"""Photographed or scanned letters (PNG, JPEG, TIFF): each frame read with OCR, one page per frame.

The frames are counted and sized from the file's headers before any is decoded, and decoded one at a time
(ingest.formats.ocr), so a many-page TIFF never sits in memory whole. Without OCR an image is refused clearly.
"""

from __future__ import annotations

from ingest.formats import ocr
from ingest.formats.base import LoadError, current_budget, out_of_memory, short_reason
from ingest.schema import LoadedDocument, Page


def load_image(data: bytes, source: str) -> list[LoadedDocument]:
    """A photographed or scanned letter (PNG/JPEG/TIFF), read with OCR; one page per image frame."""
    from PIL import UnidentifiedImageError

    budget = current_budget()
    try:
        image, count = ocr.open_frames(data, budget.max_ocr_pages)
    except LoadError:
        raise
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise LoadError("corrupt_image", error=short_reason(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - PIL raises DecompressionBombError and others
        raise LoadError("corrupt_image", error=short_reason(exc)) from exc
    if not ocr.available():
        raise LoadError("scanned_no_ocr")
    pages: list[Page] = []
    for i in range(count):  # one frame decoded at a time: a many-page TIFF never sits in memory whole
        budget.check_time()
        pages.append(Page(number=i + 1, text=_read_frame(image, i), ocr=True))
    if not any(p.text.strip() for p in pages):
        raise LoadError("no_text_after_ocr")
    return [LoadedDocument(source=source, pages=pages)]


def _read_frame(image, index: int) -> str:
    """One frame decoded and read with OCR; a frame PIL cannot decode or Tesseract cannot read is a LoadError."""
    try:
        decoded = ocr.frame(image, index)
    except MemoryError as exc:
        raise out_of_memory() from exc
    except Exception as exc:  # noqa: BLE001 - a frame PIL cannot decode
        raise LoadError("corrupt_image", error=short_reason(exc)) from exc
    try:
        return ocr.ocr_image(decoded)
    except LoadError:
        raise
    except MemoryError as exc:
        raise out_of_memory() from exc
    except Exception as exc:  # noqa: BLE001
        raise LoadError("ocr_failed", error=short_reason(exc)) from exc
