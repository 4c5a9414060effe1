"""Who the app's user is, and the one check every write of the app goes through (issue 25 #4); the logic is
core/identity.py's, this is its Streamlit part.

``gate`` runs before any page (app.py): with ``HOERING_AUTH=users`` a login form (name and password, checked
against the users file's argon2 hashes), with ``proxy`` the reverse proxy's user header (``st.context.headers``;
no header: a refusal page, never the default user), with ``oidc`` Streamlit's ``st.login`` / ``st.user``; with
``none`` everyone is the default name. ``current`` is worked out again on every run from what the browser cannot
set: the headers of the session's connection, Streamlit's signed login cookie, or a record in the session state
that only a successful login writes (no widget has its key; a widget's value is never a ``SignedIn``). A signed-in
user's role is read from the users file on every run, so a changed role or a removed user counts at once.

``require_writer`` is the server-side gate: every write of the pages (upload, corrections, removal, theme edits,
the case file's list, matches and themes) calls it first, and a reader's write raises index/review_store.py's
``ReviewNotAllowed`` even when a disabled control is forced (a control's state comes from the browser).
``may_write`` only decides what is drawn disabled or hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from core.identity import (IdentityError, User, claims_identity, default_identity, load_users, oidc_problems,
                           oidc_provider, proxy_identity, verify)
from core.review import Identity
from index.review_store import ReviewNotAllowed
from ui import resources
from ui.safe import escape_markdown
from ui.texts import t

SIGNED_IN = "auth_signed_in"
"""Session key of the user a login verified (``SignedIn``); no widget uses it."""


@dataclass(frozen=True)
class SignedIn:
    """A login that succeeded: the name from the users file (the role is read from the file on every run)."""

    name: str


_USERS: dict[str, tuple[float, dict[str, User]]] = {}


def _users(path: Path) -> dict[str, User]:
    """The users file, read again when it changed (its modification time)."""
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return {}
    cached = _USERS.get(str(path))
    if cached is None or cached[0] != stamp:
        cached = (stamp, load_users(path))
        _USERS[str(path)] = cached
    return cached[1]


def _headers() -> dict[str, str]:
    try:
        return dict(st.context.headers)
    except Exception:  # noqa: BLE001 - no connection (a bare script run): no headers
        return {}


def _claims() -> dict | None:
    user = getattr(st, "user", None)
    if user is None or not user.get("is_logged_in", False):
        return None
    return user.to_dict()


def current() -> Identity | None:
    """Who is using the app on this run; None when nobody is signed in (or the proxy named nobody)."""
    settings = resources.settings()
    if settings.auth == "users":
        signed = st.session_state.get(SIGNED_IN)
        if not isinstance(signed, SignedIn):
            return None
        user = _users(settings.users_file).get(signed.name)
        return Identity(user.name, user.role) if user is not None else None
    if settings.auth == "proxy":
        return proxy_identity(_headers(), settings)
    if settings.auth == "oidc":
        claims = _claims()
        return claims_identity(claims, settings) if claims else None
    return default_identity(settings)


def may_write() -> bool:
    """Whether this run's user may change anything (what is drawn enabled; the check itself is require_writer)."""
    identity = current()
    return identity is not None and identity.may_write


def require_writer() -> Identity:
    """The gate before every write of the app: this run's identity when it may write, else ReviewNotAllowed."""
    identity = current()
    if identity is None or not identity.may_write:
        raise ReviewNotAllowed("review_not_allowed", name=identity.name if identity else "?")
    return identity


def role_name(identity: Identity, lang: str) -> str:
    from core.phrases import message

    return message(f"identity.role.{identity.role}", lang)


# --- before any page ---------------------------------------------------------------------------------------------


def gate(lang: str) -> Identity:
    """This run's identity, or the login / refusal page and the end of the run (st.stop)."""
    settings = resources.settings()
    try:
        identity = current()
    except IdentityError as exc:  # a users file or HOERING_ROLE_GROUPS that cannot be used: said, nothing shown
        st.error(escape_markdown(exc.render(lang)))
        st.stop()
    if identity is not None:
        return identity
    if settings.auth == "users":
        _login_form(lang)
    elif settings.auth == "proxy":
        st.title(t(lang, "auth.login_title"))
        header = settings.proxy_user_header.replace("`", "")  # an HTTP header's name: a token, shown as code
        st.error(t(lang, "auth.proxy_refused", header=f"`{header}`"))
    elif settings.auth == "oidc":
        _oidc_login(lang)
    st.stop()
    raise AssertionError("unreachable")  # st.stop ends the run


def _login_form(lang: str) -> None:
    settings = resources.settings()
    st.title(t(lang, "auth.login_title"))
    if not _users(settings.users_file):
        st.warning(t(lang, "auth.no_users", path=escape_markdown(str(settings.users_file))))
        return
    st.caption(t(lang, "auth.login_intro"))
    with st.form("auth_login"):
        name = st.text_input(t(lang, "auth.name"), key="auth_name")
        password = st.text_input(t(lang, "auth.password"), type="password", key="auth_password")
        submitted = st.form_submit_button(t(lang, "auth.login_button"), type="primary")
    if not submitted:
        return
    identity = verify(_users(settings.users_file), name, password)
    if identity is None:
        st.error(t(lang, "auth.login_failed"))
        return
    st.session_state[SIGNED_IN] = SignedIn(identity.name)
    st.session_state.pop("auth_password", None)
    st.rerun()


def _oidc_login(lang: str) -> None:
    st.title(t(lang, "auth.login_title"))
    try:
        secrets = st.secrets.to_dict()
    except Exception:  # noqa: BLE001 - no .streamlit/secrets.toml (Streamlit's own error): nothing configured
        secrets = {}
    missing = oidc_problems(secrets)
    if missing:
        st.error(t(lang, "auth.oidc_unconfigured", missing=escape_markdown(", ".join(missing))))
        return
    st.caption(t(lang, "auth.oidc_intro"))
    if st.button(t(lang, "auth.login_button"), key="auth_oidc", type="primary"):
        st.login(oidc_provider(secrets))


def render_identity(identity: Identity, lang: str) -> None:
    """The user in the sidebar, a reader told what she may do, and "Log ud" where there is a login."""
    settings = resources.settings()
    st.sidebar.markdown(t(lang, "auth.signed_in_as", name=escape_markdown(identity.name),
                          role=role_name(identity, lang)))
    if not identity.may_write:
        st.sidebar.caption(t(lang, "auth.read_only"))
    if settings.auth == "users" and st.sidebar.button(t(lang, "auth.logout"), key="auth_logout"):
        st.session_state.pop(SIGNED_IN, None)
        st.rerun()
    elif settings.auth == "oidc" and st.sidebar.button(t(lang, "auth.logout"), key="auth_logout"):
        st.logout()
