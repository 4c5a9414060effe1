"""``hoering themes …``: the themes of the letters in scope (the list, ``rename``, ``merge``, ``delete``: the
official's edits of the suggested themes) and of one hearing's case file (``confirm``: the themes the notat is
built on; ``matrix``: each letter's verdict on each confirmed theme, with who decided it), a thin shell over
answering/themes.py, answering/casefile.py and answering/hearing_report.py. ``themes_app`` holds the group."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from core.phrases import message
from hoering.guard import guarded, require_writer, settings_for
from hoering.hearings import case_context, hearing_named, shown_hearing
from hoering.options import FilterValues, HearingOpt, IndexOption, JsonOption, checked_filters, with_filter_options
from hoering.output import err, fail, phrase, print_json, say, settings_language

themes_app = typer.Typer(help=phrase("themes_help"))


@themes_app.callback(invoke_without_command=True, help=phrase("themes_list_help"))
@guarded
@with_filter_options
def themes(
    ctx: typer.Context,
    filter_values: FilterValues = FilterValues(),
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
    filters = checked_filters(settings, filter_values)
    found = build_themes(Searcher(settings), filters, llm=create_chat_model(settings))
    if as_json:
        print_json(themes_json(found))
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


@themes_app.command("confirm", help=phrase("themes_confirm_help"))
@guarded
def themes_confirm(labels: Optional[list[str]] = typer.Argument(None), hearing: Optional[str] = HearingOpt,
                   index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    require_writer(settings_for(index))
    from answering.casefile import HearingError, case_file, confirmed_themes
    from answering.hearing_report import scope_of
    from answering.themes import build_themes

    _, searcher, snap, store = case_context(index)
    key = hearing_named(hearing, snap, store)
    if labels:
        pairs = [(label.split("::", 1)[0], label.split("::", 1)[1] if "::" in label else "") for label in labels]
    else:  # the suggested themes, as they are (with the official's renames, merges and deletions)
        case = case_file(snap, store.hearing(key))
        pairs = [(t.label, "") for t in build_themes(searcher, scope_of(case))]
    try:
        themes = confirmed_themes(pairs)
    except HearingError as exc:
        fail(exc.render(settings_language()), 2)
    store.set_themes(key, themes)
    if as_json:
        print_json({"hearing": key, "themes": [{"theme_id": t.theme_id, "label": t.label, "description": t.description}
                                                for t in themes]})
    else:
        say(err, phrase("themes_confirmed", n=len(themes), hearing=shown_hearing(key)))


@themes_app.command("matrix", help=phrase("themes_matrix_help"))
@guarded
def themes_matrix(hearing: Optional[str] = HearingOpt, index: Optional[Path] = IndexOption,
                  as_json: bool = JsonOption) -> None:
    from answering.hearing_report import hearing_report
    from answering.review import reviewed_for

    settings, searcher, snap, store = case_context(index)
    key = hearing_named(hearing, snap, store)
    report = reviewed_for(hearing_report(searcher, store.hearing(key), snap=snap, summaries=False), settings)
    review = report.review
    if as_json:
        data = report.to_json()
        for cell in data["cells"]:  # where each verdict came from, and whether a person has checked it
            mark = review.mark("verdict", cell["doc_id"], cell["theme_id"])
            cell.update(source=mark.source if mark else None, model=mark.model if mark else None,
                        decided_by=mark.decided_by if mark else None, state=mark.state if mark else None)
        print_json({"hearing": key, "confirmed": data["confirmed"], "themes": data["themes"], "cells": data["cells"],
                    "review": {"reviewed": review.reviewed, "total": review.total}})
        return
    out = Console()
    for theme in report.themes:
        say(out, (theme.label, "bold"), f" ({theme.mentions}/{report.case.counts.with_content})")
        for cell in (c for c in report.cells if c.theme_id == theme.theme_id):
            letter = report.case.letter(cell.doc_id)
            mark = review.mark("verdict", cell.doc_id, cell.theme_id)
            said_by = f" [{mark.decided_by}]" if mark and mark.source == "person" and mark.decided_by else ""
            say(out, "  ", message(f"casefile.verdict.{cell.verdict}", "da"), said_by, ": ",
                letter.sender if letter else cell.doc_id, f" »{cell.quote}«" if cell.quote else "")
    say(out, message("hnotat.reviewed", "da", reviewed=review.reviewed, total=review.total))
