"""The messages services send (their words in slackbot/blocks/): what people typed stays text,
mentions, links and channels are written only for what is shaped like one."""

from __future__ import annotations

from slackbot.blocks.notice_messages import official_team_changed_line, place_line
from slackbot.blocks.organizer_alert import alert_message, decision_line
from slackbot.blocks.organizer_news import (
    account_deactivated,
    post_deleted,
    team_channel_archived,
    teams_closed_summary,
)
from slackbot.blocks.proposal_status import post_deleted_dm, posted_dm
from slackbot.blocks.team_welcome import proposal_summary_message
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import Team, TeamStatus

HOSTILE = "<!channel> & co"
SHOWN = "&lt;!channel&gt; &amp; co"
LINK = "https://x.slack.com/archives/C1/p1"


def project(name: str = HOSTILE, status: Status = Status.OPEN) -> Proposal:
    return Proposal(7, "U0ANN", status, {"name": name}, ["en"], permalink=LINK)


def team(members: list[str], waitlist: list[str] | None = None) -> Team:
    return Team(7, members[0], members, waitlist or [], 3, 5, TeamStatus.LOOKING)


def test_the_organizers_news_escapes_names() -> None:
    assert team_channel_archived("C0TEAM", 7, HOSTILE, "U0BOB") == (
        f":file_cabinet: The team channel <#C0TEAM> of *{SHOWN}* was archived by <@U0BOB>. "
        "The team stays official; new members can no longer be added to that channel until "
        "it is unarchived."
    )
    assert "of *project #7* was archived. The team" in team_channel_archived("C0T", 7, None, "")
    assert account_deactivated("<!here>", [project()], [project()]) == (
        ":bust_in_silhouette: &lt;!here&gt;'s Slack account was deactivated.\n"
        f"They stay listed in official team <{LINK}|{SHOWN}>: decide with the team.\n"
        f"Their own project #7 <{LINK}|{SHOWN}> stays open: `/organize close N` if nobody "
        "takes it on."
    )
    assert f"#7 *{SHOWN}* (by <@U0ANN>)" in post_deleted(project())
    summary = teams_closed_summary(1626652800, [project()], [], ["U0BOB", "<!here>"])
    assert f"*1* official: <{LINK}|{SHOWN}>\n*0* still waiting for you: none\n" in summary
    assert summary.endswith("*2* people in the channel are in no team: <@U0BOB>, &lt;!here&gt;")


def test_the_proposers_dms_escape_the_name() -> None:
    assert posted_dm(project(), "raised_hand").startswith(
        f"Your project *{SHOWN}* is posted: {LINK}\n"
    )
    assert f"your project *{SHOWN}* was deleted" in post_deleted_dm(HOSTILE)


def test_notices_and_the_alert_escape_what_people_typed() -> None:
    waiting = place_line(project(), "joined", team(["U0ANN"]), waitlist_place=2, team_channel=None)
    assert waiting.startswith(f":hourglass_flowing_sand: <{LINK}|{SHOWN}> is full: you're on")
    official = place_line(
        project(status=Status.OFFICIAL),
        "joined",
        team(["U0ANN"]),
        waitlist_place=None,
        team_channel="C0TEAM",
    )
    assert official.endswith(f"official team <{LINK}|{SHOWN}>. Its channel: <#C0TEAM>.")
    changed = official_team_changed_line(project(), ["U0BOB"], ["<!here>"], ["U0ANN", "U0BOB"])
    assert "changed: <@U0BOB> in; &lt;!here&gt; out. Members now: <@U0ANN>, <@U0BOB>." in changed
    _, blocks = alert_message(
        project(), team(["U0ANN", "U0BOB"]), kind="threshold", doubles={"U0BOB": [HOSTILE]}
    )
    assert f":warning: <@U0BOB> is already in official team “{SHOWN}”" in str(blocks)
    assert decision_line("<b>", "U0BOB", 1626652800).startswith("&lt;b&gt; by <@U0BOB>, <!date^")
    text, _ = proposal_summary_message(project())
    assert text == f"The proposal this team was made from: {SHOWN}."


def test_compute_details_longer_once_escaped_are_all_sent_in_several_blocks() -> None:
    from slackbot.blocks.compute import compute_message
    from slackbot.domain.compute import DETAILS_MAX, Allocation

    details = ("key=a&b=<c>&d\n" * 200)[:DETAILS_MAX]  # a token-laden URL query, escaped
    allocation = Allocation(1, "tpu-1", details)
    text, blocks = compute_message(
        team_name="Team",
        proposal_id=1,
        allocation=allocation,
        hub_org="flax-community",
        in_channel=False,
    )
    shown = [
        b["text"]["text"]
        for b in blocks
        if str(b.get("block_id", "")).startswith("compute-details")
    ]
    assert len(shown) > 1 and all(len(part) <= 3000 for part in shown)
    joined = "".join(part.removeprefix("```").removesuffix("```") for part in shown)
    unescaped = joined.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert unescaped == details  # nothing cut, nothing lost
    assert "key=a" not in text  # the notification's text never carries them


def test_a_judges_saved_scores_name_the_project_as_text() -> None:
    from slackbot.blocks.judging import scores_saved

    shown = scores_saved("<https://evil.example|Free TPUs> <!channel>", changed=False)
    assert "<https://" not in shown and "<!channel>" not in shown and "&lt;!channel&gt;" in shown


def test_the_compute_add_echo_never_shows_the_details() -> None:
    from slackbot.listeners.commands.organize import _shown

    assert _shown(["compute", "add", "tpu-1|ssh", "root@10.0.0.1"]) == "compute add tpu-1 | …"
    assert _shown(["compute", "add", "tpu-1", "|", "ssh"]) == "compute add tpu-1 | …"
