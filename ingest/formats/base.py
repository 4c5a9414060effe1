"""What every format shares: the LoadError, the budget of reading one file, the zip limits, sizes in words.

The budget (:class:`LoadBudget`) is set for a file with :func:`budget_scope` and read by the loaders with
:func:`current_budget`; they check it as they go (time, OCR pages, unpacked content counted with
:class:`Parsed`). The zip limits (:data:`LIMITS`) bound a zip bundle and the zip inside a DOCX, and the
compression ratio of a PDF stream; they are read where they are used, as ``base.LIMITS``: tests and the worker
process of ingest.budget replace them. Imports nothing of the formats: every format module may import this one.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import time
from dataclasses import dataclass
from typing import Callable

from core.phrases import PhrasedError
from ingest.schema import LoadedDocument

MB = 1024 * 1024

Loader = Callable[[bytes, str], list[LoadedDocument]]  # (bytes, source) -> documents: one format's loader
ReadFile = Callable[[bytes, str, str], list[LoadedDocument]]  # (bytes, file name, source) -> documents: any format


class LoadError(PhrasedError):
    """A file that cannot be loaded: ``code`` is a phrase key (core.phrases), ``params`` its parameters; the
    outcome line is rendered in the user's language where it is shown."""


@dataclass(frozen=True)
class LoadBudget:
    """Bounds on the work of reading one file (see core.settings: file_seconds, max_ocr_pages, max_parse_mb).

    The loaders check it as they go and refuse a file that exceeds it with a clear LoadError; the worker process
    of ingest.budget enforces time and memory from outside as well. Outside a worker (a loader called directly)
    the defaults apply and there is no deadline.
    """

    seconds: float | None = None  # wall-clock budget of the whole file
    max_ocr_pages: int = 200
    max_parse_bytes: int = 64 * 1024 * 1024
    memory_mb: int | None = None  # enforced by the worker process (only named in messages here)
    deadline: float | None = None  # time.monotonic() when the budget runs out (set by budget_scope)

    def left(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def check_time(self) -> None:
        left = self.left()
        if left is not None and left <= 0:
            raise LoadError("file_too_slow", seconds=_seconds(self.seconds))


_BUDGET: contextvars.ContextVar[LoadBudget] = contextvars.ContextVar("load_budget", default=LoadBudget())


def current_budget() -> LoadBudget:
    return _BUDGET.get()


@contextlib.contextmanager
def budget_scope(budget: LoadBudget):
    """Load files under ``budget`` (its clock starts now)."""
    if budget.seconds is not None:
        budget = dataclasses.replace(budget, deadline=time.monotonic() + budget.seconds)
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def out_of_memory() -> LoadError:
    """The outcome of a file whose reading ran out of its memory budget."""
    return LoadError("file_too_much_memory", limit=current_budget().memory_mb or "?")


def _seconds(value: float | None) -> str:
    return f"{value:g}" if value is not None else "?"


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 2000  # files in one zip (each nested zip counts its own)
    max_member_bytes: int = 100 * 1024 * 1024  # uncompressed size of one member
    max_total_bytes: int = 1024 * 1024 * 1024  # uncompressed size of everything read from one bundle
    max_ratio: float = 200.0  # uncompressed / compressed of one member (zip bombs)
    max_depth: int = 2  # the bundle is depth 1; a zip inside it depth 2; deeper zips are refused


LIMITS = ZipLimits()  # in force; read as base.LIMITS where used (replaced by tests and by ingest.budget's worker)


def size_text(size: int) -> str:
    """A size in plain units ("120 MB", "40 kB", "900 bytes")."""
    if size >= MB:
        return f"{size / MB:.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size // 1024} kB"
    return f"{size} bytes"


def check_ratio(unpacked: int, packed: int) -> None:
    """Refuse content that unpacks suspiciously far (over MB, and over the zip limits' ratio) as a decompression
    bomb: a stream of a PDF, a part of a DOCX."""
    if unpacked > MB and unpacked > LIMITS.max_ratio * max(1, packed):
        raise LoadError("content_bomb", ratio=int(unpacked / max(1, packed)), limit=int(LIMITS.max_ratio))


class Parsed:
    """Counts the unpacked content one file makes the parser read, against the budget's max_parse_bytes."""

    def __init__(self) -> None:
        self.budget = current_budget()
        self.total = 0

    def add(self, size: int) -> None:
        self.total += size
        if self.total > self.budget.max_parse_bytes:
            limit = size_text(self.budget.max_parse_bytes)
            raise LoadError("too_complex", size=f">{limit}", limit=limit)


def short_reason(exc: BaseException) -> str:
    """An exception in at most 160 characters, for a LoadError's ``error`` parameter."""
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
