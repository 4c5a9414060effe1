"""Failures of the machine or the setup, told in one clear line (no traceback), and terminal-safe text.

``explain(exc, settings)`` turns what a command can meet outside its own logic — a full disk, a read-only
index, ``HOERING_INDEX`` pointing at a file, a damaged ``manifest.json``, a Chroma server that is down (at start
or later), a damaged ``chroma.sqlite3``, an invalid setting — into one line in the user's language; ``None`` for anything else (a bug: the caller says
"uventet fejl"). ``describe_exception`` names the unexpected errors of reading one file ("for stor eller for
kompleks" for decompression bombs). ``visible`` makes control characters in names visible before they reach a
terminal.
"""

from __future__ import annotations

import errno
import unicodedata

from core.phrases import PhrasedError, message

FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
NOT_A_FOLDER = {errno.EEXIST, errno.ENOTDIR}

# Format characters (category Cf: bidi overrides such as U+202E that reorder what a terminal shows, zero-width
# spaces, word joiners, soft hyphens) are shown as escapes, except the joiners that emoji and some scripts need.
_JOINERS = {"\u200c", "\u200d"}


def visible(text: object, keep_newlines: bool = False) -> str:
    """``text`` with every control, format, line/paragraph-separator and lone-surrogate character shown as an
    escape (``\\x1b``, ``\\n``, ``\\u202e``): a file name or sender can then neither move the cursor, erase lines,
    fake output nor hide characters. With ``keep_newlines`` line breaks (and tabs) stay (answer texts)."""
    out = []
    for ch in str(text):
        if keep_newlines and ch in "\n\t":
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs", "Zl", "Zp") or (category == "Cf" and ch not in _JOINERS):
            code = ord(ch)
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"))
        else:
            out.append(ch)
    return "".join(out)


def _chain(exc: BaseException):
    """The exception and its causes / contexts (a library often wraps the OSError that says what happened)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def explain(exc: BaseException, settings=None, language: str | None = None) -> str | None:
    """One line for a failure of the machine or the setup; None when ``exc`` is not one of those."""
    language = language or (settings.language if settings is not None else "da")
    index = str(settings.index) if settings is not None else "?"
    for err in _chain(exc):
        name = type(err).__name__
        text = str(err)
        if isinstance(err, OSError) and err.errno is not None:
            path = err.filename or index
            if err.errno in FULL:
                return message("disk_full", language, path=path)
            if err.errno in READ_ONLY:
                return message("read_only", language, path=path, index=index)
            if err.errno in NOT_A_FOLDER and settings is not None and _is_index_path(path, settings):
                return message("index_not_folder", language, path=path)
        low = text.lower()
        if "disk is full" in low or "no space left" in low:
            return message("disk_full", language, path=index)
        if "readonly database" in low or "read-only file system" in low:
            return message("read_only", language, path=index, index=index)
        if name == "ValidationError" and getattr(err, "title", "") == "Manifest":
            return message("manifest_corrupt", language, path=f"{index}/manifest.json")
        if name == "ValidationError" and getattr(err, "title", "") == "Settings":
            problems = [f"HOERING_{'_'.join(map(str, e['loc'])).upper()}={e.get('input')!r}: {e['msg']}" for e in err.errors()]
            return message("settings_invalid", language, error="; ".join(problems) or text)
        if name in ("IndexDamagedError", "StoreDamagedError") and isinstance(err, PhrasedError):  # names the fix
            return err.render(language)  # rows lost (index/index.py), chroma.sqlite3 damaged (index/chroma_files.py)
        if _is_damaged_database(err) and settings is not None and not settings.chroma_host:
            return message("chroma_damaged", language, path=f"{index}/chroma/chroma.sqlite3", index=index,
                           detail=" ".join(text.split())[:120] or name)
        if _is_connection_failure(err):
            host = f"{settings.chroma_host}:{settings.chroma_port}" if settings is not None and settings.chroma_host else "?"
            return message("chroma_down", language, host=host)
    return None


def describe_exception(exc: BaseException, language: str = "da") -> str:
    """The outcome line of a file whose reading failed unexpectedly: decompression bombs and exhausted memory
    are "for stor eller for kompleks"; anything else "uventet fejl: Type: text"."""
    for err in _chain(exc):
        if type(err).__name__ in ("LimitReachedError", "DecompressionBombError") or isinstance(err, (MemoryError, RecursionError)):
            return message("file_too_complex", language, error=type(err).__name__)
    return message("internal_error", language, error=f"{type(exc).__name__}: {exc}")


def _is_index_path(path: str, settings) -> bool:
    from pathlib import Path

    index = Path(settings.index)
    try:
        candidate = Path(path)
        return candidate == index or index.is_relative_to(candidate) or candidate.is_relative_to(index)
    except (TypeError, ValueError):
        return False


DAMAGED_DATABASE = (
    "database disk image is malformed", "malformed database schema", "file is not a database",
    # chromadb 1.5's own words for a record of chroma.sqlite3 it cannot use (its write-ahead log, its migrations)
    "failed to pull logs from the log store", "error sending backfill request to compactor", "inconsistent hash:",
)


def _is_damaged_database(err: BaseException) -> bool:
    """Damage Chroma met in an embedded ``chroma.sqlite3`` after SQLite's check passed (a damaged record): its
    SQLite error, or a panic of its native core (pyo3's PanicException, a BaseException)."""
    return type(err).__name__ == "PanicException" or any(m in str(err).lower() for m in DAMAGED_DATABASE)


def _is_connection_failure(err: BaseException) -> bool:
    if "could not connect to a chroma server" in str(err).lower():
        return True
    module = type(err).__module__ or ""
    name = type(err).__name__
    # (a server that dies while a reader holds a kept-alive connection: the next request's read or write fails,
    # or the server closes it without an answer)
    lost = "Connect" in name or name in ("RemoteProtocolError", "ReadError", "WriteError")
    return (module.startswith(("httpx", "httpcore")) and lost) or isinstance(err, ConnectionError)
