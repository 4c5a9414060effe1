"""Answer phrases (answers follow the question's language): thin lookups into the phrasebook (core.phrases)."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath

from core.phrases import message, readable_date, template
from core.senders import sender_type_label
from index.records import Filters


def phrase(language: str, key: str, **params: object) -> str:
    """A fixed answer phrase ("intro", "not_found", "scope" …); without ``params`` its placeholders are left in."""
    return message(f"answer.{key}", language, **params) if params else template(f"answer.{key}", language)


def unverified_note(n: int, language: str, *, in_text: bool) -> str:
    """The note on the ``n`` references of the language model that could not be verified: ``in_text`` under the
    model's own answer, whose text marks each one "[?]"; otherwise the app's caption beside whichever answer stands
    (the references are not shown as sources)."""
    return message("answer.unverified" if in_text else "answer.unverified_caption", language, n=n)


def field_name(field: str, language: str) -> str:
    """A filter field as an answer names it ("afsendertype")."""
    return message(f"field.{field}", language)


def filter_value(field: str, value: str, language: str) -> str:
    """A filter's value as an answer shows it: a sender type as its group ("kommuner"), a date as the language
    writes it ("01.09.2023", "1 Sep 2023"), anything else as it is."""
    if field == "sender_type":
        return sender_type_label(value, language, "group")
    if field in ("date_from", "date_to"):
        return readable_date(value, language)
    return value


def describe_filters(filters: Filters, language: str) -> str:
    """'Afgrænset til: afsendertype = kommuner (udledt af spørgsmålet – kan fjernes).'"""
    if filters.is_empty():
        return ""
    return f"{phrase(language, 'scope')}: {scope_parts(filters, language)}."


def no_match(filters: Filters, language: str) -> str:
    """When the filters leave no letter (both modes say the same): the filters and how to widen them; an empty
    index has no filters to name."""
    scope = scope_parts(filters, language)
    return message("coverage.no_match", language, scope=scope) if scope else message("answer.empty_index", language)


def none_mention(n: int, filters: Filters, topic: str | None, language: str, uncertain: int = 0) -> str:
    """When the ``n`` letters in scope (n >= 1) hold none that addresses the topic: "Ingen af de 2 høringssvar fra
    Aarhus Kommune nævner et nyt fodboldstadion." / "None of the 5 responses mention a new football stadium." The
    topic as the question words it (``answering.topic.asked_topic``); "det, du spørger om" when none was read."""
    from core.phrases import number

    key = "answer.none_mention_one" if n == 1 else "answer.none_mention"
    if uncertain:  # the judge could not decide some letters: never "none mentions it", say who may
        key = "answer.none_clearly_one" if uncertain == 1 else "answer.none_clearly"
    return message(key, language, n=number(n, language), scope=scope_words(filters, language),
                   topic=topic or message("answer.asked_about", language), k=number(uncertain, language))


def scope_words(filters: Filters, language: str) -> str:
    """The scope as words after "høringssvar"/"responses": " fra Aarhus Kommune", " fra kommuner i Norddjurs",
    " til høringen Budget 2024 dateret 01.09.2023–31.10.2023"; "" without filters."""
    active = filters.active()
    words = []
    if "sender" in active:
        words.append(phrase(language, "scope_sender", value=active["sender"]))
    else:
        if "sender_type" in active:
            words.append(phrase(language, "scope_sender_type", value=sender_type_label(active["sender_type"], language, "group")))
        if "municipality" in active:
            key = "scope_municipality_in" if "sender_type" in active else "scope_municipality"
            words.append(phrase(language, key, value=active["municipality"]))
    if "hearing" in active:
        words.append(phrase(language, "scope_hearing", value=active["hearing"]))
    dates = {f: filter_value(f, active[f], language) for f in ("date_from", "date_to") if f in active}
    if len(dates) == 2:
        words.append(phrase(language, "scope_dates", start=dates["date_from"], end=dates["date_to"]))
    for field, value in dates.items() if len(dates) == 1 else ():
        words.append(phrase(language, f"scope_{field}", value=value))
    return "".join(words)


def scope_parts(filters: Filters, language: str) -> str:
    """The active filters: 'afsendertype = kommuner (udledt af spørgsmålet – kan fjernes); kommune = Aarhus'."""
    parts = []
    for field, value in filters.active().items():
        shown = filter_value(field, value, language)
        note = f" ({phrase(language, 'inferred')})" if field in filters.inferred else ""
        parts.append(phrase(language, "scope_part", field=field_name(field, language), value=shown) + note)
    return "; ".join(parts)


def sender_labels(doc_ids, snap, language: str) -> dict[str, str]:
    """How an answer names the sender of each document in ``doc_ids`` (one voice per document, never per name):
    its sender name; when another document of the index has the same sender name, with the letter's file name
    (or its number among them, when the file names are the same too); "afsender ikke bekræftet" when the sender
    is a claim the ingest could not confirm (``needs_review``)."""
    documents = snap.manifest.documents
    names = Counter(d.sender for d in documents.values())
    labels: dict[str, str] = {}
    for doc_id in dict.fromkeys(doc_ids):
        record = documents.get(doc_id)
        if record is None:
            continue
        notes = []
        if names[record.sender] > 1:
            notes.append(_letter_note(doc_id, record, documents, language))
        if record.needs_review:
            notes.append(phrase(language, "sender_unverified"))
        sender = record.sender or sender_type_label("ukendt", language)
        labels[doc_id] = phrase(language, "sender_note", sender=sender, notes="; ".join(notes)) if notes else sender
    return labels


def _file_name(source: str) -> str:
    """The letter's own file name: the last part of its path, or of its member path in a bundle or mail."""
    return PurePosixPath(source.replace("\\", "/").split("#")[-1]).name or source


def _letter_note(doc_id: str, record, documents, language: str) -> str:
    same = sorted((d.date or "", d.source, i) for i, d in documents.items() if d.sender == record.sender)
    name = _file_name(record.source)
    if sum(1 for _, source, _ in same if _file_name(source) == name) == 1:
        return phrase(language, "sender_letter", name=name)
    return phrase(language, "sender_letter_n", n=[i for *_, i in same].index(doc_id) + 1)
