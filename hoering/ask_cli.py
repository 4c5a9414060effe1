"""``hoering search`` and ``hoering ask``: passages and answers on the terminal or as ``--json`` (one question, or
every line of a ``--queries`` file in one process), a thin shell over retrieval/search.py and answering/ask.py.
The commands are registered by hoering/cli.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from core.phrases import message
from hoering.guard import guarded, settings_for
from hoering.options import FilterValues, IndexOption, JsonOption, NoInferOpt, checked_filters, with_filter_options
from hoering.output import err, fail, phrase, print_json, safe, say

if TYPE_CHECKING:  # the commands import what they use when they run (a fast start for --help and usage errors)
    from core.settings import Settings
    from answering.ask import Mode
    from answering.chat_model import ChatModel
    from answering.schema import Answer, Citation
    from index.records import Filters
    from retrieval.search import Searcher


def _check_question(text: str, settings: Settings) -> None:
    """A question or search over HOERING_MAX_QUESTION_CHARS is refused before anything is embedded (exit 2)."""
    from answering.answer import QuestionTooLongError, check_question

    try:
        check_question(text, settings)
    except QuestionTooLongError as exc:
        fail(str(exc), 2)


def _read_queries(path: Path, settings: Settings) -> list[str]:
    """The searches of a --queries file (one a line); a folder, a missing or a binary file is refused (exit 2)."""
    language = settings.language
    reason = None
    try:
        data = path.read_bytes()
        if b"\x00" in data:
            reason = message("queries_binary", language)
        else:
            return [q.strip() for q in data.decode("utf-8-sig").splitlines() if q.strip()]
    except IsADirectoryError:
        reason = message("queries_not_file", language)
    except FileNotFoundError:
        reason = message("queries_missing", language)
    except UnicodeDecodeError:
        reason = message("queries_binary", language)
    except OSError as exc:
        reason = exc.strerror or str(exc)
    fail(message("queries_unreadable", language, path=path, reason=reason), 2)


def _one_of(text: Optional[str], queries: Optional[Path], usage: str) -> None:
    """Exactly one of a text and ``--queries``: a usage error (``usage``, exit 2) is told before anything heavy is
    imported."""
    if (text is None) == (queries is None):
        err.print(phrase(usage))
        raise typer.Exit(2)


@guarded
@with_filter_options
def search(
    query: Optional[str] = typer.Argument(None, help=phrase("search_query")),
    k: int = typer.Option(5, "--k", min=1, max=100),
    filter_values: FilterValues = FilterValues(),
    queries: Optional[Path] = typer.Option(None, "--queries", help=phrase("search_queries")),
    no_infer: bool = NoInferOpt,
    index: Optional[Path] = IndexOption,
    as_json: bool = JsonOption,
) -> None:
    _one_of(query, queries, "search_or_queries")
    from retrieval.search import Searcher

    settings = settings_for(index)
    filters = checked_filters(settings, filter_values)
    texts = _read_queries(queries, settings) if queries else [query]
    for text in texts:
        _check_question(text, settings)
    searcher = Searcher(settings)
    results = [searcher.search(t, filters, k=k, infer=not no_infer) for t in texts]
    if as_json or queries:
        data = [r.to_json() for r in results]
        print_json(data if queries else data[0])
        return
    for result in results:
        headers = ("#", phrase("column.sender"), phrase("column.type"), phrase("column.page"), "score", phrase("column.passage"))
        table = Table(*headers, title=safe(result.query), show_lines=True)
        for p in result.passages:
            table.add_row(str(p.rank), safe(p.sender), safe(p.sender_type), str(p.page), f"{p.score:.3f}",
                          safe(p.text[:300], keep_newlines=True))
        Console().print(table)
        if result.filters.active():
            say(err, phrase("filters", filters=json.dumps(result.filters.to_json(), ensure_ascii=False)))


@guarded
@with_filter_options
def ask(
    question: Optional[str] = typer.Argument(None, help=phrase("ask_question")),
    filter_values: FilterValues = FilterValues(),
    mode: str = typer.Option("answer", "--mode", help=phrase("ask_mode")),
    queries: Optional[Path] = typer.Option(None, "--queries", help=phrase("ask_queries")),
    index: Optional[Path] = IndexOption,
    as_json: bool = JsonOption,
) -> None:
    _one_of(question, queries, "question_or_queries")
    from answering.ask import MODES
    from answering.llm import create_chat_model
    from retrieval.search import Searcher

    if mode not in MODES:
        err.print(phrase("bad_mode"))
        raise typer.Exit(2)
    settings = settings_for(index)
    texts = _read_queries(queries, settings) if queries else [question]
    for text in texts:
        _check_question(text, settings)
    filters = checked_filters(settings, filter_values)
    searcher = Searcher(settings)
    llm = create_chat_model(settings)
    if queries:  # one process, every question in order, each exactly the shape of `ask --json`
        print_json([_answer(t, mode, searcher, filters, llm, stream=False).to_json() for t in texts])
        return
    final = _answer(question, mode, searcher, filters, llm, stream=not as_json)
    if as_json:
        print_json(final.to_json())
        return
    if llm is not None and mode == "answer":
        err.print()
    _print_answer(final)


def _answer(question: str, mode: Mode, searcher: Searcher, filters: Filters, llm: ChatModel | None, stream: bool) -> Answer:
    """One answer through answering.ask; an LLM's text is streamed to stderr when ``stream``, and its map step
    of who-says-what shown as a progress bar."""
    from answering.ask import ask, final_answer

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, transient=True, disable=llm is None or mode != "coverage") as progress:
        task = progress.add_task(phrase("positions"), total=None)
        items = ask(question, searcher, mode=mode, filters=filters, llm=llm,
                    on_progress=lambda done, total: progress.update(task, completed=done, total=total))
        on_text = (lambda piece: err.print(safe(piece, keep_newlines=True), end="", highlight=False)) if stream else None
        return final_answer(items, on_text)


def citation_line(citation: Citation) -> str:
    """A citation as the terminal shows it: "[1] Sender – source, s. 2: »quote«"."""
    return phrase("citation", n=citation.n, sender=citation.sender, source=citation.source, page=citation.page,
                  quote=citation.quote)


def _print_answer(final: Answer) -> None:
    out = Console()
    say(out, final.text, keep_newlines=True)
    for c in final.citations:
        say(out, citation_line(c))

