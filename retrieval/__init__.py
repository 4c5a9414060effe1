"""Retrieval: the read side of the index (documents, search, fusion, filters, grouping by sender)."""
