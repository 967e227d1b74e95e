"""Small hand-written fakes for the fast tier (no MagicMock): what a use case would have sent
to Slack is recorded, so a test asserts on it the way the stand-in's log is asserted on in the
whole-app tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from slackbot.domain.delivery import ACCESS_LOST, Delivery

Blocks = list[dict[str, Any]]


class Crash(Exception):
    """A process dying at that point (raised by a fake, caught by the test)."""


@dataclass
class Sent:
    kind: str  # post, update, dm, ephemeral, view
    to: str  # channel or user
    text: str
    blocks: Blocks | None = None
    thread_ts: str | None = None
    ts: str | None = None
    user: str | None = None  # an ephemeral's reader
    metadata: dict[str, Any] | None = None


@dataclass
class FakeMessenger:
    """The Messenger port in memory. `refuse` names channels/users Slack would refuse;
    `budget` caps each method's calls (None: no cap), as the rate tiers would."""

    sent: list[Sent] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    budget: dict[str, int] = field(default_factory=dict)
    invited: dict[str, list[str]] = field(default_factory=dict)
    private: set[str] = field(default_factory=set)  # channels Slack says are private
    crash_after_posts: int | None = None  # the Nth post reaches Slack, then the caller dies
    crash_after_dms: int | None = None  # the same for direct messages
    homes: dict[str, Any] = field(default_factory=dict)  # user -> their published Home tab
    gone: set[str] = field(default_factory=set)  # thread parents Slack no longer has
    pins: list[tuple[str, str]] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # users.info's answers
    members: dict[str, list[str]] = field(default_factory=dict)  # channel -> its members
    uploads: list[dict[str, str]] = field(default_factory=list)
    _ts: int = 0
    channels: dict[str, str] = field(default_factory=dict)  # channels created: id -> name
    taken: set[str] = field(default_factory=set)  # channel names someone else holds

    def _next_ts(self) -> str:
        self._ts += 1
        return f"1700000000.{self._ts:06d}"

    def post(
        self,
        channel: str,
        text: str,
        blocks: Blocks | None = None,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str | None:
        if channel in self.refuse:
            return None
        ts = self._next_ts()
        self.sent.append(Sent("post", channel, text, blocks, thread_ts, ts, metadata=metadata))
        if self.crash_after_posts is not None:
            self.crash_after_posts -= 1
            if self.crash_after_posts == 0:
                self.crash_after_posts = None
                raise Crash("the process died before Slack's answer was stored")
        return ts

    def find_marked(
        self,
        channel: str,
        *,
        since: float,
        event_type: str,
        payload: dict[str, Any],
        thread_ts: str | None = None,
    ) -> tuple[bool, str | None]:
        for sent in reversed(self.sent):
            meta = sent.metadata or {}
            found = meta.get("event_payload") or {}
            if (
                sent.kind in ("post", "dm")
                and sent.to == channel
                and sent.thread_ts == thread_ts
                and meta.get("event_type") == event_type
                and all(found.get(k) == v for k, v in payload.items())
            ):
                return True, sent.ts
        return True, None

    def update(self, channel: str, ts: str, text: str, blocks: Blocks | None = None) -> bool:
        if channel in self.refuse:
            return False
        self.sent.append(Sent("update", channel, text, blocks, None, ts))
        return True

    def dm(
        self,
        user: str,
        text: str,
        blocks: Blocks | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str | None:
        if user in self.refuse:
            return None
        ts = self._next_ts()
        self.sent.append(Sent("dm", user, text, blocks, None, ts, metadata=metadata))
        if self.crash_after_dms is not None:
            self.crash_after_dms -= 1
            if self.crash_after_dms == 0:
                self.crash_after_dms = None
                raise Crash("the process died before Slack's answer was stored")
        return ts

    def post_checked(
        self, channel: str, text: str, blocks: Blocks, metadata: dict[str, Any]
    ) -> Delivery:
        if channel in self.refuse:
            return Delivery(error="internal_error", status=500)
        ts = self.post(channel, text, blocks, metadata=metadata)
        return Delivery(ts)

    def update_checked(
        self, channel: str, ts: str, text: str, blocks: Blocks, metadata: dict[str, Any]
    ) -> Delivery:
        if channel in self.refuse:
            return Delivery(error="internal_error", status=500)
        self.sent.append(Sent("update", channel, text, blocks, None, ts, metadata=metadata))
        return Delivery(ts)

    def ephemeral(self, channel: str, user: str, text: str, blocks: Blocks | None = None) -> None:
        if channel not in self.refuse:
            self.sent.append(Sent("ephemeral", channel, text, blocks, user=user))

    def invite(self, channel: str, users: list[str]) -> bool:
        if channel in self.refuse:
            return False
        self.invited.setdefault(channel, [])
        self.invited[channel].extend(u for u in users if u not in self.invited[channel])
        return True

    def may_send(self, method: str, channel: str | None = None) -> bool:
        left = self.budget.get(method)
        if left is None:
            return True
        if left <= 0:
            return False
        self.budget[method] = left - 1
        return True

    def is_private(self, channel: str) -> bool:
        return channel in self.private

    def to(self, who: str, kind: str | None = None) -> list[Sent]:
        return [s for s in self.sent if s.to == who and (kind is None or s.kind == kind)]

    def everything_said(self) -> str:
        """Every text and block of every message, as one string (for "never shown" checks)."""
        import json

        return "\n".join(f"{s.to} {s.text} {json.dumps(s.blocks or [])}" for s in self.sent)

    # --- the read side's verbs: Home tabs, the digest's thread, names, the sheet ---
    def publish_home(self, user: str, view: dict[str, Any]) -> bool:
        import json

        if user in self.refuse:
            return False
        self.homes[user] = view
        self.sent.append(Sent("home", user, json.dumps(view)))
        return True

    def post_delivered(
        self, channel: str, text: str, blocks: Blocks, thread_ts: str | None = None
    ) -> Delivery:
        if channel in self.refuse:
            return Delivery(error="internal_error", status=500)
        if thread_ts is not None and thread_ts in self.gone:
            return Delivery(error="thread_not_found", status=200)
        return Delivery(self.post(channel, text, blocks, thread_ts))

    def pin(self, channel: str, ts: str) -> bool:
        if channel in self.refuse:
            return False
        self.pins.append((channel, ts))
        return True

    def user_info(self, user: str) -> tuple[dict[str, Any] | None, str | None]:
        if user in self.refuse:
            return None, "internal_error"
        found = self.users.get(user)
        return (found, None) if found is not None else (None, "user_not_found")

    def channel_members(
        self, channel: str, cursor: str | None, limit: int
    ) -> tuple[list[str], str] | None:
        if channel in self.refuse:
            return None
        start = int(cursor or 0)
        members = self.members.get(channel, [])
        rest = str(start + limit) if start + limit < len(members) else ""
        return members[start : start + limit], rest

    def upload(self, user: str, content: str, *, filename: str, title: str, comment: str) -> str:
        if user in self.refuse:
            raise OSError("Slack refused the upload")
        self.uploads.append(
            {
                "to": user,
                "content": content,
                "filename": filename,
                "title": title,
                "comment": comment,
            }
        )
        return f"F{len(self.uploads):04d}"

    # A DM's channel is the person's id here (Slack's would be a D… id); `lost`: why Slack no
    # longer lets the bot act.
    lost: str | None = None
    failing: dict[str, Delivery] = field(default_factory=dict)  # to → what `send` answers

    def send(
        self,
        channel: str,
        text: str,
        blocks: Blocks | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> Delivery:
        if self.lost is not None:
            return Delivery(error=ACCESS_LOST)
        if channel in self.failing:
            return self.failing[channel]
        if channel in self.refuse:
            return Delivery(error="channel_not_found", status=200)
        if channel.startswith(("U", "W")):
            ts = self.dm(channel, text, blocks, metadata=metadata)
        else:
            ts = self.post(channel, text, blocks, metadata=metadata)
        return Delivery(ts, channel=channel)

    def open_dm(self, user: str) -> str | None:
        return None if user in self.refuse else user

    def access_lost(self) -> str | None:
        return self.lost

    def lose_access(self, reason: str) -> None:
        self.lost = self.lost or reason

    def create_channel(self, name: str) -> tuple[str | None, str | None]:
        if name in self.taken:
            return None, "name_taken"
        if name in self.refuse:
            return None, "restricted_action"
        channel = f"C0TEAM{len(self.channels) + 1}"
        self.channels[channel] = name
        self.taken.add(name)
        return channel, None

    def is_person(self, user: str) -> bool:
        return user not in self.refuse


@dataclass
class FakeUpdates:
    """The refresher's marks, recorded (what would be redrawn, republished or sent)."""

    homes: set[str] = field(default_factory=set)
    alerts: list[int] = field(default_factory=list)
    due: int = 0
    posts: list[int] = field(default_factory=list)  # posts marked for a redraw

    def mark(self, proposal_id: int) -> None:
        self.posts.append(proposal_id)

    def mark_homes(self, users: Iterable[str]) -> None:
        self.homes |= set(users)

    def mark_alerts(self, proposal_id: int) -> None:
        self.alerts.append(proposal_id)

    def alerts_due(self) -> None:
        self.due += 1


@dataclass
class FakeHistory:
    """The History port over a list of messages (newest first, as Slack pages them).
    `reactions_of` holds the full lists reactions.get would give; `down` makes every read
    raise SlackUnreachable, as a Slack that cannot be reached."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    reactions_of: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    down: bool = False
    asked: list[str] = field(default_factory=list)  # "page" or "reactions:<ts>", in order

    def page(
        self,
        channel: str,
        *,
        cursor: str | None = None,
        oldest: str | None = None,
        limit: int = 200,
        with_metadata: bool = False,
    ) -> dict[str, Any]:
        from slackbot.services.ports import SlackUnreachable

        self.asked.append("page")
        if self.down:
            raise SlackUnreachable("ratelimited")
        start = int(cursor or 0)
        shown = [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
            for m in self.messages
            if oldest is None or float(m["ts"]) >= float(oldest)
        ]
        more = start + limit < len(shown)
        return {
            "messages": shown[start : start + limit],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def reactions(self, channel: str, ts: str) -> list[dict[str, Any]]:
        from slackbot.services.ports import SlackUnreachable

        self.asked.append(f"reactions:{ts}")
        if self.down:
            raise SlackUnreachable("ratelimited")
        return self.reactions_of.get(ts, [])


@dataclass
class FakeViews:
    """The Views port in memory: what each modal shows, and the calls in order. `expired`
    names triggers Slack would refuse (too late); `changed` names modals the person typed in
    or closed since they opened (an update that may be refused is); `failing` makes updates
    raise, as the background client does when Slack is down."""

    shown: dict[str, Any] = field(default_factory=dict)  # view id -> what the modal shows
    calls: list[tuple[str, str]] = field(default_factory=list)  # (verb, trigger or view id)
    expired: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    failing: bool = False
    _opened: int = 0

    @staticmethod
    def _as_dict(view: Any) -> dict[str, Any]:
        shown: dict[str, Any] = view.to_dict() if hasattr(view, "to_dict") else view
        return shown

    def open(self, trigger_id: str, view: Any) -> dict[str, Any] | None:
        self.calls.append(("open", trigger_id))
        if trigger_id in self.expired:
            return None
        self._opened += 1
        view_id = f"V{self._opened:04d}"
        self.shown[view_id] = self._as_dict(view)
        return {"id": view_id, "hash": f"hash-{self._opened}"}

    def update(self, view_id: str, view: Any) -> None:
        self.calls.append(("update", view_id))
        if self.failing:
            raise OSError("Slack is down")
        self.shown[view_id] = self._as_dict(view)

    def update_unless_changed(self, view_id: str, view_hash: str | None, view: Any) -> bool:
        self.calls.append(("update_unless_changed", view_id))
        if view_id in self.changed:
            return False
        self.shown[view_id] = self._as_dict(view)
        return True

    def text(self, view_id: str) -> str:
        """Everything the modal shows, as one string."""
        import json

        return json.dumps(self.shown.get(view_id))
