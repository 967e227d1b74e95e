"""The Slack CLI's hooks: `slack run` starts the bot in Socket Mode, `slack manifest` reads
manifest.yml.

The CLI reads `.slack/hooks.json`, whose only hook, get-hooks, runs
``python3 -m slackbot.cli_hooks get-hooks``; the answer names the other hooks. Each hook answers
through slack_cli_hooks' protocol: with ``--protocol message-boundaries --boundary B`` the
answer is printed between two B's (so log lines around it do not break the CLI's JSON parsing),
otherwise printed alone. The stock get-manifest hook reads only manifest.json; ours answers with
the JSON of manifest.yml, the one source of the manifest. Each hook imports what it needs
when it runs (deliberately: the CLI calls get-hooks often, and it needs nothing of the bot).
"""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Sequence

from slack_cli_hooks.protocol import build_protocol

# Quoted: the CLI runs hook commands through a shell, and the path may hold spaces.
PYTHON = shlex.quote(sys.executable)


def hooks_payload() -> dict[str, object]:
    return {
        "hooks": {
            "get-manifest": f"{PYTHON} -m slackbot.cli_hooks get-manifest",
            "start": f"{PYTHON} -m slackbot.cli_hooks start",
            "check-update": f"{PYTHON} -m slack_cli_hooks.hooks.check_update",
            "doctor": f"{PYTHON} -m slack_cli_hooks.hooks.doctor",
        },
        "config": {
            "protocol-version": ["message-boundaries", "default"],
            # The bot opens its own Socket Mode connection with the tokens the CLI provides
            # (SLACK_BOT_TOKEN, SLACK_APP_TOKEN in the start hook's environment).
            "sdk-managed-connection-enabled": True,
            "watch": {
                "app": {"filter-regex": "\\.py$", "paths": ["slackbot"]},
                "manifest": {"paths": ["manifest.yml"]},
            },
        },
        "runtime": "python",
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    hook = args[1] if len(args) > 1 else ""
    protocol = build_protocol(argv=[args[0], *args[2:]])
    if hook == "get-hooks":
        protocol.respond(json.dumps(hooks_payload()))
        return 0
    if hook == "get-manifest":
        from slackbot.manifest import ManifestError, render

        try:
            protocol.respond(render(as_json=True))
        except ManifestError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        return 0
    if hook == "start":
        from slackbot.cli import main as slackbot_main

        return slackbot_main(["run"])
    print(f"unknown hook {hook!r}: get-hooks, get-manifest or start", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
