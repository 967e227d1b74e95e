"""Answering a person from deferred work: where they acted if Slack gave a response_url (30
minutes, 5 uses), otherwise in a DM; and the apology when something failed on our side."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_sdk.webhook import WebhookClient

from slackbot.blocks.mrkdwn import safe_url
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import DELIVERY_ERRORS, dm
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
    except DELIVERY_ERRORS as exc:
        log.warning("response_url_failed error=%s", exc)
        return False
    if response.status_code != 200:
        log.warning("response_url_refused status=%s body=%s", response.status_code, response.body)
        return False
    return True


def tell(rt: Runtime, payload: dict[str, Any], text: str) -> None:
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
        dm(rt.client, user, text)


def apologize(rt: Runtime, user: str, ref: str) -> None:
    """Tell the person something failed on our side, with the reference the log has."""
    dm(rt.client, user, APOLOGY.format(ref=ref))


def on_work_failed(rt: Runtime, work: Work, error: BaseException) -> None:
    """A deferred piece of work failed for good: logged, and its person told."""
    ref = uuid.uuid4().hex[:8]
    log.error("work_failed ref=%s handler=%s id=%s", ref, work.handler, work.id, exc_info=error)
    if work.user_id:
        apologize(rt, work.user_id, ref)
