"""The ``hoering`` command line assembled: the app with its top-level commands in the order ``--help`` lists them
and its command groups, and ``main`` (the console script's entry point). A thin Typer shell over the Python API
(no logic of its own): the commands live in hoering/*_cli.py by job, what they share in hoering/output.py (texts
and printing), hoering/guard.py (settings, one-line failures, the write gate), hoering/options.py (shared options)
and hoering/hearings.py (a hearing's case file opened). No command module imports this one (only
hoering/__main__.py does)."""

from __future__ import annotations

import os

import typer

from hoering import ask_cli, documents_cli
from hoering.documents_cli import docs_app
from hoering.export_cli import export_app
from hoering.hearing_cli import hearing_app
from hoering.output import phrase
from hoering.review_cli import review_app
from hoering.themes_cli import themes_app
from hoering.users_cli import users_app

app = typer.Typer(help=phrase("app_help"), no_args_is_help=True, add_completion=False)
app.command(help=phrase("ingest_help"))(documents_cli.ingest)  # the formats from core.formats, as everywhere
app.command(help=phrase("search_help"))(ask_cli.search)
app.command(help=phrase("ask_help"))(ask_cli.ask)
app.command(help=phrase("remove_help"))(documents_cli.remove)
app.command(help=phrase("repair_help"))(documents_cli.repair)
app.add_typer(docs_app, name="docs")
app.add_typer(themes_app, name="themes")
app.add_typer(export_app, name="export")
app.add_typer(hearing_app, name="hearing")
app.add_typer(review_app, name="review")
app.add_typer(users_app, name="users")


def main() -> None:  # console-script entry point
    # One query per process: OpenMP threads that sleep between parallel regions instead of spinning. With the
    # default, a call's first query took 0.3-3 s whenever other processes used the cores (the idle thread spun
    # against them); passive: 0.02 s. A long-running app keeps the default: its steady searches are about twice
    # as fast with spinning threads (12 vs 20-24 ms p50 on the sample, 2-core machine). Unless set otherwise.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    # A panic in Chroma's native core (a damaged database) is answered with one line of ours; Rust's own backtrace
    # (223 lines where RUST_BACKTRACE=1 is set) is shown only when asked for with HOERING_DEBUG=1.
    if os.environ.get("HOERING_DEBUG") != "1":
        os.environ["RUST_BACKTRACE"] = "0"
    app()


if __name__ == "__main__":
    main()
