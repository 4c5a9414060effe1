"""Texts of the exports: the høringsnotat (DOCX/XLSX, written in Danish) and an answer as Markdown/Word."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    # the høringsnotat
    "notat.title": {"da": "Høringsnotat", "en": "Consultation report"},
    "notat.title_hearing": {"da": "Høringsnotat: {hearing}", "en": "Consultation report: {hearing}"},
    "notat.intro": {
        "da": "{n} høringssvar. Resuméer er uddrag af svarene; Vurdering udfyldes af sagsbehandleren.",
        "en": "{n} responses. Summaries are excerpts of the responses; Assessment is filled in by the case officer.",
    },
    "notat.column.date": {"da": "Dato modtaget", "en": "Date received"},
    "notat.column.sender": {"da": "Afsender", "en": "Sender"},
    "notat.column.role": {"da": "Udtaler sig som", "en": "Speaks as"},
    "notat.column.summary": {"da": "Resumé", "en": "Summary"},
    "notat.column.assessment": {"da": "Vurdering", "en": "Assessment"},
    "notat.column.theme": {"da": "Tema", "en": "Theme"},
    "notat.column.statements": {"da": "Antal udsagn", "en": "Statements"},
    "notat.column.quote": {"da": "Citat", "en": "Quote"},
    "notat.column.source": {"da": "Kilde", "en": "Source"},
    "notat.column.page": {"da": "Side", "en": "Page"},
    "notat.responses_sheet": {"da": "Høringssvar", "en": "Responses"},
    "notat.themes": {"da": "Temaer", "en": "Themes"},
    "notat.theme_heading": {"da": "{label} ({n} afsendere)", "en": "{label} ({n} senders)"},
    "notat.theme_sender": {"da": " ({role}, {count} udsagn): ", "en": " ({role}, {count} statements): "},
    "notat.quote_place": {"da": " (side {page})", "en": " (page {page})"},
    "notat.no_date": {"da": "ikke angivet", "en": "not given"},
    # an answer exported as Markdown or Word (export/answer.py)
    "answer_export.title": {"da": "Svar fra Høringsassistent", "en": "Answer from Høringsassistent"},
    "answer_export.question": {"da": "Spørgsmål", "en": "Question"},
    "answer_export.answer": {"da": "Svar", "en": "Answer"},
    "answer_export.sources": {"da": "Kilder", "en": "Sources"},
    "answer_export.page": {"da": "side", "en": "page"},
    "answer_export.filters": {"da": "Filtre", "en": "Filters"},
    "answer_export.made": {"da": "Udarbejdet", "en": "Made"},
    "answer_export.none": {"da": "ingen", "en": "none"},
}
