"""The phrasebook: every user-facing text of the product, Danish first, English available, looked up by key.

``message(key, language, **params)`` is the one lookup. The texts live in ``core/phrasebook/`` (one data module
per part of the product: file and setup messages, answers, the interface, the exports, the command line, the case
file, identities, the sender types in words); no module outside ``core/`` holds a table of user-facing text
(tests/test_phrases.py checks it). An unknown language falls back to Danish. Two parameters are always available:
``{formats}`` ("PDF, DOCX, …, TIFF") and ``{formats_or}`` ("PDF, DOCX, … eller TIFF"), both from core.formats.

``PhrasedError`` is an error that carries data (a phrase key and its parameters) and becomes text only where it
is shown: ``render(language)`` at the edges (CLI, UI); ``str()`` renders it in its default language.
"""

from __future__ import annotations

import datetime as dt

from core.formats import FORMAT_NAMES
from core.phrasebook import answers, casefile, commands, exports, identity, interface, messages, senders

LANGUAGES = ("da", "en")


def _merge(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        twice = merged.keys() & table.keys()
        if twice:
            raise ValueError(f"phrase keys defined twice: {sorted(twice)}")
        merged.update(table)
    return merged


PHRASES: dict[str, dict[str, str]] = _merge(
    messages.PHRASES, answers.PHRASES, interface.PHRASES, exports.PHRASES, commands.PHRASES, casefile.PHRASES,
    identity.PHRASES, senders.PHRASES,
)


def language_of(language: str | None) -> str:
    """A supported language: ``language`` itself, else Danish."""
    return language if language in LANGUAGES else "da"


def _constants(language: str) -> dict[str, str]:
    names = list(FORMAT_NAMES)
    return {
        "formats": ", ".join(names),
        "formats_or": ", ".join(names[:-1]) + f" {PHRASES['or'][language]} " + names[-1],
    }


def message(key: str, language: str = "da", **params: object) -> str:
    """The text ``key`` in ``language`` (Danish when the language is not supported) with ``params`` filled in."""
    entry = PHRASES[key]
    language = language_of(language)
    return entry[language].format(**{**_constants(language), **params})


def template(key: str, language: str = "da") -> str:
    """The text ``key`` with its ``{placeholders}`` left in, for a caller that fills them in later."""
    return PHRASES[key][language_of(language)]


def number(value: int, language: str = "da") -> str:
    """A whole number with thousands separators as the language writes them (3.000.000 / 3,000,000)."""
    text = f"{value:,}"
    return text.replace(",", ".") if language == "da" else text


MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def readable_date(iso: str | None, language: str = "da") -> str:
    """An ISO date as the language writes it: "11.09.2023" (da), "11 Sep 2023" (en); "" when there is none; a
    value that is not an ISO date as itself. The one date format of what people read (the library, source
    panels, an answer's scope line and its exports)."""
    if not iso:
        return ""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day:%d.%m.%Y}" if language_of(language) == "da" else f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


class PhrasedError(Exception):
    """An error told by a phrase: ``code`` (a phrasebook key) and ``params``. Shells render it in the user's
    language (``render``); ``str()`` gives it in ``language`` (the class's ``default_language`` unless given)."""

    default_language = "da"

    def __init__(self, code: str, *, language: str | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.language = language or self.default_language

    def render(self, language: str | None = None) -> str:
        return message(self.code, language or self.language, **self.params)

    def __str__(self) -> str:
        return self.render()

    def __reduce__(self):  # picklable with its data (a LoadError crosses from the worker process, ingest.budget)
        return (_rebuild, (type(self), self.code, self.language, self.params))


def _rebuild(cls: type[PhrasedError], code: str, language: str, params: dict) -> PhrasedError:
    return cls(code, language=language, **params)
