"""Fixtures: a local Slack stand-in and the real bot running against it over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from slackbot.config import Settings
from slackbot.local import CHANNEL, LocalBot, hub_settings
from slackbot.sandbox import FakeSlack
from slackbot.sandbox.hub import FakeHub, standard_hub
from tests import uow_guard

PEOPLE = {
    "U0ALICE": "alice",
    "U0BOB": "bob",
    "U0CAROL": "carol",
    "U0DAVE": "dave",
    "U0ERIN": "erin",
    "U0FRANK": "frank",
    "U0ORG1": "suzana",
    "U0ORG2": "patrick",
}
ORGANIZERS = "U0ORG1,U0ORG2"

uow_guard.install()  # before any store opens a connection


def _migrate_from_a_copy() -> None:
    """A new database in a test starts as a copy of one the migrations built once in this
    process (48 ms a database otherwise: most of the fast tier's time). What is migrated is
    the same; a file that exists already (an older schema a test wrote) is migrated as ever."""
    import atexit
    import shutil
    import tempfile

    from slackbot.store.db import Store

    migrate = Store.migrate
    built: dict[str, str] = {}

    def migrate_new_from_copy(self: Store) -> int:
        if not os.path.exists(self.path) and getattr(self._local, "conn", None) is None:
            if "template" not in built:
                folder = tempfile.mkdtemp(prefix="slackbot-schema-")
                atexit.register(shutil.rmtree, folder, True)
                template = os.path.join(folder, "t.db")
                fresh = Store(template)
                migrate(fresh)
                fresh.close()
                built["template"] = template
            shutil.copyfile(built["template"], self.path)
        return migrate(self)

    Store.migrate = migrate_new_from_copy  # type: ignore[method-assign]


_migrate_from_a_copy()


CLOCK_DIR = Path(__file__).parent / "clock"


def pytest_configure(config: pytest.Config) -> None:
    """TEST_CLOCK=2031-02-28T23:57:00+00:00 runs the whole suite with the wall clock moved
    there (and ticking), in this process and in every Python process the tests start, so a
    test that depends on today's date or the time of day fails (tools/clock_sweep.sh)."""
    moved_to = os.environ.get("TEST_CLOCK")
    if not moved_to or os.environ.get("TEST_CLOCK_OFFSET"):
        return
    import time

    import time_machine

    target = datetime.fromisoformat(moved_to)
    if target.tzinfo is None:
        target = target.replace(tzinfo=timezone.utc)
    offset = target.timestamp() - time.time()
    os.environ["TEST_CLOCK_OFFSET"] = repr(offset)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(CLOCK_DIR), os.environ.get("PYTHONPATH")])
    )
    time_machine.travel(target, tick=True).start()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the Slack stand-in is a whole-app story (marked `app`); the rest, the
    handlers on a real unit of work with fakes and the domain's rules, are the fast tier:
    `python -m pytest tests/services -m "not app"` (the rules alone: tests/domain)."""
    for item in items:
        if "slack" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.app)


@pytest.fixture(autouse=True)
def _writes_have_an_owner() -> Iterator[None]:
    """A use case's write outside its unit of work fails the test it happened in (issue 23);
    tests/uow_guard.py names the machinery's exempt bookkeeping."""
    uow_guard.take()
    yield
    found = uow_guard.take()
    assert found == [], f"writes outside a unit of work: {found}"


@pytest.fixture(autouse=True)
def _no_real_slack_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A developer's real tokens or .env must never reach a test."""
    settings = set(Settings.model_fields)
    for name in list(os.environ):
        if name.startswith(("SLACK_", "HF_")) or name in settings:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env, databases land in tmp
    # No test reaches huggingface.co: the Hub is off unless a test turns it on with its
    # stand-in (the `hub` fixture), and a Hub asked by mistake is a port nothing listens on.
    monkeypatch.setenv("HUB_CHECKS", "off")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    for user_id, name in PEOPLE.items():
        fake.add_user(user_id, name)
    fake.add_channel(CHANNEL, members=list(PEOPLE))
    yield fake
    fake.stop()
    assert fake.violations == [], "the bot sent Slack something it would refuse"


__all__ = ["hub_settings"]  # the tests import it from here


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    """The Hugging Face Hub's API on loopback, holding the checkpoints and datasets 2021's
    proposals named (`standard_hub`); a test adds its own and scripts slowness or an outage."""
    fake = standard_hub(FakeHub()).start()
    yield fake
    fake.stop()


@pytest.fixture
def bot_settings() -> dict[str, object]:
    """Override per test module/test to change the bot's settings."""
    return {"ORGANIZER_IDS": ORGANIZERS}


@pytest.fixture
def bot(slack: FakeSlack, tmp_path: Path, bot_settings: dict[str, object]) -> Iterator[LocalBot]:
    running = LocalBot(slack, tmp_path / "community_week.db", **bot_settings).start()
    yield running
    running.stop()


def run_offline_cli(database: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m slackbot ARGS` on the bot's database, with Slack unreachable and no Slack
    credentials: commands that only read the database (digest --dry-run, export) need only
    DATABASE_PATH."""
    env = {
        "PATH": "/usr/bin:/bin",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",  # nothing listens: a call would fail
        "DATABASE_PATH": str(database),
    }
    return subprocess.run(
        [sys.executable, "-m", "slackbot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )
