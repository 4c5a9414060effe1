"""How a citation's metadata reads for a person: pages as "side 3", files by their own name (never the hash names
of the sample corpus or an upload's content-hash suffix), a quote by its first words, in one language. (Sender types
in words: core.senders.sender_type_label.)

Shared by every shell and export of one answer (ui/, export/answer.py).
"""

from __future__ import annotations

import re
from pathlib import PurePath

from core.phrases import message

# "001_569e1742befe58b9.txt" (the sample corpus, Høringsportalen downloads): a number and a content hash, no name.
_HASH_NAME = re.compile(r"^\d*_?[0-9a-f]{12,64}$", re.I)
# "brev-1a2b3c4d.pdf": an upload whose name was taken by other content got a content-hash suffix (ingest.uploads).
_HASH_SUFFIX = re.compile(r"-[0-9a-f]{8}$")


def page_label(page: int | None, language: str) -> str:
    """"side 3" / "page 3" ("" without a page)."""
    return message("answer.page", language, page=page) if page else ""


def file_label(source: str | None) -> str:
    """The file's own name as a reader knows it: "Høringssvar.pdf", "bundle.zip › svar/borger.pdf"; "" when
    the name is only a hash ("001_569e1742befe58b9.txt": the sender says who wrote it)."""
    if not source:
        return ""
    outer, _, member = str(source).partition("#")
    names = [_own_name(PurePath(outer).name)]
    if member:
        names.append(_own_name(PurePath(member).name))
    names = [n for n in names if n]
    return " › ".join(names)


def _own_name(name: str) -> str:
    path = PurePath(name)
    stem = _HASH_SUFFIX.sub("", path.stem)
    if not stem or _HASH_NAME.match(stem):
        return ""
    return stem + path.suffix


def first_words(text: str, n: int = 6) -> str:
    """The first ``n`` words of a quote, "…" when cut: tells two excerpts of one letter apart."""
    words = text.split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")
