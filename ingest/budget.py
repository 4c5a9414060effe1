"""A time and memory budget for every file: each file (each member of a zip bundle) is read in a worker process.

The worker is an ordinary Python process kept warm between files (it starts, and imports the parsers, once
per ingesting process, not once per file) in a session of its own. For each file it gets the bytes and the
budget, lowers its address-space limit (``RLIMIT_AS``) to its current size plus ``file_memory_mb`` and reads
the file under the loaders' own bounds (:class:`ingest.formats.base.LoadBudget`: a deadline, scanned pages,
unpacked content). Whatever the file does, the caller waits at most ``file_seconds`` plus a little grace; a
worker over time is killed with its whole process group (Tesseract included) and replaced. A file that
exceeds its budget, or crashes the parser, fails alone with a clear LoadError ("for kompleks …", "for stor
…"); the ingest goes on and releases its writer lock as usual. Measured on data/sample: about 0.4 ms more per
file than reading in-process, plus ~2 s once to start a worker (while the model loads).

The files of one zip bundle also share one time budget (``bundle_seconds``, a :class:`SharedTime`): each member
gets its own budget or what is left of the bundle's, whichever is less; a member met after the bundle's time is
used up fails alone ("zip-filens fælles tidsgrænse …") without being read, and the members read before it are kept.
A zip of slow scans thus takes at most ``bundle_seconds``, not its members' budgets added up.

Protocol: length-prefixed pickles over the worker's stdin/stdout (what libraries print goes to stderr). A
worker exits when its stdin closes, and kills itself and its process group as soon as its parent is gone
(an ingest killed mid-file leaves no parser running); ``RLIMIT_CPU`` is the last resort.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ingest.formats import base, ocr
from ingest.formats.base import MB, LoadBudget, LoadError, ZipLimits, budget_scope
from ingest.formats.table import load_bytes
from ingest.schema import LoadedDocument

SUPPORTED = sys.platform.startswith("linux")  # elsewhere (no /proc, RLIMIT_AS not kept) read in-process, bounded by the loaders
ROOT = str(Path(__file__).resolve().parents[1])  # the checkout this module is in: the worker imports the same code
_HEADER = struct.Struct("!Q")
MAX_IDLE = 4  # warm workers kept (the pipeline prepares 2 files at a time)
READY = b"ready\n"
STARTUP_SECONDS = 120.0  # for a worker to import the parsers (about 2 s; more on a busy machine)


@dataclass(frozen=True)
class Job:
    data: bytes
    name: str
    source: str
    budget: LoadBudget
    zip_limits: ZipLimits  # in force in the caller (ingest.formats.base.LIMITS)
    ocr_status: ocr.OcrStatus  # as the caller sees it


@dataclass(frozen=True)
class SharedTime:
    """One time budget shared by several files read one after another (a zip bundle's members): ``seconds`` as
    set (named in messages), running out at ``deadline`` (time.monotonic())."""

    seconds: float
    deadline: float

    @classmethod
    def start(cls, seconds: float) -> SharedTime:
        return cls(float(seconds), time.monotonic() + seconds)

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def spent(self) -> LoadError:
        return LoadError("bundle_too_slow", seconds=f"{self.seconds:g}")


def budget_of(settings) -> LoadBudget:
    return LoadBudget(
        seconds=float(settings.file_seconds),
        max_ocr_pages=settings.max_ocr_pages,
        max_parse_bytes=settings.max_parse_mb * MB,
        memory_mb=settings.file_memory_mb,
    )


def load_file(data: bytes, name: str, source: str, settings, shared: SharedTime | None = None) -> list[LoadedDocument]:
    """Read one file's bytes (``name`` decides the format, as for ingest.formats.table.load_bytes) within the
    settings' budget, and within what is left of ``shared`` (a bundle's time) when that is less; raises LoadError,
    also when the file is over its budget ("bundle_too_slow" when the bundle's time ran out first)."""
    budget = budget_of(settings)
    if shared is None or shared.left() >= (budget.seconds or float("inf")):
        return _load_within(data, name, source, budget)
    left = shared.left()
    if left <= 0:
        raise shared.spent()  # not read at all: the bundle's time is used up
    try:
        return _load_within(data, name, source, dataclasses.replace(budget, seconds=left))
    except LoadError as exc:
        if exc.code == "file_too_slow":  # stopped at the bundle's deadline, not at its own budget
            raise shared.spent() from exc
        raise


def _load_within(data: bytes, name: str, source: str, budget: LoadBudget) -> list[LoadedDocument]:
    job = Job(data, name, source, budget, base.LIMITS, ocr.status())
    if not SUPPORTED:
        return _run(job)
    for _attempt in range(2):
        try:
            worker = _acquire()
        except OSError:  # no worker process can be started here: read in this process, under the loaders' bounds
            return _run(job)
        try:
            reply = worker.run(job)
        except _Stale:  # a worker that died idle, or never started: once more with a fresh one
            worker.kill()
            continue
        except BaseException:
            worker.kill()
            raise
        if reply.get("retire"):
            worker.kill()
        else:
            _release(worker)
        if "error" in reply:
            raise reply["error"]
        return reply["loaded"]
    return _run(job)  # no worker process works here: read in this process, under the loaders' own bounds


# --- the caller's side ---------------------------------------------------------------------------------


class _Stale(Exception):
    """The job could not be handed to the worker."""


class _Worker:
    def __init__(self) -> None:
        code = f"import sys; sys.path.insert(0, {ROOT!r}); from ingest.budget import main; main()"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,  # its own process group: killed with Tesseract and anything else it started
        )
        self.ready = False  # the worker says so once it has imported the parsers (before that no budget runs)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, job: Job) -> dict:
        if not self.ready:
            try:
                self._read(len(READY), time.monotonic() + STARTUP_SECONDS)
            except (TimeoutError, EOFError) as exc:
                raise _Stale() from exc
            self.ready = True
        payload = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.proc.stdin.write(_HEADER.pack(len(payload)))
            self.proc.stdin.write(payload)  # not concatenated: a large file is not copied once more
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise _Stale() from exc
        seconds = job.budget.seconds or 0.0
        deadline = time.monotonic() + seconds + 2.0 + 0.1 * seconds  # the worker stops itself at `seconds`
        try:
            header = self._read(_HEADER.size, deadline)
            return pickle.loads(self._read(_HEADER.unpack(header)[0], deadline))
        except TimeoutError:
            self.kill()
            return {"error": LoadError("file_too_slow", seconds=f"{seconds:g}"), "retire": True}
        except EOFError:
            code = self.proc.wait()
            return {"error": _death(code, job.budget), "retire": True}

    def _read(self, size: int, deadline: float) -> bytes:
        fd = self.proc.stdout.fileno()
        out = bytearray()
        while len(out) < size:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            poller = select.poll()  # not select.select: a process with more than 1024 open files (a server) may read too
            poller.register(fd, select.POLLIN)
            if not poller.poll(left * 1000):
                raise TimeoutError
            piece = os.read(fd, min(size - len(out), 4 * MB))
            if not piece:
                raise EOFError
            out += piece
        return bytes(out)

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def close(self) -> None:
        """Let an idle worker end by itself (its stdin closes), then make sure."""
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


def _death(code: int, budget: LoadBudget) -> LoadError:
    """The outcome of a worker that died on a file without answering."""
    if code < 0 and -code == getattr(signal, "SIGXCPU", -1):
        return LoadError("file_too_slow", seconds=f"{budget.seconds:g}")
    try:
        name = signal.Signals(-code).name if code < 0 else f"exit {code}"
    except ValueError:
        name = f"signal {-code}"
    return LoadError("reader_crashed", error=name)


_idle: list[_Worker] = []
_lock = threading.Lock()


def _acquire() -> _Worker:
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive():
                return worker
            worker.kill()
    return _Worker()


def prewarm(count: int = 2) -> None:
    """Start up to ``count`` idle workers now (they import the parsers while the caller does other work)."""
    if not SUPPORTED:
        return
    try:
        with _lock:
            while len(_idle) < min(count, MAX_IDLE):
                _idle.append(_Worker())
    except OSError:
        pass  # load_file reads in-process then


def _release(worker: _Worker) -> None:
    with _lock:
        if worker.alive() and len(_idle) < MAX_IDLE:
            _idle.append(worker)
            return
    worker.close()


@atexit.register
def shutdown() -> None:
    """End the idle workers (also called at exit; they hold nothing, so they are killed without waiting)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.kill()


# --- the worker's side ---------------------------------------------------------------------------------


def _run(job: Job) -> list[LoadedDocument]:
    with budget_scope(job.budget):
        return load_bytes(job.data, job.name, job.source)


def _address_space() -> int:
    """This process's virtual size in bytes (what RLIMIT_AS counts)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _serve(job: Job) -> dict:
    import resource

    base.LIMITS = job.zip_limits  # the caller's limits and OCR verdict, not this process's own
    ocr._cached = job.ocr_status
    soft_as, hard_as = resource.getrlimit(resource.RLIMIT_AS)
    soft_cpu, hard_cpu = resource.getrlimit(resource.RLIMIT_CPU)
    memory = job.budget.memory_mb
    try:
        if memory:
            limit = _address_space() + memory * MB
            resource.setrlimit(resource.RLIMIT_AS, (limit if hard_as == resource.RLIM_INFINITY else min(limit, hard_as), hard_as))
        if job.budget.seconds:
            used = resource.getrusage(resource.RUSAGE_SELF)
            cpu = int(used.ru_utime + used.ru_stime + 2 * job.budget.seconds + 10)
            resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard_cpu == resource.RLIM_INFINITY else min(cpu, hard_cpu), hard_cpu))
        try:
            return {"loaded": _run(job)}
        except LoadError as exc:
            return {"error": exc, "retire": exc.code == "file_too_much_memory"}
        except MemoryError:
            return {"error": LoadError("file_too_much_memory", limit=memory or "?"), "retire": True}
        except RecursionError as exc:
            return {"error": LoadError("reader_crashed", error=f"RecursionError: {str(exc)[:120]}"), "retire": True}
        except Exception as exc:  # noqa: BLE001 - the caller turns it into this file's outcome
            if type(exc).__name__ == "LimitReachedError":  # pypdf's guard against decompression bombs, wherever it fires
                return {"error": LoadError("content_bomb_limit", error=str(exc)[:160])}
            return {"error": LoadError("internal_error", error=f"{type(exc).__name__}: {str(exc)[:160]}")}
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft_as, hard_as))
        resource.setrlimit(resource.RLIMIT_CPU, (soft_cpu, hard_cpu))


# Imported once when a worker starts, before any budget applies: a parser's import is no part of a file's
# time, and must not fail under a file's memory limit (pytesseract, for one, imports pandas and numpy).
PRELOAD = (
    "pypdf", "pypdf.filters", "docx", "PIL.Image", "PIL.ImageSequence", "PIL.TiffImagePlugin", "PIL.PngImagePlugin",
    "PIL.JpegImagePlugin", "pytesseract", "pypdfium2", "bs4", "charset_normalizer", "extract_msg",
)


def _preload() -> None:
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - an optional parser that is not installed: its loader says so
            pass


def _watch_parent(parent: int) -> None:
    """End this worker, and Tesseract with it, as soon as the process it works for is gone (killed mid-file:
    nobody waits for the answer, and the file may be hostile)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            try:
                os.killpg(0, signal.SIGKILL)  # its own process group: itself and what it started
            finally:
                os._exit(1)


def main() -> None:
    """The worker's loop: read a job, answer, until stdin closes."""
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the answers
    sys.stdout = sys.stderr
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True, name="watch-parent").start()
    _preload()
    channel.write(READY)
    channel.flush()
    source = sys.stdin.buffer
    while True:
        header = source.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        (size,) = _HEADER.unpack(header)
        payload = source.read(size)
        if len(payload) < size:
            return
        job = pickle.loads(payload)
        del payload
        reply = _serve(job)
        del job
        try:
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - e.g. an exception with an unpicklable argument
            data = pickle.dumps({"error": LoadError("internal_error", error=f"{type(exc).__name__}: {exc}"), "retire": True})
        channel.write(_HEADER.pack(len(data)) + data)
        channel.flush()
