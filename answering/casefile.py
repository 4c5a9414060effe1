"""A hearing's case file: who was asked and who answered, which letters only say "ingen bemærkninger", which share
a campaign's template, and each letter's stance — computed from one snapshot of the index and what the official
stored about the hearing (index/casefile_store.py), never stored itself.

One function per stage, each over the letters of one hearing:
``letters_of`` (the hearing's letters and their texts) → ``_outcomes`` (no remarks, stance: retrieval/no_remarks.py,
retrieval/stance.py) → ``_campaigns`` (ingest/campaigns.py, over the letters with content) → ``_matches``
(retrieval/parties.py against the høringsliste; the official's links win) → ``_parties`` (each listed party's
outcome). ``case_file`` runs them and counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from core.casefile import NO_HEARING, ConfirmedTheme, HearingRecord, Outcome, hearing_key, theme_id_of
from core.phrases import PhrasedError, message
from core.parties import MatchStatus
from core.senders import SenderType
from index.snapshot import Snapshot
from ingest.campaigns import group_campaigns
from retrieval.no_remarks import no_remarks
from retrieval.parties import match_parties
from retrieval.stance import stance

PartyStatus = Literal["answered", "no_remarks", "uncertain", "not_received"]


class LetterEntry(BaseModel):
    """One letter of the hearing and what the case file says about it."""

    doc_id: str
    source: str
    sender: str
    sender_type: SenderType
    date: str | None = None
    needs_review: bool = False  # the sender was guessed from weak evidence
    outcome: Outcome
    no_remarks_sentence: str | None = None
    stance: str = "uklar"  # for / imod / uklar (retrieval/stance.py); "uklar" for a letter with no remarks
    stance_sentence: str | None = None
    party: str | None = None  # the listed party it answers for
    match: MatchStatus | None = None  # None: the hearing has no list
    match_score: float = 0.0
    match_reason: str | None = None
    match_source: str | None = None  # "rule" or "person"
    campaign: str | None = None  # template id ("A", "B" …)
    representative: bool = False
    added: list[str] = Field(default_factory=list)  # a campaign letter's own passages


class PartyEntry(BaseModel):
    """One invited party and its outcome: answered, answered "ingen bemærkninger", a match the official must
    confirm, or no answer."""

    name: str
    row: int
    status: PartyStatus
    doc_ids: list[str] = Field(default_factory=list)  # letters that answer for it for sure
    uncertain: list[str] = Field(default_factory=list)  # letters matched to it "uncertain"


class CampaignEntry(BaseModel):
    template_id: str
    size: int
    representative: str
    members: list[str]
    with_additions: list[str]
    similarity: float


class Counts(BaseModel):
    received: int = 0  # letters of the hearing
    with_content: int = 0
    no_remarks: int = 0
    distinct: int = 0  # letters, a campaign counted once
    campaigns: int = 0
    campaign_letters: int = 0
    invited: int = 0
    invited_answered: int = 0  # listed parties answered (with content or no remarks), for sure
    invited_no_remarks: int = 0
    not_answered: int = 0
    uncertain_matches: int = 0  # letters matched "uncertain"
    uninvited: int = 0  # letters from senders on no list
    stance: dict[str, int] = Field(default_factory=dict)


class CaseFile(BaseModel):
    hearing: str  # the key ("" for letters that name no hearing)
    sent: str | None = None
    deadline: str | None = None
    first_received: str | None = None
    last_received: str | None = None
    has_list: bool = False
    letters: list[LetterEntry]
    parties: list[PartyEntry] = Field(default_factory=list)
    campaigns: list[CampaignEntry] = Field(default_factory=list)
    themes: list[ConfirmedTheme] = Field(default_factory=list)
    counts: Counts

    def letter(self, doc_id: str) -> LetterEntry | None:
        return next((x for x in self.letters if x.doc_id == doc_id), None)

    @property
    def with_content(self) -> list[str]:
        """Doc ids of the letters that say something (placed on themes; "ingen bemærkninger" never is)."""
        return [x.doc_id for x in self.letters if x.outcome == "response"]

    @property
    def no_remarks(self) -> list[str]:
        return [x.doc_id for x in self.letters if x.outcome == "no_remarks"]

    def to_json(self) -> dict:
        return self.model_dump(mode="json")


@dataclass(frozen=True)
class HearingSummary:
    """A hearing as the chooser lists it: its key and how many letters carry it."""

    hearing: str
    letters: int


def hearings_in(snap: Snapshot, stored: list[str] = ()) -> list[HearingSummary]:
    """The hearings of the index (the letters' hearing field, "" for none) and those only stored (a list imported
    before its letters), most letters first."""
    counts = Counter(hearing_key(d.hearing) for d in snap.manifest.documents.values())
    for name in stored:
        counts.setdefault(hearing_key(name), 0)
    return [HearingSummary(h, n) for h, n in sorted(counts.items(), key=lambda hn: (-hn[1], hn[0]))]


def letters_of(snap: Snapshot, hearing: str) -> list[tuple[object, str]]:
    """The hearing's letters (manifest records, by date then sender) with their texts."""
    key = hearing_key(hearing)
    records = [d for d in snap.manifest.documents.values() if hearing_key(d.hearing) == key]
    records.sort(key=lambda d: (d.date or "9999", d.sender or "", d.doc_id))
    return [(d, snap.document_text(d.doc_id)) for d in records]


def _outcomes(letters: list[tuple[object, str]]) -> list[LetterEntry]:
    entries = []
    for record, text in letters:
        remarks = no_remarks(text)
        entry = LetterEntry(doc_id=record.doc_id, source=record.source, sender=record.sender or "",
                            sender_type=record.sender_type or "ukendt", date=record.date,
                            needs_review=bool(getattr(record, "needs_review", False)),
                            outcome="no_remarks" if remarks.found else "response",
                            no_remarks_sentence=remarks.sentence if remarks.found else None)
        if not remarks.found:
            position = stance(text)
            entry.stance = position.stance
            entry.stance_sentence = position.deciding[0] if position.deciding else None
        entries.append(entry)
    return entries


def _campaigns(entries: list[LetterEntry], texts: dict[str, str]) -> list[CampaignEntry]:
    """Campaigns among the letters with content (a letter with no remarks is never a campaign's member)."""
    docs = [(e.doc_id, texts[e.doc_id]) for e in entries if e.outcome == "response"]
    found = group_campaigns(docs)
    by_id = {e.doc_id: e for e in entries}
    out = []
    for campaign in found:
        for member in campaign.members:
            entry = by_id[member]
            entry.campaign = campaign.template_id
            entry.representative = member == campaign.representative
            entry.added = list(campaign.added.get(member, []))
        out.append(CampaignEntry(template_id=campaign.template_id, size=len(campaign.members),
                                 representative=campaign.representative, members=list(campaign.members),
                                 with_additions=campaign.with_additions, similarity=round(campaign.similarity, 3)))
    return out


def _matches(entries: list[LetterEntry], record: HearingRecord) -> None:
    """Each letter's party: the official's link where she made one, else the matching rules' (sikker / usikker /
    ingen)."""
    if not record.has_list:
        return
    matching = match_parties([e.sender for e in entries], record.parties)
    linked = {link.doc_id: link for link in record.links}
    listed = {p.name for p in record.parties}
    for entry, match in zip(entries, matching.matches):
        link = linked.get(entry.doc_id)
        if link is not None and (link.party is None or link.party in listed):
            entry.party, entry.match, entry.match_score = link.party, ("sure" if link.party else "unlisted"), 100.0
            entry.match_reason, entry.match_source = "confirmed", link.source
            continue
        entry.party = match.party.name if match.party is not None else None
        entry.match, entry.match_score, entry.match_reason = match.status, round(match.score, 1), match.reason
        entry.match_source = "rule"


def _parties(entries: list[LetterEntry], record: HearingRecord) -> list[PartyEntry]:
    out = []
    for party in record.parties:
        sure = [e for e in entries if e.party == party.name and e.match == "sure"]
        unsure = [e.doc_id for e in entries if e.party == party.name and e.match == "uncertain"]
        if sure:
            status = "answered" if any(e.outcome == "response" for e in sure) else "no_remarks"
        else:
            status = "uncertain" if unsure else "not_received"
        out.append(PartyEntry(name=party.name, row=party.row, status=status, doc_ids=[e.doc_id for e in sure],
                              uncertain=unsure))
    return out


def _counts(entries: list[LetterEntry], parties: list[PartyEntry], campaigns: list[CampaignEntry],
            has_list: bool) -> Counts:
    in_campaigns = sum(c.size for c in campaigns)
    return Counts(
        received=len(entries),
        with_content=sum(e.outcome == "response" for e in entries),
        no_remarks=sum(e.outcome == "no_remarks" for e in entries),
        distinct=len(entries) - in_campaigns + len(campaigns),
        campaigns=len(campaigns), campaign_letters=in_campaigns,
        invited=len(parties),
        invited_answered=sum(p.status in ("answered", "no_remarks") for p in parties),
        invited_no_remarks=sum(p.status == "no_remarks" for p in parties),
        not_answered=sum(p.status == "not_received" for p in parties),
        uncertain_matches=sum(e.match == "uncertain" for e in entries),
        uninvited=sum(e.match == "unlisted" for e in entries) if has_list else 0,
        stance=dict(Counter(e.stance for e in entries if e.outcome == "response")),
    )


def case_file(snap: Snapshot, record: HearingRecord) -> CaseFile:
    """The case file of hearing ``record.name`` over snapshot ``snap``."""
    return case_file_of(letters_of(snap, record.name), record)


def case_file_of(letters: list[tuple[object, str]], record: HearingRecord) -> CaseFile:
    """The case file of these letters (records with doc_id, source, sender, sender_type, date; and their texts)
    as hearing ``record``."""
    texts = {d.doc_id: text for d, text in letters}
    entries = _outcomes(letters)
    campaigns = _campaigns(entries, texts)
    _matches(entries, record)
    parties = _parties(entries, record)
    dates = sorted(e.date for e in entries if e.date)
    return CaseFile(
        hearing=record.name or NO_HEARING, sent=record.sent, deadline=record.deadline,
        first_received=dates[0] if dates else None, last_received=dates[-1] if dates else None,
        has_list=record.has_list, letters=entries, parties=parties, campaigns=campaigns, themes=list(record.themes),
        counts=_counts(entries, parties, campaigns, record.has_list),
    )


class HearingError(PhrasedError):
    """A hearing named on the command line or in the app that is no hearing, or fits several."""


def resolve_hearing(name: str | None, known: list[str]) -> str:
    """The hearing ``name`` means among ``known``: itself, else the one whose name contains it (case-insensitive).
    None: the only hearing there is. Raises HearingError when none or several fit."""
    shown = ", ".join(f"»{k or message('casefile.no_hearing', 'da')}«" for k in known) or "–"
    if name is None:
        if len(known) == 1:
            return known[0]
        raise HearingError("hearing_needed", known=shown)
    key = hearing_key(name)
    wanted = key.lower()
    exact = [k for k in known if k.lower() == wanted]
    if exact:
        return key if key in exact else exact[0]
    fits = [k for k in known if wanted and wanted in k.lower()]
    if len(fits) == 1:
        return fits[0]
    if fits:
        raise HearingError("hearing_ambiguous", name=name, matches=", ".join(f"»{k}«" for k in fits))
    raise HearingError("hearing_unknown", name=name, known=shown)


MAX_LABEL = 120


def confirmed_themes(labels: list[tuple[str, str]]) -> list[ConfirmedTheme]:
    """The official's themes from (label, description) pairs in her order: labels tidied, the same label once."""
    out: dict[str, ConfirmedTheme] = {}
    for label, description in labels:
        label = " ".join(label.split())
        if not label or len(label) > MAX_LABEL:
            raise HearingError("theme_label_bad", max=MAX_LABEL)
        theme_id = theme_id_of(label)
        out.setdefault(theme_id, ConfirmedTheme(theme_id, label, " ".join(description.split())))
    return list(out.values())
