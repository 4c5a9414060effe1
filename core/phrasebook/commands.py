"""Texts of the command line (help, progress, results, usage errors; the CLI speaks Danish), of metadata
corrections (CorrectionError) and of a damaged index (IndexDamagedError)."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    # help texts
    "cli.app_help": {
        "da": "Høringsassistent: spørg høringssvarene – med citater.",
        "en": "Høringsassistent: ask the consultation responses – with citations.",
    },
    "cli.docs_help": {
        "da": "Dokumenter i indekset (og rettelse af deres metadata).",
        "en": "Documents in the index (and correction of their metadata).",
    },
    "cli.themes_help": {
        "da": "Temaoversigt: hvem siger hvad, grupperet efter tema.",
        "en": "Theme overview: who says what, grouped by theme.",
    },
    "cli.export_help": {"da": "Eksport (høringsnotat).", "en": "Export (consultation report)."},
    "cli.index_option": {
        "da": "Indeksmappe (ellers HOERING_INDEX, standard ./data/index).",
        "en": "Index folder (else HOERING_INDEX, default ./data/index).",
    },
    "cli.json_option": {"da": "Skriv maskinlæsbar JSON (se README).", "en": "Write machine-readable JSON (see the README)."},
    "cli.ingest_help": {
        "da": "Indlæs høringssvar ({formats}) i indekset.",
        "en": "Ingest consultation responses ({formats}) into the index.",
    },
    "cli.ingest_paths": {"da": "Filer eller mapper (rekursivt).", "en": "Files or folders (recursively)."},
    "cli.prune_option": {
        "da": "Fjern dokumenter hvis filer ikke findes længere.",
        "en": "Remove documents whose files no longer exist.",
    },
    "cli.docs_list_help": {
        "da": "Vis de indlæste dokumenter med deres metadata.",
        "en": "Show the ingested documents with their metadata.",
    },
    "cli.docs_set_help": {
        "da": "Ret et dokuments metadata; rettelsen overlever genindlæsning.",
        "en": "Correct a document's metadata; the correction survives re-ingest.",
    },
    "cli.doc_id_argument": {
        "da": "Dokumentets id (eller et entydigt præfiks).",
        "en": "The document's id (or an unambiguous prefix).",
    },
    "cli.sender_option": {"da": "Afsender (delstreng).", "en": "Sender (substring)."},
    "cli.sender_type_option": {
        "da": "{sender_types} (også flertal: kommuner …)",
        "en": "{sender_types} (plurals too: kommuner …)",
    },
    "cli.municipality_option": {"da": "En af de 98 kommuner.", "en": "One of the 98 municipalities."},
    "cli.hearing_option": {"da": "Høring (delstreng).", "en": "Hearing (substring)."},
    "cli.date_from_option": {"da": "Fra dato (YYYY-MM-DD).", "en": "From date (YYYY-MM-DD)."},
    "cli.date_to_option": {"da": "Til dato (YYYY-MM-DD).", "en": "To date (YYYY-MM-DD)."},
    "cli.no_infer_option": {"da": "Udled ikke filtre af spørgsmålet.", "en": "Do not infer filters from the question."},
    "cli.search_help": {
        "da": "Find de mest relevante uddrag (hybrid dansk BM25 + semantisk søgning).",
        "en": "Find the most relevant passages (hybrid Danish BM25 + semantic search).",
    },
    "cli.search_query": {
        "da": "Søgning (eller brug --queries FIL); højst 2000 tegn (HOERING_MAX_QUESTION_CHARS).",
        "en": "Search (or use --queries FILE); at most 2000 characters (HOERING_MAX_QUESTION_CHARS).",
    },
    "cli.search_queries": {
        "da": "Fil med én søgning pr. linje; JSON-liste ud.",
        "en": "File with one search per line; a JSON list out.",
    },
    "cli.ask_help": {
        "da": "Besvar et spørgsmål med ordrette, verificerede citater (med sprogmodel hvis HOERING_LLM er sat).",
        "en": "Answer a question with verbatim, verified quotes (with a language model if HOERING_LLM is set).",
    },
    "cli.ask_question": {
        "da": "Spørgsmål på dansk eller engelsk (højst 2000 tegn; HOERING_MAX_QUESTION_CHARS), eller brug --queries FIL.",
        "en": "A question in Danish or English (at most 2000 characters; HOERING_MAX_QUESTION_CHARS), or use --queries FILE.",
    },
    "cli.ask_mode": {
        "da": "answer (de mest relevante uddrag) eller coverage (hvem siger hvad: hvert høringssvar i afgrænsningen).",
        "en": "answer (the most relevant passages) or coverage (who says what: every response in the scope).",
    },
    "cli.ask_queries": {
        "da": "Fil med ét spørgsmål pr. linje: alle besvares i én proces; JSON-liste ud (samme form som ask --json).",
        "en": "File with one question per line: all are answered in one process; a JSON list out (the shape of ask --json).",
    },
    "cli.themes_list_help": {
        "da": "Vis temaerne i høringssvarene med afsendere og et citat fra hver.",
        "en": "Show the themes of the responses with senders and one quote from each.",
    },
    "cli.themes_rename_help": {
        "da": "Omdøb et tema (gemmes og bruges i eksporten).",
        "en": "Rename a theme (saved and used in the export).",
    },
    "cli.themes_merge_help": {
        "da": "Slå temaer sammen (det første beholder sit navn).",
        "en": "Merge themes (the first keeps its name).",
    },
    "cli.themes_delete_help": {
        "da": "Slet et tema fra oversigten og eksporten.",
        "en": "Delete a theme from the overview and the export.",
    },
    "cli.notat_help": {
        "da": "Skriv et høringsnotat: svaroversigt (dato, afsender, rolle, resumé, vurdering) og et afsnit pr. tema.",
        "en": "Write a consultation report: an overview of responses (date, sender, role, summary, assessment) "
        "and a section per theme.",
    },
    "cli.format_option": {"da": "docx eller xlsx", "en": "docx or xlsx"},
    "cli.out_option": {
        "da": "Filnavn (standard hoeringsnotat.docx/.xlsx).",
        "en": "File name (default hoeringsnotat.docx/.xlsx).",
    },
    "cli.remove_help": {"da": "Fjern dokumenter fra indekset.", "en": "Remove documents from the index."},
    "cli.remove_targets": {"da": "doc_id'er eller kildestier.", "en": "doc_ids or source paths."},
    "cli.repair_help": {
        "da": "Genopbyg et indeks, hvis Chroma-databasen er beskadiget: den flyttes til side (slettes ikke), og filerne "
        "i manifestet indlæses igen (vektorerne fra indlejringscachen; rettelser bevares).",
        "en": "Rebuild an index whose Chroma database is damaged: it is moved aside (not deleted) and the files in "
        "the manifest are ingested again (vectors from the embedding cache; corrections are kept).",
    },
    # progress and results
    "cli.error": {"da": "FEJL", "en": "ERROR"},
    "cli.note": {"da": "Bemærk", "en": "Note"},
    "cli.ingesting": {"da": "Indlæser", "en": "Ingesting"},
    "cli.ingesting_chunks": {"da": "Indlæser ({chunks} tekststykker indlejret)", "en": "Ingesting ({chunks} chunks embedded)"},
    "cli.waiting_for_writer": {
        "da": "Venter på, at en anden indlæsning bliver færdig …",
        "en": "Waiting for another ingest to finish …",
    },
    "cli.ingest_summary": {
        "da": "Indlæst: {ingested}, uændret: {unchanged}, fjernet: {removed}, fejl: {failed}, tekststykker: {chunks}, "
        "tid: {seconds:.1f} s",
        "en": "Ingested: {ingested}, unchanged: {unchanged}, removed: {removed}, failed: {failed}, chunks: {chunks}, "
        "time: {seconds:.1f} s",
    },
    "cli.corrected": {"da": "Rettet: {doc_id} → {fields}", "en": "Corrected: {doc_id} → {fields}"},
    "cli.filters": {"da": "Filtre: {filters}", "en": "Filters: {filters}"},
    "cli.positions": {"da": "Holdninger pr. afsender", "en": "Positions per sender"},
    "cli.citation": {
        "da": "[{n}] {sender} – {source}, s. {page}: »{quote}«",
        "en": "[{n}] {sender} – {source}, p. {page}: »{quote}«",
    },
    "cli.theme_line": {"da": "  ({theme_id}, {n} afsendere)", "en": "  ({theme_id}, {n} senders)"},
    "cli.written": {
        "da": "Skrevet: {target} ({n} høringssvar, {themes} temaer)",
        "en": "Written: {target} ({n} responses, {themes} themes)",
    },
    "cli.removed": {"da": "Fjernet {n} dokument(er).", "en": "Removed {n} document(s)."},
    "cli.removed_document": {"da": "  {doc_id}  {sender} – {source}", "en": "  {doc_id}  {sender} – {source}"},
    "cli.remove_not_found": {
        "da": "ingen fil eller dokument ved navn '{target}' (se hoering docs); det er ikke fjernet",
        "en": "no file or document named '{target}' (see hoering docs); nothing was removed for it",
    },
    "cli.repaired": {
        "da": "Den beskadigede Chroma-mappe er flyttet til {moved}; indekset er genopbygget fra filerne.",
        "en": "The damaged Chroma folder was moved to {moved}; the index was rebuilt from the files.",
    },
    # table headers
    "cli.column.sender": {"da": "afsender", "en": "sender"},
    "cli.column.type": {"da": "type", "en": "type"},
    "cli.column.municipality": {"da": "kommune", "en": "municipality"},
    "cli.column.date": {"da": "dato", "en": "date"},
    "cli.column.hearing": {"da": "høring", "en": "hearing"},
    "cli.column.pages": {"da": "sider", "en": "pages"},
    "cli.column.chunks": {"da": "stykker", "en": "chunks"},
    "cli.column.source": {"da": "kilde", "en": "source"},
    "cli.column.page": {"da": "side", "en": "page"},
    "cli.column.passage": {"da": "uddrag", "en": "passage"},
    # usage errors (exit 2)
    "cli.no_field": {
        "da": "Angiv mindst ét felt, fx --sender eller --sender-type.",
        "en": "Give at least one field, e.g. --sender or --sender-type.",
    },
    "cli.search_or_queries": {"da": "Angiv enten en søgning eller --queries FIL.", "en": "Give either a search or --queries FILE."},
    "cli.question_or_queries": {
        "da": "Angiv enten et spørgsmål eller --queries FIL.",
        "en": "Give either a question or --queries FILE.",
    },
    "cli.bad_mode": {"da": "--mode skal være 'answer' eller 'coverage'.", "en": "--mode must be 'answer' or 'coverage'."},
    "cli.two_themes": {"da": "Angiv mindst to tema-id'er.", "en": "Give at least two theme ids."},
    "cli.bad_format": {"da": "--format skal være docx eller xlsx.", "en": "--format must be docx or xlsx."},
    # metadata corrections (ingest/corrections.py: CorrectionError)
    "correction_unknown_field": {
        "da": "ukendt felt {field!r}; kan rettes: {editable}",
        "en": "unknown field {field!r}; editable: {editable}",
    },
    "correction_sender_type": {"da": "sender_type skal være en af {allowed}", "en": "sender_type must be one of {allowed}"},
    "correction_bad_date": {
        "da": "kan ikke læse datoen {value!r} (skriv ÅÅÅÅ-MM-DD eller fx 11. september 2023)",
        "en": "cannot read the date {value!r} (use YYYY-MM-DD or e.g. 11. september 2023)",
    },
    "correction_municipality": {
        "da": "{value!r} er ikke en af de 98 danske kommuner",
        "en": "{value!r} is not one of the 98 Danish municipalities",
    },
    "correction_no_document": {
        "da": "intet entydigt dokument med id {doc_id!r}",
        "en": "no single document with id {doc_id!r}",
    },
    # a damaged index (index/index.py: IndexDamagedError)
    "repair_server": {
        "da": "hoering repair gælder et lokalt indeks; en Chroma-server (HOERING_CHROMA_HOST) har sit eget lager",
        "en": "hoering repair is for a local index; a Chroma server (HOERING_CHROMA_HOST) keeps its own storage",
    },
    "repair_empty": {
        "da": "manifestet i {index} nævner ingen filer; der er intet at genopbygge (hoering ingest MAPPE --index {index})",
        "en": "the manifest in {index} lists no files; there is nothing to rebuild (hoering ingest FOLDER --index {index})",
    },
    "repair_no_files": {
        "da": "ingen af de {n} filer, manifestet nævner, findes herfra (fx {source}); intet er flyttet. Kør hoering "
              "repair fra den mappe, filerne blev indlæst fra",
        "en": "none of the {n} files the manifest lists can be found from here (e.g. {source}); nothing was moved. "
              "Run hoering repair from the folder the files were ingested from",
    },
    "missing_rows": {
        "da": "indekset i {index} mangler tekst og vektorer for {missing} af {total} dokumenter "
        "(er Chroma-databasen chroma.sqlite3 slettet eller beskadiget?). Genopbyg dem med: {command}",
        "en": "the index in {index} lacks the text and vectors of {missing} of {total} documents "
        "(was the Chroma database chroma.sqlite3 deleted or damaged?). Rebuild them with: {command}",
    },
}
