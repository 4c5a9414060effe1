"""The ``hoering`` command line: a thin Typer shell over the Python API (no logic of its own)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from hoering.settings import Settings, get_settings

app = typer.Typer(help="Høringsassistent: spørg høringssvarene – med citater.", no_args_is_help=True, add_completion=False)
docs_app = typer.Typer(help="Dokumenter i indekset (og rettelse af deres metadata).")
app.add_typer(docs_app, name="docs")

err = Console(stderr=True)
IndexOption = typer.Option(None, "--index", help="Indeksmappe (ellers HOERING_INDEX, standard ./data/index).")
JsonOption = typer.Option(False, "--json", help="Skriv maskinlæsbar JSON (se README).")


def settings_for(index: Optional[Path]) -> Settings:
    settings = get_settings()
    return settings.model_copy(update={"index": index}) if index else settings


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Filer eller mapper (rekursivt)."),
    index: Optional[Path] = IndexOption,
    prune: bool = typer.Option(False, "--prune", help="Fjern dokumenter hvis filer ikke findes længere."),
    as_json: bool = JsonOption,
) -> None:
    """Indlæs høringssvar (PDF, DOCX, TXT, MD, HTML, EML) i indekset."""
    from ingest.index import ModelMismatchError
    from ingest.pipeline import ingest as run_ingest
    from ingest.schema import Status

    settings = settings_for(index)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=as_json) as progress:
        task = progress.add_task("Indlæser", total=None)
        chunks = 0

        def on_progress(kind: str, info: dict) -> None:
            nonlocal chunks
            if kind == "start":
                progress.update(task, total=info["files"])
            elif kind == "chunks":
                chunks += info["n"]
                progress.update(task, description=f"Indlæser ({chunks} tekststykker indlejret)")
            elif kind == "file":
                outcome = info["outcome"]
                progress.advance(task)
                if outcome.status == Status.failed:
                    progress.console.print(f"[red]FEJL[/red] {outcome.source}: {outcome.detail}", highlight=False)

        try:
            report = run_ingest([str(p) for p in paths], settings, prune_missing=prune, on_progress=on_progress)
        except ModelMismatchError as exc:
            err.print(f"[red]{exc}[/red]", highlight=False)
            raise typer.Exit(2) from exc
    if as_json:
        _print_json(report.to_json())
    else:
        data = report.to_json()
        err.print(
            f"Indlæst: {data['ingested']}, uændret: {data['unchanged']}, fjernet: {data['removed']}, "
            f"fejl: {len(data['failed'])}, tekststykker: {data['chunks']}, tid: {data['seconds']:.1f} s"
        )
    raise typer.Exit(1 if report.failed else 0)


@docs_app.callback(invoke_without_command=True)
def docs(ctx: typer.Context, index: Optional[Path] = IndexOption, as_json: bool = JsonOption) -> None:
    """Vis de indlæste dokumenter med deres metadata."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = index
        return
    from retrieval.library import list_documents

    documents = list_documents(settings_for(index))
    if as_json:
        _print_json({"documents": [d.to_json() for d in documents]})
        return
    table = Table("doc_id", "afsender", "type", "kommune", "dato", "høring", "sider", "stykker", "kilde")
    for d in documents:
        table.add_row(d.doc_id, d.sender, d.sender_type, d.municipality or "", d.date or "", d.hearing or "", str(d.pages), str(d.chunks), d.source)
    Console().print(table)


@docs_app.command("set")
def docs_set(
    ctx: typer.Context,
    doc_id: str = typer.Argument(..., help="Dokumentets id (eller et entydigt præfiks)."),
    sender: Optional[str] = typer.Option(None, "--sender"),
    sender_type: Optional[str] = typer.Option(None, "--sender-type"),
    municipality: Optional[str] = typer.Option(None, "--municipality"),
    date: Optional[str] = typer.Option(None, "--date"),
    hearing: Optional[str] = typer.Option(None, "--hearing"),
    title: Optional[str] = typer.Option(None, "--title"),
    index: Optional[Path] = IndexOption,
    as_json: bool = JsonOption,
) -> None:
    """Ret et dokuments metadata; rettelsen overlever genindlæsning."""
    from ingest.corrections import CorrectionError, set_metadata
    from ingest.index import Index

    fields = {k: v for k, v in dict(sender=sender, sender_type=sender_type, municipality=municipality, date=date, hearing=hearing, title=title).items() if v is not None}
    if not fields:
        err.print("Angiv mindst ét felt, fx --sender eller --sender-type.")
        raise typer.Exit(2)
    try:
        record = set_metadata(Index(settings_for(index or ctx.obj)), doc_id, fields)
    except CorrectionError as exc:
        err.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from exc
    if as_json:
        _print_json(record)
    else:
        err.print(f"Rettet: {record['doc_id']} → {', '.join(f'{k}={v}' for k, v in fields.items())}")


@app.command()
def remove(
    targets: list[str] = typer.Argument(..., help="doc_id'er eller kildestier."),
    index: Optional[Path] = IndexOption,
    as_json: bool = JsonOption,
) -> None:
    """Fjern dokumenter fra indekset."""
    from ingest.pipeline import remove as run_remove

    removed = run_remove(targets, settings_for(index))
    if as_json:
        _print_json({"removed": removed})
    else:
        err.print(f"Fjernet {len(removed)} dokument(er).")
    raise typer.Exit(0 if removed else 1)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":
    main()
