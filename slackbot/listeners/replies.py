"""Answering a person from deferred work: where they acted if Slack gave a response_url (30
minutes, 5 uses), otherwise in a DM."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.webhook import WebhookClient

from slackbot.blocks.mrkdwn import safe_url
from slackbot.services.runtime import Runtime
from slackbot.slack.direct_messages import DELIVERY_ERRORS, dm

log = logging.getLogger("slackbot.replies")


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
