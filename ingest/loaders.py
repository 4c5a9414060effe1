"""One loader per file format: bytes in, LoadedDocument(s) out, or a LoadError with a clear reason."""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import email
import email.policy
import io
import re
import time
from dataclasses import dataclass
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import PurePath
from typing import Callable

from core.formats import IMAGE_SUFFIXES, SUPPORTED_SUFFIXES  # noqa: F401 - SUPPORTED_SUFFIXES re-exported (uploads, UI)
from core.phrases import PhrasedError, message
from ingest.schema import LoadedDocument, Page


class LoadError(PhrasedError):
    """A file that cannot be loaded: ``code`` is a phrase key (core.phrases), ``params`` its parameters; the
    outcome line is rendered in the user's language where it is shown."""


@dataclass(frozen=True)
class LoadBudget:
    """Bounds on the work of reading one file (see core.settings: file_seconds, max_ocr_pages, max_parse_mb).

    The loaders check it as they go and refuse a file that exceeds it with a clear LoadError; the worker process
    of ingest.budget enforces time and memory from outside as well. Outside a worker (a loader called directly)
    the defaults apply and there is no deadline.
    """

    seconds: float | None = None  # wall-clock budget of the whole file
    max_ocr_pages: int = 200
    max_parse_bytes: int = 64 * 1024 * 1024
    memory_mb: int | None = None  # enforced by the worker process (only named in messages here)
    deadline: float | None = None  # time.monotonic() when the budget runs out (set by budget_scope)

    def left(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def check_time(self) -> None:
        left = self.left()
        if left is not None and left <= 0:
            raise LoadError("file_too_slow", seconds=_seconds(self.seconds))


_BUDGET: contextvars.ContextVar[LoadBudget] = contextvars.ContextVar("load_budget", default=LoadBudget())


def current_budget() -> LoadBudget:
    return _BUDGET.get()


@contextlib.contextmanager
def budget_scope(budget: LoadBudget):
    """Load files under ``budget`` (its clock starts now)."""
    if budget.seconds is not None:
        budget = dataclasses.replace(budget, deadline=time.monotonic() + budget.seconds)
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def out_of_memory() -> LoadError:
    """The outcome of a file whose reading ran out of its memory budget."""
    return LoadError("file_too_much_memory", limit=current_budget().memory_mb or "?")


def _seconds(value: float | None) -> str:
    return f"{value:g}" if value is not None else "?"


class _Parsed:
    """Counts the unpacked content one file makes the parser read, against the budget's max_parse_bytes."""

    def __init__(self) -> None:
        self.budget = current_budget()
        self.total = 0

    def add(self, size: int) -> None:
        self.total += size
        if self.total > self.budget.max_parse_bytes:
            from ingest.bundles import _mb

            raise LoadError("too_complex", size=f">{_mb(self.budget.max_parse_bytes)}", limit=_mb(self.budget.max_parse_bytes))


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
    from pypdf.errors import LimitReachedError, PdfReadError

    budget = current_budget()
    parsed = _Parsed()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - any failure here means: cannot open
                ok = 0
            if not ok:
                raise LoadError("encrypted_pdf")
        raw_pages = list(reader.pages)
        # Pages that draw the same content streams with the same resources have the same text: read once
        # (a file whose pages all share one large stream no longer costs a full parse per page).
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
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
        # Pages without a text layer are OCR candidates when they carry an image (a blank page is no scan).
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
    except LoadError:
        raise
    except LimitReachedError as exc:  # pypdf's own guard against decompression bombs
        raise LoadError("content_bomb_limit", error=_short(exc)) from exc
    except MemoryError as exc:
        raise out_of_memory() from exc
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError, OSError, RecursionError) as exc:
        raise LoadError("corrupt_pdf", error=_short(exc)) from exc
    warnings: list[str] = []
    if scanned:
        from ingest import ocr

        if ocr.available():
            if len(scanned) > budget.max_ocr_pages:
                raise LoadError("too_many_ocr_pages", count=len(scanned), limit=budget.max_ocr_pages)
            try:
                texts_by_page = ocr.ocr_pdf_pages(data, scanned)
            except LoadError:
                raise
            except MemoryError as exc:
                raise out_of_memory() from exc
            except Exception as exc:  # noqa: BLE001 - a renderer/Tesseract failure is this file's outcome
                raise LoadError("ocr_failed", error=_short(exc)) from exc
            pages = [
                p.model_copy(update={"text": texts_by_page[p.number], "ocr": True}) if p.number in texts_by_page else p
                for p in pages
            ]
            if not any(p.text.strip() for p in pages):
                raise LoadError("no_text_after_ocr")  # blank scans: OCR ran and read nothing
        elif not any(p.text.strip() for p in pages):
            raise LoadError("scanned_no_ocr")
        else:
            warnings.append(message("ocr_pages_skipped", "da", pages=", ".join(map(str, scanned)), reason=ocr.status().reason))
    if not any(p.text.strip() for p in pages):
        raise LoadError("no_text")
    return [LoadedDocument(source=source, pages=pages, title=str(title) if title else None, warnings=warnings)]


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
    from ingest.bundles import LIMITS, MB

    if not hasattr(stream, "get_data"):
        return 0
    size = len(stream.get_data())
    packed = len(getattr(stream, "_data", b"") or b"")
    if size > MB and size > LIMITS.max_ratio * max(1, packed):
        raise LoadError("content_bomb", ratio=int(size / max(1, packed)), limit=int(LIMITS.max_ratio))
    return size


def load_image(data: bytes, source: str) -> list[LoadedDocument]:
    """A photographed or scanned letter (PNG/JPEG/TIFF), read with OCR; one page per image frame."""
    from PIL import UnidentifiedImageError

    from ingest import ocr

    budget = current_budget()
    try:
        image, count = ocr.open_frames(data, budget.max_ocr_pages)
    except LoadError:
        raise
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise LoadError("corrupt_image", error=_short(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - PIL raises DecompressionBombError and others
        raise LoadError("corrupt_image", error=_short(exc)) from exc
    if not ocr.available():
        raise LoadError("scanned_no_ocr")
    pages: list[Page] = []
    for i in range(count):  # one frame decoded at a time: a many-page TIFF never sits in memory whole
        budget.check_time()
        try:
            decoded = ocr.frame(image, i)
        except MemoryError as exc:
            raise out_of_memory() from exc
        except Exception as exc:  # noqa: BLE001 - a frame PIL cannot decode
            raise LoadError("corrupt_image", error=_short(exc)) from exc
        try:
            pages.append(Page(number=i + 1, text=ocr.ocr_image(decoded), ocr=True))
        except LoadError:
            raise
        except MemoryError as exc:
            raise out_of_memory() from exc
        except Exception as exc:  # noqa: BLE001
            raise LoadError("ocr_failed", error=_short(exc)) from exc
    if not any(p.text.strip() for p in pages):
        raise LoadError("no_text_after_ocr")
    return [LoadedDocument(source=source, pages=pages)]


def load_docx(data: bytes, source: str) -> list[LoadedDocument]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_docx_container(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except MemoryError as exc:
        raise out_of_memory() from exc
    except (PackageNotFoundError, KeyError, ValueError, OSError, Exception) as exc:  # noqa: BLE001
        raise LoadError("corrupt_docx", error=_short(exc)) from exc
    pages = _docx_pages(document)
    if not any(p.text.strip() for p in pages):
        raise LoadError("no_text")
    title = document.core_properties.title or None
    return [LoadedDocument(source=source, pages=pages, title=title)]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_docx_container(data: bytes) -> None:
    """A DOCX is a zip: the bundle limits apply to it (member count, unpacked size, compression ratio), and
    the XML python-docx will parse counts against the file's parse budget — all from the zip's directory,
    before anything is unpacked. A file that is no zip at all is left to python-docx's own error."""
    import zipfile

    from ingest.bundles import LIMITS, MB

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return
    if len(infos) > LIMITS.max_members:
        raise LoadError("too_many_parts", count=len(infos), limit=LIMITS.max_members)
    parsed = _Parsed()
    for info in infos:
        if info.file_size > MB and info.file_size > LIMITS.max_ratio * max(1, info.compress_size):
            raise LoadError("content_bomb", ratio=int(info.file_size / max(1, info.compress_size)), limit=int(LIMITS.max_ratio))
        if info.filename.lower().endswith((".xml", ".rels")):
            parsed.add(info.file_size)


def _docx_pages(document) -> list[Page]:
    """Body paragraphs and tables in reading order; page breaks Word recorded start a new page."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    pages: list[list[str]] = [[]]
    budget = current_budget()
    style_names, default_style = _docx_paragraph_styles(document)

    def paragraph_text(par: Paragraph) -> str:
        text = par.text.strip()
        # python-docx's par.style scans every style of the document for each paragraph: looked up once here.
        style_id = par._p.style
        style = (style_names.get(style_id, default_style) if style_id else default_style) or ""
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

    for count, block in enumerate(blocks(document.element.body)):
        if count % 1000 == 0:
            budget.check_time()
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
                budget.check_time()
                cells: list[str] = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if value and (not cells or cells[-1] != value):  # merged cells repeat
                        cells.append(value)
                if cells:
                    pages[-1].append("\t".join(cells))
    return [Page(number=i + 1, text="\n\n".join(lines)) for i, lines in enumerate(pages) if lines or i == 0]


def _docx_paragraph_styles(document) -> tuple[dict[str, str], str]:
    """{style id: name} of the paragraph styles, and the default paragraph style's name."""
    names: dict[str, str] = {}
    default = ""
    try:
        root = document.styles.element
    except Exception:  # noqa: BLE001 - a document without a styles part
        return names, default
    for style in root.iterchildren(f"{_W}style"):
        if style.get(f"{_W}type") not in (None, "paragraph"):
            continue
        name_el = style.find(f"{_W}name")
        name = (name_el.get(f"{_W}val") if name_el is not None else None) or ""
        names[style.get(f"{_W}styleId") or ""] = name
        if style.get(f"{_W}default") in ("1", "true", "on"):
            default = name
    return names, default


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
    """The mail as one document: its body, then its PDF/DOCX/text attachments (see mail_documents)."""
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
    """A mail (.eml or .msg) as ONE document — one høringssvar, however many files it carries: the body, then
    each readable attachment's text under a line naming the attachment, pages numbered through, with the mail's
    sender and date as hints. An attachment that cannot be read is a warning on the mail, never a lost mail."""
    name, address = parseaddr(sender)
    pages: list[Page] = [Page(number=1, text=body)] if body.strip() else []
    warnings: list[str] = []
    titles: list[str] = []
    for filename, payload in attachments:
        suffix = PurePath(filename).suffix.lower()
        if suffix not in LOADERS or suffix in (".eml", ".msg") or suffix in IMAGE_SUFFIXES:
            continue  # images in mails are mostly logos and signatures: not read as letters
        try:
            loaded = load_bytes(payload(), filename, f"{source}#{filename}")
        except LoadError as exc:
            warnings.append(f"{filename}: {message(exc.code, 'da', **exc.params)}")  # words, never a bare code
            continue
        for doc in loaded:  # (a zip attached to a mail: each of its files)
            titles.append(doc.title or filename)
            warnings.extend(doc.warnings)
            pages.extend(_attachment_pages(doc.source.removeprefix(f"{source}#"), doc.pages, first=len(pages) + 1))
    if not pages:
        raise LoadError("no_text")
    return [
        LoadedDocument(
            source=source, pages=pages, title=subject or (titles[0] if titles else None), sender_hint=name or None,
            sender_email=address or None, date_hint=date_hint, warnings=warnings,
        )
    ]


def _attachment_pages(name: str, pages: list[Page], first: int) -> list[Page]:
    """An attachment's pages as pages of its mail: numbered on from ``first``, the first under a line naming it."""
    heading = message("mail_attachment", "da", name=name)  # part of the letter's text, which is Danish
    return [
        page.model_copy(update={"number": first + i, "text": f"{heading}\n\n{page.text}" if i == 0 else page.text})
        for i, page in enumerate(pages)
    ]


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
    longFilename/shortFilename and data) to the mail's document (see mail_documents)."""
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
    result.documents[0].warnings.extend(f"{member}: {message(e.code, 'da', **e.params)}" for member, e in result.failures)
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
