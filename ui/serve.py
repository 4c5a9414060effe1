"""`make run`'s server: Streamlit's own `streamlit run app.py …`, in a process whose first page is ready before a
browser asks for it. A background thread imports the app's pages and opens the searcher (snapshot, embedder,
language detector) while the server starts, so the first script run finds them loaded (issue 16).

    python -m ui.serve [streamlit run options …]
"""

from __future__ import annotations

import sys
import threading


def _warm_up() -> None:
    from ui import resources

    searcher = resources.prepare()
    from ui import chat_page, library_page, themes_page  # noqa: F401 - the first page's imports, loaded once

    searcher.warm_up()


def main(argv: list[str] | None = None) -> None:
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", "app.py", *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
