"""A letter's résumé in its own words, stating its main point: the run of consecutive statement sentences (three,
or two, or one when longer runs do not fit SUMMARY_CHARS), from one passage, that is most central to the letter
and states the writer's position.

A sentence's worth is its closeness to the letter's mean statement vector (what the letter is about), plus
STANCE_BONUS when it carries one of the writer's stance markers (retrieval/stance.py: "er bekymrende", "bifalder",
"kan tilslutte sig", "der er behov for": a main point is a position), minus QUESTION_PENALTY for a question and
TABLE_PENALTY for a table's cell (a tab on its line: a cell quotes the proposal or asks about it, the letter's
prose states its point). Headings, contact lines, administrative and meta sentences (who received the letter,
"… fremgår af skemaet indsat nedenfor", "se vedlagte") break a run and are never part of it. A run that opens by
pointing back ("Dette …", "Men …") loses ANAPHORA_PENALTY. Rules about the form of the text, never its topics;
measured on eval/summaries.jsonl by eval/summary_eval.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from index.snapshot import Snapshot
from index.statements import is_administrative, is_statement
from retrieval.stance import sentence_markers

SUMMARY_SENTENCES = 3
SUMMARY_CHARS = 450
MIN_SENTENCE = 40
# in standard deviations of a letter's closeness to its centre: an objection or a concern is what the notat must
# answer, a request or support what it must record; a question or a table cell states no position of its own
STANCE_BONUS = {"opposition": 1.0, "concern": 1.0, "request": 0.5, "support": 0.5}
QUESTION_PENALTY = 1.0
TABLE_PENALTY = 1.0
ANAPHORA_PENALTY = 0.5
_BULLET = re.compile(r"^\s*[-–•*]\s+")
_PARAGRAPH = re.compile(r"\n\s*\n|\n\s*[-–•*]\s|\t")  # a blank line, a new bullet or a table cell
# A résumé should not open by pointing back at a sentence it leaves out ("Dette …", "Men …", "Indsatsen bør også …").
_ANAPHORA = re.compile(r"^(?:dette|disse|denne|den|derfor|men|og|samtidig|tilsvarende|ligeledes|desuden|herunder|"
                       r"hvilket|her|\w+\s+(?:bør|skal|er|kan)\s+også)\b", re.IGNORECASE)


@dataclass
class _Sentence:
    text: str
    vector: np.ndarray | None  # None: not a statement (never part of a résumé)
    new_paragraph: bool
    in_table: bool


def _sentences(snap: Snapshot, doc_id: str) -> list[_Sentence]:
    """The letter's sentences in order (overlapping chunks repeat sentences: each once)."""
    rows = snap.rows_of(doc_id)
    sentences: dict[int, _Sentence] = {}
    certain: set[int] = set()  # starts whose paragraph flag was seen from inside a chunk (not as its first sentence)
    for row in rows:
        spans, vectors = snap.sentences_of(int(row))
        chunk = snap.texts[row]
        previous_end = None
        for (a, b), v in zip(spans, vectors):
            a, b = int(a), int(b)
            start = snap.records[row].start + a
            raw = chunk[a:b]
            text = " ".join(raw.split())
            usable = b - a >= MIN_SENTENCE and is_statement(text) and not is_administrative(text)
            known = previous_end is not None
            new_paragraph = not known or bool(_BULLET.match(raw) or _PARAGRAPH.search(chunk[previous_end:a]))
            line_start = chunk.rfind("\n", 0, a) + 1
            line_end = chunk.find("\n", b)
            in_table = "\t" in chunk[line_start: line_end if line_end >= 0 else len(chunk)]
            previous_end = b
            if start not in sentences or (known and start not in certain):
                sentences[start] = _Sentence(_BULLET.sub("", text), v if usable else None, new_paragraph, in_table)
                if known:
                    certain.add(start)
    return [sentences[k] for k in sorted(sentences)]


def _worth(sentences: list[_Sentence], mean: np.ndarray) -> list[float | None]:
    """Each statement's worth: its closeness to the letter's centre (vectors centred on the collection's mean
    sentence, so the shared "Danish letter" direction does not flatten them; standardised within the letter), plus
    the weight of its stance marker, minus the penalties for a question or a table cell."""
    vectors = np.stack([s.vector for s in sentences if s.vector is not None]).astype(np.float64) - mean
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    centre = vectors.mean(axis=0)
    closeness = vectors @ (centre / (np.linalg.norm(centre) + 1e-9))
    closeness = (closeness - closeness.mean()) / (closeness.std() + 1e-9)
    result: list[float | None] = []
    k = 0
    for s in sentences:
        if s.vector is None:
            result.append(None)
            continue
        score = float(closeness[k])
        k += 1
        if s.text.rstrip().endswith("?"):
            score -= QUESTION_PENALTY
        else:
            score += max((STANCE_BONUS.get(m.kind, 0.0) for m in sentence_markers(s.text).markers), default=0.0)
        if s.in_table:
            score -= TABLE_PENALTY
        result.append(score)
    return result


def _mean_sentence(snap: Snapshot) -> np.ndarray:
    vectors = snap.sentence_vectors
    return vectors.astype(np.float64).mean(axis=0) if len(vectors) else np.zeros(1)


def letter_summary(snap: Snapshot, doc_id: str, *, sentences: int = SUMMARY_SENTENCES, chars: int = SUMMARY_CHARS) -> str:
    """The résumé of letter ``doc_id`` (see the module docstring); "" when it has no statement."""
    ordered = _sentences(snap, doc_id)
    statements = [s.vector for s in ordered if s.vector is not None]
    if not statements:
        return ""
    worth = _worth(ordered, _mean_sentence(snap))
    for n in range(sentences, 0, -1):  # the longest run that fits, so the résumé reads as a passage
        best, best_score = None, -np.inf
        for i in range(len(ordered) - n + 1):
            run = ordered[i:i + n]
            if any(s.vector is None for s in run) or any(s.new_paragraph for s in run[1:]):  # one passage
                continue
            text = " ".join(s.text for s in run)
            score = float(np.mean(worth[i:i + n])) - (ANAPHORA_PENALTY if _ANAPHORA.match(text) else 0.0)
            if len(text) <= chars and score > best_score:
                best, best_score = text, score
        if best:
            return best
    text = max(((s.text, w) for s, w in zip(ordered, worth) if w is not None), key=lambda tw: tw[1])[0]
    return text[: text.rfind(" ", 0, chars)] + " …"
