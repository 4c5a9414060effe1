"""A write from the app (a correction, a removal) that has to wait for another writer's lock says so while it waits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from index.waiting import waiting_notice
from ui.texts import t


@contextmanager
def waiting_shown(lang: str) -> Iterator[None]:
    """Writes inside that find the writer lock taken (a long ingest in a terminal, another upload) show a spinner
    "Venter på, at en anden indlæsning bliver færdig …" until they are done; the lock is given up between files."""
    slot = st.empty()
    try:
        with waiting_notice(lambda: slot.status(t(lang, "waiting_for_writer"), state="running")):
            yield
    finally:
        slot.empty()
