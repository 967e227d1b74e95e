"""The Hub's settings: HUB_CHECKS, HF_ENDPOINT, HF_TOKEN, HUB_TIME_BOX_SECONDS."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from slackbot.config import Settings

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **BASE, **values)  # type: ignore[call-arg]


def test_defaults_ask_huggingface_co_within_a_time_box() -> None:
    chosen = settings(HUB_CHECKS="on", HF_ENDPOINT="https://huggingface.co/")
    assert chosen.HUB_CHECKS is True
    assert chosen.HF_ENDPOINT == "https://huggingface.co"
    assert chosen.HF_TOKEN is None
    assert chosen.HUB_TIME_BOX_SECONDS == 1.5


def test_off_is_off() -> None:
    assert settings(HUB_CHECKS="off").HUB_CHECKS is False


@pytest.mark.parametrize(
    ("name", "value"),
    [("HF_ENDPOINT", "huggingface.co"), ("HUB_TIME_BOX_SECONDS", 3), ("HUB_CHECKS", "maybe")],
)
def test_wrong_values_are_refused(name: str, value: object) -> None:
    with pytest.raises(ValidationError) as refused:
        settings(**{name: value})
    assert name in str(refused.value)


def test_tests_never_point_at_the_real_hub() -> None:
    # tests/conftest.py: off, and a loopback port nothing listens on, unless a test says so.
    chosen = Settings(_env_file=None, **BASE)  # type: ignore[call-arg]
    assert chosen.HUB_CHECKS is False
    assert chosen.HF_ENDPOINT.startswith("http://127.0.0.1:")
