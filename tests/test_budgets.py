"""Each Slack method's budget: what the plan says, and how the shared log spends it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slackbot.slack.budgets import PLAN, TIER_PER_MINUTE, windows_for
from slackbot.store.db import Store
from slackbot.store.rate_budgets import RateBudgets
from tests.test_manifest import called_api_methods

TIERS = Path(__file__).resolve().parents[2] / "shared" / "slack-specs" / "rate-limit-tiers.json"
VENDORED = Path(__file__).resolve().parents[1] / "slackbot" / "sandbox" / "slack_methods.json"


def slack_tiers() -> dict[str, str]:
    if TIERS.exists():
        return dict(json.loads(TIERS.read_text()))
    methods = json.loads(VENDORED.read_text())["methods"]
    return {name: entry["tier"] for name, entry in methods.items()}


def test_every_method_the_bot_calls_has_a_budget_in_the_plan() -> None:
    assert sorted(called_api_methods()) == sorted(PLAN)


def test_the_plan_agrees_with_slacks_published_tiers() -> None:
    tiers = slack_tiers()
    for method, tier in PLAN.items():
        if tier in TIER_PER_MINUTE:
            assert tiers[method] == tier, method
        elif tier == "per-channel":
            # The published list names it; the stand-in's vendored copy calls it "special".
            assert tiers[method] in ("SpecialTier_chat_postMessage", "special")
        else:
            assert method in {"auth.test", "apps.connections.open"}, method
    for method in PLAN:
        for window in windows_for(method, "C1"):
            per_minute = window.limit * 60 / window.period
            if tiers[method] in TIER_PER_MINUTE:
                assert per_minute < TIER_PER_MINUTE[tiers[method]]


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def budgets(tmp_path: Path) -> tuple[RateBudgets, Clock]:
    store = Store(tmp_path / "b.db")
    store.migrate()
    clock = Clock()
    return RateBudgets(store, clock), clock


def test_a_window_holds_its_limit_in_any_period(budgets: tuple[RateBudgets, Clock]) -> None:
    spend, clock = budgets
    windows = [("chat.update", 3, 60.0)]
    for _ in range(3):
        assert spend.spend(windows) == 0.0
        clock.now += 10
    # Three in the last 60 s: the first leaves the window 60 s after it was sent.
    assert spend.spend(windows) == pytest.approx(30.0)
    clock.now += 30.001
    assert spend.spend(windows) == 0.0
    assert spend.sent("chat.update", 60) == 3


def test_a_call_that_cannot_wait_spends_anyway_and_the_others_wait(
    budgets: tuple[RateBudgets, Clock],
) -> None:
    spend, clock = budgets
    windows = [("views.open", 2, 60.0)]
    assert spend.spend(windows) == 0.0
    assert spend.spend(windows) == 0.0
    clock.now += 30
    assert spend.spend(windows) > 0  # full: a background call would wait
    assert spend.spend(windows, force=True) == 0.0  # a trigger_id cannot wait
    clock.now += 30.001
    # The first two have left the window; the forced call still counts: room for one.
    assert spend.spend(windows) == 0.0
    assert spend.spend(windows) > 0


def test_posts_are_paced_per_channel_and_counted_in_all(
    budgets: tuple[RateBudgets, Clock],
) -> None:
    spend, clock = budgets
    first = windows_for("chat.postMessage", "C1")
    second = windows_for("chat.postMessage", "C2")
    for _ in range(3):
        assert spend.spend(first) == 0.0
    assert spend.spend(first) > 0  # a burst of three into one channel, then one a second
    assert spend.spend(second) == 0.0  # another channel has its own pace
    clock.now += 3.001
    assert spend.spend(first) == 0.0
    assert spend.sent("chat.postMessage", 60) == 5
