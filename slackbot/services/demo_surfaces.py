"""What the week's surfaces say about the demos: a member's team demo and a judge's list on the
Home tab, the organizers' dashboard section, and the line the digest and the Home tab show
(how many official teams have submitted, and when submissions close)."""

from __future__ import annotations

import time
from typing import Any

from slackbot.blocks import judging as judging_view
from slackbot.blocks import submission as submission_view
from slackbot.services import judging
from slackbot.services.demo_submissions import CLOSES, team_of
from slackbot.services.runtime import Runtime


def progress_line(rt: Runtime, now: float | None = None) -> str | None:
    """For the digest and the Home tab; None until SUBMISSIONS_CLOSE_AT is set."""
    closes_at = rt.settings.deadline(CLOSES)
    if closes_at is None:
        return None
    repo = rt.uow.demo_submissions
    return submission_view.progress_line(
        repo.count(), len(repo.official_ids()), closes_at, time.time() if now is None else now
    )


def home_blocks(rt: Runtime, user: str, now: float | None = None) -> list[Any]:
    """The person's demo section: their team's submission, and, for a judge, what to score."""
    now = time.time() if now is None else now
    uow = rt.uow
    blocks: list[Any] = []
    proposal = team_of(uow, user)
    if proposal is not None:
        blocks += submission_view.home_blocks(
            [(proposal, uow.demo_submissions.get(proposal.id))],
            rt.settings.deadline(CLOSES),
            now,
        )
    if rt.judges.is_organizer(user):
        blocks += judging_view.judge_home_blocks(
            judging.judge_rows(uow, user), rt.settings.deadline(judging.CLOSES), now
        )
    return blocks


def dashboard_blocks(rt: Runtime, now: float | None = None) -> list[Any]:
    """The organizers' section: N of M submitted, each judge's progress, remind late judges."""
    repo = rt.uow.demo_submissions
    teams = len(repo.official_ids())
    if not teams and not rt.judges.everyone():
        return []
    return judging_view.judging_dashboard(
        repo.count(),
        teams,
        rt.settings.deadline(CLOSES),
        judging.progress(rt.uow, rt.judges) if repo.count() else [],
        time.time() if now is None else now,
    )
