"""Messages of reading files, of the machine and the setup, and of the filters and targets a user types."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "or": {"da": "eller", "en": "or"},  # the last of a list of alternatives ({formats_or})
    "unsupported_type": {
        "da": "filtypen understøttes ikke ({ext}); understøttet: {formats}",
        "en": "unsupported file type ({ext}); supported: {formats}",
    },
    "upload_too_large": {"da": "{name}: større end {mb} MB", "en": "{name}: larger than {mb} MB"},
    "upload_unsupported": {"da": "{name}: filtypen understøttes ikke", "en": "{name}: unsupported file type"},
    "upload_bad_name": {"da": "{name}: ugyldigt filnavn", "en": "{name}: invalid file name"},
    "empty_file": {"da": "filen er tom (0 bytes)", "en": "the file is empty (0 bytes)"},
    "unreadable": {"da": "filen kan ikke læses: {error}", "en": "the file cannot be read: {error}"},
    "symlink_outside": {
        "da": "springet over: et symbolsk link, der peger uden for mappen, følges ikke",
        "en": "skipped: a symbolic link that points outside the folder is not followed",
    },
    "corrupt_pdf": {
        "da": "PDF-filen er beskadiget eller ikke en PDF: {error}",
        "en": "the PDF is corrupt or not a PDF: {error}",
    },
    "encrypted_pdf": {
        "da": "PDF-filen er krypteret (adgangskodebeskyttet) og kan ikke læses",
        "en": "the PDF is encrypted (password protected) and cannot be read",
    },
    "no_text": {
        "da": "ingen tekst fundet; filen er sandsynligvis scannet og kræver OCR",
        "en": "no text found; the file is probably scanned and needs OCR",
    },
    "no_text_after_ocr": {
        "da": "ingen tekst fundet, heller ikke med OCR af de scannede sider; siderne er måske tomme eller ulæselige",
        "en": "no text found, not even by OCR of the scanned pages; the pages may be blank or unreadable",
    },
    "file_too_long": {
        "da": "filen er for stor til ét dokument: {size} tekst er over grænsen på {limit} tegn "
        "(indstillingen HOERING_MAX_DOCUMENT_CHARS)",
        "en": "the file is too large for one document: {size} of text is over the limit of {limit} characters "
        "(setting HOERING_MAX_DOCUMENT_CHARS)",
    },
    "document_too_long": {
        "da": "dokumentet er for langt: {chars} tegn, grænsen er {limit} tegn (indstillingen HOERING_MAX_DOCUMENT_CHARS)",
        "en": "the document is too long: {chars} characters, the limit is {limit} characters "
        "(setting HOERING_MAX_DOCUMENT_CHARS)",
    },
    "corrupt_docx": {
        "da": "DOCX-filen er beskadiget eller ikke et Word-dokument: {error}",
        "en": "the DOCX is corrupt or not a Word document: {error}",
    },
    "ocr_pages_skipped": {
        "da": "side {pages} uden tekstlag blev ikke læst (OCR mangler: {reason})",
        "en": "page {pages} without a text layer was not read (OCR is missing: {reason})",
    },
    "path_not_found": {"da": "findes ikke / not found", "en": "findes ikke / not found"},
    "binary_text": {
        "da": "filen ligner binære data, ikke tekst",
        "en": "the file looks like binary data, not text",
    },
    "bad_email": {"da": "e-mailen kan ikke læses: {error}", "en": "the e-mail cannot be read: {error}"},
    # the line above an attachment's text in its mail's document, and an outcome's note on a duplicate letter
    "mail_attachment": {"da": "Vedhæftet fil: {name}", "en": "Attached file: {name}"},
    "same_content": {"da": "samme indhold som {source}", "en": "same content as {source}"},
    "removed_before": {
        "da": "{source} er fjernet tidligere og indlæses ikke igen (fjern hele filen og indlæs den igen for at få "
              "det tilbage)",
        "en": "{source} was removed earlier and is not ingested again (remove the whole file, then ingest it, to "
              "bring it back)",
    },
    "model_mismatch": {
        "da": "indekset i {index} er bygget med embedding-modellen '{stored}', men '{configured}' er valgt. "
        "Vektorer fra to modeller kan ikke blandes: brug et andet indeks (--index) eller vælg '{stored}'.",
        "en": "the index in {index} was built with embedding model '{stored}', but '{configured}' is configured. "
        "Vectors of two models cannot be mixed: use another index (--index) or choose '{stored}'.",
    },
    "scanned_no_ocr": {
        "da": "scannet dokument uden tekstlag: installer tesseract-ocr-dan for at læse det",
        "en": "scanned document without a text layer: install tesseract-ocr-dan to read it",
    },
    "ocr_failed": {"da": "OCR af den scannede tekst mislykkedes: {error}", "en": "OCR of the scanned text failed: {error}"},
    "corrupt_image": {
        "da": "billedfilen er beskadiget eller ikke et billede: {error}",
        "en": "the image is corrupt or not an image: {error}",
    },
    "corrupt_zip": {"da": "zip-filen er beskadiget: {error}", "en": "the zip file is corrupt: {error}"},
    "zip_nothing": {
        "da": "zip-filen indeholder ingen filer, der kunne læses ({failed} afvist eller fejlet)",
        "en": "the zip file holds no file that could be read ({failed} refused or failed)",
    },
    "zip_unsafe_path": {
        "da": "afvist: stien {name} peger uden for zip-filen (absolut sti eller '..')",
        "en": "refused: the path {name} points outside the zip file (absolute path or '..')",
    },
    "zip_member_too_large": {
        "da": "afvist: filen er for stor udpakket ({size}; grænsen er {limit})",
        "en": "refused: the file is too large unpacked ({size}; the limit is {limit})",
    },
    "zip_total_too_large": {
        "da": "afvist: zip-filen fylder udpakket mere end grænsen på {limit}",
        "en": "refused: the zip file unpacks to more than the limit of {limit}",
    },
    "zip_ratio": {
        "da": "afvist: mistænkelig komprimering ({ratio}:1, grænsen er {limit}:1) – muligvis en zip-bombe",
        "en": "refused: suspicious compression ({ratio}:1, the limit is {limit}:1) – possibly a zip bomb",
    },
    "zip_too_many": {
        "da": "afvist: zip-filen har flere end {limit} filer",
        "en": "refused: the zip file has more than {limit} files",
    },
    "zip_too_deep": {
        "da": "afvist: zip-filer inde i zip-filer læses kun {limit} niveauer ned",
        "en": "refused: zip files inside zip files are read only {limit} levels deep",
    },
    "zip_encrypted": {
        "da": "afvist: filen er krypteret (adgangskodebeskyttet) i zip-filen",
        "en": "refused: the file is encrypted (password protected) in the zip file",
    },
    "file_too_slow": {
        "da": "for kompleks: filen kunne ikke læses inden for tidsgrænsen på {seconds} sekunder (indstillingen HOERING_FILE_SECONDS)",
        "en": "too complex: the file could not be read within the time limit of {seconds} seconds (setting HOERING_FILE_SECONDS)",
    },
    "bundle_too_slow": {
        "da": "for kompleks: zip-filens fælles tidsgrænse på {seconds} sekunder var brugt, før filen var læst "
        "(indstillingen HOERING_BUNDLE_SECONDS)",
        "en": "too complex: the zip file's shared time limit of {seconds} seconds was used up before the file was read "
        "(setting HOERING_BUNDLE_SECONDS)",
    },
    "file_too_much_memory": {
        "da": "for stor: at læse filen kræver mere hukommelse end grænsen på {limit} MB (indstillingen HOERING_FILE_MEMORY_MB)",
        "en": "too large: reading the file needs more memory than the limit of {limit} MB (setting HOERING_FILE_MEMORY_MB)",
    },
    "reader_crashed": {
        "da": "for kompleks: læseren stoppede uventet under læsningen af filen ({error})",
        "en": "too complex: the reader stopped unexpectedly while reading the file ({error})",
    },
    "too_complex": {
        "da": "for kompleks: filens indhold fylder udpakket {size}, grænsen er {limit} (indstillingen HOERING_MAX_PARSE_MB)",
        "en": "too complex: the file's content unpacks to {size}, the limit is {limit} (setting HOERING_MAX_PARSE_MB)",
    },
    "too_many_parts": {
        "da": "for kompleks: filen består af {count} dele, grænsen er {limit}",
        "en": "too complex: the file consists of {count} parts, the limit is {limit}",
    },
    "content_bomb": {
        "da": "for kompleks: mistænkelig komprimering af indholdet ({ratio}:1, grænsen er {limit}:1) – muligvis en komprimeringsbombe",
        "en": "too complex: suspicious compression of the content ({ratio}:1, the limit is {limit}:1) – possibly a decompression bomb",
    },
    "content_bomb_limit": {
        "da": "for kompleks: indholdet pakkes ud til mere end læserens grænse – muligvis en komprimeringsbombe ({error})",
        "en": "too complex: the content unpacks to more than the reader's limit – possibly a decompression bomb ({error})",
    },
    "too_many_ocr_pages": {
        "da": "for stor til OCR: {count} scannede sider, grænsen er {limit} (indstillingen HOERING_MAX_OCR_PAGES)",
        "en": "too large for OCR: {count} scanned pages, the limit is {limit} (setting HOERING_MAX_OCR_PAGES)",
    },
    "internal_error": {"da": "uventet fejl: {error}", "en": "unexpected error: {error}"},
    "file_too_complex": {
        "da": "filen er for stor eller for kompleks til at blive læst (udpakket over grænsen: {error}) "
        "– muligvis en dekomprimeringsbombe",
        "en": "the file is too large or too complex to read (unpacks beyond the limit: {error}) "
        "– possibly a decompression bomb",
    },
    "bad_file_name": {
        "da": "filnavnet er ikke gyldig UTF-8 og kan ikke gemmes som kilde; omdøb filen",
        "en": "the file name is not valid UTF-8 and cannot be stored as a source; rename the file",
    },
    "not_regular_file": {
        "da": "ikke en almindelig fil eller mappe ({kind}) og læses ikke",
        "en": "not a regular file or folder ({kind}) and not read",
    },
    # failures of the machine or the setup (one line each, exit code 2)
    "disk_full": {
        "da": "der er ikke mere plads på disken ({path}); frigør plads og kør kommandoen igen "
        "(det sidst gemte indeks er intakt)",
        "en": "the disk is full ({path}); free some space and run the command again (the last committed index is intact)",
    },
    "read_only": {
        "da": "indekset {index} kan ikke skrives (skrivebeskyttet eller ingen adgang: {path}); "
        "giv skriveadgang eller brug en anden mappe (--index / HOERING_INDEX)",
        "en": "the index {index} cannot be written (read-only or no access: {path}); "
        "grant write access or use another folder (--index / HOERING_INDEX)",
    },
    "index_not_folder": {
        "da": "indekset skal være en mappe, men {path} er en fil; ret --index / HOERING_INDEX",
        "en": "the index must be a folder, but {path} is a file; fix --index / HOERING_INDEX",
    },
    "manifest_corrupt": {
        "da": "{path} er beskadiget (ufuldstændig eller ugyldig JSON); gendan den fra en sikkerhedskopi "
        "eller byg indekset forfra i en ny mappe (hoering ingest … --index NY_MAPPE)",
        "en": "{path} is damaged (incomplete or invalid JSON); restore it from a backup "
        "or rebuild the index in a new folder (hoering ingest … --index NEW_FOLDER)",
    },
    "cannot_write": {"da": "kan ikke skrive {path}: {error}", "en": "cannot write {path}: {error}"},
    "settings_invalid": {"da": "ugyldig indstilling: {error}", "en": "invalid setting: {error}"},
    "chroma_down": {
        "da": "kan ikke forbinde til Chroma-serveren på {host} (HOERING_CHROMA_HOST / HOERING_CHROMA_PORT); "
        "kører den?",
        "en": "cannot connect to the Chroma server at {host} (HOERING_CHROMA_HOST / HOERING_CHROMA_PORT); is it running?",
    },
    "chroma_damaged": {
        "da": "Chroma-databasen {path} er beskadiget ({detail}); flyt den til side og genopbyg indekset fra filerne "
        "med: hoering repair --index {index}",
        "en": "the Chroma database {path} is damaged ({detail}); move it aside and rebuild the index from the files "
        "with: hoering repair --index {index}",
    },
    "read_cache_discarded": {
        "da": "læsecachen {folder} er beskadiget ({reason}) og er slettet; den genopbygges fra Chroma",
        "en": "the read cache {folder} is damaged ({reason}) and was deleted; it is rebuilt from Chroma",
    },
    "queries_unreadable": {
        "da": "--queries {path}: {reason}; angiv en UTF-8-tekstfil med én søgning pr. linje",
        "en": "--queries {path}: {reason}; give a UTF-8 text file with one search per line",
    },
    "queries_not_file": {"da": "ikke en fil", "en": "not a file"},
    "queries_missing": {"da": "findes ikke", "en": "does not exist"},
    "queries_binary": {"da": "binære data, ikke tekst", "en": "binary data, not text"},
    "unexpected_command": {
        "da": "uventet fejl: {error} (sæt HOERING_DEBUG=1 for detaljer)",
        "en": "unexpected error: {error} (set HOERING_DEBUG=1 for details)",
    },
    # filters typed by a user (CLI options)
    "bad_sender_type": {
        "da": "ukendt afsendertype '{value}'; tilladt: {allowed} (også i flertal, fx kommuner)",
        "en": "unknown sender type '{value}'; allowed: {allowed} (plurals too, e.g. kommuner)",
    },
    "unknown_municipality": {
        "da": "ingen kommune ved navn '{value}'; angiv en af de 98 kommuner{hint}",
        "en": "no municipality named '{value}'; give one of the 98 Danish municipalities{hint}",
    },
    "did_you_mean": {"da": " (mente du {name}?)", "en": " (did you mean {name}?)"},
    "bad_date": {
        "da": "{option}: '{value}' er ikke en gyldig dato; skriv den som ÅÅÅÅ-MM-DD, fx 2023-09-11",
        "en": "{option}: '{value}' is not a valid date; write it as YYYY-MM-DD, e.g. 2023-09-11",
    },
    "dates_reversed": {
        "da": "--date-from ({date_from}) ligger efter --date-to ({date_to})",
        "en": "--date-from ({date_from}) is after --date-to ({date_to})",
    },
    "question_too_long": {
        "da": "spørgsmålet er for langt: {chars} tegn, grænsen er {limit} tegn (indstillingen HOERING_MAX_QUESTION_CHARS)",
        "en": "the question is too long: {chars} characters, the limit is {limit} characters "
        "(setting HOERING_MAX_QUESTION_CHARS)",
    },
    # remove: which documents a target names
    "remove_empty_target": {
        "da": "tomt mål: angiv et doc_id (eller mindst {min} tegn af det) eller en kildesti – intet er fjernet",
        "en": "empty target: give a doc_id (or at least {min} characters of it) or a source path – nothing was removed",
    },
    "remove_short_prefix": {
        "da": "'{target}' er for kort: angiv mindst {min} tegn af et doc_id eller hele kildestien – intet er fjernet",
        "en": "'{target}' is too short: give at least {min} characters of a doc_id or the whole source path "
        "– nothing was removed",
    },
    "id_too_short": {
        "da": "'{target}' er for kort: angiv mindst {min} tegn af et doc_id",
        "en": "'{target}' is too short: give at least {min} characters of a doc_id",
    },
    "remove_ambiguous": {
        "da": "'{target}' passer på {n} dokumenter ({ids}); angiv flere tegn af id'et – intet er fjernet",
        "en": "'{target}' matches {n} documents ({ids}); give more characters of the id – nothing was removed",
    },
}
