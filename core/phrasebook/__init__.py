"""The phrasebook's data, one module per part of the product; looked up only through ``core.phrases.message``."""
