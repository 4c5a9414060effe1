"""Officials' metadata corrections: stored in the manifest by doc_id and by source, applied on every ingest, and
written to the review trail (index/review_store.py): one history entry per changed field (kind ``metadata``, the
field as subject, old → new, who, why), and the sender item marked reviewed when the sender is confirmed."""

from __future__ import annotations

from ingest.clean import clean_field
from ingest.dates import parse_date
from index.index import Index
from index.writer import IndexWriter
from index.manifest import Manifest
from core.phrases import PhrasedError
from core.senders import SENDER_TYPES
from index.records import EDITABLE_FIELDS, DocumentMetadata
from index.review_store import ReviewNotAllowed, ReviewStore
from core.casefile import hearing_key
from core.review import Identity, ItemKey
from core.settings import Settings


class CorrectionError(PhrasedError, ValueError):
    """A correction refused: a phrase key and its parameters, rendered in the user's language by the CLI and the
    UI. ``str()`` keeps the English words it always had (logs, tests)."""

    default_language = "en"


def validate(fields: dict[str, str | None]) -> dict[str, str | None]:
    clean: dict[str, str | None] = {}
    for key, value in fields.items():
        if key not in EDITABLE_FIELDS:
            raise CorrectionError("correction_unknown_field", field=key, editable=", ".join(EDITABLE_FIELDS))
        # Control characters and terminal escape sequences never reach a stored field (exports, terminals).
        value = clean_field(value) if isinstance(value, str) else value
        if key == "sender_type" and value not in SENDER_TYPES:
            raise CorrectionError("correction_sender_type", allowed=", ".join(SENDER_TYPES))
        if key == "date" and value:
            iso = parse_date(value)
            if not iso:
                raise CorrectionError("correction_bad_date", value=value)
            value = iso
        if key == "municipality" and value:
            from core.gazetteer import gazetteer

            mun = gazetteer().municipality(value)
            if mun is None:
                raise CorrectionError("correction_municipality", value=value)
            value = mun.name
        clean[key] = value or None
    return clean


def apply_corrections(manifest: Manifest, doc_id: str, sources: list[str], meta: DocumentMetadata) -> DocumentMetadata:
    update: dict[str, str | None] = {}
    for source in sources:
        update.update(manifest.source_corrections.get(source, {}))
    update.update(manifest.corrections.get(doc_id, {}))
    # Corrections stored by an older version may hold control characters.
    update = {k: clean_field(v) or None if isinstance(v, str) else v for k, v in update.items()}
    if {"sender", "sender_type"} & set(update):
        update["needs_review"] = False  # an official has checked the sender
    return meta.model_copy(update=update) if update else meta



METADATA_MODEL = "metadata-rules@1"  # the review trail's name for the metadata rules (ingest/metadata.py)


def fallback_identity(settings: Settings) -> Identity:
    """Who corrects where the shell names no one: the configured user and role (core/identity.py's
    ``default_identity``: HOERING_USER with HOERING_DEFAULT_ROLE; answering/review.py's ``default_identity`` is
    this)."""
    from core.identity import default_identity

    return default_identity(settings)


def set_metadata(index: Index, doc_id: str, fields: dict[str, str | None], *, identity: Identity | None = None,
                 why: str = "") -> dict:
    """Correct a document's metadata now (manifest, then Chroma: ``IndexWriter.set_metadata``) and for every later
    ingest, by ``identity`` (a reader is refused before anything is written: ``ReviewNotAllowed``), with a history
    entry per changed field. ``doc_id``: the id or a prefix naming exactly one document."""
    fields = validate(fields)
    identity = identity or fallback_identity(index.settings)
    if not identity.may_write:
        raise ReviewNotAllowed("review_not_allowed", name=identity.name)
    with IndexWriter(index) as writer:
        matches = [d for d in writer.manifest.documents if d == doc_id or d.startswith(doc_id)]
        if len(matches) != 1:
            raise CorrectionError("correction_no_document", doc_id=doc_id)
        before = writer.manifest.documents[matches[0]]
        after = writer.set_metadata(matches[0], fields)
    _trail(ReviewStore.for_settings(index.settings), identity, before, after, fields, why)
    return after.model_dump()


def _trail(store: ReviewStore, identity: Identity, before, after, fields: dict[str, str | None], why: str) -> None:
    """The review trail of one correction: each changed field a person's decision (old → new in the history); the
    sender, where it was set (changed or confirmed as it is), reviewed."""
    hearing = hearing_key(after.hearing)
    for field, value in fields.items():
        old = getattr(before, field, None)
        if old != value or field == "sender":
            key = ItemKey(hearing, "metadata", after.doc_id, field)
            if store.decision(key) is None:  # what the metadata rules said, so the history has old → new
                store.record_machine([(key, old)], source="rule", model=METADATA_MODEL)
            store.decide(identity, key, value, why=why)
    if "sender" not in fields and "sender_type" in fields:  # the sender checked with its type
        key = ItemKey(hearing, "metadata", after.doc_id, "sender")
        found = store.decision(key)
        if found is not None and found.state != "reviewed":
            store.set_state(identity, key, "reviewed", why=why)
