"""Composing and publishing a person's Home tab, and refreshing it when their data changes."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from typing import Any

from slack_sdk.models.views import View

from slackbot.blocks.compute import dashboard_section, hub_home_blocks
from slackbot.blocks.dashboard import dashboard_blocks
from slackbot.blocks.home_tab import HOME_LIST_MAX, WAITING_MAX, home_view
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import Team
from slackbot.services import dashboard, demo_surfaces, hub_access
from slackbot.services.compute import team_compute
from slackbot.services.deadlines import time_left
from slackbot.services.form_opening import week_of
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import DELIVERY_ERRORS

log = logging.getLogger("slackbot.home")


def _teams(rt: Runtime, proposals: list[Proposal]) -> list[tuple[Proposal, Team]]:
    return [(p, rt.memberships.team(p)) for p in proposals]


def build_home(rt: Runtime, user_id: str, pages: dict[str, int] | None = None) -> View:
    """The person's Home tab; `pages` turns the dashboard's lists to later pages."""
    own = [p for p in rt.proposals.by_proposer(user_id) if p.status is not Status.WITHDRAWN]
    candidates = rt.proposals.get_many(rt.memberships.joined_by(user_id))
    joined = [
        (p, t)
        for p, t in _teams(rt, [candidates[i] for i in sorted(candidates)])
        if p.is_live and p.proposer_id != user_id and user_id in t.members + t.waitlist
    ]
    need = rt.rankings.ranked_need(HOME_LIST_MAX)
    need_proposals = rt.proposals.get_many([s.proposal_id for s in need])
    organizer = rt.is_organizer(user_id)
    plan = waiting = None
    board: list[Any] | None = None
    if organizer:
        dash = dashboard.build(rt, pages)
        dash.deadlines = time_left(rt)
        board = (
            dashboard_blocks(dash, pages)
            + dashboard_section(
                team_compute(rt.uow, rt.settings.COMPUTE_MIN_TEAM_SIZE), hub_access.missing(rt.uow)
            )
            + demo_surfaces.dashboard_blocks(rt)
        )
        plan = rt.rankings.ranked_plan(since=time.time(), need_limit=0, new_limit=0)
        waiting_ids = [s.proposal_id for s in rt.rankings.ranked_waiting(WAITING_MAX)]
        waiting_map = rt.proposals.get_many(waiting_ids)
        waiting = _teams(rt, [waiting_map[i] for i in waiting_ids if i in waiting_map])
    return home_view(
        own=_teams(rt, own),
        joined=joined,
        need=need,
        proposals=need_proposals,
        organizer=organizer,
        plan=plan,
        waiting=waiting,
        week=week_of(rt),
        deadlines=time_left(rt),
        dashboard=board,
        hub=_hub(rt, user_id),
        demos=demo_surfaces.home_blocks(rt, user_id),
        hub_facts=rt.hub.known_of(need_proposals.values()),
    )


def _hub(rt: Runtime, user_id: str) -> list[Any] | None:
    """An official member's Hub username on their Home tab (others have none to give)."""
    if user_id not in rt.uow.memberships.official_members():
        return None
    return hub_home_blocks(rt.uow.hub.of([user_id]).get(user_id), rt.settings.HUB_ORG)


def show_home(rt: Runtime, user_id: str) -> bool:
    """The person opened their Home tab: they are a visitor now (their tab is kept current
    from here on), and it shows what is true now."""
    with rt.uow.writing():
        rt.visitors.remember(user_id)
    return publish_home(rt, user_id)


def publish_home(rt: Runtime, user_id: str, pages: dict[str, int] | None = None) -> bool:
    """Publish the person's Home tab unless Slack already shows exactly this one (Slack keeps
    a published tab: opening it again, or a change that does not touch it, costs no call)."""
    view = build_home(rt, user_id, pages).to_dict()
    digest = hashlib.sha256(json.dumps(view, sort_keys=True).encode()).hexdigest()
    if rt.visitors.shown(user_id) == digest:
        return True
    try:
        rt.client.views_publish(user_id=user_id, view=view)
    except DELIVERY_ERRORS as exc:
        log.warning("home_publish_failed user=%s error=%s", user_id, exc)
        return False
    with rt.uow.writing():
        rt.visitors.showed(user_id, digest)
    return True
