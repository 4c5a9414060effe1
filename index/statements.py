"""Which sentences can be evidence: statements, not letterheads, contact blocks, page headers or table headings.

A verdict ("mentions the topic") and every quote must rest on a sentence that says something. Short lines
without sentence punctuation are headings, letterheads ("Høringssvar fra Skive Kommune 12. oktober 2023") or
table header rows; lines with an e-mail address, a web address or a phone number are contact blocks. These
rules are about the form of a line, never about a topic, so they carry over to any hearing.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]{2,}")
_CONTACT = re.compile(r"@|https?://|www\.|\b(?:tlf|telefon|mobil|e-?mail|mail|cvr|ean)\b\.?\s*[:.]?\s*\+?\d|\+45\s*\d", re.I)
_PAGE = re.compile(r"^\s*(?:side|page)\s+\d+(?:\s*(?:af|of)\s*\d+)?\b", re.I)
# A page header run into the text ("… specialområder Side 13 Rekruttering/ Arbejds miljø …"): a capitalised
# "Side 13"/"Page 13" inside a line (in running Danish or English text the word is written in lower case).
_RUN_IN_PAGE = re.compile(r"\S\s+(?:Side|Page)\s+\d+\b")
_END = re.compile(r"[.!?:;…][\"”»’)\]]*\s*$")
MIN_WORDS = 5
HEADING_WORDS = 12  # a line this short without sentence punctuation is a heading, not a statement


def is_statement(text: str) -> bool:
    """True when ``text`` (one sentence or line) can stand as evidence for what a letter says."""
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return False
    if _CONTACT.search(text) or _PAGE.search(text) or _RUN_IN_PAGE.search(text):
        return False
    if "\t" in text and len(words) < 2 * HEADING_WORDS:  # a table row of short cells
        return False
    if not _END.search(text) and len(words) < HEADING_WORDS:
        return False
    return True


_ADMINISTRATIVE = re.compile(
    r"\b(?:hørings\s?svar\w*|høringsbidrag\w*|udtale-?\s?svar\w*|høringsudkast\w*|høringsmateriale\w*)\b|"
    r"\b(?:er|blevet|været)\s+(?:fremlagt|forelagt|behandlet|godkendt|drøftet|vedtaget)\b|\bhar\s+drøftet\b|"
    r"\btakker\s+for\b|\bvenlig\s+hilsen\b|\binvitationen\s+til\b", re.I)


def is_administrative(text: str) -> bool:
    """A sentence about the letter itself (who received or discussed it, thanks, greetings), not a statement about
    the matter: never a theme's quote or label, never an answer's quote while its passage says more."""
    return bool(_ADMINISTRATIVE.search(text))
