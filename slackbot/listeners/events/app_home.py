"""`app_home_opened`: publish the person's Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from slackbot.runtime import Runtime
from slackbot.services.home import publish_home, remember_visitor


def register(app: App, rt: Runtime) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any]) -> None:
        if event.get("tab") != "home":
            return
        user = str(event["user"])
        remember_visitor(rt, user)
        publish_home(rt, user)
