"""Composing and publishing a person's Home tab, and refreshing it when their data changes.

Commands: `ShowHome` (the person opened the tab), `TurnDashboardPage` (an organizer's "More"
on a dashboard list) and `RefreshHome` (the Home refresher, after a change that touches it)."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.views import View

from slackbot.blocks.compute import dashboard_section, hub_home_blocks
from slackbot.blocks.dashboard import dashboard_blocks
from slackbot.blocks.home_tab import HOME_LIST_MAX, WAITING_MAX, home_view
from slackbot.blocks.proposal_form import Week
from slackbot.config import Settings
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import Team
from slackbot.services import dashboard, demo_surfaces, hub_access
from slackbot.services.compute import team_compute
from slackbot.services.directory import OrganizerDirectory, Organizers
from slackbot.services.hub_checks import HubChecks
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.home")


# --- commands -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ShowHome:
    """The person opened their Home tab."""

    user: str


@dataclass(frozen=True)
class HomeView:
    """The person's Home tab as it would be published now (the benchmarks read it)."""

    user: str


@dataclass(frozen=True)
class TurnDashboardPage:
    """An organizer's "More" under a dashboard list: their tab with that list turned."""

    user: str
    pages: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RefreshHome:
    """A change touched the person's tab (the Home refresher asks, within views.publish's
    budget); True when Slack shows it now."""

    user: str


@dataclass(frozen=True)
class HomeReads:
    """What a Home tab is drawn from: built once by the bootstrap, named `home` by the
    handlers that draw or publish one."""

    uow: UnitOfWork
    settings: Settings
    organizers: OrganizerDirectory
    judges: Organizers
    hub: HubChecks
    bot_user_id: str
    time_left: Callable[[], list[str]]  # the deadlines, in words
    week: Callable[[], Week]  # what the form says of this week


# --- handlers -----------------------------------------------------------------------------
def show_home(cmd: ShowHome, home: HomeReads, messenger: Messenger) -> bool:
    """The person opened their Home tab: they are a visitor now (their tab is kept current
    from here on), and it shows what is true now."""
    with home.uow.writing():
        home.uow.visitors.remember(cmd.user)
    return publish_home(cmd.user, None, home, messenger)


def turn_dashboard_page(cmd: TurnDashboardPage, home: HomeReads, messenger: Messenger) -> bool:
    """The organizer's Home tab with a dashboard list turned to its next page (anyone else's
    click does nothing: only an organizer's tab has the dashboard)."""
    if cmd.user not in home.organizers.everyone():
        return False
    return publish_home(cmd.user, cmd.pages, home, messenger)


def refresh_home(cmd: RefreshHome, home: HomeReads, messenger: Messenger) -> bool:
    return publish_home(cmd.user, None, home, messenger)


def view_of_home(cmd: HomeView, home: HomeReads) -> View:
    return compose_home(cmd.user, None, home)


COMMANDS: dict[type, Callable[..., Any]] = {
    HomeView: view_of_home,
    ShowHome: show_home,
    TurnDashboardPage: turn_dashboard_page,
    RefreshHome: refresh_home,
}


# --- the tab ------------------------------------------------------------------------------
def publish_home(
    user_id: str, pages: dict[str, int] | None, home: HomeReads, messenger: Messenger
) -> bool:
    """Publish the person's Home tab unless Slack already shows exactly this one (Slack keeps
    a published tab: opening it again, or a change that does not touch it, costs no call)."""
    uow = home.uow
    view = compose_home(user_id, pages, home).to_dict()
    digest = hashlib.sha256(json.dumps(view, sort_keys=True).encode()).hexdigest()
    if uow.visitors.shown(user_id) == digest:
        return True
    if not messenger.publish_home(user_id, view):
        return False
    with uow.writing():
        uow.visitors.showed(user_id, digest)
    return True


def _teams(uow: UnitOfWork, proposals: list[Proposal]) -> list[tuple[Proposal, Team]]:
    return [(p, uow.memberships.team(p)) for p in proposals]


def compose_home(user_id: str, pages: dict[str, int] | None, home: HomeReads) -> View:
    """The person's Home tab; `pages` turns the dashboard's lists to later pages."""
    uow, settings, organizers, judges = home.uow, home.settings, home.organizers, home.judges
    own = [p for p in uow.proposals.by_proposer(user_id) if p.status is not Status.WITHDRAWN]
    candidates = uow.proposals.get_many(uow.memberships.joined_by(user_id))
    joined = [
        (p, t)
        for p, t in _teams(uow, [candidates[i] for i in sorted(candidates)])
        if p.is_live and p.proposer_id != user_id and user_id in t.members + t.waitlist
    ]
    need = uow.rankings.ranked_need(HOME_LIST_MAX)
    need_proposals = uow.proposals.get_many([s.proposal_id for s in need])
    organizer = user_id in organizers.everyone()
    plan = waiting = None
    board: list[Any] | None = None
    if organizer:
        dash = dashboard.build(uow, settings, organizers, home.bot_user_id, pages)
        dash.deadlines = home.time_left()
        board = (
            dashboard_blocks(dash, pages)
            + dashboard_section(
                team_compute(uow, settings.COMPUTE_MIN_TEAM_SIZE), hub_access.missing(uow)
            )
            + demo_surfaces.dashboard_blocks(uow, settings, judges)
        )
        plan = uow.rankings.ranked_plan(since=time.time(), need_limit=0, new_limit=0)
        waiting_ids = [s.proposal_id for s in uow.rankings.ranked_waiting(WAITING_MAX)]
        waiting_map = uow.proposals.get_many(waiting_ids)
        waiting = _teams(uow, [waiting_map[i] for i in waiting_ids if i in waiting_map])
    return home_view(
        own=_teams(uow, own),
        joined=joined,
        need=need,
        proposals=need_proposals,
        organizer=organizer,
        plan=plan,
        waiting=waiting,
        week=home.week(),
        deadlines=home.time_left(),
        dashboard=board,
        hub=_hub(uow, settings, user_id),
        demos=demo_surfaces.home_blocks(uow, settings, judges, user_id),
        hub_facts=home.hub.known_of(need_proposals.values()),
    )


def _hub(uow: UnitOfWork, settings: Settings, user_id: str) -> list[Any] | None:
    """An official member's Hub username on their Home tab (others have none to give)."""
    if user_id not in uow.memberships.official_members():
        return None
    return hub_home_blocks(uow.hub.of([user_id]).get(user_id), settings.HUB_ORG)
