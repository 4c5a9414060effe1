"""Answer phrases (answers follow the question's language): thin lookups into the phrasebook (core.phrases)."""

from __future__ import annotations

from core.phrases import LANGUAGES, message, readable_date, template
from core.senders import SENDER_TYPES
from index.records import FILTER_FIELDS, Filters


def phrase(language: str, key: str, **params: object) -> str:
    """A fixed answer phrase ("intro", "not_found", "scope" …); without ``params`` its placeholders are left in."""
    return message(f"answer.{key}", language, **params) if params else template(f"answer.{key}", language)


def sender_type_name(value: str, language: str) -> str:
    """A sender type as a group of senders ("kommuner", "municipalities"); an unknown value as itself."""
    return message(f"sender_group.{value}", language) if value in SENDER_TYPES else value


def field_name(field: str, language: str) -> str:
    """A filter field as an answer names it ("afsendertype")."""
    return message(f"field.{field}", language)


def filter_value(field: str, value: str, language: str) -> str:
    """A filter's value as an answer shows it: a sender type as its group ("kommuner"), a date as the language
    writes it ("01.09.2023", "1 Sep 2023"), anything else as it is."""
    if field == "sender_type":
        return sender_type_name(value, language)
    if field in ("date_from", "date_to"):
        return readable_date(value, language)
    return value


# Views of the phrasebook for callers that index by language (the UI's filter chips and selectbox).
SENDER_TYPE_NAMES = {lang: {value: sender_type_name(value, lang) for value in SENDER_TYPES} for lang in LANGUAGES}
FIELD_NAMES = {lang: {field: field_name(field, lang) for field in FILTER_FIELDS} for lang in LANGUAGES}


def describe_filters(filters: Filters, language: str) -> str:
    """'Afgrænset til: afsendertype = kommuner (udledt af spørgsmålet – kan fjernes).'"""
    if filters.is_empty():
        return ""
    parts = []
    for field, value in filters.active().items():
        shown = filter_value(field, value, language)
        note = f" ({phrase(language, 'inferred')})" if field in filters.inferred else ""
        parts.append(phrase(language, "scope_part", field=field_name(field, language), value=shown) + note)
    return f"{phrase(language, 'scope')}: " + "; ".join(parts) + "."
