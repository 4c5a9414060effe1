"""Cleaning: undo PDF-extraction artefacts so chunks and quotes read as the letter reads.

Handles: Unicode NFC, typographic ligatures (ﬁ → fi), soft hyphens and odd spaces, a blank line between
every line, words hyphenated across line ends, soft line breaks inside paragraphs, repeated headers/footers
and page numbers, Markdown link/heading residue, and masks Danish CPR numbers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date

from ingest.schema import Page

_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_LIGATURES = re.compile("[\ufb00-\ufb06]")  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ from PDF text layers
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\((?:mailto:|https?:)[^)\s]*\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_BULLET = re.compile(r"^(?:[-•–—*▪◦●]\s|\d{1,2}[.)]\s|[a-z][.)]\s)")
_PAGE_NUMBER = re.compile(r"^(?:side\s*|page\s*|-\s*)?\d{1,4}(?:\s*(?:af|/|of)\s*\d{1,4})?(?:\s*-)?$", re.I)
_CPR = re.compile(r"(?<![\d+])(\d{2})(\d{2})(\d{2})(-?)(\d{4})(?!\d)")
_JOIN_WORDS = ("og", "eller", "samt", "til", "and", "or")
CPR_MASK = "[CPR]"
PARAGRAPH_LINE = 200  # a line longer than this is a whole paragraph, not a wrapped line


def clean_pages(pages: list[Page]) -> tuple[str, list[tuple[int, int]]]:
    """Clean every page and join them; returns the text and each page's character span in it."""
    texts = remove_repeated_lines([normalize(p.text) for p in pages])
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for text in texts:
        cleaned = mask_cpr(reflow(text))
        if parts:
            offset += 2  # the "\n\n" separator
        spans.append((offset, offset + len(cleaned)))
        parts.append(cleaned)
        offset += len(cleaned)
    return "\n\n".join(parts), spans


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00ad", "").replace("\f", "\n")
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = _CONTROL.sub("", text)
    lines = []
    for line in text.split("\n"):
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        line = _MD_HEADING.sub("", line.strip(" \u00a0"))
        lines.append(_SPACES.sub(" ", line).strip(" "))
    return "\n".join(lines)


def remove_repeated_lines(pages: list[str], edge: int = 3) -> list[str]:
    """Drop page numbers and lines repeated at the top or bottom of most pages (headers/footers)."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.lower()).strip()

    def edges(lines: list[str]) -> list[int]:
        idx = [i for i, line in enumerate(lines) if line.strip()]
        return sorted(set(idx[:edge] + idx[-edge:]))

    split = [p.split("\n") for p in pages]
    counts: Counter[str] = Counter()
    for lines in split:
        counts.update({key(lines[i]) for i in edges(lines)})
    threshold = max(2, (len(pages) + 1) // 2)
    repeated = {k for k, n in counts.items() if n >= threshold and len(pages) >= 2 and k}
    result = []
    for lines in split:
        drop = {i for i in edges(lines) if key(lines[i]) in repeated or _PAGE_NUMBER.match(lines[i].strip())}
        result.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return result


def reflow(text: str) -> str:
    """Re-join wrapped lines into paragraphs, keeping paragraph, heading, bullet and table structure."""
    lines = text.split("\n")
    nonblank = [line for line in lines if line]
    if not nonblank:
        return ""
    lengths = sorted(len(line) for line in nonblank)
    width = max(60, lengths[int(0.9 * (len(lengths) - 1))])  # short pages: lines under ~36 chars are not wraps
    double_spaced = _is_double_spaced(lines)

    # Split into blocks separated by hard (paragraph) breaks; inside a block lines are soft-separated.
    blocks: list[list[str]] = [[]]
    blank_run = 0
    for line in lines + [""]:
        if line:
            hard = blank_run >= 2 if double_spaced else blank_run >= 1
            if hard and blocks[-1]:
                blocks.append([])
            blocks[-1].append(line)
            blank_run = 0
        else:
            blank_run += 1
    paragraphs = ["".join(_join_block(block, width)) for block in blocks if block]
    return "\n\n".join(p.strip() for p in paragraphs if p.strip())


def _is_double_spaced(lines: list[str]) -> bool:
    """True when (almost) every wrapped line is followed by one blank line, as PDF extractors often do.

    Text with one paragraph per line and a blank line between paragraphs (DOCX, HTML, e-mail) looks the
    same by its blank lines; what tells them apart is that wrapped lines continue a sentence, so in Danish
    many of the lines after a blank line start in lower case.
    """
    gaps: list[tuple[int, str]] = []  # (blank lines before, the line after them)
    run = 0
    seen = False
    for line in lines:
        if line:
            if seen:
                gaps.append((run, line))
            seen, run = True, 0
        else:
            run += 1
    if len(gaps) < 4:
        return False
    nonblank = sorted(len(line) for line in lines if line)
    median = nonblank[len(nonblank) // 2]
    spaced = [line for blank, line in gaps if blank >= 1]
    continued = sum(1 for line in spaced if line[:1].islower())
    return median < PARAGRAPH_LINE and len(spaced) / len(gaps) > 0.6 and continued >= 0.3 * len(spaced)


def _join_block(block: list[str], width: int) -> list[str]:
    out = [block[0]]
    for prev, line in zip(block, block[1:]):
        out.append(_separator(prev, line, width))
        if out[-1] == "":  # de-hyphenated: drop the hyphen at the end of the previous piece
            out[-2] = out[-2][:-1]
        out.append(line)
    return out


def _separator(prev: str, line: str, width: int) -> str:
    """What goes between two soft-separated lines: '' (de-hyphenate), ' ' (same paragraph) or a break."""
    if "\t" in prev or "\t" in line or _BULLET.match(line):
        return "\n"
    first_word = line.split(" ", 1)[0]
    if re.search(r"[a-zæøå]-$", prev) and first_word[:1].islower():
        if first_word.rstrip(",.;:") in _JOIN_WORDS:
            return " "  # "Visions-" + "og udviklingsplan" → "Visions- og udviklingsplan"
        return ""
    if len(prev) > PARAGRAPH_LINE:
        return "\n\n"
    if len(prev) < 0.6 * width and (first_word[:1].isupper() or first_word[:1].isdigit() or len(prev) < 0.35 * width):
        return "\n"
    if prev.endswith((".", "!", "?", ":")) and len(prev) < 0.8 * width and first_word[:1].isupper():
        return "\n"
    return " "


def mask_cpr(text: str) -> str:
    """Replace Danish CPR numbers (DDMMYY-XXXX or DDMMYYXXXX with a valid date) by a mask."""

    def replace(match: re.Match[str]) -> str:
        day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if not _valid_date(day, month, year):
            return match.group(0)
        return CPR_MASK

    return _CPR.sub(replace, text)


def _valid_date(day: int, month: int, year: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + year, month, day)
            return True
        except ValueError:
            continue
    return False
