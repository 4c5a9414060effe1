"""Prompt templates from the prompts/ folder, filled in one place."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from answering.chat_model import Message
from answering.texts import phrase
from index.records import Passage

PROMPTS = Path(__file__).resolve().parents[1] / "prompts"
LANGUAGE_NAMES = {"da": "dansk", "en": "engelsk (English)"}
_TAG = re.compile(r"<\s*/?\s*uddrag", re.I)


@lru_cache(maxsize=None)
def template(name: str) -> str:
    return (PROMPTS / f"{name}.txt").read_text(encoding="utf-8")


def neutralise(text: str) -> str:
    """Document text may not open or close our delimiters (it is data, never instructions)."""
    return _TAG.sub("[uddrag", text)


def format_passages(passages: list[Passage], labels: dict[str, str] | None = None) -> str:
    """The passages as the model reads them, each under its sender: ``labels`` (doc_id → name) tells apart
    two letters of the same sender name, so the model never reads them as one voice."""
    labels = labels or {}
    return "\n\n".join(
        template("passage").format(
            n=n, sender=neutralise(labels.get(p.doc_id, p.sender)).replace('"', "'"), sender_type=p.sender_type,
            page=p.page, text=neutralise(p.text),
        ).strip()
        for n, p in enumerate(passages, start=1)
    )


def answer_messages(question: str, language: str, passages: list[Passage],
                    labels: dict[str, str] | None = None) -> list[Message]:
    names = {"language_name": LANGUAGE_NAMES.get(language, "dansk")}
    system = template("answer_system").format(not_found=phrase(language, "not_found") + ".", **names)
    user = template("answer_user").format(passages=format_passages(passages, labels), question=neutralise(question),
                                          **names)
    return [Message("system", system), Message("human", user)]
