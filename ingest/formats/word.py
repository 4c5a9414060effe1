"""Word letters (.docx, python-docx): paragraphs and tables in reading order, pages where Word recorded breaks.

A DOCX is a zip: before python-docx opens it, its directory is checked against the zip limits and the XML it will
parse counts against the file's parse budget (base.Parsed). List paragraphs get a "- ", table rows their cells
joined by tabs; content controls (cover pages, tables of contents) are read where they stand.
"""

from __future__ import annotations

import io
import zipfile

from ingest.formats import base
from ingest.formats.base import LoadBudget, LoadError, Parsed, check_ratio, current_budget, out_of_memory, short_reason
from ingest.schema import LoadedDocument, Page

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def load_docx(data: bytes, source: str) -> list[LoadedDocument]:
    """A DOCX as one document, its title from the document's properties."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_docx_container(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except MemoryError as exc:
        raise out_of_memory() from exc
    except (PackageNotFoundError, KeyError, ValueError, OSError, Exception) as exc:  # noqa: BLE001
        raise LoadError("corrupt_docx", error=short_reason(exc)) from exc
    pages = _docx_pages(document)
    if not any(p.text.strip() for p in pages):
        raise LoadError("no_text")
    title = document.core_properties.title or None
    return [LoadedDocument(source=source, pages=pages, title=title)]


def _check_docx_container(data: bytes) -> None:
    """A DOCX is a zip: the bundle limits apply to it (member count, unpacked size, compression ratio), and
    the XML python-docx will parse counts against the file's parse budget — all from the zip's directory,
    before anything is unpacked. A file that is no zip at all is left to python-docx's own error."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return
    if len(infos) > base.LIMITS.max_members:
        raise LoadError("too_many_parts", count=len(infos), limit=base.LIMITS.max_members)
    parsed = Parsed()
    for info in infos:
        check_ratio(info.file_size, info.compress_size)
        if info.filename.lower().endswith((".xml", ".rels")):
            parsed.add(info.file_size)


def _docx_pages(document) -> list[Page]:
    """Body paragraphs and tables in reading order; page breaks Word recorded start a new page."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    pages: list[list[str]] = [[]]
    budget = current_budget()
    styles = _docx_paragraph_styles(document)
    for count, block in enumerate(_blocks(document.element.body)):
        if count % 1000 == 0:
            budget.check_time()
        if block.tag == f"{_W}p":
            par = Paragraph(block, document)
            before, after = _page_breaks(par)
            for _ in range(before if pages[-1] else 0):
                pages.append([])
            text = _paragraph_text(par, *styles)
            if text:
                pages[-1].append(text)
            for _ in range(after if pages[-1] else 0):
                pages.append([])
        elif block.tag == f"{_W}tbl":
            pages[-1].extend(_table_rows(Table(block, document), budget))
    return [Page(number=i + 1, text="\n\n".join(lines)) for i, lines in enumerate(pages) if lines or i == 0]


def _blocks(parent):
    """Paragraphs and tables in order, also inside block-level content controls (cover pages, TOCs)."""
    for child in parent.iterchildren():
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)


def _paragraph_text(par, style_names: dict[str, str], default_style: str) -> str:
    """A paragraph's text, "- " before it when it is a list item."""
    text = par.text.strip()
    # python-docx's par.style scans every style of the document for each paragraph: looked up once here.
    style_id = par._p.style
    style = (style_names.get(style_id, default_style) if style_id else default_style) or ""
    is_list = style.lower().startswith("list") or par._p.find(f"{_W}pPr/{_W}numPr") is not None
    if text and is_list:
        return f"- {text}"
    return text


def _page_breaks(par) -> tuple[int, int]:
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


def _table_rows(table, budget: LoadBudget) -> list[str]:
    """A table's rows, each its cells' text joined by tabs (a merged cell once)."""
    rows: list[str] = []
    for row in table.rows:
        budget.check_time()
        cells: list[str] = []
        for cell in row.cells:
            value = " ".join(cell.text.split())
            if value and (not cells or cells[-1] != value):  # merged cells repeat
                cells.append(value)
        if cells:
            rows.append("\t".join(cells))
    return rows


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
