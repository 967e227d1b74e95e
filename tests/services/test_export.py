"""The organizers' sheet (CSV, JSON, the scores sheet) and its upload into an organizer's DM:
a real unit of work, FakeMessenger; milliseconds each. `slackbot export` and /organize export
over HTTP are in tests/listeners."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from slackbot.services import export
from tests.services.read_side import ORG, World, build


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build(tmp_path)


def test_the_sheet_has_a_row_per_project_with_names_from_the_database(world: World) -> None:
    hindi = world.post("Hindi RoBERTa", proposer="U0ALICE")
    world.join(hindi, "U0ALICE", "U0BOB")
    world.post("=HYPERLINK(evil)", proposer="U0BOB")
    world.uow.people.remember("U0ALICE", "alice")
    (first, second) = csv.DictReader(io.StringIO(export.sheet(world.uow, world.settings, "csv")))
    assert first["Proposer name"] == "alice" and first["Member names"] == "alice, U0BOB"
    assert first["Link"] == f"https://x/p{hindi.id}"
    assert second["Project"].startswith("'=")  # a spreadsheet never runs it
    assert list(first)[: len(export.COLUMNS)] == export.COLUMNS
    assert world.messenger.sent == []  # the database only: no Slack call


def test_the_json_sheet_holds_every_table_and_the_scores_only_when_asked(world: World) -> None:
    world.post("Hindi RoBERTa", proposer="U0ALICE")
    sheet = json.loads(export.sheet(world.uow, world.settings, "json"))
    assert set(sheet) == {"projects", "compute", "audit", "submissions"}
    assert sheet["projects"][0]["Proposer"] == "U0ALICE"
    with_scores = json.loads(export.sheet(world.uow, world.settings, "json", scores=True))
    assert with_scores["scores"] == []
    scores_csv = export.sheet(world.uow, world.settings, "csv", scores=True)
    assert scores_csv.splitlines() == [",".join(export.SCORE_COLUMNS)]


def test_the_sheet_is_uploaded_to_the_organizers_dm(world: World) -> None:
    world.post("Hindi RoBERTa", proposer="U0ALICE")
    file_id = export.send_to_organizer(
        ORG, "csv", uow=world.uow, settings=world.settings, messenger=world.messenger
    )
    (upload,) = world.messenger.uploads
    assert file_id == "F0001" and upload["to"] == ORG
    assert upload["filename"].startswith("community-week-projects-")
    assert upload["filename"].endswith(".csv")
    assert upload["title"] == "Community week projects (CSV)"
    assert upload["comment"] == "The organizers' sheet, as of now."
    assert "Hindi RoBERTa" in upload["content"]
    export.send_to_organizer(
        ORG, "json", scores=True, uow=world.uow, settings=world.settings, messenger=world.messenger
    )
    assert world.messenger.uploads[-1]["title"] == "Community week scores (JSON)"
    assert "private" in world.messenger.uploads[-1]["comment"]


def test_an_upload_slack_refused_fails_the_request_so_it_is_tried_again(world: World) -> None:
    world.messenger.refuse.add(ORG)
    with pytest.raises(OSError):
        export.send_to_organizer(
            ORG, "csv", uow=world.uow, settings=world.settings, messenger=world.messenger
        )
