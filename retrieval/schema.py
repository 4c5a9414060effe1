"""Typed data of the read side: Filters, Passage, Citation, Answer."""

from __future__ import annotations

import re
from datetime import date
from pydantic import BaseModel

from core.phrases import PhrasedError
from core.senders import SENDER_TYPE_FORMS, sender_type_of
from index.records import Filters


class FilterError(PhrasedError, ValueError):
    """A filter value that names nothing that can exist (unknown sender type or municipality, not a date)."""


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def validate_filters(language: str = "da", **values: str | None) -> Filters:
    """Filters from values a user typed, checked: a sender type in any accepted form, a municipality the
    gazetteer knows (its canonical name), real ISO dates in order. Raises FilterError with one clear line."""

    clean = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in values.items()}
    if clean.get("sender_type"):
        kind = sender_type_of(clean["sender_type"])
        if kind is None:
            raise FilterError("bad_sender_type", language=language, value=clean["sender_type"],
                                      allowed=", ".join(SENDER_TYPE_FORMS))
        clean["sender_type"] = kind
    if clean.get("municipality"):
        clean["municipality"] = _municipality(clean["municipality"], language)
    for field in ("date_from", "date_to"):
        value = clean.get(field)
        if value:
            try:
                if not _ISO_DATE.fullmatch(value):
                    raise ValueError(value)
                clean[field] = date.fromisoformat(value).isoformat()
            except ValueError:
                raise FilterError("bad_date", language=language, value=value, option="--" + field.replace("_", "-")) from None
    if clean.get("date_from") and clean.get("date_to") and clean["date_from"] > clean["date_to"]:
        raise FilterError("dates_reversed", language=language, date_from=clean["date_from"], date_to=clean["date_to"])
    return Filters(**clean)


def _municipality(value: str, language: str) -> str:
    import difflib

    from core.phrases import message
    from core.gazetteer import gazetteer

    places = gazetteer()
    name = re.sub(r"\s+(regions)?kommunes?$", "", value, flags=re.I).strip()
    found = places.municipality(name)
    if found is not None:
        return found.name
    names = [m.name for m in places.municipalities]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.75) or difflib.get_close_matches(
        name.title(), names, n=1, cutoff=0.75)
    hint = message("did_you_mean", language, name=close[0]) if close else ""
    raise FilterError("unknown_municipality", language=language, value=value, hint=hint)


class Verdict(BaseModel):
    """Whether one document in scope addresses the topic (who-says-what mode)."""

    doc_id: str
    source: str
    sender: str
    sender_type: str
    mentions: bool
    stance: str | None = None
    summary: str | None = None


