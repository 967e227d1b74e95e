"""Submitting the proposal modal: validate, store, then post.

Field errors go back as the one and only ack (`response_action="errors"`); a valid proposal is
stored before the ack (keyed on the view id, so a repeated submission stores nothing new), and
posted after it, while the modal shows progress.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App

from slackbot.blocks.common import escape
from slackbot.blocks.proposal_modal import CALLBACK_ID, draft_from_state, status_view
from slackbot.domain.validation import validate
from slackbot.listeners.errors import after_ack_reported
from slackbot.runtime import Runtime
from slackbot.services.notify import DELIVERY_ERRORS, dm
from slackbot.services.publishing import confirm_to_proposer, publish

log = logging.getLogger("slackbot.submission")


def register(app: App, rt: Runtime) -> None:
    @app.view(CALLBACK_ID)
    @after_ack_reported(rt)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user_id = body["user"]["id"]
        draft = draft_from_state(view["state"]["values"])
        errors = validate(draft)
        if errors:
            ack(response_action="errors", errors=errors)
            log.info("proposal_invalid user=%s fields=%s", user_id, ",".join(sorted(errors)))
            return
        proposal, created = rt.proposals.create(
            draft, user_id, submission_key=view["id"], min_team_size=draft.min_team_size
        )
        ack(
            response_action="update",
            view=status_view(
                "Posting…", f"Posting *{escape(proposal.name)}* to <#{rt.channel_id}>…"
            ),
        )
        log.info("proposal_stored proposal_id=%s user=%s new=%s", proposal.id, user_id, created)
        result = publish(rt, proposal.id)
        if result.fresh and result.proposal is not None:
            posted = result.proposal
            outcome = status_view(
                "Proposal posted",
                f":white_check_mark: *{escape(posted.name)}* is posted in <#{rt.channel_id}>: "
                f"<{posted.permalink}|view it>.\nPeople join by reacting with "
                f":{rt.join_emoji[0]}:.",
            )
            confirm_to_proposer(rt, posted)
        elif result.posted or result.error == "in progress":
            # Posted earlier (a repeated submission), or the retry job is posting it right now:
            # whoever posts it tells the proposer.
            return
        else:
            outcome = status_view(
                "Proposal saved",
                ":hourglass_flowing_sand: Slack is not accepting messages right now. Your "
                f"proposal *{escape(proposal.name)}* is saved and will be posted automatically "
                "in a few minutes; I will send you the link.",
            )
            dm(
                rt.client,
                user_id,
                f"Your proposal *{escape(proposal.name)}* is saved; Slack refused to post it "
                "just now and I will retry shortly. Nothing you wrote is lost.",
            )
        try:
            rt.client.views_update(view_id=view["id"], view=outcome)
        except DELIVERY_ERRORS as exc:  # the person closed the modal: the DM says it all
            log.info("status_view_not_updated view_id=%s error=%s", view["id"], exc)
