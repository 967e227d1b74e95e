"""The compute pool and Hub access, handler by handler: a real unit of work on a migrated
database and a FakeMessenger, milliseconds each. The whole-app stories are in
tests/listeners/test_compute_and_hub.py."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from slackbot import bootstrap
from slackbot.config import Settings
from slackbot.domain.compute import PoolFileError, hub_username, parse_pool_csv
from slackbot.domain.events import (
    MemberJoinedOfficialTeam,
    MemberLeftOfficialTeam,
    OfficialUndone,
    TeamMadeOfficial,
)
from slackbot.domain.proposal import Status
from slackbot.domain.teams import BUTTON, Signal
from slackbot.domain.validation import Draft
from slackbot.services import compute, hub_access
from slackbot.services.compute import (
    AddCompute,
    AnswerCompute,
    GiveCompute,
    Handed,
    HandOutCompute,
    ImportCompute,
    ListCompute,
    PoolAdded,
    PoolListing,
    Refused,
    RegiveCompute,
    Replied,
    ReplyToProblem,
    TakeCompute,
    team_compute,
)
from slackbot.services.hub_access import (
    HubSaved,
    HubUsernameOf,
    Reminded,
    RemindHubUsernames,
    SetHubUsername,
    invites,
    missing,
)
from slackbot.services.messagebus import MessageBus
from slackbot.slack.organizer_directory import Organizers
from slackbot.store.claims import HOST, release_dead_claims
from slackbot.store.db import Store
from slackbot.store.proposal_repository import Proposals
from slackbot.store.standing_columns import StandingColumns
from slackbot.store.unit_of_work import UnitOfWork
from tests.fakes import FakeMessenger, FakeUpdates

ORG = "U0ORG1"
SECRET = "zone europe-west4-a; ssh key SECRET-abc123"
DEAD_PID = 2**22 + 12345  # above Linux's largest pid: no process has it


@dataclass
class World:
    uow: UnitOfWork
    bus: MessageBus
    messenger: FakeMessenger
    store: Store
    made: int = 0

    def team(self, name: str, members: list[str], *, official: bool = True) -> int:
        """A proposal with these members (the first proposes), made official if asked."""
        proposals: Proposals = self.uow.proposals
        draft = Draft(answers={"name": name}, languages=["english"])
        proposal, _ = proposals.create(draft, members[0], submission_key=f"k-{name}")
        proposals.set_status(proposal.id, Status.OPEN)
        proposal = proposals.get(proposal.id)
        assert proposal is not None
        for n, user in enumerate(members[1:]):
            self.uow.memberships.apply(proposal, Signal(user, BUTTON, True, time.time() + n))
        if official:
            self.official(proposal.id)
        return proposal.id

    def official(self, pid: int, channel: str | None = None) -> None:
        proposal = self.uow.proposals.get(pid)
        with self.store.transaction():
            team = self.uow.memberships.team(proposal)
            self.uow.memberships.record_official(proposal, team, ORG)
            self.uow.proposals.set_status(pid, Status.OFFICIAL)
            if channel:
                self.uow.memberships.set_team_channel(pid, channel, channel.lower())
        # made_at orders the hand-out: keep them apart even within one clock tick
        self.made += 1
        self.store.conn.execute(
            "UPDATE teams SET made_at = ? WHERE proposal_id = ?", (self.made, pid)
        )
        members = tuple(self.uow.memberships.team(self.uow.proposals.get(pid)).members)
        self.bus.publish(TeamMadeOfficial(pid, members, None))

    def pool(self, *labels: str) -> None:
        rows = "\n".join(f"{label},{SECRET} for {label},tpu-v3-8," for label in labels)
        result = self.bus.handle(ImportCompute(ORG, "label,details,kind,note\n" + rows))
        assert isinstance(result, PoolAdded)

    def holder(self, label: str) -> int | None:
        allocation = self.uow.compute.by_label(label)
        return None if allocation is None else allocation.proposal_id


@pytest.fixture
def world(tmp_path: Path) -> World:
    store = Store(tmp_path / "week.db")
    store.migrate()
    standings = StandingColumns(store, default_threshold=3, default_max=6)
    uow = bootstrap.unit_of_work(store, standings)
    messenger = FakeMessenger()
    settings = Settings(
        _env_file=None,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="s",
        HUB_ORG="flax-community",
    )  # type: ignore[call-arg]
    deps = {
        "uow": uow,
        "messenger": messenger,
        "settings": settings,
        "organizers": Organizers([ORG], None, None, "UBOT"),  # type: ignore[arg-type]
        "updates": FakeUpdates(),
        "bot_user_id": "UBOT",
    }
    return World(uow, bootstrap.wire(uow, deps, [compute, hub_access]), messenger, store)


def dms(world: World, user: str) -> list[str]:
    return [f"{s.text} {json.dumps(s.blocks or [])}" for s in world.messenger.to(user, "dm")]


# --- the pool file ----------------------------------------------------------------------
def test_a_bad_pool_file_is_refused_whole_with_its_line_numbers() -> None:
    with pytest.raises(PoolFileError) as missing_column:
        parse_pool_csv("label,zone\ntpu-1,europe\n")
    assert missing_column.value.problems == [
        "line 1: the column details is missing (columns: label, details, and optionally kind, note)"
    ]
    with pytest.raises(PoolFileError) as bad:
        parse_pool_csv("label,details\ntpu-1,a\ntpu-2,\nTPU-1,b\ntpu-3,c\n", taken={"tpu-3"})
    assert bad.value.problems == [
        "line 3: the details to hand over are required",
        "line 4: the label TPU-1 is already on line 2",
        "line 5: the label tpu-3 is already in the pool",
    ]


def test_an_import_refused_stores_nothing(world: World) -> None:
    result = world.bus.handle(ImportCompute(ORG, "label,details\ntpu-1,a\ntpu-1,b\n"))
    assert isinstance(result, Refused) and result.why == "bad_file"
    assert "line 3" in result.problems[0]
    assert world.uow.compute.all() == []


# --- the hand-out -----------------------------------------------------------------------
def test_official_teams_get_compute_in_order_and_each_member_one_dm(world: World) -> None:
    world.pool("tpu-1")
    first = world.team("Hindi RoBERTa", ["U1", "U2"])
    second = world.team("Bengali GPT2", ["U3", "U4"])
    assert world.holder("tpu-1") == first
    assert SECRET in " ".join(dms(world, "U1")) and SECRET in " ".join(dms(world, "U2"))
    # The second team waits, and hears so once.
    assert "waiting for compute (#1 in line)" in " ".join(dms(world, "U3"))
    assert SECRET not in " ".join(dms(world, "U3"))
    # The same events heard again: no second allocation, no second message.
    before = len(world.messenger.sent)
    world.bus.publish(TeamMadeOfficial(first, ("U1", "U2"), None))
    world.bus.publish(TeamMadeOfficial(second, ("U3", "U4"), None))
    world.bus.handle(HandOutCompute())
    assert len(world.messenger.sent) == before
    # Refilled: the waiting team gets it at once.
    world.bus.handle(AddCompute(ORG, "tpu-2", "zone us-central1-f " + SECRET))
    assert world.holder("tpu-2") == second
    assert "tpu-2" in dms(world, "U4")[-1] and len(dms(world, "U4")) == 2
    audit = [(e.action, e.after) for e in world.uow.audit.entries()]
    assert ("compute_auto", {"label": "tpu-1"}) in audit
    assert not any(SECRET in json.dumps(e) for e in audit)  # labels only, never details


def _stopped(world: World) -> None:
    """The process that held the claims stopped: its claims now belong to a dead pid of this
    host, and the next start releases them (as bootstrap.open_store does)."""
    world.store.conn.execute(
        "UPDATE compute_sent SET owner = ? WHERE owner IS NOT NULL", (f"{HOST}:{DEAD_PID}",)
    )
    assert release_dead_claims(world.store) >= 1


def test_a_dm_slack_took_before_a_crash_is_not_sent_again_and_the_rest_are_sent(
    world: World,
) -> None:
    world.pool("tpu-1")
    world.messenger.crash_after_dms = 1  # U1's DM reaches Slack, then the process dies
    world.team("Hindi RoBERTa", ["U1", "U2", "U3"])
    assert len(dms(world, "U1")) == 1 and dms(world, "U2") == dms(world, "U3") == []
    _stopped(world)
    world.bus.handle(HandOutCompute())  # the next start's hand-out
    assert len(dms(world, "U1")) == 1  # found by its metadata, marked sent, not sent again
    assert [SECRET in d for d in dms(world, "U2") + dms(world, "U3")] == [True, True]
    before = len(world.messenger.sent)
    world.bus.handle(HandOutCompute())
    assert len(world.messenger.sent) == before


def test_a_dm_claimed_but_never_sent_is_sent_at_the_next_hand_out(world: World) -> None:
    world.pool("tpu-1")
    world.messenger.refuse.add("U2")  # Slack refuses U2's DM: released, tried again later
    pid = world.team("Hindi RoBERTa", ["U1", "U2"])
    allocation = world.uow.compute.of_team(pid)
    assert dms(world, "U2") == [] and world.uow.compute.unsent(allocation.id, pid) == {"U2"}
    world.messenger.refuse.clear()
    # A process claims U2's DM and stops before sending it (another host: the lease expires).
    claim = world.uow.compute.claim_send(allocation.id, pid, "U2", lease=300)
    assert claim is not None and claim.earlier_attempt is not None
    world.bus.handle(HandOutCompute())
    assert dms(world, "U2") == []  # the claim is live: nobody sends it twice at once
    world.store.conn.execute(
        "UPDATE compute_sent SET owner = 'elsewhere:1', claimed_until = ?", (time.time() - 1,)
    )
    world.bus.handle(HandOutCompute())
    assert len(dms(world, "U2")) == 1 and world.uow.compute.sent_to(allocation.id, pid) == {
        "U1",
        "U2",
    }
    assert len(dms(world, "U1")) == 1


def test_a_private_channel_found_before_a_crash_still_gets_the_details(world: World) -> None:
    world.pool("tpu-1")
    pid = world.team("Private team", ["U1", "U2"], official=False)
    world.messenger.private.add("G0PRIV")
    world.messenger.crash_after_dms = 2  # both members' DMs, then the process dies
    world.official(pid, "G0PRIV")
    assert world.messenger.to("G0PRIV") == []
    _stopped(world)
    world.bus.handle(HandOutCompute())
    posted = [s.text + json.dumps(s.blocks) for s in world.messenger.to("G0PRIV")]
    assert [SECRET in p for p in posted] == [True]
    assert len(dms(world, "U1")) == len(dms(world, "U2")) == 1


def test_a_team_too_small_gets_none_and_is_told_why_once(world: World) -> None:
    world.pool("tpu-1")
    solo = world.team("Solo project", ["U1"])
    pair = world.team("Pair project", ["U2", "U3"])
    assert world.holder("tpu-1") == pair  # the solo team does not hold up the queue
    (told,) = dms(world, "U1")
    assert "fewer than 2 people get no compute" in told
    world.bus.handle(HandOutCompute())
    assert len(dms(world, "U1")) == 1
    rows = {t.proposal_id: t for t in team_compute(world.uow, 2)}
    assert rows[solo].too_small and not rows[solo].waiting


def test_a_private_team_channel_gets_the_details_a_public_one_never(world: World) -> None:
    world.pool("tpu-1", "tpu-2")
    secret_team = world.team("Private team", ["U1", "U2"], official=False)
    open_team = world.team("Open team", ["U3", "U4"], official=False)
    world.messenger.private.add("G0PRIV")
    world.official(secret_team, "G0PRIV")
    world.official(open_team, "C0OPEN")
    assert any(SECRET in s.text + json.dumps(s.blocks) for s in world.messenger.to("G0PRIV"))
    assert world.messenger.to("C0OPEN") == []


def test_a_late_joiner_gets_the_details_and_a_leaver_is_no_longer_counted(world: World) -> None:
    world.pool("tpu-1")
    pid = world.team("Hindi RoBERTa", ["U1", "U2"])
    proposal = world.uow.proposals.get(pid)
    world.uow.memberships.apply(proposal, Signal("U5", BUTTON, True, time.time() + 5))
    world.bus.publish(MemberJoinedOfficialTeam(pid, "U5"))
    assert SECRET in " ".join(dms(world, "U5"))
    world.bus.handle(AnswerCompute("U2", pid, True))
    world.uow.memberships.leave(proposal, "U2")
    world.bus.publish(MemberLeftOfficialTeam(pid, "U2"))
    (row,) = team_compute(world.uow, 2)
    assert row.works == [] and "U2" not in row.members
    assert "cannot be taken back" in dms(world, ORG)[-1]


def test_give_take_and_regive_are_audited_and_refused_where_they_make_no_sense(
    world: World,
) -> None:
    world.pool("tpu-1", "tpu-2")
    pid = world.team("Hindi RoBERTa", ["U1", "U2"])
    open_only = world.team("Not yet official", ["U3", "U4"], official=False)
    refused = world.bus.handle(GiveCompute(ORG, open_only, "tpu-2"))
    assert isinstance(refused, Refused) and refused.why == "not_official"
    assert world.bus.handle(GiveCompute("U1", pid, "tpu-2")).why == "not_organizer"
    handed = world.bus.handle(GiveCompute(ORG, pid, "tpu-2"))
    assert isinstance(handed, Handed) and world.holder("tpu-2") == pid
    assert world.holder("tpu-1") is None  # given back to the pool, free again
    assert "tpu-2" in dms(world, "U1")[-1]
    world.bus.handle(TakeCompute(ORG, "tpu-2"))
    # Taken back: the team is first in line again and gets the free one at once.
    assert world.holder("tpu-1") == pid
    regiven = world.bus.handle(RegiveCompute(ORG, pid))
    assert regiven.given_next == "tpu-2" and world.holder("tpu-2") == pid
    listing = world.bus.handle(ListCompute(ORG))
    assert isinstance(listing, PoolListing)
    assert {(line.label, line.state) for line in listing.lines} == {
        ("tpu-1", "set aside"),
        ("tpu-2", "given"),
    }
    actions = [e.action for e in world.uow.audit.entries()]
    assert actions.count("compute_give") == 2 and actions.count("compute_take") == 1
    assert actions.count("compute_set_aside") == 1


def test_a_machine_re_given_after_a_problem_is_set_aside_until_an_organizer_fixes_it(
    world: World,
) -> None:
    world.pool("tpu-1", "tpu-2")
    broken = world.team("Hindi RoBERTa", ["U1", "U2"])
    world.bus.handle(AnswerCompute("U1", broken, False, "the TPU is not found"))
    assert world.holder("tpu-1") == broken
    waiting = world.team("Bengali GPT2", ["U3", "U4"])
    assert world.holder("tpu-2") == waiting
    assert world.bus.handle(RegiveCompute(ORG, broken)).why == "pool_empty"  # nothing changed
    assert world.holder("tpu-1") == broken
    world.bus.handle(AddCompute(ORG, "tpu-3", "zone c " + SECRET))
    regiven = world.bus.handle(RegiveCompute(ORG, broken))
    assert regiven.given_next == "tpu-3" and world.holder("tpu-3") == broken
    # The broken one goes to nobody, not even a team waiting, until an organizer fixes it.
    later = world.team("Swahili ASR", ["U5", "U6"])
    assert world.holder("tpu-1") is None
    assert world.uow.compute.of_team(later) is None
    world.bus.handle(HandOutCompute())
    assert world.holder("tpu-1") is None and world.uow.compute.free_count() == 0
    (row,) = [t for t in team_compute(world.uow, 2) if t.proposal_id == later]
    assert row.waiting
    refused = world.bus.handle(compute.FixedCompute(ORG, "tpu-2"))
    assert isinstance(refused, Refused) and refused.why == "not_set_aside"
    assert world.bus.handle(compute.FixedCompute("U1", "tpu-1")).why == "not_organizer"
    fixed = world.bus.handle(compute.FixedCompute(ORG, "TPU-1"))
    assert isinstance(fixed, PoolAdded) and world.holder("tpu-1") == later
    assert "tpu-1" in dms(world, "U5")[-1]
    actions = [e.action for e in world.uow.audit.entries()]
    assert actions.count("compute_set_aside") == 1 and actions.count("compute_fixed") == 1


def test_adding_a_set_aside_machine_again_puts_it_back_with_its_new_details(
    world: World,
) -> None:
    world.pool("tpu-1", "tpu-2")
    pid = world.team("Hindi RoBERTa", ["U1", "U2"])
    world.bus.handle(RegiveCompute(ORG, pid))
    assert world.holder("tpu-2") == pid and world.holder("tpu-1") is None
    waiting = world.team("Bengali GPT2", ["U3", "U4"])
    assert world.holder("tpu-1") is None  # set aside: not given to the team waiting
    assert world.bus.handle(AddCompute(ORG, "tpu-2", "zone x")).why == "label_taken"
    again = world.bus.handle(AddCompute(ORG, "tpu-1", "zone europe-west4-b NEWKEY"))
    assert isinstance(again, PoolAdded) and world.holder("tpu-1") == waiting
    assert "NEWKEY" in dms(world, "U3")[-1] and len(world.uow.compute.all()) == 2


def test_an_undone_team_keeps_its_compute_and_the_organizers_are_told(world: World) -> None:
    world.pool("tpu-1")
    pid = world.team("Hindi RoBERTa", ["U1", "U2"])
    with world.store.transaction():
        world.uow.memberships.undo_official(pid)
        world.uow.proposals.set_status(pid, Status.OPEN)
    world.bus.publish(OfficialUndone(pid))
    assert world.holder("tpu-1") == pid
    assert "/organize compute take tpu-1" in dms(world, ORG)[-1]


def test_answers_and_problems_reach_the_dashboard_and_the_organizers(world: World) -> None:
    world.pool("tpu-1")
    pid = world.team("Hindi RoBERTa", ["U1", "U2", "U3"])
    world.bus.handle(AnswerCompute("U1", pid, True))
    assert world.bus.handle(AnswerCompute("U9", pid, True)).why == "not_member"
    assert world.bus.handle(AnswerCompute("U2", pid, False, "  ")).why == "empty_problem"
    world.bus.handle(AnswerCompute("U2", pid, False, "ssh: connection <refused>"))
    (row,) = team_compute(world.uow, 2)
    assert row.label == "tpu-1" and row.works == ["U1"]
    assert row.problems == [("U2", "ssh: connection <refused>")]
    (alert,) = [s for s in world.messenger.to(ORG, "dm") if "problem" in s.text]
    assert "connection &lt;refused&gt;" in alert.text
    assert {
        e["action_id"] for b in alert.blocks if b["type"] == "actions" for e in b["elements"]
    } == {
        "compute_regive",
        "compute_reply",
    }
    assert SECRET not in alert.text + json.dumps(alert.blocks)


# --- Hub usernames ----------------------------------------------------------------------
def test_hub_usernames_are_checked_and_kept() -> None:
    assert hub_username("@julien-c") == "julien-c"
    assert hub_username("https://huggingface.co/patrickvonplaten/") == "patrickvonplaten"
    # Real accounts the Hub has, however odd (huggingface/huggingface_hub#2008: ram--charan).
    for real in ("ram--charan", "_underscore_", "a", "v0.1-bot", "x" * 96, "TheBloke"):
        assert hub_username(real) == real
    for bad in ("", "has space", "-lead", "trail-", ".dot", "dot.", "a..b", "x" * 97, "é"):
        with pytest.raises(ValueError):
            hub_username(bad)


def test_usernames_invites_and_the_reminder_once_a_day(world: World) -> None:
    world.team("Hindi RoBERTa", ["U1", "U2", "U3"])
    world.team("Open idea", ["U7", "U8"], official=False)
    saved = world.bus.handle(SetHubUsername("U1", "alice-hf"))
    assert isinstance(saved, HubSaved) and saved.before is None
    assert world.bus.handle(SetHubUsername("U1", "alice-2")).before == "alice-hf"
    assert world.bus.handle(SetHubUsername("U2", "not valid")).why == "bad_username"
    assert invites(world.uow) == ["alice-2"] and missing(world.uow) == ["U2", "U3"]
    world.messenger.budget["chat.postMessage"] = 1  # room for one DM now
    first = world.bus.handle(RemindHubUsernames(ORG))
    assert first == Reminded(sent=1, recently=0, later=1)
    world.messenger.budget.clear()
    second = world.bus.handle(RemindHubUsernames(ORG))
    assert second == Reminded(sent=1, recently=1, later=0)  # the one left for later; no repeat
    assert world.bus.handle(RemindHubUsernames(ORG)) == Reminded(0, 2, 0)
    assert len(dms(world, "U2")) + len(dms(world, "U3")) == 2  # no pool loaded: no "waiting"
    assert not dms(world, "U7")  # not official: not asked


# --- an organizer's reply to a problem ----------------------------------------------------
def test_an_organizers_reply_reaches_only_the_member_who_reported_and_is_audited(
    world: World,
) -> None:
    world.pool("tpu-1")
    pid = world.team("Hindi RoBERTa", ["U1", "U2", "U3"])
    world.bus.handle(AnswerCompute("U2", pid, False, "ssh: connection refused"))
    before = len(world.messenger.sent)
    replied = world.bus.handle(ReplyToProblem(ORG, pid, "U2", "  Try port 2222 <now>  "))
    assert replied == Replied("U2")
    (said,) = world.messenger.sent[before:]  # one message, to the member only
    assert (said.kind, said.to) == ("dm", "U2")
    assert said.text == (
        f"<@{ORG}> answers about the compute of “Hindi RoBERTa”: Try port 2222 &lt;now&gt;"
    )
    assert SECRET not in said.text
    replies = [
        (e.actor, e.after) for e in world.uow.audit.entries(pid) if e.action == "compute_reply"
    ]
    assert replies == [(ORG, {"user": "U2"})]  # who was answered, never the words


def test_a_reply_is_refused_to_a_member_when_empty_and_when_slack_refuses_the_dm(
    world: World,
) -> None:
    pid = world.team("Hindi RoBERTa", ["U1", "U2"])
    before = len(world.messenger.sent)
    assert world.bus.handle(ReplyToProblem("U1", pid, "U2", "fixed")) == Refused("not_organizer")
    assert world.bus.handle(ReplyToProblem(ORG, pid, "U2", "   ")) == Refused("empty_reply")
    assert world.bus.handle(ReplyToProblem(ORG, 999, "U2", "fixed")) == Refused("empty_reply")
    world.messenger.refuse.add("U2")
    assert world.bus.handle(ReplyToProblem(ORG, pid, "U2", "fixed")) == Refused("not_delivered")
    assert world.messenger.sent[before:] == []
    assert [e for e in world.uow.audit.entries() if e.action == "compute_reply"] == []


# --- a member's Hub username, read back -----------------------------------------------------
def test_a_members_hub_username_is_read_back_as_last_given_and_nobody_elses(
    world: World,
) -> None:
    world.team("Hindi RoBERTa", ["U1", "U2"])
    assert world.bus.handle(HubUsernameOf("U1")) is None
    world.bus.handle(SetHubUsername("U1", "https://huggingface.co/alice-hf/"))
    assert world.bus.handle(HubUsernameOf("U1")) == "alice-hf"
    world.bus.handle(SetHubUsername("U1", "@alice-2"))
    world.bus.handle(SetHubUsername("U2", "not valid"))  # refused: nothing kept
    assert world.bus.handle(HubUsernameOf("U1")) == "alice-2"
    assert world.bus.handle(HubUsernameOf("U2")) is None
    assert world.messenger.sent == []  # read from the database only


def test_a_why_not_nobody_heard_is_told_at_the_next_hand_out(world: World) -> None:
    world.pool("tpu-1")
    world.messenger.refuse.add("U1")  # Slack refuses the DM (or is down) this time
    solo = world.team("Solo project", ["U1"])
    assert dms(world, "U1") == []
    world.messenger.refuse.clear()
    world.bus.handle(HandOutCompute())
    (told,) = dms(world, "U1")
    assert "fewer than 2 people get no compute" in told
    world.bus.handle(HandOutCompute())
    assert len(dms(world, "U1")) == 1  # once it was heard, never again
    assert solo
