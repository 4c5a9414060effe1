"""The real app in a real browser: `streamlit run app.py` on a free loopback port, driven by headless Debian
Chromium through Playwright (its Python package only; no browser download: the system's /usr/bin/chromium)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.processes import free_port, stop

from tests.conftest import REPO

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]
QUESTION = "Hvad siger kommunerne om ventelister?"




def _own_chromium_processes() -> list:
    """Chromium processes started under this test process (Playwright's driver starts the browser)."""
    import psutil

    return [p for p in psutil.Process().children(recursive=True) if "chrom" in p.name().lower()]


def _stop_all(processes: list) -> None:
    """Terminate these processes by id, wait for them, kill what is left."""
    import psutil

    alive = [p for p in processes if p.is_running()]
    for p in alive:
        try:
            p.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(alive, timeout=10)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=10)


@pytest.fixture
def server(sample_index, tmp_path):
    """The app served by `streamlit run` over the sample index; yields its base URL."""
    yield from _serve(sample_index.index, tmp_path)


def _serve(index: Path, tmp_path: Path, extra_env: dict[str, str] | None = None):
    """Serve the app over ``index`` with `streamlit run` on a free loopback port; yields its base URL.
    ``extra_env``: more settings for the app (e.g. HOERING_SAMPLE)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOERING_")}
    env.update(
        HOERING_INDEX=str(index),
        HOERING_UPLOADS=str(tmp_path / "uploads"),
        HOERING_FEEDBACK=str(tmp_path / "feedback.jsonl"),
        HF_HUB_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
    )
    env.update(extra_env or {})
    log = (tmp_path / "streamlit.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{(tmp_path / 'streamlit.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer on {url}:\n{(tmp_path / 'streamlit.log').read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        stop(process)
        log.close()


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Debian chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        processes = _own_chromium_processes()
        try:
            yield chromium
        finally:
            chromium.close()
            _stop_all(processes)  # by process id, in case closing left any of them behind


def test_ask_in_the_browser(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="da-DK")
    page.goto(server, wait_until="domcontentloaded")
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(state="visible", timeout=60_000)
    assert page.get_by_role("button", name=QUESTION).is_visible()  # the example questions of the empty state

    box.fill(QUESTION)
    box.press("Enter")
    # Poll until the answer is there and the script run has finished (no running indicator, no stale
    # elements of the previous run such as the example buttons, exactly one question and one answer).
    deadline = time.monotonic() + 60
    text = ""
    while time.monotonic() < deadline:
        text = page.inner_text("body")
        if (
            "Hedensted Kommune" in text and "lange ventelister" in text
            and page.get_by_test_id("stChatMessage").count() == 2
            and not page.get_by_test_id("stStatusWidget").is_visible()
            and not page.get_by_role("button", name=QUESTION).count()
            and page.get_by_role("button", name="Hent svar (Word)").count()
        ):
            break
        time.sleep(0.5)
    text = page.inner_text("body")
    shot = tmp_path / "answer.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")

    assert "Hedensted Kommune" in text and "lange ventelister" in text, text[-2000:]
    assert page.get_by_test_id("stChatMessage").count() == 2
    assert page.get_by_role("button", name="Hent svar (Markdown)").is_visible()
    assert page.get_by_role("button", name="Hent svar (Word)").is_visible()
    assert "Det skriver høringssvarene:" in text  # rendered, not shown as "\:" escapes
    assert "»Vi oplever store kapacitetsudfordringer" in text and "[1]" in text
    assert "Afgrænset til: afsendertype = kommuner" in text
    assert page.get_by_role("button", name="✕ afsendertype = kommuner (udledt af spørgsmålet)").is_visible()
    expander = page.get_by_text("[1] Hedensted Kommune (Voksenhandicap)", exact=False).first
    assert expander.is_visible()
    assert shot.stat().st_size > 10_000


HOSTILE_NAME = "Karen ![p](http://198.51.100.7/pixel.gif) [Se bilag her](http://198.51.100.7/phish)"


def test_a_hostile_sender_renders_as_text_and_nothing_leaves_the_machine(make_settings, embedder, browser, tmp_path):
    """Issue 17 #6 in a real browser: a mail whose From name is Markdown (an image and a link) is cited; the page
    shows the name as text (no <img> or <a> pointing at the attacker's host), and the browser asks no host but
    the app's own (every other request is blocked and recorded: page icon, fonts, the pixel)."""
    from ingest.pipeline import ingest
    from tests.factories import make_eml

    mail = make_eml(
        tmp_path / "mails" / "karen.eml",
        sender=f'"{HOSTILE_NAME}" <karen@example.com>',
        subject="Høringssvar om trappelifte",
        body="Jeg mener, at trappeliftene på bostederne skal serviceres langt oftere, fordi de ofte går i stå.\n\n"
             "Trappeliftene på bostederne er afgørende for beboernes frihed.\n\nVenlig hilsen\nKaren",
    )
    settings = make_settings()
    report = ingest([str(mail)], settings, embedder=embedder)
    assert not report.failed, report.to_json()
    outside: list[str] = []
    (tmp_path / "app").mkdir()
    for url in _serve(settings.index, tmp_path / "app"):
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="da-DK")

        def guard(route):
            host = route.request.url.split("/")[2].split(":")[0] if "://" in route.request.url else ""
            if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        page.goto(url, wait_until="domcontentloaded")
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for(state="visible", timeout=60_000)
        box.fill("Hvad siger høringssvarene om trappeliftene på bostederne?")
        box.press("Enter")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "trappeliftene" in page.inner_text("body") and page.get_by_test_id("stChatMessage").count() == 2 \
                    and not page.get_by_test_id("stStatusWidget").is_visible():
                break
            time.sleep(0.5)
        headers = page.get_by_test_id("stExpander")
        for i in range(headers.count()):
            headers.nth(i).locator("summary").click()
        time.sleep(1)
        shot = tmp_path / "hostile-sender.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        text = page.inner_text("body")
        assert "trappeliftene" in text, text[-2000:]
        images = page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('src') || '')")
        links = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href') || '')")
        assert not [src for src in images if "198.51.100.7" in src], images
        assert not [href for href in links if "198.51.100.7" in href], links
        if "pixel.gif" in text:  # the From name reached the page: as the attacker's text, not as markup
            assert "Se bilag her" in text
        page.close()
    assert outside == [], outside
