"""Screening: rows in, verdicts with their reasons out, decisions and the append-only record kept."""
