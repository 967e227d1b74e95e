"""Button, menu and overflow clicks."""

from __future__ import annotations

import re

from slack_bolt import App

from slackbot.blocks.before_you_post import BACK_ACTION, JOIN_ACTION
from slackbot.blocks.compute import (
    HUB_ACTION,
    PROBLEM_ACTION,
    REGIVE_ACTION,
    REMIND_ACTION,
    REPLY_ACTION,
    WORKS_ACTION,
)
from slackbot.blocks.dashboard import MORE_ACTION
from slackbot.blocks.judging import REMIND_JUDGES_ACTION, SCORE_ACTION
from slackbot.blocks.proposal_post import MENU_ACTION
from slackbot.blocks.roster import ASK_BUTTON, JOIN_BUTTON, LEAVE_BUTTON
from slackbot.blocks.submission import SUBMIT_ACTION
from slackbot.listeners.actions import compute_buttons
from slackbot.listeners.actions.alert_buttons import (
    ACTION_PATTERN,
    REQUEST_PATTERN,
    handle_alert_button,
    handle_request_button,
)
from slackbot.listeners.actions.before_you_post_buttons import handle_back, handle_join
from slackbot.listeners.actions.home_buttons import handle_dashboard_more, handle_home_propose
from slackbot.listeners.actions.judging_buttons import handle_remind_judges, handle_score
from slackbot.listeners.actions.proposal_menu import handle_menu
from slackbot.listeners.actions.team_buttons import handle_ask, handle_join_team, handle_leave
from slackbot.listeners.commands.submit import handle_submit_button


def register(app: App) -> None:
    app.action(re.compile(ACTION_PATTERN))(handle_alert_button)
    app.action(re.compile(REQUEST_PATTERN))(handle_request_button)
    app.action("home_propose")(handle_home_propose)
    app.action(MORE_ACTION)(handle_dashboard_more)
    app.action(JOIN_ACTION)(handle_join)
    app.action(BACK_ACTION)(handle_back)
    app.action(MENU_ACTION)(handle_menu)
    app.action(LEAVE_BUTTON)(handle_leave)
    app.action(JOIN_BUTTON)(handle_join_team)
    app.action(ASK_BUTTON)(handle_ask)
    app.action(WORKS_ACTION)(compute_buttons.handle_works)
    app.action(PROBLEM_ACTION)(compute_buttons.handle_problem)
    app.action(REGIVE_ACTION)(compute_buttons.handle_regive)
    app.action(REPLY_ACTION)(compute_buttons.handle_reply)
    app.action(HUB_ACTION)(compute_buttons.handle_hub)
    app.action(REMIND_ACTION)(compute_buttons.handle_remind)
    app.action(SUBMIT_ACTION)(handle_submit_button)
    app.action(SCORE_ACTION)(handle_score)
    app.action(REMIND_JUDGES_ACTION)(handle_remind_judges)
