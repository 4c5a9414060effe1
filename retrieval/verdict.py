"""Three-state verdicts: from a judge's calibrated probability that a document mentions a topic to *nævner* /
*nævner ikke* / *usikker* (issue 22).

The one rule: a probability at or above the band's ``upper`` bound is ``mentions``, one below its ``lower`` bound
is ``not_mentioned``, and the band ``[lower, upper)`` between them is ``uncertain`` — the letters a person reads
before signing. A band with ``lower == upper`` has no uncertain part and decides every document as the forced
boolean verdict did.

The band is chosen per embedder and question language, so that each decided verdict is right often enough; it
ships beside the judge's calibration in ``retrieval/data/relevance.json`` as optional ``"lower"``/``"upper"`` keys
per language. Without them the band is the calibration's ``threshold`` on both sides (no uncertain verdicts).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import get_args

from retrieval.relevance import CALIBRATION
from retrieval.schema import VerdictState

STATES: tuple[str, ...] = get_args(VerdictState)
# The order in which verdicts are listed (tables, answers): the decided "yes" first, then the ones to read.
ORDER = {"mentions": 0, "uncertain": 1, "not_mentioned": 2}


@dataclass(frozen=True)
class Band:
    """The probabilities ``lower <= p < upper`` that decide nothing: *usikker*."""

    lower: float
    upper: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.lower <= self.upper <= 1.0:
            raise ValueError(f"a band needs 0 <= lower <= upper <= 1, got [{self.lower}, {self.upper})")


def decide(p: float, band: Band) -> VerdictState:
    """The verdict of probability ``p``: ``mentions`` at or above ``band.upper``, ``not_mentioned`` below
    ``band.lower``, ``uncertain`` in between."""
    if p >= band.upper:
        return "mentions"
    if p < band.lower:
        return "not_mentioned"
    return "uncertain"


@lru_cache(maxsize=4)
def _models(path: Path) -> dict[str, dict[str, dict]]:
    return json.loads(path.read_text(encoding="utf-8"))["models"]


def band_for(embedder_name: str, language: str, path: Path | None = None) -> Band:
    """The band of this embedder and question language, from the calibration file ``path`` (else CALIBRATION,
    looked up at the call, so a test may point it elsewhere): its ``lower`` and ``upper`` keys, each falling back
    to the language's ``threshold``. The embedder and language fall back as the
    judge's calibration does (the file's first embedder; English's entry for another language)."""
    models = _models(Path(path or CALIBRATION))
    languages = models.get(embedder_name) or models[next(iter(models))]
    entry = languages.get(language) or languages["en"]
    threshold = float(entry["threshold"])
    return Band(float(entry.get("lower", threshold)), float(entry.get("upper", threshold)))
