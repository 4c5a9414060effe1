"""The Streamlit shell that app.py runs, over the Python API (no retrieval or answering logic here): the gate
(auth.py), the process-wide resources (resources.py: settings, the one index the writers use and the searcher that
reads it, the chat model, the sample's background ingest), the sidebar (sidebar.py), the pages — chat (chat_page.py,
its sources in sources.py), the hearing's case file (casefile_page.py with casefile_parties.py, casefile_themes.py
and casefile_shared.py), the review queue (review_page.py), themes and notat (themes_page.py), the document library
(library_page.py) — and what they share: escaping (safe.py), interface texts (texts.py, widget_texts.py) and the
waiting writer's notice (waiting.py). A page reads the letters through the searcher's snapshot and writes through
``resources.index()``."""
