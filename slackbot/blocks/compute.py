"""Everything people see about compute and Hub access, in one place: the private message with a
team's compute (It works / Problem), what a team is told when it gets none yet, the organizers'
alert for a problem, their answers to `/organize compute …`, the dashboard's section, and the
modals (a problem, a reply, a Hub username).

What a person typed (a label, a problem, a reply, the details) is escaped; the details are put
only into the member's message built by `compute_message`."""

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

from slackbot.blocks import replies
from slackbot.blocks.accessibility import action_label
from slackbot.blocks.limits import as_dicts, clip
from slackbot.blocks.mrkdwn import escape, link, mention
from slackbot.domain.answers import Answer, say
from slackbot.domain.compute import HUB_USERNAME_MAX, PROBLEM_MAX, SET_ASIDE, Allocation

WORKS_ACTION = "compute_works"
PROBLEM_ACTION = "compute_problem"
REGIVE_ACTION = "compute_regive"
REPLY_ACTION = "compute_reply"
HUB_ACTION = "hub_username"
REMIND_ACTION = "hub_remind"
PROBLEM_CALLBACK = "compute_problem_modal"
REPLY_CALLBACK = "compute_reply_modal"
HUB_CALLBACK = "hub_username_modal"
PROBLEM_BLOCK = "problem"
REPLY_BLOCK = "reply"
HUB_BLOCK = "hub_username"
REPLY_MAX = 1000


def _team(name: str) -> str:
    return f"“{escape(name)}”"


# --- to the team ---------------------------------------------------------------------------
def compute_message(
    *,
    team_name: str,
    proposal_id: int,
    allocation: Allocation,
    hub_org: str,
    in_channel: bool = False,
) -> tuple[str, list[dict[str, Any]]]:
    """The team's compute, with its details: sent only to the team's members (by DM) or its
    private channel. The top-level text (notifications) does not carry the details."""
    kind = f" ({escape(allocation.kind)})" if allocation.kind else ""
    text = (
        f"Your team {_team(team_name)} has its compute: {escape(allocation.label)}{kind}. "
        "The details are in this message; keep them within the team."
    )
    blocks: list[Any] = [
        SectionBlock(
            block_id="compute-intro",
            text=MarkdownTextObject(
                text=clip(
                    f":rocket: *Your team {_team(team_name)} has its compute:* "
                    f"`{escape(allocation.label)}`{kind}. Here is how to use it "
                    "(private: for your team only, please do not share it elsewhere):",
                    3000,
                )
            ),
        ),
        *(
            SectionBlock(
                block_id="compute-details" if n == 0 else f"compute-details-{n}",
                text=MarkdownTextObject(text=f"```{part}```"),
            )
            for n, part in enumerate(_details_parts(allocation.details))
        ),
    ]
    if allocation.note:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(allocation.note))]))
    who = "each of you" if in_channel else "you"
    blocks.append(
        SectionBlock(
            text=MarkdownTextObject(
                text=f"Once {who} tried it, tell the organizers: *It works*, or *Problem* "
                "(with a word on what goes wrong). Also give your Hugging Face username, so "
                f"you can be invited to the `{escape(hub_org)}` organisation on the Hub."
            )
        )
    )
    value = str(proposal_id)
    blocks.append(
        ActionsBlock(
            block_id=f"compute-answer-{proposal_id}",
            elements=[
                ButtonElement(
                    text="It works",
                    action_id=WORKS_ACTION,
                    value=value,
                    style="primary",
                    accessibility_label=action_label("It works: the compute of", team_name),
                ),
                ButtonElement(
                    text="Problem",
                    action_id=PROBLEM_ACTION,
                    value=value,
                    accessibility_label=action_label(
                        "Report a problem with the compute of", team_name
                    ),
                ),
                hub_button(),
            ],
        )
    )
    return text, as_dicts(blocks)


def hub_button(current: str | None = None) -> ButtonElement:
    return ButtonElement(
        text="Change my Hub username" if current else "Give my Hub username",
        action_id=HUB_ACTION,
        value="hub",
        accessibility_label="Give or change your Hugging Face username",
    )


def team_told(what: str, *, team_name: str, minimum: int, place: int = 0) -> str:
    """What a team without compute hears (and what `{compute}` says in its welcome)."""
    team = f"Team {_team(team_name)}: " if team_name else ""
    if what == "too_small":
        return (
            f"{team}teams of fewer than {minimum} people get no compute of their own this week "
            "(a machine goes further shared). Ask in the week's channel to share one with "
            "another team, or grow the team: with enough members, compute follows by DM."
        )
    if what == "waiting":
        where = f" (#{place} in line)" if place else ""
        return (
            f"{team}every machine of the week's pool is in use right now, so your team is "
            f"waiting for compute{where}. Each of you gets its details by DM from me as soon "
            "as one is added or returned; nothing to do meanwhile."
        )
    if what == "no_pool":
        return (
            f"{team}the organizers hand out the week's compute through me: once it is loaded, "
            "each of you gets your team's machine and how to use it by DM (private to the team)."
        )
    return (
        f"{team}on its way. Each of you gets the details from me by DM in a moment (private "
        "to the team), with *It works* and *Problem* buttons to tell the organizers."
    )


def hub_line(hub_org: str) -> str:
    """What `{hub_org}` says in the welcome."""
    return (
        f"each of you, give your Hugging Face username (the button below, or on my Home tab), "
        f"so the organizers can invite you to the `{escape(hub_org)}` organisation on the Hub."
    )


def welcome_actions() -> dict[str, Any]:
    """Under the team channel's welcome: the Hub username button."""
    return ActionsBlock(block_id="welcome-actions", elements=[hub_button()]).to_dict()


def reply_text(organizer: str, team_name: str, words: str) -> str:
    return (
        f"{mention(organizer)} answers about the compute of {_team(team_name)}: "
        f"{escape(clip(words, REPLY_MAX))}"
    )


# --- to the organizers ---------------------------------------------------------------------
def problem_alert(
    *,
    team_name: str,
    proposal_id: int,
    permalink: str | None,
    label: str,
    user: str,
    problem: str,
) -> tuple[str, list[dict[str, Any]]]:
    text = (
        f"{mention(user)} reports a problem with {escape(label)}, the compute of team "
        f"{_team(team_name)}: {escape(problem)}"
    )
    blocks = [
        SectionBlock(
            block_id="compute-problem",
            text=MarkdownTextObject(
                text=clip(
                    f":warning: *Compute problem* in {link(permalink, team_name)} "
                    f"(`{escape(label)}`), from {mention(user)}:\n>{escape(problem)}",
                    3000,
                )
            ),
        ),
        ActionsBlock(
            block_id=f"compute-problem-{proposal_id}",
            elements=[
                ButtonElement(
                    text="Re-give",
                    action_id=REGIVE_ACTION,
                    value=str(proposal_id),
                    accessibility_label=clip(f"Give {team_name} another machine", 75),
                ),
                ButtonElement(
                    text="Reply",
                    action_id=REPLY_ACTION,
                    value=f"{proposal_id}:{user}",
                    accessibility_label=clip(f"Reply to the problem of {team_name}", 75),
                ),
            ],
        ),
    ]
    return text, as_dicts(blocks)


def left_with_compute_text(user: str, team_name: str, label: str) -> str:
    return (
        f"{mention(user)} left team {_team(team_name)}, which holds the compute "
        f"{escape(label)}. They were sent its details, and a message cannot be taken back: "
        "change the machine's access if it matters."
    )


def undone_with_compute_text(team_name: str, label: str) -> str:
    return (
        f"Team {_team(team_name)} is no longer official; it keeps the compute {escape(label)} "
        "(its members have the details, and making it official again needs no new one). "
        f"`/organize compute take {escape(label)}` returns it to the pool."
    )


REFUSALS = {
    "not_organizer": replies.reply_text(say(Answer.NOT_ORGANIZER)),
    "no_team": "There is no project {team}.",
    "not_official": "*{team}* is not an official team: compute goes to official teams only. "
    "Make it official first (`/organize official N`).",
    "no_label": "The pool has no compute labelled `{label}` (`/organize compute` lists it).",
    "label_taken": "The pool already has compute labelled `{label}`: choose another label.",
    "already_theirs": "`{label}` is already *{team}*'s.",
    "not_given": "`{label}` is not given to any team.",
    "not_set_aside": "`{label}` is not set aside: it is in the pool already.",
    "nothing_to_regive": "That team holds no compute now.",
    "pool_empty": "No other machine is free for *{team}*: add one (`/organize compute add`).",
    "no_compute": "Your team holds no compute now; the organizers have been told nothing.",
    "not_member": "Only the members of *{team}* can answer about its compute.",
    "empty_problem": "Say in a few words what goes wrong.",
    "empty_reply": "Write a reply first.",
    "not_delivered": "Slack did not deliver the reply; try again in a minute.",
    "bad_input": "That cannot be added: {problems}.",
    "bad_file": "The file was not imported (nothing was): {problems}.",
    "bad_username": "{problems}",
}


def refusal(result: Any) -> str:
    return REFUSALS.get(result.why, "That did not work.").format(
        team=escape(result.team),
        label=escape(result.label),
        problems="; ".join(escape(p) for p in result.problems),
    )


def organizer_answer(result: Any) -> str:
    """What an organizer is told after `/organize compute …` or a button (never the details)."""
    kind = type(result).__name__
    if kind == "Refused":
        return refusal(result)
    if kind == "PoolAdded":
        labels = ", ".join(f"`{escape(label)}`" for label in result.labels)
        return (
            f"Added to the pool: {labels}. Teams waiting for compute get it now, in the order "
            "they became official."
        )
    if kind == "Handed":
        moved = f" (taken from *{escape(result.taken_from)}*)" if result.taken_from else ""
        return (
            f"`{escape(result.label)}` is now *{escape(result.team)}*'s{moved}; its members get "
            "the details by DM."
        )
    if kind == "Taken":
        if result.given_next:
            return (
                f"*{escape(result.team)}* gave back `{escape(result.label)}` and got "
                f"`{escape(result.given_next)}`; its members get the new details by DM."
            )
        return (
            f"`{escape(result.label)}` is back in the pool (taken from *{escape(result.team)}*; "
            "what its members were sent cannot be taken back)."
        )
    if kind == "Replied":
        return f"Sent to {mention(result.user)}."
    if kind == "PoolListing":
        return pool_listing(result)
    return "Done."


def pool_listing(result: Any) -> str:
    if not result.lines:
        return (
            "The compute pool is empty. `/organize compute add LABEL | DETAILS`, or "
            "`slackbot compute import FILE.csv` on the server."
        )
    counts: dict[str, int] = {}
    for line in result.lines:
        counts[line.state] = counts.get(line.state, 0) + 1
    head = (
        f"*Compute pool*: {len(result.lines)} in all · {counts.get('free', 0)} free · "
        f"{counts.get('given', 0)} given · {counts.get('returned', 0)} returned (free again)"
    )
    if counts.get(SET_ASIDE):
        head += (
            f" · {counts[SET_ASIDE]} set aside after a problem "
            "(`/organize compute fixed LABEL` puts one back)"
        )
    rows = []
    for line in result.lines[:60]:
        kind = f" ({escape(line.kind)})" if line.kind else ""
        where = f" → #{line.proposal_id} {escape(line.team)}" if line.team else ""
        rows.append(f"• `{escape(line.label)}`{kind}: {line.state}{where}")
    if len(result.lines) > 60:
        rows.append(f"…and {len(result.lines) - 60} more (the export lists them all)")
    waiting = (
        "\nWaiting for compute: " + ", ".join(f"*{escape(t)}*" for t in result.waiting)
        if result.waiting
        else ""
    )
    return clip(head + "\n" + "\n".join(rows) + waiting, 3000)


def member_answer(result: Any, hub_org: str) -> str:
    kind = type(result).__name__
    if kind == "Refused":
        return refusal(result)
    if result.works:
        return f"Thanks! The organizers see that the compute of {_team(result.team)} works for you."
    return (
        f"The organizers have your problem with the compute of {_team(result.team)} and will "
        "answer here."
    )


# --- the dashboard -------------------------------------------------------------------------
def dashboard_section(teams: list[Any], missing: list[str], *, limit: int = 20) -> list[Any]:
    """Per official team: its compute's label, confirmed by N of M, problems (with their
    text), or waiting; then the official members without a Hub username and Remind them."""
    if not teams:
        return []
    given = [t for t in teams if t.label]
    waiting = [t for t in teams if t.waiting]
    lines = []
    for t in teams[:limit]:
        name = link(t.permalink, t.team)
        if t.label:
            line = (
                f"• {name}: `{escape(t.label)}` · confirmed by {len(t.works)} of {len(t.members)}"
            )
            for user, problem in t.problems:
                line += f"\n    :warning: {mention(user)}: {escape(clip(problem, 200))}"
        elif t.too_small:
            line = f"• {name}: no compute (fewer members than the minimum)"
        else:
            line = f"• {name}: :hourglass: waiting for compute"
        lines.append(line)
    if len(teams) > limit:
        lines.append(f"…and {len(teams) - limit} more (`/organize compute` lists the pool)")
    problems = sum(len(t.problems) for t in teams)
    head = (
        f"*Compute*: *{len(given)}* given · *{len(waiting)}* waiting · "
        f"*{problems}* problem{'s' if problems != 1 else ''}"
    )
    blocks: list[Any] = [
        SectionBlock(
            block_id="dash-compute",
            text=MarkdownTextObject(text=clip(head + "\n" + "\n".join(lines), 3000)),
        )
    ]
    if missing:
        shown = ", ".join(mention(u) for u in missing[:40])
        more = f" …and {len(missing) - 40} more" if len(missing) > 40 else ""
        blocks.append(
            SectionBlock(
                block_id="dash-hub",
                text=MarkdownTextObject(
                    text=clip(
                        f"*No Hub username yet* ({len(missing)} official members): {shown}{more}",
                        3000,
                    )
                ),
                accessory=ButtonElement(
                    text="Remind them",
                    action_id=REMIND_ACTION,
                    value="remind",
                    accessibility_label="Remind official members to give their Hub username",
                ),
            )
        )
    return blocks


# --- modals --------------------------------------------------------------------------------
def problem_modal(proposal_id: int) -> View:
    return View(
        type="modal",
        callback_id=PROBLEM_CALLBACK,
        private_metadata=str(proposal_id),
        title="Compute problem",
        submit="Send",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id=PROBLEM_BLOCK,
                label="What goes wrong?",
                hint="The organizers get this at once, e.g. “ssh: connection refused in "
                "europe-west4-a”.",
                element=PlainTextInputElement(
                    action_id=PROBLEM_BLOCK, multiline=True, max_length=PROBLEM_MAX
                ),
            )
        ],
    )


def reply_modal(proposal_id: int, user: str) -> View:
    return View(
        type="modal",
        callback_id=REPLY_CALLBACK,
        private_metadata=f"{proposal_id}:{user}",
        title="Reply",
        submit="Send",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id=REPLY_BLOCK,
                label="Your answer (sent to them by DM)",
                element=PlainTextInputElement(
                    action_id=REPLY_BLOCK, multiline=True, max_length=REPLY_MAX
                ),
            )
        ],
    )


def hub_modal(hub_org: str, current: str | None = None) -> View:
    return View(
        type="modal",
        callback_id=HUB_CALLBACK,
        title="Your Hub username",
        submit="Save",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id=HUB_BLOCK,
                label="Your Hugging Face username",
                hint=f"As in huggingface.co/julien-c. The organizers invite you to the "
                f"{hub_org} organisation with it; you can change it later.",
                element=PlainTextInputElement(
                    action_id=HUB_BLOCK,
                    initial_value=current or None,
                    max_length=HUB_USERNAME_MAX + 30,  # room for a pasted profile link
                    placeholder="julien-c",
                ),
            )
        ],
    )


# --- Hub usernames -------------------------------------------------------------------------
def hub_reminder(hub_org: str) -> tuple[str, list[dict[str, Any]]]:
    text = (
        "Your team is official, and the organizers are inviting its members to the "
        f"{hub_org} organisation on the Hugging Face Hub: what is your Hub username?"
    )
    blocks = [
        SectionBlock(
            block_id="hub-reminder",
            text=MarkdownTextObject(
                text=f"Your team is official :tada: To invite you to the `{escape(hub_org)}` "
                "organisation on the Hugging Face Hub, the organizers need your Hub username."
            ),
            accessory=hub_button(),
        )
    ]
    return text, as_dicts(blocks)


def hub_answer(result: Any, hub_org: str) -> str:
    kind = type(result).__name__
    if kind == "Refused":
        return refusal(result)
    if kind == "HubSaved":
        was = (
            f" (it was {escape(result.before)})"
            if result.before and result.before != result.username
            else ""
        )
        return (
            f"Saved: your Hub username is *{escape(result.username)}*{was}. The organizers "
            f"invite you to the `{escape(hub_org)}` organisation with it."
        )
    if kind == "Reminded":
        parts = [f"Reminded {result.sent} member{'s' if result.sent != 1 else ''} by DM."]
        if result.recently:
            parts.append(f"{result.recently} were reminded less than a day ago: not today.")
        if result.later:
            parts.append(
                f"{result.later} are left for Slack's rate limit: press again in a minute."
            )
        return " ".join(parts)
    return "Done."


def hub_home_blocks(current: str | None, hub_org: str) -> list[Any]:
    """On an official member's Home tab: their Hub username, and the button to give it."""
    said = (
        f"Your Hub username: *{escape(current)}* (for the `{escape(hub_org)}` organisation)."
        if current
        else f"Give your Hugging Face username to be invited to the `{escape(hub_org)}` "
        "organisation on the Hub."
    )
    return [
        SectionBlock(
            block_id="hub-username",
            text=MarkdownTextObject(text=said),
            accessory=hub_button(current),
        )
    ]


def _details_parts(details: str, room: int = 3000 - 6) -> list[str]:
    """The machine's details, escaped, in as many code blocks as they need: escaping makes
    them longer than the 2,000 characters a pool entry may hold (`&` is `&amp;`), and a
    section's text holds 3,000. Cut between characters, never inside an escape, never lost."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in details.replace("```", "'''"):
        piece = escape(char)
        if size + len(piece) > room:
            parts.append("".join(current))
            current, size = [], 0
        current.append(piece)
        size += len(piece)
    parts.append("".join(current))
    return parts
