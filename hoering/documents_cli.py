"""The commands on the index's documents: ``hoering ingest``, ``docs`` (the list) and ``docs set`` (an official's
correction), ``remove`` and ``repair`` — a thin shell over ingest/pipeline.py, ingest/corrections.py,
ingest/repair.py and retrieval/library.py. Every write passes the write gate first (hoering/guard.py). The
top-level commands are registered by hoering/cli.py; ``docs_app`` holds the ``docs`` group."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from core.phrases import message
from hoering.guard import guarded, require_writer, settings_for
from hoering.options import IndexOption, JsonOption
from hoering.output import err, fail, phrase, print_json, safe, say, settings_language

docs_app = typer.Typer(help=phrase("docs_help"))


def _print_summary(data: dict) -> None:
    """The closing line of an ingest or a repair on stderr: how many files went which way, chunks, seconds."""
    err.print(phrase("ingest_summary", ingested=data["ingested"], unchanged=data["unchanged"], removed=data["removed"],
                     failed=len(data["failed"]), chunks=data["chunks"], seconds=data["seconds"]))


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
        print_json(report.to_json())
    else:
        _print_summary(report.to_json())
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
        print_json({"documents": [d.to_json() for d in documents]})
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
    identity = require_writer(settings_for(index or ctx.obj))  # who acts: recorded with the correction
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
        fail(message("id_too_short", settings_language(), target=doc_id, min=MIN_ID_PREFIX), 2)
    from index.review_store import ReviewNotAllowed

    settings = settings_for(index or ctx.obj)
    try:
        record = set_metadata(Index(settings), doc_id, fields, identity=identity)
    except (CorrectionError, ReviewNotAllowed) as exc:  # in the user's language (Danish by default)
        say(err, (exc.render(settings_language()), "red"))
        raise typer.Exit(2) from exc
    if as_json:
        print_json(record)
    else:
        say(err, phrase("corrected", doc_id=record["doc_id"], fields=", ".join(f"{k}={v}" for k, v in fields.items())))


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
    try:  # erasing the trail too (--erase-history) is a case officer's write: the gate above
        plan = remove_planned(targets, settings, erase_history=erase_history)
    except TargetError as exc:  # empty, too short or ambiguous: nothing was removed
        fail(str(exc), 2)
    unknown = list(plan.targets.unknown)
    if as_json:
        print_json({"removed": plan.doc_ids, **({"not_found": unknown} if unknown else {})})
    else:
        err.print(phrase("removed", n=len(plan.documents)))
        for document in plan.documents:  # exactly what went: each document with its sender and source
            say(err, phrase("removed_document", doc_id=document.doc_id, sender=document.sender or "–",
                            source=document.source))
    for target in unknown:  # a typo is said, never silently dropped
        say(err, (phrase("error"), "red"), " ", phrase("remove_not_found", target=target))
    raise typer.Exit(0 if plan.documents and not unknown else 1)


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
        print_json(done.to_json())
    else:
        told = set()
        for outcome in done.report.failed:  # files the manifest lists that are not there any more
            if outcome.source not in told and not os.path.exists(outcome.source):
                told.add(outcome.source)
                say(err, (phrase("error"), "red"), " ", outcome.source, ": ", outcome.detail)
        if done.moved_to is not None:
            say(err, phrase("repaired", moved=done.moved_to))
        _print_summary(data)
    raise typer.Exit(1 if done.report.failed else 0)
