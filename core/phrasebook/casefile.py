"""Texts of a hearing's case file (answering/casefile.py): outcomes, party statuses, match reasons, stance, the
per-hearing høringsnotat's sections, and the CLI's `hoering hearing` commands."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "casefile.no_hearing": {"da": "Uden høring", "en": "No hearing"},
    "casefile.all_hearings": {"da": "Alle høringer", "en": "All hearings"},
    # a letter's outcome
    "casefile.outcome.response": {"da": "Høringssvar", "en": "Response"},
    "casefile.outcome.no_remarks": {"da": "Ingen bemærkninger", "en": "No remarks"},
    # a listed party's outcome
    "casefile.party.answered": {"da": "Har svaret", "en": "Answered"},
    "casefile.party.no_remarks": {"da": "Ingen bemærkninger", "en": "No remarks"},
    "casefile.party.uncertain": {"da": "Svar skal bekræftes", "en": "Answer to be confirmed"},
    "casefile.party.not_received": {"da": "Ikke modtaget", "en": "Not received"},
    # a letter's match on the høringsliste (retrieval/parties.py)
    "casefile.match.sure": {"da": "sikker", "en": "sure"},
    "casefile.match.uncertain": {"da": "usikker – bekræft", "en": "uncertain – confirm"},
    "casefile.match.unlisted": {"da": "ikke på høringslisten", "en": "not on the list"},
    "casefile.reason.same_name": {"da": "samme navn", "en": "same name"},
    "casefile.reason.fuzzy": {"da": "næsten samme navn", "en": "nearly the same name"},
    "casefile.reason.acronym": {"da": "forkortelse", "en": "abbreviation"},
    "casefile.reason.ambiguous": {"da": "flere parter ligner", "en": "several parties are alike"},
    "casefile.reason.contested": {"da": "et andet svar passer bedre", "en": "another letter fits it better"},
    "casefile.reason.below_sure": {"da": "ligner, men ikke sikkert", "en": "alike, but not surely"},
    "casefile.reason.type_differs": {"da": "forskellig slags afsender", "en": "a different kind of sender"},
    "casefile.reason.only_kind": {"da": "kun samme slags udvalg", "en": "only the same kind of committee"},
    "casefile.reason.same_kind": {"da": "samme slags udvalg", "en": "the same kind of committee"},
    "casefile.reason.place_differs": {"da": "forskelligt sted", "en": "a different place"},
    "casefile.reason.kind_differs": {"da": "forskellig slags udvalg", "en": "a different kind of committee"},
    "casefile.reason.not_listed": {"da": "ingen part ligner", "en": "no party is alike"},
    "casefile.reason.confirmed": {"da": "bekræftet af sagsbehandler", "en": "confirmed by the case officer"},
    # a letter's stance (retrieval/stance.py)
    "casefile.stance.for": {"da": "Støtter", "en": "Supports"},
    "casefile.stance.imod": {"da": "Imod", "en": "Against"},
    "casefile.stance.uklar": {"da": "Uklar", "en": "Unclear"},
    # a letter on a theme
    "casefile.verdict.mentions": {"da": "Nævner", "en": "Mentions"},
    "casefile.verdict.uncertain": {"da": "Usikker", "en": "Uncertain"},
    "casefile.verdict.not_mentioned": {"da": "Nævner ikke", "en": "Does not mention"},
    # problems of an imported høringsliste (ingest/hearing_list.py)
    "casefile.problem.unreadable": {"da": "filen kunne ikke læses", "en": "the file could not be read"},
    "casefile.problem.no_name_column": {"da": "ingen kolonne med navne", "en": "no column of names"},
    "casefile.problem.empty": {"da": "tom række", "en": "empty row"},
    "casefile.problem.formula": {"da": "en formel, ikke et navn", "en": "a formula, not a name"},
    "casefile.problem.too_long": {"da": "navnet er for langt", "en": "the name is too long"},
    "casefile.problem.duplicate": {"da": "gentager række {detail}", "en": "repeats row {detail}"},
    "casefile.problem.too_many": {"da": "for mange rækker", "en": "too many rows"},
    # the høringsnotat of one hearing (export/hearing_notat.py)
    "hnotat.period": {"da": "Høringsperiode: {sent} – {deadline}", "en": "Consultation period: {sent} – {deadline}"},
    "hnotat.received_span": {"da": "Svar dateret {first} – {last}", "en": "Responses dated {first} – {last}"},
    "hnotat.counts": {
        "da": "Der er modtaget {received} høringssvar: {with_content} med bemærkninger og {no_remarks} uden bemærkninger.",
        "en": "{received} responses were received: {with_content} with remarks and {no_remarks} without remarks.",
    },
    "hnotat.counts_list": {
        "da": "Høringen blev sendt til {invited} parter; {answered} har svaret ({invited_no_remarks} uden bemærkninger), "
              "{not_answered} har ikke svaret, og {uninvited} svar kom fra afsendere, der ikke var på høringslisten.",
        "en": "The consultation was sent to {invited} parties; {answered} answered ({invited_no_remarks} without remarks), "
              "{not_answered} did not answer, and {uninvited} responses came from senders not on the list.",
    },
    "hnotat.counts_uncertain": {
        "da": "{n} svar er foreløbigt knyttet til en part på høringslisten og skal bekræftes.",
        "en": "{n} responses are provisionally tied to a listed party and must be confirmed.",
    },
    "hnotat.counts_campaigns": {
        "da": "{letters} svar er enslydende breve i {campaigns} kampagne(r); talt som ét svar pr. kampagne er der {distinct} forskellige svar.",
        "en": "{letters} responses are identical letters in {campaigns} campaign(s); counting each campaign once there are {distinct} distinct responses.",
    },
    "hnotat.no_list": {
        "da": "Der er ikke indlæst en høringsliste for høringen.",
        "en": "No list of invited parties has been imported for this consultation.",
    },
    "hnotat.section.received": {"da": "Modtagne høringssvar", "en": "Responses received"},
    "hnotat.section.no_remarks": {"da": "Ingen bemærkninger", "en": "No remarks"},
    "hnotat.section.not_received": {"da": "Ikke modtaget svar fra", "en": "No response from"},
    "hnotat.section.uninvited": {"da": "Svar fra afsendere, der ikke var på høringslisten",
                                 "en": "Responses from senders not on the list"},
    "hnotat.section.campaigns": {"da": "Kampagner og enslydende breve", "en": "Campaigns and identical letters"},
    "hnotat.section.themes": {"da": "Temaer", "en": "Themes"},
    "hnotat.section.crosstab": {"da": "Temaer fordelt på afsendertype", "en": "Themes by sender type"},
    "hnotat.none": {"da": "Ingen.", "en": "None."},
    "hnotat.campaign": {
        "da": "{size} enslydende breve (skabelon {template}), {added} med egne tilføjelser. Repræsentativt brev: {sender}.",
        "en": "{size} identical letters (template {template}), {added} with their own additions. Representative letter: {sender}.",
    },
    "hnotat.campaign_added": {"da": "Egen tilføjelse fra {sender}: ", "en": "Own addition from {sender}: "},
    "hnotat.themes_confirmed": {
        "da": "Temaerne er fastlagt af sagsbehandleren; hvert høringssvar er placeret på hvert tema af relevansvurderingen. "
              "»Usikker« betyder, at en person bør læse svaret.",
        "en": "The themes were set by the case officer; every response is placed on every theme by the relevance judge. "
              "'Uncertain' means a person should read the response.",
    },
    "hnotat.themes_suggested": {
        "da": "Temaerne er forslag fundet i svarene; sagsbehandleren kan bekræfte, omdøbe, slå sammen og tilføje temaer.",
        "en": "The themes are suggestions found in the responses; the case officer can confirm, rename, merge and add themes.",
    },
    "hnotat.theme_heading": {
        "da": "{label} ({mentions} af {total} høringssvar)",
        "en": "{label} ({mentions} of {total} responses)",
    },
    "hnotat.theme_distinct": {
        "da": "{distinct} når hver kampagne tælles som ét svar.",
        "en": "{distinct} when each campaign is counted as one response.",
    },
    "hnotat.theme_sender": {"da": " ({role}, {stance}): ", "en": " ({role}, {stance}): "},
    "hnotat.theme_uncertain": {"da": "Usikre – bør læses: {senders}", "en": "Uncertain – should be read: {senders}"},
    "hnotat.theme_not_mentioned": {"da": "Nævner ikke: {senders}", "en": "Does not mention: {senders}"},
    "hnotat.column.stance": {"da": "Holdning", "en": "Stance"},
    "hnotat.column.outcome": {"da": "Udfald", "en": "Outcome"},
    "hnotat.column.party": {"da": "Part på høringslisten", "en": "Listed party"},
    "hnotat.column.match": {"da": "Match", "en": "Match"},
    "hnotat.column.campaign": {"da": "Kampagne", "en": "Campaign"},
    "hnotat.column.verdict": {"da": "Vurdering af tema", "en": "Theme verdict"},
    "hnotat.column.probability": {"da": "Sandsynlighed", "en": "Probability"},
    "hnotat.column.sender_type": {"da": "Afsendertype", "en": "Sender type"},
    "hnotat.column.total": {"da": "I alt", "en": "Total"},
    "hnotat.column.status": {"da": "Status", "en": "Status"},
    "hnotat.column.letters": {"da": "Breve", "en": "Letters"},
    "hnotat.column.added": {"da": "Egne tilføjelser", "en": "Own additions"},
    "hnotat.sheet.parties": {"da": "Høringsliste", "en": "Invited parties"},
    "hnotat.sheet.campaigns": {"da": "Kampagner", "en": "Campaigns"},
    "hnotat.sheet.letter_themes": {"da": "Svar pr. tema", "en": "Responses by theme"},
    "hnotat.sheet.crosstab": {"da": "Temaer x afsendertype", "en": "Themes x sender type"},
    # the command line: hoering hearing …
    "cli.hearing_help": {"da": "Høringens sagsmappe: høringsliste, svar, ingen bemærkninger, kampagner.",
                         "en": "The consultation's case file: invited parties, responses, no remarks, campaigns."},
    "cli.hearing_list_help": {"da": "Vis høringerne i indekset og antal svar.", "en": "List the consultations in the index."},
    "cli.hearing_import_help": {
        "da": "Indlæs høringslisten for en høring (XLSX eller CSV med en navnekolonne, eller '-' for linjer på stdin). "
              "Erstatter en tidligere liste.",
        "en": "Import a consultation's list of invited parties (XLSX or CSV with a name column, or '-' for lines on stdin). "
              "Replaces an earlier list.",
    },
    "cli.hearing_status_help": {
        "da": "Høringens status: hvem har svaret, ingen bemærkninger, ikke svaret, ikke inviteret, kampagner.",
        "en": "The consultation's status: who answered, no remarks, not answered, uninvited, campaigns.",
    },
    "cli.hearing_match_help": {
        "da": "Bekræft eller ret hvilken part på høringslisten et svar er fra (--none: ingen part; --clear: lad reglerne afgøre).",
        "en": "Confirm or correct which listed party a response is from (--none: no party; --clear: let the rules decide).",
    },
    "cli.hearing_dates_help": {"da": "Sæt høringsperioden (ISO-datoer).", "en": "Set the consultation period (ISO dates)."},
    "cli.hearing_argument": {"da": "Høringen (navn eller en entydig del af det).",
                             "en": "The consultation (its name or an unambiguous part of it)."},
    "cli.party_argument": {"da": "Parten, som høringslisten skriver den.", "en": "The party, as the list writes it."},
    "cli.hearing_imported": {"da": "Høringsliste for »{hearing}«: {n} parter indlæst.",
                             "en": "Invited parties of '{hearing}': {n} imported."},
    "cli.hearing_problem": {"da": "række {row}: {problem}", "en": "row {row}: {problem}"},
    "cli.hearing_linked": {"da": "{doc_id} er knyttet til »{party}«.", "en": "{doc_id} is tied to '{party}'."},
    "cli.hearing_unlinked": {"da": "{doc_id}: reglerne afgør igen.", "en": "{doc_id}: the rules decide again."},
    "cli.hearing_dates_set": {"da": "Høringsperiode for »{hearing}« gemt.", "en": "Period of '{hearing}' saved."},
    "cli.hearing_line": {"da": "{letters} svar", "en": "{letters} responses"},
    "cli.themes_confirm_help": {
        "da": "Fastlæg høringens temaer (navneord, fx »Rekruttering af personale«); hvert svar placeres på hvert tema. "
              "Uden navne: de foreslåede temaer bekræftes, som de er.",
        "en": "Set the consultation's themes (noun phrases); every response is placed on every theme. Without names: "
              "the suggested themes are confirmed as they are.",
    },
    "cli.themes_matrix_help": {
        "da": "Vis hvert svar på hvert af høringens temaer (nævner / usikker / nævner ikke) med holdning og citat.",
        "en": "Show every response on every theme of the consultation (mentions / uncertain / does not mention).",
    },
    "cli.themes_confirmed": {"da": "{n} temaer fastlagt for »{hearing}«.", "en": "{n} themes set for '{hearing}'."},
    "cli.status_counts": {
        "da": "{received} svar ({with_content} med bemærkninger, {no_remarks} ingen bemærkninger), {campaigns} kampagner",
        "en": "{received} responses ({with_content} with remarks, {no_remarks} no remarks), {campaigns} campaigns",
    },
    # failures
    "hearing_unknown": {"da": "Ingen høring hedder »{name}«. Høringerne: {known}.",
                        "en": "No consultation is called '{name}'. The consultations: {known}."},
    "hearing_ambiguous": {"da": "»{name}« passer på flere høringer: {matches}. Skriv mere af navnet.",
                          "en": "'{name}' fits several consultations: {matches}. Write more of the name."},
    "hearing_needed": {"da": "Indekset har flere høringer; vælg en med --hearing: {known}.",
                       "en": "The index has several consultations; choose one with --hearing: {known}."},
    "hearing_no_parties": {"da": "Ingen parter fundet i {source}; høringslisten er ikke ændret.",
                           "en": "No parties found in {source}; the list was not changed."},
    "party_unknown": {"da": "»{party}« står ikke på høringslisten for »{hearing}«.",
                      "en": "'{party}' is not on the list of '{hearing}'."},
    "letter_not_in_hearing": {"da": "Svaret {doc_id} hører ikke til høringen »{hearing}«.",
                              "en": "Response {doc_id} does not belong to '{hearing}'."},
    "review_not_allowed": {"da": "{name} er læser og kan ikke ændre noget.",
                           "en": "{name} is a reader and cannot change anything."},
    "theme_label_bad": {"da": "Et tema skal have et navn på højst {max} tegn.",
                        "en": "A theme needs a name of at most {max} characters."},
}
