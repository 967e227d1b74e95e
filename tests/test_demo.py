"""`slackbot demo` plays the week end to end against the stand-in, and its outcome is right."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from slackbot.demo import Demo


def test_the_scripted_demo_plays_the_week(tmp_path: Path) -> None:
    out = io.StringIO()
    result = Demo(out, color=False, workdir=tmp_path).play()
    text = " ".join(out.getvalue().split())  # the terminal wraps lines
    assert result["violations"] == []
    assert result["proposals"] == 3
    assert result["withdrawn"] == ["GPT2 for Bengali poetry generation"]
    assert result["edited"] == ["PreTrain RoBERTa from scratch in Italian"]
    assert result["official"] == ["PreTrain RoBERTa from scratch in Hindi"]
    assert result["digest"] == "posted"
    for seen in [
        "[1/11]",
        "A fill-mask demo on the hub for Italian",
        "Withdrawn",
        "id,name,proposer,language",  # the export's header
        "! reads: One http(s) link per line",  # the refused link, shown where the person is
        "Ready for organizers · 3/3",
        "Similar projects",
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
            "propose ravi Train a language model",  # refused as too vague
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
    assert "! name: Too vague" in text
    assert "Official team" in text
    assert "unknown command 'frobnicate'" in text
    assert "The database is at" in text
