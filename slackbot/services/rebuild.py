"""The week rebuilt from Slack when the database file is lost (an ephemeral disk, a deleted
file): every proposal the bot posted, with its whole answers, its team as its post showed it,
its status and its official team, read back from the posts' message metadata.

Nothing is posted, created or alerted by a rebuild: the posts are Slack's already; an official
team keeps the channel its record names; an alert its team calls for is first looked for in
each organizer's DM (and adopted) before any is sent. Reactions made while the bot was down
are applied afterwards by the start-up reconciliation, as after any restart. What Slack does
not hold (the audit trail, notices, names) comes back from a backup (`slackbot restore`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from slackbot.domain.post_record import NotARecord, PostRecord, decode
from slackbot.services.alerting import claim_alerts
from slackbot.services.directory import OrganizerDirectory
from slackbot.services.ports import History
from slackbot.services.posting import METADATA_EVENT, permalink_of
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.rebuild")

PAGE = 200  # conversations.history's largest page (Tier 3: the client waits for its budget)


@dataclass
class Rebuilt:
    posts: int = 0  # the bot's proposal posts found in the channel
    proposals: int = 0  # stored from them (new to the database)
    joins: int = 0
    official: int = 0
    unreadable: int = 0  # posts whose record is not one this bot could have written


@dataclass(frozen=True)
class RebuildAtStart:
    """Before anything is posted or scheduled: read the week back if the database is new
    beside a channel with the bot's posts, or was restored from a backup."""


@dataclass(frozen=True)
class RebuildFromSlack:
    """`slackbot rebuild`: read every post back (refused by the CLI unless the file is empty)."""


@dataclass(frozen=True)
class Reader:
    """What reading the week back names: the channel, who wrote the records, where they go."""

    uow: UnitOfWork
    history: History
    organizers: OrganizerDirectory
    channel_id: str
    bot_user_id: str
    team_url: str


def at_start(
    cmd: RebuildAtStart,
    uow: UnitOfWork,
    history: History,
    organizers: OrganizerDirectory,
    channel_id: str,
    bot_user_id: str,
    team_url: str,
) -> Rebuilt | None:
    """An empty database beside a channel with the bot's posts is a lost file, and a restored
    backup misses what happened after it was taken; either way the week is read back from the
    posts. None: nothing to read back."""
    restored = uow.catch_up
    after_restore = restored.due()
    if not needed(uow) and not after_restore:
        return None
    report = rebuild_from_slack(Reader(uow, history, organizers, channel_id, bot_user_id, team_url))
    with uow.writing():
        dropped = restored.done()
    if dropped:
        log.info("notices_dropped_after_restore count=%s (sent before the loss)", dropped)
    if report.posts:
        log.warning(
            "database_rebuilt_from_slack proposals=%s joins=%s official=%s after=%s "
            "(the audit trail and notices come back only from a backup: slackbot restore)",
            report.proposals,
            report.joins,
            report.official,
            "restore" if after_restore else "loss",
        )
    return report


def from_slack(
    cmd: RebuildFromSlack,
    uow: UnitOfWork,
    history: History,
    organizers: OrganizerDirectory,
    channel_id: str,
    bot_user_id: str,
    team_url: str,
) -> Rebuilt:
    return rebuild_from_slack(Reader(uow, history, organizers, channel_id, bot_user_id, team_url))


def needed(uow: UnitOfWork) -> bool:
    """An empty database: a new week, or a lost file (the channel tells which)."""
    return bool(uow.proposals.count() == 0)


def rebuild_from_slack(reader: Reader) -> Rebuilt:
    """Read every post of the bot's in the proposals channel and store what its record says:
    a proposal missing is stored; one stored already is brought up to its record (what
    happened after a backup was taken). Safe to run again."""
    started = time.monotonic()
    report = Rebuilt()
    found: list[tuple[PostRecord, str]] = []
    cursor = None
    while True:
        page = reader.history.page(reader.channel_id, limit=PAGE, with_metadata=True, cursor=cursor)
        for message in page.get("messages") or []:
            record = _record_in(reader, message, report)
            if record is not None:
                found.append((record, str(message["ts"])))
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor or not page.get("has_more", True):
            break
    for record, ts in sorted(found, key=lambda item: item[0].proposal_id):
        with reader.uow:  # each proposal whole, with its team and what its alerts did
            new = _restore(reader, record, ts, report)
            reader.uow.commit()
        if new:
            report.proposals += 1
    log.info(
        "rebuilt_from_slack posts=%s proposals=%s joins=%s official=%s unreadable=%s seconds=%.1f",
        report.posts,
        report.proposals,
        report.joins,
        report.official,
        report.unreadable,
        time.monotonic() - started,
    )
    return report


def _record_in(reader: Reader, message: dict[str, Any], report: Rebuilt) -> PostRecord | None:
    metadata = message.get("metadata") or {}
    if not isinstance(metadata, dict) or metadata.get("event_type") != METADATA_EVENT:
        return None
    if message.get("user") != reader.bot_user_id:  # only the bot's own posts are its records
        return None
    report.posts += 1
    payload = metadata.get("event_payload") or {}
    try:
        return decode(payload.get("proposal_id"), payload.get("record"))
    except NotARecord as exc:
        report.unreadable += 1
        log.warning("rebuild_unreadable ts=%s problem=%s", message.get("ts"), exc)
        return None


def _restore(reader: Reader, record: PostRecord, ts: str, report: Rebuilt) -> bool:
    """Store the record's proposal, or bring the stored one up to it (after a restore from a
    backup), in the caller's unit of work; True if it was new."""
    uow, channel = reader.uow, reader.channel_id
    permalink = permalink_of(reader.team_url, channel, ts)
    new = bool(uow.proposals.restore(record, channel=channel, ts=ts, permalink=permalink))
    if not new:
        uow.proposals.catch_up(record, channel=channel, ts=ts, permalink=permalink)
    proposal = uow.proposals.get(record.proposal_id)
    if proposal is None or proposal.ts != ts:
        log.warning("rebuild_conflict proposal_id=%s ts=%s", record.proposal_id, ts)
        return False
    uow.memberships.restore_team(proposal, record.joins, record.leaves)
    report.joins += sum(1 for j in record.joins if j.present)
    if record.official is not None:
        uow.memberships.restore_official(proposal, record.official)
        report.official += 1
    elif uow.memberships.made_official_by(proposal.id) is not None:
        uow.memberships.undo_official(proposal.id)  # undone after the backup was taken
    # The alerts this team calls for were perhaps sent before the loss: look for them first.
    if claim_alerts(uow, reader.organizers, proposal, uow.memberships.summary(proposal)):
        uow.alerts.as_if_attempted(proposal.id, since=float(ts) - 5)
    return new


COMMANDS = {RebuildAtStart: at_start, RebuildFromSlack: from_slack}
