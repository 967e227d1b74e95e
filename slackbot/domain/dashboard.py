"""The organizers' dashboard as plain data: what the store reads and the blocks show."""

from __future__ import annotations

from dataclasses import dataclass, field

from slackbot.domain.proposal import Proposal


@dataclass
class DashboardFacts:
    participants: list[str]  # the channel's members (not bots), or [] if never read
    channel_read: bool
    teams_of: dict[str, int]  # person -> how many live teams they are a member of
    proposers: int
    standings: dict[str, int]  # looking / ready / full / official -> projects
    oversubscribed: list[int]  # projects with a waitlist
    unjoined: list[int]  # looking, posted over N days ago, nobody joined
    languages: list[tuple[str, int]] = field(default_factory=list)  # slug, live projects
    tasks: list[tuple[str, int]] = field(default_factory=list)  # canonical task, live projects


LIST_PAGE = 20  # people or projects per list, then "More"


@dataclass
class Dashboard:
    facts: DashboardFacts
    in_a_team: int
    no_team: list[str]  # participants in no team
    several: list[tuple[str, int]]  # (person, teams), most teams first
    projects: dict[int, Proposal]  # the ones the lists show
    deadlines: list[str]  # "Proposals close in 2 days 3 h"
    gone: list[Proposal] = field(default_factory=list)  # posts deleted in Slack
