"""Interface texts (Danish by default, English available): thin lookups into the phrasebook (core.phrases)."""

from __future__ import annotations

from core.phrases import LANGUAGES, PHRASES, message


def t(language: str, key: str, **params: object) -> str:
    """The interface text ``key`` ("chat_page", "upload_help" …) in ``language``."""
    return message(f"ui.{key}", language, **params)


def examples(language: str) -> list[str]:
    """The example questions of an empty conversation."""
    count = sum(key.startswith("ui.example.") for key in PHRASES)
    return [message(f"ui.example.{i}", language) for i in range(1, count + 1)]


EXAMPLES = {lang: examples(lang) for lang in LANGUAGES}  # a view of the phrasebook, by language
