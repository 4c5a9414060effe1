"""Who you are, and what you may do (issue 25 #4): core/identity.py, ``hoering users``, the CLI's write gate
(hoering/guard.py ``require_writer``) and the app's (ui/auth.py), with real argon2 hashes, real files, the real
``hoering`` command (in-process and as a process) and the app driven with AppTest on a real index.

* The users file: a round trip (TOML and JSON) with argon2, a wrong password and an unknown name refused, only
  hashes stored, the file readable by its owner only; ``hoering users add`` reads the password from stdin and
  never prints it.
* Roles: every spelling, ``HOERING_DEFAULT_ROLE``, groups mapped to roles; the proxy's headers (any case, UTF-8
  names, no header = nobody); an identity provider's claims; the OIDC configuration check.
* The CLI: a reader is refused by every write command with one line and exit 2, and the index folder (its case
  file included) is byte-for-byte unchanged; reading commands work for a reader; a case officer writes.
* The app: a login form before any page; a reader's write controls are disabled or absent, and a forced write (a
  click on a disabled control, which AppTest, like a forged browser message, delivers) is refused on the server
  with nothing written; a session state that is not a verified login is no login.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from core.identity import (IdentityError, add_user, claims_identity, cli_identity, default_name, group_roles,
                           header, load_users, oidc_problems, oidc_provider, proxy_identity, remove_user,
                           verify)
from core.review import Identity, role_of
from core.settings import Settings
from tests.processes import hoering_command, in_process_cli, python_env
from tests.test_app import _button, _no_exception, _open_page, app_env, fresh_index  # noqa: F401  (fixtures)

READER, OFFICER = "Lars Læser", "Karen Holm"
PASSWORDS = {READER: "læs-kun 123", OFFICER: "ret-og-gennemgå 456"}
REFUSED = "er læser og kan ikke ændre noget"


def _settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


# --- the users file ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["users.toml", "users.json"])
def test_users_file_round_trip_with_argon2(tmp_path, name):
    path = tmp_path / "conf" / name
    assert add_user(path, OFFICER, PASSWORDS[OFFICER], "case_officer") is False
    assert add_user(path, READER, PASSWORDS[READER], "reader") is False
    text = path.read_text(encoding="utf-8")
    assert PASSWORDS[OFFICER] not in text and PASSWORDS[READER] not in text  # only the hashes
    assert text.count("$argon2id$") == 2
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    if name.endswith(".json"):
        assert json.loads(text)[READER]["role"] == "læser"
    users = load_users(path)
    assert {u.name: u.role for u in users.values()} == {OFFICER: "case_officer", READER: "reader"}

    assert verify(users, OFFICER, PASSWORDS[OFFICER]) == Identity(OFFICER, "case_officer")
    assert verify(users, f"  {READER} ", PASSWORDS[READER]) == Identity(READER, "reader")
    assert verify(users, OFFICER, PASSWORDS[READER]) is None  # another's password
    assert verify(users, OFFICER, "") is None
    assert verify(users, "Ukendt", PASSWORDS[OFFICER]) is None  # an unknown name
    assert verify(users, OFFICER, PASSWORDS[OFFICER].upper()) is None

    assert add_user(path, READER, "nyt kodeord", "case_officer") is True  # replaced: new password and role
    users = load_users(path)
    assert verify(users, READER, PASSWORDS[READER]) is None
    assert verify(users, READER, "nyt kodeord") == Identity(READER, "case_officer")
    assert remove_user(path, READER) is True and remove_user(path, READER) is False
    assert list(load_users(path)) == [OFFICER]


def test_a_users_file_that_cannot_be_used_is_refused_whole(tmp_path):
    assert load_users(tmp_path / "none.toml") == {}
    broken = tmp_path / "users.toml"
    broken.write_text('["Karen"]\nhash = "$argon2id$x"\nrole = "chef"\n', encoding="utf-8")
    with pytest.raises(IdentityError) as caught:
        load_users(broken)
    assert "Karen" in caught.value.render("da") and "læser eller sagsbehandler" in caught.value.render("da")
    broken.write_text('["Karen"]\nhash = "plain text"\nrole = "læser"\n', encoding="utf-8")
    with pytest.raises(IdentityError):
        load_users(broken)
    broken.write_text("not toml = = =", encoding="utf-8")
    with pytest.raises(IdentityError):
        load_users(broken)
    with pytest.raises(IdentityError):
        add_user(tmp_path / "u.toml", "Karen", "", "reader")  # an empty password
    with pytest.raises(IdentityError):
        add_user(tmp_path / "u.toml", "Karen\x1b[2J", "pw", "reader")  # a name with control characters
    assert not (tmp_path / "u.toml").exists()


def test_hoering_users_add_reads_the_password_from_stdin_and_never_prints_it(tmp_path):
    path = tmp_path / "users.toml"
    env = python_env(HOERING_USERS_FILE=str(path), HOERING_INDEX=str(tmp_path / "index"))
    for name, role in ((OFFICER, "sagsbehandler"), (READER, "læser")):
        done = subprocess.run([*hoering_command(), "users", "add", name, "--role", role],
                              input=PASSWORDS[name] + "\n", capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        assert PASSWORDS[name] not in done.stdout + done.stderr
        assert f"{name} tilføjet som {role}" in done.stderr
    users = load_users(path)
    assert verify(users, READER, PASSWORDS[READER]) == Identity(READER, "reader")
    assert verify(users, OFFICER, PASSWORDS[OFFICER]) == Identity(OFFICER, "case_officer")
    listed = subprocess.run([*hoering_command(), "users", "list", "--json"], capture_output=True, text=True, env=env,
                            timeout=120, check=True)
    assert json.loads(listed.stdout) == {"users": [{"name": OFFICER, "role": "case_officer"},
                                                   {"name": READER, "role": "reader"}]}
    assert "argon2" not in listed.stdout
    bad = subprocess.run([*hoering_command(), "users", "add", "Ny", "--role", "chef"], input="pw\n",
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and "Ukendt rolle" in bad.stderr and "Ny" not in load_users(path)


# --- roles, the default name, the proxy's headers, the identity provider ------------------------------------------


def test_role_names_and_the_default_role():
    for word in ("læser", "Læser", "laeser", "reader", " READER "):
        assert role_of(word) == "reader"
    for word in ("sagsbehandler", "case_officer", "case-officer", "Sagsbehandler"):
        assert role_of(word) == "case_officer"
    assert role_of("chef") is None and role_of(None) is None
    assert _settings().default_role == "case_officer"
    assert _settings(default_role="læser").default_role == "reader"
    with pytest.raises(ValueError):
        _settings(default_role="admin")
    assert _settings(user="Sagsbehandler A").auth == "none"


def test_the_default_name(monkeypatch):
    assert default_name(_settings(user="  Mette Kjær ")) == "Mette Kjær"
    monkeypatch.setattr("getpass.getuser", lambda: "streamlit")  # a service account is never taken for a person
    assert default_name(_settings()) == "sagsbehandler"
    assert default_name(_settings(user="Anna\x1b[31m")) == "sagsbehandler"  # a control character: not a name


def test_groups_map_to_roles():
    assert group_roles("hoering-sb=sagsbehandler; hoering-laes = læser\nalle=reader") == {
        "hoering-sb": "case_officer", "hoering-laes": "reader", "alle": "reader"}
    with pytest.raises(IdentityError):
        group_roles("hoering-sb=chef")
    with pytest.raises(IdentityError):
        group_roles("=læser")


def test_proxy_header_parsing():
    s = _settings(auth="proxy")
    assert proxy_identity({"x-forwarded-user": "kaho"}, s) == Identity("kaho", "case_officer")  # any case
    assert proxy_identity({"X-Forwarded-User": "  Karen   Holm "}, s) == Identity("Karen Holm", "case_officer")
    # UTF-8 sent by the proxy arrives as Latin-1 text (Tornado): read back as UTF-8
    assert proxy_identity({"X-Forwarded-User": "Søren Ærø".encode().decode("latin-1")}, s).name == "Søren Ærø"
    for missing in ({}, {"X-Forwarded-User": ""}, {"X-Forwarded-User": "   "}, {"X-Forwarded-User": "a\x1b[2Jb"},
                    {"X-Remote-User": "kaho"}, {"X-Forwarded-User": "x" * 201}):
        assert proxy_identity(missing, s) is None, missing
    other = _settings(auth="proxy", proxy_user_header="X-Remote-User", default_role="læser")
    assert proxy_identity({"X-Remote-User": "kaho", "X-Forwarded-User": "eve"}, other) == Identity("kaho", "reader")

    by_role = _settings(auth="proxy", proxy_role_header="X-Forwarded-Role", default_role="reader")
    assert proxy_identity({"X-Forwarded-User": "a", "X-Forwarded-Role": "sagsbehandler"}, by_role).role == "case_officer"
    assert proxy_identity({"X-Forwarded-User": "a", "X-Forwarded-Role": "læser"}, by_role).role == "reader"
    assert proxy_identity({"X-Forwarded-User": "a", "X-Forwarded-Role": "chef"}, by_role).role == "reader"  # default
    assert proxy_identity({"X-Forwarded-User": "a"}, by_role).role == "reader"

    groups = _settings(auth="proxy", proxy_role_header="X-Forwarded-Groups", default_role="reader",
                       role_groups="hoering-sb=sagsbehandler,hoering-laes=læser")
    assert proxy_identity({"X-Forwarded-User": "a", "X-Forwarded-Groups": "alle, hoering-laes"}, groups).role == "reader"
    assert proxy_identity({"X-Forwarded-User": "a", "X-Forwarded-Groups": "hoering-laes;hoering-sb"},
                          groups).role == "case_officer"  # a writing group wins
    assert proxy_identity({"X-Forwarded-User": "a", "X-Forwarded-Groups": "sagsbehandler"}, groups).role == "reader"
    assert header({"X-A": "b"}, " x-a ") == "b" and header({}, "x-a") is None


def test_identity_provider_claims():
    s = _settings(auth="oidc", role_groups="hoering-sb=sagsbehandler", default_role="læser")
    assert claims_identity({"name": "Karen Holm", "email": "kh@x.dk", "groups": ["hoering-sb"]}, s) == \
        Identity("Karen Holm", "case_officer")
    assert claims_identity({"email": "kh@x.dk", "groups": "andre"}, s) == Identity("kh@x.dk", "reader")
    assert claims_identity({"preferred_username": "kaho"}, s) == Identity("kaho", "reader")
    assert claims_identity({"sub": "123"}, s) is None
    plain = _settings(auth="oidc", oidc_role_claim="roles")
    assert claims_identity({"name": "A", "roles": ["læser"]}, plain).role == "reader"


def test_the_oidc_configuration_check():
    """st.login's configuration in .streamlit/secrets.toml (no identity provider here: the configuration only)."""
    single = {"auth": {"redirect_uri": "https://hoering.kommune.dk/oauth2callback", "cookie_secret": "s3cr3t",
                       "client_id": "hoering", "client_secret": "x",
                       "server_metadata_url": "https://login.kommune.dk/.well-known/openid-configuration"}}
    assert oidc_problems(single) == [] and oidc_provider(single) is None
    assert oidc_problems({}) == ["[auth]"]
    partial = {"auth": {"redirect_uri": "https://h/oauth2callback", "client_id": "hoering"}}
    assert oidc_problems(partial) == ["cookie_secret", "client_secret", "server_metadata_url"]
    named = {"auth": {"redirect_uri": "https://h/oauth2callback", "cookie_secret": "s",
                      "entra": {"client_id": "a", "client_secret": "b", "server_metadata_url": "https://m"}}}
    assert oidc_problems(named) == [] and oidc_provider(named) == "entra"
    named["auth"]["entra"].pop("client_secret")
    assert oidc_problems(named) == ["[auth.entra] client_secret"]


def test_the_cli_identity(tmp_path):
    path = tmp_path / "users.toml"
    add_user(path, READER, PASSWORDS[READER], "reader")
    assert cli_identity(_settings(user=READER)) == Identity(READER, "case_officer")  # no auth: the default role
    assert cli_identity(_settings(user=READER, auth="users", users_file=path)) == Identity(READER, "reader")
    assert cli_identity(_settings(user="Ny", auth="users", users_file=path, default_role="læser")) == \
        Identity("Ny", "reader")  # not listed: HOERING_DEFAULT_ROLE
    assert cli_identity(_settings(user="Ny", default_role="læser")).may_write is False


# --- the CLI: a reader is refused by every write command, with nothing written ------------------------------------


def _digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (the index, its case file included) by its SHA-256; SQLite's bookkeeping left
    out: a shared-memory index (-shm) and an empty write-ahead log (-wal), which come and go as a database is
    opened and closed (a WAL that holds data is counted); and the reports any reader's page keeps for the next
    process (``reports/``: derived from the index and the case file, like the read cache, never a decision)."""
    def bookkeeping(p: Path) -> bool:
        return (p.name.endswith("-shm") or (p.name.endswith("-wal") and p.stat().st_size == 0)
                or p.relative_to(folder).parts[0] == "reports")

    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not bookkeeping(p)}


@pytest.fixture
def cli(monkeypatch):
    from core.settings import get_settings

    yield in_process_cli(monkeypatch)
    get_settings.cache_clear()


def test_a_reader_is_refused_by_every_write_command_and_nothing_is_written(fresh_index, cli, tmp_path):  # noqa: F811
    index = fresh_index.index
    users = tmp_path / "users.toml"
    add_user(users, READER, PASSWORDS[READER], "reader")
    add_user(users, OFFICER, PASSWORDS[OFFICER], "case_officer")
    as_reader = {"HOERING_AUTH": "users", "HOERING_USERS_FILE": str(users), "HOERING_USER": READER}
    code, out, _ = cli("docs", "--index", index, "--json", env=as_reader)  # reading works for a reader
    assert code == 0
    doc = json.loads(out)["documents"][0]
    code, out, _ = cli("hearing", "list", "--index", index, "--json", env=as_reader)
    assert code == 0
    hearing = json.loads(out)["hearings"][0]["hearing"]
    # a case officer first writes something to the case file, so the reader's refusals have one to leave alone
    code, _, err = cli("hearing", "dates", hearing, "--sent", "2024-01-02", "--index", index,
                       env={**as_reader, "HOERING_USER": OFFICER})
    assert code == 0, err
    letter = tmp_path / "ny.txt"
    letter.write_text("Borgerforeningen\n\nVi er imod lukningen af bostedet.\n", encoding="utf-8")
    parties = tmp_path / "liste.csv"
    parties.write_text("Navn\nBorgerforeningen\n", encoding="utf-8")
    before = _digest(index)
    writes = [
        ("ingest", letter), ("docs", "set", doc["doc_id"], "--sender", "Forkert"), ("remove", doc["doc_id"]),
        ("repair",), ("themes", "rename", "t1", "Nyt navn"), ("themes", "merge", "t1", "t2"),
        ("themes", "delete", "t1"), ("themes", "confirm", "--hearing", hearing),
        ("themes", "confirm", "Tema A", "Tema B", "--hearing", hearing),
        ("hearing", "import-list", hearing, parties), ("hearing", "match", hearing, doc["doc_id"], "--none"),
        ("hearing", "dates", hearing, "--deadline", "2024-02-01"),
    ]
    for args in writes:
        code, out, err = cli(*args, "--index", index, env=as_reader)
        assert code == 2, (args, code, out, err)
        assert err.strip() == f"FEJL: {READER} {REFUSED}.", (args, err)  # one line
        assert _digest(index) == before, args
    for args in (("users", "add", "Ny", "--role", "sagsbehandler"), ("users", "remove", OFFICER)):
        code, _, err = cli(*args, env=as_reader)
        assert code == 2 and REFUSED in err, (args, err)
    assert set(load_users(users)) == {READER, OFFICER}
    # without a users file: HOERING_DEFAULT_ROLE decides
    code, _, err = cli("remove", doc["doc_id"], "--index", index, env={"HOERING_AUTH": "none", "HOERING_USER": "Eva",
                                                                          "HOERING_DEFAULT_ROLE": "læser"})
    assert code == 2 and f"Eva {REFUSED}" in err
    assert _digest(index) == before
    # the same command as a case officer writes
    code, out, err = cli("docs", "set", doc["doc_id"], "--sender", "Rettet Afsender", "--index", index,
                         env={**as_reader, "HOERING_USER": OFFICER, "HOERING_DEFAULT_ROLE": "sagsbehandler"})
    assert code == 0, err
    code, out, _ = cli("docs", "--index", index, "--json", env=as_reader)
    assert {d["doc_id"]: d["sender"] for d in json.loads(out)["documents"]}[doc["doc_id"]] == "Rettet Afsender"


# --- the app: login, a reader's disabled controls, a forced write refused on the server ----------------------------


@pytest.fixture
def users_app(app_env, fresh_index, tmp_path, monkeypatch):  # noqa: F811
    """``start() -> AppTest`` of the app with HOERING_AUTH=users over a fresh index (a reader and a case officer)."""
    users = tmp_path / "users.toml"
    add_user(users, READER, PASSWORDS[READER], "reader")
    add_user(users, OFFICER, PASSWORDS[OFFICER], "case_officer")
    monkeypatch.setenv("HOERING_AUTH", "users")
    monkeypatch.setenv("HOERING_USERS_FILE", str(users))
    return lambda: app_env(fresh_index.index)


def _log_in(at, name: str, password: str):
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    _button(at, "Log ind").click().run()
    _no_exception(at)
    return at


def _sidebar_text(at) -> str:
    return "\n".join(str(m.value) for m in at.sidebar.markdown) + "\n".join(str(c.value) for c in at.sidebar.caption)


def test_the_app_asks_for_a_login_before_any_page(users_app):
    at = users_app()
    assert [e.label for e in at.text_input] == ["Navn", "Adgangskode"]
    assert not at.chat_input and not at.data_editor  # no page before the login
    _log_in(at, OFFICER, "forkert")
    assert [e.value for e in at.error] == ["Forkert navn eller adgangskode."] and not at.chat_input
    at.session_state["auth_signed_in"] = OFFICER  # a session value that is not a verified login is none
    at.run()
    assert not at.chat_input and at.text_input(key="auth_name")
    _log_in(at, OFFICER, PASSWORDS[OFFICER])
    assert at.chat_input and f"**{OFFICER}** (sagsbehandler)" in _sidebar_text(at)
    assert "auth_password" not in at.session_state  # the password is not kept
    _button(at, "Log ud").click().run()
    assert not at.chat_input and at.text_input(key="auth_name")


def _force(at, label: str):
    """A click on a disabled button as a forged browser message would send it (AppTest, like a browser, sends none
    for a disabled control): the element's disabled flag cleared on the test's side only, then clicked."""
    button = _button(at, label)
    button.proto.disabled = False
    button.click().run()
    _no_exception(at)
    return at


def _refused(at) -> bool:
    return any(REFUSED in e.value for e in at.error)


def test_a_reader_sees_no_working_write_control_and_a_forced_write_is_refused(users_app, fresh_index, monkeypatch):  # noqa: F811
    from index.index import Index

    at = _log_in(users_app(), READER, PASSWORDS[READER])
    assert f"**{READER}** (læser)" in _sidebar_text(at) and "Som læser" in _sidebar_text(at)
    before = _digest(fresh_index.index)
    doc = next(iter(Index(fresh_index).manifest().documents.values()))

    # what a reader sees: every write control disabled or absent
    _open_page(at, "dokumenter")
    assert not at.get("file_uploader") and not [b for b in at.sidebar.button if b.key == "upload_go"]
    assert _button(at, "Gem ændringer").disabled and _button(at, "Fjern dokument").disabled
    _open_page(at, "temaer")
    assert all(b.disabled for b in at.button if b.key and b.key.startswith(("save_", "delete_", "merge_go")))
    assert all(t.disabled for t in at.text_input if t.key and t.key.startswith("rename_"))
    _open_page(at, "hoering")
    writes = [b for b in at.button if b.key and b.key.startswith(("cf_themes_", "cf_list_go", "cf_link_"))]
    assert writes and all(b.disabled for b in writes), [(b.key, b.disabled) for b in at.button]

    # a forged click on a disabled control: Streamlit discards it; nothing is written
    _open_page(at, "dokumenter")
    at.session_state[at.data_editor[0].key] = {"edited_rows": {0: {"sender": "Tvunget"}}, "added_rows": [],
                                               "deleted_rows": []}
    at.run()
    _force(at, "Gem ændringer")
    assert _digest(fresh_index.index) == before

    # a control drawn enabled by mistake (may_write forced True): the write itself is refused on the server
    monkeypatch.setattr("ui.auth.may_write", lambda: True)
    _open_page(at, "dokumenter")
    at.session_state[at.data_editor[0].key] = {"edited_rows": {0: {"sender": "Tvunget"}}, "added_rows": [],
                                               "deleted_rows": []}
    at.run()
    _button(at, "Gem ændringer").click().run()
    assert _refused(at), [e.value for e in at.error]
    at.run()  # the refusal ended that run; the next draws the page again
    at.selectbox(key="lib_remove_pick").set_value(doc.doc_id).run()
    _button(at, "Fjern dokument").click().run()
    _button(at, "Ja, fjern").click().run()
    assert _refused(at)
    _open_page(at, "temaer")
    for key in ("delete_", "save_"):
        [b for b in at.button if b.key and b.key.startswith(key)][0].click().run()
        assert _refused(at), key
        at.run()
    _open_page(at, "hoering")
    for key in ("cf_themes_as_is_", "cf_themes_save_", "cf_list_go_"):
        found = [b for b in at.button if b.key and b.key.startswith(key)]
        if found:
            found[0].click().run()
            assert _refused(at), key
            at.run()
    assert _digest(fresh_index.index) == before  # nothing written: the index and its case file as they were


def test_a_case_officer_logged_in_writes(users_app, fresh_index):  # noqa: F811
    from index.index import Index

    at = _log_in(users_app(), OFFICER, PASSWORDS[OFFICER])
    _open_page(at, "dokumenter")
    assert not _button(at, "Gem ændringer").disabled
    editor = at.data_editor[0]
    at.session_state[editor.key] = {"edited_rows": {0: {"sender": "Rettet af Karen"}}, "added_rows": [],
                                    "deleted_rows": []}
    at.run()
    _button(at, "Gem ændringer").click().run()
    _no_exception(at)
    assert not at.error and "Rettet af Karen" in {d.sender for d in Index(fresh_index).manifest().documents.values()}


def test_without_configuration_everyone_is_the_default_name(app_env, fresh_index, monkeypatch):  # noqa: F811
    monkeypatch.setenv("HOERING_USER", "Sagsbehandler Søs")
    at = app_env(fresh_index.index)
    assert at.chat_input and "**Sagsbehandler Søs** (sagsbehandler)" in _sidebar_text(at)
    assert not [b for b in at.sidebar.button if b.label == "Log ud"]
    monkeypatch.setenv("HOERING_DEFAULT_ROLE", "læser")
    at = app_env(fresh_index.index)
    _open_page(at, "dokumenter")
    assert _button(at, "Gem ændringer").disabled


def test_proxy_mode_without_the_header_refuses(app_env, fresh_index, monkeypatch):  # noqa: F811
    """AppTest sends no headers: the refusal page, never the default user (the header itself: test_browser_login)."""
    monkeypatch.setenv("HOERING_AUTH", "proxy")
    at = app_env(fresh_index.index)
    assert not at.chat_input and any("X-Forwarded-User" in e.value for e in at.error)


def test_oidc_mode_without_its_configuration_says_what_is_missing(app_env, fresh_index, monkeypatch):  # noqa: F811
    monkeypatch.setenv("HOERING_AUTH", "oidc")
    at = app_env(fresh_index.index)
    assert not at.chat_input
    shown = [e.value.replace("\\", "") for e in at.error]  # as drawn (Markdown escapes removed)
    assert any("secrets.toml" in text and "[auth]" in text for text in shown), shown

