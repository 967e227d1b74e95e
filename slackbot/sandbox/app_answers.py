"""What Slack does with the app's answers: a view submission's ``response_action`` (close,
errors, update, push, clear), a post to a ``response_url``, a slash command's ack body.

Each is checked as Slack checks it; what Slack would refuse is noted as a violation and leaves
the workspace as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .api_arguments import JSON, ApiError, arg_bool, arg_json_list, arg_str
from .api_views_files import VIEW_STACK_MAX
from .checks import check_message, check_view
from .interaction_payloads import normalise_blocks
from .transport import Failure
from .workspace import Message, ResponseTarget, Workspace

RESPONSE_URL_TTL = 30 * 60
RESPONSE_URL_USES = 5


@dataclass
class Response:
    """The bot's answer to a request the sandbox sent it (as Slack)."""

    status: int
    body: bytes
    headers: dict[str, str]
    elapsed: float
    event_id: str | None = None  # for an Events API delivery: the envelope's event_id
    trigger_id: str | None = None  # for a slash command: the trigger_id Slack issued with it

    @property
    def json(self) -> Any:
        """The parsed body; None when it is empty or not JSON."""
        if not self.body.strip():
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class AppAnswers:
    """Applies the app's answers to the workspace; called with the workspace lock held."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    # ------------------------------------------------------------------ response_url

    def answer_response_url(
        self, url_id: str, payload: object, failure: Failure | None
    ) -> tuple[int, JSON]:
        """A post to a response_url the sandbox handed out (the transport records it)."""
        target = self.ws.response_urls.get(url_id)
        if target is None:
            self.ws.violate(f"response_url: no such URL {url_id}")
            return 404, {"ok": False, "error": "invalid_url"}
        if self.ws.clock() - target.issued_at > RESPONSE_URL_TTL:
            self.ws.violate("response_url: used after 30 minutes")
            return 404, {"ok": False, "error": "expired_url"}
        if target.uses >= RESPONSE_URL_USES:
            self.ws.violate(f"response_url: used more than {RESPONSE_URL_USES} times")
            return 404, {"ok": False, "error": "used_url"}
        if not isinstance(payload, dict):
            self.ws.violate("response_url: body is not a JSON object")
            return 400, {"ok": False, "error": "invalid_payload"}
        if failure is not None and (failure.status != 200 or failure.error):
            return failure.status, {"ok": False, "error": failure.error or "internal_error"}
        target.uses += 1
        error = self.apply_message_response(target, payload, "response_url", via="response_url")
        if error is not None:
            return 400, {"ok": False, "error": error}
        return 200, {"ok": True}

    def apply_message_response(
        self, target: ResponseTarget, payload: JSON, where: str, *, via: str
    ) -> str | None:
        """Apply a response_url post (or a command's ack body); returns Slack's error, if any."""
        try:
            return self._apply_message_response_or_raise(target, payload, where, via=via)
        except ApiError as err:
            self.ws.violate(f"{where}: {err.error}")
            return err.error

    def _apply_message_response_or_raise(
        self, target: ResponseTarget, payload: JSON, where: str, *, via: str
    ) -> str | None:
        ws = self.ws
        issues = check_message(where, payload)
        for issue in issues:
            ws.violate(issue.message)
        refusals = [i for i in issues if i.error]
        if refusals:
            return refusals[0].error
        channel = ws.conversations[target.channel]
        original = ws.index.get((channel.id, target.message_ts)) if target.message_ts else None
        ephemeral = (
            ws.ephemeral(target.user, channel.id, target.message_ts)
            if target.message_ts and target.is_ephemeral
            else None
        )
        blocks = normalise_blocks(arg_json_list(payload, "blocks"))
        if target.message_ts and arg_bool(payload, "delete_original"):
            if original is not None:
                ws.remove_message(channel, original)
            elif ephemeral is not None:
                ws.ephemeral_messages[target.user].remove(ephemeral)
            return None
        if target.message_ts and arg_bool(payload, "replace_original"):
            if original is not None:
                original.text = arg_str(payload, "text") or ""
                original.blocks = blocks
                return None
            if ephemeral is not None:
                ephemeral.update(text=arg_str(payload, "text") or "", blocks=blocks)
                return None
        if payload.get("response_type") == "in_channel":
            message = Message(
                ts=ws.next_ts(),
                channel=channel.id,
                user=ws.bot_user_id,
                text=arg_str(payload, "text") or "",
                blocks=blocks,
                attachments=arg_json_list(payload, "attachments"),
                bot_id=ws.bot_id,
            )
            ws.store_message(channel, message, arg_str(payload, "thread_ts"))
            return None
        ws.ephemeral_messages.setdefault(target.user, []).append(
            {
                "channel": channel.id,
                "user": target.user,
                "ts": ws.next_ts(),
                "text": arg_str(payload, "text") or "",
                "blocks": blocks,
                "attachments": arg_json_list(payload, "attachments"),
                "thread_ts": arg_str(payload, "thread_ts"),
                "via": via,
            }
        )
        return None

    # ------------------------------------------------------------------ view submissions

    def apply_submission_answer(
        self, user: str, view_id: str, response: Response, sent_hash: str
    ) -> None:
        ws = self.ws
        if response.status != 200:
            return  # Slack shows the user an error and leaves the modal as it was
        stack = ws.stacks.setdefault(user, [])
        where = f"view_submission {view_id} answer"
        if not response.body.strip():
            if view_id in stack:
                stack.remove(view_id)
            return
        answer = response.json
        if not isinstance(answer, dict):
            ws.violate(f"{where}: body is neither empty nor a JSON object")
            return
        action = answer.get("response_action")
        if action is None:
            if view_id in stack:
                stack.remove(view_id)
        elif action == "errors":
            errors = answer.get("errors")
            if not isinstance(errors, dict) or not errors:
                ws.violate(f"{where}: response_action=errors needs a non-empty errors object")
                return
            inputs = {
                b.get("block_id")
                for b in ws.views_by_id[view_id]["blocks"]
                if b.get("type") == "input"
            }
            unknown = sorted(set(errors) - inputs)
            if unknown:
                # Slack refuses the whole answer: the user sees a generic error, not the fields'.
                ws.violate(f"{where}: errors for block_ids {unknown} that are no input blocks")
                return
            ws.field_errors[view_id] = {str(k): str(v) for k, v in errors.items()}
        elif action in ("update", "push"):
            new, issues = check_view(where, answer.get("view"), types=("modal",))
            for issue in issues:
                ws.violate(issue.message)
            if new is None or any(i.error for i in issues):
                return
            current = ws.views_by_id[view_id]
            if action == "update" and current["hash"] != sent_hash:
                # Slack applied this answer on arrival; a views.update the listener made after
                # acking reached the sandbox before the answer was applied here, and is newer.
                return
            if action == "update":
                ws.store_view(
                    new,
                    user,
                    view_id=view_id,
                    previous=current.get("previous_view_id"),
                    root=current.get("root_view_id"),
                )
                ws.field_errors.pop(view_id, None)
            elif len(stack) >= VIEW_STACK_MAX:
                ws.violate(f"{where}: push beyond {VIEW_STACK_MAX} stacked views")
            else:
                pushed = ws.store_view(new, user, previous=view_id, root=stack[0])
                stack.append(pushed["id"])
        elif action == "clear":
            stack.clear()
        else:
            ws.violate(f"{where}: unknown response_action {action!r}")
