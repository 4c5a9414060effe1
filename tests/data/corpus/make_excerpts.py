"""Rebuild the excerpts in this folder from the shared corpus (README.md here says what was kept and why).

    .venv/bin/python tests/data/corpus/make_excerpts.py ../shared/corpus tests/data/corpus

PDFs: every page (the 28-page minutes: its first 8) with its content streams, resources and ToUnicode maps as in
the original; left out are the embedded font programs (glyph outlines: text extraction reads the ToUnicode maps and
widths, not them), the tagged-PDF structure tree, link annotations and XMP metadata; pictures become 1x1 images.
DOCX: every part as in the original, less the revision ids (w:rsid…, w14:paraId, w14:textId) and with pictures
replaced by a 1x1 image of the same type. The text exports are copied (the minutes': its first 8 pages).
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter

PDFS = {"dagsbil": None, "document": None, "Aarhus_Byråd-Aarhus_Byråd_den_27._august_2025": 8}  # name: pages kept
DOCX = [
    "DA 2 - Bilag 1 - Kundens behov",
    "DA 2 - Bilag 2 Leverandørens besvarelse",
    "DA 2 - Bilag 2.1- n CV'er",
    "DA 2 - Leverancekontrakt Konsulentydelser",
    "DA 2 Miniudbudsbetingelser",
]
_RSID = re.compile(rb' (?:w:rsid\w*|w14:paraId|w14:textId)="[0-9A-Fa-f]+"')
_RSID_LIST = re.compile(rb"<w:rsids>.*?</w:rsids>", re.S)
_IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "GIF", "bmp": "BMP", "tif": "TIFF", "tiff": "TIFF"}


def _white_pixel() -> Image.Image:
    return Image.new("RGB", (1, 1), (255, 255, 255))


def pdf_excerpt(path: Path, dest: Path, pages: int | None) -> None:
    reader = PdfReader(path)
    writer = PdfWriter()
    for page in reader.pages[:pages]:
        writer.add_page(page)
    for page in writer.pages:
        for key in ("/StructParents", "/Annots"):
            if key in page:
                del page[key]
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for ref in fonts.get_object().values() if fonts is not None else []:
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts") or []]
            for descriptor in filter(None, descriptors):
                descriptor = descriptor.get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        del descriptor[key]
        for image in page.images:
            image.replace(_white_pixel())
        page.compress_content_streams(level=9)
    if reader.metadata and reader.metadata.title:
        writer.add_metadata({"/Title": reader.metadata.title})
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "wb") as out:
        writer.write(out)


def _tiny_image(name: str) -> bytes:
    kind = _IMAGE_FORMATS.get(name.rsplit(".", 1)[-1].lower())
    if kind is None:
        return b""
    out = io.BytesIO()
    _white_pixel().save(out, kind)
    return out.getvalue()


def docx_excerpt(path: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("word/media/"):
                data = _tiny_image(info.filename)
            elif info.filename.endswith(".xml"):
                data = _RSID_LIST.sub(b"", _RSID.sub(b"", data))
            out.writestr(info.filename, data)


def main(source: Path, target: Path) -> None:
    for name, pages in PDFS.items():
        pdf_excerpt(source / "aarhus" / "orig" / f"{name}.pdf", target / "aarhus" / "orig" / f"{name}.pdf", pages)
        text = (source / "aarhus" / f"{name}.txt").read_text(encoding="utf-8")
        if pages is not None:  # the export's pages are separated by form feeds
            text = "\f".join(text.split("\f")[:pages])
        (target / "aarhus" / f"{name}.txt").write_text(text, encoding="utf-8")
    for name in DOCX:
        docx_excerpt(source / "udbud" / "orig_docx" / f"{name}.docx", target / "udbud" / "orig_docx" / f"{name}.docx")
        (target / "udbud" / f"{name}.txt").write_bytes((source / "udbud" / f"{name}.txt").read_bytes())


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
