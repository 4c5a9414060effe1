"""The ``hoering`` command line: a thin Typer shell over the Python API (no logic of its own).

Everything a document, a file name or a user supplies is printed as plain text — never as Rich markup — with
control characters made visible (core.errors.visible). A failure of the machine or the setup (full disk,
read-only index, damaged manifest, Chroma server down …) is one line and exit code 2, never a traceback.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import click
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from core.errors import explain, visible
from core.phrases import message
from core.senders import SENDER_TYPES

if TYPE_CHECKING:  # the commands import what they use when they run (a fast start for --help and usage errors)
    from core.review import Identity
    from core.settings import Settings
    from answering.ask import Mode
    from answering.chat_model import ChatModel
    from answering.schema import Answer, Citation
    from index.records import Filters
    from retrieval.search import Searcher

CLI_LANGUAGE = "da"  # help, progress and results are Danish; failures follow the settings' language


def phrase(key: str, **params: object) -> str:
    """A text of the command line from the phrasebook (core.phrases)."""
    return message(f"cli.{key}", CLI_LANGUAGE, **params)


app = typer.Typer(help=phrase("app_help"), no_args_is_help=True, add_completion=False)
docs_app = typer.Typer(help=phrase("docs_help"))
app.add_typer(docs_app, name="docs")

err = Console(stderr=True)
IndexOption = typer.Option(None, "--index", help=phrase("index_option"))
JsonOption = typer.Option(False, "--json", help=phrase("json_option"))


def settings_for(index: Optional[Path]) -> Settings:
    from core.settings import get_settings  # pydantic-settings: only for a command that runs

    settings = get_settings()
    return settings.model_copy(update={"index": index}) if index else settings


def _print_json(data: object) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # A file name that is not UTF-8 holds lone surrogates: written as JSON \udcXX escapes, not a crash.
    sys.stdout.write(text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n")


def safe(text: object, style: str = "", keep_newlines: bool = False) -> Text:
    """Document-derived or user-given text for Rich: never parsed as markup, control characters visible."""
    return Text(visible("" if text is None else text, keep_newlines=keep_newlines), style=style)


def say(console: Console, *parts: object, keep_newlines: bool = False) -> None:
    """Print plain pieces (str: shown as is, made safe) and (text, style) pairs as one line."""
    line = Text()
    for part in parts:
        text, style = part if isinstance(part, tuple) else (part, "")
        line.append_text(safe(text, style, keep_newlines))
    console.print(line, highlight=False, soft_wrap=True)  # one line stays one line in a log or a pipe (no wrap at 80)


def fail(text: str, code: int = 2) -> None:
    """One line on stderr and the exit code (2: bad input or a failure of the machine/setup)."""
    say(err, (message("cli.error", _language()), "red"), ": ", text)
    raise typer.Exit(code)


def _language() -> str:
    try:
        from core.settings import get_settings

        return get_settings().language
    except Exception:  # noqa: BLE001 - invalid settings: Danish
        return "da"


def require_writer(settings: Settings) -> Identity:
    """The identity of this call (core.identity.cli_identity: HOERING_USER, its role from the users file or
    HOERING_DEFAULT_ROLE). Every writing command calls it first: a reader is refused with one line and exit 2
    before anything is read or written (index/review_store.py's ReviewNotAllowed, the one write gate)."""
    from core.identity import IdentityError, cli_identity
    from index.review_store import ReviewNotAllowed

    try:
        identity = cli_identity(settings)
        if not identity.may_write:
            raise ReviewNotAllowed("review_not_allowed", name=identity.name)
    except (IdentityError, ReviewNotAllowed) as exc:
        fail(exc.render(settings.language), 2)
    return identity


def guarded(command):
    """Failures outside the command's own logic become one clear line (exit 2); a bug becomes one line too
    (exit 1; HOERING_DEBUG=1 shows the traceback)."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        from index.waiting import waiting_notice

        try:
            with waiting_notice(lambda: say(err, phrase("waiting_for_writer"))):  # then it goes on when the lock is free
                return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, click.exceptions.Exit, click.exceptions.Abort, click.ClickException,
                KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - the one place every failure is told in one line (a Rust
            # panic in Chroma's native core arrives as pyo3's PanicException, a BaseException)
            settings = None
            try:
                ctx = kwargs.get("ctx")
                settings = settings_for(kwargs.get("index") or (ctx.obj if ctx is not None else None))
            except Exception:  # noqa: BLE001 - the settings themselves may be what is wrong
                pass
            text = explain(exc, settings, language=settings.language if settings else "da")
            if text is not None:
                fail(text, 2)
            if os.environ.get("HOERING_DEBUG"):
                raise
            fail(message("unexpected_command", _language(), error=f"{type(exc).__name__}: {exc}"), 1)

    return run


@app.command(help=phrase("ingest_help"))  # the formats from core.formats, as everywhere
@guarded
def ingest(
    paths: list[Path] = typer.Argument(..., help=phrase("ingest_paths")),
    index: Optional[Path] = IndexOption,
    prune: bool = typer.Option(False, "--prune", help=phrase("prune_option")),
    as_json: bool = JsonOption,
) -> None:
    settings = settings_for(index)
    require_writer(settings)
    from index.index import ModelMismatchError
    from ingest.pipeline import ingest as run_ingest
    from ingest.schema import Status

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=as_json) as progress:
        task = progress.add_task(phrase("ingesting"), total=None)
        chunks = 0
        told: set[str] = set()

        def tell(outcome) -> None:  # one line per failed file; names and reasons printed as plain text
            told.add(outcome.source)
            say(progress.console, (phrase("error"), "red"), " ", outcome.source, ": ", outcome.detail)

        def on_progress(kind: str, info: dict) -> None:
            nonlocal chunks
            if kind == "start":
                progress.update(task, total=info["files"])
            elif kind == "chunks":
                chunks += info["n"]
                progress.update(task, description=phrase("ingesting_chunks", chunks=chunks))
            elif kind == "file":
                outcome = info["outcome"]
                progress.advance(task)
                if outcome.status == Status.failed:
                    tell(outcome)
                elif outcome.detail and not as_json:  # "samme indhold som …", an attachment that was not read …
                    say(progress.console, (phrase("note"), "yellow"), " ", outcome.source, ": ", outcome.detail)
            elif kind == "member":  # a refused or failed file inside a zip bundle
                tell(info["outcome"])

        try:
            report = run_ingest([str(p) for p in paths], settings, prune_missing=prune, on_progress=on_progress)
        except ModelMismatchError as exc:
            say(err, (exc.render(settings.language), "red"))
            raise typer.Exit(2) from exc
        if not as_json:
            for outcome in report.failed:  # paths named on the command line that could not be read at all
                if outcome.source not in told:
                    tell(outcome)
    if as_json:
        _print_json(report.to_json())
    else:
        data = report.to_json()
        err.print(phrase("ingest_summary", ingested=data["ingested"], unchanged=data["unchanged"], removed=data["removed"],
                         failed=len(data["failed"]), chunks=data["chunks"], seconds=data["seconds"]))
    raise typer.Exit(1 if report.failed else 0)


@docs_app.callback(invoke_without_command=True, help=phrase("docs_list_help"))
@guarded
def docs(ctx: typer.Context, index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    if ctx.invoked_subcommand is not None:
        ctx.obj = index
        return
    from retrieval.library import list_documents

    documents = list_documents(settings_for(index))
    if as_json:
        _print_json({"documents": [d.to_json() for d in documents]})
        return
    table = Table("doc_id", *(phrase(f"column.{c}") for c in ("sender", "type", "municipality", "date", "hearing", "pages",
                                                              "chunks", "source")))
    for d in documents:
        table.add_row(*(safe(v) for v in (d.doc_id, d.sender, d.sender_type, d.municipality or "", d.date or "",
                                           d.hearing or "", str(d.pages), str(d.chunks), d.source)))
    Console().print(table)


@docs_app.command("set", help=phrase("docs_set_help"))
@guarded
def docs_set(
    ctx: typer.Context,
    doc_id: str = typer.Argument(..., help=phrase("doc_id_argument")),
    sender: Optional[str] = typer.Option(None, "--sender"),
    sender_type: Optional[str] = typer.Option(None, "--sender-type"),
    municipality: Optional[str] = typer.Option(None, "--municipality"),
    date: Optional[str] = typer.Option(None, "--date"),
    hearing: Optional[str] = typer.Option(None, "--hearing"),
    title: Optional[str] = typer.Option(None, "--title"),
    index: Optional[Path] = IndexOption,
    as_json: bool = JsonOption,
) -> None:
    require_writer(settings_for(index or ctx.obj))
    from ingest.corrections import CorrectionError, set_metadata
    from index.index import Index

    from ingest.removal import MIN_ID_PREFIX
    from core.senders import sender_type_of

    if sender_type is not None:  # "kommuner", "MED-udvalg" … as for the filters
        sender_type = sender_type_of(sender_type) or sender_type
    fields = {k: v for k, v in dict(sender=sender, sender_type=sender_type, municipality=municipality, date=date, hearing=hearing, title=title).items() if v is not None}
    if not fields:
        err.print(phrase("no_field"))
        raise typer.Exit(2)
    if len(doc_id.strip()) < MIN_ID_PREFIX:  # "" (an unset shell variable) would match every document
        fail(message("id_too_short", _language(), target=doc_id, min=MIN_ID_PREFIX), 2)
    from index.review_store import ReviewNotAllowed

    settings = settings_for(index or ctx.obj)
    try:
        record = set_metadata(Index(settings), doc_id, fields, identity=_identity(settings))
    except (CorrectionError, ReviewNotAllowed) as exc:  # in the user's language (Danish by default)
        say(err, (exc.render(_language()), "red"))
        raise typer.Exit(2) from exc
    if as_json:
        _print_json(record)
    else:
        say(err, phrase("corrected", doc_id=record["doc_id"], fields=", ".join(f"{k}={v}" for k, v in fields.items())))


def _filters(settings: Settings, sender, sender_type, municipality, hearing, date_from, date_to):
    """The filters as typed, checked (sender type in any accepted form, a real municipality, real ISO dates):
    a value that can match nothing is refused with exit 2 instead of silently finding nothing."""
    from retrieval.schema import FilterError, validate_filters

    try:
        return validate_filters(settings.language, sender=sender, sender_type=sender_type, municipality=municipality,
                                hearing=hearing, date_from=date_from, date_to=date_to)
    except FilterError as exc:
        fail(str(exc), 2)


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


SenderOpt = typer.Option(None, "--sender", help=phrase("sender_option"))
SenderTypeOpt = typer.Option(None, "--sender-type", help=phrase("sender_type_option", sender_types=", ".join(SENDER_TYPES)))
MunicipalityOpt = typer.Option(None, "--municipality", help=phrase("municipality_option"))
HearingOpt = typer.Option(None, "--hearing", help=phrase("hearing_option"))
DateFromOpt = typer.Option(None, "--date-from", help=phrase("date_from_option"))
DateToOpt = typer.Option(None, "--date-to", help=phrase("date_to_option"))
NoInferOpt = typer.Option(False, "--no-infer", help=phrase("no_infer_option"))


@app.command(help=phrase("search_help"))
@guarded
def search(
    query: Optional[str] = typer.Argument(None, help=phrase("search_query")),
    k: int = typer.Option(5, "--k", min=1, max=100),
    sender: Optional[str] = SenderOpt,
    sender_type: Optional[str] = SenderTypeOpt,
    municipality: Optional[str] = MunicipalityOpt,
    hearing: Optional[str] = HearingOpt,
    date_from: Optional[str] = DateFromOpt,
    date_to: Optional[str] = DateToOpt,
    queries: Optional[Path] = typer.Option(None, "--queries", help=phrase("search_queries")),
    no_infer: bool = NoInferOpt,
    index: Optional[Path] = IndexOption,
    as_json: bool = JsonOption,
) -> None:
    if (query is None) == (queries is None):  # a usage error is told before anything heavy is imported
        err.print(phrase("search_or_queries"))
        raise typer.Exit(2)
    from retrieval.search import Searcher

    settings = settings_for(index)
    filters = _filters(settings, sender, sender_type, municipality, hearing, date_from, date_to)
    texts = _read_queries(queries, settings) if queries else [query]
    for text in texts:
        _check_question(text, settings)
    searcher = Searcher(settings)
    results = [searcher.search(t, filters, k=k, infer=not no_infer) for t in texts]
    if as_json or queries:
        data = [r.to_json() for r in results]
        _print_json(data if queries else data[0])
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


@app.command(help=phrase("ask_help"))
@guarded
def ask(
    question: Optional[str] = typer.Argument(None, help=phrase("ask_question")),
    sender: Optional[str] = SenderOpt,
    sender_type: Optional[str] = SenderTypeOpt,
    municipality: Optional[str] = MunicipalityOpt,
    hearing: Optional[str] = HearingOpt,
    date_from: Optional[str] = DateFromOpt,
    date_to: Optional[str] = DateToOpt,
    mode: str = typer.Option("answer", "--mode", help=phrase("ask_mode")),
    queries: Optional[Path] = typer.Option(None, "--queries", help=phrase("ask_queries")),
    index: Optional[Path] = IndexOption,
    as_json: bool = JsonOption,
) -> None:
    if (question is None) == (queries is None):  # a usage error is told before anything heavy is imported
        err.print(phrase("question_or_queries"))
        raise typer.Exit(2)
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
    filters = _filters(settings, sender, sender_type, municipality, hearing, date_from, date_to)
    searcher = Searcher(settings)
    llm = create_chat_model(settings)
    if queries:  # one process, every question in order, each exactly the shape of `ask --json`
        _print_json([_answer(t, mode, searcher, filters, llm, stream=False).to_json() for t in texts])
        return
    final = _answer(question, mode, searcher, filters, llm, stream=not as_json)
    if as_json:
        _print_json(final.to_json())
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


themes_app = typer.Typer(help=phrase("themes_help"))
app.add_typer(themes_app, name="themes")
export_app = typer.Typer(help=phrase("export_help"))
app.add_typer(export_app, name="export")


@themes_app.callback(invoke_without_command=True, help=phrase("themes_list_help"))
@guarded
def themes(
    ctx: typer.Context,
    sender: Optional[str] = SenderOpt,
    sender_type: Optional[str] = SenderTypeOpt,
    municipality: Optional[str] = MunicipalityOpt,
    hearing: Optional[str] = HearingOpt,
    date_from: Optional[str] = DateFromOpt,
    date_to: Optional[str] = DateToOpt,
    index: Optional[Path] = IndexOption,
    as_json: bool = JsonOption,
) -> None:
    if ctx.invoked_subcommand is not None:
        ctx.obj = index
        return
    from retrieval.search import Searcher
    from answering.themes import build_themes, themes_json

    from answering.llm import create_chat_model

    settings = settings_for(index)
    filters = _filters(settings, sender, sender_type, municipality, hearing, date_from, date_to)
    found = build_themes(Searcher(settings), filters, llm=create_chat_model(settings))
    if as_json:
        _print_json(themes_json(found))
        return
    out = Console()
    for theme in found:
        say(out, (theme.label, "bold"), phrase("theme_line", theme_id=theme.theme_id, n=len(theme.senders)))
        for s in theme.senders:
            say(out, f"  - {s.sender} ({s.count}): »{s.quote.quote}«")


def _searcher_for(ctx: typer.Context, index: Optional[Path]):
    from retrieval.search import Searcher

    return Searcher(settings_for(index or ctx.obj))


@themes_app.command("rename", help=phrase("themes_rename_help"))
@guarded
def themes_rename(ctx: typer.Context, theme_id: str, label: str, index: Optional[Path] = IndexOption) -> None:
    require_writer(settings_for(index or ctx.obj))
    from answering.themes import edit_themes

    edit_themes(_searcher_for(ctx, index), rename=(theme_id, label))


@themes_app.command("merge", help=phrase("themes_merge_help"))
@guarded
def themes_merge(ctx: typer.Context, theme_ids: list[str], index: Optional[Path] = IndexOption) -> None:
    require_writer(settings_for(index or ctx.obj))
    from answering.themes import edit_themes

    if len(theme_ids) < 2:
        err.print(phrase("two_themes"))
        raise typer.Exit(2)
    edit_themes(_searcher_for(ctx, index), merge=theme_ids)


@themes_app.command("delete", help=phrase("themes_delete_help"))
@guarded
def themes_delete(ctx: typer.Context, theme_id: str, index: Optional[Path] = IndexOption) -> None:
    require_writer(settings_for(index or ctx.obj))
    from answering.themes import edit_themes

    edit_themes(_searcher_for(ctx, index), delete=theme_id)


@export_app.command("notat", help=phrase("notat_help"))
@guarded
def export_notat(
    fmt: str = typer.Option("docx", "--format", help=phrase("format_option")),
    out: Optional[Path] = typer.Option(None, "--out", help=phrase("out_option")),
    sender: Optional[str] = SenderOpt,
    sender_type: Optional[str] = SenderTypeOpt,
    municipality: Optional[str] = MunicipalityOpt,
    hearing: Optional[str] = HearingOpt,
    date_from: Optional[str] = DateFromOpt,
    date_to: Optional[str] = DateToOpt,
    index: Optional[Path] = IndexOption,
) -> None:
    from export.notat import build_notat, to_docx, to_xlsx
    from retrieval.search import Searcher

    if fmt not in ("docx", "xlsx"):
        err.print(phrase("bad_format"))
        raise typer.Exit(2)
    from answering.llm import create_chat_model

    settings = settings_for(index)
    filters = _filters(settings, sender, sender_type, municipality, hearing, date_from, date_to)
    searcher = Searcher(settings)
    report = _hearing_report(searcher, settings, hearing, filters)
    target = out or Path(f"hoeringsnotat.{fmt}")
    if report is not None:  # one hearing: its case file, as an official signs it
        from export import hearing_notat

        data = hearing_notat.to_docx(report) if fmt == "docx" else hearing_notat.to_xlsx(report)
        respondents, themes = report.case.counts.received, len(report.themes)
    else:  # several hearings and none chosen: every letter in scope, as before
        notat = build_notat(searcher, filters, llm=create_chat_model(settings))
        data = to_docx(notat) if fmt == "docx" else to_xlsx(notat)
        respondents, themes = len(notat.respondents), len(notat.themes)
    try:
        target.write_bytes(data)
    except OSError as exc:
        fail(explain(exc, None, settings.language) or message("cannot_write", settings.language, path=target,
                                                              error=exc.strerror or exc), 2)
    say(err, phrase("written", target=target, n=respondents, themes=themes))


def _hearing_report(searcher, settings: Settings, hearing: Optional[str], filters):
    """The report of the one hearing the notat is for: the hearing named (exactly, or the one whose name contains
    it), or the index's only hearing; None when the index has several and none is named, or other filters narrow
    the scope (the notat then covers every letter in scope)."""
    from answering.casefile import HearingError, hearings_in, resolve_hearing
    from answering.llm import create_chat_model
    from export.hearing_notat import build_hearing_notat
    from index.casefile_store import CaseFileStore

    if any(v for f, v in filters.active().items() if f != "hearing"):
        return None
    store = CaseFileStore.for_settings(settings)
    snap = searcher.snapshot()
    known = [h.hearing for h in hearings_in(snap, store.hearing_names()) if h.letters]
    if hearing is None and len(known) != 1:
        return None
    try:
        key = resolve_hearing(hearing, known)
    except HearingError as exc:
        fail(exc.render(settings.language), 2)
    return build_hearing_notat(searcher, store.hearing(key), llm=create_chat_model(settings))


@app.command(help=phrase("remove_help"))
@guarded
def remove(
    targets: list[str] = typer.Argument(..., help=phrase("remove_targets")),
    erase_history: bool = typer.Option(False, "--erase-history", help=phrase("erase_history_option")),
    index: Optional[Path] = IndexOption,
    as_json: bool = JsonOption,
) -> None:
    require_writer(settings_for(index))
    from ingest.removal import TargetError, remove_planned

    settings = settings_for(index)
    if erase_history:  # erasing the trail is a case officer's write
        _writer(settings)
    try:
        plan = remove_planned(targets, settings, erase_history=erase_history)
    except TargetError as exc:  # empty, too short or ambiguous: nothing was removed
        fail(str(exc), 2)
    unknown = list(plan.targets.unknown)
    if as_json:
        _print_json({"removed": plan.doc_ids, **({"not_found": unknown} if unknown else {})})
    else:
        err.print(phrase("removed", n=len(plan.documents)))
        for document in plan.documents:  # exactly what went: each document with its sender and source
            say(err, phrase("removed_document", doc_id=document.doc_id, sender=document.sender or "–",
                            source=document.source))
    for target in unknown:  # a typo is said, never silently dropped
        say(err, (phrase("error"), "red"), " ", phrase("remove_not_found", target=target))
    raise typer.Exit(0 if plan.documents and not unknown else 1)


@app.command(help=phrase("repair_help"))
@guarded
def repair(index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    require_writer(settings_for(index))
    from ingest.repair import RepairError
    from ingest.repair import repair as run_repair
    from ingest.schema import Status

    settings = settings_for(index)

    def on_progress(kind: str, info: dict) -> None:  # one line per file or member that could not be read again
        if kind in ("file", "member") and info["outcome"].status == Status.failed:
            say(err, (phrase("error"), "red"), " ", info["outcome"].source, ": ", info["outcome"].detail)

    try:
        done = run_repair(settings, on_progress=None if as_json else on_progress)
    except RepairError as exc:
        fail(exc.render(settings.language), 2)
    data = done.report.to_json()
    if as_json:
        _print_json(done.to_json())
    else:
        told = set()
        for outcome in done.report.failed:  # files the manifest lists that are not there any more
            if outcome.source not in told and not os.path.exists(outcome.source):
                told.add(outcome.source)
                say(err, (phrase("error"), "red"), " ", outcome.source, ": ", outcome.detail)
        if done.moved_to is not None:
            say(err, phrase("repaired", moved=done.moved_to))
        err.print(phrase("ingest_summary", ingested=data["ingested"], unchanged=data["unchanged"], removed=data["removed"],
                         failed=len(data["failed"]), chunks=data["chunks"], seconds=data["seconds"]))
    raise typer.Exit(1 if done.report.failed else 0)


def _identity(settings: Settings):
    """Who acts on the review trail from the command line: core.identity.cli_identity (HOERING_USER, its role from
    the users file or HOERING_DEFAULT_ROLE); a configuration that names nobody is one line, exit 2."""
    from core.identity import IdentityError, cli_identity

    try:
        return cli_identity(settings)
    except IdentityError as exc:
        fail(exc.render(settings.language), 2)


def _writer(settings: Settings):
    """The identity, when it may write; a reader is refused (exit 2) before anything is written."""
    return require_writer(settings)


from hoering.hearing_cli import hearing_app  # noqa: E402 - its commands use the helpers above
from hoering.review_cli import review_app  # noqa: E402 - its commands use the helpers above

app.add_typer(hearing_app, name="hearing")
app.add_typer(review_app, name="review")

from hoering.users_cli import users_app  # noqa: E402 - its commands use the helpers above

app.add_typer(users_app, name="users")


def main() -> None:  # console-script entry point
    # One query per process: OpenMP threads that sleep between parallel regions instead of spinning. With the
    # default, a call's first query took 0.3-3 s whenever other processes used the cores (the idle thread spun
    # against them); passive: 0.02 s. A long-running app keeps the default: its steady searches are about twice
    # as fast with spinning threads (12 vs 20-24 ms p50 on the sample, 2-core machine). Unless set otherwise.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    # A panic in Chroma's native core (a damaged database) is answered with one line of ours; Rust's own backtrace
    # (223 lines where RUST_BACKTRACE=1 is set) is shown only when asked for with HOERING_DEBUG=1.
    if os.environ.get("HOERING_DEBUG") != "1":
        os.environ["RUST_BACKTRACE"] = "0"
    app()


if __name__ == "__main__":
    main()
