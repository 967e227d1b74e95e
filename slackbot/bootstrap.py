"""The composition root: settings in, a running bot's parts out.

Start-up checks (the app token, the organizers, the channels), the database, the Slack
clients, the repositories, the background parts and the workers are built here and nowhere
else, each given what it needs (cosmicpython's bootstrap.py is the model). The CLI, the local
stand-in harness and the benchmarks all start from `build_runtime`.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackbot import listeners
from slackbot.config import NO_ORGANIZERS, ConfigError, Settings
from slackbot.hubclient import HubClient
from slackbot.machinery.home_refresh import HomeRefresh
from slackbot.machinery.notice_sender import NoticeSender
from slackbot.machinery.refresher import Refresher
from slackbot.machinery.roster_redraws import RosterRedraws
from slackbot.machinery.workers import Workers
from slackbot.services import (
    alerting,
    compute,
    deadlines,
    demo_submissions,
    digest_posting,
    editing,
    export,
    form_opening,
    home_pages,
    hub_access,
    joining,
    judging,
    notices,
    officiating,
    organizing,
    people_directory,
    posting,
    project_search,
    rebuild,
    reconciliation,
    replies,
    slack_access,
    submission,
    team_followups,
    workspace_changes,
)
from slackbot.services.hub_checks import HubChecks
from slackbot.services.messagebus import MessageBus, inject_dependencies
from slackbot.services.replies import on_work_failed
from slackbot.services.runtime import Runtime
from slackbot.slack.budgets import BudgetedClient
from slackbot.slack.clients import background_client, startup_client, ui_client
from slackbot.slack.direct_messages import DELIVERY_ERRORS
from slackbot.slack.history import SlackHistory
from slackbot.slack.messenger import SlackMessenger
from slackbot.slack.organizer_directory import Organizers
from slackbot.slack.views import SlackViews
from slackbot.store.alert_records import Alerts
from slackbot.store.audit_log import Audit
from slackbot.store.backups import CatchUp
from slackbot.store.claims import release_dead_claims
from slackbot.store.compute_pool import ComputePool
from slackbot.store.dashboard_queries import DashboardQueries
from slackbot.store.db import Store
from slackbot.store.digest_runs import DigestRuns
from slackbot.store.home_visitors import HomeVisitors
from slackbot.store.hub_answers import HubAnswers
from slackbot.store.hub_usernames import HubUsernames
from slackbot.store.inbox import Inbox
from slackbot.store.job_leases import JobLeases
from slackbot.store.join_request_records import JoinRequests
from slackbot.store.membership_repository import Memberships
from slackbot.store.notices import Notices
from slackbot.store.people import People
from slackbot.store.proposal_repository import Proposals
from slackbot.store.ranking_queries import Rankings
from slackbot.store.rate_budgets import RateBudgets
from slackbot.store.redraw_marks import RedrawMarks
from slackbot.store.scores import Scores
from slackbot.store.search_index import SearchIndex
from slackbot.store.standing_columns import StandingColumns
from slackbot.store.submissions import DemoSubmissions
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot")

# reactions.get and conversations.history are Tier 3 (50+/min); reconciliation keeps under
# each with room for the rest.

_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")


def check_organizers(settings: Settings) -> None:
    if not settings.ORGANIZER_IDS and not settings.ORGANIZERS_CHANNEL:
        raise ConfigError(NO_ORGANIZERS)


def resolve_channel(
    client: WebClient,
    wanted: str,
    bot_name: str,
    *,
    setting: str = "PROPOSALS_CHANNEL",
) -> str:
    """The ID of a channel setting (a name or an ID); the bot joins it if it is public and the
    bot is not a member yet. A private channel needs an /invite, which only a person can do."""
    name = wanted.lstrip("#")
    invite = f"type /invite @{bot_name} in #{name}, then start the bot again"
    channel: dict[str, object] | None = None
    if _CHANNEL_ID.match(name):
        channel = client.conversations_info(channel=name)["channel"]
    else:
        cursor = None
        while channel is None:
            page = client.conversations_list(
                types="public_channel,private_channel",
                exclude_archived=True,
                limit=200,
                cursor=cursor,
            )
            channel = next((c for c in page["channels"] if c["name"] == name), None)
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
    if channel is None:
        raise ConfigError(
            f"{setting}: no channel named #{name} is visible to the bot. Create it; if it is "
            f"private, {invite}; or set {setting} to the channel's ID"
        )
    channel_id = str(channel["id"])
    if not channel.get("is_member"):
        if channel.get("is_private"):
            raise ConfigError(f"{setting}: #{name} is private and the bot is not in it: {invite}")
        client.conversations_join(channel=channel_id)
        log.info("channel_joined setting=%s channel=%s", setting, channel_id)
    return channel_id


def check_app_token(settings: Settings) -> str:
    """Ask Slack for a Socket Mode URL with SLACK_APP_TOKEN; returns it (the first connection
    uses it), or raises ConfigError saying what to fix."""
    assert settings.SLACK_APP_TOKEN is not None
    client = ui_client(settings.SLACK_BOT_TOKEN, settings.SLACK_API_URL)
    try:
        response = client.apps_connections_open(app_token=settings.SLACK_APP_TOKEN)
    except SlackApiError as exc:
        error = exc.response.get("error")
        raise ConfigError(
            f"SLACK_APP_TOKEN was refused by Slack ({error}): in the app's settings, "
            "Basic Information > App-Level Tokens > Generate a token with the scope "
            "connections:write (xapp-…), and check Socket Mode > Enable Socket Mode is on"
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"Slack could not be reached at {settings.SLACK_API_URL} ({exc}); check the "
            "network (or SLACK_API_URL)"
        ) from None
    return str(response["url"])


def build_runtime(settings: Settings, *, offline: bool = False, create: bool = False) -> Runtime:
    """Connect to Slack, then open the database. `offline` skips Slack (for commands that only
    read the database, like `digest --dry-run` and `export`), and needs the database to exist
    unless `create` says otherwise: a command that only reads never creates an empty one."""
    if offline:
        store = open_store(settings, create=create)
        client = background_client(
            settings.SLACK_BOT_TOKEN, settings.SLACK_API_URL, RateBudgets(store)
        )
        return assemble(settings, store, client, Identity("", "", settings.PROPOSALS_CHANNEL))
    check_organizers(settings)
    # Slack first: a start that fails on a token or a channel leaves no database behind.
    identity = identify(settings)
    store = open_store(settings, create=True)
    client = background_client(settings.SLACK_BOT_TOKEN, settings.SLACK_API_URL, RateBudgets(store))
    rt = assemble(settings, store, client, identity)
    rt.organizers.refresh()
    rt.judges.refresh()
    return rt


def identify(settings: Settings) -> Identity:
    """Who the bot is and where it works, from auth.test and the channels; a ConfigError in one
    sentence when Slack refuses the token, cannot be reached, or a channel is wrong."""
    client = startup_client(settings.SLACK_BOT_TOKEN, settings.SLACK_API_URL)
    # slack_sdk logs a failed connection as an error with its traceback; the ConfigError below
    # says it in one sentence.
    quiet = logging.getLogger("slack_sdk.web.base_client")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        auth = client.auth_test()
        bot_name = str(auth.get("user") or "the bot")
        channel_id = resolve_channel(client, settings.PROPOSALS_CHANNEL, bot_name)
        organizers_channel = None
        if settings.ORGANIZERS_CHANNEL:
            organizers_channel = resolve_channel(
                client, settings.ORGANIZERS_CHANNEL, bot_name, setting="ORGANIZERS_CHANNEL"
            )
        judges_channel = None
        if settings.JUDGES_CHANNEL:
            judges_channel = resolve_channel(
                client, settings.JUDGES_CHANNEL, bot_name, setting="JUDGES_CHANNEL"
            )
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error in ("invalid_auth", "not_authed", "token_revoked", "account_inactive"):
            raise ConfigError(
                f"SLACK_BOT_TOKEN was refused by Slack ({error}): reinstall the "
                "app and copy the Bot User OAuth Token again"
            ) from None
        raise ConfigError(
            f"Slack answered {exc.response.status_code} ({error}) at start-up; check "
            "SLACK_BOT_TOKEN and the app's scopes (manifest.yml), then start the bot again"
        ) from None
    except OSError as exc:  # URLError, a refused connection, a timeout
        reason = getattr(exc, "reason", None) or exc
        raise ConfigError(
            f"Slack could not be reached at {settings.SLACK_API_URL} ({reason}); check the "
            "network (or SLACK_API_URL) and start the bot again"
        ) from None
    finally:
        quiet.setLevel(level)
    return Identity(
        bot_user_id=str(auth["user_id"]),
        bot_id=str(auth.get("bot_id") or ""),
        channel_id=channel_id,
        organizers_channel_id=organizers_channel,
        team_url=str(auth.get("url") or "https://slack.com/"),
        judges_channel_id=judges_channel,
    )


def open_store(settings: Settings, *, create: bool) -> Store:
    """The database at DATABASE_PATH, migrated; a ConfigError naming the path when it cannot be
    (no such folder, not a database, or, for a command that only reads, no such file)."""
    path = Path(settings.DATABASE_PATH)
    if not create and not path.is_file():
        raise ConfigError(
            f"DATABASE_PATH: there is no database at {path.resolve()}; run this command where "
            "the bot runs, or set DATABASE_PATH to the bot's database file"
        )
    if create and not path.parent.resolve().is_dir():
        raise ConfigError(
            f"DATABASE_PATH: the folder {path.parent.resolve()} does not exist; create it "
            "or set DATABASE_PATH to a file in an existing folder"
        )
    store = Store(path)
    try:
        version = store.migrate()
        log.info("database_ready path=%s schema_version=%s", path, version)
        standings = StandingColumns(
            store,
            default_threshold=settings.TEAM_SIZE_THRESHOLD,
            default_max=settings.TEAM_SIZE_MAX,
        )
        Proposals(store, standings).backfill_ideas()
        if standings.stale():  # a new database, an upgrade, or new team-size defaults
            log.info("standings_refreshed count=%s", standings.refresh_all())
        released = release_dead_claims(store)
        if released:
            log.info("claims_released count=%s (work a stopped process had begun)", released)
    except sqlite3.DatabaseError as exc:
        store.close()
        raise ConfigError(
            f"DATABASE_PATH: {path.resolve()} cannot be used as the bot's database ({exc})"
        ) from None
    return store


@dataclass(frozen=True)
class Identity:
    """Who the bot is in the workspace, and where it works (from auth.test and the channels)."""

    bot_user_id: str
    bot_id: str
    channel_id: str
    organizers_channel_id: str | None = None
    team_url: str = "https://slack.com/"
    judges_channel_id: str | None = None


def unit_of_work(store: Store, standings: StandingColumns) -> UnitOfWork:
    """The unit of work and every repository on it (the fast tests build theirs here too)."""
    return UnitOfWork(
        store,
        {
            "proposals": lambda s: Proposals(s, standings),
            "memberships": lambda s: Memberships(s, standings),
            "rankings": lambda s: Rankings(s, standings),
            "audit": Audit,
            "people": People,
            "notices": Notices,
            "alerts": Alerts,
            "join_requests": JoinRequests,
            "dashboard": DashboardQueries,
            "catch_up": CatchUp,
            "compute": ComputePool,
            "hub": HubUsernames,
            "demo_submissions": DemoSubmissions,
            "scores": Scores,
            "hub_answers": HubAnswers,
            "search": SearchIndex,
            "visitors": HomeVisitors,
            "digest_runs": DigestRuns,
        },
    )


def assemble(settings: Settings, store: Store, client: BudgetedClient, me: Identity) -> Runtime:
    """Every part, each given what it needs, in one pass (what the background parts call back
    into is named by the closures below, bound once the part they name exists)."""
    standings = StandingColumns(
        store,
        default_threshold=settings.TEAM_SIZE_THRESHOLD,
        default_max=settings.TEAM_SIZE_MAX,
    )
    ui = ui_client(settings.SLACK_BOT_TOKEN, settings.SLACK_API_URL, RateBudgets(store))
    organizers = Organizers(
        settings.ORGANIZER_IDS, me.organizers_channel_id, client, me.bot_user_id
    )
    # The jury: JUDGE_IDS and the members of JUDGES_CHANNEL, read like the organizers.
    judges = Organizers(settings.JUDGE_IDS, me.judges_channel_id, client, me.bot_user_id)
    messenger = SlackMessenger(client)
    hub = HubChecks(
        HubClient(settings.HF_ENDPOINT, settings.HF_TOKEN) if settings.HUB_CHECKS else None,
        HubAnswers(store),
        time_box=settings.HUB_TIME_BOX_SECONDS,
    )
    inbox = Inbox(store)
    uow = unit_of_work(store, standings)
    updates = Refresher(
        RosterRedraws(
            RedrawMarks(store),
            lambda proposal_id, may_send: posting.redraw_post(poster, proposal_id, may_send),
            spend=partial(client.try_spend, "chat.update"),
        ),
        NoticeSender(
            partial(notices.send_notices, uow=uow, messenger=messenger, settings=settings),
            uow.notices.pending,
        ),
        HomeRefresh(
            lambda user: bool(bus.handle(home_pages.RefreshHome(user))),
            uow.visitors.among,
            spend=partial(client.try_spend, "views.publish"),
        ),
        alerts=lambda keep_going: alerting.deliver_due(
            keep_going,
            uow=uow,
            messenger=messenger,
            organizers=organizers,
            settings=settings,
            updates=updates,
        ),
        alert_copies=partial(
            alerting.redraw_alerts,
            may_send=partial(messenger.may_send, "chat.update"),
            uow=uow,
            messenger=messenger,
        ),
        paused=partial(slack_access.writing_stopped, messenger),
    )
    dependencies: dict[str, object] = {
        "uow": uow,
        "messenger": messenger,
        "settings": settings,
        "organizers": organizers,
        "judges": judges,
        "bot_user_id": me.bot_user_id,
        "channel_id": me.channel_id,
        "team_url": me.team_url,
        "updates": updates,
        "hub": hub,
        "history": SlackHistory(client),
        "pending_events_before": partial(inbox.pending_before, "events"),
        # modals: views.open on the trigger-time client (never retries), updates on the
        # background one
        "views": SlackViews(ui, client),
        # what the Home tab and the digest say of the week's deadlines and the form's week
        "time_left": partial(deadlines.time_words, settings, uow),
        "week": partial(form_opening.week, settings, me.channel_id),
    }
    poster = posting.Poster(
        uow,
        messenger,
        hub,
        updates,
        organizers,
        me.channel_id,
        me.team_url,
        settings.JOIN_EMOJI[0],
    )
    dependencies["poster"] = poster
    dependencies["reconciler"] = reconciliation.Pass(
        uow,
        SlackHistory(client),
        messenger,
        updates,
        organizers,
        settings.JOIN_EMOJI,
        me.bot_user_id,
    )
    dependencies["home"] = home_pages.HomeReads(
        uow,
        settings,
        organizers,
        judges,
        hub,
        me.bot_user_id,
        time_left=partial(deadlines.time_words, settings, uow),
        week=partial(form_opening.week, settings, me.channel_id),
    )
    # `/organize digest` posts the digest as `slackbot digest` does (then records who asked).
    dependencies["post_digest"] = partial(
        inject_dependencies(digest_posting.post_digest_now, dependencies),
        digest_posting.PostDigestNow(),
    )
    bus = wire(uow, dependencies)
    client.on_access_lost = partial(slack_access.lost, ui=ui, updates=updates)
    ui.on_access_lost = client.lose_access

    # The deferred work runs listener functions given the runtime they run in (built below).
    def in_runtime(work: Callable[[Runtime, Any], Any]) -> Callable[[Any], Any]:
        return lambda request: work(rt, request)

    workers = Workers(
        inbox,
        {name: (lane, in_runtime(work)) for name, (lane, work) in listeners.DEFERRED.items()},
        retryable=DELIVERY_ERRORS,
        on_failure=partial(on_work_failed, messenger=messenger),
        batches={name: in_runtime(work) for name, work in listeners.BATCHED.items()},
        uow=uow,
    )
    rt = Runtime(
        settings=settings,
        store=store,
        client=client,
        ui_client=ui,
        bot_user_id=me.bot_user_id,
        bot_id=me.bot_id,
        channel_id=me.channel_id,
        team_url=me.team_url,
        organizers=organizers,
        judges=judges,
        inbox=inbox,
        leases=JobLeases(store),
        messenger=messenger,
        uow=uow,
        hub=hub,
        updates=updates,
        bus=bus,
        workers=workers,
    )
    return rt


# The use cases in the message bus's shape: each module says which commands and events its
# handlers take (`COMMANDS`, `EVENTS`); their other parameters are bound from `dependencies`.
USE_CASES: list[object] = [
    joining,
    team_followups,
    compute,
    hub_access,
    demo_submissions,
    judging,
    submission,
    posting,
    reconciliation,
    rebuild,
    editing,
    form_opening,
    project_search,
    home_pages,
    digest_posting,
    workspace_changes,
    alerting,
    deadlines,
    slack_access,
    replies,
    officiating,
    organizing,
    people_directory,
    export,
]


def wire(
    uow: UnitOfWork, dependencies: dict[str, object], use_cases: list[object] | None = None
) -> MessageBus:
    """The bus over `use_cases` (all of them by default), each handler given what it names
    from `dependencies` (the fast tests pass fakes here)."""
    commands: dict[type, Any] = {}
    events: dict[type, list[Any]] = {}
    for module in USE_CASES if use_cases is None else use_cases:
        for command, handler in getattr(module, "COMMANDS", {}).items():
            commands[command] = inject_dependencies(handler, dependencies)
        for event, handlers in getattr(module, "EVENTS", {}).items():
            events.setdefault(event, []).extend(
                inject_dependencies(h, dependencies) for h in handlers
            )
    return MessageBus(uow, commands, events)
