"""Submitting the proposal modal: validate, advise, check for similar projects, store, post.

Only what cannot be posted is an error, sent back as the one and only ack
(`response_action="errors"`). If the guide has advice on the draft (a vague name, a model it
cannot find) or the same idea exists in the same language, the ack turns the modal into one
"Before you post" step (the draft is held server-side: private_metadata is too small for a
proposal); each piece of advice is shown once per wording. Otherwise the proposal is stored
before the ack (keyed on the view id, so a repeated submission stores nothing new) and posted by
the "post" lane, while the modal shows progress.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.blocks.before_you_post import CALLBACK_ID as STEP_CALLBACK_ID
from slackbot.blocks.before_you_post import before_you_post_view
from slackbot.blocks.mrkdwn import channel, escape
from slackbot.blocks.proposal_form import CALLBACK_ID, draft_from_state, status_view
from slackbot.blocks.proposal_status import posted_view, saved_view
from slackbot.blocks.replies import reply_text
from slackbot.domain.validation import Draft
from slackbot.listeners.deferral import defer, runtime
from slackbot.listeners.payload import Malformed, mapping, optional_text, text, user_of
from slackbot.services.editing import AfterEdit, EditProposal
from slackbot.services.form_opening import ShowInModal
from slackbot.services.outcome import Outcome
from slackbot.services.runtime import Runtime
from slackbot.services.submission import (
    BeforeYouPost,
    DraftGone,
    NotPostable,
    PostAnyway,
    Posted,
    PostProposal,
    ProposalsClosed,
    Stored,
    SubmissionResult,
    SubmitProposal,
)

log = logging.getLogger("slackbot.submission")


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(optional_text(view, "private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def listed(meta: dict[str, Any], key: str) -> list[Any]:
    """A list from the view's metadata; anything else (a forged payload) reads as empty."""
    value = meta.get(key)
    return value if isinstance(value, list) else []


def read_draft(view: dict[str, Any]) -> Draft:
    try:
        return draft_from_state(mapping(view, "state", "values"))
    except (ValueError, TypeError, AttributeError, KeyError):
        raise Malformed("view.state.values") from None


def handle_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    user, view_id, draft, meta = user_of(body), text(view, "id"), read_draft(view), metadata(view)
    edited = meta.get("proposal_id")
    if isinstance(edited, int) and not isinstance(edited, bool):
        outcome = runtime(context).bus.handle(EditProposal(user, edited, draft))
        answer_edit(context, ack, view, user, outcome)
        return
    command = SubmitProposal(
        user,
        view_id,
        draft,
        seen=frozenset(i for i in listed(meta, "seen") if isinstance(i, int)),
        advised=frozenset(k for k in listed(meta, "advised") if isinstance(k, str)),
    )
    answer(context, ack, user, runtime(context).bus.handle(command))


def answer_edit(
    context: BoltContext, ack: Ack, view: dict[str, Any], user: str, outcome: Outcome
) -> None:
    """The ack of a proposer's edit; what it changes beyond the proposal is recorded first."""
    if outcome.errors:
        ack(response_action="errors", errors=outcome.errors)
        return
    if outcome.ok:
        after = {"proposal_id": metadata(view)["proposal_id"], "user": user}
        key = f"edit:{text(view, 'id')}:{optional_text(view, 'hash')}"
        defer(context, "proposal_edited", after, key=key)
    title = "Proposal saved" if outcome.ok else "Not saved"
    ack(response_action="update", view=status_view(title, reply_text(outcome.said)))


def handle_post_anyway(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    meta = metadata(view)
    command = PostAnyway(
        user_of(body),
        str(meta.get("draft") or ""),
        advised=frozenset(k for k in listed(meta, "advised") if isinstance(k, str)),
    )
    answer(context, ack, command.user, runtime(context).bus.handle(command))


def answer(context: BoltContext, ack: Ack, user: str, result: SubmissionResult | DraftGone) -> None:
    """The one and only ack of a submission, from its result. A stored proposal's posting is
    recorded (deferred) before the ack goes out."""
    if isinstance(result, NotPostable):
        ack(response_action="errors", errors=result.errors)
    elif isinstance(result, ProposalsClosed):
        ack(response_action="update", view=status_view("Proposals closed", result.message))
    elif isinstance(result, DraftGone):
        gone = status_view("Draft not found", "That draft is gone. Please `/propose` again.")
        ack(response_action="update", view=gone)
    elif isinstance(result, BeforeYouPost):
        step = before_you_post_view(
            result.name,
            result.advice,
            result.similar,
            draft_key=result.draft_key,
            seen=result.seen,
            advised=result.advised,
        )
        ack(response_action="update", view=step)
    else:
        _post(context, ack, user, result)


def _post(context: BoltContext, ack: Ack, user: str, result: Stored) -> None:
    """A stored proposal: its posting is recorded (deferred), then the modal says so."""
    proposal = result.proposal
    request = {
        "proposal_id": proposal.id,
        "view_id": result.view_id,
        "user": user,
        "note": result.note,
        "notes": list(result.notes),
    }
    defer(context, "post_proposal", request, key=f"post:{proposal.id}", user=user)
    where = channel(result.channel_id)
    posting = status_view("Posting…", f"Posting *{escape(proposal.name)}* to {where}…")
    ack(response_action="update", view=posting)


def post_proposal(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: post the stored proposal, then show the outcome in the modal and in a DM."""
    command = PostProposal(
        int(request["proposal_id"]),
        view_id=str(request["view_id"]),
        user=str(request["user"]),
        note=bool(request.get("note")),
        notes=tuple(str(k) for k in request["notes"]) if "notes" in request else None,
    )
    result = rt.bus.handle(command)
    if result is None:  # posted earlier, or being posted: whoever posts it tells the proposer
        return
    if isinstance(result, Posted):
        outcome = posted_view(result.proposal, result.channel_id, result.join_emoji, result.notes)
    else:
        outcome = saved_view()
    rt.bus.handle(ShowInModal(command.view_id, outcome))


def proposal_edited(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: what an edit changes beyond the proposal (alerts, the post, Home tabs)."""
    rt.bus.handle(AfterEdit(str(request["user"]), int(request["proposal_id"])))


__all__ = ["CALLBACK_ID", "STEP_CALLBACK_ID"]
