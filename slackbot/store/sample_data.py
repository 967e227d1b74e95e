"""Writes that only sample data needs (slackbot.samples seeds tests, benchmarks and the demo
straight into the database); nothing that runs in production calls these."""

from __future__ import annotations

from slackbot.store.db import Store


def date_posts_at_creation(store: Store) -> None:
    """Every proposal counts as posted the moment it was created."""
    store.conn.execute("UPDATE proposals SET posted_at = created_at")
