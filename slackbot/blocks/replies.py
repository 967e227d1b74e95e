"""The words of every answer a person gets after asking for something (`domain.answers`):
one catalog, and the one place its facts become mrkdwn (user text escaped, people mentioned,
links made safe, times in the reader's zone)."""

from __future__ import annotations

from slackbot.blocks.dates import slack_date
from slackbot.blocks.mrkdwn import escape, link, mention, mentions
from slackbot.domain.answers import Answer, Fact, Linked, Moment, People, Person, Said
from slackbot.domain.proposal import Proposal
from slackbot.domain.teams import Team

A = Answer
WORDS: dict[Answer, str] = {
    A.NOT_ORGANIZER: "Only the organizers can do that.",
    A.NO_PROJECT_NUMBER: "There is no project #{id}.",
    A.NOT_OFFICIAL: "*{name}* is not official.",
    A.OPEN_AGAIN: "*{name}* is open again (its channel is kept).",
    A.NOT_LIVE: "*{name}* is {status}.",
    A.CLOSED: "*{name}* is closed.",
    A.NONE_OPEN: "No proposal is open.",
    A.CONFIRM_CLOSE_ALL: "This closes *{count}* open proposals (official teams stay official). "
    "To go on: `/organize close-all {count}`",
    A.CLOSED_ALL: "Closed {count} proposals.",
    A.NOT_CLOSED: "*{name}* is {status}, not closed.",
    A.REOPENED: "*{name}* is {status} again.",
    A.BAD_SIZES: "Sizes must satisfy 2 <= threshold <= max <= 100.",
    A.LIMITS_SET: "*{name}*: threshold {minimum}, max {maximum}.",
    A.NO_TARGET: "Project #{id} does not take members.",
    A.PROPOSER_NOT_MOVED: "A proposer cannot be moved out of or into their own project.",
    A.NO_SUCH_PERSON: "I cannot find that person in this workspace.",
    A.MOVED: "{user} moved to *{name}*.",
    A.APPROVE_OR_DECLINE: "Approve or decline.",
    A.DECIDED_BY: "That request was already decided by {organizer}.",
    A.DECIDED_ELSEWHERE: "That request was already decided by another organizer.",
    A.DECIDED: "{user}: {outcome}.",
    A.LEAD_BY: "Lead by the proposer or by the first on the waitlist.",
    A.SECOND_TEAM_EXISTS: "A second team exists already: {team}.",
    A.NOBODY_WAITING: "Nobody is waiting for *{name}*.",
    A.SECOND_TEAM_STARTED: "Second team started: {team}, led by {lead}: "
    "the {count} on the waitlist when you clicked, in order of arrival.",
    A.SECOND_TEAM_STARTED_WITH: "Second team started: {team}, led by {lead}, with {others}: "
    "the {count} on the waitlist when you clicked, in order of arrival.",
    A.DIGEST: "Digest: {outcome}.",
    A.SHEET_SENT: "The {format} sheet is in your DM with me.",
    A.SCORES_SENT: "The {format} judges' scores is in your DM with me.",
    A.PROJECT_GONE: "That project does not exist any more.",
    A.ALREADY_OFFICIAL_BY: "*{name}* is already official (by {organizer}).",
    A.ALREADY_OFFICIAL: "*{name}* is already official (by another organizer).",
    A.CANNOT_BE_OFFICIAL: "*{name}* is {status}; it cannot be made official.",
    A.MADE_OFFICIAL: "*{name}* is now an official team.",
    A.NOTED_NOT_YET: "Noted. You can make it official later from the Home tab.",
    A.NO_SUCH_PROJECT: "That project does not exist.",
    A.NOT_PROPOSER: "Only the person who proposed this project can {what} it.",
    A.WITHDRAWN_NO_EDIT: "This proposal was withdrawn; it cannot be edited.",
    A.NEEDS_CHANGES: "Some answers need a change.",
    A.EDITED: "*{name}* is updated: {post}",
    A.ALREADY_STATUS: "This proposal is already {status}.",
    A.WITHDRAWN: "*{name}* is withdrawn; reactions no longer count.",
    A.PROPOSER_CANNOT_LEAVE: "You proposed this project: withdraw it instead of leaving.",
    A.NOT_IN_TEAM: "You are not in *{name}*'s team.",
    A.LEFT: "You left *{name}*.",
    A.NO_LONGER_TAKES: "That project no longer takes members.",
    A.OWN_PROJECT: "You proposed *{name}*: you are in its team.",
    A.TEAMS_CLOSED: ":lock: Teams closed {at}: joining has stopped. Ask the organizers.",
    A.NOT_OFFICIAL_TEAM: "*{name}* is not an official team: join it with its button.",
    A.ALREADY_IN: "You are already in *{name}*.",
    A.ALREADY_ASKED: "You asked to join *{name}*: the organizers will tell you.",
    A.ASKED: "*{name}* is an official team: I asked the organizers to add you, and I will "
    "tell you what they decide.",
}


def fact_text(fact: Fact) -> str:
    """A fact as mrkdwn: user text never becomes markup."""
    if isinstance(fact, Person):
        return mention(fact.id)
    if isinstance(fact, People):
        return mentions(fact.ids)
    if isinstance(fact, Linked):
        return link(fact.url, fact.label)
    if isinstance(fact, Moment):
        return slack_date(fact.at)
    if isinstance(fact, int):
        return str(fact)
    return escape(fact)


def reply_text(said: Said | None) -> str:
    """The words of an answer ("" when there is nothing to say)."""
    if said is None:
        return ""
    return WORDS[said.answer].format(**{name: fact_text(f) for name, f in said.facts})


def withdrawn_notice(proposal: Proposal, team: Team) -> str:
    """The organizers' DM when a proposal whose team was ready, full or official is withdrawn."""
    return (
        f":wastebasket: {link(proposal.permalink, proposal.name)} was withdrawn by its proposer "
        f"({team.status.value} team of {team.size})."
    )
