"""The file formats the product reads: one list, from which the loaders, the upload widget, the CLI help and the
"unsupported file type" message all take theirs (so they can never disagree)."""

from __future__ import annotations

# Format name -> the file name endings read as that format (an alias such as .htm or .jpg beside the usual one).
FORMATS: dict[str, tuple[str, ...]] = {
    "PDF": (".pdf",),
    "DOCX": (".docx",),
    "TXT": (".txt",),
    "MD": (".md",),
    "HTML": (".html", ".htm"),
    "EML": (".eml",),
    "MSG": (".msg",),
    "ZIP": (".zip",),
    "PNG": (".png",),
    "JPEG": (".jpg", ".jpeg"),
    "TIFF": (".tif", ".tiff"),
}

SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(suffix for suffixes in FORMATS.values() for suffix in suffixes)
IMAGE_SUFFIXES: tuple[str, ...] = FORMATS["PNG"] + FORMATS["JPEG"] + FORMATS["TIFF"]
FORMAT_NAMES: tuple[str, ...] = tuple(FORMATS)
