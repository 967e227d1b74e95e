"""The workspace FakeSlack keeps: people, conversations, messages and threads, reactions, modals
and Home tabs, files, ephemeral messages, the triggers and response_urls it handed out, the ids
and timestamps it allocates, and the violations it noted.

The Web API methods, the transport and the requests to the app all read and change this one
state; :class:`Workspace` holds it with the lookups they share.
"""

from __future__ import annotations

import copy
import itertools
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .api_arguments import JSON, ApiError, arg_str
from .interaction_payloads import normalise_blocks

# Users listed per reaction in conversations.history and reactions.get without full=true
# (Slack cuts the list and does not document where; the stand-in cuts at 50).
REACTION_USERS_SHOWN = 50


@dataclass
class User:
    id: str
    name: str
    real_name: str
    is_bot: bool


@dataclass
class Message:
    ts: str
    channel: str
    user: str
    text: str
    blocks: list[JSON] = field(default_factory=list)
    attachments: list[JSON] = field(default_factory=list)
    files: list[JSON] = field(default_factory=list)
    thread_ts: str | None = None
    metadata: JSON | None = None
    bot_id: str | None = None
    subtype: str | None = None
    edited_ts: str | None = None
    reactions: dict[str, list[str]] = field(default_factory=dict)
    replies: list[Message] = field(default_factory=list)


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool
    created: int
    creator: str
    members: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    is_im: bool = False
    is_mpim: bool = False
    im_user: str | None = None
    is_archived: bool = False
    pinned: list[str] = field(default_factory=list)  # ts of pinned messages


@dataclass
class Trigger:
    user: str
    issued_at: float
    used: bool = False


@dataclass
class ResponseTarget:
    """What a response_url answers: a command (channel) or a message action (a message)."""

    user: str
    channel: str
    issued_at: float
    message_ts: str | None = None
    is_ephemeral: bool = False
    uses: int = 0


@dataclass
class File:
    id: str
    filename: str
    length: int
    content: bytes | None = None
    title: str = ""
    channels: list[str] = field(default_factory=list)
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False


class Workspace:
    """The state behind FakeSlack, and the lookups on it.

    ``lock`` guards all of it, for every part of FakeSlack: a Web API call, a response_url post
    and a request to the app touch the same messages and views, from the server's threads and
    the test's. It is reentrant because one public step may take another (conversations.create
    adds a channel). Nothing that calls the app holds it: the app calls the Web API back while
    it handles a request.
    """

    def __init__(
        self,
        *,
        team_id: str,
        team_domain: str,
        bot_user_id: str,
        bot_id: str,
        bot_name: str,
        app_id: str,
        clock: Callable[[], float],
        wall_clock: Callable[[], float],
    ) -> None:
        self.team_id = team_id
        self.team_domain = team_domain
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.app_id = app_id
        # clock: trigger expiry, response_url expiry and rate windows (tests may fake it);
        # wall: message timestamps and request signatures, which must look like real time.
        self.clock = clock
        self.wall = wall_clock
        self.lock = threading.RLock()
        self.violations: list[str] = []

        self._counters: dict[str, itertools.count[int]] = {}
        self._last_ts = 0
        self.users: dict[str, User] = {}
        self.conversations: dict[str, Channel] = {}
        self.index: dict[tuple[str, str], Message] = {}
        self.ephemeral_messages: dict[str, list[JSON]] = {}
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseTarget] = {}
        self.views_by_id: dict[str, JSON] = {}
        self.view_owner: dict[str, str] = {}
        self.stacks: dict[str, list[str]] = {}
        self.homes: dict[str, str] = {}
        self.field_errors: dict[str, dict[str, str]] = {}
        self.uploads: dict[str, File] = {}
        self.add_user(bot_user_id, bot_name, is_bot=True)

    def violate(self, message: str) -> None:
        self.violations.append(message)

    # ------------------------------------------------------------------ set up and look

    def add_user(
        self, user_id: str, name: str, *, real_name: str | None = None, is_bot: bool = False
    ) -> None:
        with self.lock:
            self.users[user_id] = User(user_id, name, real_name or name, is_bot)

    def add_channel(
        self,
        name: str,
        *,
        channel_id: str | None = None,
        members: Iterable[str] = (),
        is_private: bool = False,
    ) -> str:
        """Create a channel (no name rules: tests may need odd names); returns its id."""
        with self.lock:
            if self.channel_named(name) is not None:
                raise ValueError(f"channel #{name} exists already")
            if channel_id is not None and channel_id in self.conversations:
                raise ValueError(f"channel id {channel_id} is taken")
            cid = channel_id or self.new_id("C", taken=self.conversations)
            unknown = [m for m in members if m not in self.users]
            if unknown:
                raise ValueError(f"unknown members {unknown}: add_user() them first")
            self.conversations[cid] = Channel(
                id=cid,
                name=name,
                is_private=is_private,
                created=int(self.wall()),
                creator=self.bot_user_id,
                members=list(dict.fromkeys(members)),
            )
            return cid

    def join(self, channel: str, user: str) -> None:
        """A person joins a channel (no event is sent)."""
        with self.lock:
            self.person(user)
            target = self.lookup(channel)
            if user not in target.members:
                target.members.append(user)

    def channel_id(self, name: str) -> str:
        with self.lock:
            channel = self.channel_named(name.lstrip("#"))
            if channel is None:
                raise KeyError(f"no channel named {name!r}")
            return channel.id

    def members(self, channel: str) -> list[str]:
        with self.lock:
            return list(self.lookup(channel).members)

    def add_message(
        self, channel: str, user: str, text: str, *, thread_ts: str | None = None
    ) -> str:
        """Put a message from a person into a channel (no event is sent); returns its ts."""
        with self.lock:
            target = self.lookup(channel)
            if user not in self.users:
                raise ValueError(f"unknown user {user}: add_user() first")
            message = Message(ts=self.next_ts(), channel=target.id, user=user, text=text)
            try:
                self.store_message(target, message, thread_ts)
            except ApiError as err:
                raise ValueError(f"{err.error}: no message {thread_ts} in {channel}") from None
            return message.ts

    def delete_message(self, channel: str, ts: str) -> None:
        """An admin deletes a message (any poster's; no event is sent)."""
        with self.lock:
            self.remove_message(self.lookup(channel), self.message_in(channel, ts))

    def set_metadata(self, channel: str, ts: str, metadata: JSON) -> None:
        """Give a message metadata as if its poster had sent it (seeding benchmarks)."""
        with self.lock:
            self.message_in(channel, ts).metadata = dict(metadata)

    def pinned(self, channel: str) -> list[str]:
        """The ts of the messages pinned in a channel (id or name)."""
        with self.lock:
            return list(self.lookup(channel).pinned)

    def messages(self, channel: str) -> list[JSON]:
        """Top-level messages of a channel (id, name or user id for the DM), oldest first."""
        with self.lock:
            return [self.plain_message(m) for m in self.lookup(channel).messages]

    def thread(self, channel: str, ts: str) -> list[JSON]:
        with self.lock:
            return [self.plain_message(m) for m in self.message_in(channel, ts).replies]

    def message(self, channel: str, ts: str) -> JSON:
        with self.lock:
            return self.plain_message(self.message_in(channel, ts))

    def dms(self, user_id: str) -> list[JSON]:
        """What the bot wrote in its DM with the user (to the user id or the D... id)."""
        with self.lock:
            im = self.im_of(user_id)
            return [] if im is None else [self.plain_message(m) for m in im.messages]

    def ephemerals(self, user_id: str) -> list[JSON]:
        """Ephemeral messages the user saw: chat.postEphemeral, response_url and command acks."""
        with self.lock:
            return copy.deepcopy(self.ephemeral_messages.get(user_id, []))

    def views(self, user_id: str) -> list[JSON]:
        """The user's open modals, bottom of the stack first."""
        with self.lock:
            return [copy.deepcopy(self.views_by_id[v]) for v in self.stacks.get(user_id, [])]

    def view(self, view_id: str) -> JSON:
        with self.lock:
            if view_id not in self.views_by_id:
                raise KeyError(f"no view {view_id}")
            return copy.deepcopy(self.views_by_id[view_id])

    def replace_view(self, view_id: str, view: Mapping[str, object]) -> None:
        """Replace an open view with ``view`` as it is, as a forged client could send it: the
        next submit_view or click carries it (a test of what the app trusts in a payload)."""
        with self.lock:
            if view_id not in self.views_by_id:
                raise KeyError(f"no view {view_id}")
            self.views_by_id[view_id] = copy.deepcopy(dict(view))

    def view_errors(self, view_id: str) -> dict[str, str]:
        """The field errors of the last view submission answered with response_action=errors."""
        with self.lock:
            return dict(self.field_errors.get(view_id, {}))

    def home(self, user_id: str) -> JSON | None:
        with self.lock:
            view_id = self.homes.get(user_id)
            return None if view_id is None else copy.deepcopy(self.views_by_id[view_id])

    def files(self) -> list[JSON]:
        with self.lock:
            return [
                {
                    "id": f.id,
                    "filename": f.filename,
                    "title": f.title,
                    "content": f.content or b"",
                    "channels": list(f.channels),
                    "initial_comment": f.initial_comment,
                    "thread_ts": f.thread_ts,
                }
                for f in self.uploads.values()
                if f.completed
            ]

    @property
    def channels(self) -> dict[str, JSON]:
        with self.lock:
            return {
                c.id: {
                    "id": c.id,
                    "name": c.name,
                    "is_private": c.is_private,
                    "is_im": c.is_im,
                    "is_mpim": c.is_mpim,
                    "is_archived": c.is_archived,
                    "members": list(c.members),
                }
                for c in self.conversations.values()
            }

    # ------------------------------------------------------------------ ids and timestamps

    def new_id(
        self, prefix: str, *, taken: Mapping[str, object] | None = None, width: int = 4
    ) -> str:
        counter = self._counters.setdefault(prefix, itertools.count(1))
        while True:
            candidate = f"{prefix}{next(counter):0{width}d}"
            if taken is None or candidate not in taken:
                return candidate

    def next_ts(self) -> str:
        """Message timestamps: real time, strictly increasing (they are message ids)."""
        micros = max(int(self.wall() * 1_000_000), self._last_ts + 1)
        self._last_ts = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def event_ts(self) -> str:
        return self.next_ts()

    def issue_trigger(self, user: str) -> str:
        trigger_id = f"{int(self.wall())}.{self.team_id[1:]}.{secrets.token_hex(16)}"
        self.triggers[trigger_id] = Trigger(user=user, issued_at=self.clock())
        return trigger_id

    def issue_response_url(
        self,
        user: str,
        channel: str,
        *,
        message_ts: str | None = None,
        is_ephemeral: bool = False,
    ) -> str:
        """A new response_url's id (the transport serves it under /response/<id>)."""
        url_id = secrets.token_urlsafe(16)
        self.response_urls[url_id] = ResponseTarget(
            user=user,
            channel=channel,
            issued_at=self.clock(),
            message_ts=message_ts,
            is_ephemeral=is_ephemeral,
        )
        return url_id

    # ------------------------------------------------------------------ lookups

    def person(self, user: str) -> User:
        found = self.users.get(user)
        if found is None:
            raise ValueError(f"unknown user {user}: add_user() first")
        return found

    def channel_named(self, name: str) -> Channel | None:
        return next(
            (c for c in self.conversations.values() if c.name == name and not c.is_im), None
        )

    def find_channel(self, ref: str) -> Channel | None:
        """A channel by id, name or #name; a user id means the DM with that user."""
        if ref in self.conversations:
            return self.conversations[ref]
        if ref in self.users:
            return self.im_of(ref)
        return self.channel_named(ref.lstrip("#"))

    def lookup(self, ref: str) -> Channel:
        """For the test-facing API: like find_channel, creating a DM on demand."""
        if ref in self.users:
            return self.im_for(ref)
        found = self.find_channel(ref)
        if found is None:
            raise KeyError(f"no channel {ref!r}")
        return found

    def message_in(self, channel: str, ts: str) -> Message:
        target = self.lookup(channel)
        found = self.index.get((target.id, ts))
        if found is None:
            raise KeyError(f"no message {ts} in {channel}")
        return found

    def ephemeral(self, user: str, channel: str, ts: str | None) -> JSON | None:
        return next(
            (
                e
                for e in self.ephemeral_messages.get(user, [])
                if e["channel"] == channel and e["ts"] == ts
            ),
            None,
        )

    def im_of(self, user: str) -> Channel | None:
        if user in self.conversations and self.conversations[user].is_im:
            return self.conversations[user]
        return next((c for c in self.conversations.values() if c.is_im and c.im_user == user), None)

    def im_for(self, user: str) -> Channel:
        found = self.im_of(user)
        if found is not None:
            return found
        self.person(user)
        channel = Channel(
            id=self.new_id("D", taken=self.conversations),
            name=user,
            is_private=True,
            created=int(self.wall()),
            creator=user,
            members=[user, self.bot_user_id],
            is_im=True,
            im_user=user,
        )
        self.conversations[channel.id] = channel
        return channel

    def mpim_for(self, users: list[str]) -> tuple[bool, Channel]:
        members = sorted({*users, self.bot_user_id})
        for channel in self.conversations.values():
            if channel.is_mpim and sorted(channel.members) == members:
                return True, channel
        names = "--".join(self.users[u].name for u in members)
        channel = Channel(
            id=self.new_id("G", taken=self.conversations),
            name=f"mpdm-{names}-1",
            is_private=True,
            created=int(self.wall()),
            creator=self.bot_user_id,
            members=members,
            is_mpim=True,
        )
        self.conversations[channel.id] = channel
        return False, channel

    def visible(self, channel: Channel) -> bool:
        """Private conversations exist, for the bot, only if it is in them."""
        return not channel.is_private or self.bot_user_id in channel.members

    def channel_arg(self, args: JSON, key: str = "channel") -> Channel:
        """A channel named by id, as most methods require."""
        channel = self.conversations.get(arg_str(args, key) or "")
        if channel is None or not self.visible(channel):
            raise ApiError("channel_not_found")
        return channel

    def readable_channel(self, args: JSON) -> Channel:
        channel = self.channel_arg(args)
        if self.bot_user_id not in channel.members:
            raise ApiError("not_in_channel")
        return channel

    def post_target(self, ref: str, *, allow_users: bool = True) -> Channel:
        """chat.postMessage takes an id, a name or (for the DM) a user id."""
        if allow_users and ref in self.users and ref != self.bot_user_id:
            return self.im_for(ref)
        channel = self.conversations.get(ref) or self.channel_named(ref.lstrip("#"))
        if channel is None or not self.visible(channel):
            raise ApiError("channel_not_found")
        if channel.is_archived:
            raise ApiError("is_archived")
        if self.bot_user_id not in channel.members:
            raise ApiError("not_in_channel")
        return channel

    def is_on_screen(self, user: str, view_id: str) -> bool:
        return view_id in self.stacks.get(user, []) or self.homes.get(user) == view_id

    # ------------------------------------------------------------------ storing

    def store_message(self, channel: Channel, message: Message, thread_ts: str | None) -> None:
        if thread_ts:
            parent = self.index.get((channel.id, thread_ts))
            if parent is None:
                raise ApiError("thread_not_found")
            if parent.thread_ts and parent.thread_ts != parent.ts:
                parent = self.index[(channel.id, parent.thread_ts)]
            message.thread_ts = parent.ts
            parent.replies.append(message)
            if message.subtype == "thread_broadcast":
                channel.messages.append(message)
        else:
            channel.messages.append(message)
        self.index[(channel.id, message.ts)] = message

    def remove_message(self, channel: Channel, message: Message) -> None:
        if message in channel.messages:
            channel.messages.remove(message)
        if message.thread_ts and message.thread_ts != message.ts:
            parent = self.index.get((channel.id, message.thread_ts))
            if parent is not None and message in parent.replies:
                parent.replies.remove(message)
        self.index.pop((channel.id, message.ts), None)

    def store_view(
        self,
        view: JSON,
        user: str,
        *,
        view_id: str | None = None,
        previous: str | None = None,
        root: str | None = None,
    ) -> JSON:
        external_id = view.get("external_id") or ""
        if external_id and any(
            v.get("external_id") == external_id and v["id"] != view_id
            for v in self.views_by_id.values()
        ):
            raise ApiError("duplicate_external_id")
        vid = view_id or self.new_id("V", taken=self.views_by_id)
        stored = copy.deepcopy(view)
        stored.update(
            id=vid,
            team_id=self.team_id,
            blocks=normalise_blocks(view.get("blocks") or []),
            private_metadata=view.get("private_metadata") or "",
            callback_id=view.get("callback_id") or "",
            external_id=external_id,
            state={"values": {}},
            hash=f"{int(self.wall())}.{secrets.token_hex(4)}",
            clear_on_close=bool(view.get("clear_on_close")),
            notify_on_close=bool(view.get("notify_on_close")),
            previous_view_id=previous,
            root_view_id=root or vid,
            app_id=self.app_id,
            app_installed_team_id=self.team_id,
            bot_id=self.bot_id,
        )
        self.views_by_id[vid] = stored
        self.view_owner[vid] = user
        return stored

    # ------------------------------------------------------------------ representations

    def api_message(
        self, message: Message, *, include_metadata: bool = True, full_reactions: bool = False
    ) -> JSON:
        out: JSON = {
            "type": "message",
            "ts": message.ts,
            "user": message.user,
            "text": message.text,
            "team": self.team_id,
        }
        if message.bot_id:
            out.update(bot_id=message.bot_id, app_id=self.app_id)
        if message.subtype:
            out["subtype"] = message.subtype
        if message.blocks:
            out["blocks"] = copy.deepcopy(message.blocks)
        if message.attachments:
            out["attachments"] = copy.deepcopy(message.attachments)
        if message.files:
            out["files"] = copy.deepcopy(message.files)
        if message.thread_ts:
            out["thread_ts"] = message.thread_ts
        if message.replies:
            users = list(dict.fromkeys(r.user for r in message.replies))
            out.update(
                thread_ts=message.ts,
                reply_count=len(message.replies),
                reply_users=users,
                reply_users_count=len(users),
                latest_reply=message.replies[-1].ts,
            )
        if message.edited_ts:
            out["edited"] = {"user": message.user, "ts": message.edited_ts}
        if message.reactions:
            # As on Slack, a long list of reacting users is cut (count stays whole) unless
            # reactions.get is asked for the full one.
            out["reactions"] = [
                {
                    "name": name,
                    "users": list(users) if full_reactions else list(users)[:REACTION_USERS_SHOWN],
                    "count": len(users),
                }
                for name, users in message.reactions.items()
            ]
        if include_metadata and message.metadata:
            out["metadata"] = copy.deepcopy(message.metadata)
        return out

    def plain_message(self, message: Message) -> JSON:
        return {
            "channel": message.channel,
            "ts": message.ts,
            "user": message.user,
            "bot_id": message.bot_id,
            "subtype": message.subtype,
            "text": message.text,
            "blocks": copy.deepcopy(message.blocks),
            "attachments": copy.deepcopy(message.attachments),
            "files": copy.deepcopy(message.files),
            "thread_ts": message.thread_ts,
            "metadata": copy.deepcopy(message.metadata),
            "edited": message.edited_ts is not None,
            "reactions": {name: list(users) for name, users in message.reactions.items()},
            "replies": [self.plain_message(r) for r in message.replies],
        }
