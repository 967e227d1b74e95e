"""Judging in Block Kit: a judge's list on their Home tab and the scoring form, the results only
the organizer who asked sees, the organizers' progress on the dashboard, and the winners'
announcement. Scores never appear anywhere else."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from slackbot.blocks.accessibility import action_label
from slackbot.blocks.dates import slack_date
from slackbot.blocks.limits import as_dicts, clip, text_section
from slackbot.blocks.mrkdwn import escape, link, mention, mentions, url_text
from slackbot.domain.demo_submission import DemoSubmission, hub_url
from slackbot.domain.judging import COMMENT_MAX, HIGHEST, LOWEST, JudgeScore, Ranked, criterion_key
from slackbot.domain.proposal import Proposal

CALLBACK_ID = "demo_score"
SCORE_ACTION = "score_demo"
REMIND_JUDGES_ACTION = "remind_judges"
COMMENT = "comment"
Blocks = list[dict[str, Any]]

_WORDS = {1: "1 · weak", 2: "2", 3: "3 · good", 4: "4", 5: "5 · outstanding"}


def judge_home_blocks(
    rows: list[tuple[Proposal, DemoSubmission, JudgeScore | None]],
    closes_at: float | None,
    now: float,
) -> list[Any]:
    """The judge's list: each submission to score (their own team's left out), with Score."""
    open_ = closes_at is None or now < closes_at
    done = sum(1 for _, _, s in rows if s is not None)
    head = f"*Demos to judge* — you scored {done} of {len(rows)}"
    if closes_at:
        head += (
            f" · judging closes {slack_date(closes_at)}"
            if open_
            else f" · judging closed {slack_date(closes_at)}"
        )
    blocks: list[Any] = [text_section(head + ". Your scores are private.", "judge-head")]
    if not rows:
        blocks.append(text_section("No demo to score yet."))
    for proposal, submission, score in rows[:40]:
        state = ":white_check_mark: scored" if score else ":hourglass: not scored yet"
        text = f"*{escape(proposal.name)}* (#{proposal.id}) — {url_text(submission.demo_url)} · {state}"  # noqa: E501
        label = "Change score" if score else "Score"
        blocks.append(
            text_section(
                text,
                f"judge-{proposal.id}",
                ButtonElement(
                    text=label,
                    action_id=SCORE_ACTION,
                    value=str(proposal.id),
                    style=None if score else "primary",
                    accessibility_label=action_label(
                        "Change your score of the demo of" if score else "Score the demo of",
                        proposal.name,
                    ),
                )
                if open_
                else None,
            )
        )
    return blocks


def score_modal(
    proposal: Proposal,
    submission: DemoSubmission,
    criteria: Sequence[str],
    existing: JudgeScore | None,
    closes_at: float | None,
) -> View:
    lines = [
        f"*{escape(proposal.name)}* (#{proposal.id})",
        f"*Demo:* {url_text(submission.demo_url)}",
    ]
    if submission.model_repos:
        lines.append(
            "*Models:* " + ", ".join(link(hub_url(r), r) for r in submission.model_repos[:10])
        )
    if submission.video_url:
        lines.append(f"*Video:* {url_text(submission.video_url)}")
    lines.append(f">{escape(submission.summary)}".replace("\n", "\n>"))
    if submission.jury_note:
        lines.append(f"*Note for the jury:* {escape(submission.jury_note)}")
    footer = "Your scores are private: only the organizers see them, in the results."
    if closes_at:
        footer += f" You can change them until {slack_date(closes_at)}."
    options = [Option(value=str(n), text=_WORDS[n]) for n in range(LOWEST, HIGHEST + 1)]
    blocks: list[Any] = [text_section("\n".join(lines))]
    for name in criteria:
        key = criterion_key(name)
        given = existing.scores.get(key) if existing else None
        initial = next((o for o in options if given is not None and o.value == str(given)), None)
        blocks.append(
            InputBlock(
                block_id=key,
                label=name[:2000],
                element=StaticSelectElement(
                    action_id="value",
                    placeholder=f"{LOWEST} to {HIGHEST}",
                    options=options,
                    initial_option=initial,
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id=COMMENT,
            label="Comment",
            optional=True,
            element=PlainTextInputElement(
                action_id="value",
                multiline=True,
                max_length=COMMENT_MAX,
                initial_value=(existing.comment if existing and existing.comment else None),
            ),
        )
    )
    blocks.append(text_section(footer))
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title="Score a demo",
        submit="Save scores",
        close="Cancel",
        private_metadata=str(proposal.id),
        blocks=blocks,
    )


def _number(value: float | None) -> str:
    return "missing" if value is None else f"{value:g}"


def results_text(
    rows: list[Ranked], proposals: dict[int, Proposal], criteria: Sequence[str], judges: int
) -> str:
    """The ranking, for the organizer who asked (ephemeral): mean per criterion, total, judges;
    ties and missing scores said, not hidden."""
    if not rows:
        return "No demo has been submitted yet: nothing to rank."
    keys = [(criterion_key(c), c) for c in criteria]
    demos = f"{len(rows)} demo" + ("" if len(rows) == 1 else "s")
    jury = f"{judges} judge" + ("" if judges == 1 else "s")
    lines = [f"*Results* ({demos}, {jury}; only you see this):"]
    for row in rows:
        proposal = proposals.get(row.proposal_id)
        name = proposal.name if proposal else f"project #{row.proposal_id}"
        place = f"{'=' if row.tied else ''}{row.place}."
        means = " · ".join(f"{escape(label)} {_number(row.means.get(k))}" for k, label in keys)
        line = (
            f"{place} *{escape(name)}* (#{row.proposal_id}) — total *{row.total:g}* · {means} · "
            f"{row.judges} of {row.expected} judges"
        )
        if row.tied:
            line += " · :warning: tied"
        if row.missing:
            line += f" · missing: {mentions(row.missing)}"
        lines.append(line)
    lines.append("Announce with `/organize winners 12 7 3` (project numbers, first place first).")
    return clip("\n".join(lines), 3000)


def judging_dashboard(
    submitted: int,
    teams: int,
    closes_at: float | None,
    progress: list[tuple[str, int, int]],
    now: float,
) -> list[Any]:
    """The organizers' view of the week's end: submissions, and each judge's progress."""
    verb = "closed" if closes_at is not None and now >= closes_at else "close"
    head = f":clapperboard: *Demos:* *{submitted}* of *{teams}* official teams submitted"
    if closes_at:
        head += f" · submissions {verb} {slack_date(closes_at)}"
    blocks: list[Any] = [text_section(head, "dash-demos")]
    if progress:
        lines = [f"{mention(j)} scored {done} of {total}" for j, done, total in progress]
        blocks.append(text_section("*Judging:* " + " · ".join(lines), "dash-judging"))
        if any(done < total for _, done, total in progress):
            blocks.append(
                ActionsBlock(
                    block_id="dash-judges",
                    elements=[
                        ButtonElement(
                            text="Remind late judges",
                            action_id=REMIND_JUDGES_ACTION,
                            value="late",
                            accessibility_label="Send a reminder to each judge with demos to score",
                        )
                    ],
                )
            )
    return blocks


def scores_saved(name: str, changed: bool) -> str:
    """The score form's answer once a judge's scores are stored."""
    return (
        f":white_check_mark: Your scores for *{escape(name)}* are "
        f"{'changed' if changed else 'saved'}. "
        "They stay private until the organizers read the results."
    )


def reminded_text(told: Sequence[str], not_reached: Sequence[str]) -> str:
    """What the organizer who clicked Remind late judges hears."""
    if not told and not not_reached:
        return "Nobody to remind: every judge has scored every demo they can."
    text = f"Reminded {mentions(list(told))}." if told else "Nobody was reminded now."
    if not_reached:
        text += (
            f" Not reached now: {mentions(list(not_reached))} (Slack's rate limit, or their "
            "DM failed); click again in a minute."
        )
    return text


def judge_reminder(left: int, closes_at: float | None) -> str:
    when = f" Judging closes {slack_date(closes_at)}." if closes_at else ""
    return (
        f":wave: {left} demo{'s still wait' if left != 1 else ' still waits'} for your scores: "
        f"the list is on my Home tab, each with *Score*.{when}"
    )


def winners_message(
    winners: list[tuple[Proposal, DemoSubmission, list[str]]],
) -> tuple[str, Blocks]:
    medals = [":first_place_medal:", ":second_place_medal:", ":third_place_medal:"]
    lines = [":trophy: *The winners of the community week!* Thank you, every team and judge."]
    for index, (proposal, submission, members) in enumerate(winners):
        medal = medals[index] if index < len(medals) else f"{index + 1}."
        lines.append(
            f"{medal} {link(proposal.permalink, proposal.name)} — demo: "
            f"{url_text(submission.demo_url)} · {mentions(members)}"
        )
    names = ", ".join(escape(p.name) for p, _, _ in winners)
    return f"The winners of the community week: {names}.", as_dicts(
        [text_section("\n".join(lines))]
    )


def winners_announced(names: list[str] | tuple[str, ...]) -> str:
    """The organizer's answer to `/organize winners`."""
    return f":trophy: The winners are announced in the channel: {', '.join(map(escape, names))}."


def winner_note(proposal: Proposal, place: int, announcement: str | None) -> str:
    where = f" ({announcement})" if announcement else ""
    return (
        f":trophy: Congratulations, *{escape(proposal.name)}*: the jury placed your demo "
        f"#{place}{where}!"
    )
