"""`slackbot demo --html FILE`: the week as a page that looks like Slack, checked in a real
browser (Debian's headless Chromium): the posts, a modal and the Home tab are on the page, its
script ran, and the console has no error."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from slackbot.demo import Demo

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium: .ci/run installs Debian's chromium package")
        pytest.skip("no Chromium here (`apt-get install chromium`; CI installs it)")
    return found


def test_the_week_as_a_web_page_renders_in_a_browser(tmp_path: Path) -> None:
    browser = chromium()
    page = tmp_path / "week.html"
    result = Demo(io.StringIO(), color=False, workdir=tmp_path).play(html=page)
    assert result["violations"] == []
    shown = subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr[-2000:]
    dom = shown.stdout
    assert 'data-ready="yes"' in dom  # the page's script ran to its end
    for seen in (
        "PreTrain RoBERTa from scratch in Hindi",  # the posts
        "PreTrain RoBERTa from scratch in Italian (team 2)",
        "is officially created!",  # a thread reply
        "Before you post",  # a modal
        "How this week works",  # a Home tab
        "the week at a glance",  # the organizers' dashboard
        "You joined",  # a DM
    ):
        assert seen in dom, seen
    assert "<script>" not in dom.split("</nav>")[0]  # user text never became markup
    console = [line for line in shown.stderr.splitlines() if "CONSOLE" in line]
    errors = [line for line in console if re.search(r"error|uncaught", line, re.IGNORECASE)]
    assert errors == []
