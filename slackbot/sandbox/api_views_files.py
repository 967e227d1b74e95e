"""The Web API methods on views and files: views.open/push/update/publish (modals and Home
tabs, with their trigger_ids and stacks), files.getUploadURLExternal and
files.completeUploadExternal, and the upload the app makes in between.

The handlers work as those of :mod:`slackbot.sandbox.api_conversations`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from .api_arguments import JSON, ApiError, arg_json_dict, arg_json_list, arg_str
from .checks import is_present
from .transport import Transport
from .workspace import File, Message, Workspace

TRIGGER_TTL = 3.0  # a trigger_id works once, within 3 s
VIEW_STACK_MAX = 3


class ViewsFilesApi:
    def __init__(self, workspace: Workspace, transport: Transport) -> None:
        self.ws = workspace
        self.transport = transport  # upload_urls point at it

    def handlers(self) -> dict[str, Callable[[JSON], JSON]]:
        return {
            "views.open": self.views_open,
            "views.push": self.views_push,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "files.getUploadURLExternal": self.files_get_upload_url,
            "files.completeUploadExternal": self.files_complete_upload,
        }

    # ------------------------------------------------------------------ views

    def views_open(self, args: JSON) -> JSON:
        user = self._use_trigger(args)
        view = self.ws.store_view(arg_json_dict(args, "view") or {}, user)
        self.ws.stacks[user] = [view["id"]]
        self.ws.field_errors.pop(view["id"], None)
        return {"view": copy.deepcopy(view)}

    def views_push(self, args: JSON) -> JSON:
        user = self._use_trigger(args)
        stack = self.ws.stacks.setdefault(user, [])
        if len(stack) >= VIEW_STACK_MAX:
            raise ApiError("push_limit_reached")
        previous = stack[-1] if stack else None
        view = self.ws.store_view(
            arg_json_dict(args, "view") or {},
            user,
            previous=previous,
            root=stack[0] if stack else None,
        )
        stack.append(view["id"])
        return {"view": copy.deepcopy(view)}

    def views_update(self, args: JSON) -> JSON:
        views = self.ws.views_by_id
        view_id = arg_str(args, "view_id")
        if not view_id:
            external_id = arg_str(args, "external_id")
            view_id = next(
                (v["id"] for v in views.values() if v.get("external_id") == external_id),
                None,
            )
        if view_id is None or view_id not in views:
            raise ApiError("not_found")
        current = views[view_id]
        user = self.ws.view_owner[view_id]
        if not self.ws.is_on_screen(user, view_id):
            raise ApiError("not_found")  # the user closed it
        expected_hash = arg_str(args, "hash")
        if expected_hash and expected_hash != current["hash"]:
            raise ApiError("hash_conflict")
        new = arg_json_dict(args, "view") or {}
        if new.get("type") != current["type"]:
            raise ApiError("invalid_arguments")
        view = self.ws.store_view(
            new,
            user,
            view_id=view_id,
            previous=current.get("previous_view_id"),
            root=current.get("root_view_id"),
        )
        self.ws.field_errors.pop(view_id, None)
        return {"view": copy.deepcopy(view)}

    def views_publish(self, args: JSON) -> JSON:
        user = arg_str(args, "user_id") or ""
        if user not in self.ws.users:
            raise ApiError("user_not_found")
        current_id = self.ws.homes.get(user)
        expected_hash = arg_str(args, "hash")
        if (
            expected_hash
            and current_id
            and expected_hash != self.ws.views_by_id[current_id]["hash"]
        ):
            raise ApiError("hash_conflict")
        view = self.ws.store_view(arg_json_dict(args, "view") or {}, user, view_id=current_id)
        self.ws.homes[user] = view["id"]
        return {"view": copy.deepcopy(view)}

    def _use_trigger(self, args: JSON) -> str:
        trigger_id = arg_str(args, "trigger_id") or arg_str(args, "interactivity_pointer") or ""
        trigger = self.ws.triggers.get(trigger_id)
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if trigger.used or self.ws.clock() - trigger.issued_at > TRIGGER_TTL:
            raise ApiError("expired_trigger_id")
        trigger.used = True
        return trigger.user

    # ------------------------------------------------------------------ files

    def files_get_upload_url(self, args: JSON) -> JSON:
        try:
            length = int(args["length"])
        except (KeyError, TypeError, ValueError):
            raise ApiError("invalid_arguments") from None
        file = File(
            id=self.ws.new_id("F", taken=self.ws.uploads),
            filename=str(args["filename"]),
            length=length,
        )
        self.ws.uploads[file.id] = file
        return {"upload_url": f"{self.transport.base_url}/upload/{file.id}", "file_id": file.id}

    def receive_upload(self, file_id: str, body: bytes) -> tuple[int, str]:
        """The app's POST to an upload_url (the transport records it): status and text."""
        file = self.ws.uploads.get(file_id)
        if file is None:
            return 404, "file not found"
        if len(body) != file.length:
            self.ws.violate(
                f"upload_url: {len(body)} bytes uploaded for {file.filename!r}, "
                f"files.getUploadURLExternal said length={file.length}"
            )
        file.content = body
        return 200, f"OK - {len(body)}"

    def files_complete_upload(self, args: JSON) -> JSON:
        ws = self.ws
        entries = arg_json_list(args, "files")
        files = []
        for entry in entries:
            if not isinstance(entry, dict):
                raise ApiError("invalid_arguments")
            file = ws.uploads.get(str(entry.get("id")))
            if file is None or file.content is None:
                raise ApiError("file_not_found")
            files.append((file, str(entry.get("title") or file.filename)))
        channel_ids = [c for c in (arg_str(args, "channels") or "").split(",") if c]
        if is_present(args.get("channel_id")):
            channel_ids.insert(0, arg_str(args, "channel_id") or "")
        channels = [ws.post_target(c) for c in channel_ids]
        comment = arg_str(args, "initial_comment")
        thread_ts = arg_str(args, "thread_ts")
        for file, title in files:
            file.title = title
            file.channels = [c.id for c in channels]
            file.initial_comment = comment
            file.thread_ts = thread_ts
            file.completed = True
        refs = [
            {"id": f.id, "name": f.filename, "title": f.title, "size": f.length} for f, _ in files
        ]
        for channel in channels:
            # Sharing a file posts a message carrying it, the comment as its text.
            message = Message(
                ts=ws.next_ts(),
                channel=channel.id,
                user=ws.bot_user_id,
                text=comment or "",
                files=copy.deepcopy(refs),
                bot_id=ws.bot_id,
            )
            ws.store_message(channel, message, thread_ts)
        return {"files": refs}
