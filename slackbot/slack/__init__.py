"""Adapters to Slack: Web API clients, rate windows, the organizers directory, message look-ups
and direct messages. No community-week rules here."""
