"""The whole app in a real browser (headless Debian chromium through Playwright), offline and in one language.

* A walk over every page (chat with a question asked, Temaer, Dokumenter) in Danish, then the language switched
  and the same walk in English: the page shows no word of the other language (Streamlit's own widget texts
  included), the navigation icons are drawn from the font the app serves itself, and the browser asks no host
  but the app's own (every other request is blocked and recorded: fonts, icons, telemetry).
* The library: an uploaded .txt becomes searchable at once; removing a document asks first.
* The høringsnotat: the Word download arrives and opens as DOCX.

Screenshots go to the test's tmp dir and, when the folder exists, to $BROWSER_SHOTS (default /work/shots/shell).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.conftest import REPO
from tests.test_app import fresh_index  # noqa: F401  (a fixture)
from tests.test_browser import _serve, browser  # noqa: F401  (a fixture and the server helper)
from tests.test_ui_language import other_language

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("BROWSER_SHOTS", "/work/shots/shell"))
PAGES = {  # page -> its title in the navigation, by language
    "chat": {"da": "Spørg høringssvarene", "en": "Ask the responses"},
    "hoering": {"da": "Høringen", "en": "The consultation"},
    "gennemgang": {"da": "Gennemgang", "en": "Review"},
    "temaer": {"da": "Temaer og høringsnotat", "en": "Themes and consultation report"},
    "dokumenter": {"da": "Dokumenter", "en": "Documents"},
}
QUESTIONS = {"da": "Hvad siger kommunerne om ventelister?", "en": "What do the municipalities say about waiting lists?"}

# The page's own words, as a user reads or hears them: visible text, placeholders and the labels a screen reader
# says (aria-label), without icon ligatures
# ("keyboard_arrow_right" is drawn as an arrow) and without the letters' text: answers (chat messages),
# passages (HTML) and, where given, more (the themes' labels and quotes are the letters' words).
CHROME_TEXT = """(exclude) => {
  const skip = ['[data-testid="stIconMaterial"]', '[data-testid="stChatMessage"]', '[data-testid="stHtml"]',
                'script', 'style', ...exclude].join(', ');
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const p = n.parentElement, v = n.nodeValue.trim();
    if (!v || !p || p.closest(skip) || !p.checkVisibility({visibilityProperty: true})) continue;
    out.push(v);
  }
  for (const e of document.querySelectorAll('[placeholder]')) {
    if (!e.closest(skip) && e.checkVisibility({visibilityProperty: true})) out.push(e.getAttribute('placeholder'));
  }
  // what a screen reader says, answers and passages included: their aria-labels are the app's and Streamlit's
  // (a chat message's "Chat message from user", a code block's copy button), never the letters' words
  const aria = ['[data-testid="stIconMaterial"]', 'script', 'style', ...exclude].join(', ');
  for (const e of document.querySelectorAll('[aria-label]')) {
    if (!e.closest(aria) && e.checkVisibility()) out.push(e.getAttribute('aria-label'));
  }
  return out.join('\\n');
}"""


def _serve_as_make_run(index: Path, folder: Path):
    """The app served as `make run` serves it: with the repository's .streamlit/config.toml (Streamlit reads it
    from the working directory), so the walk checks that configuration too. Yields the URL."""
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    yield from _serve(index, folder)


def _quiet_log(folder: Path) -> None:
    """The server said nothing alarming: no file-watcher flood, no traceback."""
    log = (folder / "streamlit.log").read_text(encoding="utf-8", errors="replace")
    assert "Inotify" not in log and "Traceback" not in log, log[-3000:]


@pytest.fixture
def app_server(sample_index, tmp_path):
    """The app over the (read-only) sample index, served as `make run` does; yields its URL."""
    yield from _serve_as_make_run(sample_index.index, tmp_path)


class Guard:
    """Blocks and records every request to a host other than the app's own (loopback), for a whole context."""

    def __init__(self, context) -> None:
        self.outside: list[str] = []
        context.route("**/*", self._route)
        context.on("request", lambda request: self._check(request.url))
        context.on("page", lambda page: page.on("websocket", lambda ws: self._check(ws.url)))

    @staticmethod
    def local(url: str) -> bool:
        if url.startswith(("data:", "blob:", "about:")):
            return True
        host = url.split("/")[2].rsplit("@", 1)[-1] if "://" in url else ""
        host = host[1:].split("]")[0] if host.startswith("[") else host.split(":")[0]
        return host in ("127.0.0.1", "localhost", "::1")

    def _check(self, url: str) -> None:
        if not self.local(url) and url not in self.outside:
            self.outside.append(url)

    def _route(self, route) -> None:
        if self.local(route.request.url):
            route.continue_()
        else:
            self._check(route.request.url)
            route.abort()


def shot(page, tmp_path: Path, name: str, shots: Path = SHOTS) -> Path:
    """A full-page screenshot in the test's tmp dir, copied to ``shots`` where its parent exists (for people)."""
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if shots.parent.is_dir():
        shots.mkdir(exist_ok=True)
        shutil.copy(path, shots / path.name)
    print(f"screenshot: {path}")
    return path


_shot = shot  # (the name other browser tests import)




def _settle(page, timeout: float = 120) -> None:
    """Wait until the script run has finished and the page is drawn (no running indicator, no skeletons)."""
    time.sleep(1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (not page.get_by_test_id("stStatusWidget").is_visible() and not page.query_selector('[data-testid="stSkeleton"]')
                and not page.query_selector('[data-testid="stSpinner"]')):
            time.sleep(0.7)  # a rerun may follow at once
            if not page.get_by_test_id("stStatusWidget").is_visible():
                return
        time.sleep(0.5)
    raise AssertionError("the page did not settle")


def _open(page, name: str, lang: str) -> None:
    page.get_by_test_id("stSidebarNavLink").filter(has_text=PAGES[name][lang]).click()
    page.get_by_role("heading", level=1).first.wait_for(timeout=60_000)
    _settle(page)


def _ask(page, question: str) -> list[str]:
    """Ask ``question`` and wait for the finished answer; returns what the running indicator said meanwhile."""
    before = page.get_by_test_id("stChatMessage").count()
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")
    running: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # the question and a finished answer (not an empty bubble) are shown
        status = page.get_by_test_id("stStatusWidget")
        if status.is_visible():
            try:
                running.append(status.inner_text(timeout=1_000))
            except Exception:  # noqa: BLE001  (gone meanwhile)
                pass
        messages = page.get_by_test_id("stChatMessage")
        if messages.count() >= before + 2 and len(messages.last.inner_text().strip()) > 80 \
                and not status.is_visible():
            break
        time.sleep(0.3)
    _settle(page)
    return running


def _chrome(page, exclude: tuple[str, ...] = ()) -> str:
    return page.evaluate(CHROME_TEXT, list(exclude))


def _check_language(page, lang: str, where: str, exclude: tuple[str, ...] = ()) -> str:
    text = _chrome(page, exclude)
    wrong = [line for line in text.splitlines() if other_language(line, lang)]
    assert not wrong, f"{where} ({lang}) shows the other language: {wrong}"
    return text


def _new_page(browser, locale: str = "da-DK"):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale, accept_downloads=True)
    guard = Guard(context)
    return context, context.new_page(), guard


def test_every_page_in_both_languages_offline(app_server, browser, tmp_path):  # noqa: F811
    context, page, guard = _new_page(browser)
    page.goto(app_server, wait_until="domcontentloaded")
    page.get_by_test_id("stChatInputTextArea").wait_for(state="visible", timeout=90_000)
    _settle(page)
    for lang in ("da", "en"):
        if lang == "en":  # the switch in the sidebar; the session (and its pages) follow it
            page.get_by_test_id("stSidebar").get_by_role("radio", name="English", exact=True).click()
            page.get_by_test_id("stSidebarNavLink").filter(has_text=PAGES["chat"]["en"]).wait_for(timeout=60_000)
            _settle(page)
        for name in PAGES:
            _open(page, name, lang)
            exclude = ('section[data-testid="stMain"] [data-testid="stExpander"]',) if name == "temaer" else ()
            if name == "gennemgang":  # the hearing's name and the queue's items: the letters' own words
                exclude = ('[data-testid="stMain"] h2', '[class*="st-key-cf_rv_box_"]')
            text = _check_language(page, lang, name, exclude)
            if name == "chat":
                assert {"da": "Stil et spørgsmål", "en": "Ask a question"}[lang] in text
                running = _ask(page, QUESTIONS[lang])
                wrong = [line for line in running if other_language(line, lang)]
                assert not wrong, f"the running indicator ({lang}) says {wrong}"
                assert page.get_by_test_id("stChatMessage").count() >= 2
                answer = page.get_by_test_id("stChatMessage").last.inner_text()
                assert "Hedensted" in answer, answer[:500]
                text = _check_language(page, lang, "chat with an answer")
                # every panel under the answer open (sources, technical details): their controls in one language,
                # dates as everywhere else in the interface (19.09.2023 / 19 Sep 2023), never ISO
                last = page.get_by_test_id("stChatMessage").last
                for i in range(last.get_by_test_id("stExpander").count()):
                    panel = last.get_by_test_id("stExpander").nth(i)
                    if not panel.locator("details").first.evaluate("d => d.open"):
                        panel.locator("summary").first.click()
                        _settle(page)
                _check_language(page, lang, "chat with the answer's panels open")
                shown = page.get_by_test_id("stChatMessage").last.inner_text()
                assert {"da": "Dato: 19.09.2023", "en": "Date: 19 Sep 2023"}[lang] in shown, shown[-2000:]
                assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", shown), shown[-2000:]
            if name == "dokumenter":
                assert {"da": "Vælg filer", "en": "Choose files"}[lang] in text  # the uploader's button
                assert "50MB" not in text and "50 MB" in text  # the limit from our label, not Streamlit's line
            if name == "temaer":
                assert {"da": "åååå", "en": "yyyy"}[lang] in text  # the empty date fields
                # the calendar (its month names follow the browser's language, da-DK here)
                page.get_by_test_id("stDateInputCalendarButton").click()
                page.get_by_role("dialog").wait_for(timeout=30_000)
                time.sleep(0.5)
                calendar = _check_language(page, lang, "the calendar", exclude)
                assert {"da": "Datointerval", "en": "Date range"}[lang] in calendar
                page.get_by_test_id("stSidebar").get_by_test_id("stDateInputField").screenshot(
                    path=str(tmp_path / f"date-{lang}.png"))
                page.keyboard.press("Escape")
                _settle(page)
                # an open list (the themes to merge): its close button too
                for attempt in range(3):  # a click during a redraw of the (longer) theme list can be missed
                    page.get_by_test_id("stMultiSelect").first.click()
                    try:
                        page.get_by_role("option").first.wait_for(timeout=10_000)
                        break
                    except PlaywrightTimeoutError:
                        page.keyboard.press("Escape")
                        _settle(page)
                page.get_by_role("option").first.wait_for(timeout=30_000)
                _check_language(page, lang, "an open multiselect", exclude + ('[role="option"]',))
                page.keyboard.press("Escape")
                _settle(page)
            shot(page, tmp_path, f"walk-{lang}-{name}")
    # The navigation icons are Material Symbols from the font the app serves (no emoji font needed, no fetch).
    icons = page.get_by_test_id("stSidebarNav").get_by_test_id("stIconMaterial")
    assert icons.count() == len(PAGES)
    assert page.evaluate("() => document.fonts.check('24px \"Material Symbols Rounded\"', 'forum')")
    assert page.evaluate("""() => [...document.fonts].some(f => f.family.includes('Material Symbols')
                                                             && f.status === 'loaded')""")
    context.close()
    assert guard.outside == [], guard.outside
    _quiet_log(tmp_path)


def _wait_text(page, text: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while text not in page.inner_text("body"):
        assert time.monotonic() < deadline, f"{text!r} did not appear"
        time.sleep(0.5)


LETTER = (
    "Cyklistforbundet Aarhus\n\n14. september 2023\n\nHøringssvar til Budget 2025\n\n"
    "Cyklistforbundet Aarhus anbefaler, at regionen etablerer overdækkede cykelparkeringer ved alle bosteder, "
    "så medarbejderne kan cykle til arbejde. Manglende cykelparkering ved bostederne er en barriere for grøn "
    "transport.\n\nMed venlig hilsen\n\nCyklistforbundet Aarhus\n"
)


def test_upload_becomes_searchable_and_removal_asks_first(fresh_index, browser, tmp_path):  # noqa: F811
    from index.index import Index

    letter = tmp_path / "cykelparkering.txt"
    letter.write_text(LETTER, encoding="utf-8")
    (tmp_path / "app").mkdir()
    for url in _serve_as_make_run(fresh_index.index, tmp_path / "app"):
        context, page, guard = _new_page(browser)
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_test_id("stChatInputTextArea").wait_for(state="visible", timeout=90_000)
        _settle(page)
        # upload through the file input, then ingest
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(letter))
        page.get_by_role("button", name="Indlæs filerne").wait_for(timeout=60_000)
        _settle(page)
        _check_language(page, "da", "the uploader with a file chosen")
        shot(page, tmp_path, "upload-chosen")
        page.get_by_role("button", name="Indlæs filerne").click()
        _wait_text(page, "Færdig: 1 indlæst, 0 uændret, 0 fejl.")
        _settle(page)
        shot(page, tmp_path, "upload-done")
        assert "6 dokumenter" in page.get_by_test_id("stSidebar").inner_text()
        # ... and found by a question at once
        _ask(page, "Hvad siger høringssvarene om cykelparkering ved bostederne?")
        answer = page.get_by_test_id("stChatMessage").last.inner_text()
        assert "Cyklistforbundet Aarhus" in answer and "cykelparkering" in answer, answer[:800]
        shot(page, tmp_path, "upload-answer")

        # The library: pick the letter, "Fjern dokument" asks, only "Ja, fjern dokumentet" removes it.
        _open(page, "dokumenter", "da")
        _check_language(page, "da", "dokumenter")
        new = next(d for d in Index(fresh_index).manifest().documents.values() if d.sender == "Cyklistforbundet Aarhus")
        page.get_by_test_id("stSelectbox").filter(has_text="Vælg dokument").click()
        page.get_by_role("option", name="Cyklistforbundet Aarhus – cykelparkering.txt").click()
        _settle(page)
        page.get_by_role("button", name="Fjern dokument").click()
        _wait_text(page, "fra indekset?")
        _settle(page)
        shot(page, tmp_path, "library-confirm-remove")
        assert new.doc_id in Index(fresh_index).manifest().documents  # the first click only asked
        assert "Fjern »Cyklistforbundet Aarhus – cykelparkering.txt« fra indekset?" in page.inner_text("body")
        page.get_by_role("button", name="Ja, fjern dokumentet").click()
        _wait_text(page, "Fjernet: Cyklistforbundet Aarhus – cykelparkering.txt")
        _settle(page)
        shot(page, tmp_path, "library-removed")
        assert new.doc_id not in Index(fresh_index).manifest().documents
        context.close()
        assert guard.outside == [], guard.outside
    _quiet_log(tmp_path / "app")


def test_the_notat_downloads_as_docx(app_server, browser, tmp_path):  # noqa: F811
    from docx import Document

    context, page, guard = _new_page(browser)
    page.goto(f"{app_server}/temaer", wait_until="domcontentloaded")
    page.get_by_role("button", name="Lav høringsnotat").wait_for(timeout=120_000)
    _settle(page)
    page.get_by_role("button", name="Lav høringsnotat").click()
    download_button = page.get_by_role("button", name="Hent høringsnotat (Word)")
    download_button.wait_for(timeout=120_000)
    _settle(page)
    shot(page, tmp_path, "notat-ready")
    with page.expect_download(timeout=60_000) as info:
        download_button.click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))
    assert target.name == "hoeringsnotat.docx" and target.stat().st_size > 5_000
    document = Document(io.BytesIO(target.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    assert document.tables and "Hedensted" in cells + text
    context.close()
    assert guard.outside == [], guard.outside
