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
from collections.abc import Callable
from types import TracebackType
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast, overload

from .api_arguments import JSON
from .api_conversations import ConversationsApi
from .api_views_files import ViewsFilesApi
from .app_answers import AppAnswers, Response
from .app_requests import AppRequests
from .transport import Call, Transport
from .workspace import Workspace

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")


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


class _Forward(Generic[P, R]):
    """A FakeSlack method that is one of its parts' methods: the front says which, once, and
    the signature (for mypy and readers) is the part's own."""

    def __init__(self, method: Callable[Concatenate[Any, P], R], part: str) -> None:
        self.method = method
        self.part = part
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _Forward[P, R]: ...

    @overload
    def __get__(self, obj: FakeSlack, owner: type | None = None) -> Callable[P, R]: ...

    def __get__(
        self, obj: FakeSlack | None, owner: type | None = None
    ) -> Callable[P, R] | _Forward[P, R]:
        if obj is None:
            return self
        return cast(Callable[P, R], getattr(getattr(obj, self.part), self.method.__name__))


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
    # Each of these is the part's own method (its signature and docstring are there).

    add_user = _Forward(Workspace.add_user, "_workspace")
    add_channel = _Forward(Workspace.add_channel, "_workspace")
    join = _Forward(Workspace.join, "_workspace")
    add_channel_member = _Forward(Workspace.join, "_workspace")
    channel_id = _Forward(Workspace.channel_id, "_workspace")
    members = _Forward(Workspace.members, "_workspace")
    add_message = _Forward(Workspace.add_message, "_workspace")
    delete_message = _Forward(Workspace.delete_message, "_workspace")
    set_metadata = _Forward(Workspace.set_metadata, "_workspace")
    messages = _Forward(Workspace.messages, "_workspace")
    pinned = _Forward(Workspace.pinned, "_workspace")
    thread = _Forward(Workspace.thread, "_workspace")
    message = _Forward(Workspace.message, "_workspace")
    dms = _Forward(Workspace.dms, "_workspace")
    ephemerals = _Forward(Workspace.ephemerals, "_workspace")
    views = _Forward(Workspace.views, "_workspace")
    view = _Forward(Workspace.view, "_workspace")
    replace_view = _Forward(Workspace.replace_view, "_workspace")
    view_errors = _Forward(Workspace.view_errors, "_workspace")
    home = _Forward(Workspace.home, "_workspace")
    files = _Forward(Workspace.files, "_workspace")

    @property
    def channels(self) -> dict[str, JSON]:
        """Every conversation by id: id, name, is_private, is_im, is_mpim, members."""
        return self._workspace.channels

    # ------------------------------------------------------------------ what the bot sent

    shown = _Forward(Transport.shown, "_transport")
    settle = _Forward(Transport.settle, "_transport")
    calls_to = _Forward(Transport.calls_to, "_transport")
    reset_calls = _Forward(Transport.reset_calls, "_transport")
    peak_per_minute = _Forward(Transport.peak_per_minute, "_transport")
    peak_posts_per_second = _Forward(Transport.peak_posts_per_second, "_transport")

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

    # ------------------------------------------------------------------ scripted failures

    fail = _Forward(Transport.fail, "_transport")
    clear_failures = _Forward(Transport.clear_failures, "_transport")
    slow = _Forward(Transport.slow, "_transport")

    # ------------------------------------------------------------------ Slack -> bot
    # post_signed is looked up on the instance at each delivery (LocalBot and the fuzzing test
    # wrap it there), so it stays a forward the instance can override.

    post_signed = _Forward(AppRequests.post_signed, "_requests")
    slash_command = _Forward(AppRequests.slash_command, "_requests")
    submit_view = _Forward(AppRequests.submit_view, "_requests")
    close_view = _Forward(AppRequests.close_view, "_requests")
    click = _Forward(AppRequests.click, "_requests")
    message_shortcut = _Forward(AppRequests.message_shortcut, "_requests")
    shortcut = _Forward(AppRequests.shortcut, "_requests")
    send_event = _Forward(AppRequests.send_event, "_requests")
    redeliver = _Forward(AppRequests.redeliver, "_requests")
    open_home = _Forward(AppRequests.open_home, "_requests")

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

    url_verification = _Forward(AppRequests.url_verification, "_requests")
