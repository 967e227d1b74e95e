"""`/projects` as a command: the joinable projects page by page, or those matching words (a
real unit of work on a migrated database, the Hub's cache offline; milliseconds each)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from slackbot import bootstrap
from slackbot.domain.validation import Draft
from slackbot.services import project_search
from slackbot.services.hub_checks import HubChecks
from slackbot.services.messagebus import MessageBus
from slackbot.services.project_search import PAGE_SIZE, FindProjects, Page
from slackbot.store.db import Store
from slackbot.store.hub_answers import HubAnswers
from slackbot.store.standing_columns import StandingColumns


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[MessageBus]:
    store = Store(tmp_path / "week.db")
    store.migrate()
    standings = StandingColumns(store, default_threshold=3, default_max=6)
    uow = bootstrap.unit_of_work(store, standings)
    with uow:
        for n in range(PAGE_SIZE + 2):
            name = f"Hindi RoBERTa {n}" if n % 2 else f"Swahili CLIP {n}"
            draft = Draft(answers={"name": name}, languages=["hindi"])
            created, _ = uow.proposals.create(draft, f"U{n}", submission_key=f"k{n}")
            uow.proposals.claim_for_posting(created.id)
            uow.proposals.mark_posted(
                created.id, channel="C1", ts=f"1700000000.{n:06d}", permalink=f"https://x/{n}"
            )
        uow.commit()
    hub = HubChecks(None, HubAnswers(store), time_box=0.1)
    yield bootstrap.wire(uow, {"uow": uow, "hub": hub}, [project_search])
    store.close()


def test_the_joinable_projects_page_by_page(bus: MessageBus) -> None:
    first = bus.handle(FindProjects(""))
    assert isinstance(first, Page) and first.total == PAGE_SIZE + 2 and first.pages == 2
    assert len(first.standings) == PAGE_SIZE
    assert set(first.proposals) == {s.proposal_id for s in first.standings}
    last = bus.handle(FindProjects("", page=7))  # past the end: the last page
    assert last.page == 1 and len(last.standings) == 2


def test_words_find_the_matching_projects(bus: MessageBus) -> None:
    found = bus.handle(FindProjects("  swahili  "))
    assert found.total == (PAGE_SIZE + 3) // 2 and found.pages == 1
    assert all("Swahili" in p.name for p in found.proposals.values())
    assert bus.handle(FindProjects("klingon")).total == 0
