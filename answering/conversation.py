"""Follow-up questions ("og hvad siger Norddjurs?"): a standalone question and the filters to carry over."""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.query import infer_filters, query_terms, strip_scope_words
from index.records import Filters

_FOLLOW_UP = re.compile(
    r"^\s*(og|men|hvad med|hvad så med|og hvad|samme|and|but|what about|how about|and what)\b", re.I
)
# "… om ventelister?" / "… about waiting lists?": the question names its own topic ("about Roskilde" names a scope).
_OWN_TOPIC = re.compile(r"\b(?i:om|vedrørende|angående|about|regarding|on)\s+[a-zæøå][\w-]{2,}")


@dataclass
class Turn:
    question: str  # as asked
    standalone: str  # as searched
    filters: Filters


def is_follow_up(question: str) -> bool:
    """Elliptic questions lean on the previous one; a question that names its own topic stands alone."""
    words = re.findall(r"\w+", question)
    if len(words) <= 3:
        return True
    return bool(_FOLLOW_UP.match(question)) and not _OWN_TOPIC.search(question)


def condense_without_llm(question: str, history: list[Turn], known_senders: list[str]) -> tuple[str, Filters | None]:
    """Carry the previous topic over to an elliptic follow-up; new scope words replace the old inferred ones.

    Returns (standalone question, filters to use or None for "infer from the question as usual").
    """
    if not history:
        return question, None
    new_inferred = infer_filters(question, known_senders)
    only_scope = not query_terms(strip_scope_words(question, new_inferred))  # "Hvad siger MED-udvalgene?"
    if not (is_follow_up(question) or only_scope):
        return question, None
    previous = history[-1]
    topic = strip_scope_words(previous.standalone, previous.filters)
    standalone = f"{topic} ({question.strip()})"
    user_set = Filters(**{f: v for f, v in previous.filters.active().items() if f not in previous.filters.inferred})
    if new_inferred.is_empty():
        return standalone, previous.filters
    return standalone, user_set.merged_with(new_inferred)
