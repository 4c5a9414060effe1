"""Comparing a loader's text with the corpus's independent text export (tests/data/corpus): lines with their
whitespace normalised, and found in our text across any line breaks."""

from __future__ import annotations

import re


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def find_line(text: str, line: str) -> list[re.Match]:
    return list(re.finditer(r"\s+".join(map(re.escape, line.split())), text))
