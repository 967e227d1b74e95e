"""The organizers' sheet (CSV, JSON, the scores sheet) and its upload into an organizer's DM:
a real unit of work, FakeMessenger; milliseconds each. `slackbot export` and /organize export
over HTTP are in tests/listeners."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from slackbot import bootstrap
from slackbot.domain.compute import PoolRow
from slackbot.domain.demo_submission import DemoDraft
from slackbot.domain.judging import criterion_key
from slackbot.services import demo_submissions, export
from slackbot.services.demo_submissions import SubmitDemo
from slackbot.services.export import ExportSheet
from slackbot.services.messagebus import MessageBus
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


# --- ExportSheet, through the bus -----------------------------------------------------------
SECRET = "ssh tpu-1.europe-west4-a SECRET-KEY-123"


def week_with_compute(world: World) -> tuple[MessageBus, int]:
    """An official team holding a machine from the pool (its details a secret), an older
    version's hand-typed compute in the audit trail, a demo submitted and one judge's score."""
    bus = bootstrap.wire(world.uow, world.deps, [export, demo_submissions])
    team = world.official(world.post("Hindi RoBERTa", proposer="U0ALICE"), "CTEAM1")
    with world.uow:
        (machine,) = world.uow.compute.add([PoolRow(2, "tpu-1", SECRET, "tpu-v3-8")], ORG)
        assert world.uow.compute.give(machine.id, team.id)
        world.uow.audit.record(ORG, "set_compute", team.id, None, {"compute": SECRET})
        world.uow.commit()
    demo = DemoDraft(demo_url="https://huggingface.co/spaces/flax/hindi", summary="News.")
    assert bus.handle(SubmitDemo("U0ALICE", team.id, demo)).created
    with world.uow:
        keys = [criterion_key(c) for c in world.settings.JUDGING_CRITERIA]
        world.uow.scores.save(team.id, "U0J1", dict.fromkeys(keys, 4), "private words")
        world.uow.commit()
    return bus, team.id


def test_the_exported_sheet_has_the_compute_label_and_its_details_only_with_secrets(
    world: World,
) -> None:
    bus, pid = week_with_compute(world)
    (row,) = csv.DictReader(io.StringIO(bus.handle(ExportSheet("csv"))))
    assert row["Compute"] == "tpu-1" and "Compute details" not in row
    assert row["Team channel"] == "#cteam1" and row["Demo"].endswith("/spaces/flax/hindi")
    assert "recorded compute by hand (details kept out of the sheet)" in row["Audit"]
    plain_json = bus.handle(ExportSheet("json"))
    for plain in (bus.handle(ExportSheet("csv")), plain_json):
        assert SECRET not in plain and "private words" not in plain
    sheet = json.loads(plain_json)
    assert sheet["compute"] == [
        {"label": "tpu-1", "kind": "tpu-v3-8", "note": "", "state": "given", "project": pid}
    ]
    assert "scores" not in sheet and "Compute details" not in sheet["projects"][0]
    (by_hand,) = [e for e in sheet["audit"] if e["action"] == "set_compute"]
    assert by_hand["after"] is None
    (secret_row,) = csv.DictReader(io.StringIO(bus.handle(ExportSheet("csv", with_secrets=True))))
    assert secret_row["Compute details"] == SECRET
    secret = json.loads(bus.handle(ExportSheet("json", with_secrets=True)))
    assert secret["compute"][0]["details"] == SECRET
    assert secret["projects"][0]["Compute details"] == SECRET
    assert world.messenger.uploads == [] and world.messenger.sent == []  # text only


def test_the_exported_scores_come_only_when_asked_one_row_per_criterion(world: World) -> None:
    bus, pid = week_with_compute(world)
    world.uow.people.remember("U0J1", "judy")
    rows = list(csv.DictReader(io.StringIO(bus.handle(ExportSheet("csv", scores=True)))))
    assert [r["Criterion"] for r in rows] == list(world.settings.JUDGING_CRITERIA)
    assert {(r["Judge"], r["Judge name"], r["ID"], r["Score"], r["Comment"]) for r in rows} == {
        ("U0J1", "judy", str(pid), "4", "private words")
    }
    assert SECRET not in bus.handle(ExportSheet("csv", scores=True))
    with_scores = json.loads(bus.handle(ExportSheet("json", scores=True)))
    assert len(with_scores["scores"]) == len(rows)
    assert with_scores["submissions"][0]["Submitted by"] == "U0ALICE"
