"""Writers waiting for the writer lock: told to the user, and seen by the writer that holds it.

A writer that finds the lock taken calls the context's ``waiting_notice`` at once (the command line prints
"Venter på, at en anden indlæsning bliver færdig …", the app shows it in its spinner) and leaves an empty file
``<index>/.writer.waiting/<pid>-<random>`` until it has the lock. A long ingest looks for such files between files
and gives way (``index.writer.IndexWriter.give_way``): a ``docs set`` or ``remove`` waits about one file's time,
not the whole run. A file whose process is gone (killed while waiting) is ignored and deleted.

Only the standard library: the command line sets the notice for every command without importing the index.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

WAITING_DIR = ".writer.waiting"
_NOTICE: ContextVar[Callable[[], None] | None] = ContextVar("writer_waiting_notice", default=None)


@contextmanager
def waiting_notice(notice: Callable[[], None] | None) -> Iterator[None]:
    """Writers started in this context call ``notice`` at once when they have to wait for another writer's lock,
    then go on when it is free. None: say nothing."""
    token = _NOTICE.set(notice)
    try:
        yield
    finally:
        _NOTICE.reset(token)


@contextmanager
def waiting(root: Path) -> Iterator[None]:
    """While this writer waits for the lock of the index in ``root``: told, and listed for the writer holding it."""
    notice = _NOTICE.get()
    if notice is not None:
        notice()
    entry = root / WAITING_DIR / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    try:
        entry.parent.mkdir(exist_ok=True)
        entry.touch()
    except OSError:  # a read-only folder: the lock itself fails next, with its own message
        pass
    try:
        yield
    finally:
        entry.unlink(missing_ok=True)


def writers_waiting(root: Path) -> set[str]:
    """The writers waiting for the lock now (their entries); an entry of a process that is gone is deleted."""
    try:
        entries = list((root / WAITING_DIR).iterdir())
    except OSError:
        return set()
    found = set()
    for entry in entries:
        if _alive(entry.name.split("-", 1)[0]):
            found.add(entry.name)
        else:
            entry.unlink(missing_ok=True)
    return found


def let_in(root: Path, waiting: set[str], timeout: float = 10.0) -> None:
    """After releasing the lock: wait until the writers in ``waiting`` have taken it (their entries are gone), at
    most ``timeout`` seconds, so that the caller does not take it straight back."""
    deadline = time.monotonic() + timeout
    while waiting & writers_waiting(root) and time.monotonic() < deadline:
        time.sleep(0.02)


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:  # another user's process
        return True
    return True
