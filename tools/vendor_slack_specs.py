"""Generate ``slackbot/sandbox/slack_methods.json`` from Slack's published reference data.

The sandbox (``slackbot.sandbox``) refuses calls to Web API methods that do not exist and calls
that leave out a required argument. It reads a compact table vendored into the package, so that
tests run without the bulky reference files. This script derives that table from
``shared/slack-specs/`` (the directory beside the repository checkout):

- ``web-api-openapi-v2.json``: Slack's OpenAPI description (Swagger 2.0, October 2020);
- ``rate-limit-tiers.json``: the rate-limit tier of each method.

The spec is stale and, in places, wrong about which arguments are required (it marks every
``conversations.*`` argument optional, for one). The corrections below bring it in line with the
methods' documentation at docs.slack.dev; each says why it is there.

It also copies Slack's JSON Schemas for app manifests (``manifest-schema/``, MIT) into
``tests/data/manifest-schema/``, where the manifest test reads them.

Output format, one method per line so a diff shows exactly what changed::

    {"methods": {
    "chat.getPermalink": {"required": ["channel", "message_ts"], "tier": "special"},
    ...
    }}

``required``: arguments that must all be present (``token`` excluded: it travels in the
Authorization header). ``any_of``: alternatives, at least one of which must be fully present.
``tier``: ``Tier1`` .. ``Tier4`` or ``special``. ``token: false``: the method takes no token.
``retired``: the method is gone; the sandbox answers ``method_deprecated``.

Usage::

    python tools/vendor_slack_specs.py            # rewrite the vendored file
    python tools/vendor_slack_specs.py --check    # exit 1 if the vendored file is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPECS_DIR = REPO_ROOT.parent / "shared" / "slack-specs"
DEFAULT_OUTPUT = REPO_ROOT / "slackbot" / "sandbox" / "slack_methods.json"

OPENAPI_FILE = "web-api-openapi-v2.json"
TIERS_FILE = "rate-limit-tiers.json"

# The message-content arguments of chat.*: Slack needs at least one of them (error `no_text`),
# although the spec marks each of them optional.
MESSAGE_CONTENT = ("text", "blocks", "attachments")

# Methods newer than the October 2020 spec, with their documented required arguments.
EXTRA_METHODS: dict[str, dict[str, Any]] = {
    # files_upload_v2, step 1 and step 3 (step 2 is a plain POST to the returned upload_url).
    "files.getUploadURLExternal": {"required": ["filename", "length"]},
    "files.completeUploadExternal": {"required": ["files"]},
    # Socket Mode; needs an app-level token (xapp-...), no arguments.
    "apps.connections.open": {"required": []},
}

# Where the spec's `required` flags differ from the real API. Each entry replaces the spec's
# required list (and adds alternatives); the comment says what the spec had.
CORRECTIONS: dict[str, dict[str, Any]] = {
    # Spec: text/blocks/attachments all optional. markdown_text (2025) is a fourth alternative.
    "chat.postMessage": {
        "required": ["channel"],
        "any_of": [["text"], ["blocks"], ["attachments"], ["markdown_text"]],
    },
    "chat.update": {
        "required": ["channel", "ts"],
        "any_of": [["text"], ["blocks"], ["attachments"], ["markdown_text"]],
    },
    # Spec: nothing required (not even the token).
    "chat.delete": {"required": ["channel", "ts"]},
    "chat.meMessage": {"required": ["channel", "text"]},
    "chat.scheduleMessage": {"required": ["channel", "post_at"]},
    # Spec: every conversations.* argument optional.
    "conversations.archive": {"required": ["channel"]},
    "conversations.close": {"required": ["channel"]},
    "conversations.create": {"required": ["name"]},
    "conversations.history": {"required": ["channel"]},
    "conversations.info": {"required": ["channel"]},
    "conversations.invite": {"required": ["channel", "users"]},
    "conversations.join": {"required": ["channel"]},
    "conversations.kick": {"required": ["channel", "user"]},
    "conversations.leave": {"required": ["channel"]},
    "conversations.mark": {"required": ["channel", "ts"]},
    "conversations.members": {"required": ["channel"]},
    # Either reopen a conversation by id or open one with a list of users.
    "conversations.open": {"required": [], "any_of": [["channel"], ["users"]]},
    "conversations.rename": {"required": ["channel", "name"]},
    "conversations.replies": {"required": ["channel", "ts"]},
    "conversations.setPurpose": {"required": ["channel", "purpose"]},
    "conversations.setTopic": {"required": ["channel", "topic"]},
    "conversations.unarchive": {"required": ["channel"]},
    # Spec: all optional. A message is named by channel + timestamp, else a file or comment.
    "reactions.get": {
        "required": [],
        "any_of": [["channel", "timestamp"], ["file"], ["file_comment"]],
    },
    "reactions.remove": {
        "required": ["name"],
        "any_of": [["channel", "timestamp"], ["file"], ["file_comment"]],
    },
    # Spec: timestamp optional (pinning files is gone).
    "pins.add": {"required": ["channel", "timestamp"]},
    "pins.remove": {"required": ["channel", "timestamp"]},
    # Spec: trigger_id required; interactivity_pointer is the documented alternative.
    "views.open": {"required": ["view"], "any_of": [["trigger_id"], ["interactivity_pointer"]]},
    "views.push": {"required": ["view"], "any_of": [["trigger_id"], ["interactivity_pointer"]]},
    # Spec: nothing required. The view and one of its two names are.
    "views.update": {"required": ["view"], "any_of": [["view_id"], ["external_id"]]},
    # Spec: user optional.
    "users.info": {"required": ["user"]},
    "files.info": {"required": ["file"]},
    "files.delete": {"required": ["file"]},
}

# Methods in the spec that Slack has switched off.
RETIRED = {
    "files.upload": "retired by Slack; use files_upload_v2 "
    "(files.getUploadURLExternal + files.completeUploadExternal)",
}


def _tier(raw: str | None) -> str:
    if raw is None:
        raise ValueError("method without a rate-limit tier")
    # SpecialTier_chat_postMessage etc.: limits of their own, described in SLACK_PLATFORM.md.
    return "special" if raw.startswith("SpecialTier") else raw


def build_methods(specs_dir: Path) -> dict[str, dict[str, Any]]:
    """Return the vendored table for the reference files in ``specs_dir``."""
    openapi = json.loads((specs_dir / OPENAPI_FILE).read_text(encoding="utf-8"))
    tiers: Mapping[str, str] = json.loads((specs_dir / TIERS_FILE).read_text(encoding="utf-8"))

    methods: dict[str, dict[str, Any]] = {}
    for path, operations in openapi["paths"].items():
        name = path.lstrip("/")
        if len(operations) != 1:
            raise ValueError(f"{name}: expected one HTTP verb, found {sorted(operations)}")
        (operation,) = operations.values()
        params = operation.get("parameters", [])
        names = {p["name"] for p in params}
        entry: dict[str, Any] = {
            "required": sorted(
                p["name"] for p in params if p.get("required") and p["name"] != "token"
            ),
            "tier": _tier(tiers.get(name)),
        }
        if name.startswith("chat.") and set(MESSAGE_CONTENT) <= names:
            entry["any_of"] = [[arg] for arg in MESSAGE_CONTENT]
        if "token" not in names:
            entry["token"] = False
        methods[name] = entry

    for name, extra in EXTRA_METHODS.items():
        if name in methods:
            raise ValueError(f"{name} is in the spec now: drop it from EXTRA_METHODS")
        methods[name] = {"required": sorted(extra["required"]), "tier": _tier(tiers.get(name))}

    for name, correction in CORRECTIONS.items():
        if name not in methods:
            raise ValueError(f"correction for {name}, which the spec does not have")
        methods[name]["required"] = sorted(correction["required"])
        if "any_of" in correction:
            methods[name]["any_of"] = correction["any_of"]

    for name, why in RETIRED.items():
        methods[name]["retired"] = why

    return methods


def render(methods: Mapping[str, Mapping[str, Any]]) -> str:
    """Serialise the table: compact, sorted, one method per line."""
    lines = [
        f"{json.dumps(name)}: {json.dumps(methods[name], sort_keys=True)}"
        for name in sorted(methods)
    ]
    return '{"methods": {\n' + ",\n".join(lines) + "\n}}\n"


MANIFEST_SCHEMAS = Path(__file__).resolve().parents[1] / "tests" / "data" / "manifest-schema"


def manifest_schema_files(specs_dir: Path) -> dict[str, bytes]:
    """Slack's manifest JSON Schemas (and their license), copied as they are for the tests."""
    folder = specs_dir / "manifest-schema"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=Path, default=DEFAULT_SPECS_DIR, help="slack-specs dir")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="file to write")
    parser.add_argument("--check", action="store_true", help="only check the file is current")
    args = parser.parse_args(argv)

    text = render(build_methods(args.specs))
    schemas = manifest_schema_files(args.specs)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        copies = MANIFEST_SCHEMAS
        stale = current != text or any(
            not (copies / name).is_file() or (copies / name).read_bytes() != data
            for name, data in schemas.items()
        )
        if stale:
            print("vendored specs are stale: run tools/vendor_slack_specs.py", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {len(text.splitlines()) - 2} methods to {args.output}")
    MANIFEST_SCHEMAS.mkdir(parents=True, exist_ok=True)
    for name, data in schemas.items():
        (MANIFEST_SCHEMAS / name).write_bytes(data)
    print(f"copied {len(schemas)} manifest schema files to {MANIFEST_SCHEMAS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
