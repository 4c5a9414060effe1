"""``hoering export notat``: the høringsnotat as DOCX or XLSX — one hearing's notat from its case file
(export/hearing_notat.py) when the scope is one hearing, else the notat of every letter in scope
(export/notat.py). ``export_app`` holds the group."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from core.errors import explain
from core.phrases import message
from hoering.guard import guarded, settings_for
from hoering.options import FilterValues, IndexOption, checked_filters, with_filter_options
from hoering.output import err, fail, phrase, say

if TYPE_CHECKING:
    from core.settings import Settings

export_app = typer.Typer(help=phrase("export_help"))


@export_app.command("notat", help=phrase("notat_help"))
@guarded
@with_filter_options
def export_notat(
    fmt: str = typer.Option("docx", "--format", help=phrase("format_option")),
    out: Optional[Path] = typer.Option(None, "--out", help=phrase("out_option")),
    filter_values: FilterValues = FilterValues(),
    index: Optional[Path] = IndexOption,
) -> None:
    from export.notat import build_notat, to_docx, to_xlsx
    from retrieval.search import Searcher

    if fmt not in ("docx", "xlsx"):
        err.print(phrase("bad_format"))
        raise typer.Exit(2)
    from answering.llm import create_chat_model

    settings = settings_for(index)
    filters = checked_filters(settings, filter_values)
    searcher = Searcher(settings)
    report = _hearing_report(searcher, settings, filter_values.hearing, filters)
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
