"""Exports, what an official takes away: one answer with its citations (answer.py: Markdown, DOCX), the
who-says-what table (coverage_table.py: CSV, XLSX; its columns declared once), the høringsnotat (notat.py: DOCX,
XLSX; of one hearing with its case file: hearing_notat.py), the review trail's audit (review_audit.py: CSV, XLSX),
the answer feedback log (feedback.py: JSONL); labels.py words a citation's page and file for a reader, and every
text from a letter goes through safe.py (no control character, no cell that becomes a formula)."""
