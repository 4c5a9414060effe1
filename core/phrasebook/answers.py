"""Texts of answers (they follow the question's language): fixed phrases, the scope line, who-says-what."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "answer.intro": {"da": "Det skriver høringssvarene:", "en": "The consultation responses say (quoted in Danish):"},
    "answer.says": {"da": "skriver", "en": "writes"},
    "answer.not_found": {
        "da": "Høringssvarene nævner ikke det, du spørger om",
        "en": "The responses do not mention what you are asking about",
    },
    # a sender as an answer names one document: when another letter has the same sender name, with the letter's
    # file name ("Norddjurs Kommune (brev: svar.eml)"); a sender the ingest could not confirm is marked as such
    "answer.sender_note": {"da": "{sender} ({notes})", "en": "{sender} ({notes})"},
    "answer.sender_letter": {"da": "brev: {name}", "en": "letter: {name}"},
    "answer.sender_letter_n": {"da": "brev {n}", "en": "letter {n}"},
    "answer.sender_unverified": {"da": "afsender ikke bekræftet", "en": "sender not verified"},
    "answer.in_scope": {"da": " (inden for den valgte afgrænsning)", "en": " (within the selected scope)"},
    # the letters in scope hold none that raises the topic: their number, the scope and the topic as the question
    # words it ("Ingen af de 2 høringssvar fra Aarhus Kommune nævner et nyt fodboldstadion.")
    "answer.none_mention": {
        "da": "Ingen af de {n} høringssvar{scope} nævner {topic}.",
        "en": "None of the {n} responses{scope} mention {topic}.",
    },
    "answer.none_mention_one": {
        "da": "Det eneste høringssvar{scope} nævner ikke {topic}.",
        "en": "The only response{scope} does not mention {topic}.",
    },
    "answer.none_clearly": {
        "da": "Ingen af de {n} høringssvar{scope} nævner tydeligt {topic}; {k} af dem kan gøre det og bør læses af en person (nærmeste uddrag nedenfor).",
        "en": "None of the {n} responses{scope} clearly mention {topic}; {k} of them may do so and should be read by a person (nearest passages below).",
    },
    "answer.none_clearly_one": {
        "da": "Ingen af de {n} høringssvar{scope} nævner tydeligt {topic}; ét af dem kan gøre det og bør læses af en person (nærmeste uddrag nedenfor).",
        "en": "None of the {n} responses{scope} clearly mention {topic}; one of them may do so and should be read by a person (nearest passages below).",
    },
    "answer.asked_about": {"da": "det, du spørger om", "en": "what you are asking about"},  # no topic read
    # the scope in that sentence, one filter after another (a sender names the letters; its type and municipality
    # would only repeat it)
    "answer.scope_sender": {"da": " fra {value}", "en": " from {value}"},
    "answer.scope_sender_type": {"da": " fra {value}", "en": " from {value}"},  # " fra kommuner"
    "answer.scope_municipality": {"da": " fra {value}", "en": " from {value}"},
    "answer.scope_municipality_in": {"da": " i {value}", "en": " in {value}"},  # after a sender type
    "answer.scope_hearing": {"da": " til høringen {value}", "en": " to the consultation {value}"},
    "answer.scope_date_from": {"da": " dateret fra {value}", "en": " dated from {value}"},
    "answer.scope_date_to": {"da": " dateret til og med {value}", "en": " dated up to {value}"},
    "answer.scope_dates": {"da": " dateret {start}–{end}", "en": " dated {start}–{end}"},
    "answer.nearest": {
        "da": "Nærmeste uddrag (besvarer ikke spørgsmålet direkte):",
        "en": "Nearest passages (they do not answer the question directly):",
    },
    "answer.scope": {"da": "Afgrænset til", "en": "Limited to"},
    "answer.inferred": {"da": "udledt af spørgsmålet – kan fjernes", "en": "inferred from the question – can be removed"},
    "answer.empty_index": {
        "da": "Indekset er tomt: indlæs høringssvar først.",
        "en": "The index is empty: ingest consultation responses first.",
    },
    # the model's references that could not be verified (answering.texts.unverified_note): under its answer, whose
    # text marks each "[?]", and the app's caption beside whichever answer stands
    "answer.unverified": {
        "da": "({n} henvisning(er) kunne ikke verificeres i høringssvarene og er markeret [?].)",
        "en": "({n} reference(s) could not be verified in the responses and are marked [?].)",
    },
    "answer.unverified_caption": {
        "da": "{n} henvisning(er) fra sprogmodellen kunne ikke verificeres og vises ikke som kilder.",
        "en": "{n} reference(s) from the language model could not be verified and are not shown as sources.",
    },
    # one filter of the scope line: "afsendertype = kommuner"
    "answer.scope_part": {"da": "{field} = {value}", "en": "{field} = {value}"},
    # the filter fields as an answer names them
    "field.sender": {"da": "afsender", "en": "sender"},
    "field.sender_type": {"da": "afsendertype", "en": "sender type"},
    "field.municipality": {"da": "kommune", "en": "municipality"},
    "field.hearing": {"da": "høring", "en": "hearing"},
    "field.date_from": {"da": "fra dato", "en": "from date"},
    "field.date_to": {"da": "til dato", "en": "to date"},
    "theme.untitled": {"da": "Tema", "en": "Theme"},  # a theme without keywords (answering/themes.py)
    # how a confirmed theme is put to the relevance judge (answering/placement.py; "who" is the measured default)
    "theme.question_who": {"da": "Hvem nævner {topic}?", "en": "Who mentions {topic}?"},
    "theme.question_frame": {"da": "Hvad siger høringssvarene om {topic}?", "en": "What do the responses say about {topic}?"},
    # who says what (answering/coverage_answer.py)
    "coverage.of": {"da": "af", "en": "of"},
    "coverage.mention": {"da": "nævner", "en": "mention"},
    "coverage.mention_one": {"da": "nævner", "en": "mentions"},
    "coverage.not": {"da": "nævner det ikke", "en": "does not mention it"},
    "coverage.not_plural": {"da": "nævner det ikke", "en": "do not mention it"},
    "coverage.responses": {"da": "høringssvar", "en": "responses"},
    "coverage.topic": {"da": "emnet", "en": "the topic"},
    "coverage.and": {"da": "og", "en": "and"},
    "coverage.none": {"da": "Ingen af dem nævner {topic}.", "en": "None of them mentions {topic}."},
    # letters that only say they have no remarks (retrieval/no_remarks.py): not silence on the topic
    "coverage.no_remarks_one": {"da": "{letters} har ingen bemærkninger til høringen.",
                                "en": "{letters} has no remarks on the consultation."},
    "coverage.no_remarks": {"da": "{letters} har ingen bemærkninger til høringen.",
                            "en": "{letters} have no remarks on the consultation."},
    # letters that mention it and share a template (ingest/campaigns.py): counted both ways
    "coverage.campaigns": {
        "da": "Heraf er {letters} enslydende breve fra {campaigns} kampagne(r); talt som ét svar pr. kampagne er det {distinct}.",
        "en": "Of these, {letters} are identical letters from {campaigns} campaign(s); counting each campaign once, that is {distinct}.",
    },
    # three-state verdicts (retrieval/verdict.py): "2 af 5 kommuner nævner ventelister · 1 usikker.", then a line
    # per state: "Nævner det: …" and "Usikkert: Norddjurs Kommune (»…« [3])."
    "coverage.uncertain_count": {"da": "{n} usikker", "en": "{n} uncertain"},
    "coverage.uncertain_count_plural": {"da": "{n} usikre", "en": "{n} uncertain"},
    "coverage.mentioning_line": {"da": "Nævner det: {letters}.", "en": "Mentioning it: {letters}."},
    "coverage.uncertain_line": {"da": "Usikkert: {letters}.", "en": "Uncertain: {letters}."},
    # who says what when the filters leave no letter: the filters, and how to widen them
    "coverage.no_match": {
        "da": "Ingen høringssvar matcher afgrænsningen: {scope}. Fjern et af filtrene eller vælg en bredere værdi "
              "(fx et længere datointerval) for at se flere høringssvar.",
        "en": "No responses match the scope: {scope}. Remove one of the filters or choose a wider value "
              "(e.g. a longer date range) to see more responses.",
    },
    # --- h14-chat: one language per answer (sender types as words, pages, source headers, the table) ---
    "answer.page": {"da": "side {page}", "en": "page {page}"},  # "Norddjurs Kommune (side 1)"
    # who says what as a table (export/coverage_table.py): column headers and cells
    "coverage_table.sender": {"da": "Afsender", "en": "Sender"},
    "coverage_table.type": {"da": "Type", "en": "Type"},
    "coverage_table.mentions": {"da": "Nævner emnet?", "en": "Mentions the topic?"},
    "coverage_table.quote": {"da": "Citat", "en": "Quote"},
    "coverage_table.page": {"da": "Side", "en": "Page"},
    "coverage_table.source": {"da": "Kilde", "en": "Source"},
    "coverage_table.yes": {"da": "ja", "en": "yes"},
    "coverage_table.no": {"da": "nej", "en": "no"},
    "coverage_table.uncertain": {"da": "usikker", "en": "uncertain"},  # the judge decided neither: read the quote
    "coverage_table.sheet": {"da": "Hvem siger hvad", "en": "Who says what"},
    # one answer exported (export/answer.py): a file named by its own name, "Filtre: …" in words
    "answer_export.file": {"da": "fil: {name}", "en": "file: {name}"},
    "answer_export.ocr": {"da": "tekst fra OCR", "en": "text from OCR"},
    # an LLM's stance on the topic (answering/llm_tasks.STANCES), in the answer's language
    "stance.støtter": {"da": "støtter", "en": "supports"},
    "stance.bekymret": {"da": "bekymret", "en": "concerned"},
    "stance.forslag": {"da": "forslag", "en": "proposal"},
    "stance.neutral": {"da": "neutral", "en": "neutral"},
    # --- end h14-chat ---
}
