"""Where the committed manifest lives: a file beside an embedded index, or records in the Chroma server.

Both stores offer the same four things: load the committed manifest, commit a new one atomically, a cheap
stamp that changes with every commit (readers reload their snapshot when it does), and the marker that an
ingest has written to Chroma but not yet committed (so the next run cleans its leftovers).

- ``FileManifestStore`` (embedded Chroma): ``manifest.json`` replaced by rename, ``.uncommitted`` a file.
- ``ChromaManifestStore`` (``HOERING_CHROMA_HOST``): every process that shares the server must see the same
  commit, so the manifest is kept in the server itself, in the collection ``<prefix>_manifest``: the JSON in
  parts ``v<version>:<n>`` written first, then one ``head`` record naming the version and its parts. The
  upsert of ``head`` is the commit point; older parts are deleted after it, and a reader that loses that race
  simply reads the new head. A commit is refused when the head moved since the writer loaded it (a writer on
  another machine). See docs/decisions/0007-server-mode.md.
"""

from __future__ import annotations

import time
from pathlib import Path

from index.manifest import Manifest, read_version

UNCOMMITTED_MARKER = ".uncommitted"  # exists from a run's first Chroma write until its finish()
PART_CHARS = 1_000_000  # one Chroma record per million characters of manifest JSON
_UNIT_VECTOR = [1.0]  # Chroma needs a vector per record; these records are never searched


class ConcurrentCommitError(RuntimeError):
    """Another writer committed to the same index since this one loaded the manifest."""


class FileManifestStore:
    def __init__(self, root: Path) -> None:
        self.path = root / "manifest.json"
        self.marker = root / UNCOMMITTED_MARKER

    def load(self) -> Manifest:
        return Manifest.load(self.path)

    def commit(self, manifest: Manifest) -> None:
        manifest.save(self.path)

    def version(self) -> int:
        return read_version(self.path)

    def stamp(self) -> tuple:
        try:
            st = self.path.stat()
            return st.st_mtime_ns, st.st_size
        except FileNotFoundError:
            return 0, 0

    def mark_uncommitted(self) -> None:
        self.marker.touch()

    def has_uncommitted(self) -> bool:
        return self.marker.exists()

    def clear_uncommitted(self) -> None:
        self.marker.unlink(missing_ok=True)


class ChromaManifestStore:
    STAMP_SECONDS = 0.5  # readers ask the server for the head at most this often

    def __init__(self, client, name: str) -> None:
        self.collection = client.get_or_create_collection(name, embedding_function=None)
        self._stamp: tuple[float, int] | None = None
        self._dirty_known = False

    def _head(self) -> dict | None:
        got = self.collection.get(ids=["head"], include=["metadatas"])
        return got["metadatas"][0] if got["ids"] else None

    def version(self) -> int:
        head = self._head()
        return int(head["version"]) if head else 0

    def load(self, attempts: int = 5) -> Manifest:
        for _ in range(attempts):
            head = self._head()
            if head is None:
                return Manifest()
            ids = [f"v{head['version']}:{n}" for n in range(int(head["parts"]))]
            got = self.collection.get(ids=ids, include=["documents"])
            parts = dict(zip(got["ids"], got["documents"]))
            if len(parts) == len(ids):  # else a newer commit deleted these parts meanwhile: read the new head
                return Manifest.model_validate_json("".join(parts[i] for i in ids))
        raise RuntimeError("the manifest changed during every read attempt; try again")

    def commit(self, manifest: Manifest) -> None:
        if self.version() != manifest.version:
            raise ConcurrentCommitError(
                f"index version {self.version()} on the server, this writer started from {manifest.version}"
            )
        manifest.version += 1
        text = manifest.model_dump_json()
        parts = [text[i : i + PART_CHARS] for i in range(0, len(text), PART_CHARS)] or [""]
        ids = [f"v{manifest.version}:{n}" for n in range(len(parts))]
        try:
            for start in range(0, len(ids), 16):
                self.collection.upsert(
                    ids=ids[start : start + 16],
                    documents=parts[start : start + 16],
                    metadatas=[{"kind": "part", "version": manifest.version}] * len(ids[start : start + 16]),
                    embeddings=[_UNIT_VECTOR] * len(ids[start : start + 16]),
                )
            self.collection.upsert(
                ids=["head"],
                metadatas=[{"kind": "head", "version": manifest.version, "parts": len(parts), "at": time.time()}],
                embeddings=[_UNIT_VECTOR],
            )
        except BaseException:
            manifest.version -= 1
            raise
        self.collection.delete(where={"$and": [{"kind": "part"}, {"version": {"$lt": manifest.version}}]})
        self._stamp = None

    def stamp(self) -> tuple:
        now = time.monotonic()
        if self._stamp is None or now - self._stamp[0] > self.STAMP_SECONDS:
            self._stamp = (now, self.version())
        return (self._stamp[1],)

    def mark_uncommitted(self) -> None:
        if not self._dirty_known:
            self.collection.upsert(ids=["uncommitted"], metadatas=[{"kind": "marker"}], embeddings=[_UNIT_VECTOR])
            self._dirty_known = True

    def has_uncommitted(self) -> bool:
        return bool(self.collection.get(ids=["uncommitted"], include=[])["ids"])

    def clear_uncommitted(self) -> None:
        self.collection.delete(ids=["uncommitted"])
        self._dirty_known = False
