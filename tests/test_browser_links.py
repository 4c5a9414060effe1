"""No link from a letter (issue 21 #7): a sender name with bare web and e-mail addresses ("Hedensted Kommune
http://evil.example www.evil-x.dk kontakt@evil.example") is shown as text in the chat answer, its source
header, the themes page and the documents page — in a real browser (the app served by `streamlit run`, Debian
chromium via Playwright), where Streamlit's Markdown would autolink what a backslash escape leaves."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from tests.processes import hoering_command, python_env
from tests.test_browser import _serve, browser  # noqa: F401  (fixture)
from tests.test_browser_chat import _ask, _settled

pytestmark = pytest.mark.browser

EVIL_SENDER = "Hedensted Kommune http://evil.example www.evil-x.dk kontakt@evil.example"
QUESTION = "Hvad siger kommunerne om ventelister?"


@pytest.fixture
def server(sample_index, sample_docs, tmp_path):
    """The app over a copy of the sample index in which Hedensted's letter has a sender name full of addresses
    (set the way an official's correction is, by `hoering docs set`)."""
    index = tmp_path / "index"
    shutil.copytree(sample_index.index, index, ignore=shutil.ignore_patterns("read-cache", "*.lock"))
    doc_id = sample_docs["001_569e1742befe58b9.txt"].doc_id
    done = subprocess.run([*hoering_command(), "docs", "set", doc_id, "--sender", EVIL_SENDER, "--index", str(index)],
                          env=python_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    yield from _serve(index, tmp_path)


def _links(page) -> list[str]:
    """The href of every anchor in the page (hidden ones too: a closed expander's content is in the page)."""
    return page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href') || '')")


def _assert_no_letter_links(page, base: str, where: str) -> None:
    links = _links(page)
    from_letter = [h for h in links if "evil" in h or h.startswith(("mailto:", "http://www", "https://www"))]
    assert not from_letter, f"{where}: links made from a letter's text: {from_letter}"
    foreign = [h for h in links if h and not h.startswith(("#", "/", base, "./", "?"))]
    assert not foreign, f"{where}: links to other hosts: {foreign}"


def _wait_for(page, needle: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = page.text_content("body") or ""
        if needle in text:
            return text
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} not on the page: {(page.text_content('body') or '')[-1500:]}")


def test_a_sender_name_with_addresses_never_becomes_a_link(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1500}, locale="da-DK")
    page.goto(server, wait_until="domcontentloaded")
    page.get_by_test_id("stChatInputTextArea").wait_for(state="visible", timeout=60_000)

    # The chat answer names the sender (addresses and all, as text), and its source header too.
    _ask(page, QUESTION)
    text = _settled(page, 2, "lange ventelister")
    assert "evil.example" in text and "www" in text and "kontakt" in text, text[-2000:]
    page.locator('a[href^="#cite-"]').first.click()  # our own citation link opens the source
    time.sleep(1)
    header = page.locator("summary").filter(has_text="evil.example")
    assert header.count() >= 1
    cited = [h for h in _links(page) if h.startswith("#cite-")]
    assert cited  # the app's own links are there …
    _assert_no_letter_links(page, server, "chat")  # … and nothing else

    # The themes page lists the sender under its themes (inside expanders: their content is in the page).
    page.goto(f"{server}/temaer", wait_until="domcontentloaded")
    _wait_for(page, "evil.example")
    for summary in page.locator('section[data-testid="stMain"] [data-testid="stExpander"] summary').all():
        summary.click()
    time.sleep(1)
    _assert_no_letter_links(page, server, "themes")

    # The documents page: the sender in the table and in the remove picker.
    page.goto(f"{server}/dokumenter", wait_until="domcontentloaded")
    _wait_for(page, "Hedensted", timeout=60)
    time.sleep(1)
    _assert_no_letter_links(page, server, "documents")
    page.close()
