"""`/projects [words…]`: an ephemeral, paginated list of joinable or matching projects.

The first page is the ack's own body (no extra Web API call, well within 3 s); the page
buttons replace that ephemeral message through its response_url.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond

from slackbot.blocks.listing import results_message
from slackbot.listeners.errors import after_ack_reported
from slackbot.runtime import Runtime
from slackbot.services.search import find

log = logging.getLogger("slackbot.projects")


def page_message(rt: Runtime, query: str, page: int) -> tuple[str, list[dict[str, Any]]]:
    found = find(rt, query, page)
    proposals = rt.proposals.get_many([s.proposal_id for s in found.standings])
    return results_message(
        found.standings,
        proposals,
        query=query,
        page=found.page,
        pages=found.pages,
        total=found.total,
    )


def register(app: App, rt: Runtime) -> None:
    @app.command("/projects")
    @after_ack_reported(rt)
    def projects(ack: Ack, body: dict[str, Any]) -> None:
        query = (body.get("text") or "").strip()
        text, blocks = page_message(rt, query, 0)
        ack(response_type="ephemeral", text=text, blocks=blocks)
        log.info("projects_listed user=%s query_len=%s", body.get("user_id"), len(query))

    @app.action(re.compile(r"^projects_(next|prev)$"))
    @after_ack_reported(rt)
    def turn_page(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        try:
            state = json.loads(body["actions"][0]["value"])
            query, page = str(state.get("q", "")), int(state.get("p", 0))
        except (KeyError, ValueError, TypeError):
            return
        text, blocks = page_message(rt, query, page)
        respond(text=text, blocks=blocks, replace_original=True, response_type="ephemeral")
