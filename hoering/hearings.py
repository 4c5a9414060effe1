"""What the commands on a hearing's case file share (``hoering hearing …``, ``themes confirm|matrix``, ``review
…``): the index opened for it (``case_context``: settings, searcher, snapshot, case-file store), the hearing a
name means among the index's (``hearing_named``), the one letter of a hearing an id prefix means
(``letter_in_hearing``) — an unknown or ambiguous name or id is one line, exit 2 — and a hearing's name as shown
(``shown_hearing``; the letters without a hearing have a name of their own)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from core.phrases import message
from hoering.guard import settings_for
from hoering.output import fail, settings_language


def case_context(index: Optional[Path]):
    """(settings, searcher, snapshot, store) of the index."""
    from index.casefile_store import CaseFileStore
    from retrieval.search import Searcher

    settings = settings_for(index)
    searcher = Searcher(settings)
    return settings, searcher, searcher.snapshot(), CaseFileStore.for_settings(settings)


def hearing_named(name: Optional[str], snap, store) -> str:
    """The hearing ``name`` means among the index's and the stored ones (answering.casefile.resolve_hearing: itself,
    else the one whose name contains it; no name: the only hearing there is)."""
    from answering.casefile import HearingError, hearings_in, resolve_hearing

    known = [h.hearing for h in hearings_in(snap, store.hearing_names())]
    try:
        return resolve_hearing(name, known)
    except HearingError as exc:
        fail(exc.render(settings_language()), 2)


def letter_in_hearing(doc_id: str, snap, hearing: str) -> str:
    """The id of the one letter of ``hearing`` whose id starts with ``doc_id``; a prefix too short to be safe, or one
    that fits no letter or several, is one line, exit 2."""
    from answering.casefile import letters_of
    from ingest.removal import MIN_ID_PREFIX

    if len(doc_id.strip()) < MIN_ID_PREFIX:
        fail(message("id_too_short", settings_language(), target=doc_id, min=MIN_ID_PREFIX), 2)
    mine = [d.doc_id for d, _ in letters_of(snap, hearing) if d.doc_id.startswith(doc_id.strip())]
    if len(mine) != 1:
        fail(message("letter_not_in_hearing", settings_language(), doc_id=doc_id, hearing=shown_hearing(hearing)), 2)
    return mine[0]


def shown_hearing(hearing: str) -> str:
    """A hearing's name as the terminal shows it."""
    return hearing or message("casefile.no_hearing", "da")
