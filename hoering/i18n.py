"""User-facing messages, Danish first, English available. One table, looked up by key."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "unsupported_type": {
        "da": "filtypen understøttes ikke ({ext}); understøttet: PDF, DOCX, TXT, MD, HTML, EML",
        "en": "unsupported file type ({ext}); supported: PDF, DOCX, TXT, MD, HTML, EML",
    },
    "empty_file": {"da": "filen er tom (0 bytes)", "en": "the file is empty (0 bytes)"},
    "unreadable": {"da": "filen kan ikke læses: {error}", "en": "the file cannot be read: {error}"},
    "corrupt_pdf": {
        "da": "PDF-filen er beskadiget eller ikke en PDF: {error}",
        "en": "the PDF is corrupt or not a PDF: {error}",
    },
    "encrypted_pdf": {
        "da": "PDF-filen er krypteret (adgangskodebeskyttet) og kan ikke læses",
        "en": "the PDF is encrypted (password protected) and cannot be read",
    },
    "no_text": {
        "da": "ingen tekst fundet; filen er sandsynligvis scannet og kræver OCR",
        "en": "no text found; the file is probably scanned and needs OCR",
    },
    "corrupt_docx": {
        "da": "DOCX-filen er beskadiget eller ikke et Word-dokument: {error}",
        "en": "the DOCX is corrupt or not a Word document: {error}",
    },
    "binary_text": {
        "da": "filen ligner binære data, ikke tekst",
        "en": "the file looks like binary data, not text",
    },
    "bad_email": {"da": "e-mailen kan ikke læses: {error}", "en": "the e-mail cannot be read: {error}"},
    "model_mismatch": {
        "da": "indekset i {index} er bygget med embedding-modellen '{stored}', men '{configured}' er valgt. "
        "Vektorer fra to modeller kan ikke blandes: brug et andet indeks (--index) eller vælg '{stored}'.",
        "en": "the index in {index} was built with embedding model '{stored}', but '{configured}' is configured. "
        "Vectors of two models cannot be mixed: use another index (--index) or choose '{stored}'.",
    },
    "internal_error": {"da": "uventet fejl: {error}", "en": "unexpected error: {error}"},
}


def message(key: str, language: str = "da", **params: object) -> str:
    entry = MESSAGES[key]
    return entry.get(language, entry["da"]).format(**params)
