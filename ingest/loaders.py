"""One loader per file format: bytes in, LoadedDocument(s) out, or a LoadError with a clear reason."""

from __future__ import annotations

import email
import email.policy
import io
import re
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import PurePath
from typing import Callable

from ingest.schema import LoadedDocument, Page

SUPPORTED_SUFFIXES = (
    ".pdf", ".docx", ".txt", ".md", ".html", ".htm", ".eml", ".msg", ".zip", ".png", ".jpg", ".jpeg", ".tif", ".tiff",
)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


class LoadError(Exception):
    """A file that cannot be loaded; ``code`` is a key into hoering.i18n.MESSAGES."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def load_bytes(data: bytes, name: str, source: str) -> list[LoadedDocument]:
    """Load one file's bytes; ``name`` decides the format, ``source`` is recorded for citations."""
    suffix = PurePath(name).suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        raise LoadError("unsupported_type", ext=suffix or name)
    if not data:
        raise LoadError("empty_file")
    return loader(data, source)


def load_pdf(data: bytes, source: str) -> list[LoadedDocument]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - any failure here means: cannot open
                ok = 0
            if not ok:
                raise LoadError("encrypted_pdf")
        pages = [Page(number=i + 1, text=page.extract_text() or "") for i, page in enumerate(reader.pages)]
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
        # Pages without a text layer are OCR candidates when they carry an image (a blank page is no scan).
        scanned = [p.number for p, raw in zip(pages, reader.pages) if not p.text.strip() and _has_image(raw)]
    except LoadError:
        raise
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError, OSError, RecursionError) as exc:
        raise LoadError("corrupt_pdf", error=_short(exc)) from exc
    warnings: list[str] = []
    if scanned:
        from ingest import ocr

        if ocr.available():
            try:
                texts = ocr.ocr_pdf_pages(data, scanned)
            except Exception as exc:  # noqa: BLE001 - a renderer/Tesseract failure is this file's outcome
                raise LoadError("ocr_failed", error=_short(exc)) from exc
            pages = [p.model_copy(update={"text": texts[p.number], "ocr": True}) if p.number in texts else p for p in pages]
            if not any(p.text.strip() for p in pages):
                raise LoadError("no_text_after_ocr")  # blank scans: OCR ran and read nothing
        elif not any(p.text.strip() for p in pages):
            raise LoadError("scanned_no_ocr")
        else:
            warnings.append(f"side {', '.join(map(str, scanned))} uden tekstlag blev ikke læst (OCR mangler: {ocr.status().reason})")
    if not any(p.text.strip() for p in pages):
        raise LoadError("no_text")
    return [LoadedDocument(source=source, pages=pages, title=str(title) if title else None, warnings=warnings)]


def _has_image(page) -> bool:
    """Whether a PDF page draws an image (XObject or inline); on doubt True, so a scan is never skipped."""
    try:
        return len(page.images) > 0
    except Exception:  # noqa: BLE001 - pypdf cannot list them: assume a scan
        return True


def load_image(data: bytes, source: str) -> list[LoadedDocument]:
    """A photographed or scanned letter (PNG/JPEG/TIFF), read with OCR; one page per image frame."""
    from PIL import UnidentifiedImageError

    from ingest import ocr

    try:
        frames = ocr.image_pages(data)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise LoadError("corrupt_image", error=_short(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - PIL raises DecompressionBombError and others
        raise LoadError("corrupt_image", error=_short(exc)) from exc
    if not ocr.available():
        raise LoadError("scanned_no_ocr")
    try:
        pages = [Page(number=i + 1, text=ocr.ocr_image(frame), ocr=True) for i, frame in enumerate(frames)]
    except Exception as exc:  # noqa: BLE001
        raise LoadError("ocr_failed", error=_short(exc)) from exc
    if not any(p.text.strip() for p in pages):
        raise LoadError("no_text_after_ocr")
    return [LoadedDocument(source=source, pages=pages)]


def load_docx(data: bytes, source: str) -> list[LoadedDocument]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError, Exception) as exc:  # noqa: BLE001
        raise LoadError("corrupt_docx", error=_short(exc)) from exc
    pages = _docx_pages(document)
    if not any(p.text.strip() for p in pages):
        raise LoadError("no_text")
    title = document.core_properties.title or None
    return [LoadedDocument(source=source, pages=pages, title=title)]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_pages(document) -> list[Page]:
    """Body paragraphs and tables in reading order; page breaks Word recorded start a new page."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    pages: list[list[str]] = [[]]

    def paragraph_text(par: Paragraph) -> str:
        text = par.text.strip()
        style = (par.style.name if par.style is not None else "") or ""
        is_list = style.lower().startswith("list") or par._p.find(f"{_W}pPr/{_W}numPr") is not None
        if text and is_list:
            return f"- {text}"
        return text

    def page_breaks(par: Paragraph) -> tuple[int, int]:
        """Page breaks before the paragraph's first text and after it (Word marks a break it rendered
        after an explicit one too, so per side the larger count is the number of new pages)."""
        counts = {False: [0, 0], True: [0, 0]}  # seen text yet? -> [rendered, explicit]
        seen_text = False
        for el in par._p.iter(f"{_W}t", f"{_W}br", f"{_W}lastRenderedPageBreak"):
            if el.tag == f"{_W}t":
                seen_text = seen_text or bool((el.text or "").strip())
            elif el.tag == f"{_W}lastRenderedPageBreak":
                counts[seen_text][0] += 1
            elif el.get(f"{_W}type") == "page":
                counts[seen_text][1] += 1
        return max(counts[False]), max(counts[True])

    def blocks(parent):
        """Paragraphs and tables in order, also inside block-level content controls (cover pages, TOCs)."""
        for child in parent.iterchildren():
            if child.tag in (f"{_W}p", f"{_W}tbl"):
                yield child
            elif child.tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    yield from blocks(content)

    for block in blocks(document.element.body):
        if block.tag == f"{_W}p":
            par = Paragraph(block, document)
            before, after = page_breaks(par)
            for _ in range(before if pages[-1] else 0):
                pages.append([])
            text = paragraph_text(par)
            if text:
                pages[-1].append(text)
            for _ in range(after if pages[-1] else 0):
                pages.append([])
        elif block.tag == f"{_W}tbl":
            table = Table(block, document)
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if value and (not cells or cells[-1] != value):  # merged cells repeat
                        cells.append(value)
                if cells:
                    pages[-1].append("\t".join(cells))
    return [Page(number=i + 1, text="\n\n".join(lines)) for i, lines in enumerate(pages) if lines or i == 0]


def decode_text(data: bytes) -> str:
    """Decode text bytes: BOMs first, then UTF-8, then the best single-byte guess (cp1252/latin-1)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if _looks_like_bomless_utf16(data):
        return data.decode("utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be", errors="replace")
    if b"\x00" in data[:4096]:
        raise LoadError("binary_text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15", "utf_8"]).best()
    text = str(best) if best is not None else data.decode("cp1252", errors="replace")
    if _control_ratio(text) > 0.05:
        raise LoadError("binary_text")
    return text


def _looks_like_bomless_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    zeros_odd, zeros_even = sample[1::2].count(0), sample[0::2].count(0)
    half = len(sample) // 2
    return max(zeros_odd, zeros_even) > 0.3 * half and min(zeros_odd, zeros_even) < 0.05 * half


def _control_ratio(text: str) -> float:
    sample = text[:4096]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    return bad / len(sample)


def load_text(data: bytes, source: str) -> list[LoadedDocument]:
    text = decode_text(data)
    if _control_ratio(text) > 0.05:
        raise LoadError("binary_text")
    if not text.strip():
        raise LoadError("no_text")
    pages = [Page(number=i + 1, text=t) for i, t in enumerate(text.split("\f"))] if "\f" in text else [Page(number=1, text=text)]
    return [LoadedDocument(source=source, pages=pages)]


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Visible text of an HTML page (scripts, styles and comments dropped) and its <title>."""
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup(["script", "style", "noscript", "template", "head", "iframe", "object", "svg"]):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for item in soup.find_all("li"):
        item.insert(0, "- ")
    blocks = "p div br li tr h1 h2 h3 h4 h5 h6 section article table ul ol blockquote pre".split()
    for tag in soup.find_all(blocks):
        tag.insert_after("\n\n" if tag.name not in ("br", "li", "tr") else "\n")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after("\t")
    text = soup.get_text()
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip(), title or None


def load_html(data: bytes, source: str) -> list[LoadedDocument]:
    text, title = html_to_text(decode_text(data))
    if not text.strip():
        raise LoadError("no_text")
    return [LoadedDocument(source=source, pages=[Page(number=1, text=text)], title=title)]


def load_eml(data: bytes, source: str) -> list[LoadedDocument]:
    """The mail body as one document, each PDF/DOCX/text attachment as its own, linked to the mail."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # noqa: BLE001 - the email package raises many kinds
        raise LoadError("bad_email", error=_short(exc)) from exc
    if not message.keys():
        raise LoadError("bad_email", error="no headers")
    date_hint = None
    try:
        if message.get("Date"):
            date_hint = parsedate_to_datetime(str(message["Date"])).date().isoformat()
    except (TypeError, ValueError):
        date_hint = None
    body_text = ""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        content = body.get_content()
        body_text = html_to_text(content)[0] if body.get_content_subtype() == "html" else content
    attachments = [(part.get_filename() or "", lambda part=part: part.get_payload(decode=True) or b"") for part in message.iter_attachments()]
    return mail_documents(
        source,
        sender=str(message.get("From", "")),
        date_hint=date_hint,
        subject=str(message.get("Subject", "")) or None,
        body=body_text,
        attachments=attachments,
    )


def mail_documents(
    source: str,
    *,
    sender: str,
    date_hint: str | None,
    subject: str | None,
    body: str,
    attachments: list[tuple[str, Callable[[], bytes]]],
) -> list[LoadedDocument]:
    """A mail (.eml or .msg) as documents: the body, then each readable attachment as its own document,
    linked to the mail (``parent_source``) and carrying its sender and date as hints."""
    name, address = parseaddr(sender)
    hints = {"sender_hint": name or None, "sender_email": address or None, "date_hint": date_hint}
    documents: list[LoadedDocument] = []
    warnings: list[str] = []
    if body.strip():
        documents.append(LoadedDocument(source=source, pages=[Page(number=1, text=body)], title=subject, **hints))
    for filename, payload in attachments:
        suffix = PurePath(filename).suffix.lower()
        if suffix not in LOADERS or suffix in (".eml", ".msg") or suffix in IMAGE_SUFFIXES:
            continue  # images in mails are mostly logos and signatures: not read as letters
        try:
            loaded = load_bytes(payload(), filename, f"{source}#{filename}")
        except LoadError as exc:
            warnings.append(f"{filename}: {exc.code}")
            continue
        for doc in loaded:
            documents.append(doc.model_copy(update={**hints, "parent_source": source, "title": doc.title or filename}))
    if not documents:
        raise LoadError("no_text")
    documents[0].warnings.extend(warnings)
    return documents


def load_msg(data: bytes, source: str) -> list[LoadedDocument]:
    """An Outlook .msg (read with extract-msg): body, sender, date and attachments, like an .eml."""
    import extract_msg

    try:
        message = extract_msg.openMsg(data)
    except Exception as exc:  # noqa: BLE001 - olefile/extract-msg raise many kinds
        raise LoadError("bad_email", error=_short(exc)) from exc
    try:
        return msg_documents(message, source)
    finally:
        try:
            message.close()
        except Exception:  # noqa: BLE001
            pass


def msg_documents(message, source: str) -> list[LoadedDocument]:
    """Map an extract-msg message object (sender, date, subject, body, htmlBody, attachments with
    longFilename/shortFilename and data) to documents."""
    try:
        body = message.body or ""
    except Exception:  # noqa: BLE001 - a body extract-msg cannot decode: fall back to the HTML body
        body = ""
    if not body.strip():
        html = getattr(message, "htmlBody", None) or b""
        if html:
            body = html_to_text(html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html)[0]
    date = getattr(message, "date", None)
    date_hint = None
    if date is not None and hasattr(date, "date"):
        date_hint = date.date().isoformat()
    elif isinstance(date, str) and date:
        try:
            date_hint = parsedate_to_datetime(date).date().isoformat()
        except (TypeError, ValueError):
            date_hint = None
    attachments = []
    for att in getattr(message, "attachments", None) or []:
        filename = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or ""
        payload = getattr(att, "data", None)
        if isinstance(payload, (bytes, bytearray)):  # embedded messages (data is a Message) are not read
            attachments.append((filename, lambda payload=payload: bytes(payload)))
    return mail_documents(
        source,
        sender=str(getattr(message, "sender", None) or ""),
        date_hint=date_hint,
        subject=getattr(message, "subject", None) or None,
        body=body,
        attachments=attachments,
    )


def load_zip(data: bytes, source: str) -> list[LoadedDocument]:
    """A zip bundle: every supported member loaded as if dropped alone (see ingest.bundles)."""
    from ingest.bundles import load_bundle

    result = load_bundle(data, source)
    if not result.documents:
        raise LoadError("zip_nothing", failed=len(result.failures))
    result.documents[0].warnings.extend(f"{member}: {error.code}" for member, error in result.failures)
    return result.documents


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


LOADERS: dict[str, Callable[[bytes, str], list[LoadedDocument]]] = {
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".txt": load_text,
    ".md": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".eml": load_eml,
    ".msg": load_msg,
    ".zip": load_zip,
    ".png": load_image,
    ".jpg": load_image,
    ".jpeg": load_image,
    ".tif": load_image,
    ".tiff": load_image,
}
