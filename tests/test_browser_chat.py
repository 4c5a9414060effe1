"""The chat page in a real browser (Debian chromium via Playwright, the app served by `streamlit run`):
a Danish answer whose "[1]" opens its source, the whole document opened at the quote, a no-evidence reply with
its nearest passages under source headers and nothing to download, who-says-what as a table, and an English
answer in English only. Screenshots go to the test's tmp dir and to /work/shots/chat/ (when it can be made)."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.test_browser import _serve, browser  # noqa: F401  (fixture)


@pytest.fixture
def server(sample_index, tmp_path):
    """The app over its own copy of the sample index: the shared session index is used by many processes before
    this test (its read cache written and replaced by them), and this test opens a whole document from the store."""
    index = tmp_path / "index"
    shutil.copytree(sample_index.index, index, ignore=shutil.ignore_patterns("read-cache", "*.lock"))
    yield from _serve(index, tmp_path)

pytestmark = pytest.mark.browser

SHOTS = Path("/work/shots/chat")
QUESTION = "Hvad siger kommunerne om ventelister?"
ENGLISH = "What do the municipalities say about waiting lists?"
HASH_NAME = re.compile(r"\d{3}_[0-9a-f]{16}")


def _shot(page, tmp_path: Path, name: str, focus=None) -> Path:
    """A screenshot of the viewport (Streamlit scrolls its main area itself), ``focus`` scrolled into view."""
    if focus is not None:
        focus.scroll_into_view_if_needed()
        time.sleep(0.5)
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SHOTS / path.name)
    except OSError:
        pass
    print(f"screenshot: {path}")
    return path


def _settled(page, messages: int, needle: str, timeout: float = 90) -> str:
    """Wait until ``messages`` chat messages are shown, ``needle`` is on the page and the run has finished."""
    deadline = time.monotonic() + timeout
    seen_status: set[str] = set()
    text = ""
    while time.monotonic() < deadline:
        text = page.inner_text("body")
        for stage in ("Søger i høringssvarene", "Vælger citater", "Skriver svaret", "Searching the responses",
                      "Choosing quotes", "Writing the answer", "Læser alle høringssvar", "Reading every response"):
            if stage in text:
                seen_status.add(stage)
        if (needle in text and page.get_by_test_id("stChatMessage").count() == messages
                and not page.get_by_test_id("stStatusWidget").is_visible()
                and not page.get_by_test_id("stChatMessage").last.get_by_test_id("stStatusWidget").count()):
            time.sleep(0.5)
            break
        time.sleep(0.15)
    print("status lines seen:", sorted(seen_status))
    return page.inner_text("body")


def _ask(page, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")


def _nothing_internal(text: str) -> None:
    assert not HASH_NAME.search(text), HASH_NAME.search(text).group(0)
    assert "None" not in text and "med_udvalg" not in text and "doc_id" not in text


def test_chat_in_the_browser(server, browser, tmp_path):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1500}, locale="da-DK")
    page.goto(server, wait_until="domcontentloaded")
    page.get_by_test_id("stChatInputTextArea").wait_for(state="visible", timeout=60_000)

    # A Danish question (an example clicked): while it is answered a status line shows and the example buttons
    # are gone; then "[1]" is a link that opens its source, headed "Afsender · side 1".
    page.get_by_role("button", name=QUESTION).click()
    examples_while_working = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and page.get_by_test_id("stChatMessage").count() < 2:
        time.sleep(0.05)
    while time.monotonic() < deadline:
        status = page.get_by_test_id("stChatMessage").last.get_by_text("Søger i høringssvarene")
        if not status.count():
            status = page.get_by_test_id("stChatMessage").last.get_by_text("Vælger citater")
        if not status.count():
            break
        examples_while_working.append(page.get_by_role("button", name=QUESTION).count())
        if len(examples_while_working) == 1:
            _shot(page, tmp_path, "0-da-working")
        time.sleep(0.05)
    print("example buttons seen while working:", examples_while_working)
    assert not any(examples_while_working)
    text = _settled(page, 2, "Hent svar (Word)")
    assert "lange ventelister" in text and not page.get_by_role("button", name=QUESTION).count()
    _nothing_internal(text)
    link = page.locator('a[href="#cite-a1-1"]')
    assert link.count() == 1 and link.inner_text() == "[1]"
    expander = page.locator(".st-key-cite-a1-1")
    assert "[1] Hedensted Kommune (Voksenhandicap) · side 1" in expander.inner_text()
    assert expander.locator("details").get_attribute("open") is None  # closed until its [1] is clicked
    link.click()
    page.locator(".st-key-cite-a1-1 details[open]").wait_for(timeout=60_000)
    page.locator(".st-key-cite-a1-1 mark").first.wait_for(timeout=60_000)
    assert "lange ventelister" in page.locator(".st-key-cite-a1-1 mark").first.inner_text()
    assert "Afsendertype: kommune" in page.locator(".st-key-cite-a1-1").inner_text()
    # "Vis hele dokumentet" opens the letter at the quote: the highlighted words are inside the visible box.
    toggle = page.locator(".st-key-cite-a1-1").get_by_text("Vis hele dokumentet")
    toggle.click()
    try:
        page.locator("#doc-a1-1 mark").wait_for(timeout=15_000)
    except PlaywrightTimeoutError:  # under a full run's load a click during a redraw can be lost: the toggle is off
        switch = page.locator(".st-key-cite-a1-1").get_by_role("checkbox")
        if not switch.count() or not switch.first.is_checked():
            toggle.click()
        page.locator("#doc-a1-1 mark").wait_for(timeout=60_000)
    time.sleep(1)
    visible = page.evaluate("""() => { const box = document.getElementById('doc-a1-1'); const m = box.querySelector('mark');
        const top = m.offsetTop - box.scrollTop; return top >= 0 && top < box.clientHeight; }""")
    assert visible
    _shot(page, tmp_path, "1-da-answer-source-open", page.locator(".st-key-cite-a1-1"))

    # A follow-up the letters do not answer: nearest passages under their headers, nothing to download.
    _ask(page, "og hvad siger Norddjurs?")
    text = _settled(page, 4, "Nærmeste uddrag")
    last = page.get_by_test_id("stChatMessage").last
    assert "Norddjurs Kommune · side 1" in last.inner_text()
    assert not last.get_by_role("button", name="Hent svar (Word)").count()
    assert not last.locator('a[href^="mailto:"]').count()
    _shot(page, tmp_path, "2-da-no-evidence", last)

    # Who says what: the count and a table (afsender | type | nævner emnet? | citat | side), downloadable.
    page.get_by_role("button", name="Ny samtale").click()
    page.get_by_role("button", name=QUESTION).wait_for(timeout=60_000)
    page.locator(".st-key-mode").get_by_role("radio", name="Hvem siger hvad").click()
    time.sleep(1)
    _ask(page, QUESTION)
    text = _settled(page, 2, "Hent tabellen (Excel)")
    assert "1 af 2 kommuner nævner ventelister." in text
    table = page.get_by_test_id("stDataFrame")
    table.wait_for(timeout=60_000)  # the grid is drawn after the rest of the message
    assert table.count() == 1 and table.is_visible()
    assert page.get_by_role("button", name="Hent tabellen (CSV)").is_visible()
    _nothing_internal(text)
    _shot(page, tmp_path, "3-da-who-says-what", table)

    # English: the interface and an English answer, all in English.
    page.get_by_role("button", name="Ny samtale").click()
    page.get_by_role("button", name=QUESTION).wait_for(timeout=60_000)
    page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()
    page.get_by_role("button", name=ENGLISH).wait_for(timeout=60_000)
    page.locator(".st-key-mode").get_by_role("radio", name="Answer", exact=True).click()
    time.sleep(1)
    _ask(page, ENGLISH)
    text = _settled(page, 2, "Download answer (Word)")
    answer = page.get_by_test_id("stChatMessage").last.inner_text()
    assert "lange ventelister" in answer  # the quote stays verbatim
    assert "✕ sender type = municipalities (inferred from the question)" in answer
    assert "[1] Hedensted Kommune (Voksenhandicap) · page 1" in answer
    for danish in ("afsendertype", "nævner", "(s. ", "side 1", "udledt", "Kilder", "Afgrænset"):
        assert danish not in answer, danish
    page.locator('a[href="#cite-a1-1"]').click()
    page.locator(".st-key-cite-a1-1 details[open]").wait_for(timeout=60_000)
    assert "Sender type: municipality" in page.locator(".st-key-cite-a1-1").inner_text()
    _nothing_internal(page.inner_text("body"))
    _shot(page, tmp_path, "4-en-answer", page.locator(".st-key-cite-a1-1"))
    page.close()


_HEADER_WIDTHS = """(names) => { const c = document.createElement('canvas').getContext('2d');
    c.font = '400 14px "Source Sans", sans-serif'; return names.map(n => c.measureText(n).width); }"""


def test_the_mode_switch_stays_on_and_table_headers_are_whole(server, browser, tmp_path):  # noqa: F811
    """Issue 21 #12: clicking the selected mode again left no mode selected and the next question ran as "Svar";
    the English header "Mentions the topic?" was cut to "Mentions the topi…". Both languages, the default width."""
    from export.coverage_table import headers
    from ui.chat_page import column_widths

    page = browser.new_page(viewport={"width": 1400, "height": 1100}, locale="da-DK")
    page.goto(server, wait_until="domcontentloaded")
    page.get_by_test_id("stChatInputTextArea").wait_for(state="visible", timeout=60_000)
    page.wait_for_function("document.fonts.check('14px \"Source Sans\"')", timeout=30_000)
    for lang, mode, question, lead in (
        ("da", "Hvem siger hvad", QUESTION, "1 af 2 kommuner nævner ventelister."),
        # the shipped English band leaves Hedensted uncertain (docs/decisions/0013): counted, never "does not mention"
        ("en", "Who says what", ENGLISH, "0 of 2 municipalities mention waiting lists ·"),
    ):
        if lang == "en":
            page.get_by_role("button", name="Ny samtale").click()
            page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()
            page.get_by_role("button", name=ENGLISH).wait_for(timeout=60_000)
        switch = page.locator(".st-key-mode").get_by_role("radio", name=mode)
        if switch.get_attribute("aria-checked") != "true":
            switch.click()
            time.sleep(1)
        switch.click()  # the selected mode clicked again: it stays selected
        time.sleep(1.5)
        assert switch.get_attribute("aria-checked") == "true"
        assert page.locator(".st-key-mode").get_by_role("radio", checked=True).count() == 1
        _ask(page, question)
        text = _settled(page, 2, lead)
        assert lead in text  # asked as who-says-what, the mode shown
        table = page.get_by_test_id("stDataFrame")
        table.wait_for(timeout=60_000)
        time.sleep(1)
        # Every header fits its column: its width in the grid's font, with 8 px padding on each side.
        names = headers(lang)
        widths = column_widths(lang)
        for name, measured in zip(names, page.evaluate(_HEADER_WIDTHS, list(names))):
            assert measured + 16 <= widths[name], (name, measured, widths[name])
        # The whole table is in view (columns and the row-selection column): no header scrolled off to the right.
        assert sum(widths.values()) + 30 <= table.bounding_box()["width"], (widths, table.bounding_box())
        shot = tmp_path / f"5-{lang}-table-headers.png"
        table.screenshot(path=str(shot))
        print(f"screenshot: {shot}")
    page.close()
