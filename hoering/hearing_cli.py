"""``hoering hearing …`` and ``hoering themes confirm|matrix``: the hearing's case file on the command line, a thin
shell over answering/casefile.py, answering/hearing_report.py and index/casefile_store.py (registered by
hoering/cli.py). JSON shapes are documented in the README ("Høringens sagsmappe")."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from core.phrases import message
from hoering.cli import (HearingOpt, IndexOption, JsonOption, _language, _print_json, _writer, err, fail, guarded,
                         phrase, require_writer, safe, say, settings_for, themes_app)

hearing_app = typer.Typer(help=phrase("hearing_help"))
HearingArgument = typer.Argument(..., help=phrase("hearing_argument"))


def _context(index: Optional[Path]):
    """(settings, searcher, snapshot, store) of the index."""
    from index.casefile_store import CaseFileStore
    from retrieval.search import Searcher

    settings = settings_for(index)
    searcher = Searcher(settings)
    return settings, searcher, searcher.snapshot(), CaseFileStore.for_settings(settings)


def _resolve(name: Optional[str], snap, store) -> str:
    from answering.casefile import HearingError, hearings_in, resolve_hearing

    known = [h.hearing for h in hearings_in(snap, store.hearing_names())]
    try:
        return resolve_hearing(name, known)
    except HearingError as exc:
        fail(exc.render(_language()), 2)


def _shown(hearing: str) -> str:
    return hearing or message("casefile.no_hearing", "da")


@hearing_app.command("list", help=phrase("hearing_list_help"))
@guarded
def hearing_list(index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    from answering.casefile import hearings_in

    _, _, snap, store = _context(index)
    found = hearings_in(snap, store.hearing_names())
    if as_json:
        _print_json({"hearings": [{"hearing": h.hearing, "letters": h.letters} for h in found]})
        return
    for h in found:
        say(Console(), (_shown(h.hearing), "bold"), " – ", phrase("hearing_line", letters=h.letters))


@hearing_app.command("import-list", help=phrase("hearing_import_help"))
@guarded
def hearing_import(hearing: str = HearingArgument, source: str = typer.Argument(..., help=phrase("hearing_import_help")),
                   index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    require_writer(settings_for(index))
    from ingest.hearing_list import read_hearing_list, read_lines

    _, _, snap, store = _context(index)
    key = _resolve(hearing, snap, store)
    if source == "-":
        found = read_lines(sys.stdin.read())
    else:
        path = Path(source)
        if not path.is_file():
            fail(message("queries_unreadable", _language(), path=path, reason=message("queries_missing", _language())), 2)
        found = read_hearing_list(path)
    problems = [{"row": p.row, "code": p.code, "detail": p.detail} for p in found.problems]
    if not found.parties:  # nothing is replaced by an empty list
        for p in found.problems:
            say(err, (phrase("note"), "yellow"), " ", phrase("hearing_problem", row=p.row, problem=message(
                f"casefile.problem.{p.code}", _language(), detail=p.detail)))
        fail(message("hearing_no_parties", _language(), source=source), 2)
    store.set_parties(key, found.parties)
    if as_json:
        _print_json({"hearing": key, "parties": [p.name for p in found.parties], "column": found.column,
                     "problems": problems})
        return
    say(err, phrase("hearing_imported", hearing=_shown(key), n=len(found.parties)))
    for p in found.problems:
        say(err, (phrase("note"), "yellow"), " ", phrase("hearing_problem", row=p.row, problem=message(
            f"casefile.problem.{p.code}", _language(), detail=p.detail)))


@hearing_app.command("status", help=phrase("hearing_status_help"))
@guarded
def hearing_status(hearing: Optional[str] = typer.Argument(None, help=phrase("hearing_argument")),
                   index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    from answering.casefile import case_file

    _, _, snap, store = _context(index)
    key = _resolve(hearing, snap, store)
    case = case_file(snap, store.hearing(key))
    if as_json:
        _print_json(case.to_json())
        return
    out = Console()
    counts = case.counts
    say(out, (_shown(key), "bold"))
    say(out, phrase("status_counts", received=counts.received, with_content=counts.with_content,
                    no_remarks=counts.no_remarks, campaigns=counts.campaigns))
    table = Table("doc_id", *(message(k, "da") for k in ("notat.column.sender", "hnotat.column.outcome",
                                                         "hnotat.column.stance", "hnotat.column.party",
                                                         "hnotat.column.match", "hnotat.column.campaign")))
    for x in case.letters:
        table.add_row(*(safe(v) for v in (
            x.doc_id, x.sender or x.source, message(f"casefile.outcome.{x.outcome}", "da"),
            message(f"casefile.stance.{x.stance}", "da") if x.outcome == "response" else "", x.party or "",
            message(f"casefile.match.{x.match}", "da") if x.match else "", x.campaign or "")))
    out.print(table)
    if case.has_list:
        parties = Table(message("hnotat.column.party", "da"), message("hnotat.column.status", "da"))
        for p in case.parties:
            parties.add_row(safe(p.name), safe(message(f"casefile.party.{p.status}", "da")))
        out.print(parties)


@hearing_app.command("match", help=phrase("hearing_match_help"))
@guarded
def hearing_match(hearing: str = HearingArgument, doc_id: str = typer.Argument(..., help=phrase("doc_id_argument")),
                  party: Optional[str] = typer.Argument(None, help=phrase("party_argument")),
                  none: bool = typer.Option(False, "--none"), clear: bool = typer.Option(False, "--clear"),
                  index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    require_writer(settings_for(index))
    from answering.casefile import case_file, letters_of
    from answering.review import party_decided
    from core.casefile import PartyLink
    from index.review_store import ReviewStore
    from ingest.removal import MIN_ID_PREFIX

    settings, _, snap, store = _context(index)
    key = _resolve(hearing, snap, store)
    identity = _writer(settings)  # a reader is refused before anything is written
    if sum((party is not None, none, clear)) != 1:
        fail(phrase("hearing_match_help"), 2)
    if len(doc_id.strip()) < MIN_ID_PREFIX:
        fail(message("id_too_short", _language(), target=doc_id, min=MIN_ID_PREFIX), 2)
    mine = [d.doc_id for d, _ in letters_of(snap, key) if d.doc_id.startswith(doc_id.strip())]
    if len(mine) != 1:
        fail(message("letter_not_in_hearing", _language(), doc_id=doc_id, hearing=_shown(key)), 2)
    record = store.hearing(key)
    trail = ReviewStore.for_settings(settings)
    if clear:  # the rules decide again: their answer, to be reviewed, in the history
        store.clear_link(key, mine[0])
        letter = case_file(snap, store.hearing(key)).letter(mine[0])
        party_decided(trail, identity, key, mine[0], letter.party if letter else None, state="unreviewed")
    else:
        if party is not None and party not in {p.name for p in record.parties}:
            fail(message("party_unknown", _language(), party=party, hearing=_shown(key)), 2)
        store.set_link(key, PartyLink(mine[0], None if none else party, "person"))
        party_decided(trail, identity, key, mine[0], None if none else party)
    if as_json:
        _print_json({"hearing": key, "doc_id": mine[0], "party": None if (none or clear) else party, "cleared": clear})
    elif clear:
        say(err, phrase("hearing_unlinked", doc_id=mine[0]))
    else:
        say(err, phrase("hearing_linked", doc_id=mine[0], party=party or message("casefile.match.unlisted", "da")))


@hearing_app.command("dates", help=phrase("hearing_dates_help"))
@guarded
def hearing_dates(hearing: str = HearingArgument, sent: Optional[str] = typer.Option(None, "--sent"),
                  deadline: Optional[str] = typer.Option(None, "--deadline"), index: Optional[Path] = IndexOption) -> None:
    require_writer(settings_for(index))
    from datetime import date

    _, _, snap, store = _context(index)
    key = _resolve(hearing, snap, store)
    for value in (sent, deadline):
        try:
            if value is not None:
                date.fromisoformat(value)
        except ValueError:
            fail(message("bad_date", _language(), value=value), 2)
    store.set_dates(key, sent=sent, deadline=deadline)
    say(err, phrase("hearing_dates_set", hearing=_shown(key)))


@themes_app.command("confirm", help=phrase("themes_confirm_help"))
@guarded
def themes_confirm(labels: Optional[list[str]] = typer.Argument(None), hearing: Optional[str] = HearingOpt,
                   index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    require_writer(settings_for(index))
    from answering.casefile import HearingError, case_file, confirmed_themes
    from answering.hearing_report import scope_of
    from answering.themes import build_themes

    _, searcher, snap, store = _context(index)
    key = _resolve(hearing, snap, store)
    if labels:
        pairs = [(label.split("::", 1)[0], label.split("::", 1)[1] if "::" in label else "") for label in labels]
    else:  # the suggested themes, as they are (with the official's renames, merges and deletions)
        case = case_file(snap, store.hearing(key))
        pairs = [(t.label, "") for t in build_themes(searcher, scope_of(case))]
    try:
        themes = confirmed_themes(pairs)
    except HearingError as exc:
        fail(exc.render(_language()), 2)
    store.set_themes(key, themes)
    if as_json:
        _print_json({"hearing": key, "themes": [{"theme_id": t.theme_id, "label": t.label, "description": t.description}
                                                 for t in themes]})
    else:
        say(err, phrase("themes_confirmed", n=len(themes), hearing=_shown(key)))


@themes_app.command("matrix", help=phrase("themes_matrix_help"))
@guarded
def themes_matrix(hearing: Optional[str] = HearingOpt, index: Optional[Path] = IndexOption,
                  as_json: bool = JsonOption) -> None:
    from answering.hearing_report import hearing_report
    from answering.review import reviewed_for

    settings, searcher, snap, store = _context(index)
    key = _resolve(hearing, snap, store)
    report = reviewed_for(hearing_report(searcher, store.hearing(key), snap=snap, summaries=False), settings)
    review = report.review
    if as_json:
        data = report.to_json()
        for cell in data["cells"]:  # where each verdict came from, and whether a person has checked it
            mark = review.mark("verdict", cell["doc_id"], cell["theme_id"])
            cell.update(source=mark.source if mark else None, model=mark.model if mark else None,
                        decided_by=mark.decided_by if mark else None, state=mark.state if mark else None)
        _print_json({"hearing": key, "confirmed": data["confirmed"], "themes": data["themes"], "cells": data["cells"],
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
