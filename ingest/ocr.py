"""Optional OCR with Tesseract's Danish model: scanned PDF pages (those without a text layer) and images.

Tesseract is a system program (Debian: ``tesseract-ocr`` and ``tesseract-ocr-dan``), driven through
``pytesseract``; PDF pages are rendered with ``pypdfium2``. Everything here is optional at run time:
:func:`status` says whether OCR can run and, if not, why — the loaders then give a clear outcome.
"""

from __future__ import annotations

import io
import shutil
import threading
from dataclasses import dataclass

LANGUAGE = "dan"
RENDER_DPI = 300  # Tesseract reads letter-size print best at 300 dpi
MAX_IMAGE_PIXELS = 60_000_000  # a page at 300 dpi is ~9 Mpx; refuse absurd images (decompression bombs)


@dataclass(frozen=True)
class OcrStatus:
    available: bool
    reason: str = ""  # why not, in plain words (English; for logs and the report's detail)


_lock = threading.Lock()
_cached: OcrStatus | None = None


def status(refresh: bool = False) -> OcrStatus:
    """Whether OCR can run here: pytesseract importable, the tesseract binary found, and its 'dan' data."""
    global _cached
    with _lock:
        if _cached is None or refresh:
            _cached = _probe()
        return _cached


def available() -> bool:
    return status().available


def _probe() -> OcrStatus:
    try:
        import pytesseract
    except ImportError:
        return OcrStatus(False, "the Python package pytesseract is not installed")
    if shutil.which("tesseract") is None:
        return OcrStatus(False, "the tesseract program is not installed (apt-get install tesseract-ocr tesseract-ocr-dan)")
    try:
        languages = pytesseract.get_languages(config="")
    except Exception as exc:  # noqa: BLE001 - a broken installation: treat as unavailable
        return OcrStatus(False, f"tesseract does not run: {exc}")
    if LANGUAGE not in languages:
        return OcrStatus(False, "tesseract has no Danish language data (apt-get install tesseract-ocr-dan)")
    return OcrStatus(True)


def ocr_image(image) -> str:
    """Text of one PIL image with the Danish model (automatic page segmentation)."""
    import pytesseract

    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    return pytesseract.image_to_string(image, lang=LANGUAGE, config="--psm 3")


def ocr_pdf_pages(data: bytes, numbers: list[int]) -> dict[int, str]:
    """OCR the given 1-based pages of a PDF (rendered at RENDER_DPI); {page number: text}."""
    import pypdfium2 as pdfium

    out: dict[int, str] = {}
    pdf = pdfium.PdfDocument(data)
    try:
        for number in numbers:
            page = pdf[number - 1]
            try:
                bitmap = page.render(scale=RENDER_DPI / 72, grayscale=True)
                out[number] = ocr_image(bitmap.to_pil())
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def image_pages(data: bytes) -> list:
    """The frames of an image file as PIL images (PNG/JPEG: one; a multi-page TIFF: one per page)."""
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    image = Image.open(io.BytesIO(data))
    frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    return frames or [image]
