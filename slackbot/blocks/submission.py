"""Demo submissions in Block Kit: the form, its status, the announcement in the post's thread
and its line in the channel, the reminders, the **Submit your demo** buttons, and the lines the
Home tab, the digest and the dashboard show. Times go through `slack_date` (each reader's own
time zone); what members typed is escaped."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from slackbot.blocks import proposal_form
from slackbot.blocks.accessibility import action_label
from slackbot.blocks.dates import slack_date
from slackbot.blocks.limits import as_dicts, clip, text_section
from slackbot.blocks.mrkdwn import channel, escape, link, mentions, url_text
from slackbot.domain.demo_submission import (
    DEMO,
    LINK_MAX,
    MODELS,
    MODELS_MAX,
    NOTE,
    NOTE_MAX,
    SUMMARY,
    SUMMARY_MAX,
    VIDEO,
    DemoSubmission,
    hub_url,
)
from slackbot.domain.proposal import Proposal

CALLBACK_ID = "demo_submission"
SUBMIT_ACTION = "submit_demo"
Blocks = list[dict[str, Any]]


def submit_button(
    proposal_id: int | None = None, *, edit: bool = False, project: str = ""
) -> ButtonElement:
    """The button to the demo form; its label names the team's project when it is known."""
    label = "Edit your demo" if edit else "Submit your demo"
    said = action_label("Edit the demo of" if edit else "Submit the demo of", project)
    return ButtonElement(
        text=label,
        action_id=SUBMIT_ACTION,
        value=str(proposal_id) if proposal_id else "mine",
        style=None if edit else "primary",
        accessibility_label=said if project else f"{label}: the team's demo for the jury",
    )


def closes_text(closes_at: float | None) -> str:
    return f"Submissions close {slack_date(closes_at)}." if closes_at else ""


def submission_modal(
    proposal: Proposal, existing: DemoSubmission | None, closes_at: float | None
) -> View:
    """The form, prefilled with the team's submission when there is one (any member edits)."""

    def field(
        block_id: str,
        label: str,
        *,
        hint: str,
        placeholder: str,
        value: str = "",
        optional: bool = False,
        multiline: bool = False,
        max_length: int = LINK_MAX,
    ) -> InputBlock:
        return InputBlock(
            block_id=block_id,
            label=label,
            optional=optional,
            hint=hint,
            element=PlainTextInputElement(
                action_id="value",
                initial_value=value or None,
                placeholder=placeholder,
                multiline=multiline,
                max_length=max_length,
            ),
        )

    d = existing.draft if existing else None
    intro = f"The demo of *{escape(proposal.name)}* (project #{proposal.id}) for the jury."
    if existing:
        intro += " Your team has submitted already: what you change here replaces it."
    if closes_at:
        intro += f"\n{closes_text(closes_at)} Any member of the team can edit it until then."
    blocks: list[Any] = [
        text_section(intro),
        field(
            DEMO,
            "Demo link",
            hint="A Hugging Face Space is best; any https link people can open works.",
            placeholder="https://huggingface.co/spaces/flax-community/your-demo",
            value=d.demo_url if d else "",
        ),
        field(
            MODELS,
            "Model repositories on the Hub",
            hint="One per line: owner/name or the Hub link.",
            placeholder="flax-community/roberta-hindi",
            value=d.models if d else "",
            optional=True,
            multiline=True,
            max_length=MODELS_MAX,
        ),
        field(
            SUMMARY,
            "Summary",
            hint=f"What the demo shows, in a few sentences (at most {SUMMARY_MAX} characters).",
            placeholder="A RoBERTa model pre-trained on Hindi text that classifies news.",
            value=d.summary if d else "",
            multiline=True,
            max_length=SUMMARY_MAX,
        ),
        field(
            VIDEO,
            "Video link",
            hint="A short recording of the demo, if you made one.",
            placeholder="https://youtu.be/…",
            value=d.video_url if d else "",
            optional=True,
        ),
        field(
            NOTE,
            "Note for the jury",
            hint="Only the jury and the organizers read it.",
            placeholder="What to try first, what is not finished yet…",
            value=d.jury_note if d else "",
            optional=True,
            multiline=True,
            max_length=NOTE_MAX,
        ),
    ]
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title="Submit your demo",
        submit="Save" if existing else "Submit",
        close="Cancel",
        private_metadata=str(proposal.id),
        blocks=blocks,
    )


def status_view(title: str, text: str) -> View:
    return proposal_form.status_view(title, text, callback_id="demo_status")


def saved_text(proposal: Proposal, submission: DemoSubmission, *, created: bool) -> str:
    where = "in the project's thread and the channel"
    if created:
        return (
            f":tada: The demo of *{escape(proposal.name)}* is submitted; it will be announced "
            f"{where}. Any member of the team can edit it with `/submit` until the deadline."
        )
    return f":white_check_mark: The demo of *{escape(proposal.name)}* is updated (version {submission.version}); its announcement is updated too."  # noqa: E501


def _links(submission: DemoSubmission) -> list[str]:
    space = submission.space
    demo = (
        link(submission.demo_url, f"{space} (a Space on the Hub)")
        if space
        else url_text(submission.demo_url)
    )
    lines = [f"*Demo:* {demo}"]
    repos = submission.model_repos
    if repos:
        lines.append("*Models:* " + ", ".join(link(hub_url(r), r) for r in repos[:10]))
    if submission.video_url:
        lines.append(f"*Video:* {url_text(submission.video_url)}")
    return lines


def announcement(
    proposal: Proposal, submission: DemoSubmission, members: list[str]
) -> tuple[str, Blocks]:
    """The reply in the proposal's thread: the team, the links, the summary."""
    edited = " (edited)" if submission.version > 1 else ""
    head = f":clapperboard: *{escape(proposal.name)}* submitted its demo{edited}!"
    body = "\n".join(
        [head, *_links(submission), f">{escape(submission.summary)}".replace("\n", "\n>")]
    )
    text = f"{escape(proposal.name)} submitted its demo: {submission.demo_url}"
    blocks = [
        text_section(body),
        ContextBlock(elements=[MarkdownTextObject(text=clip(f"Team: {mentions(members)}", 3000))]),
    ]
    return text, as_dicts(blocks)


def announcement_line(proposal: Proposal, submission: DemoSubmission) -> tuple[str, Blocks]:
    """The short line in the channel, pointing at the thread."""
    edited = " (edited)" if submission.version > 1 else ""
    space = submission.space
    demo = link(submission.demo_url, space or "the demo")
    line = (
        f":clapperboard: {link(proposal.permalink, proposal.name)} (#{proposal.id}) submitted "
        f"its demo{edited}: {demo}. More in the post's thread."
    )
    return f"{escape(proposal.name)} submitted its demo.", as_dicts([text_section(line)])


def reminder(proposal: Proposal, closes_at: float, kind: str) -> tuple[str, Blocks]:
    """What a team without a submission is told 24 h or 2 h before the deadline."""
    left = "about 2 hours" if kind == "2h" else "about 24 hours"
    text = (
        f":hourglass: Demo submissions close {slack_date(closes_at)} (in {left}), and "
        f"*{escape(proposal.name)}* has not submitted a demo yet. Type `/submit` here or use "
        "the button: the demo link and a short summary are enough; you can edit it until the "
        "deadline."
    )
    plain = f"Demo submissions close in {left}; your team has not submitted a demo yet."
    button = submit_button(proposal.id, project=proposal.name)
    blocks = [text_section(text), ActionsBlock(elements=[button])]
    return plain, as_dicts(blocks)


def welcome_actions(proposal_id: int) -> Blocks:
    """The team channel's welcome gets the button (one click to the form, at the week's end)."""
    return as_dicts([ActionsBlock(block_id="demo_actions", elements=[submit_button(proposal_id)])])


def progress_line(submitted: int, teams: int, closes_at: float | None, now: float) -> str:
    """ "Demos: 3 of 8 official teams submitted · close <date>" for the digest and Home tab."""
    if closes_at is None:
        return f"Demos: {submitted} of {teams} official teams submitted"
    verb = "closed" if now >= closes_at else "close"
    return (
        f"Demos: {submitted} of {teams} official teams submitted · {verb} {slack_date(closes_at)}"
    )


def home_blocks(
    teams: list[tuple[Proposal, DemoSubmission | None]], closes_at: float | None, now: float
) -> list[Any]:
    """A member's Home tab: their official team's demo, with the button to submit or edit."""
    blocks: list[Any] = []
    open_ = closes_at is None or now < closes_at
    for proposal, submission in teams[:5]:
        if submission:
            state = f":white_check_mark: demo submitted ({url_text(submission.demo_url)})"
        else:
            state = ":hourglass: no demo submitted yet"
        text = f"*Your team's demo: {escape(proposal.name)}* — {state}"
        if closes_at:
            text += f"\n{closes_text(closes_at) if open_ else 'Submissions closed ' + slack_date(closes_at) + '.'}"  # noqa: E501
        blocks.append(
            SectionBlock(
                block_id=f"demo-{proposal.id}",
                text=MarkdownTextObject(text=clip(text, 3000)),
                accessory=submit_button(
                    proposal.id, edit=submission is not None, project=proposal.name
                )
                if open_
                else None,
            )
        )
    return blocks


def team_line(proposal: Proposal, team_channel: str | None) -> str:
    where = f" ({channel(team_channel)})" if team_channel else ""
    return f"{link(proposal.permalink, proposal.name)}{where}"
