"""What a proposer is shown once their proposal's posting is done: the modal's last word
(posted, or saved for a retry), the DM once it is posted, the DM when Slack refused the post,
the DM when its post was deleted, and the DM to the proposers of the same idea in other
languages. What people typed is escaped."""

from __future__ import annotations

from collections.abc import Iterable

from slack_sdk.models.views import View

from slackbot.blocks.before_you_post import advice_text, outside_note
from slackbot.blocks.mrkdwn import channel, escape, link
from slackbot.blocks.proposal_form import status_view
from slackbot.domain.advice import Advice, Code
from slackbot.domain.proposal import Proposal


def notes_text(notes: Iterable[Advice]) -> str:
    """The notes the proposer has not seen yet, each its own paragraph."""
    return "".join(
        f"\n\n:information_source: {outside_note(a.subject)}"
        if a.code is Code.OUTSIDE_TRANSFORMERS
        else f"\n\n{advice_text(a)}"
        for a in notes
    )


def posted_view(
    proposal: Proposal, channel_id: str, join_emoji: str, notes: Iterable[Advice] = ()
) -> View:
    return status_view(
        "Proposal posted",
        f":white_check_mark: *{escape(proposal.name)}* is posted in {channel(channel_id)}: "
        f"{link(proposal.permalink, 'view it')}.\n"
        f"People join with its button or by reacting with :{join_emoji}:." + notes_text(notes),
    )


def saved_view() -> View:
    return status_view(
        "Proposal saved",
        ":hourglass_flowing_sand: Slack is not accepting messages right now. Your proposal "
        "is saved and will be posted automatically in a few minutes; I will send you the link.",
    )


def posted_dm(proposal: Proposal, join_emoji: str) -> str:
    """The proposer's DM once their project is in the channel: where, and how people join."""
    return (
        f"Your project *{escape(proposal.name)}* is posted: {proposal.permalink}\n"
        f"People join with its *Join the team* button or by reacting with "
        f":{join_emoji}:. You will hear from me when they do."
    )


def post_deleted_dm(name: str) -> str:
    """The proposer's DM when their project's post was deleted in Slack (the organizers'
    word is `organizer_news.post_deleted`)."""
    return (
        f":warning: The post of your project *{escape(name)}* was deleted from the channel. "
        "The project and its team are kept; ask an organizer if it should be posted again."
    )


def saved_dm(name: str | None) -> str:
    """The proposer's DM when Slack refused the post (`name` None: the proposal is gone)."""
    shown = escape(name) if name is not None else "Your proposal"
    return (
        f"Your proposal *{shown}* is saved; Slack refused to post it just now and I will retry "
        "shortly. Nothing you wrote is lost."
    )


def variant_dm(variant: Proposal, posted: Proposal) -> str:
    """To the proposer of an earlier post of the same idea: it was just proposed in another
    language."""
    languages = escape(", ".join(posted.language_names))
    return (
        f"Your idea {link(variant.permalink, variant.name)} was just proposed in "
        f"{languages} too: {link(posted.permalink, posted.name)}."
    )
