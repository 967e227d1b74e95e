"""Opening modals: the proposal form (new, prefilled from a name or a message, or the edit of a
posted proposal), pointing at similar projects once it is open, and the whole proposal.

views.open is the first Slack call: the trigger_id dies 3 s after Slack sent it. It goes
through the `Views` port's trigger-time client, which does not retry (sleeping through a retry
only lets the trigger die); whatever may be slow comes after it, as a views.update.

Commands: `OpenProposalForm`, `ShowProposal`, `OpenView` (a modal another surface drew),
`UpdateModal` and `ShowInModal` (what deferred work shows in a modal the person has open).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.views import View

from slackbot.blocks.proposal_form import (
    Week,
    blank_modal,
    paste_notice,
    proposal_modal,
    similar_notice,
)
from slackbot.blocks.proposal_post import full_proposal_view
from slackbot.config import Settings
from slackbot.domain.pasted import parse_pasted
from slackbot.domain.template import SECTIONS_BY_ID
from slackbot.domain.validation import Draft
from slackbot.services.deadlines import closed_to_proposals
from slackbot.services.editing import own_draft
from slackbot.services.hub_checks import HubChecks
from slackbot.services.ports import Views
from slackbot.services.similar_projects import find_similar
from slackbot.services.submission import ProposalsClosed
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.form")


# --- commands -----------------------------------------------------------------------------
@dataclass(frozen=True)
class OpenProposalForm:
    """Open the proposal form on `trigger_id`: the proposer's own `proposal_id` to edit, or a
    new one, prefilled from a `message` (or a pasted proposal) or a `name`."""

    trigger_id: str
    user: str
    proposal_id: int | None = None
    message: str | None = None
    name: str = ""


@dataclass(frozen=True)
class ShowProposal:
    """ "View full proposal": the whole proposal in a modal, for anyone."""

    trigger_id: str
    proposal_id: int


@dataclass(frozen=True)
class OpenView:
    """Open a modal another surface drew, at once."""

    trigger_id: str
    view: View | dict[str, Any]


@dataclass(frozen=True)
class UpdateModal:
    """Show `view` in the modal `view_id`; a failure is raised, so the deferred work that
    asked is tried again."""

    view_id: str
    view: View | dict[str, Any]


@dataclass(frozen=True)
class ShowInModal:
    """Show an outcome in the modal `view_id`, if the person still has it open (what it says
    was told in a DM too)."""

    view_id: str
    view: View | dict[str, Any]


# --- results ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Opened:
    view_id: str


@dataclass(frozen=True)
class NotOpened:
    """Slack refused views.open: the trigger expired, or Slack is down."""


@dataclass(frozen=True)
class NotYours:
    """The proposal to edit is someone else's, or gone."""


@dataclass(frozen=True)
class ProposalGone:
    """The proposal to show is gone."""


FormResult = ProposalsClosed | NotYours | NotOpened | Opened


# --- handlers -----------------------------------------------------------------------------
def week(settings: Settings, channel_id: str) -> Week:
    """What the form tells proposers about this week."""
    return Week(
        threshold=settings.TEAM_SIZE_THRESHOLD,
        max_team=settings.TEAM_SIZE_MAX,
        channel_id=channel_id,
        join_emoji=settings.JOIN_EMOJI[0],
    )


def open_proposal_form(
    cmd: OpenProposalForm, uow: UnitOfWork, views: Views, settings: Settings, channel_id: str
) -> FormResult:
    """Open the form, prefilled from a name, a message, or the proposal to edit; once it is
    open (never before: the trigger expires), point at projects with a name like the
    prefilled one."""
    draft: Draft | None = None
    notice: str | None = None
    closed = closed_to_proposals(settings)
    if closed and cmd.proposal_id is None:  # an edit is still fine
        return ProposalsClosed(closed)
    if cmd.proposal_id is not None:
        draft = own_draft(uow, cmd.proposal_id, cmd.user)
        if draft is None:
            return NotYours()
    elif cmd.message is not None:
        pasted = parse_pasted(cmd.message)
        draft, notice = pasted.draft, paste_notice(pasted)
    elif cmd.name:
        draft = Draft(answers={"name": cmd.name})
    this_week = week(settings, channel_id)
    view: View | dict[str, Any] = (
        blank_modal(this_week)
        if draft is None and cmd.proposal_id is None
        else proposal_modal(draft, proposal_id=cmd.proposal_id, week=this_week, notice=notice)
    )
    opened = views.open(cmd.trigger_id, view)
    if opened is None:
        return NotOpened()
    log.info("proposal_modal_opened user=%s view_id=%s", cmd.user, opened["id"])
    if draft is not None and cmd.proposal_id is None and draft.get("name"):
        _point_at_similar(uow, views, this_week, opened, draft, cmd.user, notice=notice)
    return Opened(str(opened["id"]))


def _point_at_similar(
    uow: UnitOfWork,
    views: Views,
    this_week: Week,
    opened: dict[str, Any],
    draft: Draft,
    user: str,
    *,
    notice: str | None = None,
) -> None:
    """Below the `notice` the form opened with, the projects whose name is like the
    prefilled one (if the person has not typed meanwhile)."""
    matches = find_similar(uow.proposals, draft, author=user, limit=3)
    if not matches:
        return
    shown = [m.proposal for m in matches]
    standings = {s.proposal_id: s for s in uow.rankings.standings([p.id for p in shown])}
    similar = similar_notice([(p, standings.get(p.id)) for p in shown])
    view = proposal_modal(
        draft, notice=f"{notice}\n\n{similar}" if notice else similar, week=this_week
    )
    views.update_unless_changed(opened["id"], opened.get("hash"), view)


def show_proposal(
    cmd: ShowProposal, uow: UnitOfWork, views: Views, hub: HubChecks
) -> ProposalGone | NotOpened | Opened:
    """The whole proposal, with what the Hub's cache knows of it (asking nothing: the
    trigger is running out)."""
    proposal = uow.proposals.get(cmd.proposal_id)
    if proposal is None:
        return ProposalGone()
    view = full_proposal_view(proposal, hub=hub.known_of([proposal]))
    opened = views.open(cmd.trigger_id, view)
    return NotOpened() if opened is None else Opened(str(opened["id"]))


def open_view_now(cmd: OpenView, views: Views) -> dict[str, Any] | None:
    """views.open, at once; the opened view, or None if Slack refused."""
    return views.open(cmd.trigger_id, cmd.view)


def update_modal(cmd: UpdateModal, views: Views) -> None:
    views.update(cmd.view_id, cmd.view)


def show_in_modal(cmd: ShowInModal, views: Views) -> None:
    # The person may have closed the modal: what it says was told in a DM too.
    views.update_unless_changed(cmd.view_id, None, cmd.view)


def looks_pasted(text: str) -> bool:
    """Whether `/propose` was given a whole proposal rather than a name: several lines (Slack
    keeps the newlines of a slash command's text), a Markdown heading, or more than a name
    holds."""
    text = text.strip()
    return "\n" in text or text.startswith("#") or len(text) > SECTIONS_BY_ID["name"].max_length


COMMANDS = {
    OpenProposalForm: open_proposal_form,
    ShowProposal: show_proposal,
    OpenView: open_view_now,
    UpdateModal: update_modal,
    ShowInModal: show_in_modal,
}


# --- adapters for the callers that still hold the runtime ----------------------------------
