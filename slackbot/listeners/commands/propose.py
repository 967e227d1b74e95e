"""`/propose [project name]`: open the proposal modal.

views.open is the first thing done after ack: the trigger_id expires 3 s after Slack sent it.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError

from slackbot.blocks.proposal_modal import proposal_modal
from slackbot.blocks.similar import similar_notice
from slackbot.domain.validation import Draft
from slackbot.listeners.errors import after_ack_reported
from slackbot.runtime import Runtime
from slackbot.services.similar import find_similar

log = logging.getLogger("slackbot.propose")


def open_proposal_modal(
    rt: Runtime, trigger_id: str, draft: Draft | None, *, proposal_id: int | None = None
) -> dict[str, Any] | None:
    """Open the modal; returns the opened view (id, hash), or None if the trigger expired."""
    try:
        view = proposal_modal(draft, proposal_id=proposal_id, max_team=rt.settings.TEAM_SIZE_MAX)
        response = rt.ui_client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        log.warning("views_open_failed error=%s", exc.response.get("error"))
        return None
    return dict(response["view"])


def warn_if_similar(rt: Runtime, opened: dict[str, Any], draft: Draft, user: str) -> None:
    """After the modal is open (never before: the trigger expires), point at projects whose
    name is like the prefilled one."""
    matches = find_similar(rt, draft, author=user, limit=3)
    if not matches:
        return
    shown = [m.proposal for m in matches]
    standings = {s.proposal_id: s for s in rt.memberships.standings([p.id for p in shown])}
    notice = similar_notice([(p, standings.get(p.id)) for p in shown])
    view = proposal_modal(draft, notice=notice, max_team=rt.settings.TEAM_SIZE_MAX)
    try:
        # The hash makes Slack refuse this update if the modal changed meanwhile.
        rt.client.views_update(view_id=opened["id"], hash=opened.get("hash"), view=view)
    except SlackApiError as exc:
        log.info("similar_notice_skipped error=%s", exc.response.get("error"))


def register(app: App, rt: Runtime) -> None:
    @app.command("/propose")
    @after_ack_reported(rt)
    def propose(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        name = (body.get("text") or "").strip()
        draft = Draft(answers={"name": name}) if name else None
        opened = open_proposal_modal(rt, body["trigger_id"], draft)
        if opened is None:
            respond("Slack took too long to open the form. Please run `/propose` again.")
            return
        log.info("proposal_modal_opened user=%s view_id=%s", body["user_id"], opened["id"])
        if draft is not None:
            warn_if_similar(rt, opened, draft, body["user_id"])
