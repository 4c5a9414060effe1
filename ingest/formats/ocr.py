"""Optional OCR with Tesseract's Danish model: scanned PDF pages (those without a text layer) and images.

Tesseract is a system program (Debian: ``tesseract-ocr`` and ``tesseract-ocr-dan``), driven through
``pytesseract``; PDF pages are rendered with ``pypdfium2``. Everything here is optional at run time:
:func:`status` says whether OCR can run and, if not, why — the PDF and image loaders then give a clear outcome.
Imports only ingest.formats.base of the project.
"""

from __future__ import annotations

import io
import shutil
import threading
from dataclasses import dataclass

from ingest.formats.base import LoadError, current_budget

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
    """Text of one PIL image with the Danish model (automatic page segmentation), within the file's time budget
    (ingest.formats.base.LoadBudget): Tesseract is stopped when the budget runs out."""
    import pytesseract

    budget = current_budget()
    budget.check_time()
    left = budget.left()
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    try:
        return pytesseract.image_to_string(image, lang=LANGUAGE, config="--psm 3", timeout=max(1, int(left)) if left is not None else 0)
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():  # pytesseract's "Tesseract process timeout"
            raise LoadError("file_too_slow", seconds=f"{budget.seconds:g}") from exc
        raise


def ocr_pdf_pages(data: bytes, numbers: list[int]) -> dict[int, str]:
    """OCR the given 1-based pages of a PDF (rendered at RENDER_DPI, less for a page so large that it would be
    over MAX_IMAGE_PIXELS); {page number: text}."""
    import pypdfium2 as pdfium

    out: dict[int, str] = {}
    pdf = pdfium.PdfDocument(data)
    try:
        for number in numbers:
            page = pdf[number - 1]
            try:
                width, height = page.get_size()  # in points (1/72 inch)
                scale = RENDER_DPI / 72
                pixels = max(1.0, width * scale) * max(1.0, height * scale)
                if pixels > MAX_IMAGE_PIXELS:
                    scale *= (MAX_IMAGE_PIXELS / pixels) ** 0.5
                bitmap = page.render(scale=scale, grayscale=True)
                out[number] = ocr_image(bitmap.to_pil())
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def open_frames(data: bytes, max_frames: int):
    """Open an image file (PNG/JPEG: one frame; a multi-page TIFF: one per page) without decoding it, and check
    from its headers alone that it has at most ``max_frames`` frames of at most MAX_IMAGE_PIXELS each.
    Returns (image, number of frames); decode each with :func:`frame`, one at a time (bounded memory)."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    image = Image.open(io.BytesIO(data))
    count = int(getattr(image, "n_frames", 1) or 1)
    if count > max_frames:
        raise LoadError("too_many_ocr_pages", count=count, limit=max_frames)
    for index in range(count):  # PIL checks only the first frame's size when it opens the file
        if count > 1:
            image.seek(index)
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise Image.DecompressionBombError(
                f"Image size ({width * height} pixels) exceeds limit of {MAX_IMAGE_PIXELS} pixels, could be decompression bomb DOS attack."
            )
    if count > 1:
        image.seek(0)
    return image, count


def frame(image, index: int):
    """Frame ``index`` of an image from :func:`open_frames`, decoded."""
    if getattr(image, "n_frames", 1) > 1:
        image.seek(index)
    return image.copy()

