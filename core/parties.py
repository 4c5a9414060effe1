"""The vocabulary of a hearing's list of invited parties (the høringsliste), shared by the layers that read it
(ingest/hearing_list.py) and match letters to it (retrieval/parties.py): ingest and retrieval are independent
layers, so the records they exchange live here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

MatchStatus = Literal["sure", "uncertain", "unlisted"]  # a sure match, one the official confirms, no listed party
MATCH_STATUSES: tuple[str, ...] = get_args(MatchStatus)

# Words that join the parts of a body's name and tell no party from another ("Hoved-MEDudvalget for
# Socialområdet", "Udvalget for Social og Sundhed"): left out when names are compared.
NAME_FUNCTION_WORDS = frozenset({"for", "i", "på", "ved", "af", "og", "til", "the", "of", "and", "in"})


@dataclass(frozen=True)
class Party:
    """One invited party as the list names it. ``row``: its row in the file (1-based, the header counted) or its
    line in pasted text; ``extra``: the row's other columns by header (e-mail, CVR …), as text."""

    name: str
    row: int
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
