"""``hoering users add|list|remove``: the users file of ``HOERING_AUTH=users`` (``HOERING_USERS_FILE``), a thin
shell over core/identity.py. A password is asked for twice with the input hidden, or read as the first line of
stdin (a script: ``printf '%s\\n' "$PW" | hoering users add …``); it is never echoed, printed or logged, and only
its argon2 hash is stored. Adding or removing a user is a write: a reader is refused (exit 2). ``users_app``
holds the group."""

from __future__ import annotations

import getpass
import sys
from typing import Optional

import typer

from core.phrases import message
from hoering.guard import guarded, require_writer, settings_for
from hoering.output import err, fail, phrase, print_json, say, settings_language

users_app = typer.Typer(help=phrase("users_help"), no_args_is_help=True)


def _role_word(role: str) -> str:
    return message(f"identity.role.{role}", "da")


def read_password() -> str:
    """The password: from the terminal (hidden, twice), else the first line of stdin."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(phrase("password_prompt") + ": ")
        if getpass.getpass(phrase("password_again") + ": ") != first:
            fail(phrase("password_mismatch"), 2)
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.removesuffix("\n").removesuffix("\r")


@users_app.command("add", help=phrase("users_add_help"))
@guarded
def users_add(name: str = typer.Argument(..., help=phrase("users_name")),
              role: str = typer.Option("læser", "--role", help=phrase("users_role")),
              as_json: bool = typer.Option(False, "--json")) -> None:
    from core.identity import IdentityError, add_user
    from core.review import role_of

    settings = settings_for(None)
    require_writer(settings)
    found = role_of(role)
    if found is None:
        fail(message("identity.bad_role", settings_language(), role=role), 2)
    try:
        replaced = add_user(settings.users_file, name, read_password(), found)
    except IdentityError as exc:
        fail(exc.render(settings_language()), 2)
    shown = name.strip()
    if as_json:
        print_json({"name": shown, "role": found, "replaced": replaced, "file": str(settings.users_file)})
        return
    say(err, phrase("user_replaced" if replaced else "user_added", name=shown, role=_role_word(found),
                    path=settings.users_file))


@users_app.command("list", help=phrase("users_list_help"))
@guarded
def users_list(as_json: bool = typer.Option(False, "--json")) -> None:
    from core.identity import IdentityError, load_users

    settings = settings_for(None)
    try:
        users = load_users(settings.users_file)
    except IdentityError as exc:
        fail(exc.render(settings_language()), 2)
    ordered = sorted(users.values(), key=lambda u: u.name.casefold())
    if as_json:  # names and roles, never a hash
        print_json({"users": [{"name": u.name, "role": u.role} for u in ordered]})
        return
    if not ordered:
        say(err, phrase("no_users", path=settings.users_file))
    for user in ordered:
        say(typer_console(), user.name, " – ", _role_word(user.role))


def typer_console():
    from rich.console import Console

    return Console()


@users_app.command("remove", help=phrase("users_remove_help"))
@guarded
def users_remove(name: str = typer.Argument(..., help=phrase("users_name")),
                 as_json: Optional[bool] = typer.Option(False, "--json")) -> None:
    from core.identity import IdentityError, remove_user

    settings = settings_for(None)
    require_writer(settings)
    try:
        removed = remove_user(settings.users_file, name.strip())
    except IdentityError as exc:
        fail(exc.render(settings_language()), 2)
    if as_json:
        print_json({"name": name.strip(), "removed": removed})
    if not removed:
        fail(phrase("user_unknown", name=name.strip(), path=settings.users_file), 1)
    if not as_json:
        say(err, phrase("user_removed", name=name.strip(), path=settings.users_file))
