"""The Web API methods on people, conversations and messages: auth.test, bots.info, users.*,
conversations.*, chat.* and reactions.*, answered from the :class:`Workspace`.

Each handler takes the call's arguments (already checked against Slack's method table) and
returns the answer without ``ok``, or raises :class:`ApiError`. The transport calls it with the
workspace lock held, and does the rest (tokens, records, scripted failures).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .api_arguments import (
    JSON,
    ApiError,
    arg_bool,
    arg_json_dict,
    arg_json_list,
    arg_str,
    paginate,
)
from .checks import is_present
from .interaction_payloads import normalise_blocks
from .workspace import Channel, Message, User, Workspace

CHANNEL_NAME = re.compile(r"[a-z0-9_-]+")


class ConversationsApi:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    def handlers(self) -> dict[str, Callable[[JSON], JSON]]:
        return {
            "auth.test": self.auth_test,
            "bots.info": self.bots_info,
            "users.info": self.users_info,
            "users.list": self.users_list,
            "conversations.list": self.conversations_list,
            "conversations.info": self.conversations_info,
            "conversations.join": self.conversations_join,
            "conversations.create": self.conversations_create,
            "conversations.invite": self.conversations_invite,
            "conversations.members": self.conversations_members,
            "conversations.open": self.conversations_open,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "chat.postMessage": self.chat_post_message,
            "chat.update": self.chat_update,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.getPermalink": self.chat_get_permalink,
            "chat.delete": self.chat_delete,
            "reactions.get": self.reactions_get,
            "reactions.add": self.reactions_add,
            "reactions.remove": self.reactions_remove,
            "pins.add": self.pins_add,
        }

    # ------------------------------------------------------------------ auth, bots, users

    def auth_test(self, args: JSON) -> JSON:
        ws = self.ws
        return {
            "url": f"https://{ws.team_domain}.slack.com/",
            "team": ws.team_domain.capitalize(),
            "user": ws.bot_name,
            "team_id": ws.team_id,
            "user_id": ws.bot_user_id,
            "bot_id": ws.bot_id,
            "is_enterprise_install": False,
        }

    def bots_info(self, args: JSON) -> JSON:
        ws = self.ws
        bot = arg_str(args, "bot") or ws.bot_id
        if bot != ws.bot_id:
            raise ApiError("bot_not_found")
        return {
            "bot": {
                "id": ws.bot_id,
                "deleted": False,
                "name": ws.bot_name,
                "updated": int(ws.wall()),
                "app_id": ws.app_id,
                "user_id": ws.bot_user_id,
                "icons": {},
            }
        }

    def users_info(self, args: JSON) -> JSON:
        user = self.ws.users.get(arg_str(args, "user") or "")
        if user is None:
            raise ApiError("user_not_found")
        return {"user": self.api_user(user)}

    def users_list(self, args: JSON) -> JSON:
        page, cursor = paginate(list(self.ws.users.values()), args, default_limit=100)
        return {
            "members": [self.api_user(u) for u in page],
            "cache_ts": int(self.ws.wall()),
            "response_metadata": {"next_cursor": cursor},
        }

    # ------------------------------------------------------------------ conversations

    def conversations_list(self, args: JSON) -> JSON:
        types = set((arg_str(args, "types") or "public_channel").split(","))
        exclude_archived = arg_bool(args, "exclude_archived")
        found = [
            c
            for c in self.ws.conversations.values()
            if _kind(c) in types and self.ws.visible(c) and not (exclude_archived and c.is_archived)
        ]
        page, cursor = paginate(found, args, default_limit=100)
        return {
            "channels": [self.api_channel(c) for c in page],
            "response_metadata": {"next_cursor": cursor},
        }

    def conversations_info(self, args: JSON) -> JSON:
        return {"channel": self.api_channel(self.ws.channel_arg(args))}

    def conversations_join(self, args: JSON) -> JSON:
        channel = self.ws.channel_arg(args)
        if channel.is_private or channel.is_im or channel.is_mpim:
            raise ApiError("method_not_supported_for_channel_type")
        if channel.is_archived:
            raise ApiError("is_archived")
        if self.ws.bot_user_id in channel.members:
            return {
                "channel": self.api_channel(channel),
                "warning": "already_in_channel",
                "response_metadata": {"warnings": ["already_in_channel"]},
            }
        channel.members.append(self.ws.bot_user_id)
        return {"channel": self.api_channel(channel)}

    def conversations_create(self, args: JSON) -> JSON:
        name = arg_str(args, "name") or ""
        if not name:
            raise ApiError("invalid_name_required")
        if len(name) > 80:
            raise ApiError("invalid_name_maxlength")
        if re.fullmatch(r"[-_]+", name):
            raise ApiError("invalid_name_punctuation")
        if not CHANNEL_NAME.fullmatch(name):
            raise ApiError("invalid_name_specials")
        if self.ws.channel_named(name) is not None:
            raise ApiError("name_taken")
        cid = self.ws.add_channel(
            name, members=[self.ws.bot_user_id], is_private=arg_bool(args, "is_private")
        )
        return {"channel": self.api_channel(self.ws.conversations[cid])}

    def conversations_invite(self, args: JSON) -> JSON:
        ws = self.ws
        channel = ws.channel_arg(args)
        if ws.bot_user_id not in channel.members:
            raise ApiError("not_in_channel")
        if channel.is_archived:
            raise ApiError("is_archived")
        users = [u.strip() for u in (arg_str(args, "users") or "").split(",") if u.strip()]
        errors: list[JSON] = []
        for user in users:
            if user == ws.bot_user_id:
                errors.append({"user": user, "ok": False, "error": "cant_invite_self"})
            elif user not in ws.users:
                errors.append({"user": user, "ok": False, "error": "user_not_found"})
            elif user in channel.members:
                errors.append({"user": user, "ok": False, "error": "already_in_channel"})
        if errors:
            raise ApiError(errors[0]["error"], errors=errors)
        channel.members.extend(u for u in dict.fromkeys(users))
        return {"channel": self.api_channel(channel)}

    def conversations_members(self, args: JSON) -> JSON:
        channel = self.ws.channel_arg(args)
        page, cursor = paginate(channel.members, args, default_limit=100)
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def conversations_open(self, args: JSON) -> JSON:
        ws = self.ws
        if is_present(args.get("channel")):
            channel = ws.channel_arg(args)
            return {"channel": {"id": channel.id}, "no_op": True, "already_open": True}
        users = [u.strip() for u in (arg_str(args, "users") or "").split(",") if u.strip()]
        if any(u not in ws.users for u in users):
            raise ApiError("user_not_found")
        others = [u for u in dict.fromkeys(users) if u != ws.bot_user_id]
        if len(others) == 1:
            existed = ws.im_of(others[0]) is not None
            channel = ws.im_for(others[0])
        else:
            existed, channel = ws.mpim_for(others)
        ref = self.api_channel(channel) if arg_bool(args, "return_im") else {"id": channel.id}
        answer: JSON = {"channel": ref}
        if existed:
            answer.update(no_op=True, already_open=True)
        return answer

    def conversations_history(self, args: JSON) -> JSON:
        channel = self.ws.readable_channel(args)
        messages = _in_range(channel.messages, args)[::-1]
        page, cursor = paginate(messages, args, default_limit=100)
        metadata = arg_bool(args, "include_all_metadata")
        return {
            "messages": [self.ws.api_message(m, include_metadata=metadata) for m in page],
            "has_more": bool(cursor),
            "pin_count": 0,
            "response_metadata": {"next_cursor": cursor},
        }

    def conversations_replies(self, args: JSON) -> JSON:
        channel = self.ws.readable_channel(args)
        message = self.ws.index.get((channel.id, arg_str(args, "ts") or ""))
        if message is None:
            raise ApiError("thread_not_found")
        if message.thread_ts and message.thread_ts != message.ts:
            message = self.ws.index[(channel.id, message.thread_ts)]
        thread = _in_range([message, *message.replies], args)
        page, cursor = paginate(thread, args, default_limit=1000)
        metadata = arg_bool(args, "include_all_metadata")
        return {
            "messages": [self.ws.api_message(m, include_metadata=metadata) for m in page],
            "has_more": bool(cursor),
            "response_metadata": {"next_cursor": cursor},
        }

    # ------------------------------------------------------------------ chat

    def chat_post_message(self, args: JSON) -> JSON:
        ws = self.ws
        channel = ws.post_target(arg_str(args, "channel") or "")
        message = Message(
            ts=ws.next_ts(),
            channel=channel.id,
            user=ws.bot_user_id,
            text=arg_str(args, "text") or arg_str(args, "markdown_text") or "",
            blocks=normalise_blocks(arg_json_list(args, "blocks")),
            attachments=arg_json_list(args, "attachments"),
            metadata=arg_json_dict(args, "metadata"),
            bot_id=ws.bot_id,
        )
        thread_ts = arg_str(args, "thread_ts")
        if thread_ts and arg_bool(args, "reply_broadcast"):
            message.subtype = "thread_broadcast"
        ws.store_message(channel, message, thread_ts)
        return {"channel": channel.id, "ts": message.ts, "message": ws.api_message(message)}

    def chat_update(self, args: JSON) -> JSON:
        channel = self.ws.channel_arg(args)
        message = self.ws.index.get((channel.id, arg_str(args, "ts") or ""))
        if message is None:
            raise ApiError("message_not_found")
        if message.user != self.ws.bot_user_id:
            raise ApiError("cant_update_message")
        if is_present(args.get("text")) or is_present(args.get("markdown_text")):
            message.text = arg_str(args, "text") or arg_str(args, "markdown_text") or ""
        # Omitted blocks/attachments are kept; an empty list removes them (Slack's rule).
        if "blocks" in args:
            message.blocks = normalise_blocks(arg_json_list(args, "blocks"))
        if "attachments" in args:
            message.attachments = arg_json_list(args, "attachments")
        if "metadata" in args:
            message.metadata = arg_json_dict(args, "metadata")
        message.edited_ts = self.ws.event_ts()
        return {
            "channel": channel.id,
            "ts": message.ts,
            "text": message.text,
            "message": self.ws.api_message(message),
        }

    def chat_post_ephemeral(self, args: JSON) -> JSON:
        channel = self.ws.post_target(arg_str(args, "channel") or "", allow_users=False)
        user = arg_str(args, "user") or ""
        if user not in self.ws.users:
            raise ApiError("user_not_found")
        if user not in channel.members:
            raise ApiError("user_not_in_channel")
        ts = self.ws.next_ts()
        self.ws.ephemeral_messages.setdefault(user, []).append(
            {
                "channel": channel.id,
                "user": user,
                "ts": ts,
                "text": arg_str(args, "text") or "",
                "blocks": normalise_blocks(arg_json_list(args, "blocks")),
                "attachments": arg_json_list(args, "attachments"),
                "thread_ts": arg_str(args, "thread_ts"),
                "via": "chat.postEphemeral",
            }
        )
        return {"message_ts": ts}

    def chat_get_permalink(self, args: JSON) -> JSON:
        channel = self.ws.channel_arg(args)
        message = self.ws.index.get((channel.id, arg_str(args, "message_ts") or ""))
        if message is None:
            raise ApiError("message_not_found")
        link = (
            f"https://{self.ws.team_domain}.slack.com/archives/{channel.id}/"
            f"p{message.ts.replace('.', '')}"
        )
        if message.thread_ts and message.thread_ts != message.ts:
            link += f"?thread_ts={message.thread_ts}&cid={channel.id}"
        return {"channel": channel.id, "permalink": link}

    def chat_delete(self, args: JSON) -> JSON:
        channel = self.ws.channel_arg(args)
        message = self.ws.index.get((channel.id, arg_str(args, "ts") or ""))
        if message is None:
            raise ApiError("message_not_found")
        if message.user != self.ws.bot_user_id:
            raise ApiError("cant_delete_message")
        self.ws.remove_message(channel, message)
        return {"channel": channel.id, "ts": message.ts}

    def pins_add(self, args: JSON) -> JSON:
        channel = self.ws.channel_arg(args)
        if self.ws.bot_user_id not in channel.members:
            raise ApiError("not_in_channel")
        ts = arg_str(args, "timestamp") or ""
        if (channel.id, ts) not in self.ws.index:
            raise ApiError("message_not_found")
        if ts in channel.pinned:
            raise ApiError("already_pinned")
        channel.pinned.append(ts)
        return {}

    # ------------------------------------------------------------------ reactions

    def reactions_get(self, args: JSON) -> JSON:
        if not is_present(args.get("channel")):
            raise ApiError("file_not_found")  # files are not modelled
        channel = self.ws.readable_channel(args)
        message = self.ws.index.get((channel.id, arg_str(args, "timestamp") or ""))
        if message is None:
            raise ApiError("message_not_found")
        full = arg_bool(args, "full")
        return {
            "type": "message",
            "channel": channel.id,
            "message": self.ws.api_message(message, full_reactions=full),
        }

    def reactions_add(self, args: JSON) -> JSON:
        message, name = self._reaction_target(args)
        users = message.reactions.setdefault(name, [])
        if self.ws.bot_user_id in users:
            raise ApiError("already_reacted")
        users.append(self.ws.bot_user_id)
        return {}

    def reactions_remove(self, args: JSON) -> JSON:
        if not is_present(args.get("channel")):
            raise ApiError("file_not_found")
        message, name = self._reaction_target(args)
        users = message.reactions.get(name, [])
        if self.ws.bot_user_id not in users:
            raise ApiError("no_reaction")
        users.remove(self.ws.bot_user_id)
        if not users:
            del message.reactions[name]
        return {}

    def _reaction_target(self, args: JSON) -> tuple[Message, str]:
        channel = self.ws.readable_channel(args)
        message = self.ws.index.get((channel.id, arg_str(args, "timestamp") or ""))
        if message is None:
            raise ApiError("message_not_found")
        name = arg_str(args, "name") or ""
        if not name or name.startswith(":") or name.endswith(":") or " " in name:
            raise ApiError("invalid_name")  # e.g. ":tada:": Slack wants the name without colons
        return message, name

    # ------------------------------------------------------------------ representations

    def api_user(self, user: User) -> JSON:
        ws = self.ws
        profile: JSON = {
            "real_name": user.real_name,
            "real_name_normalized": user.real_name,
            "display_name": user.name,
            "display_name_normalized": user.name,
            "team": ws.team_id,
        }
        if user.id == ws.bot_user_id:
            profile["bot_id"] = ws.bot_id
        elif not user.is_bot:
            profile["email"] = f"{user.name}@example.org"
        return {
            "id": user.id,
            "team_id": ws.team_id,
            "name": user.name,
            "deleted": False,
            "real_name": user.real_name,
            "tz": "UTC",
            "tz_label": "Coordinated Universal Time",
            "tz_offset": 0,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "updated": 1_700_000_000,
        }

    def api_channel(self, channel: Channel) -> JSON:
        if channel.is_im:
            return {
                "id": channel.id,
                "created": channel.created,
                "is_im": True,
                "is_org_shared": False,
                "user": channel.im_user,
                "is_user_deleted": False,
                "priority": 0,
            }
        return {
            "id": channel.id,
            "name": channel.name,
            "name_normalized": channel.name,
            "is_channel": not channel.is_mpim,
            "is_group": False,
            "is_im": False,
            "is_mpim": channel.is_mpim,
            "is_private": channel.is_private,
            "is_archived": channel.is_archived,
            "is_general": False,
            "is_shared": False,
            "is_ext_shared": False,
            "is_org_shared": False,
            "created": channel.created,
            "creator": channel.creator,
            "is_member": self.ws.bot_user_id in channel.members,
            "num_members": len(channel.members),
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
        }


def _ts_key(ts: str) -> int:
    seconds, _, fraction = ts.partition(".")
    return int(seconds) * 1_000_000 + int((fraction + "000000")[:6])


def _in_range(messages: list[Message], args: Mapping[str, Any]) -> list[Message]:
    """conversations.history/replies: oldest/latest bounds, exclusive unless inclusive."""
    inclusive = arg_bool(args, "inclusive")
    try:
        oldest = _ts_key(arg_str(args, "oldest") or "0")
        latest_arg = arg_str(args, "latest")
        latest = _ts_key(latest_arg) if latest_arg else None
    except ValueError:
        raise ApiError("invalid_ts_oldest") from None
    kept = []
    for message in messages:
        key = _ts_key(message.ts)
        if key < oldest or (key == oldest and not inclusive and oldest):
            continue
        if latest is not None and (key > latest or (key == latest and not inclusive)):
            continue
        kept.append(message)
    return kept


def _kind(channel: Channel) -> str:
    if channel.is_im:
        return "im"
    if channel.is_mpim:
        return "mpim"
    return "private_channel" if channel.is_private else "public_channel"
