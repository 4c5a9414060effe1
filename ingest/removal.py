"""Removing letters from the index: what a ``remove`` target names (a file, a document's id or a unique prefix of
it, a document's own source), the plan of exactly what goes (computed before anything goes: the CLI prints it,
the app's confirmation lists it) and carrying it out under the writer lock. A removed letter's uploaded original
and its review decisions go with it (see remove_planned).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from core.phrases import PhrasedError
from core.settings import Settings
from index.index import Index
from index.manifest import Manifest
from index.writer import IndexWriter
from ingest.clean import mask_cpr_in_name
from ingest.names import stored_source
from ingest.uploads import discard as discard_uploads

MIN_ID_PREFIX = 6  # shortest doc_id prefix ``remove`` accepts (ids are 16 hex digits)


class TargetError(PhrasedError, ValueError):
    """A ``remove`` target that is empty, too short or names more than one document: nothing is removed."""


@dataclass(frozen=True)
class Targets:
    """What ``remove`` targets name: whole files (manifest keys), and single documents (doc ids)."""

    files: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()  # targets that name no file or document (said, not silently dropped)


@dataclass(frozen=True)
class PlannedRemoval:
    """One document a removal takes: who sent it and where it came from (its own source)."""

    doc_id: str
    sender: str
    source: str


@dataclass(frozen=True)
class RemovalPlan:
    """Exactly what a removal takes, computed before anything goes (``plan_removal``): the CLI prints it, the
    app's confirmation lists it, and ``remove`` carries out the same plan under the writer lock."""

    targets: Targets
    documents: tuple[PlannedRemoval, ...]

    @property
    def doc_ids(self) -> list[str]:
        return [d.doc_id for d in self.documents]


def resolve_targets(manifest: Manifest, targets: list[str], language: str = "da") -> Targets:
    """What ``remove`` targets name. A file: its source path as stored (also named relative vs. absolute, or
    with its CPR number unmasked) — all of its documents. A document: its doc_id, a doc_id prefix of at least
    MIN_ID_PREFIX characters that names exactly one document, or its own source (a zip member
    "bundle.zip#svar/brev.txt") — that document alone. Every target is checked before anything is removed; an
    empty, too short or ambiguous target raises TargetError. Targets that name nothing are listed as ``unknown``
    (the caller says so). An id is read in any case ("3F2A…" is "3f2a…")."""
    by_abspath = {os.path.abspath(source): source for source in manifest.files}
    by_own_source: dict[str, list[str]] = {}
    for doc_id, record in manifest.documents.items():
        for source in dict.fromkeys([record.source, *record.sources]):
            by_own_source.setdefault(_absolute(source), []).append(doc_id)
    files: list[str] = []
    documents: list[str] = []
    unknown: list[str] = []
    for target in targets:
        wanted = target.strip()
        if not wanted:
            raise TargetError("remove_empty_target", language=language, min=MIN_ID_PREFIX)
        named = next((k for k in (wanted, os.path.normpath(wanted), stored_source(os.path.normpath(wanted)))
                      if k in manifest.files), None)  # a file name with a CPR number is stored masked
        absolute = stored_source(os.path.abspath(wanted))
        if named is None and absolute in by_abspath:  # the same file named relative vs. absolute
            named = by_abspath[absolute]
        if named is not None:
            files.append(named)
            continue
        own = next((by_own_source[k] for k in _spellings(wanted) if k in by_own_source), None)
        if own is not None:  # a document's own source: a zip member, an attachment of an older index
            documents.extend(own)
            continue
        if wanted.lower() in manifest.documents:  # a whole doc_id
            documents.append(wanted.lower())
            continue
        if len(wanted) < MIN_ID_PREFIX:
            raise TargetError("remove_short_prefix", language=language, target=wanted, min=MIN_ID_PREFIX)
        matches = sorted(d for d in manifest.documents if d.startswith(wanted.lower()))
        if not matches:
            unknown.append(wanted)
            continue
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (" …" if len(matches) > 5 else "")
            raise TargetError("remove_ambiguous", language=language, target=wanted, n=len(matches), ids=shown)
        documents.append(matches[0])
    return Targets(files=tuple(dict.fromkeys(files)), doc_ids=tuple(dict.fromkeys(documents)),
                   unknown=tuple(dict.fromkeys(unknown)))


def _absolute(source: str) -> str:
    """A stored source with its file part absolute ("/abs/bundle.zip#svar/brev.txt"), for comparing names."""
    outer, sep, inner = source.partition("#")
    return os.path.abspath(outer) + sep + inner


def _spellings(target: str) -> list[str]:
    """The ways a typed document source can be stored: as typed, or with CPR numbers masked (the file part and
    the member part apart, as ``stored_source`` does), each with its file part absolute."""
    outer, sep, inner = target.partition("#")
    masked = stored_source(os.path.normpath(outer)) + (mask_cpr_in_name(sep + inner) if sep else "")
    return list(dict.fromkeys(_absolute(s) for s in (target, masked)))


def plan_removal(manifest: Manifest, targets: list[str], language: str = "da") -> RemovalPlan:
    """The documents ``remove targets`` takes, with their senders and sources, before anything goes. A named file
    takes its documents (one another file lists too stays, under that name); a named document goes alone (its
    file keeps its other documents). Raises TargetError like ``resolve_targets``."""
    named = resolve_targets(manifest, targets, language)
    files = set(named.files)
    taken = set(named.doc_ids) | {d for key in files for d in manifest.files[key].doc_ids}
    kept = {d for key, record in manifest.files.items() if key not in files for d in record.doc_ids} - set(named.doc_ids)
    documents = tuple(
        PlannedRemoval(doc_id=r.doc_id, sender=r.sender, source=r.source)
        for r in manifest.documents.values()
        if r.doc_id in taken and r.doc_id not in kept
    )
    return RemovalPlan(targets=named, documents=documents)


def preview_removal(targets: list[str], settings: Settings, index: Index | None = None) -> RemovalPlan:
    """What ``remove targets`` would take now (on the committed index; nothing is changed): for a confirmation."""
    return plan_removal((index or Index(settings)).manifest(), targets, settings.language)


def remove_planned(targets: list[str], settings: Settings, index: Index | None = None, *,
                   erase_history: bool = False) -> RemovalPlan:
    """Remove what ``targets`` name (see resolve_targets) and return the plan that was carried out: the removed
    documents with their senders and sources. Raises TargetError (and removes nothing) for an empty, too short or
    ambiguous target.

    The review trail's removal rule (index/review_store.py ``forget_document``): a removed letter's review
    decisions go; its history stays (codes and names, never the letter's text), unless ``erase_history`` (erasure
    on request), which deletes its history rows too.

    Durable like an ingest: the marker is recorded before the commit, so a remove killed after it (rows still
    in Chroma, text still in its files) is finished by the next writer or reader."""
    index = index or Index(settings)
    with IndexWriter(index) as writer:
        listed = set(writer.manifest.files)
        plan = plan_removal(writer.manifest, targets, settings.language)
        named = plan.targets
        removed = set(writer.forget(list(named.files), list(named.doc_ids)))
        if named.files or named.doc_ids:
            writer.commit()
    # An uploaded original goes with its last document (its name may hold a CPR number): issue 21 #6.
    discard_uploads(listed - set(writer.manifest.files), settings.uploads, writer.manifest.files)
    if removed:
        from index.review_store import ReviewStore

        trail = ReviewStore.for_settings(settings)
        if not trail.url.startswith("sqlite:///") or Path(trail.url.removeprefix("sqlite:///")).exists():
            trail.forget_document(sorted(removed), erase=erase_history)  # (no trail yet: nothing to forget)
    return RemovalPlan(named, tuple(d for d in plan.documents if d.doc_id in removed))  # (the same, by construction)


def remove(targets: list[str], settings: Settings, index: Index | None = None) -> list[str]:
    """Remove documents by doc_id (or a unique prefix), by a document's own source or by a file's path (all of its
    documents; see resolve_targets); returns the removed doc ids (``remove_planned`` returns them with senders
    and sources). Raises TargetError (and removes nothing) for an empty, too short or ambiguous target."""
    return remove_planned(targets, settings, index).doc_ids
