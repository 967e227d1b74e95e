"""`/projects [words…]`: an ephemeral, paginated list of joinable or matching projects.

The first page is the ack's own body (one indexed read, no Web API call); the page buttons
replace that ephemeral message through its response_url, from the "ui" lane.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.blocks.project_lists import results_message
from slackbot.blocks.week_guide import projects_help
from slackbot.listeners.deferral import defer, runtime
from slackbot.listeners.payload import Malformed, action_value, optional_text, text, user_of
from slackbot.services.form_opening import week
from slackbot.services.project_search import FindProjects
from slackbot.services.replies import respond
from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.projects")


def page_message(rt: Runtime, query: str, page: int) -> tuple[str, list[dict[str, Any]]]:
    found = rt.bus.handle(FindProjects(query, page))
    return results_message(
        found.standings,
        found.proposals,
        query=query,
        page=found.page,
        pages=found.pages,
        total=found.total,
        hub=found.hub,
    )


HELP_WORDS = frozenset({"help", "?", "-h", "--help"})


def handle_projects(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    query = optional_text(body, "text").strip()
    if query.lower() in HELP_WORDS:
        rt = runtime(context)
        ack(response_type="ephemeral", text=projects_help(week(rt.settings, rt.channel_id)))
        return
    message, blocks = page_message(runtime(context), query, 0)
    ack(response_type="ephemeral", text=message, blocks=blocks)
    log.info("projects_listed user=%s query_len=%s", user_of(body), len(query))


def handle_turn_page(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    try:
        state = json.loads(action_value(body))
        query, page = str(state.get("q", "")), int(state.get("p", 0))
    except (ValueError, TypeError, AttributeError):
        raise Malformed("page button value") from None
    request = {"response_url": text(body, "response_url"), "query": query[:300], "page": page}
    defer(context, "projects_page", request, user=user_of(body))
    ack()


def turn_page(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: replace the list with another page."""
    message, blocks = page_message(rt, str(request["query"]), int(request["page"]))
    respond(
        str(request["response_url"]),
        text=message,
        blocks=blocks,
        replace_original=True,
        response_type="ephemeral",
    )
