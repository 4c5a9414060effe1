"""The answer to a question as read once (``Query``): search → ground → extractive or LLM answer → verify
citations; where no passage clears the bar, the relevance judge reads every letter in scope.

The CLI and the app ask through answering.ask, which reads the question and chooses between this answer and
who-says-what.
"""

from __future__ import annotations

import time
from typing import Iterator

from answering.chat_model import ChatModel
from answering.extractive import extractive_answer, nearest_quotes, not_found_answer
from answering.grounding import relevance
from answering.texts import no_match, phrase, sender_labels
from answering.sentences import QuoteFinder
from answering.topic import asked_topic
from retrieval.coverage import CoverageResult, document_verdicts
from retrieval.relevance import calibration_for
from answering.schema import Answer
from answering.trace import grounding_trace
from index.records import Passage
from core.phrases import PhrasedError, number
from index.snapshot import Snapshot
from retrieval.question import Query, with_search_words
from retrieval.search import SearchResult, Searcher

TOP_K = 8


class QuestionTooLongError(PhrasedError, ValueError):
    """A question over HOERING_MAX_QUESTION_CHARS: refused before anything is embedded (embedding a query costs
    about a millisecond per character, so an unbounded question is a denial of service)."""


def check_question(question: str, settings) -> None:
    """Raise QuestionTooLongError (one clear line, in the settings' language) for a question over the limit."""
    limit = settings.max_question_chars
    if len(question) > limit:
        language = settings.language
        raise QuestionTooLongError("question_too_long", language=language, chars=number(len(question), language),
                                   limit=number(limit, language))


def prepare(query: Query, searcher: Searcher, llm: ChatModel | None, snap: Snapshot) -> SearchResult:
    """The search result for ``query`` (the question as read once) over ``snap``; with an LLM, a question in
    another language is also searched in the model's Danish words."""
    searched = query
    if llm is not None and query.language != "da":
        from answering.llm import danish_rewrite

        rewrite = danish_rewrite(llm, query.text)
        if rewrite:  # search the Danish letters with Danish words too
            searched = with_search_words(query, f"{rewrite}\n{query.text}", "da")
    result = searcher.search(searched, k=TOP_K, snap=snap)
    result.language = query.language
    return result


def answer_stream(query: Query, searcher: Searcher, snap: Snapshot, *, llm: ChatModel | None = None
                  ) -> Iterator[str | Answer]:
    """Yields text pieces while an LLM writes, then the verified Answer (always last). The whole answer reads one
    snapshot of the index, ``snap``, and the question as ``answering.ask`` read it once, ``query``."""
    started = time.perf_counter()
    result = prepare(query, searcher, llm, snap)
    language = result.language
    quote_for = QuoteFinder(searcher, query.dense_text, snapshot=snap)  # the topic picks the quote
    answer = Answer(question=query.question, text="", language=language, filters=result.filters,
                    standalone_question=query.text)
    answer.timings["search"] = result.seconds
    relevant = [p for p in result.passages if relevance(p, language) >= 0]
    verdicts, uncertain = None, []
    if snap.ids and result.scope_doc_ids and not relevant:
        verdicts, relevant, uncertain = _judged(query, searcher, snap, language)
    if not snap.ids:
        answer.text = phrase(language, "empty_index")
    elif not result.scope_doc_ids:
        answer.text = no_match(result.filters, language)  # the filters, and how to widen them
    elif not relevant:
        _say_not_found(answer, query, result, uncertain, quote_for)
    else:
        yield from _say_found(answer, query, result, relevant, snap, quote_for, llm)
    answer.trace = grounding_trace(query, result, snap, verdicts, len(uncertain))
    answer.timings["total"] = time.perf_counter() - started
    yield answer


def _judged(query: Query, searcher: Searcher, snap: Snapshot, language: str
            ) -> tuple[CoverageResult, list[Passage], list[Passage]]:
    """No passage clears the bar: the relevance judge reads every letter in scope (as who-says-what does), and a
    letter it decides mentions the topic answers with its deciding passage (docs/decisions/0013). Returns the
    verdicts, the deciding passages, and those of the letters it could not decide but leans towards (at or above
    its forced yes/no threshold), which may say it."""
    verdicts = document_verdicts(searcher, query, snap=snap)
    relevant = [v.passages[0] for v in verdicts.verdicts if v.verdict == "mentions" and v.passages]
    leaning = calibration_for(searcher.embedder.name, language).threshold
    uncertain = [v.passages[0] for v in verdicts.verdicts
                 if v.verdict == "uncertain" and v.probability >= leaning and v.passages]
    return verdicts, relevant, uncertain


def _say_not_found(answer: Answer, query: Query, result: SearchResult, uncertain: list[Passage],
                   quote_for: QuoteFinder) -> None:
    """The letters in scope raise no such thing: say so, naming how many, the scope and the topic as asked (or,
    where the judge is unsure of some, that they may and a person should read them); the nearest passages the
    text shows (never a letterhead or contact line) go to the shells' source panels."""
    language = answer.language
    nearest = uncertain + [p for p in result.passages if p.doc_id not in {u.doc_id for u in uncertain}]
    answer.passages = [p for p, _ in nearest_quotes(nearest, quote_for)] or nearest[:3]
    answer.text = not_found_answer(language, nearest, result.filters, quote_for, in_scope=len(result.scope_doc_ids),
                                   topic=asked_topic(query.text, language), uncertain=len(uncertain))


def _say_found(answer: Answer, query: Query, result: SearchResult, relevant: list[Passage], snap: Snapshot,
               quote_for: QuoteFinder, llm: ChatModel | None) -> Iterator[str]:
    """The grounded answer: an LLM's, its pieces yielded as they come, when it cites what the letters say; else
    (no LLM, or nothing it cited could be verified) the quotes themselves."""
    language = answer.language
    answer.grounded = True
    answer.passages = relevant
    if llm is not None:
        from answering.llm import llm_answer_stream

        documents = snap.manifest.documents
        scope = {d: documents[d].sender_type for d in result.scope_doc_ids if d in documents}
        labels = sender_labels([p.doc_id for p in relevant], snap, language)
        yield from llm_answer_stream(llm, query.text, language, relevant, result.filters, answer, quote_for,
                                     scope, labels)
        for citation in answer.citations:  # a source header names the letter as the answer does
            citation.label = labels.get(citation.doc_id)
    if not answer.citations:
        answer.method = "extractive"
        answer.text, answer.citations = extractive_answer(language, relevant, quote_for, result.filters)
