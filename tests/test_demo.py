"""`slackbot demo` plays the week end to end against the stand-in, and its outcome is right."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import tempfile
from pathlib import Path

from slackbot.demo import Demo


def test_the_scripted_demo_plays_the_week(tmp_path: Path) -> None:
    out = io.StringIO()
    result = Demo(out, color=False, workdir=tmp_path).play()
    text = " ".join(out.getvalue().split())  # the terminal wraps lines
    assert result["violations"] == []
    assert result["proposals"] == 4
    assert result["withdrawn"] == ["GPT2 for Bengali poetry generation"]
    assert result["edited"] == ["PreTrain RoBERTa from scratch in Italian"]
    assert result["official"] == ["PreTrain RoBERTa from scratch in Hindi"]
    assert result["digest"] == "posted"
    for seen in [
        "[1/12]",
        "She hears once where she stands",  # a joiner's DM
        "You joined PreTrain RoBERTa from scratch in Hindi",
        "#team channel, its first message",  # the official team's welcome
        "What happens next",
        "PreTrain RoBERTa from scratch in Italian (team 2)",  # a second team
        "An organizer moved you into",
        "A fill-mask demo on the hub for Italian",
        "Withdrawn",
        "ID,Project,Description,Language,Model",  # the export's header: the post's titles
        "Before you post",  # the guide's advice on a vague name, once
        "“Train a language model” names the task",
        "Waiting for organizers · 3 members · 5 max",
        "[ Join this team ]",
        "You joined",
        "[ Make team official ]",
        "is officially created!",
        "#team-pretrain-roberta-from-scratch-in-hindi",
        "Community week digest",
        "1 project matching “italian”",
    ]:
        assert seen in text, seen
    assert str(tmp_path / "community_week.db") in out.getvalue()
    assert "\033[" not in text  # no colour codes when not on a terminal
    with sqlite3.connect(tmp_path / "community_week.db") as db:
        assert db.execute("SELECT COUNT(*) FROM teams").fetchone()[0] == 1


def test_the_interactive_demo_takes_typed_actions(tmp_path: Path) -> None:
    typed = iter(
        [
            "propose asha GPT2 for Bengali poetry generation",
            "propose ravi Train a language model",  # advised, posted as it is
            "react ravi 1",
            "react meera 1",
            "official 1",
            "digest",
            "frobnicate",
            "quit",
        ]
    )
    out = io.StringIO()
    Demo(out, color=False, workdir=tmp_path).interactive(read=lambda _prompt: next(typed))
    text = out.getvalue()
    assert "Before you post" in text and "ravi posts it as it is" in text
    assert "Official team" in text
    assert "unknown command 'frobnicate'" in text
    assert "The database is at" in text


GOLDEN = Path(__file__).parent / "data" / "demo_output.txt"


def normalised_demo_output() -> str:
    """The scripted demo's output, without what changes from run to run (times, ports,
    temporary paths)."""
    out = io.StringIO()
    with tempfile.TemporaryDirectory() as workdir:
        Demo(out, color=False, workdir=Path(workdir)).play()
        text = out.getvalue().replace(workdir, "<tmp>").replace("\r\n", "\n")
    for pattern, stand_in in [
        (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00", "<iso>"),
        (r"\d{10}\.\d{6}", "<ts>"),
        (r"p\d{16}", "p<ts>"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:<port>"),
        (r"\b\d{1,2}:\d{2}\b", "<hh:mm>"),
        (r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}\b", "<date>"),
        (r"\d{8}-\d{4}", "<stamp>"),
    ]:
        text = re.sub(pattern, stand_in, text)
    return text + "\n"


def test_the_demo_tells_the_same_week_as_before() -> None:
    """A change of code that must not change behaviour (a restructuring) leaves the demo's
    output as it was. A change meant to change what people see updates the file:
    UPDATE_GOLDEN=1 python -m pytest tests/test_demo.py"""
    text = normalised_demo_output()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text)
    assert text == GOLDEN.read_text()
