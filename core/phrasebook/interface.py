"""Texts of the Streamlit interface (ui/, app.py)."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "ui.title": {
        "da": "Høringsassistent",
        "en": "Høringsassistent",
    },
    "ui.tagline": {
        "da": "Spørg høringssvarene – og få svar med ordrette, kontrollerede citater.",
        "en": "Ask the consultation responses – answers with verbatim, checked citations.",
    },
    "ui.chat_page": {
        "da": "Spørg høringssvarene",
        "en": "Ask the responses",
    },
    "ui.library_page": {
        "da": "Dokumenter",
        "en": "Documents",
    },
    "ui.ask": {
        "da": "Stil et spørgsmål om høringssvarene …",
        "en": "Ask a question about the consultation responses …",
    },
    "ui.new_chat": {
        "da": "Ny samtale",
        "en": "New conversation",
    },
    "ui.empty": {
        "da": "Høringsassistent besvarer spørgsmål om de indlæste høringssvar. Hvert svar viser, hvem der siger hvad, med ordrette citater, side og kilde, som du selv kan kontrollere. Står svaret ikke i høringssvarene, siger assistenten det.",
        "en": "Høringsassistent answers questions about the ingested consultation responses. Every answer shows who says what, with verbatim quotes, page and source you can check yourself. If the responses do not say it, the assistant says so.",
    },
    "ui.examples": {
        "da": "Prøv et eksempel:",
        "en": "Try an example:",
    },
    "ui.filters": {
        "da": "Filtre (gælder næste spørgsmål)",
        "en": "Filters (apply to the next question)",
    },
    "ui.all": {
        "da": "(alle)",
        "en": "(all)",
    },
    "ui.sender_type": {
        "da": "Afsendertype",
        "en": "Sender type",
    },
    "ui.sender": {
        "da": "Afsender",
        "en": "Sender",
    },
    "ui.municipality": {
        "da": "Kommune",
        "en": "Municipality",
    },
    "ui.hearing": {
        "da": "Høring",
        "en": "Hearing",
    },
    "ui.date_range": {
        "da": "Dato (modtaget)",
        "en": "Date (received)",
    },
    "ui.index_status": {
        "da": "Indeks",
        "en": "Index",
    },
    "ui.documents": {
        "da": "dokumenter",
        "en": "documents",
    },
    "ui.chunks": {
        "da": "tekststykker",
        "en": "chunks",
    },
    "ui.model": {
        "da": "Embedding-model",
        "en": "Embedding model",
    },
    "ui.llm_on": {
        "da": "Sprogmodel: {llm}",
        "en": "Language model: {llm}",
    },
    "ui.llm_off": {
        "da": "Ingen sprogmodel er sat op: svarene bygges af ordrette citater fra høringssvarene. Se README (docs/llm.md) for at tilføje en sprogmodel.",
        "en": "No language model is configured: answers are built from verbatim quotes of the responses. See the README (docs/llm.md) to add one.",
    },
    "ui.upload": {
        "da": "Indlæs høringssvar",
        "en": "Ingest responses",
    },
    "ui.upload_help": {
        "da": "{formats_or}, højst {mb} MB pr. fil.",
        "en": "{formats_or}, at most {mb} MB per file.",
    },
    "ui.upload_button": {
        "da": "Indlæs filerne",
        "en": "Ingest the files",
    },
    "ui.too_big": {
        "da": "{name}: filen er større end {mb} MB og blev ikke indlæst.",
        "en": "{name}: the file is larger than {mb} MB and was not ingested.",
    },
    "ui.ingesting": {
        "da": "Indlæser {n} fil(er) …",
        "en": "Ingesting {n} file(s) …",
    },
    "ui.ingest_done": {
        "da": "Færdig: {ingested} indlæst, {unchanged} uændret, {failed} fejl.",
        "en": "Done: {ingested} ingested, {unchanged} unchanged, {failed} failed.",
    },
    "ui.outcome_ingested": {
        "da": "indlæst",
        "en": "ingested",
    },
    "ui.outcome_unchanged": {
        "da": "uændret",
        "en": "unchanged",
    },
    "ui.outcome_failed": {
        "da": "fejl",
        "en": "failed",
    },
    "ui.sources": {
        "da": "Kilder",
        "en": "Sources",
    },
    "ui.open_document": {
        "da": "Vis hele dokumentet",
        "en": "Show the whole document",
    },
    "ui.download_original": {
        "da": "Hent originalfilen",
        "en": "Download the original file",
    },
    "ui.download_md": {
        "da": "Hent svar (Markdown)",
        "en": "Download answer (Markdown)",
    },
    "ui.download_docx": {
        "da": "Hent svar (Word)",
        "en": "Download answer (Word)",
    },
    "ui.inferred_chip": {
        "da": "✕ {label} (udledt af spørgsmålet)",
        "en": "✕ {label} (inferred from the question)",
    },
    "ui.feedback_comment": {
        "da": "Kommentar (valgfri)",
        "en": "Comment (optional)",
    },
    "ui.feedback_send": {
        "da": "Send feedback",
        "en": "Send feedback",
    },
    "ui.feedback_thanks": {
        "da": "Tak for din feedback.",
        "en": "Thank you for your feedback.",
    },
    "ui.nearest": {
        "da": "Nærmeste uddrag",
        "en": "Nearest passages",
    },
    "ui.page": {
        "da": "side",
        "en": "page",
    },
    "ui.language": {
        "da": "Sprog",
        "en": "Language",
    },
    "ui.library_intro": {
        "da": "Alle indlæste høringssvar. Ret metadata direkte i tabellen og gem; rettelser overlever genindlæsning.",
        "en": "All ingested responses. Correct metadata in the table and save; corrections survive re-ingest.",
    },
    "ui.search_docs": {
        "da": "Filtrér dokumenter",
        "en": "Filter documents",
    },
    "ui.save_changes": {
        "da": "Gem ændringer",
        "en": "Save changes",
    },
    "ui.saved": {
        "da": "Gemt: {n} dokument(er) rettet.",
        "en": "Saved: {n} document(s) corrected.",
    },
    "ui.remove": {
        "da": "Fjern dokument",
        "en": "Remove document",
    },
    "ui.remove_pick": {
        "da": "Vælg dokument",
        "en": "Choose document",
    },
    "ui.removed": {
        "da": "Fjernet: {doc}",
        "en": "Removed: {doc}",
    },
    "ui.empty_index": {
        "da": "Indekset er tomt. Indlæs høringssvar i sidepanelet.",
        "en": "The index is empty. Ingest responses in the sidebar.",
    },
    "ui.unverified": {
        "da": "{n} henvisning(er) fra sprogmodellen kunne ikke verificeres og vises ikke som kilder.",
        "en": "{n} reference(s) from the language model could not be verified and are not shown as sources.",
    },
    "ui.themes_page": {
        "da": "Temaer og høringsnotat",
        "en": "Themes and consultation report",
    },
    "ui.themes_intro": {
        "da": "Høringssvarenes udsagn grupperet i temaer, med afsendere og et citat fra hver. Omdøb, slå sammen eller slet temaer; ændringerne gemmes og kommer med i høringsnotatet.",
        "en": "The responses' statements grouped into themes, with senders and one quote each. Rename, merge or delete themes; the changes are saved and flow into the report.",
    },
    "ui.themes_working": {
        "da": "Finder temaer …",
        "en": "Finding themes …",
    },
    "ui.senders": {
        "da": "afsendere",
        "en": "senders",
    },
    "ui.theme_rename": {
        "da": "Navn på temaet",
        "en": "Theme name",
    },
    "ui.theme_save": {
        "da": "Gem navn",
        "en": "Save name",
    },
    "ui.theme_delete": {
        "da": "Slet tema",
        "en": "Delete theme",
    },
    "ui.theme_merge_pick": {
        "da": "Slå temaer sammen",
        "en": "Merge themes",
    },
    "ui.theme_merge": {
        "da": "Slå valgte temaer sammen",
        "en": "Merge the selected themes",
    },
    "ui.notat_prepare": {
        "da": "Lav høringsnotat",
        "en": "Build the consultation report",
    },
    "ui.notat_docx": {
        "da": "Hent høringsnotat (Word)",
        "en": "Download report (Word)",
    },
    "ui.notat_xlsx": {
        "da": "Hent høringsnotat (Excel)",
        "en": "Download report (Excel)",
    },
    "ui.mode": {
        "da": "Svartype",
        "en": "Answer type",
    },
    "ui.mode_answer": {
        "da": "Svar",
        "en": "Answer",
    },
    "ui.mode_coverage": {
        "da": "Hvem siger hvad",
        "en": "Who says what",
    },
    "ui.not_mentioned": {
        "da": "nævner det ikke",
        "en": "does not mention it",
    },
    "ui.ocr": {
        "da": "tekst fra OCR",
        "en": "text from OCR",
    },
    "ui.date": {
        "da": "Dato",
        "en": "Date",
    },
    # --- issue 16, the app up at once: the sample letters ingested in the background (ui/resources.py, app.py) ---
    "ui.loading_sample": {
        "da": "Indlæser eksempelbrevene … {done} af {total}",
        "en": "Loading the sample letters … {done} of {total}",
    },
    "ui.loading_sample_wait": {
        "da": "Du kan stille spørgsmål, så snart det første brev er indlæst.",
        "en": "You can ask questions as soon as the first letter is loaded.",
    },
    # --- end of issue 16 ---
    # the example questions of an empty conversation, in order
    "ui.example.1": {"da": "Hvad siger kommunerne om ventelister?", "en": "What do the municipalities say about waiting lists?"},
    "ui.example.2": {"da": "Hvem nævner rekruttering og fastholdelse af personale?", "en": "Who mentions recruiting and retaining staff?"},
    "ui.example.3": {"da": "Hvad mener Roskilde om besparelserne?", "en": "What does Roskilde think about the savings?"},
}
