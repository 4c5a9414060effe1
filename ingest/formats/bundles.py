"""Zip bundles (a hearing's responses in one file), unpacked safely in memory.

Every supported member is loaded as if it had been dropped alone, with ``source`` naming the zip and the
member path ("bundle.zip#svar/borger.pdf"). Refused members — unsafe paths, too large, suspicious
compression, too many files, too deep nesting — and members that fail to load are returned as failures
with a LoadError each; they never stop the other members. A member is read by the ``load`` the caller hands
over (ingest.formats.table.load_bytes, or the pipeline's reading in a worker process), so this module imports
only ingest.formats.base.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from core.formats import SUPPORTED_SUFFIXES
from core.phrases import message
from ingest.formats import base
from ingest.formats.base import MB, LoadError, ReadFile, ZipLimits, size_text
from ingest.schema import LoadedDocument

_SKIP_PARTS = ("__MACOSX",)
_SKIP_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass
class BundleResult:
    documents: list[LoadedDocument] = field(default_factory=list)
    failures: list[tuple[str, LoadError]] = field(default_factory=list)  # (member source, reason)


@dataclass
class _Budget:
    left: int


def load_zip(data: bytes, source: str, *, load: ReadFile) -> list[LoadedDocument]:
    """A zip read as one file (dropped alone, attached to a mail): its members' documents, the failed members
    named in a warning on the first; a zip of which nothing could be read is a LoadError."""
    result = load_bundle(data, source, load=load)
    if not result.documents:
        raise LoadError("zip_nothing", failed=len(result.failures))
    result.documents[0].warnings.extend(f"{member}: {message(e.code, 'da', **e.params)}" for member, e in result.failures)
    return result.documents


def load_bundle(data: bytes, source: str, limits: ZipLimits | None = None, *, load: ReadFile) -> BundleResult:
    """Load every member of the zip ``data``; raises LoadError only when the zip itself cannot be read.

    ``load`` reads one member (bytes, member name, member source): ingest.formats.table.load_bytes in this
    process, or the pipeline's, which reads each member in a worker process within its own time and memory
    budget (ingest.budget). ``limits``: the zip limits in force (base.LIMITS) unless given."""
    limits = limits or base.LIMITS
    result = BundleResult()
    _load_zip(data, source, 1, limits, _Budget(limits.max_total_bytes), result, load)
    return result


def unsafe_name(name: str) -> bool:
    """A member name that could escape the extraction folder: absolute, drive-qualified, or with '..'."""
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":") or "\x00" in normal:
        return True
    return any(part == ".." for part in normal.split("/"))


def _load_zip(
    data: bytes, source: str, depth: int, limits: ZipLimits, budget: _Budget, result: BundleResult, load: ReadFile
) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise LoadError("corrupt_zip", error=str(exc)[:160] or type(exc).__name__) from exc
    files = [info for info in infos if not info.is_dir()]
    with archive:
        for count, info in enumerate(files, start=1):
            name = info.filename
            member_source = f"{source}#{name}"
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if unsafe_name(name):
                result.failures.append((member_source, LoadError("zip_unsafe_path", name=name)))
                continue
            if any(p in _SKIP_PARTS for p in parts) or (parts and (parts[-1] in _SKIP_NAMES or parts[-1].startswith((".", "~$")))):
                continue  # OS litter (macOS resource forks, thumbnails, lock files), as discover() skips them
            if count > limits.max_members:
                result.failures.append((member_source, LoadError("zip_too_many", limit=limits.max_members)))
                continue
            suffix = PurePosixPath(name).suffix.lower()
            if suffix not in SUPPORTED_SUFFIXES:
                result.failures.append((member_source, LoadError("unsupported_type", ext=suffix or name)))
                continue
            if suffix == ".zip" and depth >= limits.max_depth:
                result.failures.append((member_source, LoadError("zip_too_deep", limit=limits.max_depth)))
                continue
            if info.flag_bits & 0x1:
                result.failures.append((member_source, LoadError("zip_encrypted")))
                continue
            refusal = _check_sizes(info, limits, budget)
            if refusal:
                result.failures.append((member_source, refusal))
                continue
            try:
                payload = _read_member(archive, info, limits, budget)
            except LoadError as exc:
                result.failures.append((member_source, exc))
                continue
            try:
                if suffix == ".zip":
                    _load_zip(payload, member_source, depth + 1, limits, budget, result, load)
                else:
                    result.documents.extend(load(payload, name, member_source))
            except LoadError as exc:
                result.failures.append((member_source, exc))
            except Exception as exc:  # noqa: BLE001 - one bad member never stops the bundle
                result.failures.append((member_source, LoadError("internal_error", error=f"{type(exc).__name__}: {exc}")))


def _check_sizes(info: zipfile.ZipInfo, limits: ZipLimits, budget: _Budget) -> LoadError | None:
    """Refuse by the declared sizes before reading (the reading itself enforces them again)."""
    if info.file_size > limits.max_member_bytes:
        return LoadError("zip_member_too_large", size=size_text(info.file_size), limit=size_text(limits.max_member_bytes))
    if info.file_size > budget.left:
        return LoadError("zip_total_too_large", limit=size_text(limits.max_total_bytes))
    if info.file_size > MB and info.file_size > limits.max_ratio * max(1, info.compress_size):
        return LoadError("zip_ratio", ratio=int(info.file_size / max(1, info.compress_size)), limit=int(limits.max_ratio))
    return None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits, budget: _Budget) -> bytes:
    """Read a member in pieces, never past the limits, whatever its header claims."""
    cap = min(limits.max_member_bytes, budget.left)
    out = bytearray()
    try:
        with archive.open(info) as handle:
            while True:
                piece = handle.read(64 * 1024)
                if not piece:
                    break
                out += piece
                if len(out) > cap:
                    if cap == budget.left and cap < limits.max_member_bytes:
                        raise LoadError("zip_total_too_large", limit=size_text(limits.max_total_bytes))
                    raise LoadError("zip_member_too_large", size=f">{size_text(cap)}", limit=size_text(limits.max_member_bytes))
                if len(out) > MB and len(out) > limits.max_ratio * max(1, info.compress_size):
                    raise LoadError("zip_ratio", ratio=int(len(out) / max(1, info.compress_size)), limit=int(limits.max_ratio))
    except LoadError:
        raise
    except (zipfile.BadZipFile, RuntimeError, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise LoadError("corrupt_zip", error=str(exc)[:160] or type(exc).__name__) from exc
    budget.left -= len(out)
    return bytes(out)

