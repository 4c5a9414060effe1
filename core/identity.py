"""Who is acting, and what they may do (issue 25 #4): the pure logic behind the app's login and the CLI's identity.
The Streamlit part is ui/auth.py; the write gate is index/review_store.py's ``ReviewNotAllowed``.

* ``HOERING_AUTH=none`` (the default): everyone is ``HOERING_USER`` (default:
  "sagsbehandler") with the role ``HOERING_DEFAULT_ROLE`` (default case officer).
* ``users``: a users file (``HOERING_USERS_FILE``, TOML or JSON) maps a name to an argon2 hash and a role;
  ``verify`` checks a name and a password against it. ``add_user`` / ``save_users`` write it (``hoering users add``).
* ``proxy``: a reverse proxy in front of the app (the usual set-up behind a municipality's single sign-on) names
  the user in a header (``HOERING_PROXY_USER_HEADER``); ``proxy_identity`` reads it, and the role from
  ``HOERING_PROXY_ROLE_HEADER`` (a role, or groups mapped by ``HOERING_ROLE_GROUPS``). No header: no identity.
* ``oidc``: Streamlit's ``st.login`` with the provider of ``.streamlit/secrets.toml`` (``oidc_problems`` checks
  that configuration); ``claims_identity`` makes an identity of the provider's claims.

The users file, TOML (JSON the same shape: an object of objects)::

    ["Karen Holm"]
    hash = "$argon2id$v=19$m=65536,t=3,p=4$…"
    role = "sagsbehandler"
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.phrases import PhrasedError
from core.review import ROLES, Identity, Role, role_of

if TYPE_CHECKING:
    from core.settings import Settings

FALLBACK_NAME = "sagsbehandler"  # the default name where the OS has none
MAX_NAME = 200  # the review trail's "who" column
ROLE_WORDS: dict[Role, str] = {"reader": "læser", "case_officer": "sagsbehandler"}
"""A role as the users file writes it (Danish, as an administrator reads it)."""


class IdentityError(PhrasedError, ValueError):
    """A users file, a name, a password or a setting that cannot be used (phrase keys ``identity.<code>``)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"identity.{code}", **params)


def default_name(settings: Settings | None = None) -> str:
    """``HOERING_USER``, else "sagsbehandler". Never the OS account's name: on a server that is the service's
    account ("streamlit", "root"), which would put a machine's name in the review trail as if it were a person's."""
    configured = (settings.user if settings is not None else None) or ""
    return clean_name(configured.strip()) or FALLBACK_NAME


def default_identity(settings: Settings) -> Identity:
    """The identity without a login: the default name and ``HOERING_DEFAULT_ROLE``."""
    return Identity(default_name(settings), role_of(settings.default_role) or "case_officer")


def clean_name(value: object) -> str | None:
    """A name as the review trail records it: white space folded, at most 200 characters, no control or format
    characters (a name from a header is shown in the app and written to the history); None when nothing is left."""
    if not isinstance(value, str):
        return None
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in value):
        return None
    name = " ".join(value.split())
    return name if name and len(name) <= MAX_NAME else None


# --- the users file ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    name: str
    hash: str
    role: Role


def _hasher():
    from argon2 import PasswordHasher  # argon2-cffi: its defaults (argon2id, RFC 9106's low-memory profile)

    return PasswordHasher()


def hash_password(password: str) -> str:
    if not password:
        raise IdentityError("empty_password")
    return _hasher().hash(password)


def load_users(path: Path) -> dict[str, User]:
    """The users of ``path`` (TOML, or JSON when it ends in .json); {} when there is no file. A file that cannot
    be read, or an entry without a hash or with an unknown role, is refused (``IdentityError``), never half used."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # tomllib.TOMLDecodeError, json's are ValueErrors
        raise IdentityError("users_unreadable", path=path, error=exc) from exc
    if not isinstance(data, dict):
        raise IdentityError("users_unreadable", path=path, error="not a table of users")
    users = {}
    for name, entry in data.items():
        role = role_of(entry.get("role")) if isinstance(entry, dict) else None
        hashed = entry.get("hash") if isinstance(entry, dict) else None
        if clean_name(name) != name or role is None or not isinstance(hashed, str) or not hashed.startswith("$argon2"):
            raise IdentityError("users_bad_entry", path=path, name=name)
        users[name] = User(name, hashed, role)
    return users


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's basic-string escapes


def dump_users(users: Iterable[User], json_format: bool = False) -> str:
    ordered = sorted(users, key=lambda u: u.name.casefold())
    if json_format:
        return json.dumps({u.name: {"hash": u.hash, "role": ROLE_WORDS[u.role]} for u in ordered},
                          ensure_ascii=False, indent=2) + "\n"
    blocks = [f"[{_toml_string(u.name)}]\nhash = {_toml_string(u.hash)}\nrole = {_toml_string(ROLE_WORDS[u.role])}\n"
              for u in ordered]
    return "# Høringsassistent: users (hoering users add). name -> argon2 hash and role (læser / sagsbehandler)\n\n" + \
        "\n".join(blocks)


def save_users(path: Path, users: Iterable[User]) -> None:
    """Write the users file at once (a temporary file, then a rename), readable by its owner only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dump_users(users, json_format=path.suffix.lower() == ".json")
    fd, temp = tempfile.mkstemp(prefix=".users-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def add_user(path: Path, name: str, password: str, role: Role) -> bool:
    """Add ``name`` to the users file, or replace its password and role; True when it was there already."""
    clean = clean_name(name)
    if clean is None or clean != name.strip():
        raise IdentityError("bad_name", name=name)
    if role not in ROLES:
        raise IdentityError("bad_role", role=role)
    users = load_users(path)
    existed = clean in users
    users[clean] = User(clean, hash_password(password), role)
    save_users(path, users.values())
    return existed


def remove_user(path: Path, name: str) -> bool:
    users = load_users(path)
    if name not in users:
        return False
    del users[name]
    save_users(path, users.values())
    return True


_DUMMY: list[str] = []


def verify(users: Mapping[str, User], name: str, password: str) -> Identity | None:
    """The identity of ``name`` when ``password`` is hers, else None. An unknown name costs a hash's check too
    (its answer takes as long as a wrong password's)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    user = users.get((name or "").strip())
    hasher = _hasher()
    if user is None:
        if not _DUMMY:
            _DUMMY.append(hasher.hash("not a password of anyone"))
        hashed = _DUMMY[0]
    else:
        hashed = user.hash
    try:
        ok = hasher.verify(hashed, password or "")
    except (VerificationError, InvalidHashError):
        ok = False
    return Identity(user.name, user.role) if ok and user is not None else None


# --- a reverse proxy's headers and an identity provider's claims -------------------------------------------------


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header's value, its name in any case. A proxy that sends UTF-8 ("Søren") arrives as Latin-1 text (HTTP's
    default, as Tornado decodes it): read back as UTF-8 where it is that."""
    wanted = name.strip().lower()
    value = next((v for k, v in headers.items() if k.lower() == wanted), None)
    if value is None:
        return None
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def group_roles(mapping: str | None) -> dict[str, Role]:
    """``HOERING_ROLE_GROUPS`` ("group=role, group=role"; also ";" or new lines) as a dict; an unknown role is
    refused (``IdentityError``)."""
    roles: dict[str, Role] = {}
    for part in re.split(r"[,;\n]", mapping or ""):
        if not part.strip():
            continue
        group, _, role = part.partition("=")
        found = role_of(role)
        if not group.strip() or found is None:
            raise IdentityError("bad_group_mapping", entry=part.strip())
        roles[group.strip()] = found
    return roles


def role_from(values: Iterable[str], settings: Settings) -> Role:
    """The role a proxy's role header or a provider's claim gives: with ``HOERING_ROLE_GROUPS`` the values are
    groups (a writing group makes a case officer, else a reading group a reader); without, a value that is a role.
    Nothing that says: ``HOERING_DEFAULT_ROLE``."""
    values = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    groups = group_roles(settings.role_groups)
    found = {groups[v] for v in values if v in groups} if groups else {r for r in map(role_of, values) if r}
    if "case_officer" in found:
        return "case_officer"
    if "reader" in found:
        return "reader"
    return role_of(settings.default_role) or "case_officer"


def _split(value: str) -> list[str]:
    return [v for v in re.split(r"[,;\s]+", value) if v]


def proxy_identity(headers: Mapping[str, str], settings: Settings) -> Identity | None:
    """The user a reverse proxy names (``HOERING_PROXY_USER_HEADER``), with the role of ``HOERING_PROXY_ROLE_HEADER``;
    None when the header is missing, empty or not a usable name (the app then refuses, never the default user)."""
    name = clean_name(header(headers, settings.proxy_user_header))
    if name is None:
        return None
    raw = header(headers, settings.proxy_role_header) if settings.proxy_role_header else None
    return Identity(name, role_from(_split(raw or ""), settings))


def claims_identity(claims: Mapping[str, object], settings: Settings) -> Identity | None:
    """An identity provider's user (``st.user``'s claims): the name from ``name``, ``preferred_username`` or
    ``email``; the role from the claim ``HOERING_OIDC_ROLE_CLAIM`` (a list or a string)."""
    name = next((clean_name(claims.get(k)) for k in ("name", "preferred_username", "email") if clean_name(claims.get(k))),
                None)
    if name is None:
        return None
    raw = claims.get(settings.oidc_role_claim)
    values = [str(v) for v in raw] if isinstance(raw, (list, tuple)) else _split(raw) if isinstance(raw, str) else []
    return Identity(name, role_from(values, settings))


OIDC_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


def oidc_problems(secrets: Mapping[str, object]) -> list[str]:
    """What ``st.login`` lacks in ``.streamlit/secrets.toml``'s ``[auth]`` table (one provider: its keys in
    ``[auth]``; several: each in ``[auth.<name>]`` with the shared redirect_uri and cookie_secret); [] when it is
    complete."""
    auth = secrets.get("auth") if isinstance(secrets, Mapping) else None
    if not isinstance(auth, Mapping):
        return ["[auth]"]
    missing = [k for k in ("redirect_uri", "cookie_secret") if not auth.get(k)]
    providers = {k: v for k, v in auth.items() if isinstance(v, Mapping)}
    if providers:
        for name, provider in providers.items():
            missing += [f"[auth.{name}] {k}" for k in OIDC_KEYS[2:] if not provider.get(k)]
    else:
        missing += [k for k in OIDC_KEYS[2:] if not auth.get(k)]
    return missing


def oidc_provider(secrets: Mapping[str, object]) -> str | None:
    """The provider ``st.login`` is called with: None for a single provider in ``[auth]``, else the first named."""
    auth = secrets.get("auth") if isinstance(secrets, Mapping) else None
    providers = [k for k, v in (auth or {}).items() if isinstance(v, Mapping)] if isinstance(auth, Mapping) else []
    return providers[0] if providers else None


# --- the command line --------------------------------------------------------------------------------------------


def cli_identity(settings: Settings) -> Identity:
    """Who a command of the CLI acts as: ``HOERING_USER`` (default name), with its role from the users file when
    ``HOERING_AUTH=users`` and the name is listed there, else ``HOERING_DEFAULT_ROLE``. (The CLI runs with the
    index folder's file rights: its role keeps a reader's commands from writing, it is no lock against the owner.)"""
    name = default_name(settings)
    if settings.auth == "users":
        user = load_users(settings.users_file).get(name)
        if user is not None:
            return Identity(name, user.role)
    return Identity(name, role_of(settings.default_role) or "case_officer")
