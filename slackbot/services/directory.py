"""Who the organizers are, as the team use cases see them (a port: the adapter is
`slackbot.slack.organizer_directory.Organizers`, which reads ORGANIZER_IDS and the organizers'
channel; the fast tests pass a small fake)."""

from __future__ import annotations

from typing import Protocol


class OrganizerDirectory(Protocol):
    def everyone(self) -> set[str]:
        """Every organizer's user id."""

    def alert_targets(self) -> list[str]:
        """Where an organizer alert goes: the organizers' channel, or each organizer."""


class Organizers(OrganizerDirectory, Protocol):
    """The directory, and the one question every organizer action asks of it."""

    def is_organizer(self, user_id: str) -> bool:
        """Is this person one of the organizers?"""
