"""``hoering hearing list|import-list|status|match|dates``: the hearing's case file on the command line (its
høringsliste, each letter's outcome and party, the dates), a thin shell over answering/casefile.py,
ingest/hearing_list.py and index/casefile_store.py; ``hearing_app`` holds the group. The hearing's themes are
``themes confirm|matrix`` (hoering/themes_cli.py). JSON shapes are documented in the README ("Høringens
sagsmappe")."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from core.phrases import message
from hoering.guard import guarded, require_writer, settings_for
from hoering.hearings import case_context, hearing_named, letter_in_hearing, shown_hearing
from hoering.options import IndexOption, JsonOption
from hoering.output import err, fail, phrase, print_json, safe, say, settings_language

hearing_app = typer.Typer(help=phrase("hearing_help"))
HearingArgument = typer.Argument(..., help=phrase("hearing_argument"))


@hearing_app.command("list", help=phrase("hearing_list_help"))
@guarded
def hearing_list(index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    from answering.casefile import hearings_in

    _, _, snap, store = case_context(index)
    found = hearings_in(snap, store.hearing_names())
    if as_json:
        print_json({"hearings": [{"hearing": h.hearing, "letters": h.letters} for h in found]})
        return
    for h in found:
        say(Console(), (shown_hearing(h.hearing), "bold"), " – ", phrase("hearing_line", letters=h.letters))


@hearing_app.command("import-list", help=phrase("hearing_import_help"))
@guarded
def hearing_import(hearing: str = HearingArgument, source: str = typer.Argument(..., help=phrase("hearing_import_help")),
                   index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    require_writer(settings_for(index))
    from ingest.hearing_list import read_hearing_list, read_lines

    _, _, snap, store = case_context(index)
    key = hearing_named(hearing, snap, store)
    if source == "-":
        found = read_lines(sys.stdin.read())
    else:
        path = Path(source)
        if not path.is_file():
            fail(message("queries_unreadable", settings_language(), path=path, reason=message("queries_missing", settings_language())), 2)
        found = read_hearing_list(path)
    problems = [{"row": p.row, "code": p.code, "detail": p.detail} for p in found.problems]
    if not found.parties:  # nothing is replaced by an empty list
        for p in found.problems:
            say(err, (phrase("note"), "yellow"), " ", phrase("hearing_problem", row=p.row, problem=message(
                f"casefile.problem.{p.code}", settings_language(), detail=p.detail)))
        fail(message("hearing_no_parties", settings_language(), source=source), 2)
    store.set_parties(key, found.parties)
    if as_json:
        print_json({"hearing": key, "parties": [p.name for p in found.parties], "column": found.column,
                    "problems": problems})
        return
    say(err, phrase("hearing_imported", hearing=shown_hearing(key), n=len(found.parties)))
    for p in found.problems:
        say(err, (phrase("note"), "yellow"), " ", phrase("hearing_problem", row=p.row, problem=message(
            f"casefile.problem.{p.code}", settings_language(), detail=p.detail)))


@hearing_app.command("status", help=phrase("hearing_status_help"))
@guarded
def hearing_status(hearing: Optional[str] = typer.Argument(None, help=phrase("hearing_argument")),
                   index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    from answering.casefile import case_file

    _, _, snap, store = case_context(index)
    key = hearing_named(hearing, snap, store)
    case = case_file(snap, store.hearing(key))
    if as_json:
        print_json(case.to_json())
        return
    out = Console()
    counts = case.counts
    say(out, (shown_hearing(key), "bold"))
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
    identity = require_writer(settings_for(index))  # a reader is refused before anything is read or written
    from answering.casefile import case_file
    from answering.review import party_decided
    from core.casefile import PartyLink
    from index.review_store import ReviewStore

    settings, _, snap, store = case_context(index)
    key = hearing_named(hearing, snap, store)
    if sum((party is not None, none, clear)) != 1:
        fail(phrase("hearing_match_help"), 2)
    doc = letter_in_hearing(doc_id, snap, key)
    record = store.hearing(key)
    trail = ReviewStore.for_settings(settings)
    if clear:  # the rules decide again: their answer, to be reviewed, in the history
        store.clear_link(key, doc)
        letter = case_file(snap, store.hearing(key)).letter(doc)
        party_decided(trail, identity, key, doc, letter.party if letter else None, state="unreviewed")
    else:
        if party is not None and party not in {p.name for p in record.parties}:
            fail(message("party_unknown", settings_language(), party=party, hearing=shown_hearing(key)), 2)
        store.set_link(key, PartyLink(doc, None if none else party, "person"))
        party_decided(trail, identity, key, doc, None if none else party)
    if as_json:
        print_json({"hearing": key, "doc_id": doc, "party": None if (none or clear) else party, "cleared": clear})
    elif clear:
        say(err, phrase("hearing_unlinked", doc_id=doc))
    else:
        say(err, phrase("hearing_linked", doc_id=doc, party=party or message("casefile.match.unlisted", "da")))


@hearing_app.command("dates", help=phrase("hearing_dates_help"))
@guarded
def hearing_dates(hearing: str = HearingArgument, sent: Optional[str] = typer.Option(None, "--sent"),
                  deadline: Optional[str] = typer.Option(None, "--deadline"), index: Optional[Path] = IndexOption) -> None:
    require_writer(settings_for(index))
    from datetime import date

    _, _, snap, store = case_context(index)
    key = hearing_named(hearing, snap, store)
    for value in (sent, deadline):
        try:
            if value is not None:
                date.fromisoformat(value)
        except ValueError:
            fail(message("bad_date", settings_language(), value=value), 2)
    store.set_dates(key, sent=sent, deadline=deadline)
    say(err, phrase("hearing_dates_set", hearing=shown_hearing(key)))
