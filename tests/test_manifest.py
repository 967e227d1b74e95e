"""Creating the app from manifest.yml works on the first try, and gives a working bot.

Slack checks a manifest against its JSON Schema when an app is created from it; the schema is
vendored in ../shared/slack-specs/manifest-schema/. What the schema cannot know is checked here
against the code: every Web API method the bot calls is covered by a bot scope, every event the
bot listens to is subscribed (and nothing else), every slash command and shortcut it handles is
declared (and nothing else).
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from slack_sdk import WebClient

from slackbot import listeners
from slackbot.local import LocalBot
from slackbot.manifest import ManifestError, for_http, request_url
from slackbot.sandbox import FakeSlack

ROOT = Path(__file__).parents[1]
# Slack's JSON Schemas for app manifests, vendored from ../shared/slack-specs/manifest-schema/
# by tools/vendor_slack_specs.py (tests/sandbox checks the copy is current when that exists).
SCHEMAS = ROOT / "tests" / "data" / "manifest-schema"
MANIFEST: dict[str, Any] = yaml.safe_load((ROOT / "manifest.yml").read_text())

# The bot scopes each Web API method needs, as the bot uses it (docs.slack.dev, each method's
# "Bot token scopes"). The proposals channel may be public or private, so methods reading it
# need both the channels: and the groups: scope; direct messages need the im: ones.
SCOPES: dict[str, set[str]] = {
    "auth.test": set(),
    "views.open": set(),
    "views.push": set(),
    "views.update": set(),
    "views.publish": set(),
    "chat.postMessage": {"chat:write"},
    "chat.update": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "chat.delete": {"chat:write"},
    "conversations.list": {"channels:read", "groups:read"},
    "conversations.info": {"channels:read", "groups:read"},
    "conversations.members": {"channels:read", "groups:read"},
    "conversations.join": {"channels:join"},
    "conversations.create": {"channels:manage"},
    "conversations.invite": {"channels:manage"},
    "conversations.open": {"im:write"},
    "conversations.history": {"channels:history", "groups:history", "im:history"},
    "conversations.replies": {"channels:history", "groups:history"},
    "reactions.get": {"reactions:read"},
    "pins.add": {"pins:write"},
    "users.info": {"users:read"},
    "files.getUploadURLExternal": {"files:write"},
    "files.completeUploadExternal": {"files:write"},
    # Called with the app-level token (scope connections:write), not the bot token.
    "apps.connections.open": set(),
}

# Modules that drive the local stand-in rather than Slack.
NOT_SLACK = {"sandbox", "demo.py", "terminal.py", "local.py", "samples.py"}


def schema_for(manifest: dict[str, Any]) -> dict[str, Any]:
    major = (manifest.get("_metadata") or {}).get("major_version", 1)
    return json.loads((SCHEMAS / f"manifest.schema.{major}.0.0.json").read_text())


def schema_errors(manifest: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(
        schema_for(manifest), format_checker=jsonschema.FormatChecker()
    )
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(manifest)
    ]


def test_the_manifest_passes_slacks_own_schema() -> None:
    assert schema_errors(MANIFEST) == []
    # The schema writes this rule as "regex", which JSON Schema validators do not know.
    color = MANIFEST["display_information"]["background_color"]
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", color)


def test_the_schema_check_would_catch_the_old_shortcut_name() -> None:
    broken = json.loads(json.dumps(MANIFEST))
    broken["features"]["shortcuts"][0]["name"] = "Propose a project from this message"
    assert any("shortcuts/0/name" in e and "too long" in e for e in schema_errors(broken))


def test_socket_mode_is_the_default_and_the_http_variant_fills_every_url() -> None:
    assert MANIFEST["settings"]["socket_mode_enabled"] is True
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    assert "request_url" not in json.dumps(MANIFEST)

    http = for_http(MANIFEST, "https://bot.example.org")
    assert schema_errors(http) == []
    url = "https://bot.example.org/slack/events"
    urls = [c["url"] for c in http["features"]["slash_commands"]]
    urls += [
        http["settings"]["interactivity"]["request_url"],
        http["settings"]["event_subscriptions"]["request_url"],
    ]
    assert urls == [url] * (len(MANIFEST["features"]["slash_commands"]) + 2)
    assert len(urls) == 6  # four slash commands, interactivity, events
    assert http["settings"]["socket_mode_enabled"] is False
    assert MANIFEST["settings"]["socket_mode_enabled"] is True  # the original is untouched


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("https://bot.example.org", "https://bot.example.org/slack/events"),
        ("https://bot.example.org/", "https://bot.example.org/slack/events"),
        ("https://bot.example.org/slack/events", "https://bot.example.org/slack/events"),
        ("https://example.org/week/", "https://example.org/week/slack/events"),
    ],
)
def test_the_request_url_comes_from_what_a_person_types(typed: str, expected: str) -> None:
    assert request_url(typed) == expected


@pytest.mark.parametrize("typed", ["http://bot.example.org", "bot.example.org", "https://x/?a=1"])
def test_an_unusable_request_url_is_refused_with_a_reason(typed: str) -> None:
    with pytest.raises(ManifestError, match="--http"):
        request_url(typed)


def slackbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "slackbot", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin"},  # no settings needed: it only reads manifest.yml
        timeout=60,
    )


def test_slackbot_manifest_prints_each_variant(tmp_path: Path) -> None:
    plain = slackbot("manifest", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout == (ROOT / "manifest.yml").read_text()

    as_json = slackbot("manifest", "--json", cwd=tmp_path)
    assert json.loads(as_json.stdout) == MANIFEST

    http = slackbot("manifest", "--http", "https://bot.example.org", "--json", cwd=tmp_path)
    assert json.loads(http.stdout) == for_http(MANIFEST, "https://bot.example.org")
    http_yaml = slackbot("manifest", "--http", "https://bot.example.org", cwd=tmp_path)
    assert yaml.safe_load(http_yaml.stdout) == json.loads(http.stdout)

    refused = slackbot("manifest", "--http", "http://insecure.example.org", cwd=tmp_path)
    assert refused.returncode == 2
    assert "https" in refused.stderr and "Traceback" not in refused.stderr


# --- what the code does, against what the manifest declares ------------------------------


def api_methods_of(name: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """The Web API methods a WebClient method calls (files_upload_v2 calls two)."""
    source = inspect.getsource(getattr(WebClient, name))
    found = set(re.findall(r'api_call\(\s*"([A-Za-z.]+)"', source))
    for inner in re.findall(r"self\.(\w+)\(", source):
        public = not inner.startswith("_") and inner != "api_call"
        if public and inner != name and inner not in seen and hasattr(WebClient, inner):
            found |= api_methods_of(inner, seen | {name})
    return found


def bot_sources() -> Iterator[Path]:
    for path in sorted((ROOT / "slackbot").rglob("*.py")):
        relative = path.relative_to(ROOT / "slackbot")
        if relative.parts[0] not in NOT_SLACK:
            yield path


def called_api_methods() -> dict[str, set[str]]:
    """Web API method -> the files that call it, found in the bot's source."""
    client_methods = {
        name
        for name, member in inspect.getmembers(WebClient, callable)
        if not name.startswith("_") and name not in {"api_call"}
    }
    out: dict[str, set[str]] = {}
    for path in bot_sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in client_methods
            ):
                for method in api_methods_of(node.func.attr):
                    out.setdefault(method, set()).add(path.name)
    return out


def test_every_web_api_method_the_bot_calls_is_covered_by_a_bot_scope() -> None:
    called = called_api_methods()
    assert {"chat.postMessage", "views.open", "reactions.get"} <= set(called)  # the scan works
    unknown = sorted(set(called) - set(SCOPES))
    assert unknown == [], f"add the scopes of {unknown} (called in {[called[m] for m in unknown]})"
    granted = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    missing = {m: sorted(SCOPES[m] - granted) for m in called if SCOPES[m] - granted}
    assert missing == {}
    needed = set().union(*(SCOPES[m] for m in called)) | {"commands"}
    assert sorted(granted - needed) == [], "scopes nobody uses: drop them"


class Recorder:
    """Stands in for the Bolt App while listeners register, recording what they listen to."""

    def __init__(self) -> None:
        self.registered: dict[str, list[object]] = {}

    def __getattr__(self, kind: str) -> Callable[..., Any]:
        def register(*args: Any, **kwargs: Any) -> Callable[[Any], Any]:
            self.registered.setdefault(kind, []).extend(args[:1])
            return lambda func: func

        return register


def registered() -> dict[str, list[object]]:
    recorder = Recorder()
    listeners.register(recorder)  # type: ignore[arg-type]
    return recorder.registered


def test_every_subscribed_event_is_handled_and_every_handled_event_subscribed() -> None:
    events = {e for e in registered()["event"] if isinstance(e, str)}
    assert events == set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])


def test_every_command_and_shortcut_is_declared_and_every_declared_one_handled() -> None:
    found = registered()
    declared = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
    assert set(found["command"]) == declared
    shortcuts = {s["callback_id"] for s in MANIFEST["features"]["shortcuts"]}
    assert set(found["shortcut"]) == shortcuts


def test_every_declared_command_is_answered_over_http(bot: LocalBot, slack: FakeSlack) -> None:
    for command in MANIFEST["features"]["slash_commands"]:
        response = slack.slash_command("U0ALICE", command["command"])
        assert response.status == 200, command["command"]
    slack.open_home("U0ALICE")
    assert slack.home("U0ALICE") is not None
