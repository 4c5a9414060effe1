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
    "ui.waiting_for_writer": {
        "da": "Venter på, at en anden indlæsning bliver færdig …",
        "en": "Waiting for another ingest to finish …",
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
    "ui.sender_confirmed": {
        "da": "Gemt: afsender bekræftet for {n} dokument(er).",
        "en": "Saved: sender confirmed for {n} document(s).",
    },
    "ui.nothing_to_save": {
        "da": "Ingen ændringer at gemme: intet er skrevet.",
        "en": "No changes to save: nothing was written.",
    },
    "ui.edits_dropped": {
        "da": "Ikke gemte rettelser til {senders} er kasseret, fordi tabellen nu viser noget andet (filter, sprog "
              "eller indhold er ændret). Intet er gemt; ret igen, og klik »Gem ændringer«.",
        "en": "Unsaved corrections to {senders} were discarded because the table now shows something else (filter, "
              "language or content changed). Nothing was saved; correct again and click “Save changes”.",
    },
    "ui.check_not_guess": {
        "da": "{sender}: afsenderen er ikke gættet, så der er intet at bekræfte; markeringen er ikke gemt. Ret "
              "afsenderen i tabellen, hvis den er forkert.",
        "en": "{sender}: the sender is not a guess, so there is nothing to confirm; the tick was not saved. Correct "
              "the sender in the table if it is wrong.",
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
    # --- themes page (h14-themes): the filters' heading there, a theme's letters and a quote's place ---
    "ui.filters_scope": {
        "da": "Afgræns temaer og høringsnotat",
        "en": "Limit themes and report",
    },
    "ui.theme_letters": {
        "da": "{n} høringssvar",
        "en": "{n} responses",
    },
    "ui.theme_sender_line": {
        "da": "{role} · {n} udsagn i temaet",
        "en": "{role} · {n} statements in the theme",
    },
    "ui.theme_quote_place": {
        "da": "side {page}",
        "en": "page {page}",
    },
    # --- end of the themes page block ---
    # --- h14-shell: the document library, the sidebar's technical details, Streamlit's own widget texts ---------
    "ui.col.sender": {"da": "Afsender", "en": "Sender"},
    "ui.col.sender_type": {"da": "Afsendertype", "en": "Sender type"},
    "ui.col.municipality": {"da": "Kommune", "en": "Municipality"},
    "ui.col.date": {"da": "Dato", "en": "Date"},
    "ui.col.hearing": {"da": "Høring", "en": "Hearing"},
    "ui.col.title": {"da": "Titel", "en": "Title"},
    "ui.col.pages": {"da": "Sider", "en": "Pages"},
    "ui.col.chunks": {"da": "Tekststykker", "en": "Passages"},
    "ui.col.file": {"da": "Fil", "en": "File"},
    "ui.col.check": {"da": "Tjek afsender", "en": "Check sender"},
    "ui.col.doc_id": {"da": "Dokument-id", "en": "Document id"},
    "ui.col.path": {"da": "Sti", "en": "Path"},
    "ui.check_sender": {"da": "Tjek afsender", "en": "Check sender"},
    "ui.check_sender_help": {
        "da": "Markeret: afsenderen er gættet ud fra brevets første linjer. Ret den, hvis den er forkert, eller "
              "fjern markeringen for at bekræfte den, og gem.",
        "en": "Ticked: the sender was guessed from the letter's first lines. Correct it if it is wrong, or untick "
              "the box to confirm it, and save.",
    },
    "ui.check_sender_count": {
        "da": "{n} dokument(er) har en afsender, der bør tjekkes (markeret i »Tjek afsender«). Ret afsenderen, "
              "eller fjern markeringen for at bekræfte den, og klik »Gem ændringer«.",
        "en": "{n} document(s) have a sender that should be checked (ticked in “Check sender”). Correct the "
              "sender, or untick the box to confirm it, and click “Save changes”.",
    },
    "ui.technical": {"da": "Tekniske detaljer", "en": "Technical details"},
    "ui.remove_confirm": {
        "da": "Fjern »{doc}« fra indekset? Dokumentets tekst slettes fra indekset; det kan ikke fortrydes.",
        "en": "Remove “{doc}” from the index? Its text is deleted from the index; this cannot be undone.",
    },
    "ui.remove_confirm_many": {
        "da": "Fjern disse {n} dokumenter fra indekset? Deres tekst slettes fra indekset; det kan ikke fortrydes.",
        "en": "Remove these {n} documents from the index? Their text is deleted from the index; this cannot be undone.",
    },
    "ui.remove_yes": {"da": "Ja, fjern dokumentet", "en": "Yes, remove the document"},
    "ui.remove_cancel": {"da": "Annullér", "en": "Cancel"},
    "ui.choose": {"da": "Vælg", "en": "Choose"},
    "ui.embedding_model": {"da": "Embedding-model: {model}", "en": "Embedding model: {model}"},
    "ui.index_path": {"da": "Indeks: {path}", "en": "Index: {path}"},
    # sender types as words, one sender ("kommune", "MED-udvalg")
    # Streamlit's own widget texts (English in Streamlit), shown in the user's language (ui/widget_texts.py)
    "ui.widget.upload": {"da": "Vælg filer", "en": "Choose files"},
    "ui.widget.drop": {"da": "Slip filerne her", "en": "Drop the files here"},
    "ui.widget.add_files": {"da": "Tilføj filer", "en": "Add files"},
    "ui.widget.skip": {"da": "Gå til hovedindholdet", "en": "Skip to main content"},
    "ui.widget.year": {"da": "åååå", "en": "yyyy"},
    "ui.widget.choose_dates": {"da": "Vælg datointerval", "en": "Choose a date range"},
    "ui.widget.choose_date": {"da": "Vælg dato", "en": "Choose a date"},
    "ui.widget.clear_dates": {"da": "Ryd datoerne", "en": "Clear the dates"},
    "ui.widget.date_range": {"da": "Datointerval", "en": "Date range"},
    "ui.widget.quick_dates": {"da": "Hurtigvalg af datointerval", "en": "Quick select a date range"},
    "ui.widget.previous_month": {"da": "Forrige måned", "en": "Previous month"},
    "ui.widget.next_month": {"da": "Næste måned", "en": "Next month"},
    "ui.widget.calendar_keys": {
        "da": "Brug piletasterne til at vælge en dato. Enter vælger. Escape lukker.",
        "en": "Use arrow keys to navigate dates. Enter to select. Escape to close.",
    },
    "ui.widget.clear_date": {"da": "Ryd datoen", "en": "Clear the date"},
    "ui.widget.clear_all": {"da": "Ryd alle", "en": "Clear all"},
    "ui.widget.clear_value": {"da": "Ryd valget", "en": "Clear the choice"},
    "ui.widget.select_all": {"da": "Vælg alle", "en": "Select all"},
    "ui.widget.no_results": {"da": "Ingen resultater", "en": "No results"},
    "ui.widget.no_options": {"da": "Ingen valgmuligheder", "en": "No options"},
    "ui.widget.select": {"da": "Vælg …", "en": "Select …"},
    "ui.widget.choose_options": {"da": "Vælg en eller flere", "en": "Choose one or more"},
    "ui.widget.choose_option": {"da": "Vælg en", "en": "Choose one"},
    "ui.widget.running": {"da": "Arbejder …", "en": "Working …"},
    "ui.widget.stop": {"da": "Stop", "en": "Stop"},
    "ui.widget.connecting": {"da": "Forbinder …", "en": "Connecting …"},
    "ui.widget.send": {"da": "Send spørgsmålet", "en": "Send the question"},
    "ui.widget.download_csv": {"da": "Hent som CSV", "en": "Download as CSV"},
    "ui.widget.show_columns": {"da": "Vis/skjul kolonner", "en": "Show/hide columns"},
    "ui.widget.search": {"da": "Søg i tabellen", "en": "Search the table"},
    "ui.widget.type_to_search": {"da": "Skriv for at søge", "en": "Type to search"},
    "ui.widget.close_search": {"da": "Luk søgning", "en": "Close search"},
    "ui.widget.fullscreen": {"da": "Fuld skærm", "en": "Fullscreen"},
    "ui.widget.close_fullscreen": {"da": "Luk fuld skærm", "en": "Close fullscreen"},
    "ui.widget.sort_asc": {"da": "Sortér stigende", "en": "Sort ascending"},
    "ui.widget.sort_desc": {"da": "Sortér faldende", "en": "Sort descending"},
    "ui.widget.hide_column": {"da": "Skjul kolonne", "en": "Hide column"},
    "ui.widget.pin_column": {"da": "Fastgør kolonne", "en": "Pin column"},
    "ui.widget.unpin_column": {"da": "Frigør kolonne", "en": "Unpin column"},
    "ui.widget.copy_column": {"da": "Kopiér kolonnenavn", "en": "Copy column name"},
    "ui.widget.autosize": {"da": "Tilpas bredde", "en": "Autosize"},
    "ui.widget.format": {"da": "Format", "en": "Format"},
    "ui.widget.thumbs_up": {"da": "Godt svar", "en": "Good answer"},
    "ui.widget.thumbs_down": {"da": "Dårligt svar", "en": "Poor answer"},
    "ui.widget.feedback_rating": {"da": "Bedøm svaret", "en": "Rate the answer"},
    "ui.widget.chat_user": {"da": "Dit spørgsmål", "en": "Your question"},
    "ui.widget.chat_assistant": {"da": "Svar", "en": "Answer"},
    "ui.widget.copy": {"da": "Kopiér til udklipsholderen", "en": "Copy to clipboard"},
    "ui.widget.dismiss": {"da": "Luk", "en": "Close"},
    "ui.widget.expand": {"da": "Fold ud", "en": "Expand"},
    "ui.widget.app_pages": {"da": "Sider", "en": "App pages"},
    "ui.widget.sidebar": {"da": "Sidepanel", "en": "Sidebar"},
    "ui.widget.collapse_sidebar": {"da": "Skjul sidepanelet", "en": "Collapse sidebar"},
    "ui.widget.expand_sidebar": {"da": "Vis sidepanelet", "en": "Expand sidebar"},
    "ui.widget.heading_link": {"da": "Link til overskriften", "en": "Link to heading"},
    "ui.widget.open": {"da": "Åbn", "en": "Open"},
    "ui.widget.file_upload": {"da": "filindlæsning", "en": "file upload"},
    "ui.widget.year_of": {"da": "år", "en": "year"},
    "ui.widget.month_of": {"da": "måned", "en": "month"},
    "ui.widget.day_of": {"da": "dag", "en": "day"},
    "ui.widget.start_date": {"da": "startdato", "en": "start date"},
    "ui.widget.remove_file": {"da": "Fjern", "en": "Remove"},
    "ui.widget.end_date": {"da": "slutdato", "en": "end date"},
    "ui.widget.options_available": {"da": "valgmuligheder.", "en": "options available."},
    "ui.widget.option_available": {"da": "valgmulighed.", "en": "option available."},
    "ui.widget.selected": {"da": "valgt", "en": "selected"},
    "ui.widget.collapse": {"da": "Fold sammen", "en": "Collapse"},
    # --- end h14-shell ---------------------------------------------------------------------------------------------
    # --- issue 16, the app up at once: the sample letters ingested in the background (ui/resources.py, app.py) ---
    "ui.loading_sample": {
        "da": "Indlæser eksempelbrevene … {done} af {total}",
        "en": "Loading the sample letters … {done} of {total}",
    },
    "ui.loading_sample_wait": {
        "da": "Du kan stille spørgsmål, så snart det første brev er indlæst.",
        "en": "You can ask questions as soon as the first letter is loaded.",
    },
    # an answer made while the sample letters load (issue 21): from the letters in so far
    "ui.answer_while_loading": {
        "da": "Eksempelbrevene indlæses stadig: svaret bygger på {done} af {total} breve.",
        "en": "The sample letters are still loading: this answer is based on {done} of {total} letters.",
    },
    # --- end of issue 16 ---
    # the example questions of an empty conversation, in order
    "ui.example.1": {"da": "Hvad siger kommunerne om ventelister?", "en": "What do the municipalities say about waiting lists?"},
    "ui.example.2": {"da": "Hvem nævner rekruttering og fastholdelse af personale?", "en": "Who mentions recruiting and retaining staff?"},
    "ui.example.3": {"da": "Hvad mener Roskilde om besparelserne?", "en": "What does Roskilde think about the savings?"},
    # --- h14-chat: the chat page (progress, sources, who-says-what table) ---
    "ui.stage_search": {"da": "Søger i høringssvarene …", "en": "Searching the responses …"},
    "ui.stage_quotes": {"da": "Vælger citater …", "en": "Choosing quotes …"},
    "ui.stage_write": {"da": "Skriver svaret …", "en": "Writing the answer …"},
    "ui.stage_verdicts": {"da": "Læser alle høringssvar i afgrænsningen …", "en": "Reading every response in scope …"},
    "ui.stage_progress": {"da": "Læst {done} af {total} høringssvar …", "en": "Read {done} of {total} responses …"},
    "ui.stage_done": {"da": "Svaret er klar.", "en": "The answer is ready."},
    "ui.tech_details": {"da": "Tekniske detaljer", "en": "Technical details"},
    "ui.source_file": {"da": "Fil", "en": "File"},
    "ui.source_type": {"da": "Afsendertype", "en": "Sender type"},
    "ui.source_hearing": {"da": "Høring", "en": "Hearing"},
    "ui.source_date": {"da": "Dato", "en": "Date"},
    "ui.cite_open": {"da": "Åbn kilde:", "en": "Open source:"},
    "ui.table_hint": {
        "da": "Sortér ved at klikke på en kolonneoverskrift. Vælg en række for at åbne dens kilde nedenfor.",
        "en": "Sort by clicking a column header. Select a row to open its source below.",
    },
    # under a who-says-what table with uncertain verdicts (retrieval/verdict.py); {word}: the table's own cell word
    "ui.table_uncertain_hint": {
        "da": "»{word}«: brevet kunne ikke afgøres sikkert. Citatet er dets bedste sætning om emnet – læs det, og "
              "afgør selv.",
        "en": "“{word}”: the letter could not be decided with confidence. The quote is its best sentence on the "
              "topic – read it and decide.",
    },
    "ui.table_xlsx": {"da": "Hent tabellen (Excel)", "en": "Download the table (Excel)"},
    "ui.table_csv": {"da": "Hent tabellen (CSV)", "en": "Download the table (CSV)"},
    "ui.nearest_note": {
        "da": "Uddragene ligner spørgsmålet, men besvarer det ikke. Der er derfor intet svar at hente.",
        "en": "These passages resemble the question but do not answer it, so there is no answer to download.",
    },
    # --- end h14-chat ---
    # --- h24-app: the hearing chooser (every page) and the page "Høringen" (ui/casefile_page.py) -----------------
    "ui.hearing_option": {"da": "{hearing} ({n} svar)", "en": "{hearing} ({n} responses)"},
    "ui.casefile_page": {"da": "Høringen", "en": "The consultation"},
    "ui.casefile_intro": {
        "da": "Høringens sagsmappe: hvem høringen blev sendt til, hvem der har svaret, hvem der ikke har bemærkninger, "
              "kampagnebreve og de temaer, du fastlægger. Høringsnotatet for høringen laves nederst på siden.",
        "en": "The consultation's case file: who it was sent to, who answered, who has no remarks, campaign letters "
              "and the themes you set. The consultation report is made at the bottom of the page.",
    },
    "ui.cf.no_hearings": {
        "da": "Indekset har ingen høringssvar endnu. Indlæs svar på siden »Spørg høringssvarene«.",
        "en": "The index holds no responses yet. Ingest responses on the page “Ask the responses”.",
    },
    "ui.cf.received": {"da": "Modtaget", "en": "Received"},
    "ui.cf.with_content": {"da": "Med bemærkninger", "en": "With remarks"},
    "ui.cf.no_remarks": {"da": "Ingen bemærkninger", "en": "No remarks"},
    "ui.cf.campaigns": {"da": "Kampagner", "en": "Campaigns"},
    "ui.cf.invited": {"da": "Inviterede parter", "en": "Invited parties"},
    "ui.cf.answered": {"da": "Har svaret", "en": "Answered"},
    "ui.cf.not_answered": {"da": "Ikke svaret", "en": "Not answered"},
    "ui.cf.uninvited": {"da": "Ikke på listen", "en": "Not on the list"},
    "ui.cf.uncertain": {"da": "Skal bekræftes", "en": "To confirm"},
    "ui.cf.list_heading": {"da": "Høringsliste", "en": "List of invited parties"},
    "ui.cf.list_import": {"da": "Indlæs høringsliste", "en": "Import the list of invited parties"},
    "ui.cf.list_help": {
        "da": "Et regneark (XLSX) eller en CSV-fil med en kolonne med navne – eller indsæt navnene, ét pr. linje. "
              "En ny liste erstatter den gamle.",
        "en": "A spreadsheet (XLSX) or a CSV file with a column of names – or paste the names, one a line. "
              "A new list replaces the old one.",
    },
    "ui.cf.list_file": {"da": "Fil med høringslisten (XLSX eller CSV)", "en": "File with the list (XLSX or CSV)"},
    "ui.cf.list_text": {"da": "Eller indsæt navne, ét pr. linje", "en": "Or paste names, one a line"},
    "ui.cf.list_go": {"da": "Indlæs listen", "en": "Import the list"},
    "ui.cf.list_nothing": {"da": "Vælg en fil eller indsæt navne først.", "en": "Choose a file or paste names first."},
    "ui.cf.list_done": {"da": "Høringsliste indlæst: {n} parter.", "en": "List imported: {n} parties."},
    "ui.cf.list_failed": {"da": "Der kunne ikke læses nogen parter; den gamle liste er bevaret.",
                          "en": "No party could be read; the old list is kept."},
    "ui.cf.list_problems": {"da": "Rækker, der ikke blev til en part:", "en": "Rows that gave no party:"},
    "ui.cf.col.row": {"da": "Række", "en": "Row"},
    "ui.cf.col.problem": {"da": "Problem", "en": "Problem"},
    "ui.cf.parties_heading": {"da": "Parter på høringslisten", "en": "Parties on the list"},
    "ui.cf.col.party": {"da": "Part", "en": "Party"},
    "ui.cf.col.letters": {"da": "Svar fra", "en": "Response from"},
    "ui.cf.letters_heading": {"da": "Modtagne svar", "en": "Responses received"},
    "ui.cf.uncertain_heading": {"da": "Bekræft usikre match", "en": "Confirm uncertain matches"},
    "ui.cf.uncertain_intro": {
        "da": "Afsenderen ligner en part på høringslisten, men ikke sikkert nok. Vælg den rigtige part – eller "
              "»ingen part« – og bekræft. Kun det svar, du bekræfter, bliver gemt.",
        "en": "The sender resembles a party on the list, but not surely enough. Choose the right party – or "
              "“no party” – and confirm. Only the response you confirm is saved.",
    },
    "ui.cf.uncertain_line": {"da": "**{sender}** ligner **{party}** ({reason}, {score} %)",
                             "en": "**{sender}** resembles **{party}** ({reason}, {score} %)"},
    "ui.cf.match_pick": {"da": "Part for svaret fra {sender}", "en": "Party of the response from {sender}"},
    "ui.cf.no_party": {"da": "Ingen part (ikke på høringslisten)", "en": "No party (not on the list)"},
    "ui.cf.confirm": {"da": "Bekræft", "en": "Confirm"},
    "ui.cf.linked": {"da": "Svaret fra »{sender}« er knyttet til »{party}«.",
                     "en": "The response from “{sender}” is tied to “{party}”."},
    "ui.cf.adjust_heading": {"da": "Ret et svars part", "en": "Correct a response's party"},
    "ui.cf.reset": {"da": "Lad reglerne afgøre", "en": "Let the rules decide"},
    "ui.cf.unlinked": {"da": "Svaret fra »{sender}«: reglerne afgør igen.",
                       "en": "The response from “{sender}”: the rules decide again."},
    "ui.cf.no_remarks_line": {"da": "**{sender}** ({date}): »{sentence}«", "en": "**{sender}** ({date}): “{sentence}”"},
    "ui.cf.no_campaigns": {"da": "Ingen kampagner eller enslydende breve.", "en": "No campaigns or identical letters."},
    "ui.cf.campaign_member": {"da": "**{sender}**: »{text}«", "en": "**{sender}**: “{text}”"},
    "ui.cf.themes_heading": {"da": "Høringens temaer", "en": "The consultation's themes"},
    "ui.cf.themes_suggested": {
        "da": "Forslag til temaer, fundet i svarene. Bekræft dem, som de er – eller ret, tilføj og slet i tabellen og gem.",
        "en": "Suggested themes, found in the responses. Confirm them as they are – or rename, add and remove in the "
              "table and save.",
    },
    "ui.cf.themes_confirmed": {
        "da": "Temaerne er fastlagt. Hvert svar med bemærkninger er placeret på hvert tema; et nyt svar placeres på dem.",
        "en": "The themes are set. Every response with remarks is placed on every theme; a new response is placed on them.",
    },
    "ui.cf.themes_none": {
        "da": "Ingen forslag (ingen svar med bemærkninger). Skriv temaerne i tabellen.",
        "en": "No suggestions (no response with remarks). Write the themes in the table.",
    },
    "ui.cf.themes_confirm_as_is": {"da": "Bekræft de foreslåede temaer", "en": "Confirm the suggested themes"},
    "ui.cf.themes_editor_help": {
        "da": "Omdøb et tema i cellen, tilføj et i den nederste række, slet et ved at markere rækken. Rækkefølgen "
              "følger »Nr.«.",
        "en": "Rename a theme in its cell, add one in the bottom row, remove one by selecting its row. The order "
              "follows “No.”.",
    },
    "ui.cf.col.position": {"da": "Nr.", "en": "No."},
    "ui.cf.col.label": {"da": "Tema", "en": "Theme"},
    "ui.cf.col.description": {"da": "Beskrivelse (valgfri)", "en": "Description (optional)"},
    "ui.cf.themes_save": {"da": "Gem temaer", "en": "Save themes"},
    "ui.cf.themes_saved": {"da": "{n} temaer gemt for høringen.", "en": "{n} themes saved for the consultation."},
    "ui.cf.themes_empty": {"da": "Skriv mindst ét tema.", "en": "Write at least one theme."},
    "ui.cf.themes_working": {"da": "Placerer svarene på temaerne …", "en": "Placing the responses on the themes …"},
    "ui.cf.matrix_heading": {"da": "Svar × temaer", "en": "Responses × themes"},
    "ui.cf.matrix_legend": {
        "da": "✓ nævner · ? usikker – bør læses · – nævner ikke. Holdningen står efter mærket; citaterne under tabellen.",
        "en": "✓ mentions · ? uncertain – should be read · – does not mention. The stance follows the mark; the "
              "quotes are below the table.",
    },
    "ui.cf.quotes": {"da": "Citater: {label} ({n})", "en": "Quotes: {label} ({n})"},
    "ui.cf.quote_line": {"da": "**{sender}** ({verdict}, {stance}): »{quote}«",
                         "en": "**{sender}** ({verdict}, {stance}): “{quote}”"},
    "ui.cf.quote_page": {"da": "side {page}", "en": "page {page}"},
    "ui.cf.notat_heading": {"da": "Høringsnotat for høringen", "en": "Report of the consultation"},
    "ui.cf.notat_intro": {
        "da": "Forside med høringen og tallene ovenfor, modtagne svar, ingen bemærkninger, ikke modtaget, kampagner "
              "og hvert tema med hvem der siger hvad.",
        "en": "A title page with the consultation and the counts above, responses received, no remarks, not "
              "received, campaigns, and each theme with who says what.",
    },
    "ui.cf.notat_working": {"da": "Laver høringsnotatet …", "en": "Building the report …"},
    # --- end h24-app ---
    # --- h25-queue: the review page (ui/review_page.py) ---
    "ui.review.page": {"da": "Gennemgang", "en": "Review"},
    "ui.review.intro": {
        "da": "Det maskinen har afgjort om høringens svar, som en sagsbehandler bør se på først: usikre vurderinger, "
              "afsendere der skal tjekkes, usikre parter og kampagner. Godkend, ret eller markér til opfølgning.",
        "en": "What the machine decided about the consultation's responses that a case officer should look at first: "
              "uncertain verdicts, senders to check, uncertain parties and campaigns. Accept, change or flag for "
              "follow-up.",
    },
    "ui.review.working": {"da": "Gør gennemgangen klar …", "en": "Preparing the review …"},
    "ui.review.progress": {"da": "{reviewed} af {total} gennemgået", "en": "{reviewed} of {total} reviewed"},
    "ui.review.as": {"da": "Du gennemgår som {name}.", "en": "You review as {name}."},
    "ui.review.reader": {"da": "Du er logget ind som {name} med rollen læser og kan ikke ændre noget.",
                         "en": "You are signed in as {name} with the role reader and cannot change anything."},
    "ui.review.no_themes": {
        "da": "Temaerne er ikke bekræftet endnu: vurderingerne af svarene på temaerne kommer med, når de er "
              "bekræftet på siden Høringen.",
        "en": "The themes are not confirmed yet: the verdicts on the themes join the review once they are "
              "confirmed on the page The consultation.",
    },
    "ui.review.show_all": {"da": "Vis alle (også gennemgåede)", "en": "Show all (reviewed too)"},
    "ui.review.filter_kind": {"da": "Slags", "en": "Kind"},
    "ui.review.kind.all": {"da": "Alle slags", "en": "All kinds"},
    "ui.review.kind.verdict": {"da": "Vurderinger", "en": "Verdicts"},
    "ui.review.kind.sender": {"da": "Afsendere", "en": "Senders"},
    "ui.review.kind.party": {"da": "Parter", "en": "Parties"},
    "ui.review.kind.campaign": {"da": "Kampagner", "en": "Campaigns"},
    "ui.review.filter_state": {"da": "Tilstand", "en": "State"},
    "ui.review.state.all": {"da": "Alle tilstande", "en": "All states"},
    "ui.review.state.unreviewed": {"da": "Ikke gennemgået", "en": "Not reviewed"},
    "ui.review.state.reviewed": {"da": "Gennemgået", "en": "Reviewed"},
    "ui.review.state.flagged": {"da": "Markeret til opfølgning", "en": "Flagged for follow-up"},
    "ui.review.reason.uncertain_verdict": {"da": "Usikker vurdering", "en": "Uncertain verdict"},
    "ui.review.reason.check_sender": {"da": "Tjek afsender", "en": "Check sender"},
    "ui.review.reason.uncertain_party": {"da": "Usikker part", "en": "Uncertain party"},
    "ui.review.reason.unlisted": {"da": "Ikke på høringslisten", "en": "Not on the list"},
    "ui.review.reason.campaign": {"da": "Kampagne", "en": "Campaign"},
    "ui.review.reason.flagged": {"da": "Markeret til opfølgning", "en": "Flagged for follow-up"},
    "ui.review.done": {"da": "Alt er gennemgået.", "en": "Everything is reviewed."},
    "ui.review.nothing": {"da": "Der er intet at gennemgå i høringen endnu.",
                          "en": "There is nothing to review in the consultation yet."},
    "ui.review.no_match": {"da": "Ingen punkter med de valgte filtre.", "en": "No items with the chosen filters."},
    "ui.review.page_no": {"da": "Side", "en": "Page"},
    "ui.review.page_of": {"da": "{page} af {pages}", "en": "{page} of {pages}"},
    "ui.review.showing": {"da": "Viser {first}–{last} af {n}.", "en": "Showing {first}–{last} of {n}."},
    "ui.review.line": {"da": "**{reason}** · {sender} · {what}", "en": "**{reason}** · {sender} · {what}"},
    "ui.review.theme": {"da": "tema: {label}", "en": "theme: {label}"},
    "ui.review.party": {"da": "part: {party}", "en": "party: {party}"},
    "ui.review.campaign": {"da": "kampagne {template}", "en": "campaign {template}"},
    "ui.review.campaign_size": {"da": "{n} enslydende svar", "en": "{n} identical responses"},
    "ui.review.field": {"da": "felt: {field}", "en": "field: {field}"},
    "ui.review.quote": {"da": "»{sentence}«", "en": "“{sentence}”"},
    "ui.review.no_quote": {"da": "Ingen sætning fundet om temaet.", "en": "No sentence on the theme found."},
    "ui.review.party_reason": {"da": "Match på høringslisten: {match} ({reason}).",
                               "en": "Match on the list: {match} ({reason})."},
    "ui.review.sender_reason": {"da": "Afsenderen er gættet ud fra svage spor i svaret.",
                                "en": "The sender was guessed from weak evidence in the response."},
    "ui.review.by": {"da": " af {name}", "en": " by {name}"},
    "ui.review.machine_value": {"da": "maskinens svar: {value}", "en": "the machine's answer: {value}"},
    "ui.review.person_value": {"da": "rettet til: {value}", "en": "changed to: {value}"},
    "ui.review.machine_changed": {"da": "maskinens svar er ændret siden", "en": "the machine's answer has changed since"},
    "ui.review.accept": {"da": "Godkend", "en": "Accept"},
    "ui.review.flag": {"da": "Markér til opfølgning", "en": "Flag for follow-up"},
    "ui.review.change": {"da": "Ret", "en": "Change"},
    "ui.review.choose": {"da": "Vælg …", "en": "Choose …"},
    "ui.review.change_verdict": {"da": "Vurdering af svaret fra {sender}", "en": "Verdict on the response from {sender}"},
    "ui.review.change_party": {"da": "Part for svaret fra {sender}", "en": "Party of the response from {sender}"},
    "ui.review.change_sender": {"da": "Afsender", "en": "Sender"},
    "ui.review.choose_first": {"da": "Vælg eller skriv en værdi først.", "en": "Choose or write a value first."},
    "ui.review.accepted": {"da": "Godkendt: svaret fra »{sender}«.", "en": "Accepted: the response from “{sender}”."},
    "ui.review.flagged": {"da": "Markeret til opfølgning: svaret fra »{sender}«.",
                          "en": "Flagged for follow-up: the response from “{sender}”."},
    "ui.review.changed": {"da": "Rettet: svaret fra »{sender}« → {value}.",
                          "en": "Changed: the response from “{sender}” → {value}."},
    "ui.review.gone": {"da": "Punktet findes ikke længere (svaret eller parten er fjernet); intet er gemt.",
                       "en": "The item no longer exists (the response or the party was removed); nothing was saved."},
    # --- end h25-queue ---
}
