"""Slack's requests to the app: slash commands, view submissions and closes, clicks, shortcuts
and Events API callbacks, built from what is on the user's screen, signed like Slack's and
delivered over HTTP (or as Socket Mode envelopes), with the 3-second ack deadline checked.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .api_arguments import JSON, ApiError
from .app_answers import AppAnswers, Response
from .checks import iter_elements
from .interaction_payloads import action, build_state, find_element
from .transport import Transport
from .workspace import Channel, User, Workspace

ACK_DEADLINE = 3.0  # seconds Slack waits for the app's HTTP answer
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"


class AppRequests:
    """Where the app listens, and every request Slack sends it."""

    def __init__(
        self,
        workspace: Workspace,
        transport: Transport,
        answers: AppAnswers,
        *,
        signing_secret: str,
        request_timeout: float,
        send_signed: Callable[..., Response],
    ) -> None:
        self.ws = workspace
        self.transport = transport  # response_urls point at it
        self.answers = answers
        self.signing_secret = signing_secret
        self.request_timeout = request_timeout
        # The deprecated verification token Slack still puts in every payload.
        self.verification_token = "sandbox-verification-token"
        self.app_url: str | None = None
        self._urls: Iterator[str] = iter(())  # several: a load balancer's round robin
        self._urls_lock = threading.Lock()
        self.socket: Any = None  # a SocketModeServer once connect_socket_mode() is called
        self.last_event_envelope: JSON | None = None
        # Deliveries go through FakeSlack.post_signed (which may be wrapped), not post_signed.
        self._send_signed = send_signed
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # ------------------------------------------------------------------ where the app listens

    def connect_app(self, url: str, *more: str) -> None:
        self.app_url = url
        self._urls = itertools.cycle((url, *more))

    def connect_socket_mode(self, **options: Any) -> Any:
        from .socket_mode_server import SocketModeServer  # needs the `websockets` test dependency

        if self.socket is None:
            self.socket = SocketModeServer(
                app_id=self.ws.app_id, host=self.transport.host, **options
            ).start()
        self.app_url = None
        return self.socket

    def stop(self) -> None:
        if self.socket is not None:
            self.socket.stop()
            self.socket = None

    def apps_connections_open(self, args: JSON) -> JSON:
        """The Web API method with which a Socket Mode app asks for a WebSocket URL."""
        if self.socket is None:
            # The app's settings have Socket Mode off (the sandbox delivers over HTTP).
            raise ApiError("socket_mode_not_enabled")
        return {"url": self.socket.open_url()}

    # ------------------------------------------------------------------ delivery

    def post_signed(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """POST to the bot, signed like Slack unless a (forged) signature is given."""
        if self.app_url is None:
            raise RuntimeError("no app URL: call connect_app(url) first")
        ts = int(self.ws.wall()) if timestamp is None else timestamp
        if signature is None:
            # Signed over the raw bytes, as Slack does (a fuzzing test may send non-UTF-8).
            digest = hmac.new(
                self.signing_secret.encode(), b"v0:%d:%s" % (ts, body), hashlib.sha256
            ).hexdigest()
            signature = f"v0={digest}"
        request_headers: dict[str, str] = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature,
            "User-Agent": USER_AGENT,
            **(headers or {}),
        }
        with self._urls_lock:
            url = next(self._urls, self.app_url)
        request = urllib.request.Request(url, data=body, headers=request_headers, method="POST")
        started = time.monotonic()
        try:
            with self._opener.open(request, timeout=self.request_timeout) as answer:
                status, payload, answer_headers = answer.status, answer.read(), answer.headers
        except urllib.error.HTTPError as err:
            status, payload, answer_headers = err.code, err.read(), err.headers
        self.transport.touch()
        return Response(
            status=status,
            body=payload,
            headers=dict(answer_headers.items()) if answer_headers else {},
            elapsed=time.monotonic() - started,
        )

    def _deliver(
        self, body: bytes, content_type: str, *, headers: Mapping[str, str] | None = None
    ) -> Response:
        """Send a request to the app: signed over HTTP, or as an envelope over Socket Mode."""
        if self.socket is None or self.app_url is not None:
            return self._send_signed(body, content_type, headers=headers)
        if content_type == "application/json":
            kind, payload = "events_api", json.loads(body)
        else:
            form = {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode(), True).items()}
            if "payload" in form:
                kind, payload = "interactive", json.loads(form["payload"])
            else:
                kind, payload = "slash_commands", form
        retry = int((headers or {}).get("X-Slack-Retry-Num") or 0)
        started = time.monotonic()
        ack = self.socket.deliver(kind, payload, retry_attempt=retry)
        self.transport.touch()
        if ack is None:  # no connection came up, or the app never acked
            return Response(status=408, body=b"", headers={}, elapsed=time.monotonic() - started)
        answer = b"" if ack.payload is None else json.dumps(ack.payload).encode()
        return Response(status=200, body=answer, headers={}, elapsed=ack.elapsed)

    def _post_payload(self, payload: JSON) -> Response:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self._deliver(body, "application/x-www-form-urlencoded")

    def _acked_in_time(self, what: str, response: Response) -> bool:
        if response.elapsed > ACK_DEADLINE:
            self.ws.violate(
                f"{what}: the app answered after {response.elapsed:.2f} s; Slack gives up at "
                f"{ACK_DEADLINE:.0f} s (the user sees an error, events are retried)"
            )
            return False
        return True

    # ------------------------------------------------------------------ commands and modals

    def slash_command(
        self, user: str, command: str, text: str = "", *, channel: str | None = None
    ) -> Response:
        """Type ``command text`` in ``channel`` (default: the user's DM with the app)."""
        ws = self.ws
        if not command.startswith("/"):
            raise ValueError(f"slash commands start with '/': {command!r}")
        with ws.lock:
            person = ws.person(user)
            where = ws.im_for(user) if channel is None else ws.lookup(channel)
            trigger_id = ws.issue_trigger(user)
            url_id = ws.issue_response_url(user, where.id)
            fields = {
                "token": self.verification_token,
                "team_id": ws.team_id,
                "team_domain": ws.team_domain,
                "channel_id": where.id,
                "channel_name": "directmessage" if where.is_im else where.name,
                "user_id": user,
                "user_name": person.name,
                "command": command,
                "text": text,
                "api_app_id": ws.app_id,
                "is_enterprise_install": "false",
                "response_url": self._response_url(url_id),
                "trigger_id": trigger_id,
            }
        body = urllib.parse.urlencode(fields).encode()
        response = self._deliver(body, "application/x-www-form-urlencoded")
        response.trigger_id = trigger_id
        if self._acked_in_time(f"slash command {command}", response) and response.body.strip():
            # An ack with a body is a message to the user, as if posted to response_url.
            payload = response.json
            with ws.lock:
                if isinstance(payload, dict):
                    target = ws.response_urls[url_id]
                    self.answers.apply_message_response(
                        target, payload, f"{command} ack", via="ack"
                    )
                    # (errors are recorded as violations by apply_message_response)
                else:
                    ws.violate(f"slash command {command}: ack body is not a JSON object")
        return response

    def submit_view(self, user: str, view_id: str, values: Mapping[str, object]) -> Response:
        """Press the submit button of an open modal with ``values`` {block_id: value}."""
        ws = self.ws
        with ws.lock:
            person = ws.person(user)
            if view_id not in ws.stacks.get(user, []):
                raise ValueError(f"view {view_id} is not open for {user}")
            view = ws.views_by_id[view_id]
            view["state"] = build_state(view, values)
            payload = {
                "type": "view_submission",
                "team": self._team_ref(),
                "user": self._user_ref(person),
                "api_app_id": ws.app_id,
                "token": self.verification_token,
                "trigger_id": ws.issue_trigger(user),
                "view": copy.deepcopy(view),
                "response_urls": [],
                "is_enterprise_install": False,
                "enterprise": None,
            }
            sent_hash = view["hash"]
        response = self._post_payload(payload)
        if self._acked_in_time(f"view_submission {view_id}", response):
            with ws.lock:
                self.answers.apply_submission_answer(user, view_id, response, sent_hash)
        return response

    def close_view(self, user: str, view_id: str, *, notify: bool = True) -> Response | None:
        """Press a modal's close button; sends view_closed if the view asked for it."""
        ws = self.ws
        with ws.lock:
            person = ws.person(user)
            stack = ws.stacks.get(user, [])
            if view_id not in stack:
                raise ValueError(f"view {view_id} is not open for {user}")
            view = ws.views_by_id[view_id]
            cleared = bool(view.get("clear_on_close"))
            if cleared:
                stack.clear()
            else:
                stack.remove(view_id)
            if not (notify and view.get("notify_on_close")):
                return None
            payload = {
                "type": "view_closed",
                "team": self._team_ref(),
                "user": self._user_ref(person),
                "api_app_id": ws.app_id,
                "token": self.verification_token,
                "view": copy.deepcopy(view),
                "is_cleared": cleared,
                "is_enterprise_install": False,
                "enterprise": None,
            }
        response = self._post_payload(payload)
        self._acked_in_time(f"view_closed {view_id}", response)
        return response

    # ------------------------------------------------------------------ clicks and shortcuts

    def click(
        self,
        user: str,
        action_id: str,
        *,
        value: str | None = None,
        block_id: str | None = None,
        channel: str | None = None,
        message_ts: str | None = None,
        view_id: str | None = None,
        selected_option: str | None = None,
    ) -> Response:
        """Use an interactive element that is on screen: in a message, a modal or a Home tab."""
        ws = self.ws
        with ws.lock:
            person = ws.person(user)
            payload: JSON = {
                "type": "block_actions",
                "user": self._user_ref(person),
                "api_app_id": ws.app_id,
                "token": self.verification_token,
                "team": self._team_ref(),
                "enterprise": None,
                "is_enterprise_install": False,
                "state": {"values": {}},
            }
            if view_id is not None:
                view = ws.views_by_id.get(view_id)
                if view is None or not ws.is_on_screen(user, view_id):
                    raise ValueError(f"view {view_id} is not on {user}'s screen")
                blocks = view.get("blocks", [])
                payload["container"] = {"type": "view", "view_id": view_id}
                payload["view"] = copy.deepcopy(view)
                payload["state"] = copy.deepcopy(view.get("state", {"values": {}}))
                where = f"view {view_id}"
            elif channel is not None:
                target = ws.lookup(channel)
                if message_ts is None:
                    # Ephemeral messages (a command's answer) have a ts the test rarely knows:
                    # take the user's newest one in the channel that shows the element.
                    message_ts = self._ephemeral_showing(user, target.id, action_id, block_id)
                message = ws.index.get((target.id, message_ts))
                ephemeral = None if message else ws.ephemeral(user, target.id, message_ts)
                if message is not None:
                    blocks = message.blocks
                elif ephemeral is not None:
                    blocks = ephemeral["blocks"]
                else:
                    raise ValueError(f"no message {message_ts} in {channel} that {user} can see")
                payload["container"] = {
                    "type": "message",
                    "message_ts": message_ts,
                    "channel_id": target.id,
                    "is_ephemeral": message is None,
                }
                payload["channel"] = {"id": target.id, "name": _channel_label(target)}
                if message is not None:
                    payload["message"] = ws.api_message(message)
                url_id = ws.issue_response_url(
                    user, target.id, message_ts=message_ts, is_ephemeral=message is None
                )
                payload["response_url"] = self._response_url(url_id)
                where = f"message {message_ts} in {channel}"
            else:
                raise ValueError("click() needs view_id, or channel (and message_ts)")
            block, element = find_element(blocks, action_id, block_id, value, where)
            used = action(block, element, value, selected_option, action_ts=ws.event_ts())
            payload["actions"] = [used]
            payload["trigger_id"] = ws.issue_trigger(user)
        response = self._post_payload(payload)
        self._acked_in_time(f"block_actions {action_id}", response)
        return response

    def _ephemeral_showing(
        self, user: str, channel: str, action_id: str, block_id: str | None
    ) -> str:
        for ephemeral in reversed(self.ws.ephemeral_messages.get(user, [])):
            if ephemeral["channel"] == channel and any(
                element.get("action_id") == action_id
                for block in ephemeral["blocks"]
                if block_id is None or block.get("block_id") == block_id
                for element in iter_elements(block)
            ):
                return str(ephemeral["ts"])
        raise ValueError(f"{user} sees no ephemeral message in {channel} with {action_id!r}")

    def message_shortcut(
        self, user: str, callback_id: str, *, channel: str, message_ts: str
    ) -> Response:
        """Run a message shortcut (the "..." menu of a message)."""
        ws = self.ws
        with ws.lock:
            person = ws.person(user)
            target = ws.lookup(channel)
            message = ws.index.get((target.id, message_ts))
            if message is None:
                raise ValueError(f"no message {message_ts} in {channel}")
            payload = {
                "type": "message_action",
                "token": self.verification_token,
                "action_ts": ws.event_ts(),
                "team": self._team_ref(),
                "user": self._user_ref(person),
                "channel": {"id": target.id, "name": _channel_label(target)},
                "is_enterprise_install": False,
                "enterprise": None,
                "callback_id": callback_id,
                "trigger_id": ws.issue_trigger(user),
                "response_url": self._response_url(ws.issue_response_url(user, target.id)),
                "message_ts": message_ts,
                "message": ws.api_message(message),
            }
        response = self._post_payload(payload)
        self._acked_in_time(f"message_action {callback_id}", response)
        return response

    def shortcut(self, user: str, callback_id: str) -> Response:
        """Run a global shortcut (the lightning-bolt menu)."""
        ws = self.ws
        with ws.lock:
            person = ws.person(user)
            payload = {
                "type": "shortcut",
                "token": self.verification_token,
                "action_ts": ws.event_ts(),
                "team": self._team_ref(),
                "user": self._user_ref(person),
                "is_enterprise_install": False,
                "enterprise": None,
                "callback_id": callback_id,
                "trigger_id": ws.issue_trigger(user),
            }
        response = self._post_payload(payload)
        self._acked_in_time(f"shortcut {callback_id}", response)
        return response

    # ------------------------------------------------------------------ events

    def reaction(
        self, user: str, channel: str, ts: str, emoji: str, *, added: bool, deliver: bool
    ) -> Response | None:
        ws = self.ws
        name = emoji.strip(":")
        with ws.lock:
            ws.person(user)
            target = ws.lookup(channel)
            message = ws.message_in(target.id, ts)
            users = message.reactions.setdefault(name, [])
            if added == (user in users):
                state = "already reacted" if added else "has no reaction"
                raise ValueError(
                    f"{user} {state} :{name}: on {ts}; a Slack client would send nothing "
                    "(use redeliver() for duplicate events)"
                )
            if added:
                users.append(user)
            else:
                users.remove(user)
                if not users:
                    del message.reactions[name]
            if not deliver or ws.bot_user_id not in target.members:
                return None
            event = {
                "type": "reaction_added" if added else "reaction_removed",
                "user": user,
                "reaction": name,
                "item": {"type": "message", "channel": target.id, "ts": ts},
                "item_user": message.user,
                "event_ts": ws.event_ts(),
            }
        return self.send_event(event)

    def send_event(
        self,
        event: Mapping[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> Response:
        """Deliver an Events API callback; the envelope is kept in ``last_event_envelope``."""
        ws = self.ws
        with ws.lock:
            body = dict(event)
            body.setdefault("event_ts", ws.event_ts())
            envelope = {
                "token": self.verification_token,
                "team_id": ws.team_id,
                "api_app_id": ws.app_id,
                "event": body,
                "type": "event_callback",
                "event_id": event_id or "Ev" + ws.new_id("", width=8),
                "event_time": int(ws.wall()),
                "authorizations": [
                    {
                        "enterprise_id": None,
                        "team_id": ws.team_id,
                        "user_id": ws.bot_user_id,
                        "is_bot": True,
                        "is_enterprise_install": False,
                    }
                ],
                "is_ext_shared_channel": False,
                "event_context": "4-" + secrets.token_urlsafe(24),
            }
            self.last_event_envelope = envelope
        return self.redeliver(envelope, retry_num=retry_num, retry_reason=retry_reason)

    def redeliver(
        self,
        envelope: Mapping[str, Any],
        *,
        retry_num: int | None = 1,
        retry_reason: str = "http_timeout",
    ) -> Response:
        """Send an envelope again, as Slack's retries do (retry_num=None: no retry headers)."""
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        body = json.dumps(envelope).encode()
        response = self._deliver(body, "application/json", headers=headers)
        response.event_id = str(envelope.get("event_id") or "") or None
        event_type = envelope.get("event", {}).get("type", "?")
        self._acked_in_time(f"event {event_type} {envelope.get('event_id')}", response)
        return response

    def open_home(self, user: str) -> Response:
        """The user opens the app's Home tab: app_home_opened."""
        ws = self.ws
        with ws.lock:
            ws.person(user)
            event: JSON = {
                "type": "app_home_opened",
                "user": user,
                "channel": ws.im_for(user).id,
                "tab": "home",
                "event_ts": ws.event_ts(),
            }
            if user in ws.homes:
                event["view"] = copy.deepcopy(ws.views_by_id[ws.homes[user]])
        return self.send_event(event)

    def url_verification(self, challenge: str = "sandbox-challenge") -> Response:
        """The handshake Slack does when the Events URL is configured."""
        body = {
            "token": self.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }
        return self._send_signed(json.dumps(body).encode(), "application/json")

    # ------------------------------------------------------------------ payload parts

    def _response_url(self, url_id: str) -> str:
        return f"{self.transport.base_url}/response/{url_id}"

    def _team_ref(self) -> JSON:
        return {"id": self.ws.team_id, "domain": self.ws.team_domain}

    def _user_ref(self, user: User) -> JSON:
        return {"id": user.id, "username": user.name, "name": user.name, "team_id": self.ws.team_id}


def _channel_label(channel: Channel) -> str:
    if channel.is_im:
        return "directmessage"
    return "privategroup" if channel.is_private else channel.name
