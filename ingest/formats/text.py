"""Plain text (.txt, .md) and HTML letters: bytes decoded (BOMs, UTF-8, UTF-16, the best single-byte guess), binary
junk refused, HTML reduced to its visible text. ``decode_text`` and ``html_to_text`` also serve the mail formats.
"""

from __future__ import annotations

import re

from ingest.formats.base import LoadError
from ingest.schema import LoadedDocument, Page


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
    """A text file as one document; form feeds separate its pages."""
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
    """An HTML page as one document: its visible text, titled by its <title>."""
    text, title = html_to_text(decode_text(data))
    if not text.strip():
        raise LoadError("no_text")
    return [LoadedDocument(source=source, pages=[Page(number=1, text=text)], title=title)]
