"""The page "Gennemgang": the review queue of the hearing chosen in the sidebar (issue 25), a thin shell over
answering/review.py (the machine's decisions recorded, the queue and its progress) and index/review_store.py (a
person's decisions, with who, when, old → new).

The progress ("34 af 120 gennemgået"), then what needs a person first, in this order: uncertain verdicts, guessed
senders ("Tjek afsender"), uncertain and unlisted parties, campaign groups, items marked for follow-up. Each item
shows the sentence that decides it, the sender, the theme or party, and one-click actions: accept, change (a
verdict, a party, a sender) and flag for follow-up.

What is written is bound to what the user acted on: every control's key holds the hearing (a digest), the item's
kind, its letter and its subject; an action writes that one item (and, for a party or a sender, that letter's link
or metadata) and nothing else. Every write goes through ``current_identity()``: a reader sees no controls, and the
store refuses her writes (``ReviewNotAllowed``). Everything that comes from a letter is escaped (ui/safe.py).

Speed: the report is the page "Høringen"'s (its cache: computed once for both pages), and its machine decisions
are recorded once per (index version, case file state, review database) and process (``_recorded_report``:
st.cache_resource), never on a rerun; a rerun reads the decisions (one query) and builds the queue; the queue is
shown a page at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass

import streamlit as st

from answering.hearing_report import HearingReport
from answering.review import Queue, QueueItem, record, review_queue
from core.casefile import HearingRecord, PartyLink, hearing_key
from core.phrases import PHRASES, message
from core.review import Decision, Identity, ItemKey
from index.review_store import ReviewNotAllowed, ReviewStore
from index.snapshot import Snapshot
from ingest.corrections import CorrectionError, set_metadata
from ui import resources, sidebar
from ui.casefile_shared import fingerprint, hearing_tag, page_head, report_of, said, show_said
from ui.safe import escape_label, escape_markdown
from ui.texts import t

P = f"{sidebar.CASEFILE_PREFIX}rv_"  # every session key of this page: dropped on a change of hearing
NO_PARTY = "\x00none"  # the option "ingen part" of a party control
ALL = "\x00all"  # the filters' "alle"
PAGE_SIZE = 20
DEFAULT_NAME = "sagsbehandler"  # the review trail's name for the user where none is configured (issue 25 #4)
# The queue's order (the product's priority): what a person must look at first comes first.
PRIORITY = ("uncertain_verdict", "check_sender", "uncertain_party", "unlisted", "campaign", "flagged")
GROUPS = {"uncertain_verdict": "verdict", "check_sender": "sender", "uncertain_party": "party", "unlisted": "party",
          "campaign": "campaign", "flagged": "flagged"}  # reason -> the kind filter's group
KINDS = ("verdict", "sender", "party", "campaign")
VERDICT_CHOICES = ("mentions", "not_mentioned")


# --- who is acting ----------------------------------------------------------------------------------------------


def current_identity() -> Identity:
    """Who acts on this page, and what she may do: the one place a login (users file, proxy header, OIDC) plugs in.
    Without one: the configured user's name (``settings.user`` where the setting exists), else "sagsbehandler",
    as a case officer. Whether controls are shown follows ``Identity.may_write`` of what this returns."""
    from ui import auth

    return auth.current() or Identity(DEFAULT_NAME, "reader")  # (the gate lets nobody unnamed this far)


# --- cached computations ------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=8)
def _recorded_report(index: str, version: int, hearing: str, stored: str, llm_name: str | None, db_url: str,
                     embedder: str, _record: HearingRecord, _snap: Snapshot) -> HearingReport:
    """The hearing's report over ``_snap``, its machine decisions recorded in the review store once for this index
    version, case file state and database. The report is the page "Høringen"'s (ui/casefile_shared.py
    ``report_of``: one computation for both pages; after the themes are confirmed there, this page opens without
    placing a letter again). Held, not copied: never mutated."""
    report = report_of(index, version, hearing, stored, llm_name, _record, _snap)
    record(ReviewStore(db_url), report, embedder)
    return report


@st.cache_resource(show_spinner=False)
def _store(url: str) -> ReviewStore:
    return ReviewStore(url)


def review_store() -> ReviewStore:
    """The review trail of the index (its SQLite file, or the shared database of HOERING_REVIEW_DB_URL)."""
    return _store(resources.casefile_store().url)


# --- the queue ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entries:
    """The page's queue: the items in priority order (with the reviewed ones too where ``all_`` was asked), and the
    progress over every decision of the hearing."""

    items: list[QueueItem]
    reviewed: int
    total: int


def entries(report: HearingReport, decisions: list[Decision], all_: bool = False) -> Entries:
    """The queue of ``review_queue`` in the product's order; with ``all_`` the reviewed items it would list too."""
    queue: Queue = review_queue(report, decisions, include_reviewed=all_)
    items = sorted(queue.items, key=lambda i: PRIORITY.index(i.reason))  # the page's order: flagged items last
    return Entries(items=items, reviewed=queue.reviewed, total=queue.total)


def filtered(items: list[QueueItem], kind: str, state: str) -> list[QueueItem]:
    """The items of a kind group (``ALL``: every kind) and a review state (``ALL``: every state)."""
    return [i for i in items
            if (kind == ALL or _group(i) == kind) and (state == ALL or i.decision.state == state)]


def _group(item: QueueItem) -> str:
    """The kind filter's group of an item (a flagged one by what it is about)."""
    if item.reason != "flagged":
        return GROUPS.get(item.reason, item.reason)
    return {"verdict": "verdict", "metadata": "sender", "party": "party", "campaign": "campaign"}.get(
        item.decision.key.kind, item.decision.key.kind)


# --- keys ----------------------------------------------------------------------------------------------------------


def item_key(action: str, key: ItemKey) -> str:
    """The key of an item's control: the action, the hearing (a digest), the kind, the letter and the subject."""
    subject = re.sub(r"[^A-Za-z0-9_-]", "_", key.subject) or "_"
    return f"{P}{action}_{hearing_tag(key.hearing)}_{key.kind}_{key.doc_id}_{subject}"


# --- the page ------------------------------------------------------------------------------------------------------


def render() -> None:
    lang, hearing = page_head("review.page", "review.intro")
    if hearing is None:
        return
    identity = current_identity()
    store = resources.casefile_store()
    case_record = store.hearing(hearing)
    searcher = resources.searcher()
    snap = searcher.snapshot()
    settings = resources.settings()
    llm = resources.chat_model()
    with st.spinner(t(lang, "review.working")):
        report = _recorded_report(str(searcher.paths.root), snap.version, hearing, fingerprint(case_record),
                                  llm.name if llm is not None else None, store.url, settings.embedding, case_record,
                                  snap)
    st.header(escape_markdown(hearing or message("casefile.no_hearing", lang)))
    decisions = review_store().decisions(hearing)
    tag = hearing_tag(hearing)
    show_all = st.toggle(t(lang, "review.show_all"), key=f"{P}all_{tag}")
    queue = entries(report, decisions, all_=show_all)
    st.progress(queue.reviewed / queue.total if queue.total else 0.0,
                text=t(lang, "review.progress", reviewed=queue.reviewed, total=queue.total))
    if identity.may_write:
        st.caption(t(lang, "review.as", name=escape_markdown(identity.name)))
    else:
        st.info(t(lang, "review.reader", name=escape_markdown(identity.name)))
    if not report.confirmed:
        st.caption(t(lang, "review.no_themes"))
    show_said(hearing, "review")
    items = _render_filters(queue.items, tag, show_all, lang)
    if not queue.items:
        st.success(t(lang, "review.done") if queue.total else t(lang, "review.nothing"))
        return
    if not items:
        st.info(t(lang, "review.no_match"))
        return
    shown = _render_paging(items, tag, lang)
    parties = [p.name for p in case_record.parties]
    for item in shown:
        _render_item(item, report, parties, identity, lang)


def _render_filters(items: list[QueueItem], tag: str, show_all: bool, lang: str) -> list[QueueItem]:
    left, right = st.columns(2)
    kinds = [ALL, *KINDS]
    kind = left.selectbox(t(lang, "review.filter_kind"), kinds, key=f"{P}kind_{tag}",
                          format_func=lambda k: t(lang, f"review.kind.{'all' if k == ALL else k}"))
    states = [ALL, "unreviewed", "flagged", *(["reviewed"] if show_all else [])]
    chosen = st.session_state.get(f"{P}state_{tag}")
    if chosen is not None and chosen not in states:  # "gennemgået" chosen, then "vis alle" switched off
        st.session_state[f"{P}state_{tag}"] = ALL
    state = right.selectbox(t(lang, "review.filter_state"), states, key=f"{P}state_{tag}",
                            format_func=lambda s: t(lang, "review.state.all") if s == ALL else _state(s, lang))
    return filtered(items, kind, state)


def _render_paging(items: list[QueueItem], tag: str, lang: str) -> list[QueueItem]:
    pages = max(1, -(-len(items) // PAGE_SIZE))
    key = f"{P}page_{tag}"
    if st.session_state.get(key, 1) not in range(1, pages + 1):
        st.session_state[key] = min(max(1, st.session_state.get(key, 1)), pages)
    page = 1
    if pages > 1:
        page = st.selectbox(t(lang, "review.page_no"), list(range(1, pages + 1)), key=key,
                            format_func=lambda n: t(lang, "review.page_of", page=n, pages=pages))
    first = (page - 1) * PAGE_SIZE
    shown = items[first:first + PAGE_SIZE]
    st.caption(t(lang, "review.showing", first=first + 1, last=first + len(shown), n=len(items)))
    return shown


def _state(state: str, lang: str) -> str:
    return t(lang, f"review.state.{state}")


def _value(item: QueueItem, value: str | None, lang: str) -> str:
    """A decision's value as a user reads it."""
    kind = item.decision.key.kind
    if kind == "verdict" and value in ("mentions", "uncertain", "not_mentioned"):
        return message(f"casefile.verdict.{value}", lang)
    if kind == "party":
        return value or t(lang, "cf.no_party")
    if kind == "campaign":
        return t(lang, "review.campaign_size", n=value or "?")
    return value or "–"


def _what(item: QueueItem, report: HearingReport, lang: str) -> str:
    """The theme, the party or the campaign the item is about (escaped)."""
    key = item.decision.key
    if key.kind == "verdict":
        return t(lang, "review.theme", label=escape_markdown(item.label or key.subject))
    if key.kind == "party":
        return t(lang, "review.party", party=escape_markdown(item.decision.value or t(lang, "cf.no_party")))
    if key.kind == "campaign":
        return t(lang, "review.campaign", template=escape_markdown(key.subject))
    return t(lang, "review.field", field=escape_markdown(t(lang, "col.sender")))


def _sentence(item: QueueItem, report: HearingReport, lang: str) -> str | None:
    """The one sentence that decides the item: the verdict's quote, the match's reason, why a sender is checked."""
    key = item.decision.key
    if item.sentence:
        return t(lang, "review.quote", sentence=escape_markdown(item.sentence))
    letter = report.case.letter(key.doc_id)
    if key.kind == "party" and letter is not None:
        reason = letter.match_reason or ""
        phrase = message(f"casefile.reason.{reason}", lang) if f"casefile.reason.{reason}" in PHRASES else reason
        return t(lang, "review.party_reason", reason=escape_markdown(phrase or "–"),
                 match=message(f"casefile.match.{letter.match}", lang) if letter.match else "–")
    if key.kind == "metadata":
        return t(lang, "review.sender_reason")
    if key.kind == "verdict":
        return t(lang, "review.no_quote")
    return None


def _render_item(item: QueueItem, report: HearingReport, parties: list[str], identity: Identity, lang: str) -> None:
    d = item.decision
    key = d.key
    with st.container(border=True, key=item_key("box", key)):
        st.markdown(t(lang, "review.line", reason=t(lang, f"review.reason.{item.reason}"),
                      sender=escape_markdown(item.sender or key.doc_id), what=_what(item, report, lang)))
        sentence = _sentence(item, report, lang)
        if sentence:
            st.markdown(sentence)
        status = [_state(d.state, lang) + (t(lang, "review.by", name=escape_markdown(d.decided_by))
                                          if d.decided_by and d.state != "unreviewed" else "")]
        if d.source == "person":
            status.append(t(lang, "review.person_value", value=escape_markdown(_value(item, d.value, lang))))
        if d.machine_value is not None or d.source != "person":
            status.append(t(lang, "review.machine_value", value=escape_markdown(_value(item, d.machine_value, lang))))
        if d.machine_changed:
            status.append(t(lang, "review.machine_changed"))
        st.caption(" · ".join(status))
        if not identity.may_write:
            return
        _render_actions(item, report, parties, identity, lang)


def _render_actions(item: QueueItem, report: HearingReport, parties: list[str], identity: Identity, lang: str) -> None:
    key = item.decision.key
    what = item.sender or key.doc_id
    accept, flag, choice, change = st.columns([2, 3, 5, 2], vertical_alignment="bottom")
    if item.decision.state != "reviewed" and accept.button(t(lang, "review.accept"), key=item_key("accept", key),
                                                           type="primary"):
        if key.kind == "metadata" and key.subject == "sender":  # accepting a guessed sender confirms it (its
            # "Tjek afsender" mark goes, as in the library, kept on re-ingest; the trail records her decision)
            def accept_item() -> None:
                set_metadata(resources.index(), key.doc_id, {"sender": item.decision.value}, identity=identity,
                             why="sender_confirmed")
        else:
            def accept_item() -> None:
                review_store().set_state(identity, key, "reviewed")
        _act(identity, accept_item, item, t(lang, "review.accepted", sender=escape_markdown(what)), lang)
    if item.decision.state != "flagged" and flag.button(t(lang, "review.flag"), key=item_key("flag", key)):
        _act(identity, lambda: review_store().set_state(identity, key, "flagged", why="follow_up"), item,
             t(lang, "review.flagged", sender=escape_markdown(what)), lang)
    control = item_key("value", key)
    if key.kind == "verdict":
        current = item.decision.value if item.decision.value in VERDICT_CHOICES else None
        choice.selectbox(t(lang, "review.change_verdict", sender=escape_label(what)), VERDICT_CHOICES,
                         index=VERDICT_CHOICES.index(current) if current else None, key=control,
                         placeholder=t(lang, "review.choose"),
                         format_func=lambda v: message(f"casefile.verdict.{v}", lang))
    elif key.kind == "party" and parties:
        options = [*parties, NO_PARTY]
        current = item.decision.value if item.decision.value in parties else NO_PARTY
        choice.selectbox(t(lang, "review.change_party", sender=escape_label(what)), options,
                         index=options.index(current), key=control,
                         format_func=lambda v: t(lang, "cf.no_party") if v == NO_PARTY else v)
    elif key.kind == "metadata" and key.subject == "sender":
        choice.text_input(t(lang, "review.change_sender"), value=item.decision.value or "", key=control, max_chars=200)
    else:
        return
    if change.button(t(lang, "review.change"), key=item_key("change", key)):
        _change(identity, item, st.session_state.get(control), report, parties, lang)


def _act(identity: Identity, write, item: QueueItem, text: str, lang: str) -> None:
    """One write for one item, then a rerun; a reader's is refused (the store's gate) and said."""
    try:
        write()
    except ReviewNotAllowed as exc:
        said(item.decision.key.hearing, "review:error", escape_markdown(exc.render(lang)))
    except KeyError:  # the item is gone (its letter removed meanwhile): nothing written
        said(item.decision.key.hearing, "review:warning", t(lang, "review.gone"))
    else:
        said(item.decision.key.hearing, "review:success", text)
    st.session_state.pop(item_key("value", item.decision.key), None)
    st.rerun()


def _change(identity: Identity, item: QueueItem, value: object, report: HearingReport, parties: list[str],
            lang: str) -> None:
    """A person's value for this item (and, for a party or a sender, that letter's link or metadata), re-checked
    against what is stored now; nothing else is written."""
    key = item.decision.key
    hearing = key.hearing
    what = item.sender or key.doc_id
    if key.kind == "verdict":
        if value not in VERDICT_CHOICES:
            said(hearing, "review:warning", t(lang, "review.choose_first"))
            st.rerun()
        shown = escape_markdown(_value(item, str(value), lang))
        _act(identity, lambda: review_store().decide(identity, key, str(value)), item,
             t(lang, "review.changed", sender=escape_markdown(what), value=shown), lang)
    if key.kind == "party":
        listed = {p.name for p in resources.casefile_store().hearing(hearing).parties}
        doc = resources.searcher().snapshot().manifest.documents.get(key.doc_id)
        if doc is None or hearing_key(doc.hearing) != hearing or not (value == NO_PARTY or value in listed):
            said(hearing, "review:warning", t(lang, "review.gone"))  # the letter or the party is gone: nothing written
            st.session_state.pop(item_key("value", key), None)
            st.rerun()
        party = None if value == NO_PARTY else str(value)

        def write_party() -> None:
            review_store().decide(identity, key, party or "")  # the gate first: a reader's link is never written
            resources.casefile_store().set_link(hearing, PartyLink(key.doc_id, party, "person"))

        _act(identity, write_party, item, t(lang, "review.changed", sender=escape_markdown(what),
                                            value=escape_markdown(party or t(lang, "cf.no_party"))), lang)
    if key.kind == "metadata":
        sender = " ".join(str(value or "").split())
        if not sender:
            said(hearing, "review:warning", t(lang, "review.choose_first"))
            st.rerun()

        def write_sender() -> None:
            # the correction and its review trail in one place (ingest/corrections.py: the gate first, then the
            # letter's metadata, then her decision with old → new in the history)
            set_metadata(resources.index(), key.doc_id, {"sender": sender}, identity=identity,
                         why="sender_corrected")

        try:
            _act(identity, write_sender, item, t(lang, "review.changed", sender=escape_markdown(what),
                                                 value=escape_markdown(sender)), lang)
        except CorrectionError as exc:
            said(hearing, "review:error", escape_markdown(exc.render(lang)))
            st.rerun()
