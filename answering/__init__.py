"""Answering: extractive (default, no LLM) or LLM-written, always with verified citations."""
