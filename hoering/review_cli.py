"""``hoering review list|set|history``: the review trail on the command line (issue 25), a thin shell over
answering/review.py, index/review_store.py and export/review_audit.py (registered by hoering/cli.py). Every write
goes through the identity ``hoering.cli._identity`` resolves; a reader is refused (exit 2) before anything is
written. JSON shapes are documented in the README ("Gennemgang og historik")."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from core.phrases import message
from hoering.cli import (IndexOption, JsonOption, _language, _print_json, _writer, err, fail, guarded, phrase, safe,
                         say)
from hoering.hearing_cli import _context, _shown

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
        fail(exc.render(_language()), 2)


def _choice(value: Optional[str], allowed: tuple[str, ...], option: str) -> Optional[str]:
    if value is not None and value not in allowed:
        fail(message("review_bad_option", _language(), option=option, value=value, allowed=", ".join(allowed)), 2)
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
    settings, searcher, snap, store = _context(index)
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
            _print_json({"hearing": key, **data})
            return
        out = Console()
        say(out, (_shown(key), "bold"), " – ", message("review.progress", "da", reviewed=found.reviewed, total=found.total))
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
        _print_json({"hearing": key, "decisions": [decision_json(d) for d in decisions]})
        return
    from export.hearing_notat import source_text, state_text
    from answering.hearing_report import ReviewMark

    table = Table(message("review.column.hearing", "da"), "doc_id", *(message(k, "da") for k in (
        "review.column.kind", "review.column.subject", "review.column.new_value", "review.column.decided_by",
        "review.column.state")))
    for d in decisions:
        mark = ReviewMark(kind=d.key.kind, doc_id=d.key.doc_id, subject=d.key.subject, source=d.source, model=d.model,
                          decided_by=d.decided_by, state=d.state, machine_changed=d.machine_changed)
        table.add_row(*(safe(v) for v in (_shown(d.key.hearing), d.key.doc_id[:12],
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
    from answering.casefile import letters_of
    from answering.review import ReviewValueError, decision_json, party_decided, set_item
    from core.casefile import PartyLink, hearing_key
    from core.review import DECISION_KINDS, ItemKey
    from index.review_store import ReviewNotAllowed, ReviewStore
    from ingest.removal import MIN_ID_PREFIX

    _choice(kind, DECISION_KINDS, "KIND")
    if sum((accept, value is not None, flag, unreviewed)) != 1:
        fail(message("review_one_action", _language()), 2)
    settings, searcher, snap, store = _context(index)
    identity = _writer(settings)  # a reader is refused before anything is written
    trail = ReviewStore.for_settings(settings)
    key_hearing = _hearing(hearing, snap, store, trail, needed=True)
    if len(doc_id.strip()) < MIN_ID_PREFIX:
        fail(message("id_too_short", _language(), target=doc_id, min=MIN_ID_PREFIX), 2)
    mine = [d.doc_id for d, _ in letters_of(snap, key_hearing) if d.doc_id.startswith(doc_id.strip())]
    if len(mine) != 1:
        fail(message("letter_not_in_hearing", _language(), doc_id=doc_id, hearing=_shown(key_hearing)), 2)
    key = ItemKey(key_hearing, kind, mine[0], subject)
    action = "accept" if accept else "flag" if flag else "unreviewed" if unreviewed else "value"
    if trail.decision(key) is None:  # the machine's decisions of this hearing are recorded first
        _report(settings, searcher, snap, store, key_hearing)
    try:
        if action == "accept" and kind == "metadata" and subject == "sender":  # a guessed sender confirmed: its
            # "Tjek afsender" mark goes (kept on re-ingest), as the library's confirmation does
            action, value = "value", trail.decision(key).value if trail.decision(key) else None
        if action == "value" and kind == "metadata":  # a document field: the correction, with its history
            from index.index import Index
            from ingest.corrections import CorrectionError, set_metadata

            try:
                record = set_metadata(Index(settings), mine[0], {subject: value}, identity=identity, why=why)
            except CorrectionError as exc:
                fail(exc.render(_language()), 2)
            decision = trail.decision(ItemKey(hearing_key(record.get("hearing")), kind, mine[0], subject))
        elif action == "value" and kind == "party":  # the case file's link, with its history
            if value and value not in {p.name for p in store.hearing(key_hearing).parties}:
                fail(message("party_unknown", _language(), party=value, hearing=_shown(key_hearing)), 2)
            store.set_link(key_hearing, PartyLink(mine[0], value or None, "person"))
            decision = party_decided(trail, identity, key_hearing, mine[0], value, why=why)
        else:
            if action != "value" and trail.decision(key) is None:
                fail(message("review_no_item", _language(), kind=kind, doc_id=mine[0], subject=subject,
                             hearing=_shown(key_hearing)), 2)
            decision = set_item(trail, identity, key, action, value, why=why)
    except (ReviewValueError, ReviewNotAllowed) as exc:
        fail(exc.render(_language()), 2)
    if as_json:
        _print_json(decision_json(decision) if decision else {})
    else:
        say(err, phrase("review_set_done", kind=kind, doc_id=mine[0], subject=subject,
                        state=message(f"review.state.{decision.state}", "da") if decision else "", who=identity.name))


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
    settings, _, snap, store = _context(index)
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
            fail(message("cannot_write", _language(), path=out, error=exc.strerror or exc), 2)
        say(err, phrase("review_history_written", n=len(entries), target=out))
        return
    if as_json:
        _print_json({"history": [review_audit.entry_json(e) for e in entries]})
        return
    table = Table(*review_audit.headers("da"))
    for e in entries:
        table.add_row(*(safe(v) for v in (str(e.id), _shown(e.key.hearing), message(f"review.kind.{e.key.kind}", "da"),
                                          e.key.doc_id[:12], e.key.subject, e.who, e.at, e.old_value or "",
                                          e.new_value or "", e.old_state or "", e.new_state or "", e.why)))
    Console().print(table)
