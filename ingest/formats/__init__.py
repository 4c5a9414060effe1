"""Reading files, one module per format family: bytes in, LoadedDocument(s) out, or a LoadError with a clear reason.

``base`` holds what every format shares (LoadError, the reading budget, the zip limits, sizes in words);
``table`` maps a file name's ending to its loader and reads one file by it (``load_bytes``). The formats:
``pdf`` (text layer, scanned pages by OCR), ``word`` (.docx), ``text`` (.txt/.md, HTML), ``mail`` (.eml/.msg
with their attachments), ``images`` (PNG/JPEG/TIFF by OCR), ``bundles`` (zip files) and ``ocr`` (Tesseract).
A container format (a mail, a zip) is handed the table's ``load_bytes`` to read what it holds, so no format
imports the table and no import goes round in a circle.
"""
