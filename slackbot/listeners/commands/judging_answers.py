"""`/organize results` and `/organize winners …`: one call each, rendered as the organizer's
answer (the ranking is only ever shown to the organizer who asked)."""

from __future__ import annotations

from slackbot.blocks.judging import results_text, winners_announced
from slackbot.services import judging
from slackbot.services.runtime import Runtime


def results(rt: Runtime, user: str) -> str:
    result = rt.bus.handle(judging.ShowResults(user))
    if isinstance(result, judging.Refused):
        return result.message
    return results_text(result.rows, result.proposals, result.criteria, result.judges)


def winners(rt: Runtime, user: str, ids: list[int]) -> str:
    result = rt.bus.handle(judging.AnnounceWinners(user, tuple(ids)))
    if isinstance(result, judging.Refused):
        return result.message
    return winners_announced(result.names)
