"""What every ``hoering`` command says and how: its texts from the phrasebook (``phrase``, Danish), the stderr
console, document-derived or user-given text printed as plain text — never as Rich markup — with control
characters made visible (core.errors.visible), ``--json`` output, and a failure as one line with its exit code
(``fail``, in the settings' language: ``settings_language``)."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.text import Text

from core.errors import visible
from core.phrases import message

CLI_LANGUAGE = "da"  # help, progress and results are Danish; failures follow the settings' language

err = Console(stderr=True)


def phrase(key: str, **params: object) -> str:
    """A text of the command line from the phrasebook (core.phrases)."""
    return message(f"cli.{key}", CLI_LANGUAGE, **params)


def settings_language() -> str:
    """The settings' language (failures are told in it); Danish when the settings themselves are invalid."""
    try:
        from core.settings import get_settings

        return get_settings().language
    except Exception:  # noqa: BLE001 - invalid settings: Danish
        return "da"


def print_json(data: object) -> None:
    """``--json`` output on stdout, indented, non-ASCII kept."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # A file name that is not UTF-8 holds lone surrogates: written as JSON \udcXX escapes, not a crash.
    sys.stdout.write(text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n")


def safe(text: object, style: str = "", keep_newlines: bool = False) -> Text:
    """Document-derived or user-given text for Rich: never parsed as markup, control characters visible."""
    return Text(visible("" if text is None else text, keep_newlines=keep_newlines), style=style)


def say(console: Console, *parts: object, keep_newlines: bool = False) -> None:
    """Print plain pieces (str: shown as is, made safe) and (text, style) pairs as one line."""
    line = Text()
    for part in parts:
        text, style = part if isinstance(part, tuple) else (part, "")
        line.append_text(safe(text, style, keep_newlines))
    console.print(line, highlight=False, soft_wrap=True)  # one line stays one line in a log or a pipe (no wrap at 80)


def fail(text: str, code: int = 2) -> None:
    """One line on stderr and the exit code (2: bad input or a failure of the machine/setup)."""
    say(err, (message("cli.error", settings_language()), "red"), ": ", text)
    raise typer.Exit(code)
