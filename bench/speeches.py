"""Folketinget speeches (``../shared/corpus/folketinget/speeches.jsonl``) as letters the pipeline ingests.

Each speech becomes ``speech_<line index>.txt`` whose first line is ``Høringssvar fra <speaker> (<party>)``,
so the pipeline's own metadata step names the speaker as sender (and the party stays searchable as a
filter on the sender string, e.g. ``--sender "(EL)"``). The text after it is the speech as published.
The same files always come out the same, so chunk texts (and their cached embeddings) are stable.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEECHES = ROOT.parent / "shared" / "corpus" / "folketinget" / "speeches.jsonl"


def speech_letter(record: dict) -> str:
    speaker = (record.get("speaker") or "").strip() or "Ukendt taler"
    party = (record.get("party") or "").strip()
    head = f"Høringssvar fra {speaker} ({party})" if party else f"Høringssvar fra {speaker}"
    return f"{head}\n\n{(record.get('text') or '').strip()}\n"


def iter_speeches(path: Path):
    """(line index, record) of every non-empty speech."""
    with path.open(encoding="utf-8") as handle:
        for index, line in enumerate(handle):
            line = line.strip()
            if not line:
                continue
            record = json.loads(line)
            if (record.get("text") or "").strip():
                yield index, record


def write_speeches(path: Path, limit: int, folder: Path) -> list[Path]:
    """The first ``limit`` speeches as files in ``folder`` (existing identical files are left alone)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for index, record in iter_speeches(path):
        if len(written) >= limit:
            break
        target = folder / f"speech_{index:06d}.txt"
        text = speech_letter(record)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
