"""Analyzers: pure functions ``(path, text, context) -> list[Finding]``, one per file kind."""
