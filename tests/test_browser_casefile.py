"""The page "Høringen" in a real browser (headless Debian chromium through Playwright), as an official uses it, on
an index of the sample letters plus the sample hearing's two "ingen bemærkninger" answers (issue 24):

choose the hearing in the sidebar → import the høringsliste (XLSX) through the uploader → read the counts and who
did not answer → choose another party for a letter without confirming, change the hearing and come back: the
unsaved choice is gone and nothing was written → confirm the suggested themes → the letters × themes matrix →
download the hearing's notat (DOCX) and read it. What is checked is what the page shows (its text), and the case
file as stored. Screenshots go to the test's tmp dir and, when /work/shots exists, to $HOERING_SHOTS (default
/work/shots/casefile)."""

from __future__ import annotations

import functools
import io
import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.test_browser import _serve, browser  # noqa: F401  (a fixture and the server helper)
from tests.test_browser_walk import _check_language, _settle, _wait_text, shot
from tests.test_ui_casefile import HEARING, LIST_DIR, NOT_ANSWERED, hearing_index  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("HOERING_SHOTS", "/work/shots/casefile"))


_shot = functools.partial(shot, shots=SHOTS)


def _pick(page, box, option: str) -> None:
    """Open a selectbox and choose ``option`` (its text as shown)."""
    for attempt in range(3):  # a click during a redraw can be missed
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).wait_for(timeout=10_000)
            break
        except PlaywrightTimeoutError:  # try again, then fail with it
            page.keyboard.press("Escape")
            if attempt == 2:
                raise
            _settle(page)
    page.get_by_role("option", name=option, exact=True).click()
    _settle(page)


def _choose_hearing(page, option: str) -> None:
    _pick(page, page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first, option)
    page.get_by_role("heading", level=2).filter(has_text=option.rsplit(" (", 1)[0]).first.wait_for(timeout=60_000)


def _party_box(page, sender: str):
    return page.get_by_test_id("stSelectbox").filter(has_text=f"Part for svaret fra {sender}").first


def _shown_value(box) -> str:
    """What a selectbox shows as chosen (the value of its input)."""
    return box.locator("input").first.input_value().strip()


def _open_adjust(page) -> None:
    panel = page.get_by_test_id("stExpander").filter(has_text="Ret et svars part").first
    if not panel.locator("details").first.evaluate("d => d.open"):
        panel.locator("summary").first.click()
        _settle(page)


def _links(db: Path) -> tuple:
    from index.casefile_store import CaseFileStore

    return CaseFileStore(f"sqlite:///{db}").hearing(HEARING).links


def test_the_hearings_case_file_in_the_browser(hearing_index, browser, tmp_path):  # noqa: F811
    import docx

    db = tmp_path / "casefile.sqlite"
    (tmp_path / "app").mkdir()
    for url in _serve(hearing_index.index, tmp_path / "app", extra_env={"HOERING_REVIEW_DB_URL": f"sqlite:///{db}"}):
        context = browser.new_context(viewport={"width": 1400, "height": 2000}, locale="da-DK",
                                      accept_downloads=True)  # tall: Streamlit scrolls inside its page
        page = context.new_page()
        page.goto(f"{url}/hoering", wait_until="domcontentloaded")
        page.get_by_role("heading", level=1).filter(has_text="Høringen").wait_for(timeout=90_000)
        _settle(page)

        # the hearing, chosen in the sidebar; no list yet
        _choose_hearing(page, f"{HEARING} (5 svar)")
        _wait_text(page, "Der er ikke indlæst en høringsliste for høringen.")
        _check_language(page, "da", "the case file page", exclude=('[data-testid="stMain"] h2',))

        _shot(page, tmp_path, "casefile-start")
        # the høringsliste through the uploader
        page.get_by_test_id("stMain").get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
            str(LIST_DIR / "hoeringsliste.xlsx"))
        _wait_text(page, "hoeringsliste.xlsx", timeout=30)
        _settle(page)
        page.get_by_role("button", name="Indlæs listen").click()
        _wait_text(page, "Høringsliste indlæst: 9 parter.")
        _settle(page)
        body = page.inner_text("body")
        assert "Der er modtaget 5 høringssvar: 3 med bemærkninger og 2 uden bemærkninger." in body
        assert "Høringen blev sendt til 9 parter; 5 har svaret (2 uden bemærkninger), 4 har ikke svaret" in body
        missing = body.split("Ikke modtaget svar fra", 1)[1].split("Kampagner og enslydende breve", 1)[0]
        assert [line.strip() for line in missing.strip().splitlines() if line.strip()] == NOT_ANSWERED
        no_remarks = body.split("Ingen bemærkninger\n", 2)[-1]
        assert "Skanderborg Kommune" in no_remarks and "Favrskov Kommune" in no_remarks
        _shot(page, tmp_path, "casefile-list-imported")

        # an unsaved choice, then another hearing and back: gone, and nothing written
        _open_adjust(page)
        box = _party_box(page, "Norddjurs Kommune")
        assert _shown_value(box) == "Norddjurs Kommune", _shown_value(box)
        _pick(page, box, "Syddjurs Kommune")
        assert _shown_value(_party_box(page, "Norddjurs Kommune")) == "Syddjurs Kommune"
        _shot(page, tmp_path, "casefile-unsaved-choice")
        _choose_hearing(page, "Budget 2024 (1 svar)")
        assert "Syddjurs Kommune" not in page.get_by_test_id("stMain").inner_text()
        _choose_hearing(page, f"{HEARING} (5 svar)")
        _open_adjust(page)
        assert _shown_value(_party_box(page, "Norddjurs Kommune")) == "Norddjurs Kommune"
        assert _links(db) == ()

        # the suggested themes confirmed as they are: the matrix and the cross-tab
        page.get_by_role("button", name="Bekræft de foreslåede temaer").click()
        _wait_text(page, "temaer gemt for høringen.")
        _wait_text(page, "Svar × temaer")
        _settle(page)
        body = page.inner_text("body")
        assert "Temaer fordelt på afsendertype" in body and "✓ nævner" in body
        assert page.get_by_test_id("stDataFrame").count() >= 4  # parties, letters, matrix, cross-tab
        page.get_by_text("Svar × temaer").first.scroll_into_view_if_needed()
        _shot(page, tmp_path, "casefile-matrix")

        # the hearing's notat
        page.get_by_role("button", name="Lav høringsnotat").click()
        download_button = page.get_by_role("button", name="Hent høringsnotat (Word)")
        download_button.wait_for(timeout=180_000)
        _settle(page)
        with page.expect_download(timeout=60_000) as info:
            download_button.click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        assert target.name.startswith("hoeringsnotat-visions-og-udviklingsplan") and target.suffix == ".docx"
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(target.read_bytes())).paragraphs)
        assert HEARING in text and "Ikke modtaget svar fra" in text
        for name in NOT_ANSWERED:
            assert name in text
        _shot(page, tmp_path, "casefile-notat")
        time.sleep(0.5)
        context.close()
    log = (tmp_path / "app" / "streamlit.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]
