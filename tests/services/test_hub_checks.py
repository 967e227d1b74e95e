"""Hub checks alone, with a hand-written Hub client and a real database: the cache and its
ages, the time box, the quiet after a failure, the follow-up when an answer comes late."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from slackbot.domain.hub import DATASET, MODEL, HubAnswer, HubRef
from slackbot.hubclient import HubUnavailable
from slackbot.services.hub_checks import HubChecks
from slackbot.store.db import Store
from slackbot.store.hub_answers import HubAnswers


class ScriptedHub:
    """Answers from a table; `hold` keeps every answer back until released; `fail` refuses."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.hold = threading.Event()
        self.hold.set()
        self.fail = False

    def model(self, repo_id: str) -> HubAnswer:
        return self._answer(repo_id, HubAnswer(found=repo_id != "nope", flax=True))

    def dataset(self, repo_id: str) -> HubAnswer:
        return self._answer(repo_id, HubAnswer(found=True, gated=repo_id == "gated/one"))

    def _answer(self, repo_id: str, answer: HubAnswer) -> HubAnswer:
        self.asked.append(repo_id)
        self.hold.wait(10)
        if self.fail:
            raise HubUnavailable(repo_id)
        return answer


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "week.db")
    s.migrate()
    return s


def checks(store: Store, hub: ScriptedHub, time_box: float = 1.0) -> HubChecks:
    return HubChecks(hub, HubAnswers(store), time_box=time_box)  # type: ignore[arg-type]


MT5 = HubRef(MODEL, "google/mt5-small")
NOPE = HubRef(MODEL, "nope")
GATED = HubRef(DATASET, "gated/one")


def test_answers_are_cached_a_day_if_found_an_hour_if_not(store: Store) -> None:
    hub = ScriptedHub()
    hc = checks(store, hub)
    facts = hc.check([MT5, NOPE, GATED])
    assert facts[MT5.key].flax and not facts[NOPE.key].found and facts[GATED.key].gated
    assert hc.check([MT5, NOPE, GATED]) == facts
    assert sorted(hub.asked) == ["gated/one", "google/mt5-small", "nope"]
    answers = HubAnswers(store)
    now = time.time()
    assert set(answers.fresh([MT5.key, NOPE.key], now + 2 * 3600)) == {MT5.key}
    assert answers.fresh([MT5.key], now + 25 * 3600) == {}
    hc.close()


def test_what_does_not_come_within_the_time_box_is_left_out(store: Store) -> None:
    hub = ScriptedHub()
    hub.hold.clear()
    hc = checks(store, hub, time_box=0.2)
    assert hc.check([MT5]) == {}
    hub.hold.set()  # the answer comes after all, and is cached
    for _ in range(100):
        if hc.known([MT5]):
            break
        threading.Event().wait(0.02)
    assert hc.known([MT5])[MT5.key].flax
    hc.close()


def test_a_late_answer_calls_its_follow_up_once(store: Store) -> None:
    hub = ScriptedHub()
    hub.hold.clear()
    hc = checks(store, hub)
    called: list[str] = []
    done = threading.Event()

    def redraw() -> None:
        called.append("redraw")
        done.set()

    hc.when_known([MT5, GATED], redraw)
    hub.hold.set()
    assert done.wait(5)
    threading.Event().wait(0.1)
    assert called == ["redraw"]
    hc.when_known([MT5, GATED], redraw)  # known now: nothing to wait for
    assert called == ["redraw"]
    hc.close()


def test_after_a_failure_the_hub_is_left_alone(store: Store) -> None:
    hub = ScriptedHub()
    hub.fail = True
    hc = checks(store, hub)
    assert hc.check([MT5]) == {}
    assert hc.check([NOPE]) == {}
    assert hub.asked == ["google/mt5-small"]
    hc.close()


def test_off_asks_nothing(store: Store) -> None:
    hc = HubChecks(None, HubAnswers(store), time_box=1.0)
    assert hc.check([MT5]) == {} and hc.known([MT5]) == {}
    hc.close()


def test_a_slow_hub_costs_one_time_box_not_one_per_submission(store: Store) -> None:
    hub = ScriptedHub()
    hub.hold.clear()
    hc = checks(store, hub, time_box=0.2)
    assert hc.check([MT5]) == {}
    assert hc.check([NOPE, GATED]) == {}  # nothing new is asked
    assert hub.asked == ["google/mt5-small"]
    hub.hold.set()
    hc.close()
