"""Bottom layer: settings, the phrasebook and the shared vocabulary (sender types, Danish places). Imports nothing of the project."""
