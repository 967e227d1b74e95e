"""Opening the proposal form from any surface (`/propose`, the Home tab's button, the message
shortcut, the post's ⋯ menu): the listeners record what to open; `open_form_now` runs on the
"ui" lane, where views.open happens at once, far inside the trigger's 3 seconds, whatever else
the bot is busy with. A message, or a proposal pasted after `/propose`, is read into the
template's sections, and the form says which it filled."""

from __future__ import annotations

from typing import Any

from slackbot.listeners.payload import optional_text, text, user_of
from slackbot.services.form_opening import NotOpened, NotYours, OpenProposalForm
from slackbot.services.replies import Reply
from slackbot.services.runtime import Runtime
from slackbot.services.submission import ProposalsClosed

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
    proposal_id = request.get("proposal_id")
    message = request.get("message")
    command = OpenProposalForm(
        str(request["trigger_id"]),
        str(request["user"]),
        proposal_id=proposal_id if isinstance(proposal_id, int) else None,
        message=None if message is None else str(message),
        name=str(request.get("name") or ""),
    )
    result = rt.bus.handle(command)
    if isinstance(result, ProposalsClosed):
        rt.bus.handle(Reply(request, result.message))
    elif isinstance(result, NotYours):
        rt.bus.handle(Reply(request, NOT_YOURS))
    elif isinstance(result, NotOpened):
        rt.bus.handle(Reply(request, SLOW))
