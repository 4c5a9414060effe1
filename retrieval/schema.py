"""Typed data of the read side: Filters, Passage, Citation, Answer."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

FILTER_FIELDS = ("sender", "sender_type", "municipality", "hearing", "date_from", "date_to")


class Filters(BaseModel):
    """Scope of a search. ``inferred`` names the fields read from the question rather than set by the user."""

    sender: str | None = None
    sender_type: str | None = None
    municipality: str | None = None
    hearing: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    inferred: list[str] = Field(default_factory=list)
    blocked: list[str] = Field(default_factory=list, description="fields the user removed: never inferred")

    def active(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in FILTER_FIELDS if getattr(self, f)}

    def is_empty(self) -> bool:
        return not self.active()

    def merged_with(self, inferred: "Filters") -> "Filters":
        """User-set fields win; inferred fields fill the gaps and are marked as inferred."""
        values = self.active()
        marks = list(self.inferred)
        for field, value in inferred.active().items():
            if field not in values and field not in self.blocked:
                values[field] = value
                marks.append(field)
        return Filters(**values, inferred=marks, blocked=list(self.blocked))

    def without(self, field: str) -> "Filters":
        """This filter removed; if it was inferred, it will not be inferred again."""
        values = self.active()
        values.pop(field, None)
        blocked = list(self.blocked) + ([field] if field in self.inferred and field not in self.blocked else [])
        return Filters(**values, inferred=[f for f in self.inferred if f != field], blocked=blocked)

    def to_json(self) -> dict:
        data = {**self.active(), "inferred": list(self.inferred)}
        if self.blocked:
            data["blocked"] = list(self.blocked)
        return data


class FilterError(ValueError):
    """A filter value that names nothing that can exist (unknown sender type or municipality, not a date)."""


SENDER_TYPE_FORMS = {  # sender type → accepted spellings, after lowercasing and "-"/" " → "_"
    "kommune": ("kommune", "kommuner", "kommunen", "kommunerne", "municipality", "municipalities"),
    "region": ("region", "regioner", "regionen", "regionerne", "regions"),
    "med_udvalg": ("med_udvalg", "med_udvalget", "med_udvalgene", "medudvalg", "medudvalget", "medudvalgene",
                   "employee_committee", "employee_committees"),
    "organisation": ("organisation", "organisationer", "organisationen", "organisationerne", "organisations",
                     "organization", "organizations"),
    "virksomhed": ("virksomhed", "virksomheder", "virksomheden", "virksomhederne", "company", "companies",
                   "business", "businesses"),
    "borger": ("borger", "borgere", "borgeren", "borgerne", "citizen", "citizens"),
    "ukendt": ("ukendt", "ukendte", "unknown"),
}
_SENDER_TYPE_OF = {form: kind for kind, forms in SENDER_TYPE_FORMS.items() for form in forms}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def sender_type_of(value: str) -> str | None:
    """The sender type a user wrote, in any accepted form ("Kommunerne", "MED-udvalg" …), or None."""
    return _SENDER_TYPE_OF.get(re.sub(r"[\s-]+", "_", value.strip().lower()))


def validate_filters(language: str = "da", **values: str | None) -> Filters:
    """Filters from values a user typed, checked: a sender type in any accepted form, a municipality the
    gazetteer knows (its canonical name), real ISO dates in order. Raises FilterError with one clear line."""
    from hoering.i18n import message

    clean = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in values.items()}
    if clean.get("sender_type"):
        kind = sender_type_of(clean["sender_type"])
        if kind is None:
            raise FilterError(message("bad_sender_type", language, value=clean["sender_type"],
                                      allowed=", ".join(SENDER_TYPE_FORMS)))
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
                raise FilterError(message("bad_date", language, value=value, option="--" + field.replace("_", "-"))) from None
    if clean.get("date_from") and clean.get("date_to") and clean["date_from"] > clean["date_to"]:
        raise FilterError(message("dates_reversed", language, date_from=clean["date_from"], date_to=clean["date_to"]))
    return Filters(**clean)


def _municipality(value: str, language: str) -> str:
    import difflib

    from hoering.i18n import message
    from ingest.gazetteer import gazetteer

    places = gazetteer()
    name = re.sub(r"\s+(regions)?kommunes?$", "", value, flags=re.I).strip()
    found = places.municipality(name) or (places.municipality(name[:-1]) if name.lower().endswith("s") else None)
    if found is not None:
        return found.name
    names = [m.name for m in places.municipalities]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.75) or difflib.get_close_matches(
        name.title(), names, n=1, cutoff=0.75)
    hint = message("did_you_mean", language, name=close[0]) if close else ""
    raise FilterError(message("unknown_municipality", language, value=value, hint=hint))


class Passage(BaseModel):
    """A chunk found for a question, with its scores and rank."""

    chunk_id: str
    doc_id: str
    source: str
    sender: str
    sender_type: str
    municipality: str | None = None
    date: str | None = None
    hearing: str | None = None
    title: str | None = None
    page: int
    pages: list[int]
    page_breaks: list[int] = Field(default_factory=list, description="offsets in text where pages[1:] begin")
    start: int
    end: int
    text: str
    score: float = 0.0
    bm25: float = 0.0
    dense: float = 0.0
    topic_dense: float | None = None  # dense score of the topic alone, when group words set the scope (grounding)
    coverage: float = 0.0  # IDF-weighted share of the question's topical terms that the passage contains
    rank: int = 0
    ocr: bool = False  # some of the text was read by OCR (can be wrong); not part of the public JSON

    def to_json(self) -> dict:
        """The public ``hoering search --json`` passage shape (see README)."""
        return {
            "rank": self.rank,
            "doc_id": self.doc_id,
            "source": self.source,
            "sender": self.sender,
            "sender_type": self.sender_type,
            "page": self.page,
            "text": self.text,
            "score": round(self.score, 4),
        }


class Citation(BaseModel):
    n: int
    doc_id: str
    chunk_id: str
    source: str
    sender: str
    sender_type: str = ""
    date: str | None = None
    hearing: str | None = None
    page: int
    quote: str
    verified: bool = False
    start: int | None = None  # the quote's character span in the cleaned document text
    end: int | None = None
    ocr: bool = False  # the passage's text was (partly) read by OCR; not part of the public JSON

    def to_json(self) -> dict:
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "source": self.source,
            "sender": self.sender,
            "page": self.page,
            "quote": self.quote,
        }


class Verdict(BaseModel):
    """Whether one document in scope addresses the topic (who-says-what mode)."""

    doc_id: str
    source: str
    sender: str
    sender_type: str
    mentions: bool
    stance: str | None = None
    summary: str | None = None


class CoverageEntry(Verdict):
    """A verdict in an answer, with its citation numbers (public JSON shape, see README)."""

    citations: list[int] = Field(default_factory=list)


class Answer(BaseModel):
    question: str
    text: str
    language: Literal["da", "en"] = "da"
    filters: Filters = Field(default_factory=Filters)
    grounded: bool = False
    citations: list[Citation] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list, description="retrieved passages (nearest when ungrounded)")
    standalone_question: str | None = None
    method: Literal["extractive", "llm"] = "extractive"
    dropped_citations: int = 0
    timings: dict[str, float] = Field(default_factory=dict)
    coverage: list[CoverageEntry] = Field(default_factory=list, description="who-says-what: every document in scope")
    counts: dict[str, int] | None = None

    def to_json(self) -> dict:
        """The public ``hoering ask --json`` shape (see README)."""
        return {
            "question": self.question,
            "answer": self.text,
            "filters": self.filters.to_json(),
            "grounded": self.grounded,
            "citations": [c.to_json() for c in self.citations if c.verified],
            **(
                {"coverage": [e.model_dump() for e in self.coverage], "counts": dict(self.counts)}
                if self.counts is not None
                else {}
            ),
        }
