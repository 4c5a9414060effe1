"""The read side's checked input and typed verdict: ``validate_filters`` turns what a user typed into Filters
(index/records.py) or a FilterError in her language; ``Verdict`` is whether one document in scope addresses the
topic (who says what), in three states. (Passage and Filters live in index/records.py, Citation and Answer in
answering/schema.py.)"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, field_serializer, model_validator

from core.phrases import PhrasedError
from core.senders import SENDER_TYPE_FORMS, SenderType, sender_type_of
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


VerdictState = Literal["mentions", "not_mentioned", "uncertain"]


class Verdict(BaseModel):
    """Whether one document in scope addresses the topic (who-says-what mode), in three states
    (retrieval/verdict.py): ``verdict`` is ``mentions``, ``not_mentioned`` or ``uncertain`` (the judge's
    probability fell in the band that decides nothing: a person reads the letter's best sentence).

    ``mentions`` is the forced boolean of before: True only for ``verdict == "mentions"``, so an uncertain letter
    counts as not mentioning. Given only one of the two, the other follows from it; given both, they must agree.
    ``probability`` is the judge's calibrated probability that the document mentions the topic (3 decimals in
    JSON)."""

    doc_id: str
    source: str
    sender: str
    sender_type: SenderType
    mentions: bool
    verdict: VerdictState
    probability: float
    stance: str | None = None
    summary: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_from_the_other(cls, data: Any) -> Any:
        if isinstance(data, dict):
            has_verdict, has_mentions = data.get("verdict") is not None, data.get("mentions") is not None
            if has_verdict and not has_mentions:
                data = {**data, "mentions": data["verdict"] == "mentions"}
            elif has_mentions and not has_verdict:
                data = {**data, "verdict": "mentions" if data["mentions"] else "not_mentioned"}
        return data

    @model_validator(mode="after")
    def _agree(self) -> Verdict:
        if self.mentions != (self.verdict == "mentions"):
            raise ValueError(f"mentions={self.mentions} contradicts verdict={self.verdict!r}")
        return self

    @field_serializer("probability")
    def _rounded(self, probability: float) -> float:
        return round(probability, 3)


