"""A local stand-in for Slack: the Web API on loopback, and Slack's requests to the bot.

Used by the tests (as a fixture) and by the local demo::

    with FakeSlack() as slack:
        slack.add_user("U0ALICE", "alice")
        slack.add_channel("general", members=[slack.bot_user_id, "U0ALICE"])
        client = WebClient(base_url=slack.api_url, token=slack.bot_token)
        slack.connect_app("http://127.0.0.1:3000/slack/events")  # where the bot listens
        slack.slash_command("U0ALICE", "/propose", channel="general")
        assert slack.violations == []

See :class:`FakeSlack` for the workspace state, the scripted failures and the requests it
sends; :mod:`slackbot.sandbox.checks` for what it refuses.
"""

from .app_answers import Response
from .fake_slack import FakeSlack
from .transport import Call

__all__ = ["Call", "FakeSlack", "Response"]
