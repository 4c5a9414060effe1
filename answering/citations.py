"""Citation verification: a quote must stand verbatim (whitespace-normalised) in its retrieved chunk."""

from __future__ import annotations

import bisect
import re

from retrieval.schema import Citation, Passage

_QUOTES = str.maketrans({"”": '"', "“": '"', "„": '"', "’": "'", "‘": "'"})


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space; keep, for every output char, its offset in ``text``."""
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space and out:
                out.append(" ")
                index.append(i)
            in_space = True
        else:
            out.append(ch)
            index.append(i)
            in_space = False
    return "".join(out), index


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Span of ``quote`` in ``text`` comparing whitespace-normalised (and straight/curly quotes alike)."""
    needle = " ".join(quote.split()).translate(_QUOTES)
    if len(needle) < 3:
        return None
    haystack, index = _normalised_with_map(text)
    pos = haystack.translate(_QUOTES).find(needle)
    if pos < 0:
        return None
    return index[pos], index[pos + len(needle) - 1] + 1


def make_citation(n: int, passage: Passage, quote: str) -> Citation:
    """A citation of ``quote`` in ``passage``; ``verified`` only when the quote stands in the passage."""
    span = locate(quote, passage.text)
    start = end = None
    if span:
        start, end = passage.start + span[0], passage.start + span[1]
    return Citation(
        n=n,
        doc_id=passage.doc_id,
        chunk_id=passage.chunk_id,
        source=passage.source,
        sender=passage.sender,
        sender_type=passage.sender_type,
        date=passage.date,
        hearing=passage.hearing,
        page=_page_of_quote(passage, span),
        quote=" ".join(quote.split()),
        verified=span is not None,
        start=start,
        end=end,
        ocr=passage.ocr,
    )


def _page_of_quote(passage: Passage, span: tuple[int, int] | None) -> int:
    """The page the quote starts on, also when its chunk runs across a page break."""
    if not span or len(passage.pages) == 1:
        return passage.page
    if len(passage.page_breaks) == len(passage.pages) - 1:
        return passage.pages[bisect.bisect_right(passage.page_breaks, span[0])]
    # An index written before page breaks were stored: estimate by position.
    share = span[0] / max(1, len(passage.text))
    return passage.pages[min(len(passage.pages) - 1, int(share * len(passage.pages)))]


MARKER = re.compile(r"\[(\d{1,3})\]")
