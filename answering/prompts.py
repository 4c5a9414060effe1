"""The prompts sent to the language model: one typed builder per template of the prompts/ folder, each filling
exactly the template's placeholders (``fill`` refuses a missing or a spare one; tests/test_prompts.py checks every
template against its builder). Document text — a letter, a passage, a sender's name, a quote — is neutralised
before it goes in (``neutralise``: it may not open or close our delimiters; it is data, never instructions)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from string import Formatter

from answering.chat_model import Message
from answering.texts import phrase
from index.records import Passage

PROMPTS = Path(__file__).resolve().parents[1] / "prompts"
LANGUAGE_NAMES = {"da": "dansk", "en": "engelsk (English)"}
SUMMARY_CHARS = 6000  # a résumé is written from the letter's first this many characters
TITLE_QUOTES = 8  # a theme's title is written from at most this many of its quotes
_TAG = re.compile(r"<\s*/?\s*uddrag", re.I)


@lru_cache(maxsize=None)
def template(name: str) -> str:
    return (PROMPTS / f"{name}.txt").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def placeholders(name: str) -> frozenset[str]:
    """The ``{fields}`` of template ``name`` ("{{" and "}}" are literal braces, no field)."""
    return frozenset(field for _, field, _, _ in Formatter().parse(template(name)) if field is not None)


def fill(name: str, **values: object) -> str:
    """Template ``name`` with ``values``, which must be exactly its placeholders (a KeyError names the difference)."""
    expected = placeholders(name)
    if expected != values.keys():
        raise KeyError(f"prompt {name}: missing {sorted(expected - values.keys())}, "
                       f"not in the template {sorted(values.keys() - expected)}")
    return template(name).format(**values)


def neutralise(text: str) -> str:
    """Document text may not open or close our delimiters (it is data, never instructions)."""
    return _TAG.sub("[uddrag", text)


def _language_name(language: str) -> str:
    return LANGUAGE_NAMES.get(language, "dansk")


def format_passages(passages: list[Passage], labels: dict[str, str] | None = None) -> str:
    """The passages as the model reads them, each under its sender: ``labels`` (doc_id → name) tells apart
    two letters of the same sender name, so the model never reads them as one voice."""
    labels = labels or {}
    return "\n\n".join(
        fill("passage", n=n, sender=neutralise(labels.get(p.doc_id, p.sender)).replace('"', "'"),
             sender_type=p.sender_type, page=p.page, text=neutralise(p.text)).strip()
        for n, p in enumerate(passages, start=1)
    )


def answer_messages(question: str, language: str, passages: list[Passage],
                    labels: dict[str, str] | None = None) -> list[Message]:
    """An answer's system prompt (the rules, the refusal in the answer's language) and its user prompt (the
    question and the numbered passages)."""
    system = fill("answer_system", language_name=_language_name(language), not_found=phrase(language, "not_found") + ".")
    user = fill("answer_user", passages=format_passages(passages, labels), question=neutralise(question),
                language_name=_language_name(language))
    return [Message("system", system), Message("human", user)]


def condense_prompt(earlier: list[str], question: str) -> str:
    """A follow-up ``question`` made standalone from the ``earlier`` standalone questions of the conversation."""
    return fill("condense_question", history="\n".join(f"- {q}" for q in earlier), question=question)


def translate_prompt(question: str) -> str:
    """A Danish rewrite of a question asked in another language."""
    return fill("translate_query", question=question)


def coverage_map_prompt(sender: str, question: str, language: str, passages: list[Passage]) -> str:
    """Who says what, one respondent: its stance, one-line position and a verbatim quote from ``passages``."""
    return fill("coverage_map", sender=neutralise(sender), question=neutralise(question),
                passages=format_passages(passages), language_name=_language_name(language))


def theme_title_prompt(quotes: list[str]) -> str:
    """A case officer's title for a theme, from its first quotes."""
    return fill("theme_title", quotes="\n".join(f"- »{neutralise(q)}«" for q in quotes[:TITLE_QUOTES]))


def summary_prompt(sender: str, text: str) -> str:
    """The written résumé of one letter for the høringsnotat, from the start of its text."""
    return fill("respondent_summary", sender=neutralise(sender), text=neutralise(text[:SUMMARY_CHARS]))
