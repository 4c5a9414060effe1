"""One way to ask: the CLI and the app both answer through ``ask`` and nothing else.

``ask`` chooses between the answer (the most relevant passages, answering.answer) and who-says-what (every
document in scope gets a verdict, answering.coverage_answer) by ``mode``, reads one snapshot of the index and the
question once (``Query``: language, scope, topic, terms; retrieval/question.py) for the whole answer, and yields
the text pieces an LLM writes followed by exactly one ``Answer``, whose ``trace`` holds that reading and why each
decision fell as it did.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator, Literal, get_args

from answering.answer import answer_stream, check_question
from answering.chat_model import ChatModel
from answering.conversation import read_question
from answering.coverage_answer import coverage_answer
from answering.schema import Answer, Turn
from index.records import Filters
from retrieval.question import read_query
from retrieval.search import Searcher

Mode = Literal["answer", "coverage"]
MODES: tuple[str, ...] = get_args(Mode)  # "answer": the most relevant passages; "coverage": who says what
Progress = Callable[[int, int], None]
Stage = Literal["search", "quotes", "write"]
OnStage = Callable[[Stage], None]


class _StagedSearcher:
    """The searcher as ``ask`` hands it on, reporting when the search is done (``on_stage("quotes")``)."""

    def __init__(self, searcher: Searcher, on_stage: OnStage) -> None:
        self._searcher, self._on_stage = searcher, on_stage

    def __getattr__(self, name: str):
        return getattr(self._searcher, name)

    def search(self, *args, **kwargs):
        result = self._searcher.search(*args, **kwargs)
        self._on_stage("quotes")
        return result


def ask(
    question: str,
    searcher: Searcher,
    *,
    mode: Mode = "answer",
    filters: Filters | None = None,
    history: list[Turn] | None = None,
    llm: ChatModel | None = None,
    on_progress: Progress | None = None,
    on_stage: OnStage | None = None,
) -> Iterator[str | Answer]:
    """Text pieces while an LLM writes the answer, then the verified ``Answer`` (always last, exactly once).

    ``mode="coverage"``: who says what (``Answer.method == "coverage"``, with ``coverage`` and ``counts``); it
    takes the question as asked (no conversation history) and reports the LLM's map step to
    ``on_progress(done, total)``. Raises answering.answer.QuestionTooLongError for a question over the limit.

    ``on_stage(stage)`` tells a shell what is being done, for a status line: "search" (finding passages, or the
    verdicts of who-says-what), "quotes" (choosing and verifying quotes), "write" (the answer is being written:
    an LLM's first text piece, or the extractive answer being put together), each at most once, in this order.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    check_question(question, searcher.settings)
    reported: list[str] = []

    def stage(name: Stage) -> None:
        if on_stage is not None and name not in reported:
            reported.append(name)
            on_stage(name)

    stage("search")
    snap = searcher.snapshot()  # one snapshot for search, quotes and verdicts alike
    default = searcher.settings.language
    if mode == "coverage":  # the question as asked: who says what takes no history
        query = read_query(question, snap.senders, filters, default_language=default)
        yield coverage_answer(query, searcher, snap, llm=llm, on_progress=on_progress)
        return
    query = read_question(question, snap.senders, filters, history, default_language=default, llm=llm)
    staged = _StagedSearcher(searcher, stage) if on_stage is not None else searcher
    for item in answer_stream(query, staged, snap, llm=llm):
        stage("quotes")
        stage("write")
        yield item


def answer_question(question: str, searcher: Searcher, filters: Filters | None = None,
                    history: list[Turn] | None = None, llm: ChatModel | None = None, *, mode: Mode = "answer",
                    on_progress: Progress | None = None) -> Answer:
    """The whole answer of ``ask`` at once (evaluations, benchmarks and tests)."""
    return final_answer(ask(question, searcher, mode=mode, filters=filters, history=history, llm=llm,
                            on_progress=on_progress))


def text_pieces(items: Iterable[str | Answer], final: list[Answer]) -> Iterator[str]:
    """The text pieces of an ``ask`` stream, for a shell that shows them as they come; its Answer is appended
    to ``final``."""
    for item in items:
        if isinstance(item, Answer):
            final.append(item)
        else:
            yield item


def final_answer(items: Iterable[str | Answer], on_text: Callable[[str], None] | None = None) -> Answer:
    """The Answer of an ``ask`` stream; each text piece before it goes to ``on_text`` (if given)."""
    final: list[Answer] = []
    for piece in text_pieces(items, final):
        if on_text is not None:
            on_text(piece)
    if len(final) != 1:
        raise RuntimeError(f"an answer stream must end in exactly one Answer, got {len(final)}")
    return final[0]
