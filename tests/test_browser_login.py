"""Logging in for real (issue 25 #4): the app served by `streamlit run` (tests/test_browser.py's ``_serve``) and
driven by headless Debian chromium through Playwright, on the test's own copy of the sample index.

(a) ``HOERING_AUTH=users``: a users file with argon2 hashes (written by core/identity.py as ``hoering users add``
    writes it). A wrong password is refused; a reader logs in, sees her name and role in the sidebar, every write
    control on the documents, themes and case file pages is disabled and the upload absent; a forced click (the
    button's disabled attribute removed in the page) writes nothing (``hoering docs --json`` and every file of
    the index unchanged). She logs out; a case officer logs in and the same controls work.
(b) ``HOERING_AUTH=proxy``: the browser sends ``X-Forwarded-User`` (Playwright's extra_http_headers, as a reverse
    proxy in front of the app does) and the sidebar shows that name, with the role of the groups header; a
    browser without the header gets the refusal page, never the default user.
"""

from __future__ import annotations

import pytest

from core.identity import add_user
from tests.test_app import fresh_index  # noqa: F401  (a fixture)
from tests.test_browser import _serve, browser  # noqa: F401  (a fixture and the server helper)
from tests.test_browser_edits import _documents
from tests.test_browser_walk import PAGES, _settle, _shot, _wait_text
from tests.test_identity_roles import PASSWORDS, OFFICER, READER, _digest

pytestmark = pytest.mark.browser


def _sidebar(page) -> str:
    """The sidebar's text as read (ui/safe.py's word joiner before "@", which keeps a name from becoming a mail
    link, left out)."""
    return page.get_by_test_id("stSidebar").inner_text().replace("\u2060", "")


def _open(page, name: str) -> None:
    """A page of the app through the sidebar's navigation (the same session: the login holds)."""
    page.get_by_test_id("stSidebarNavLink").filter(has_text=PAGES[name]["da"]).click()
    _settle(page)


def _log_in(page, name: str, password: str) -> None:
    page.get_by_label("Navn").fill(name)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    _settle(page)


def _button(page, name: str):
    return page.get_by_role("button", name=name, exact=True).first


def test_users_file_login_as_a_reader_and_as_a_case_officer(fresh_index, browser, tmp_path):  # noqa: F811
    users = tmp_path / "users.toml"
    add_user(users, READER, PASSWORDS[READER], "reader")
    add_user(users, OFFICER, PASSWORDS[OFFICER], "case_officer")
    before, files = _documents(fresh_index.index), _digest(fresh_index.index)
    (tmp_path / "app").mkdir()
    for url in _serve(fresh_index.index, tmp_path / "app", {"HOERING_AUTH": "users", "HOERING_USERS_FILE": str(users)}):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_label("Adgangskode").wait_for(timeout=90_000)
        assert page.get_by_test_id("stChatInputTextArea").count() == 0  # no page before the login

        _log_in(page, READER, "forkert kode")
        _wait_text(page, "Forkert navn eller adgangskode.")
        assert page.get_by_test_id("stChatInputTextArea").count() == 0

        _log_in(page, READER, PASSWORDS[READER])
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=90_000)
        assert f"Du er {READER} (læser)." in _sidebar(page) and "Som læser" in _sidebar(page)
        _shot(page, tmp_path, "login-reader")

        _open(page, "dokumenter")
        page.get_by_label("Filtrér dokumenter").wait_for(timeout=90_000)
        assert "Indlæs høringssvar" not in _sidebar(page)  # no upload for a reader
        assert _button(page, "Gem ændringer").is_disabled() and _button(page, "Fjern dokument").is_disabled()
        # forced: the disabled attribute removed in the page and the button clicked; nothing is written
        _button(page, "Gem ændringer").evaluate("b => { b.disabled = false; b.removeAttribute('disabled'); }")
        _button(page, "Gem ændringer").click(force=True)
        _settle(page)
        assert "Gemt:" not in page.inner_text("body")
        _shot(page, tmp_path, "login-reader-documents")

        _open(page, "temaer")
        page.get_by_role("button", name="Slå valgte temaer sammen").wait_for(timeout=120_000)
        assert page.get_by_role("button", name="Slå valgte temaer sammen").is_disabled()
        deletes = page.get_by_role("button", name="Slet tema", include_hidden=True).all()  # in closed expanders
        assert deletes and all(b.is_disabled() for b in deletes)

        _open(page, "hoering")
        _wait_text(page, "Temaer")
        for name in ("Bekræft de foreslåede temaer", "Gem temaer"):
            found = page.get_by_role("button", name=name)
            assert found.count() == 0 or found.first.is_disabled(), name
        _shot(page, tmp_path, "login-reader-casefile")
        assert _documents(fresh_index.index) == before and _digest(fresh_index.index) == files

        # a case officer
        page.get_by_role("button", name="Log ud").click()
        _settle(page)
        page.get_by_label("Adgangskode").wait_for(timeout=60_000)
        _log_in(page, OFFICER, PASSWORDS[OFFICER])
        _wait_text(page, f"Du er {OFFICER}")  # on the page she was on (Høringen)
        assert f"Du er {OFFICER} (sagsbehandler)." in _sidebar(page)
        _open(page, "dokumenter")
        page.get_by_label("Filtrér dokumenter").wait_for(timeout=90_000)
        assert "Indlæs høringssvar" in _sidebar(page)  # the upload is there for a case officer
        assert _button(page, "Gem ændringer").is_enabled()
        _button(page, "Gem ændringer").click()
        _wait_text(page, "Ingen ændringer at gemme: intet er skrevet.")  # the save ran (nothing to write)
        _shot(page, tmp_path, "login-officer-documents")
        context.close()


def test_a_proxy_header_names_the_user_and_no_header_is_refused(fresh_index, browser, tmp_path):  # noqa: F811
    (tmp_path / "app").mkdir()
    env = {"HOERING_AUTH": "proxy", "HOERING_PROXY_ROLE_HEADER": "X-Forwarded-Groups",
           "HOERING_ROLE_GROUPS": "hoering-sagsbehandlere=sagsbehandler,hoering-laesere=læser",
           "HOERING_DEFAULT_ROLE": "læser"}
    for url in _serve(fresh_index.index, tmp_path / "app", env):
        headers = {"X-Forwarded-User": "kaho@kommune.dk", "X-Forwarded-Groups": "alle,hoering-sagsbehandlere"}
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK",
                                      extra_http_headers=headers)
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=90_000)
        assert "Du er kaho@kommune.dk (sagsbehandler)." in _sidebar(page)
        assert page.get_by_role("button", name="Log ud").count() == 0  # the proxy signs out, not the app
        _shot(page, tmp_path, "proxy-user")
        context.close()

        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK",
                                      extra_http_headers={"X-Forwarded-User": "lars@kommune.dk",
                                                          "X-Forwarded-Groups": "hoering-laesere"})
        page = context.new_page()
        page.goto(f"{url}/dokumenter", wait_until="domcontentloaded")
        page.get_by_label("Filtrér dokumenter").wait_for(timeout=90_000)
        assert "Du er lars@kommune.dk (læser)." in _sidebar(page)
        assert _button(page, "Gem ændringer").is_disabled()
        context.close()

        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded")
        _wait_text(page, "Adgang nægtet", timeout=90)
        assert "X-Forwarded-User" in page.inner_text("body")
        assert page.get_by_test_id("stChatInputTextArea").count() == 0
        assert "Du er" not in page.inner_text("body")
        _shot(page, tmp_path, "proxy-refused")
        context.close()
