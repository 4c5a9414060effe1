"""Ingestion: load → clean → metadata → chunk → embed → store."""
