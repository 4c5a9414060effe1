"""Text from letters and their metadata made safe for every export (DOCX, XLSX, Markdown, any CSV).

* Control characters: XML 1.0 forbids C0 controls (but tab, newline, carriage return) and python-docx and
  openpyxl raise on them, so one bad sender would fail the whole hearing's export. C1 controls (U+0080–U+009F,
  e.g. CSI U+009B) and DEL are terminal/escape sequences nobody means to print; lone surrogates and the two
  non-characters cannot be encoded. Each run of them is removed, or becomes one space where it separated two
  words ("Karen\x00Hansen" → "Karen Hansen").
* Formula injection (OWASP "CSV injection"): a spreadsheet cell whose text starts with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return (also after leading blanks, and their full-width forms, which some
  spreadsheet programs convert) can be taken as a formula. Such text gets a leading apostrophe, and XLSX
  cells are stored with the string type, never as formulas.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]+")
FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def clean_text(text: object) -> str:
    """``text`` as a string without control characters (see above)."""
    if text is None:
        return ""
    text = str(text)

    def replace(m: re.Match) -> str:
        a, b = m.start(), m.end()
        return " " if 0 < a and b < len(text) and not text[a - 1].isspace() and not text[b].isspace() else ""

    return _CONTROL.sub(replace, text)


def literal_cell(text: object) -> str:
    """Cleaned text that no spreadsheet can take as a formula: a leading apostrophe when it could start one."""
    value = clean_text(text)
    stripped = value.lstrip(" \n\u00a0")
    if value and (value[0] in FORMULA_START or (stripped and stripped[0] in FORMULA_START)):
        return "'" + value
    return value

