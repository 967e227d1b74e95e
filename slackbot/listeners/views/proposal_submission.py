"""Submitting the proposal modal: validate, check for similar projects, store, then post.

Field errors go back as the one and only ack (`response_action="errors"`). If the same idea
already exists in the same language, the ack turns the modal into the similar-project step
(the draft is held server-side: private_metadata is too small for a proposal). Otherwise the
proposal is stored before the ack (keyed on the view id, so a repeated submission stores nothing
new) and posted after it, while the modal shows progress.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App

from slackbot.blocks.proposal_modal import CALLBACK_ID, draft_from_state, status_view
from slackbot.blocks.similar import CALLBACK_ID as SIMILAR_CALLBACK_ID
from slackbot.blocks.similar import similar_view
from slackbot.blocks.text import channel, escape, link
from slackbot.domain.proposals import Proposal
from slackbot.domain.validation import Draft, validate
from slackbot.listeners.errors import after_ack_reported
from slackbot.runtime import Runtime
from slackbot.services import manage
from slackbot.services.notify import DELIVERY_ERRORS, dm
from slackbot.services.publishing import confirm_to_proposer, publish
from slackbot.services.similar import Match, find_similar

log = logging.getLogger("slackbot.submission")


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def store_and_post(
    rt: Runtime, ack: Ack, user_id: str, draft: Draft, view_id: str, matches: list[Match]
) -> None:
    """Store the proposal, ack with a progress view, post it, then show the outcome."""
    variants = [m.proposal for m in matches if not m.same_language]
    proposal, created = rt.proposals.create(
        draft,
        user_id,
        submission_key=view_id,
        min_team_size=draft.min_team_size,
        variants=[v.id for v in variants],
    )
    ack(
        response_action="update",
        view=status_view(
            "Posting…", f"Posting *{escape(proposal.name)}* to {channel(rt.channel_id)}…"
        ),
    )
    log.info("proposal_stored proposal_id=%s user=%s new=%s", proposal.id, user_id, created)
    result = publish(rt, proposal.id)
    if result.fresh and result.proposal is not None:
        posted = result.proposal
        outcome = status_view(
            "Proposal posted",
            f":white_check_mark: *{escape(posted.name)}* is posted in {channel(rt.channel_id)}: "
            f"{link(posted.permalink, 'view it')}.\n"
            f"People join by reacting with :{rt.join_emoji[0]}:.",
        )
        confirm_to_proposer(rt, posted)
        tell_variant_proposers(rt, posted, variants)
    elif result.posted or result.error == "in progress":
        # Posted earlier (a repeated submission), or the retry job is posting it right now:
        # whoever posts it tells the proposer.
        return
    else:
        outcome = status_view(
            "Proposal saved",
            ":hourglass_flowing_sand: Slack is not accepting messages right now. Your proposal "
            f"*{escape(proposal.name)}* is saved and will be posted automatically in a few "
            "minutes; I will send you the link.",
        )
        dm(
            rt.client,
            user_id,
            f"Your proposal *{escape(proposal.name)}* is saved; Slack refused to post it "
            "just now and I will retry shortly. Nothing you wrote is lost.",
        )
    try:
        rt.client.views_update(view_id=view_id, view=outcome)
    except DELIVERY_ERRORS as exc:  # the person closed the modal: the DM says it all
        log.info("status_view_not_updated view_id=%s error=%s", view_id, exc)


def tell_variant_proposers(rt: Runtime, posted: Proposal, variants: list[Proposal]) -> None:
    languages = escape(", ".join(posted.language_names))
    for variant in variants:
        dm(
            rt.client,
            variant.proposer_id,
            f"Your idea {link(variant.permalink, variant.name)} was just proposed in "
            f"{languages} too: {link(posted.permalink, posted.name)}.",
        )


def register(app: App, rt: Runtime) -> None:
    @app.view(CALLBACK_ID)
    @after_ack_reported(rt)
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user_id = body["user"]["id"]
        draft = draft_from_state(view["state"]["values"])
        editing = metadata(view).get("proposal_id")
        if isinstance(editing, int):
            result = manage.edit(rt, editing, user_id, draft)
            if isinstance(result, dict):
                ack(response_action="errors", errors=result)
            else:
                title = "Proposal saved" if result.ok else "Not saved"
                ack(response_action="update", view=status_view(title, result.message))
            return
        errors = validate(draft)
        if errors:
            ack(response_action="errors", errors=errors)
            log.info("proposal_invalid user=%s fields=%s", user_id, ",".join(sorted(errors)))
            return
        matches = find_similar(rt, draft, author=user_id)
        seen = set(metadata(view).get("seen") or [])
        same = [m for m in matches if m.same_language and m.proposal.id not in seen]
        if same:
            rt.proposals.hold_draft(view["id"], user_id, draft)
            shown = [m.proposal for m in same]
            standings = {s.proposal_id: s for s in rt.memberships.standings([p.id for p in shown])}
            ack(
                response_action="update",
                view=similar_view(
                    draft.get("name"),
                    [(p, standings.get(p.id)) for p in shown],
                    draft_key=view["id"],
                    seen=sorted(seen | {p.id for p in shown}),
                ),
            )
            log.info(
                "proposal_similar_found user=%s matches=%s",
                user_id,
                ",".join(str(p.id) for p in shown),
            )
            return
        store_and_post(rt, ack, user_id, draft, view["id"], matches)

    @app.view(SIMILAR_CALLBACK_ID)
    @after_ack_reported(rt)
    def post_anyway(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user_id = body["user"]["id"]
        key = str(metadata(view).get("draft") or "")
        draft = rt.proposals.held_draft(key, user_id)
        if draft is None:
            ack(
                response_action="update",
                view=status_view("Draft not found", "That draft is gone. Please `/propose` again."),
            )
            return
        store_and_post(rt, ack, user_id, draft, key, find_similar(rt, draft, author=user_id))
