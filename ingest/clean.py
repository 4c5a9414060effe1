"""Cleaning: undo PDF-extraction artefacts so chunks and quotes read as the letter reads.

Handles: Unicode NFC, typographic ligatures (ﬁ → fi), soft hyphens and odd spaces, a blank line between
every line, words hyphenated across line ends, soft line breaks inside paragraphs, repeated headers/footers
and page numbers, Markdown link/heading residue, and masks Danish CPR numbers.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import unicodedata
from collections import Counter
from datetime import date
from typing import Callable

from ingest.schema import Page

_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
_LIGATURES = re.compile("[\ufb00-\ufb06]")  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ from PDF text layers
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\((?:mailto:|https?:)[^)\s]*\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_BULLET = re.compile(r"^(?:[-•–—*▪◦●]\s|\d{1,2}[.)]\s|[a-z][.)]\s)")
_PAGE_NUMBER = re.compile(r"^(?:side\s*|page\s*|-\s*)?\d{1,4}(?:\s*(?:af|/|of)\s*\d{1,4})?(?:\s*-)?$", re.I)
# CPR numbers are looked for in a "view" of the text: str.translate maps invisible characters (soft hyphen,
# zero-width space/joiners, word joiner, BOM) to U+2060, which is then left out (a list keeps each remaining
# character's position in the text), dashes to "-", slashes to "/", odd spaces to " ", line separators to "\n".
# A *run* is digit groups with short separators between them (spaces, one of . - / and up to two line breaks:
# a number wrapped across lines, paragraphs or pages). Inside a run, ten digits from a group's start to a
# group's end are a CPR number when their first six are a date (day 01–31, month 01–12, a real day) and their
# groups have a shape people, PDF extractors or OCR write CPR numbers in (``_cpr_shape``); looser shapes
# count only right after a cue word ("CPR", "personnummer", also letter-spaced: "C P R - n r .").
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SLASHES = "\u2044\u2215\uff0f"
_ODD_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_VIEW = str.maketrans(
    {**{c: "\u2060" for c in _INVISIBLE}, **{c: "-" for c in _DASHES}, **{c: "/" for c in _SLASHES},
     **{c: " " for c in _ODD_SPACES}, **{c: "\n" for c in "\r\x0b\x0c\x85\u2028\u2029"}, "\uff0e": ".",
     "\\": "/", "_": "-"}  # 150275\\4365, 150275_4366: a slash or a dash to whoever wrote them
)
_SEP = r" *+(?:[-./] *+)?(?:\n *+){0,2}(?:[-/] *+)?"
_RUN = re.compile(rf"\d+(?:(?=[ \n./-]){_SEP}\d+)*")
_GROUP = re.compile(r"\d+")
_CUE = re.compile(r"(?:cpr|personn(?:umme)?r|person-nr|personalidentificationnumber|civilregistrationnumber)"
                  r"[^\d\n]{0,24}$")
_CUE_REACH = 60  # characters before a number in which a cue word is looked for (letter-spaced: "C P R - n r .")
# After a cue word also the date with a four-digit year: "CPR: 15 02 1975 4337", "cpr 15.02.1975-4338".
_LONG_YEAR = re.compile(r"(?<![\d.\-/])(\d\d)( ?[ .\-/] ?)(\d\d)\2(\d{4}) *[ \-/] *(\d{4})(?![\d])")
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
        cleaned = reflow(text)
        if parts:
            offset += 2  # the "\n\n" separator
        spans.append((offset, offset + len(cleaned)))
        parts.append(cleaned)
        offset += len(cleaned)
    # Masked after joining, so a number split across a page break is found too; spans move with the text.
    joined, replaced = _mask(("\n\n".join(parts)))
    return joined, [(_moved(a, replaced), _moved(b, replaced)) for a, b in spans]


def _moved(position: int, replaced: list[tuple[int, int]]) -> int:
    """Where ``position`` of the unmasked text lies in the masked one (spans of CPR_MASK replacements)."""
    shift = 0
    for start, end in replaced:
        if position >= end:
            shift += (end - start) - len(CPR_MASK)
        elif position > start:  # inside a replaced number: its mask's end
            return start - shift + len(CPR_MASK)
        else:
            break
    return position - shift


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
    """Drop page numbers and lines repeated at the top or bottom of most pages (headers/footers).

    A line is a running header only where it repeats on pages that otherwise differ: pages with the same text
    count once (a letter printed twice, or a PDF whose pages draw one content stream, is read, not emptied)."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.lower()).strip()

    def edges(lines: list[str]) -> list[int]:
        idx = [i for i, line in enumerate(lines) if line.strip()]
        return sorted(set(idx[:edge] + idx[-edge:]))

    split = [p.split("\n") for p in pages]
    counts: Counter[str] = Counter()
    distinct: set[tuple[str, ...]] = set()
    for lines in split:
        body = tuple(key(line) for line in lines if line.strip() and not _PAGE_NUMBER.match(line.strip()))
        if body in distinct:
            continue
        distinct.add(body)
        counts.update({key(lines[i]) for i in edges(lines)})
    threshold = max(2, (len(distinct) + 1) // 2)
    repeated = {k for k, n in counts.items() if n >= threshold and len(distinct) >= 2 and k}
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
    """Replace Danish CPR numbers by a mask: DDMMYY-XXXX with a valid date, in the forms people, PDF extractors
    and OCR write it (see ``_cpr_shape``: a space, a dash or slash, dots or dashes in the date, letter-spaced
    digits, invisible characters or a line break in it, or none)."""
    return _mask(text)[0]


def _mask(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with CPR numbers masked, and the (start, end) of each replaced number in the input."""
    view = text.translate(_VIEW)
    positions = None
    if "\u2060" in view:  # left out of the view; ``positions`` maps the view's positions back to the text's
        positions = [i for i, c in enumerate(view) if c != "\u2060"]
        view = view.replace("\u2060", "")
    spans = [span for run in _RUN.finditer(view) for span in _numbers_in_run(view, run)]
    spans += [m.span() for m in _LONG_YEAR.finditer(view) if _long_year_cpr(view, m)]
    replaced = []
    for start, end in _disjoint(spans):
        replaced.append((start, end) if positions is None else (positions[start], positions[end - 1] + 1))
    if not replaced:
        return text, []
    pieces, last = [], 0
    for start, end in replaced:
        pieces += [text[last:start], CPR_MASK]
        last = end
    pieces.append(text[last:])
    return "".join(pieces), replaced


def _numbers_in_run(view: str, run: re.Match) -> list[tuple[int, int]]:
    """The spans of CPR numbers in one run of digit groups: ten digits from a group's start to a group's end."""
    if len(run.group()) < 10:
        return []
    groups = [(m.start() + run.start(), m.end() + run.start()) for m in _GROUP.finditer(run.group())]
    digits = "".join(view[a:b] for a, b in groups)
    if len(digits) < 10:
        return []
    before = [0, *itertools.accumulate(b - a for a, b in groups)]  # digits before each group
    found: list[tuple[int, int]] = []
    i = j = 0
    while i < len(groups):
        j = max(j, i)
        while j < len(groups) and before[j + 1] - before[i] < 10:
            j += 1
        if j == len(groups):
            break
        first, count = before[i], j + 1 - i
        possible = i == 0 or count in (1, 2, 4) or count == 10 and "-" in view[groups[i + 5][1] : groups[i + 6][0]]
        day, month, year = (int(digits[first + k : first + k + 2]) for k in (0, 2, 4))
        if possible and before[j + 1] - first == 10 and _valid_date(day, month, year):
            window = groups[i : j + 1]
            sizes = [b - a for a, b in window]
            seps = [view[window[k][1] : window[k + 1][0]] for k in range(len(window) - 1)]
            whole = i == 0 and j == len(groups) - 1
            phone = i == 0 and run.start() > 0 and view[run.start() - 1] == "+"  # "+45 …": a phone number
            if not phone and _cpr_shape(sizes, seps, whole, lambda: i == 0 and _cued(view, run.start())):
                found.append((window[0][0], window[-1][1]))
                i = j + 1
                continue
        i += 1
    return found


def _long_year_cpr(view: str, m: re.Match) -> bool:
    """"15.02.1975-4338" after a cue word: a real date with a four-digit year of a living person, then four digits."""
    day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    return 1858 <= year <= 2099 and _valid_date(day, month, year % 100) and _cued(view, m.start())


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans in order, each overlapping one left out (two rules may find the same number)."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def _cued(view: str, start: int) -> bool:
    """Whether a cue word ("CPR-nummer er", "personnr.:", letter-spaced too) comes right before ``start``."""
    return bool(_CUE.search(re.sub(r"[ \n]", "", view[max(0, start - _CUE_REACH) : start]).lower()))


def _cpr_shape(sizes: list[int], seps: list[str], whole: bool, cued: Callable[[], bool]) -> bool:
    """Whether ten digits in groups of ``sizes`` with ``seps`` between them are written as a CPR number.

    Always: 0101901234, 010190-1234 (or with a space, a slash, a line break …), 01.01.90-1234, 01-01-90-1234,
    01/01/90-1234, 01 01 90-1234, 0 1 0 1 9 0 - 1 2 3 4 (letter-spaced, as PDF extractors and OCR give it).
    Spaced without a dash ("01 01 90 1234", "0 1 0 1 9 0 1 2 3 4") only as a whole run: not the end of a
    row of numbers in a table. After a cue word also "01.01.90 1234" (without one it is a date and a count:
    "pr. 31.12.22 1234 borgere") and any other grouping at 2/4/6 digits or of letter-spaced digits."""
    if sizes in ([10], [6, 4]):
        return True
    bare = [s.strip(" \n") for s in seps]
    if sizes == [2, 2, 2, 4]:
        date_seps_alike = seps[0] == seps[1] and bare[0] == bare[1]
        if date_seps_alike and bare[0] in (".", "-", "/", "") and bare[2] in ("-", "/"):
            return True
        if date_seps_alike and seps[0] == " " and seps[2] == " " and whole:
            return True
    if sizes == [1] * 10 and all(s == " " for s in seps[:5] + seps[6:]) and (bare[5] == "-" or seps[5] == " " and whole):
        return True
    if not cued():
        return False
    edges = list(itertools.accumulate(sizes))[:-1]
    date_edges = [e for e in edges if e < 6]
    serial_edges = [e for e in edges if e > 6]
    date_written = set(date_edges) <= {2, 4} or date_edges == [1, 2, 3, 4, 5]
    # the serial in one group, letter-spaced, or in any groups after a date that ends at a group ("150275 43 62";
    # not "15.02.2023 12": a four-digit year runs over the date's end)
    return date_written and (serial_edges in ([], [7, 8, 9]) or 6 in edges)


def mask_cpr_in_name(name: str) -> str:
    """A file name (or path) with CPR numbers masked as ``[CPR-1a2b3c]``: the tag, from a hash of the whole
    name, keeps two files whose names differ only in the number apart (the name is the file's identity)."""
    masked, replaced = _mask(name)
    if not replaced:
        return name
    tag = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    return masked.replace(CPR_MASK, f"[CPR-{tag}]")


_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[@-Z\\-_])")
_FIELD_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+")


def clean_field(value: str | None) -> str:
    """A metadata value (sender, title, …) safe to store and show: terminal escape sequences removed,
    control, bidi and invisible characters replaced by a space, whitespace collapsed, CPR numbers masked.
    Every value that reaches the index from outside a letter's text (mail headers, ``docs set``) goes
    through here, so DOCX/XLSX exports and terminals never meet a control character from the metadata."""
    if not value:
        return ""
    value = _ESCAPE_SEQUENCE.sub("", unicodedata.normalize("NFC", value))
    value = _FIELD_CONTROL.sub(" ", value)
    return mask_cpr(re.sub(r"\s+", " ", value).strip())


@functools.lru_cache(maxsize=4096)
def _valid_date(day: int, month: int, year: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + year, month, day)
            return True
        except ValueError:
            continue
    return False
