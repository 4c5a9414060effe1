"""The vocabulary of a hearing's case file, shared by the layer that stores it (index/casefile_store.py) and the
layers that compute and show it (answering/casefile.py, export/notat.py, the shells): what an official has said
about a hearing — its invited parties, which letter answers for which party, the themes she confirmed — as
typed records. Pure data; no storage, no model."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal, get_args

from core.parties import Party

Outcome = Literal["response", "no_remarks"]  # a letter with content, or one that only says it has no remarks
OUTCOMES: tuple[str, ...] = get_args(Outcome)

LinkSource = Literal["rule", "person"]  # who tied a letter to a party: the matching rules or an official
LINK_SOURCES: tuple[str, ...] = get_args(LinkSource)

NO_HEARING = ""  # the hearing key of letters that name none (shown as "Uden høring")


def hearing_key(name: str | None) -> str:
    """The stored key of a hearing: its name with runs of white space made one space ("" for none)."""
    return re.sub(r"\s+", " ", name or "").strip()


@dataclass(frozen=True)
class PartyLink:
    """An official's decision that letter ``doc_id`` answers for listed party ``party`` (None: for no listed
    party — the sender answered uninvited)."""

    doc_id: str
    party: str | None
    source: LinkSource = "person"


@dataclass(frozen=True)
class ConfirmedTheme:
    """A theme the official confirmed for a hearing: a label as a case officer writes it (a noun phrase), and
    optionally a description for the reader of what belongs to it. The relevance judge is asked about the label
    alone ("Hvem nævner <label>?", answering/placement.py): asking the description too halved the letters found
    (eval/placement_eval.py)."""

    theme_id: str
    label: str
    description: str = ""


def theme_id_of(label: str) -> str:
    """A stable id for a theme the official names: from its label (lower case, white space folded)."""
    return hashlib.sha1(" ".join(label.lower().split()).encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class HearingRecord:
    """What is stored about one hearing: its name (the key letters carry), optional dates the official gives
    (ISO; the hearing period), its invited parties in list order, the letters she tied to a party and the themes
    she confirmed, in her order."""

    name: str
    sent: str | None = None
    deadline: str | None = None
    parties: tuple[Party, ...] = ()
    links: tuple[PartyLink, ...] = ()
    themes: tuple[ConfirmedTheme, ...] = field(default_factory=tuple)

    @property
    def has_list(self) -> bool:
        return bool(self.parties)
