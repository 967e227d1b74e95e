"""Opening the proposal form (new, prefilled, or the edit of a posted proposal) and pointing
at similar projects once it is open.

views.open is the first Slack call: the trigger_id dies 3 s after Slack sent it. It goes
through the client that does not retry (sleeping through a retry only lets the trigger die).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from slackbot.blocks.proposal_form import Week, blank_modal, proposal_modal, similar_notice
from slackbot.domain.pasted import Pasted, parse_pasted
from slackbot.domain.template import SECTIONS_BY_ID
from slackbot.domain.validation import Draft
from slackbot.services.runtime import Runtime
from slackbot.services.similar_projects import find_similar
from slackbot.slack.direct_messages import DELIVERY_ERRORS

log = logging.getLogger("slackbot.form")


def week_of(rt: Runtime) -> Week:
    """What the form tells proposers about this week."""
    return Week(
        threshold=rt.settings.TEAM_SIZE_THRESHOLD,
        max_team=rt.settings.TEAM_SIZE_MAX,
        channel_id=rt.channel_id,
        join_emoji=rt.join_emoji[0],
    )


def open_form(
    rt: Runtime,
    trigger_id: str,
    draft: Draft | None,
    *,
    proposal_id: int | None = None,
    notice: str | None = None,
) -> dict[str, Any] | None:
    """Open the modal; returns the opened view (id, hash), or None if Slack refused (the
    trigger expired, or Slack is down). `notice` is shown at its top."""
    view: View | dict[str, Any] = (
        blank_modal(week_of(rt))
        if draft is None and proposal_id is None
        else proposal_modal(draft, proposal_id=proposal_id, week=week_of(rt), notice=notice)
    )
    return open_view(rt, trigger_id, view)


def open_view(rt: Runtime, trigger_id: str, view: View | dict[str, Any]) -> dict[str, Any] | None:
    """views.open, at once; the opened view, or None if Slack refused."""
    try:
        response = rt.ui_client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        log.warning("views_open_failed error=%s", exc.response.get("error"))
        return None
    except DELIVERY_ERRORS as exc:
        log.warning("views_open_failed error=%s", exc)
        return None
    return dict(response["view"])


def update_view(rt: Runtime, view_id: str, view: View | dict[str, Any]) -> None:
    """views.update of a modal the person has open (the background client: it may wait; a
    failure is raised, so the deferred work that asked is retried)."""
    rt.client.views_update(view_id=view_id, view=view)


def point_at_similar(
    rt: Runtime, opened: dict[str, Any], draft: Draft, user: str, *, notice: str | None = None
) -> None:
    """After the modal is open (never before: the trigger expires), point at projects whose
    name is like the prefilled one, below the `notice` the form opened with."""
    matches = find_similar(rt.proposals, draft, author=user, limit=3)
    if not matches:
        return
    shown = [m.proposal for m in matches]
    standings = {s.proposal_id: s for s in rt.rankings.standings([p.id for p in shown])}
    similar = similar_notice([(p, standings.get(p.id)) for p in shown])
    view = proposal_modal(
        draft, notice=f"{notice}\n\n{similar}" if notice else similar, week=week_of(rt)
    )
    try:
        # The hash makes Slack refuse this update if the modal changed meanwhile.
        rt.client.views_update(view_id=opened["id"], hash=opened.get("hash"), view=view)
    except SlackApiError as exc:
        log.info("similar_notice_skipped error=%s", exc.response.get("error"))


def looks_pasted(text: str) -> bool:
    """Whether `/propose` was given a whole proposal rather than a name: several lines (Slack
    keeps the newlines of a slash command's text), a Markdown heading, or more than a name
    holds."""
    text = text.strip()
    return "\n" in text or text.startswith("#") or len(text) > SECTIONS_BY_ID["name"].max_length


def prefill_from_text(text: str) -> Pasted:
    """A message or a pasted proposal read into the template's sections."""
    return parse_pasted(text)
