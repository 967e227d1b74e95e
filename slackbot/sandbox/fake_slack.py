"""FakeSlack: a stateful local stand-in for Slack, for tests and the local demo.

It plays both of Slack's parts:

- the Web API, served on loopback at ``/api/<method>`` (point ``WebClient(base_url=api_url)`` at
  it). It keeps a small workspace (users, channels, messages, threads, reactions, modals, Home
  tabs, files), records every call, checks every call against Slack's method table and Block Kit
  limits (:mod:`slackbot.sandbox.checks`), and can be told to fail (429 with ``Retry-After``,
  5xx, ``ok: false``, slow answers);
- Slack towards the bot: it sends signed slash commands, view submissions, button clicks,
  shortcuts and Events API callbacks to the bot's URL, and applies the bot's answers the way
  Slack does (a view submission's ``response_action``, a ``response_url`` post, ...).

Everything is stdlib plus slack_sdk. :class:`FakeSlack` is the front the tests use; the work is
done by its parts, one job each:

- :mod:`.workspace`: the state, its ids and timestamps, and the lookups on it;
- :mod:`.api_conversations` and :mod:`.api_views_files`: the Web API methods;
- :mod:`.transport`: the HTTP server, routing, call records, rate limits, scripted failures;
- :mod:`.app_requests`: the signed requests to the bot; :mod:`.app_answers`: what Slack does
  with the bot's answers;
- :mod:`.api_arguments` and :mod:`.interaction_payloads`: reading arguments, building payloads.

State lives behind one lock (:class:`~.workspace.Workspace`); nothing that calls the bot holds
it, because the bot calls back into the Web API while it handles a request.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any, Generic, TypeVar, cast, overload

from .api_arguments import JSON
from .api_conversations import ConversationsApi
from .api_views_files import ViewsFilesApi
from .app_answers import AppAnswers, Response
from .app_requests import AppRequests
from .transport import Call, Transport
from .workspace import Workspace

T = TypeVar("T")


class _KeptBy(Generic[T]):
    """A public FakeSlack attribute kept by the part that uses it: reading or setting it on the
    front reads or sets the part's, so there is one copy."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _KeptBy[T]: ...

    @overload
    def __get__(self, obj: FakeSlack, owner: type | None = None) -> T: ...

    def __get__(self, obj: FakeSlack | None, owner: type | None = None) -> T | _KeptBy[T]:
        if obj is None:
            return self
        return cast(T, getattr(getattr(obj, self.part), self.name))

    def __set__(self, obj: FakeSlack, value: T) -> None:
        setattr(getattr(obj, self.part), self.name, value)


class FakeSlack:
    """A Slack workspace on loopback. See the module docstring; tests use it as a fixture."""

    team_id = _KeptBy[str]("_workspace")
    team_domain = _KeptBy[str]("_workspace")
    bot_user_id = _KeptBy[str]("_workspace")
    bot_id = _KeptBy[str]("_workspace")
    bot_name = _KeptBy[str]("_workspace")
    app_id = _KeptBy[str]("_workspace")
    violations = _KeptBy[list[str]]("_workspace")
    bot_token = _KeptBy[str]("_transport")
    app_token = _KeptBy[str]("_transport")
    host = _KeptBy[str]("_transport")
    port = _KeptBy[int]("_transport")
    enforce_rate_limits = _KeptBy[bool]("_transport")
    calls = _KeptBy[list[Call]]("_transport")
    signing_secret = _KeptBy[str]("_requests")
    verification_token = _KeptBy[str]("_requests")
    request_timeout = _KeptBy[float]("_requests")
    app_url = _KeptBy[str | None]("_requests")
    socket = _KeptBy[Any]("_requests")  # a SocketModeServer once connect_socket_mode() is called
    last_event_envelope = _KeptBy[JSON | None]("_requests")

    def __init__(
        self,
        *,
        signing_secret: str = "sandbox-signing-secret",
        bot_token: str = "xoxb-sandbox-token",
        app_token: str = "xapp-1-A0SANDBOX-sandbox-token",
        team_id: str = "T0SANDBOX",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        enforce_rate_limits: bool = True,
        bot_name: str = "communitybot",
        app_id: str = "A0SANDBOX",
        team_domain: str = "sandbox",
        request_timeout: float = 10.0,
    ) -> None:
        self._workspace = Workspace(
            team_id=team_id,
            team_domain=team_domain,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            bot_name=bot_name,
            app_id=app_id,
            clock=clock,
            wall_clock=wall_clock,
        )
        self._transport = Transport(
            self._workspace,
            host=host,
            port=port,
            bot_token=bot_token,
            app_token=app_token,
            enforce_rate_limits=enforce_rate_limits,
        )
        answers = AppAnswers(self._workspace)
        self._requests = AppRequests(
            self._workspace,
            self._transport,
            answers,
            signing_secret=signing_secret,
            request_timeout=request_timeout,
            # Looked up at each delivery: LocalBot and the fuzzing test wrap post_signed on the
            # instance, and every request to the bot must go through their wrapper.
            send_signed=lambda *args, **kwargs: self.post_signed(*args, **kwargs),
        )
        views_files = ViewsFilesApi(self._workspace, self._transport)
        self._transport.mount(
            {
                **ConversationsApi(self._workspace).handlers(),
                **views_files.handlers(),
                "apps.connections.open": self._requests.apps_connections_open,
            },
            response_url=answers.answer_response_url,
            upload=views_files.receive_upload,
        )

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeSlack:
        """Serve on host:port (port 0: a free one) from a daemon thread."""
        self._transport.start()
        return self

    def stop(self) -> None:
        self._requests.stop()
        self._transport.stop()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def api_url(self) -> str:
        """For ``WebClient(base_url=...)``: ends with a slash, as slack_sdk expects."""
        return f"{self.base_url}/api/"

    def connect_app(self, url: str, *more: str) -> None:
        """Where the bot listens for commands, interactivity and events (one URL, as Bolt).
        With `more`, requests go to each URL in turn, as through a load balancer in front of
        several processes."""
        self._requests.connect_app(url, *more)

    def connect_socket_mode(self, **options: Any) -> Any:
        """Deliver to the app over Socket Mode instead of HTTP: apps.connections.open (with
        ``app_token``) then hands out WebSocket URLs. Returns the SocketModeServer, whose faults
        (refresh, close_all, kill_all) and recorded acks the tests use."""
        return self._requests.connect_socket_mode(**options)

    # ------------------------------------------------------------------ workspace state

    def add_user(
        self, user_id: str, name: str, *, real_name: str | None = None, is_bot: bool = False
    ) -> None:
        self._workspace.add_user(user_id, name, real_name=real_name, is_bot=is_bot)

    def add_channel(
        self,
        name: str,
        *,
        channel_id: str | None = None,
        members: Iterable[str] = (),
        is_private: bool = False,
    ) -> str:
        """Create a channel (no name rules: tests may need odd names); returns its id."""
        return self._workspace.add_channel(
            name, channel_id=channel_id, members=members, is_private=is_private
        )

    def join(self, channel: str, user: str) -> None:
        """A person joins a channel (no event is sent)."""
        self._workspace.join(channel, user)

    def channel_id(self, name: str) -> str:
        return self._workspace.channel_id(name)

    def members(self, channel: str) -> list[str]:
        return self._workspace.members(channel)

    def add_channel_member(self, channel: str, user_id: str) -> None:
        """A person joins a channel (no event is sent)."""
        with self._workspace.lock:
            target = self._workspace.lookup(channel)
            if user_id not in target.members:
                target.members.append(user_id)

    def add_message(
        self, channel: str, user: str, text: str, *, thread_ts: str | None = None
    ) -> str:
        """Put a message from a person into a channel (no event is sent); returns its ts."""
        return self._workspace.add_message(channel, user, text, thread_ts=thread_ts)

    def delete_message(self, channel: str, ts: str) -> None:
        """An admin deletes a message (any poster's; no event is sent)."""
        with self._workspace.lock:
            target = self._workspace.lookup(channel)
            self._workspace.remove_message(target, self._workspace.message_in(channel, ts))

    def set_metadata(self, channel: str, ts: str, metadata: JSON) -> None:
        """Give a message metadata as if its poster had sent it (seeding benchmarks)."""
        with self._workspace.lock:
            self._workspace.message_in(channel, ts).metadata = dict(metadata)

    def messages(self, channel: str) -> list[JSON]:
        """Top-level messages of a channel (id, name or user id for the DM), oldest first."""
        return self._workspace.messages(channel)

    def pinned(self, channel: str) -> list[str]:
        """The ts of the messages pinned in a channel (id or name)."""
        with self._workspace.lock:
            return list(self._workspace.lookup(channel).pinned)

    def thread(self, channel: str, ts: str) -> list[JSON]:
        return self._workspace.thread(channel, ts)

    def message(self, channel: str, ts: str) -> JSON:
        return self._workspace.message(channel, ts)

    def dms(self, user_id: str) -> list[JSON]:
        """What the bot wrote in its DM with the user (to the user id or the D... id)."""
        return self._workspace.dms(user_id)

    def ephemerals(self, user_id: str) -> list[JSON]:
        """Ephemeral messages the user saw: chat.postEphemeral, response_url and command acks."""
        return self._workspace.ephemerals(user_id)

    def views(self, user_id: str) -> list[JSON]:
        """The user's open modals, bottom of the stack first."""
        return self._workspace.views(user_id)

    def view(self, view_id: str) -> JSON:
        return self._workspace.view(view_id)

    def replace_view(self, view_id: str, view: Mapping[str, object]) -> None:
        """Replace an open view with ``view`` as it is, as a forged client could send it: the
        next submit_view or click carries it (a test of what the app trusts in a payload)."""
        self._workspace.replace_view(view_id, view)

    def view_errors(self, view_id: str) -> dict[str, str]:
        """The field errors of the last view submission answered with response_action=errors."""
        return self._workspace.view_errors(view_id)

    def home(self, user_id: str) -> JSON | None:
        return self._workspace.home(user_id)

    def files(self) -> list[JSON]:
        return self._workspace.files()

    @property
    def channels(self) -> dict[str, JSON]:
        """Every conversation by id: id, name, is_private, is_im, is_mpim, members."""
        return self._workspace.channels

    def shown(self) -> list[tuple[str, JSON]]:
        """Everything the app made Slack show, every version of it: (where, payload) for each
        message it sent or updated, each response_url answer and command ack, each view it
        opened, pushed, updated or published (submission answers included)."""
        return self._transport.shown()

    def wait_for(self, condition: Callable[[], T], *, timeout: float = 3.0) -> T:
        """Poll ``condition`` until it returns something truthy; return that.

        Bolt acknowledges first and runs the listener afterwards, so what a listener does
        (views.open, chat.postMessage) can land just after the request to the bot returned.
        """
        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result or time.monotonic() >= deadline:
                break
            time.sleep(0.01)
        if not result:
            raise TimeoutError(f"condition still false after {timeout} s")
        return result

    def settle(self, *, quiet: float = 0.2, timeout: float = 10.0) -> None:
        """Wait until the bot has made no request to the sandbox for ``quiet`` seconds."""
        self._transport.settle(quiet=quiet, timeout=timeout)

    def calls_to(self, method: str) -> list[Call]:
        return self._transport.calls_to(method)

    def reset_calls(self) -> None:
        """Forget the calls so far, and the rate peaks measured from them."""
        self._transport.reset_calls()

    def peak_per_minute(self, method: str) -> int:
        """Most calls to ``method`` seen within any 60 s (of ``clock``)."""
        return self._transport.peak_per_minute(method)

    def peak_posts_per_second(self, channel: str | None = None) -> int:
        """Most chat.postMessage calls to one channel within any second (all channels: None)."""
        return self._transport.peak_posts_per_second(channel)

    # ------------------------------------------------------------------ scripted failures

    def fail(
        self,
        method: str,
        *,
        status: int = 500,
        times: int = 1,
        retry_after: int = 1,
        error: str | None = None,
        delay: float = 0.0,
        channel: str | None = None,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail (also "response_url", "upload_url"),
        or, with ``channel``, only its calls whose ``channel`` argument is that one.

        429: Retry-After header and ``ratelimited``; 5xx: that status with a JSON error body;
        200 with ``error``: ``ok: false``; 200 without: a normal answer after ``delay``.
        """
        self._transport.fail(
            method,
            status=status,
            times=times,
            retry_after=retry_after,
            error=error,
            delay=delay,
            channel=channel,
        )

    def clear_failures(self) -> None:
        """Forget the scripted failures and slow answers not used yet."""
        self._transport.clear_failures()

    def slow(self, method: str, seconds: float, times: int = 1) -> None:
        """Answer the next ``times`` calls normally, ``seconds`` late (processed on arrival)."""
        self.fail(method, status=200, times=times, delay=seconds)

    # ------------------------------------------------------------------ Slack -> bot

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
        return self._requests.post_signed(
            body, content_type, timestamp=timestamp, signature=signature, headers=headers
        )

    def slash_command(
        self, user: str, command: str, text: str = "", *, channel: str | None = None
    ) -> Response:
        """Type ``command text`` in ``channel`` (default: the user's DM with the app)."""
        return self._requests.slash_command(user, command, text, channel=channel)

    def submit_view(self, user: str, view_id: str, values: Mapping[str, object]) -> Response:
        """Press the submit button of an open modal with ``values`` {block_id: value}."""
        return self._requests.submit_view(user, view_id, values)

    def close_view(self, user: str, view_id: str, *, notify: bool = True) -> Response | None:
        """Press a modal's close button; sends view_closed if the view asked for it."""
        return self._requests.close_view(user, view_id, notify=notify)

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
        return self._requests.click(
            user,
            action_id,
            value=value,
            block_id=block_id,
            channel=channel,
            message_ts=message_ts,
            view_id=view_id,
            selected_option=selected_option,
        )

    def message_shortcut(
        self, user: str, callback_id: str, *, channel: str, message_ts: str
    ) -> Response:
        """Run a message shortcut (the "..." menu of a message)."""
        return self._requests.message_shortcut(
            user, callback_id, channel=channel, message_ts=message_ts
        )

    def shortcut(self, user: str, callback_id: str) -> Response:
        """Run a global shortcut (the lightning-bolt menu)."""
        return self._requests.shortcut(user, callback_id)

    def react(
        self, user: str, channel: str, ts: str, emoji: str, *, deliver: bool = True
    ) -> Response | None:
        """The user adds a reaction; the bot hears of it unless ``deliver`` is False (lost).

        As on Slack, no event reaches the bot for a channel it is not a member of (None).
        """
        return self._requests.reaction(user, channel, ts, emoji, added=True, deliver=deliver)

    def unreact(
        self, user: str, channel: str, ts: str, emoji: str, *, deliver: bool = True
    ) -> Response | None:
        return self._requests.reaction(user, channel, ts, emoji, added=False, deliver=deliver)

    def send_event(
        self,
        event: Mapping[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> Response:
        """Deliver an Events API callback; the envelope is kept in ``last_event_envelope``."""
        return self._requests.send_event(
            event, event_id=event_id, retry_num=retry_num, retry_reason=retry_reason
        )

    def redeliver(
        self,
        envelope: Mapping[str, Any],
        *,
        retry_num: int | None = 1,
        retry_reason: str = "http_timeout",
    ) -> Response:
        """Send an envelope again, as Slack's retries do (retry_num=None: no retry headers)."""
        return self._requests.redeliver(envelope, retry_num=retry_num, retry_reason=retry_reason)

    def open_home(self, user: str) -> Response:
        """The user opens the app's Home tab: app_home_opened."""
        return self._requests.open_home(user)

    def url_verification(self, challenge: str = "sandbox-challenge") -> Response:
        """The handshake Slack does when the Events URL is configured."""
        return self._requests.url_verification(challenge)
