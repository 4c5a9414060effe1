"""Zip bundles (a hearing's responses in one file), unpacked safely in memory.

Every supported member is loaded as if it had been dropped alone, with ``source`` naming the zip and the
member path ("bundle.zip#svar/borger.pdf"). Refused members — unsafe paths, too large, suspicious
compression, too many files, too deep nesting — and members that fail to load are returned as failures
with a LoadError each; they never stop the other members.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Callable

from ingest.loaders import LOADERS, LoadError, load_bytes
from ingest.schema import LoadedDocument


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 2000  # files in one zip (each nested zip counts its own)
    max_member_bytes: int = 100 * 1024 * 1024  # uncompressed size of one member
    max_total_bytes: int = 1024 * 1024 * 1024  # uncompressed size of everything read from one bundle
    max_ratio: float = 200.0  # uncompressed / compressed of one member (zip bombs)
    max_depth: int = 2  # the bundle is depth 1; a zip inside it depth 2; deeper zips are refused


LIMITS = ZipLimits()
_SKIP_PARTS = ("__MACOSX",)
_SKIP_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")
MB = 1024 * 1024


@dataclass
class BundleResult:
    documents: list[LoadedDocument] = field(default_factory=list)
    failures: list[tuple[str, LoadError]] = field(default_factory=list)  # (member source, reason)


@dataclass
class _Budget:
    left: int


Loader = Callable[[bytes, str, str], list[LoadedDocument]]  # (bytes, member name, member source) -> documents


def load_bundle(data: bytes, source: str, limits: ZipLimits | None = None, load: Loader | None = None) -> BundleResult:
    """Load every member of the zip ``data``; raises LoadError only when the zip itself cannot be read.

    ``load`` reads one member (default: ingest.loaders.load_bytes in this process); the pipeline passes one
    that reads each member in a worker process within its own time and memory budget (ingest.budget)."""
    limits = limits or LIMITS
    result = BundleResult()
    _load_zip(data, source, 1, limits, _Budget(limits.max_total_bytes), result, load or load_bytes)
    return result


def unsafe_name(name: str) -> bool:
    """A member name that could escape the extraction folder: absolute, drive-qualified, or with '..'."""
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":") or "\x00" in normal:
        return True
    return any(part == ".." for part in normal.split("/"))


def _load_zip(
    data: bytes, source: str, depth: int, limits: ZipLimits, budget: _Budget, result: BundleResult, load: Loader
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
            if suffix not in LOADERS:
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
        return LoadError("zip_member_too_large", size=_mb(info.file_size), limit=_mb(limits.max_member_bytes))
    if info.file_size > budget.left:
        return LoadError("zip_total_too_large", limit=_mb(limits.max_total_bytes))
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
                        raise LoadError("zip_total_too_large", limit=_mb(limits.max_total_bytes))
                    raise LoadError("zip_member_too_large", size=f">{_mb(cap)}", limit=_mb(limits.max_member_bytes))
                if len(out) > MB and len(out) > limits.max_ratio * max(1, info.compress_size):
                    raise LoadError("zip_ratio", ratio=int(len(out) / max(1, info.compress_size)), limit=int(limits.max_ratio))
    except LoadError:
        raise
    except (zipfile.BadZipFile, RuntimeError, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise LoadError("corrupt_zip", error=str(exc)[:160] or type(exc).__name__) from exc
    budget.left -= len(out)
    return bytes(out)


def _mb(size: int) -> str:
    """A size in plain units ("120 MB", "40 kB", "900 bytes")."""
    if size >= MB:
        return f"{size / MB:.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size // 1024} kB"
    return f"{size} bytes"
