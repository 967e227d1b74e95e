"""How the week works, in a few lines: the top of everyone's Home tab and `/projects help`.
One text, so the words match the post, the digest and the form."""

from __future__ import annotations

from slackbot.blocks.mrkdwn import channel
from slackbot.blocks.proposal_form import Week
from slackbot.domain.template import TEAM_SIZE_ADVICE


def how_it_works(week: Week) -> str:
    where = channel(week.channel_id) if week.channel_id else "the week's channel"
    low, high = TEAM_SIZE_ADVICE
    return "\n".join(
        [
            "*How this week works*",
            "1. *Propose* an idea with `/propose`: the form follows the week's guide "
            "(task, model, language, data, scripts).",
            f"2. *Join* a team from its post in {where}: the *Join the team* button, or react "
            f"with :{week.join_emoji}:. Leave the same way; a full team keeps a waitlist.",
            f"3. *Official*: at {week.threshold} members ({low} to {high} work best, "
            f"{week.max_team} at most) the organizers are told and make the team official: "
            "its own channel, compute and help from the 🤗 team. Joining it is then a request "
            "the organizers approve.",
            "4. *Find* teams that need people with `/projects`, or search: "
            "`/projects hindi`, `/projects clip`.",
            "5. *Build*: an official team gets its compute by DM (say *It works*, or report a "
            "*Problem*), and each member gives their Hugging Face username for the week's Hub "
            "organisation.",
            "6. *Demo*: the team submits its demo with `/submit`; the jury scores every demo "
            "and the organizers announce the winners in the channel.",
        ]
    )


def projects_help(week: Week) -> str:
    return (
        how_it_works(week)
        + "\n\n*Commands*\n• `/projects` lists the teams you can join, closest to starting "
        "first.\n• `/projects WORDS` searches names, languages, models and datasets.\n"
        "• `/propose [name]` opens the proposal form (paste a proposal already written after "
        "it, and its sections fill the form).\n• `/submit` sends your official team's demo.\n"
        "• Your proposals and teams are on the bot's Home tab."
    )
