"""``hoering review list|set|history``: the review trail on the command line (issue 25), a thin shell over
answering/review.py, index/review_store.py and export/review_audit.py; ``review_app`` holds the group. Every write
passes the write gate (hoering/guard.py ``require_writer``): a reader is refused (exit 2) before anything is
written. JSON shapes are documented in the README ("Gennemgang og historik")."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from core.phrases import message
from hoering.guard import guarded, require_writer
from hoering.hearings import case_context, letter_in_hearing, shown_hearing
from hoering.options import IndexOption, JsonOption
from hoering.output import err, fail, phrase, print_json, safe, say, settings_language

review_app = typer.Typer(help=phrase("review_help"))
HearingOption = typer.Option(None, "--hearing", help=phrase("hearing_argument"))


def _hearing(name: Optional[str], snap, store, trail, *, needed: bool) -> Optional[str]:
    """The hearing ``name`` means among the index's, the stored ones and those the trail knows (a removed letter's
    hearing stays in its history); None when no name is given and none is ``needed``."""
    from answering.casefile import HearingError, hearings_in, resolve_hearing

    if name is None and not needed:
        return None
    known = [h.hearing for h in hearings_in(snap, store.hearing_names())]
    known += sorted({e.key.hearing for e in trail.history()} - set(known))
    try:
        return resolve_hearing(name, known)
    except HearingError as exc:
        fail(exc.render(settings_language()), 2)


def _choice(value: Optional[str], allowed: tuple[str, ...], option: str) -> Optional[str]:
    if value is not None and value not in allowed:
        fail(message("review_bad_option", settings_language(), option=option, value=value, allowed=", ".join(allowed)), 2)
    return value


def _report(settings, searcher, snap, store, hearing: str):
    """The hearing's report laid over the trail: its machine decisions recorded first."""
    from answering.hearing_report import hearing_report
    from answering.review import reviewed_for

    return reviewed_for(hearing_report(searcher, store.hearing(hearing), snap=snap, summaries=False), settings)


@review_app.command("list", help=phrase("review_list_help"))
@guarded
def review_list(hearing: Optional[str] = HearingOption, state: Optional[str] = typer.Option(None, "--state"),
                kind: Optional[str] = typer.Option(None, "--kind"), queue: bool = typer.Option(False, "--queue"),
                index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    from answering.review import decision_json, queue_json, review_queue
    from core.review import DECISION_KINDS, REVIEW_STATES
    from index.review_store import ReviewStore

    _choice(state, REVIEW_STATES, "--state")
    _choice(kind, DECISION_KINDS, "--kind")
    settings, searcher, snap, store = case_context(index)
    trail = ReviewStore.for_settings(settings)
    key = _hearing(hearing, snap, store, trail, needed=queue)
    if queue:
        found = review_queue(_report(settings, searcher, snap, store, key), trail.decisions(key))
        items = [i for i in found.items if (state is None or i.decision.state == state)
                 and (kind is None or i.decision.key.kind == kind)]
        if as_json:
            data = queue_json(found)
            data["items"] = [x for x in data["items"] if (state is None or x["state"] == state)
                             and (kind is None or x["kind"] == kind)]
            print_json({"hearing": key, **data})
            return
        out = Console()
        say(out, (shown_hearing(key), "bold"), " – ", message("review.progress", "da", reviewed=found.reviewed, total=found.total))
        table = Table("doc_id", *(message(k, "da") for k in ("review.column.kind", "review.column.state",
                                                              "notat.column.sender", "review.column.subject",
                                                              "notat.column.quote")))
        for i in items:
            table.add_row(*(safe(v) for v in (
                i.decision.key.doc_id[:12], message(f"review.reason.{i.reason}", "da"),
                message(f"review.state.{i.decision.state}", "da"), i.sender, i.label or i.decision.key.subject,
                i.sentence or "")))
        out.print(table)
        return
    decisions = trail.decisions(key, kind=kind, state=state)
    if as_json:
        print_json({"hearing": key, "decisions": [decision_json(d) for d in decisions]})
        return
    from export.hearing_notat import source_text, state_text
    from answering.hearing_report import ReviewMark

    table = Table(message("review.column.hearing", "da"), "doc_id", *(message(k, "da") for k in (
        "review.column.kind", "review.column.subject", "review.column.new_value", "review.column.decided_by",
        "review.column.state")))
    for d in decisions:
        mark = ReviewMark(kind=d.key.kind, doc_id=d.key.doc_id, subject=d.key.subject, source=d.source, model=d.model,
                          decided_by=d.decided_by, state=d.state, machine_changed=d.machine_changed)
        table.add_row(*(safe(v) for v in (shown_hearing(d.key.hearing), d.key.doc_id[:12],
                                          message(f"review.kind.{d.key.kind}", "da"), d.key.subject, d.value or "",
                                          source_text(mark), state_text(mark))))
    Console().print(table)


@review_app.command("set", help=phrase("review_set_help"))
@guarded
def review_set(hearing: str = typer.Argument(..., help=phrase("hearing_argument")),
               kind: str = typer.Argument(..., help=phrase("review_kind_argument")),
               doc_id: str = typer.Argument(..., help=phrase("doc_id_argument")),
               subject: str = typer.Argument("", help=phrase("review_subject_argument")),
               accept: bool = typer.Option(False, "--accept"), value: Optional[str] = typer.Option(None, "--value"),
               flag: bool = typer.Option(False, "--flag"), unreviewed: bool = typer.Option(False, "--unreviewed"),
               why: str = typer.Option("", "--why"), index: Optional[Path] = IndexOption,
               as_json: bool = JsonOption) -> None:
    from answering.review import decision_json
    from core.review import DECISION_KINDS, ItemKey
    from index.review_store import ReviewStore

    _choice(kind, DECISION_KINDS, "KIND")
    if sum((accept, value is not None, flag, unreviewed)) != 1:
        fail(message("review_one_action", settings_language()), 2)
    settings, searcher, snap, store = case_context(index)
    identity = require_writer(settings)  # a reader is refused before anything is written
    trail = ReviewStore.for_settings(settings)
    key_hearing = _hearing(hearing, snap, store, trail, needed=True)
    doc = letter_in_hearing(doc_id, snap, key_hearing)
    key = ItemKey(key_hearing, kind, doc, subject)
    action = "accept" if accept else "flag" if flag else "unreviewed" if unreviewed else "value"
    if trail.decision(key) is None:  # the machine's decisions of this hearing are recorded first
        _report(settings, searcher, snap, store, key_hearing)
    decision = _decided(settings, identity, trail, store, key, action, value, why)
    if as_json:
        print_json(decision_json(decision) if decision else {})
    else:
        say(err, phrase("review_set_done", kind=kind, doc_id=doc, subject=subject,
                        state=message(f"review.state.{decision.state}", "da") if decision else "", who=identity.name))


def _decided(settings, identity, trail, store, key, action: str, value: Optional[str], why: str):
    """The decision after ``action`` on the item ``key``: a document field's value through the correction, a party
    through the case file's link (each with its history), else the trail's item accepted, flagged, reopened or given
    a value. A value or an identity the trail refuses, or an item it does not hold, is one line, exit 2."""
    from answering.review import ReviewValueError, party_decided, set_item
    from core.casefile import PartyLink, hearing_key
    from core.review import ItemKey
    from index.review_store import ReviewNotAllowed

    try:
        if action == "accept" and key.kind == "metadata" and key.subject == "sender":  # a guessed sender confirmed:
            # its "Tjek afsender" mark goes (kept on re-ingest), as the library's confirmation does
            action, value = "value", trail.decision(key).value if trail.decision(key) else None
        if action == "value" and key.kind == "metadata":  # a document field: the correction, with its history
            from index.index import Index
            from ingest.corrections import CorrectionError, set_metadata

            try:
                record = set_metadata(Index(settings), key.doc_id, {key.subject: value}, identity=identity, why=why)
            except CorrectionError as exc:
                fail(exc.render(settings_language()), 2)
            return trail.decision(ItemKey(hearing_key(record.get("hearing")), key.kind, key.doc_id, key.subject))
        if action == "value" and key.kind == "party":  # the case file's link, with its history
            if value and value not in {p.name for p in store.hearing(key.hearing).parties}:
                fail(message("party_unknown", settings_language(), party=value, hearing=shown_hearing(key.hearing)), 2)
            store.set_link(key.hearing, PartyLink(key.doc_id, value or None, "person"))
            return party_decided(trail, identity, key.hearing, key.doc_id, value, why=why)
        if action != "value" and trail.decision(key) is None:
            fail(message("review_no_item", settings_language(), kind=key.kind, doc_id=key.doc_id, subject=key.subject,
                         hearing=shown_hearing(key.hearing)), 2)
        return set_item(trail, identity, key, action, value, why=why)
    except (ReviewValueError, ReviewNotAllowed) as exc:
        fail(exc.render(settings_language()), 2)


@review_app.command("history", help=phrase("review_history_help"))
@guarded
def review_history(hearing: Optional[str] = HearingOption, doc: Optional[str] = typer.Option(None, "--doc"),
                   fmt: Optional[str] = typer.Option(None, "--format"), out: Optional[Path] = typer.Option(None, "--out"),
                   index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    from export import review_audit
    from index.review_store import ReviewStore

    _choice(fmt, ("csv", "xlsx"), "--format")
    if fmt is not None and out is None:
        fail(phrase("review_history_help"), 2)
    settings, _, snap, store = case_context(index)
    trail = ReviewStore.for_settings(settings)
    key = _hearing(hearing, snap, store, trail, needed=False)
    entries = trail.history(key)
    if doc is not None:  # a removed letter's id too: its history outlives it
        entries = [e for e in entries if e.key.doc_id.startswith(doc.strip())]
    if fmt is not None:
        data = review_audit.to_csv(entries) if fmt == "csv" else review_audit.to_xlsx(entries)
        try:
            out.write_bytes(data)
        except OSError as exc:
            fail(message("cannot_write", settings_language(), path=out, error=exc.strerror or exc), 2)
        say(err, phrase("review_history_written", n=len(entries), target=out))
        return
    if as_json:
        print_json({"history": [review_audit.entry_json(e) for e in entries]})
        return
    table = Table(*review_audit.headers("da"))
    for e in entries:
        table.add_row(*(safe(v) for v in (str(e.id), shown_hearing(e.key.hearing), message(f"review.kind.{e.key.kind}", "da"),
                                          e.key.doc_id[:12], e.key.subject, e.who, e.at, e.old_value or "",
                                          e.new_value or "", e.old_state or "", e.new_state or "", e.why)))
    Console().print(table)
