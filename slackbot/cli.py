"""The `slackbot` command: run the bot (default), and the organizers' tools.

Each command imports what it needs when it runs (deliberately: `slackbot manifest`, `--help`
and a settings error answer at once, without loading Bolt, waitress or the database code).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from slackbot.config import ConfigError, Settings, load_offline_settings, load_settings

log = logging.getLogger("slackbot")

# Seconds to finish queued work and redraw marked rosters when stopped (twice this at most:
# platforms send SIGKILL ~10 s after SIGTERM). Whatever is left is done at the next start.
SHUTDOWN_DRAIN = 3.0

NO_WORKSPACE_HINT = (
    "\nNo Slack workspace yet? `slackbot demo` plays a community week against a local "
    "stand-in of Slack."
)


def setup_logging(level: str = "INFO") -> None:
    from slackbot import log_privacy

    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    log_privacy.install()  # Slack's request and answer bodies never reach the logs


def run(settings: Settings) -> int:
    """Start the bot and serve until stopped."""
    from slackbot.app import build_app, event_acker
    from slackbot.bootstrap import build_runtime, check_app_token
    from slackbot.http_server import HttpServer
    from slackbot.jobs.scheduler import build_scheduler
    from slackbot.socket_mode import run_socket_mode

    # Before any other start-up work: a wrong app token is the first thing to hear about.
    first_url = check_app_token(settings) if settings.SLACK_APP_TOKEN else None
    rt = build_runtime(settings)
    from slackbot.services import rebuild
    from slackbot.store.backups import hold_shared

    held = hold_shared(settings.DATABASE_PATH)  # a restore waits for every process to stop
    rt.bus.handle(rebuild.RebuildAtStart())
    from slackbot.services.compute import HandOutCompute

    rt.bus.handle(HandOutCompute())  # teams still waiting, messages a stop left unsent
    app = build_app(rt)
    scheduler = build_scheduler(rt)
    scheduler.start()
    rt.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if settings.SLACK_APP_TOKEN:
            run_socket_mode(
                app, settings.SLACK_APP_TOKEN, first_url=first_url, events=event_acker(rt)
            )
        else:
            server = HttpServer(
                app,
                host=settings.HOST,
                port=settings.PORT,
                signing_secret=settings.SLACK_SIGNING_SECRET or "",
                events=event_acker(rt),
                metrics=rt.workers.metrics,
            )
            server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        scheduler.shutdown(wait=False)
        rt.close(drain=SHUTDOWN_DRAIN)
        held.close()
        log.info("stopped")
    return 0


def backup_command(settings: Settings, output: str | None) -> int:
    from slackbot.store.backups import BackupError, backup, scheduled_backup

    database = Path(settings.DATABASE_PATH)
    if not database.is_file():
        print(f"DATABASE_PATH: there is no database at {database.resolve()}", file=sys.stderr)
        return 2
    try:
        made = (
            backup(database, output)
            if output
            else scheduled_backup(database, settings.backup_dir(), settings.BACKUP_KEEP)
        )
    except (BackupError, OSError) as exc:
        print(f"slackbot backup: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {made}")
    return 0


def restore_command(settings: Settings, source: str) -> int:
    from slackbot.store.backups import BackupError, check, restore

    try:
        info = check(source)
        aside = restore(source, settings.DATABASE_PATH)
    except (BackupError, OSError) as exc:
        print(f"slackbot restore: {exc}", file=sys.stderr)
        return 2
    print(
        f"Restored {source} ({info.proposals} proposals) into {settings.DATABASE_PATH}"
        + (f"; the file it replaces is kept as {aside}" if aside else "")
        + ". The next start catches up from Slack on what happened after the backup."
    )
    return 0


def rebuild_command(settings: Settings) -> int:
    from slackbot.bootstrap import build_runtime
    from slackbot.services import rebuild

    rt = build_runtime(settings)
    try:
        if not rebuild.needed(rt.uow):
            print(
                f"{settings.DATABASE_PATH} holds {rt.uow.proposals.count()} proposals: a rebuild "
                "fills an empty database. Move the file aside (or set DATABASE_PATH to a new "
                "file) and run it again.",
                file=sys.stderr,
            )
            return 2
        report = rt.bus.handle(rebuild.RebuildFromSlack())
    finally:
        rt.close()
    print(
        f"Rebuilt from #{settings.PROPOSALS_CHANNEL}: {report.proposals} proposals from "
        f"{report.posts} posts, {report.joins} joins, {report.official} official teams"
        + (f"; {report.unreadable} posts unreadable (see the log)" if report.unreadable else "")
        + "."
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="slackbot",
        description="The Flax/JAX community week Slack bot.",
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (the default)")
    demo = sub.add_parser("demo", help="play a community week against a local stand-in of Slack")
    demo.add_argument("--interactive", action="store_true", help="type the actions yourself")
    demo.add_argument("--fast", action="store_true", help="no pauses between the steps")
    demo.add_argument("--html", metavar="FILE", help="also write the week as a web page")
    digest = sub.add_parser("digest", help="post the digest of open projects now")
    digest.add_argument(
        "--dry-run", action="store_true", help="print the digest instead of posting it"
    )
    exporting = sub.add_parser(
        "export", help="write the organizers' sheet (reads only the database)"
    )
    exporting.add_argument("--format", choices=("csv", "json"), default="csv")
    exporting.add_argument("--output", help="file to write (default: standard output)")
    exporting.add_argument(
        "--with-secrets",
        action="store_true",
        help="include each team's compute details (keep the file private)",
    )
    exporting.add_argument(
        "--hub-invites",
        action="store_true",
        help="only the Hub usernames of official members, one per line",
    )
    exporting.add_argument(
        "--scores",
        action="store_true",
        help='add every judge\'s score (private): JSON gains a "scores" list; a CSV is the '
        "scores sheet instead of the projects sheet (one row per judge, project and criterion)",
    )
    computing = sub.add_parser("compute", help="the week's compute pool")
    compute_sub = computing.add_subparsers(dest="compute_command", required=True)
    importing = compute_sub.add_parser(
        "import",
        help="add compute from a CSV (columns: label, details, and optionally kind, note); "
        "official teams waiting get theirs at once",
    )
    importing.add_argument("file", help="the CSV file")
    sub.add_parser(
        "rebuild",
        help="fill an empty database from the bot's posts in Slack (a lost database file)",
    )
    backing_up = sub.add_parser(
        "backup", help="write a consistent copy of the database (works while the bot runs)"
    )
    backing_up.add_argument(
        "--output", help="file to write (default: BACKUP_DIR, keeping BACKUP_KEEP of them)"
    )
    restoring = sub.add_parser(
        "restore",
        help="put a backup in place of the database (the bot stopped); the next start "
        "catches up from Slack",
    )
    restoring.add_argument("file", help="the backup to restore")
    manifest = sub.add_parser(
        "manifest", help="print the Slack app manifest (Socket Mode, or HTTP mode with --http)"
    )
    manifest.add_argument(
        "--http",
        metavar="URL",
        help="the bot's public https URL: print the manifest for HTTP mode with every "
        "request URL filled in and Socket Mode off",
    )
    manifest.add_argument("--json", action="store_true", help="print JSON instead of YAML")
    return parser


def manifest_command(http: str | None, as_json: bool) -> int:
    from slackbot.manifest import ManifestError, render

    try:
        sys.stdout.write(render(http=http, as_json=as_json))
    except ManifestError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


def export_command(
    settings: Settings,
    fmt: str,
    output: str | None,
    *,
    with_secrets: bool = False,
    hub_invites: bool = False,
    scores: bool = False,
) -> int:
    from slackbot.bootstrap import build_runtime
    from slackbot.services import export

    rt = build_runtime(settings, offline=True)
    try:
        if hub_invites:
            content = export.hub_invite_list(rt.uow)
        else:
            content = export.sheet(
                rt.uow, rt.settings, fmt, with_secrets=with_secrets, scores=scores
            )
    finally:
        rt.close()
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(content)
    return 0


def compute_import_command(settings: Settings, path: str) -> int:
    """Add the CSV's compute to the pool (refused whole, with line numbers, if anything is
    wrong), then hand it to the official teams waiting, in order, by DM."""
    from slackbot.blocks.compute import organizer_answer
    from slackbot.bootstrap import build_runtime
    from slackbot.services.compute import ImportCompute, Refused

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"slackbot compute import: cannot read {path} ({exc})", file=sys.stderr)
        return 2
    rt = build_runtime(settings)
    try:
        result = rt.bus.handle(ImportCompute("cli", text))
    finally:
        rt.close()
    if isinstance(result, Refused):
        print(f"slackbot compute import: {path} was not imported (nothing was):", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    print(organizer_answer(result).replace("`", ""))
    return 0


def digest_command(settings: Settings, dry_run: bool) -> int:
    from slackbot.bootstrap import build_runtime
    from slackbot.services.digest_posting import PostDigestNow, PreviewDigest
    from slackbot.terminal import render_blocks

    rt = build_runtime(settings, offline=dry_run)
    try:
        if dry_run:
            blocks = rt.bus.handle(PreviewDigest())
            if blocks is None:
                print("Nothing to report: no open project and nothing new.")
                return 0
            print(render_blocks(blocks))
            return 0
        outcome = rt.bus.handle(PostDigestNow())
        print(f"digest {outcome}")
        return 0 if outcome in ("posted", "empty") else 1
    finally:
        rt.close()


def unwritable(path: str) -> str | None:
    """Why a file cannot be written at `path` (None: it can), checked before any work."""
    target = Path(path)
    folder = target.parent.resolve()
    if target.is_dir():
        return f"{target} is a folder; give a file name, e.g. {target / 'week.out'}"
    if not folder.is_dir():
        return f"the folder {folder} does not exist; create it or choose another path"
    if not os.access(folder, os.W_OK):
        return f"the folder {folder} is not writable; choose another path"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    if command == "manifest":  # needs no settings: it only reads manifest.yml
        return manifest_command(args.http, args.json)
    if command == "demo":  # needs no settings: it brings its own Slack
        problem = unwritable(args.html) if args.html else None
        if problem:  # said before the week is played, not after
            print(f"slackbot demo --html: {problem}", file=sys.stderr)
            return 2
        from slackbot.demo import main as demo_main

        return demo_main(interactive=args.interactive, fast=args.fast, html=args.html)
    offline = command in ("export", "backup", "restore") or (command == "digest" and args.dry_run)
    problem = unwritable(args.output) if command in ("export", "backup") and args.output else None
    if problem:
        print(f"slackbot export --output: {problem}", file=sys.stderr)
        return 2
    try:
        settings = (
            load_offline_settings()
            if offline
            else load_settings(running=command in ("run", "rebuild"))
        )
    except ConfigError as exc:
        print(str(exc) + NO_WORKSPACE_HINT, file=sys.stderr)
        return 2
    setup_logging(settings.LOG_LEVEL)
    try:
        if command == "run":
            return run(settings)
        if command == "digest":
            return digest_command(settings, args.dry_run)
        if command == "export":
            return export_command(
                settings,
                args.format,
                args.output,
                with_secrets=args.with_secrets,
                hub_invites=args.hub_invites,
                scores=args.scores,
            )
        if command == "compute":
            return compute_import_command(settings, args.file)
        if command == "rebuild":
            return rebuild_command(settings)
        if command == "backup":
            return backup_command(settings, args.output)
        if command == "restore":
            return restore_command(settings, args.file)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0
