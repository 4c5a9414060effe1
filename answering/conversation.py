"""Follow-up questions ("og hvad siger Norddjurs?"): a standalone question and the filters to carry over."""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.query import infer_filters, strip_scope_words
from retrieval.schema import Filters

_FOLLOW_UP = re.compile(
    r"^\s*(og|men|hvad med|hvad så med|hvad siger|og hvad|samme|and|but|what about|how about|and what)\b", re.I
)


@dataclass
class Turn:
    question: str  # as asked
    standalone: str  # as searched
    filters: Filters


def is_follow_up(question: str) -> bool:
    words = re.findall(r"\w+", question)
    return bool(_FOLLOW_UP.match(question)) or len(words) <= 3


def condense_without_llm(question: str, history: list[Turn], known_senders: list[str]) -> tuple[str, Filters | None]:
    """Carry the previous topic over to an elliptic follow-up; new scope words replace the old inferred ones.

    Returns (standalone question, filters to use or None for "infer from the question as usual").
    """
    if not history or not is_follow_up(question):
        return question, None
    previous = history[-1]
    new_inferred = infer_filters(question, known_senders)
    topic = strip_scope_words(previous.standalone, previous.filters)
    standalone = f"{topic} ({question.strip()})"
    user_set = Filters(**{f: v for f, v in previous.filters.active().items() if f not in previous.filters.inferred})
    if new_inferred.is_empty():
        return standalone, previous.filters
    return standalone, user_set.merged_with(new_inferred)
