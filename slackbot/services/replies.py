"""Answering a person from deferred work: where they acted if Slack gave a response_url (30
minutes, 5 uses), otherwise in a DM; and the apology when something failed on our side."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackClientError
from slack_sdk.webhook import WebhookClient

from slackbot.blocks.mrkdwn import safe_url
from slackbot.services.ports import Messenger
from slackbot.store.inbox import Work

log = logging.getLogger("slackbot.replies")

APOLOGY = (
    "Sorry, something went wrong on our side (reference {ref}). Nothing you had saved is lost; "
    "please try again in a minute, or tell an organizer with that reference."
)


def respond(url: str, **message: Any) -> bool:
    """Post to a response_url; False if Slack refused (expired, used up) or it is not one."""
    if safe_url(url) != url:
        log.warning("response_url_invalid")
        return False
    try:
        response = WebhookClient(url, timeout=10).send_dict(message)
    except (SlackClientError, OSError) as exc:
        log.warning("response_url_failed error=%s", exc)
        return False
    if response.status_code != 200:
        log.warning("response_url_refused status=%s body=%s", response.status_code, response.body)
        return False
    return True


def reply(messenger: Messenger, payload: dict[str, Any], text: str) -> None:
    """An ephemeral note where the person acted, or a DM."""
    url = payload.get("response_url")
    if (
        isinstance(url, str)
        and url
        and respond(url, text=text, response_type="ephemeral", replace_original=False)
    ):
        return
    user = payload.get("user")
    if isinstance(user, str) and user:
        messenger.dm(user, text)


@dataclass(frozen=True)
class Reply:
    """A note for the person, from deferred work: where they acted, or in a DM. `payload`
    holds their `user` and, if Slack gave one, the `response_url`."""

    payload: dict[str, Any]
    text: str


def answer(cmd: Reply, messenger: Messenger) -> None:
    reply(messenger, cmd.payload, cmd.text)


@dataclass(frozen=True)
class Apologize:
    """Tell `user` something failed on our side; `ref` is what the log has."""

    user: str
    ref: str


def apologize(cmd: Apologize, messenger: Messenger) -> None:
    """Tell the person something failed on our side, with the reference the log has."""
    messenger.dm(cmd.user, APOLOGY.format(ref=cmd.ref))


def on_work_failed(work: Work, error: BaseException, *, messenger: Messenger) -> None:
    """A deferred piece of work failed for good: logged, and its person told."""
    ref = uuid.uuid4().hex[:8]
    log.error("work_failed ref=%s handler=%s id=%s", ref, work.handler, work.id, exc_info=error)
    if work.user_id:
        apologize(Apologize(work.user_id, ref), messenger)


COMMANDS = {Reply: answer, Apologize: apologize}
