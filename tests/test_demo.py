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
        "[1/18]",
        "@asha types: name: Train a language model",  # what the person typed, values only
        "#flax-jax-community-week › project #1",  # permalinks shown short
        "what changed",  # a post shown again shows only its changed lines
        "the week at a glance",  # the demo ends on the organizers' dashboard
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
        # The Hub stand-in answers: a typo and its closest ids, then Flax weights marked.
        "no model `roberta-bse` on the Hub — a typo? The closest: roberta-base",
        "Hindi roberta-base ✓ Flax weights",
        "Waiting for organizers · 3 members · 5 max",
        "[ Join this team ]",
        "You joined",
        "[ Make team official ]",
        "is officially created!",
        "#team-pretrain-roberta-from-scratch-in-hindi",
        "Community week digest",
        "1 project matching “italian”",
        # The end of the week: a demo submitted, two judges, the results, the winner.
        "@meera types: demo url: https://huggingface.co/spaces/flax-community/roberta-hindi",
        "submitted its demo!",
        "Demo: flax-community/roberta-hindi (a Space on the Hub)",
        "Demos to judge — you scored 0 of 1",
        "Score a demo",
        "Results (1 demo, 2 judges; only you see this)",
        "total 16 · The demo 4.5 · Technical difficulty 4 · Social impact 4.5",
        "2 of 2 judges",
        "The winners of the community week!",
        "the jury placed your demo #1!",
        "submitted the demo: https://huggingface.co/spaces/flax-community/roberta-hindi",
        "@patrick scored it",  # the judges' names, read by the directory job
    ]:
        assert seen in text, seen
    # The script fills nothing in for its people: every answer fits its idea.
    for invented in ("run_summarization_flax.py", "t5-base", "We will fine-tune the model"):
        assert invented not in text, invented
    assert str(tmp_path / "community_week.db") in out.getvalue()
    assert "\033[" not in text  # no colour codes when not on a terminal
    with sqlite3.connect(tmp_path / "community_week.db") as db:
        assert db.execute("SELECT COUNT(*) FROM teams").fetchone()[0] == 1


TYPED = [
    ("help", "commands:"),
    (
        "propose asha GPT2 poetry generation in Bengali --model gpt2 --description 'Poems' "
        "--datasets 'Bengali poems' --scripts run_clm_flax.py",
        "Bengali",
    ),
    (
        "propose ravi Train a language model --language hindi --model bert-base-uncased "
        "--description 'A model' --datasets wikipedia --scripts run_mlm_flax.py",
        "ravi posts it as it is",
    ),
    (
        'propose luca "Using a T5 model to learn grammar correction in French" --model t5-small '
        "--description 'Corrects French' --datasets 'A corpus of corrections' "
        "--scripts run_summarization_flax.py",
        "French",
    ),
    ("react ravi 1", "Team: @asha, @ravi"),
    ("join meera 1", "Team: @asha, @ravi, @meera"),
    ("unreact ravi 1", "Team: @asha, @meera"),
    ("react ravi 1", "Team: @asha, @meera, @ravi"),
    ("leave meera 1", "Team: @asha, @ravi"),
    ("join meera 1", "Waiting for organizers"),
    ('edit asha 1 outcome="A Streamlit app"', "A Streamlit app"),
    ("official 1", "Official team"),
    ("join sofia 1", "I asked the organizers"),
    ("withdraw ravi 2", "Withdrawn"),
    ("show 3", "grammar correction in French"),
    ("show 3", "t5-small ✓ Flax weights"),  # the demo's Hub stand-in answered
    ("projects french", "matching"),
    ("home suzana", "the week at a glance"),
    ("home sofia", "How this week works"),
    ("organize limits 3 2 4", "threshold 2, max 4"),
    ("digest", "digest"),
    ("dms meera", "You joined"),
    ("dms suzana", "asks to join"),
    # The second half of the week: compute, the Hub, the demos, the jury.
    ("help", "nikita are the judges"),
    (
        "organize compute add tpu-vm-1 | zone europe-west4-a: gcloud compute tpus tpu-vm ssh",
        "Added to the pool: `tpu-vm-1`",
    ),
    ("dms asha", "has its compute: `tpu-vm-1`"),  # handed out to the team waiting for it
    ("works asha", "Thanks! The organizers see"),
    ("problem ravi ssh: connection refused", "Compute problem in"),  # the organizer's DM
    ("hub meera 'meera k!'", "! A Hub username has only letters"),  # the modal's inline error
    ("hub meera meera-k", "your Hub username is meera-k"),
    ("submit sofia https://huggingface.co/spaces/x/y A demo", "Only the members of an official"),
    ("submit asha ftp://poems A demo", "! Give an https link"),  # the form's inline error
    ("submit asha https://huggingface.co/spaces/flax-community/poems Poems", "Demo submitted"),
    ("submit ravi https://huggingface.co/spaces/flax-community/poems2 Better", "Demo saved"),
    ("join patrick 3", "Team: @luca, @patrick"),  # a judge in a team
    ("official 3", "is now an official team"),
    ("submit luca https://huggingface.co/spaces/flax-community/t5 French", "submitted its demo!"),
    ("score patrick 1 5 4 4 3 Lovely poems.", "Scores saved"),
    ("score nikita 1 4 4 5 3", "Your scores for GPT2 poetry generation in Bengali are saved"),
    ("organize results", "Results (2 demos, 2 judges"),
    ("organize winners 1", "The winners of the community week!"),
]
MISTAKES = [
    ("frobnicate", "! unknown command 'frobnicate'"),
    ("official 99", "! there is no project #99"),
    ("official 1", "! project #1 is already official"),
    ("react nobody 1", "! unknown person 'nobody'"),
    ("leave ravi abc", "! 'abc' is not a project number"),
    ("react ravi", "! usage: react PERSON #"),
    ("propose", "! the following arguments are required"),
    ('propose asha "unclosed', "! No closing quotation"),
    ("propose asha Hindi poems --language klingon", "! unknown language 'klingon'"),
    (
        "propose asha CLIP for Hindi --model openai/clip-vit-base-patch32",
        "! the form requires --description, --datasets, --scripts",
    ),
    ("edit ravi 1 outcome=x", "! only @asha can edit it"),
    ("edit asha 1 colour=blue", "! 'colour=blue' is not FIELD=VALUE"),
    ("withdraw luca 1", "! only @asha can withdraw it"),
    ("leave sofia 2", "! project #2 shows no such button now"),
    ("show 7", "! there is no project #7"),
    ("works sofia", "! @sofia has no compute message"),
    ("problem ravi", "! usage: problem PERSON WORDS"),
    ("hub meera", "! usage: hub PERSON USERNAME"),
    ("submit asha https://huggingface.co/spaces/x/y", "! usage: submit PERSON URL SUMMARY"),
    ("score asha 1 5 4 4 3", "! @asha is not a judge"),
    ("score patrick 1 5 4 9 3", "! each score is a number from 1 to 5"),
    ("score patrick 1 5 4", "! usage: score JUDGE # N N N N"),
    ("score patrick 3 5 4 4 3", "! You are a member of this team, so you cannot score"),
    ("score nikita 2 3 3 3 3", "! Project #2 has no demo to score"),
]


def test_the_interactive_demo_takes_every_command_and_every_mistake(tmp_path: Path) -> None:
    typed = iter([line for line, _ in TYPED] + [line for line, _ in MISTAKES] + ["quit"])
    out = io.StringIO()
    Demo(out, color=False, workdir=tmp_path).interactive(read=lambda _prompt: next(typed))
    text = out.getvalue()
    assert "Traceback" not in text and "Error" not in text.replace("errors", "")
    for line, seen in TYPED:
        assert seen in text, (line, seen)
    mistakes = [row for row in text.splitlines() if row.startswith("! ")]
    assert len(mistakes) == len(MISTAKES)  # one line each, and nothing else went wrong
    for (line, seen), said in zip(MISTAKES, mistakes, strict=True):
        assert said.startswith(seen), (line, said)
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
        (r"\b\d{4}-\d{2}-\d{2}\b", "<yyyy-mm-dd>"),
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
