"""Exports: an answer with its citations (Markdown, DOCX); later the høringsnotat."""
