"""The Views port (`slackbot.services.ports.Views`) over the Slack clients: views.open on the
trigger-time client (no retries: the trigger dies in 3 s), updates on the background one."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackbot.slack.direct_messages import DELIVERY_ERRORS

log = logging.getLogger("slackbot.form")


class SlackViews:
    def __init__(self, ui_client: WebClient, client: WebClient) -> None:
        self.ui_client = ui_client
        self.client = client

    def open(self, trigger_id: str, view: Any) -> dict[str, Any] | None:
        try:
            response = self.ui_client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as exc:
            log.warning("views_open_failed error=%s", exc.response.get("error"))
            return None
        except DELIVERY_ERRORS as exc:
            log.warning("views_open_failed error=%s", exc)
            return None
        return dict(response["view"])

    def update(self, view_id: str, view: Any) -> None:
        self.client.views_update(view_id=view_id, view=view)

    def update_unless_changed(self, view_id: str, view_hash: str | None, view: Any) -> bool:
        try:
            # The hash makes Slack refuse this update if the modal changed meanwhile.
            self.client.views_update(view_id=view_id, hash=view_hash, view=view)
        except SlackApiError as exc:  # the person typed meanwhile, or closed it
            log.info("view_not_updated view_id=%s error=%s", view_id, exc.response.get("error"))
            return False
        except DELIVERY_ERRORS as exc:
            log.info("view_not_updated view_id=%s error=%s", view_id, exc)
            return False
        return True
