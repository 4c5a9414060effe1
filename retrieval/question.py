"""A question, read once: its language, its scope (the user's filters and those its words name), its topic, the
topic's BM25 terms and the text that is embedded, in one typed record (``Query``) that search, the relevance
judge, quotes and verdicts all read (issue 22 #5). ``answering.ask`` reads each question once; the functions of
retrieval/query.py are the pieces it is read with.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from index.records import Filters
from retrieval.query import detect_language, infer_filters, query_terms, strip_scope_words

# Filters a question's words can set that say whose letters to read (not when): their words are not the topic.
SCOPE_FIELDS = ("sender_type", "municipality", "sender")
# A scope named by a name ("Norddjurs", "OMU") lifts every passage of that sender alike: the topic alone ranks.
NAMED_SCOPE = ("municipality", "sender")


class Words(BaseModel):
    """What a question's words say, before its language is read: its scope and its topic."""

    question: str = Field(description="the question as asked")
    filters: Filters = Field(description="the scope searched: the user's filters, and those read from the words "
                                         "(``filters.inferred`` names which)")
    named: Filters = Field(default_factory=Filters,
                           description="the scope the words name, before the user's filters (which win) are applied")
    topic: str = Field(description="the question without the words that became filters (a follow-up: the previous "
                                   "question's topic, with the follow-up's own topic words when it has any)")
    terms: list[str] = Field(default_factory=list, description="BM25 terms of the topic")
    # e.g. "og hvad siger Norddjurs?": the words name a scope and no topic of their own
    scope_only: bool = Field(False, description="the words name a scope and no topic of their own")


class Query(Words):
    """A question as every step of one answer reads it."""

    text: str = Field(description="the question as searched: as asked, or a follow-up's standalone form")
    language: str = Field(description="'da' or 'en': the answer's language and the search's fusion weights")
    scope_inferred: bool = Field(False, description="a scope (sender type, municipality, sender) was read from the "
                                                    "question's words")
    follow_up: bool = Field(False, description="the topic carries the previous question's over (the question named "
                                               "only a scope, or leaned on the previous one)")
    dense_text: str = Field(description="what is embedded: the topic when a scope was read from the words or the "
                                        "topic was carried over, else the text")

    @property
    def ranking_text(self) -> str:
        """What ranks the passages: inside a scope named by a name, the topic alone (the name would only lift
        every passage of that sender alike); otherwise the text as searched."""
        return self.topic if set(NAMED_SCOPE) & set(self.filters.inferred) else self.text


def read_words(question: str, known_senders: Iterable[str] = (), filters: Filters | None = None, *,
               infer: bool = True) -> Words:
    """The scope and topic of ``question``: the user's ``filters``, with the scope its words name filling the gaps
    (unless ``infer`` is False: then ``filters`` as given, whose ``inferred`` fields still leave the topic)."""
    user = filters or Filters()
    named = infer_filters(question, list(known_senders)) if infer else Filters()
    scope = user.merged_with(named) if infer else user
    stripped = strip_scope_words(question, scope)
    own_terms = query_terms(stripped)
    topic = stripped or question
    terms = own_terms if topic == stripped else query_terms(topic)
    return Words(question=question, filters=scope, named=named, topic=topic, terms=terms, scope_only=not own_terms)


def as_query(words: Words, language: str, *, text: str | None = None, topic: str | None = None,
             filters: Filters | None = None, follow_up: bool = False) -> Query:
    """The Query of ``words`` in ``language``; a follow-up gives its standalone ``text``, the ``topic`` it carries
    over and its ``filters`` (the terms are then those of that topic)."""
    filters = words.filters if filters is None else filters
    terms = words.terms
    if topic is None:
        topic = words.topic
    elif topic != words.topic:
        terms = query_terms(topic)
    text = words.question if text is None else text
    scoped = bool(set(SCOPE_FIELDS) & set(filters.inferred))
    return Query(question=words.question, filters=filters, named=words.named, topic=topic, terms=terms,
                 scope_only=words.scope_only, text=text, language=language, scope_inferred=scoped, follow_up=follow_up,
                 dense_text=topic if (scoped or follow_up) else text)


def read_query(question: str, known_senders: Iterable[str] = (), filters: Filters | None = None, *, infer: bool = True,
               language: str | None = None, default_language: str = "da") -> Query:
    """``question`` read once: its scope and topic (``read_words``) and its language (``language`` when given,
    else detected; ``default_language`` when the question does not tell)."""
    words = read_words(question, known_senders, filters, infer=infer)
    return as_query(words, language or detect_language(question, default_language))


def with_search_words(query: Query, words: str, language: str) -> Query:
    """The same question searched in other words as well (a language model's Danish rewrite beside an English
    question, ``words`` holding both): the scope stays the question's, the topic and terms are those of ``words``."""
    topic = strip_scope_words(words, query.filters) or words
    dense = topic if query.scope_inferred else words
    return query.model_copy(update={"text": words, "language": language, "topic": topic,
                                    "terms": query_terms(topic), "dense_text": dense})
