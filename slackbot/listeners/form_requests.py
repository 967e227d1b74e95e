"""Opening the proposal form from any surface (`/propose`, the Home tab's button, the message
shortcut, the post's ⋯ menu): the listeners record what to open; `open_form_now` runs on the
"ui" lane, where views.open happens at once, far inside the trigger's 3 seconds, whatever else
the bot is busy with. A message, or a proposal pasted after `/propose`, is read into the
template's sections, and the form says which it filled."""

from __future__ import annotations

import logging
from typing import Any

from slackbot.blocks.proposal_form import paste_notice
from slackbot.domain.validation import Draft
from slackbot.listeners.payload import optional_text, text, user_of
from slackbot.services import editing
from slackbot.services.deadlines import proposals_closed
from slackbot.services.form_opening import open_form, point_at_similar, prefill_from_text
from slackbot.services.replies import tell
from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.forms")

SLOW = "Slack took too long to open the form. Please try again."
NOT_YOURS = "Only the person who proposed this project can edit it."


def form_request(body: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """What opening the form needs, read from the payload (stored in the inbox)."""
    return {
        "trigger_id": text(body, "trigger_id"),
        "user": user_of(body),
        "response_url": optional_text(body, "response_url"),
        **extra,
    }


def open_form_now(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: open the form, prefilled from a name, a message, or the proposal to edit."""
    user = str(request["user"])
    draft: Draft | None = None
    notice: str | None = None
    proposal_id = request.get("proposal_id")
    closed = proposals_closed(rt)
    if closed and not isinstance(proposal_id, int):  # an edit is still fine
        tell(rt, request, closed)
        return
    if isinstance(proposal_id, int):
        draft = editing.own_draft(rt, proposal_id, user)
        if draft is None:
            tell(rt, request, NOT_YOURS)
            return
    elif request.get("message") is not None:
        pasted = prefill_from_text(str(request["message"]))
        draft, notice = pasted.draft, paste_notice(pasted)
    elif request.get("name"):
        draft = Draft(answers={"name": str(request["name"])})
    opened = open_form(
        rt, str(request["trigger_id"]), draft, proposal_id=proposal_id, notice=notice
    )
    if opened is None:
        tell(rt, request, SLOW)
        return
    log.info("proposal_modal_opened user=%s view_id=%s", user, opened["id"])
    if draft is not None and proposal_id is None and draft.get("name"):
        point_at_similar(rt, opened, draft, user, notice=notice)
