"""Slash commands."""

from __future__ import annotations

import re

from slack_bolt import App

from slackbot.listeners.commands.organize import handle_organize
from slackbot.listeners.commands.projects import handle_projects, handle_turn_page
from slackbot.listeners.commands.propose import handle_propose
from slackbot.listeners.commands.submit import handle_submit


def register(app: App) -> None:
    app.command("/propose")(handle_propose)
    app.command("/projects")(handle_projects)
    app.action(re.compile(r"^projects_(next|prev)$"))(handle_turn_page)
    app.command("/organize")(handle_organize)
    app.command("/submit")(handle_submit)
