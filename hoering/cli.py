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
            elif kind == "member":  # a refused or failed file inside a zip bundle
                outcome = info["outcome"]
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


def _filters(sender, sender_type, municipality, hearing, date_from, date_to):
    from retrieval.schema import Filters

    return Filters(sender=sender, sender_type=sender_type, municipality=municipality, hearing=hearing,
                   date_from=date_from, date_to=date_to)


SenderOpt = typer.Option(None, "--sender", help="Afsender (delstreng).")
SenderTypeOpt = typer.Option(None, "--sender-type", help="kommune, region, med_udvalg, organisation, virksomhed, borger, ukendt")
MunicipalityOpt = typer.Option(None, "--municipality", help="En af de 98 kommuner.")
HearingOpt = typer.Option(None, "--hearing", help="Høring (delstreng).")
DateFromOpt = typer.Option(None, "--date-from", help="Fra dato (YYYY-MM-DD).")
DateToOpt = typer.Option(None, "--date-to", help="Til dato (YYYY-MM-DD).")
NoInferOpt = typer.Option(False, "--no-infer", help="Udled ikke filtre af spørgsmålet.")


@app.command()
def search(
    query: Optional[str] = typer.Argument(None, help="Søgning (eller brug --queries FIL)."),
    k: int = typer.Option(5, "--k", min=1, max=100),
    sender: Optional[str] = SenderOpt,
    sender_type: Optional[str] = SenderTypeOpt,
    municipality: Optional[str] = MunicipalityOpt,
    hearing: Optional[str] = HearingOpt,
    date_from: Optional[str] = DateFromOpt,
    date_to: Optional[str] = DateToOpt,
    queries: Optional[Path] = typer.Option(None, "--queries", help="Fil med én søgning pr. linje; JSON-liste ud."),
    no_infer: bool = NoInferOpt,
    index: Optional[Path] = IndexOption,
    as_json: bool = JsonOption,
) -> None:
    """Find de mest relevante uddrag (hybrid dansk BM25 + semantisk søgning)."""
    from retrieval.search import Searcher

    if (query is None) == (queries is None):
        err.print("Angiv enten en søgning eller --queries FIL.")
        raise typer.Exit(2)
    searcher = Searcher(settings_for(index))
    filters = _filters(sender, sender_type, municipality, hearing, date_from, date_to)
    texts = [q.strip() for q in queries.read_text(encoding="utf-8").splitlines() if q.strip()] if queries else [query]
    results = [searcher.search(t, filters, k=k, infer=not no_infer) for t in texts]
    if as_json or queries:
        data = [r.to_json() for r in results]
        _print_json(data if queries else data[0])
        return
    for result in results:
        table = Table("#", "afsender", "type", "side", "score", "uddrag", title=result.query, show_lines=True)
        for p in result.passages:
            table.add_row(str(p.rank), p.sender, p.sender_type, str(p.page), f"{p.score:.3f}", p.text[:300])
        Console().print(table)
        if result.filters.active():
            err.print(f"Filtre: {result.filters.to_json()}")


@app.command()
def ask(
    question: str = typer.Argument(..., help="Spørgsmål på dansk eller engelsk."),
    sender: Optional[str] = SenderOpt,
    sender_type: Optional[str] = SenderTypeOpt,
    municipality: Optional[str] = MunicipalityOpt,
    hearing: Optional[str] = HearingOpt,
    date_from: Optional[str] = DateFromOpt,
    date_to: Optional[str] = DateToOpt,
    mode: str = typer.Option("answer", "--mode", help="answer (de mest relevante uddrag) eller coverage (hvem siger hvad: hvert høringssvar i afgrænsningen)."),
    index: Optional[Path] = IndexOption,
    as_json: bool = JsonOption,
) -> None:
    """Besvar et spørgsmål med ordrette, verificerede citater (med sprogmodel hvis HOERING_LLM er sat)."""
    from answering.answer import answer_stream
    from answering.coverage_answer import coverage_answer
    from answering.llm import create_chat_model
    from retrieval.schema import Answer
    from retrieval.search import Searcher

    if mode not in ("answer", "coverage"):
        err.print("--mode skal være 'answer' eller 'coverage'.")
        raise typer.Exit(2)
    settings = settings_for(index)
    searcher = Searcher(settings)
    filters = _filters(sender, sender_type, municipality, hearing, date_from, date_to)
    if mode == "coverage":
        llm = create_chat_model(settings)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=err, transient=True, disable=llm is None) as progress:
            task = progress.add_task("Holdninger pr. afsender", total=None)
            final = coverage_answer(question, searcher, filters, llm=llm,
                                    on_progress=lambda done, total: progress.update(task, completed=done, total=total))
        if as_json:
            _print_json(final.to_json())
            return
        Console().print(final.text, highlight=False, markup=False)
        for c in final.citations:
            Console().print(f"[{c.n}] {c.sender} – {c.source}, s. {c.page}: »{c.quote}«", highlight=False, markup=False)
        return
    llm = create_chat_model(settings)
    final = None
    for item in answer_stream(question, searcher, filters, llm=llm):
        if isinstance(item, Answer):
            final = item
        elif not as_json:
            err.print(item, end="", highlight=False)
    assert final is not None
    if as_json:
        _print_json(final.to_json())
        return
    if llm is not None:
        err.print()
    Console().print(final.text, highlight=False, markup=False)
    for c in final.citations:
        Console().print(f"[{c.n}] {c.sender} – {c.source}, s. {c.page}: »{c.quote}«", highlight=False, markup=False)


themes_app = typer.Typer(help="Temaoversigt: hvem siger hvad, grupperet efter tema.")
app.add_typer(themes_app, name="themes")
export_app = typer.Typer(help="Eksport (høringsnotat).")
app.add_typer(export_app, name="export")


@themes_app.callback(invoke_without_command=True)
def themes(
    ctx: typer.Context,
    sender: Optional[str] = SenderOpt,
    sender_type: Optional[str] = SenderTypeOpt,
    municipality: Optional[str] = MunicipalityOpt,
    hearing: Optional[str] = HearingOpt,
    date_from: Optional[str] = DateFromOpt,
    date_to: Optional[str] = DateToOpt,
    index: Optional[Path] = IndexOption,
    as_json: bool = JsonOption,
) -> None:
    """Vis temaerne i høringssvarene med afsendere og et citat fra hver."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = index
        return
    from retrieval.search import Searcher
    from retrieval.themes import build_themes, themes_json

    from answering.llm import create_chat_model

    settings = settings_for(index)
    found = build_themes(Searcher(settings), _filters(sender, sender_type, municipality, hearing, date_from, date_to),
                         llm=create_chat_model(settings))
    if as_json:
        _print_json(themes_json(found))
        return
    for theme in found:
        Console().print(f"[bold]{theme.label}[/bold]  ({theme.theme_id}, {len(theme.senders)} afsendere)")
        for s in theme.senders:
            Console().print(f"  - {s.sender} ({s.count}): »{s.quote.quote}«", highlight=False, markup=False)


def _searcher_for(ctx: typer.Context, index: Optional[Path]):
    from retrieval.search import Searcher

    return Searcher(settings_for(index or ctx.obj))


@themes_app.command("rename")
def themes_rename(ctx: typer.Context, theme_id: str, label: str, index: Optional[Path] = IndexOption) -> None:
    """Omdøb et tema (gemmes og bruges i eksporten)."""
    from retrieval.themes import edit_themes

    edit_themes(_searcher_for(ctx, index), rename=(theme_id, label))


@themes_app.command("merge")
def themes_merge(ctx: typer.Context, theme_ids: list[str], index: Optional[Path] = IndexOption) -> None:
    """Slå temaer sammen (det første beholder sit navn)."""
    from retrieval.themes import edit_themes

    if len(theme_ids) < 2:
        err.print("Angiv mindst to tema-id'er.")
        raise typer.Exit(2)
    edit_themes(_searcher_for(ctx, index), merge=theme_ids)


@themes_app.command("delete")
def themes_delete(ctx: typer.Context, theme_id: str, index: Optional[Path] = IndexOption) -> None:
    """Slet et tema fra oversigten og eksporten."""
    from retrieval.themes import edit_themes

    edit_themes(_searcher_for(ctx, index), delete=theme_id)


@export_app.command("notat")
def export_notat(
    fmt: str = typer.Option("docx", "--format", help="docx eller xlsx"),
    out: Optional[Path] = typer.Option(None, "--out", help="Filnavn (standard hoeringsnotat.docx/.xlsx)."),
    sender: Optional[str] = SenderOpt,
    sender_type: Optional[str] = SenderTypeOpt,
    municipality: Optional[str] = MunicipalityOpt,
    hearing: Optional[str] = HearingOpt,
    date_from: Optional[str] = DateFromOpt,
    date_to: Optional[str] = DateToOpt,
    index: Optional[Path] = IndexOption,
) -> None:
    """Skriv et høringsnotat: svaroversigt (dato, afsender, rolle, resumé, vurdering) og et afsnit pr. tema."""
    from export.notat import build_notat, to_docx, to_xlsx
    from retrieval.search import Searcher

    if fmt not in ("docx", "xlsx"):
        err.print("--format skal være docx eller xlsx.")
        raise typer.Exit(2)
    from answering.llm import create_chat_model

    settings = settings_for(index)
    notat = build_notat(Searcher(settings), _filters(sender, sender_type, municipality, hearing, date_from, date_to),
                        llm=create_chat_model(settings))
    target = out or Path(f"hoeringsnotat.{fmt}")
    target.write_bytes(to_docx(notat) if fmt == "docx" else to_xlsx(notat))
    err.print(f"Skrevet: {target} ({len(notat.respondents)} høringssvar, {len(notat.themes)} temaer)")


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
