"""Follow-up questions ("og hvad siger Norddjurs?"): a follow-up keeps the previous topic and changes only the
scope. ``read_question`` is the one reading of a question in a conversation (retrieval/question.py); a turn of
the conversation is ``answering.schema.Turn``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from answering.schema import Turn
from index.records import Filters
from retrieval.query import detect_language, strip_scope_words
from retrieval.question import Query, Words, as_query, read_words

if TYPE_CHECKING:
    from answering.chat_model import ChatModel

_FOLLOW_UP = re.compile(
    r"^\s*(og|men|hvad med|hvad så med|og hvad|samme|and|but|what about|how about|and what)\b", re.I
)
# "… om ventelister?" / "… about waiting lists?": the question names its own topic ("about Roskilde" names a scope).
_OWN_TOPIC = re.compile(r"\b(?i:om|vedrørende|angående|about|regarding|on)\s+[a-zæøå][\w-]{2,}")


def is_follow_up(question: str) -> bool:
    """Elliptic questions lean on the previous one; a question that names its own topic stands alone."""
    words = re.findall(r"\w+", question)
    if len(words) <= 3:
        return True
    return bool(_FOLLOW_UP.match(question)) and not _OWN_TOPIC.search(question)


def read_question(question: str, known_senders: Iterable[str], filters: Filters | None = None,
                  history: list[Turn] | None = None, *, default_language: str = "da",
                  llm: ChatModel | None = None) -> Query:
    """The question read once, in its conversation: a follow-up that names only a scope ("og hvad siger
    Norddjurs?", "And Roskilde?") or leans on the previous question ("og hvorfor?") keeps the previous topic, and
    its new scope words replace the old inferred ones; the user's ``filters`` win. With a language model the
    follow-up is rewritten as a standalone question first, which is then read like any question."""
    senders = list(known_senders)
    if history and llm is not None:
        from answering.llm import condense_question

        standalone = condense_question(llm, question, history)
        words = read_words(standalone, senders, filters)
        query = as_query(words, detect_language(standalone, default_language))
        return query.model_copy(update={"question": question})
    words = read_words(question, senders, filters)
    carried = _carry(question, words, history or [])
    if carried is None:
        return as_query(words, detect_language(question, default_language))
    standalone, topic, scope = carried
    own = topic if words.scope_only else f"{topic} ({words.topic})"
    return as_query(words, detect_language(standalone, default_language), text=standalone, topic=own,
                    filters=_with_user_filters(scope, filters), follow_up=True)


def _carry(question: str, words: Words, history: list[Turn]) -> tuple[str, str, Filters] | None:
    """(standalone question, the previous topic, the scope carried over) for a follow-up; None for a question that
    stands alone."""
    if not history or not (is_follow_up(question) or words.scope_only):  # "Hvad siger MED-udvalgene?" is scope only
        return None
    previous = history[-1]
    topic = previous.topic if previous.topic is not None else strip_scope_words(previous.standalone, previous.filters)
    user_set = Filters(**{f: v for f, v in previous.filters.active().items() if f not in previous.filters.inferred})
    scope = previous.filters if words.named.is_empty() else user_set.merged_with(words.named)
    return f"{topic} ({question.strip()})", topic, scope


def _with_user_filters(carried: Filters, filters: Filters | None) -> Filters:
    """The carried scope under the user's filters: theirs win, and a filter they removed is not carried back."""
    user = filters or Filters()
    effective = user.merged_with(carried) if not user.is_empty() else carried
    for field in user.blocked:
        if field in effective.inferred:
            effective = effective.without(field)
    return effective
