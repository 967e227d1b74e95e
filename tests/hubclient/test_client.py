"""The Hub adapter (huggingface_hub's HfApi) against the Hub's stand-in, over real HTTP: what
each answer of the Hub becomes."""

from __future__ import annotations

import pytest

from slackbot.domain.hub import HubAnswer
from slackbot.hubclient import HubClient, HubUnavailable
from slackbot.sandbox.hub import FakeHub


def test_a_checkpoint_with_flax_weights(hub: FakeHub) -> None:
    answer = HubClient(hub.endpoint, None).model("google/mt5-small")
    assert answer == HubAnswer(found=True, flax=True, pipeline_tag="text2text-generation")
    (request,) = hub.requests
    assert request.path == "/api/models/google/mt5-small" and request.token is None


def test_a_checkpoint_without_flax_weights(hub: FakeHub) -> None:
    answer = HubClient(hub.endpoint, None).model("distilbert-base-uncased")
    assert answer.found and not answer.flax and answer.pipeline_tag == "fill-mask"


def test_a_model_that_does_not_exist_comes_with_the_closest_ids(hub: FakeHub) -> None:
    answer = HubClient(hub.endpoint, None).model("roberta-bse")
    assert not answer.found
    assert answer.closest[0] == "roberta-base"
    search = [r for r in hub.requests if r.path == "/api/models"]
    assert search and search[0].query["search"] == ["roberta"]


def test_a_private_model_is_seen_with_a_token_that_may_see_it(hub: FakeHub) -> None:
    hub.add_model("acme/secret-bert", flax=True, private=True)
    hub.allow_token("hf_reader")
    assert not HubClient(hub.endpoint, None).model("acme/secret-bert").found
    assert not HubClient(hub.endpoint, "hf_other").model("acme/secret-bert").found
    assert HubClient(hub.endpoint, "hf_reader").model("acme/secret-bert").flax
    assert [r.token for r in hub.requests if r.path.endswith("secret-bert")] == [
        None,
        "hf_other",
        "hf_reader",
    ]


def test_datasets_that_exist_are_gated_or_do_not_exist(hub: FakeHub) -> None:
    client = HubClient(hub.endpoint, None)
    assert client.dataset("oscar") == HubAnswer(found=True)
    assert client.dataset("bigcode/the-stack") == HubAnswer(found=True, gated=True)
    assert client.dataset("mozilla-foundation/common_voice_11_0").gated
    assert client.dataset("org/nothing-here") == HubAnswer(found=False)


def test_an_id_the_hub_could_never_have_is_not_found_without_asking(hub: FakeHub) -> None:
    assert not HubClient(hub.endpoint, None).dataset("a--b").found


@pytest.mark.parametrize("status", [503, 429, 500])
def test_a_hub_in_trouble_is_unavailable(hub: FakeHub, status: int) -> None:
    hub.down(status)
    with pytest.raises(HubUnavailable):
        HubClient(hub.endpoint, None).model("roberta-base")


def test_a_hub_that_does_not_answer_in_time_is_unavailable(hub: FakeHub) -> None:
    hub.slow(5.0)
    with pytest.raises(HubUnavailable):
        HubClient(hub.endpoint, None, timeout=0.3).model("roberta-base")


def test_a_hub_nobody_listens_on_is_unavailable() -> None:
    with pytest.raises(HubUnavailable):
        HubClient("http://127.0.0.1:9", None).dataset("oscar")
