"""Persistence: the SQLite database and its migrations."""
