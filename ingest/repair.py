"""``hoering repair``: an embedded index whose ``chroma.sqlite3`` is damaged (not lost) is rebuilt from its files.

The damaged Chroma folder is moved aside inside the index folder (``chroma.damaged-<time>``: never deleted, an
official or IT may want it), then every file the committed manifest lists is ingested again into a new one:
the embedding cache gives every vector back (nothing is embedded twice) and the manifest keeps officials'
corrections (a rebuilt document takes its committed record, as after a lost ``chroma.sqlite3``). A file that
is no longer where the manifest says is reported; its documents stay listed and a reader names the
``hoering ingest`` that rebuilds them. A Chroma server keeps its own storage: nothing to repair here.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from core.phrases import PhrasedError
from core.settings import Settings
from index import read_cache
from index.embedding import Embedder
from index.index import Index
from index.store import close_embedded
from ingest.pipeline import ProgressCallback, ingest
from ingest.schema import IngestReport

ASIDE_PREFIX = "chroma.damaged-"


class RepairError(PhrasedError, RuntimeError):
    """Nothing can be repaired here (a Chroma server, or no committed manifest): the phrase says why."""


@dataclass
class RepairReport:
    moved_to: Path | None  # where the damaged Chroma folder now is (None: there was none)
    report: IngestReport  # the ingest of the manifest's files into a new Chroma folder

    def to_json(self) -> dict:
        return {"moved_to": str(self.moved_to) if self.moved_to else None, **self.report.to_json()}


def move_aside(index: Index) -> Path | None:
    """Rename ``<index>/chroma`` to a fresh ``chroma.damaged-<time>`` under the writer lock (no writer is
    half way through it). The process's Chroma clients are forgotten; the read cache goes too."""
    chroma = index.root / "chroma"
    with FileLock(str(index.root / ".writer.lock")):
        close_embedded()
        moved = None
        if chroma.exists():
            stamp = time.strftime("%Y%m%d-%H%M%S")
            moved = index.root / f"{ASIDE_PREFIX}{stamp}"
            n = 1
            while moved.exists():
                n += 1
                moved = index.root / f"{ASIDE_PREFIX}{stamp}-{n}"
            os.rename(chroma, moved)
        read_cache.purge(index)  # every version of this index's cache
    return moved


def repair(
    settings: Settings, *, embedder: Embedder | None = None, on_progress: ProgressCallback | None = None
) -> RepairReport:
    """Move the damaged Chroma folder aside and ingest again every file the committed manifest lists."""
    if settings.chroma_host:
        raise RepairError("repair_server", language=settings.language)
    index = Index(settings)
    manifest = index.manifest()
    if not manifest.files:
        raise RepairError("repair_empty", language=settings.language, index=index.root)
    sources = sorted(manifest.files)
    if not any(os.path.isfile(s) or os.path.isfile(s.split("#", 1)[0]) for s in sources):  # nothing to rebuild from
        raise RepairError("repair_no_files", language=settings.language, n=len(sources), source=sources[0])
    moved = move_aside(index)
    report = ingest(sources, settings, embedder=embedder, index=Index(settings), on_progress=on_progress)
    return RepairReport(moved_to=moved, report=report)
