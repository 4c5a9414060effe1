"""How every ``hoering`` command runs: its settings (``settings_for``: the environment's, with ``--index``), the
guard around it (``guarded``: a failure of the machine or the setup — full disk, read-only index, damaged
manifest, Chroma server down … — is one line and exit code 2, a bug one line and exit 1, never a traceback) and
the write gate (``require_writer``: a reader is refused before anything is read or written)."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import click
import typer

from core.errors import explain
from core.phrases import message
from hoering.output import err, fail, phrase, say, settings_language

if TYPE_CHECKING:  # the commands import what they use when they run (a fast start for --help and usage errors)
    from core.review import Identity
    from core.settings import Settings


def settings_for(index: Optional[Path]) -> Settings:
    """The settings of this call: the environment's, with ``--index`` when given."""
    from core.settings import get_settings  # pydantic-settings: only for a command that runs

    settings = get_settings()
    return settings.model_copy(update={"index": index}) if index else settings


def require_writer(settings: Settings) -> Identity:
    """The identity of this call (core.identity.cli_identity: HOERING_USER, its role from the users file or
    HOERING_DEFAULT_ROLE). Every writing command calls it first: a reader is refused with one line and exit 2
    before anything is read or written (index/review_store.py's ReviewNotAllowed, the one write gate)."""
    from core.identity import IdentityError, cli_identity
    from index.review_store import ReviewNotAllowed

    try:
        identity = cli_identity(settings)
        if not identity.may_write:
            raise ReviewNotAllowed("review_not_allowed", name=identity.name)
    except (IdentityError, ReviewNotAllowed) as exc:
        fail(exc.render(settings.language), 2)
    return identity


def guarded(command):
    """Failures outside the command's own logic become one clear line (exit 2); a bug becomes one line too
    (exit 1; HOERING_DEBUG=1 shows the traceback)."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        from index.waiting import waiting_notice

        try:
            with waiting_notice(lambda: say(err, phrase("waiting_for_writer"))):  # then it goes on when the lock is free
                return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, click.exceptions.Exit, click.exceptions.Abort, click.ClickException,
                KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - the one place every failure is told in one line (a Rust
            # panic in Chroma's native core arrives as pyo3's PanicException, a BaseException)
            settings = None
            try:
                ctx = kwargs.get("ctx")
                settings = settings_for(kwargs.get("index") or (ctx.obj if ctx is not None else None))
            except Exception:  # noqa: BLE001 - the settings themselves may be what is wrong
                pass
            text = explain(exc, settings, language=settings.language if settings else "da")
            if text is not None:
                fail(text, 2)
            if os.environ.get("HOERING_DEBUG"):
                raise
            fail(message("unexpected_command", settings_language(), error=f"{type(exc).__name__}: {exc}"), 1)

    return run
