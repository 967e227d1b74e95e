"""The organizers' controls: make official or undo, close or reopen, team sizes, moving
a person between teams, the digest now, the export. Every action is refused to anyone but an
organizer (`require_organizer`), recorded in the audit trail, and shown on the post at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

from slackbot.blocks.limits import clip
from slackbot.domain.answers import Answer, Fact, Linked, People, Person, say
from slackbot.domain.events import OfficialUndone
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import ORGANIZER, Signal
from slackbot.domain.template import SECTIONS_BY_ID
from slackbot.services import digest_posting, export, join_requests
from slackbot.services.alerting import check_alerts, refresh_alert_messages
from slackbot.services.joining import record_change, show_change
from slackbot.services.notices import DECLINED, PLACE, notices
from slackbot.services.officiating import make_official
from slackbot.services.outcome import Outcome, require_organizer
from slackbot.services.posting import publish
from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.organizing")


def is_person(rt: Runtime, user: str) -> bool:
    """A member of the workspace (not a bot, not deactivated), as Slack says (users.info)."""
    try:
        found = rt.client.users_info(user=user)["user"]
    except SlackApiError:
        return False
    return not (found.get("deleted") or found.get("is_bot"))


# --- organizers -------------------------------------------------------------------------
def _organizer_action(
    name: str,
) -> Callable[[Callable[..., Outcome]], Callable[..., Outcome]]:
    """Every organizer action: refused for anyone else, logged, and the post refreshed."""

    def decorate(action: Callable[..., Outcome]) -> Callable[..., Outcome]:
        def run(rt: Runtime, organizer: str, proposal_id: int, *args: object) -> Outcome:
            refused = require_organizer(rt, organizer, name)
            if refused is not None:
                return refused
            proposal = rt.proposals.get(proposal_id)
            if proposal is None:
                return Outcome(False, say(Answer.NO_PROJECT_NUMBER, id=proposal_id))
            outcome = action(rt, organizer, proposal, *args)
            if outcome.ok:
                log.info(
                    "organizer_action action=%s proposal_id=%s by=%s", name, proposal_id, organizer
                )
                show_change(rt.updates, rt.organizers, proposal_id, {proposal.proposer_id})
            return outcome

        return run

    return decorate


def official(rt: Runtime, organizer: str, proposal_id: int) -> Outcome:
    return make_official(rt, proposal_id, organizer)


@_organizer_action("undo_official")
def undo_official(rt: Runtime, organizer: str, proposal: Proposal) -> Outcome:
    if proposal.status is not Status.OFFICIAL:
        return Outcome(False, say(Answer.NOT_OFFICIAL, name=proposal.name))
    with rt.uow:
        rt.memberships.undo_official(proposal.id)
        rt.proposals.set_status(proposal.id, Status.OPEN)
        rt.audit.record(
            organizer, "undo_official", proposal.id, {"status": "official"}, {"status": "open"}
        )
        rt.uow.commit()
    rt.bus.publish(OfficialUndone(proposal.id))
    return Outcome(True, say(Answer.OPEN_AGAIN, name=proposal.name))


@_organizer_action("close")
def close(rt: Runtime, organizer: str, proposal: Proposal) -> Outcome:
    if not proposal.is_live:
        return Outcome(
            False, say(Answer.NOT_LIVE, name=proposal.name, status=proposal.status.value)
        )
    with rt.uow:
        rt.uow.proposals.set_status(proposal.id, Status.CLOSED)
        rt.uow.audit.record(
            organizer, "close", proposal.id, {"status": proposal.status.value}, {"status": "closed"}
        )
        rt.uow.commit()
    return Outcome(True, say(Answer.CLOSED, name=proposal.name))


def close_all(rt: Runtime, organizer: str, confirm: int | None) -> Outcome:
    """Close every open proposal at once (official teams stay). Confirmed by repeating the
    number of proposals it closes: a count that changed meanwhile asks again."""
    refused = require_organizer(rt, organizer, "close_all")
    if refused is not None:
        return refused
    open_now = rt.proposals.with_status(Status.OPEN)
    if confirm != len(open_now) or not open_now:
        if not open_now:
            return Outcome(False, say(Answer.NONE_OPEN))
        return Outcome(False, say(Answer.CONFIRM_CLOSE_ALL, count=len(open_now)))
    with rt.uow:
        for proposal in open_now:
            rt.proposals.set_status(proposal.id, Status.CLOSED)
            rt.audit.record(
                organizer, "close_all", proposal.id, {"status": "open"}, {"status": "closed"}
            )
        rt.uow.commit()
    for proposal in open_now:
        rt.updates.mark(proposal.id)  # redrawn within chat.update's budget
    rt.updates.mark_homes(rt.organizers.everyone() | {p.proposer_id for p in open_now})
    log.info("close_all by=%s count=%s", organizer, len(open_now))
    return Outcome(True, say(Answer.CLOSED_ALL, count=len(open_now)))


@_organizer_action("reopen")
def reopen(rt: Runtime, organizer: str, proposal: Proposal) -> Outcome:
    if proposal.status not in (Status.CLOSED, Status.WITHDRAWN):
        return Outcome(
            False, say(Answer.NOT_CLOSED, name=proposal.name, status=proposal.status.value)
        )
    back = Status.OFFICIAL if rt.memberships.made_official_by(proposal.id) else Status.OPEN
    with rt.uow:
        rt.uow.proposals.set_status(proposal.id, back)
        rt.uow.audit.record(
            organizer,
            "reopen",
            proposal.id,
            {"status": proposal.status.value},
            {"status": back.value},
        )
        rt.uow.commit()
    return Outcome(True, say(Answer.REOPENED, name=proposal.name, status=back.value))


@_organizer_action("set_limits")
def set_limits(
    rt: Runtime, organizer: str, proposal: Proposal, minimum: int, maximum: int
) -> Outcome:
    if not 2 <= minimum <= maximum <= 100:
        return Outcome(False, say(Answer.BAD_SIZES))
    before = {"threshold": proposal.min_team_size, "max": proposal.max_team_size}
    with rt.uow:
        rt.uow.proposals.set_limits(proposal.id, minimum, maximum)
        rt.uow.audit.record(
            organizer, "set_limits", proposal.id, before, {"threshold": minimum, "max": maximum}
        )
        updated = rt.uow.proposals.get(proposal.id)
        summary = rt.uow.memberships.refresh_size(updated).summary if updated else None
        rt.uow.commit()
    if updated is not None and summary is not None:
        check_alerts(rt, updated, summary)
    return Outcome(
        True, say(Answer.LIMITS_SET, name=proposal.name, minimum=minimum, maximum=maximum)
    )


@_organizer_action("move")
def move(rt: Runtime, organizer: str, proposal: Proposal, user: str, to_id: int) -> Outcome:
    target = rt.proposals.get(to_id)
    if target is None or not target.is_live:
        return Outcome(False, say(Answer.NO_TARGET, id=to_id))
    if user in (proposal.proposer_id, target.proposer_id):
        return Outcome(False, say(Answer.PROPOSER_NOT_MOVED))
    if not is_person(rt, user):
        return Outcome(False, say(Answer.NO_SUCH_PERSON))
    now = time.time()
    with rt.uow:
        left = rt.memberships.leave(proposal, user, now)
        record_change(rt.uow, rt.updates, rt.organizers, proposal, left)
        joined = rt.memberships.apply(target, Signal(user, ORGANIZER, True, now))
        record_change(rt.uow, rt.updates, rt.organizers, target, joined)
        notices(rt).add(user, target.id, PLACE, {"reason": "moved"})
        rt.audit.record(
            organizer,
            "move",
            proposal.id,
            {"user": user, "project": proposal.id},
            {"user": user, "project": target.id},
        )
        rt.uow.commit()
    rt.bus.publish_committed()
    rt.updates.mark(target.id)
    return Outcome(True, say(Answer.MOVED, user=Person(user), name=target.name))


@_organizer_action("join_request")
def decide_join_request(
    rt: Runtime, organizer: str, proposal: Proposal, user: str, outcome: str
) -> Outcome:
    """Approve or decline a request to join an official team; the first decision wins."""
    if outcome not in ("approved", "declined"):
        return Outcome(False, say(Answer.APPROVE_OR_DECLINE))
    if not join_requests.decide(rt.uow, proposal, user, organizer, outcome):
        decided = join_requests.decision(rt.uow, proposal.id, user)
        if decided is None:
            return Outcome(False, say(Answer.DECIDED_ELSEWHERE))
        return Outcome(False, say(Answer.DECIDED_BY, organizer=Person(decided[1])))
    with rt.uow:
        if outcome == "approved":
            signal = Signal(user, ORGANIZER, True, time.time())
            change = rt.memberships.apply(proposal, signal)
            record_change(rt.uow, rt.updates, rt.organizers, proposal, change)
            notices(rt).add(user, proposal.id, PLACE, {"reason": "approved"})
        else:
            notices(rt).add(user, proposal.id, DECLINED)
        rt.audit.record(
            organizer,
            "join_request",
            proposal.id,
            {"user": user},
            {"user": user, "outcome": outcome},
        )
        rt.uow.commit()
    rt.bus.publish_committed()
    join_requests.refresh_copies(rt.uow, rt.messenger, proposal, user)
    return Outcome(True, say(Answer.DECIDED, user=Person(user), outcome=outcome))


SECOND_LEADS = ("proposer", "waitlist")


@_organizer_action("second_team")
def start_second_team(rt: Runtime, organizer: str, proposal: Proposal, lead_by: str) -> Outcome:
    """An over-subscribed idea gets a second team: the same answers as "… (team 2)", the
    waitlist as its members in order of arrival, led by the same proposer or by the first who
    waited; both posts link each other and every moved person is told."""
    if lead_by not in SECOND_LEADS:
        return Outcome(False, say(Answer.LEAD_BY))
    earlier = [t for t in rt.proposals.second_teams(proposal.id) if t.second_of == proposal.id]
    if earlier:
        first = earlier[0]
        return Outcome(
            False, say(Answer.SECOND_TEAM_EXISTS, team=Linked(first.permalink, first.name))
        )
    waiting = list(rt.memberships.team(proposal).waitlist)
    if not waiting or not proposal.is_live:
        return Outcome(False, say(Answer.NOBODY_WAITING, name=proposal.name))
    lead = proposal.proposer_id if lead_by == "proposer" else waiting[0]
    draft = proposal.draft
    draft.answers["name"] = clip(f"{proposal.name} (team 2)", SECTIONS_BY_ID["name"].max_length)
    now = time.time()
    with rt.uow:
        second, _ = rt.uow.proposals.create(
            draft,
            lead,
            submission_key=f"second-team:{proposal.id}",
            min_team_size=proposal.min_team_size,
            second_of=proposal.id,
        )
        for user in waiting:
            left = rt.memberships.leave(proposal, user, now)
            record_change(rt.uow, rt.updates, rt.organizers, proposal, left)
        for order, user in enumerate(u for u in waiting if u != lead):
            rt.memberships.apply(second, Signal(user, ORGANIZER, True, now + order / 1000))
        for user in waiting:
            notices(rt).add(user, second.id, PLACE, {"reason": "lead" if user == lead else "moved"})
        rt.audit.record(
            organizer,
            "second_team",
            proposal.id,
            {"waitlist": waiting},
            {"project": second.id, "lead": lead, "members": [u for u in waiting if u != lead]},
        )
        rt.uow.commit()
    published = publish(
        second.id,
        uow=rt.uow,
        messenger=rt.messenger,
        hub=rt.hub,
        updates=rt.updates,
        channel_id=rt.channel_id,
        team_url=rt.team_url,
        join_emoji=rt.join_emoji[0],
    )
    rt.bus.publish_committed()
    if published.proposal is not None:
        check_alerts(rt, published.proposal, rt.memberships.summary(published.proposal))
    rt.updates.mark(proposal.id)  # the first post links the second
    refresh_alert_messages(rt, proposal.id)
    name = published.proposal.name if published.proposal else second.name
    permalink = published.proposal.permalink if published.proposal else None
    others = [u for u in waiting if u != lead]
    facts: dict[str, Fact] = {
        "team": Linked(permalink, name),
        "lead": Person(lead),
        "count": len(waiting),
    }
    if others:
        return Outcome(
            True, say(Answer.SECOND_TEAM_STARTED_WITH, others=People(tuple(others)), **facts)
        )
    return Outcome(True, say(Answer.SECOND_TEAM_STARTED, **facts))


def post_digest_now(rt: Runtime, organizer: str) -> Outcome:
    refused = require_organizer(rt, organizer, "digest_now")
    if refused is not None:
        return refused
    outcome = digest_posting.post_now(rt)
    rt.audit.record(organizer, "digest_now", None, None, {"outcome": outcome})
    return Outcome(outcome in ("posted", "empty"), say(Answer.DIGEST, outcome=outcome))


def send_export(rt: Runtime, organizer: str, fmt: str, *, scores: bool = False) -> Outcome:
    """Upload the organizers' sheet (or, asked for, the judges' scores) to the organizer's DM,
    and record that they took it."""
    refused = require_organizer(rt, organizer, "export")
    if refused is not None:
        return refused
    export.upload_to_organizer(rt, organizer, fmt, scores=scores)
    with rt.uow.writing():
        rt.uow.audit.record(
            organizer, "export", None, None, {"format": fmt, **({"scores": True} if scores else {})}
        )
    return Outcome(
        True, say(Answer.SCORES_SENT if scores else Answer.SHEET_SENT, format=fmt.upper())
    )
