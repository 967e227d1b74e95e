"""The Slack app manifest: `manifest.yml` is the one source; this module reads it and derives
the HTTP-mode variant (Socket Mode off, every request URL filled in) and the JSON the Slack
CLI's get-manifest hook answers with.

`manifest.yml` sits at the top of the repository. A checkout (or an editable install) finds it
beside the package; otherwise it is looked for in the working directory, where `slack run`
and the Procfile start the bot.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from slackbot.http_server import EVENTS_PATH

FILENAME = "manifest.yml"


class ManifestError(Exception):
    """The manifest cannot be found or an HTTP-mode URL is unusable (a message for a person)."""


def manifest_path() -> Path:
    for folder in (Path(__file__).resolve().parents[1], Path.cwd()):
        candidate = folder / FILENAME
        if candidate.is_file():
            return candidate
    raise ManifestError(
        f"{FILENAME} not found beside the slackbot package or in {Path.cwd()}; "
        "run this from the repository's top folder"
    )


def manifest_text() -> str:
    """The manifest file as written (comments included): what to paste for Socket Mode."""
    return manifest_path().read_text(encoding="utf-8")


def load() -> dict[str, Any]:
    data = yaml.safe_load(manifest_text())
    if not isinstance(data, dict):
        raise ManifestError(f"{manifest_path()} does not hold a YAML mapping")
    return data


def request_url(base: str) -> str:
    """The bot's one request URL from what a person typed: https://host, or the full URL."""
    parts = urlsplit(base.strip())
    if parts.scheme != "https" or not parts.netloc:
        raise ManifestError(
            f"--http needs the bot's public https URL, such as https://bot.example.org "
            f"(Slack only sends requests to https); got {base!r}"
        )
    if parts.query or parts.fragment:
        raise ManifestError(f"--http takes a URL without ?query or #fragment; got {base!r}")
    path = parts.path.rstrip("/")
    if not path.endswith(EVENTS_PATH):
        path += EVENTS_PATH
    return f"https://{parts.netloc}{path}"


def for_http(manifest: dict[str, Any], base: str) -> dict[str, Any]:
    """The manifest for HTTP mode: Socket Mode off and every request URL set (each slash
    command, interactivity and event subscriptions all arrive at the same path)."""
    url = request_url(base)
    out = copy.deepcopy(manifest)
    for command in out.get("features", {}).get("slash_commands", []):
        command["url"] = url
    settings = out.setdefault("settings", {})
    settings.setdefault("interactivity", {"is_enabled": True})["request_url"] = url
    settings.setdefault("event_subscriptions", {})["request_url"] = url
    settings["socket_mode_enabled"] = False
    return out


def render(*, http: str | None = None, as_json: bool = False) -> str:
    """What `slackbot manifest` prints."""
    if http is None and not as_json:
        return manifest_text()
    data = load()
    if http is not None:
        data = for_http(data, http)
    if as_json:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
