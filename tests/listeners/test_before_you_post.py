"""The guide's advice while proposing, over signed HTTP: a "Before you post" step, never a
refusal; the post's sections, links and "View full proposal"."""

from __future__ import annotations

import json

from slackbot.blocks.before_you_post import CALLBACK_ID as STEP_CALLBACK_ID
from slackbot.domain.proposal import Status
from slackbot.domain.template import SECTIONS
from slackbot.local import CHANNEL, LocalBot, open_propose_modal, post_proposal, proposal_values
from slackbot.sandbox import FakeSlack


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


GOOD_NAME = "Using a T5 model to learn grammar correction in French"


def submit(slack: FakeSlack, user: str, name: str, **answers: object) -> tuple[str, dict]:
    view_id = open_propose_modal(slack, user)
    response = slack.submit_view(user, view_id, proposal_values(name, **answers))
    assert response.status == 200 and response.json is not None
    return view_id, response.json


def stored(bot: LocalBot) -> int:
    return len(bot.rt.uow.proposals.with_status(*Status))


def test_a_vague_name_gets_advice_and_can_be_posted_as_it_is(
    bot: LocalBot, slack: FakeSlack
) -> None:
    view_id, answer = submit(slack, "U0ALICE", "DALL-E mini", model="https://github.com/x/dalle")
    assert answer["response_action"] == "update"
    step = slack.view(view_id)
    assert step["callback_id"] == STEP_CALLBACK_ID
    assert step["title"]["text"] == "Before you post"
    assert step["submit"]["text"] == "Post as it is"
    text = dumps(step)
    assert "“DALL-E mini” names the model" in text and "in which language" in text
    assert "Using a T5 model to learn grammar correction in French" in text  # the guide's example
    assert "awesome-jax" in text  # a model outside 🤗 Transformers: the guide's note, once
    assert "◀ Edit my proposal" in text
    assert stored(bot) == 0 and slack.messages(CHANNEL) == []
    slack.submit_view("U0ALICE", view_id, {})
    (post,) = slack.messages(CHANNEL)
    assert post["blocks"][0]["text"]["text"] == "DALL-E mini"
    assert "awesome-jax" not in dumps(slack.view(view_id))  # not told twice


def test_edit_my_proposal_keeps_every_answer_and_an_improved_name_posts_at_once(
    bot: LocalBot, slack: FakeSlack
) -> None:
    view_id, _ = submit(slack, "U0BOB", "Image classification", outcome="A Gradio demo")
    slack.click("U0BOB", "back_to_draft", view_id=view_id)
    form = dumps(slack.view(view_id))
    assert "Image classification" in form and "A Gradio demo" in form
    better = "Adapting a pre-trained CLIP model for zero-shot image classification in Spanish"
    answer = slack.submit_view(
        "U0BOB", view_id, proposal_values(better, outcome="A Gradio demo", model="clip")
    ).json
    assert answer is not None and answer["response_action"] == "update"
    assert "Posting" in dumps(answer["view"])  # no second step
    assert [m["blocks"][0]["text"]["text"] for m in slack.messages(CHANNEL)] == [better]


def test_advice_seen_and_kept_is_not_shown_again(bot: LocalBot, slack: FakeSlack) -> None:
    view_id, _ = submit(slack, "U0BOB", "Text generation")
    slack.click("U0BOB", "back_to_draft", view_id=view_id)
    answer = slack.submit_view("U0BOB", view_id, proposal_values("Text generation")).json
    assert answer is not None and "Posting" in dumps(answer["view"])
    assert len(slack.messages(CHANNEL)) == 1


def test_advice_and_similar_projects_are_one_step(bot: LocalBot, slack: FakeSlack) -> None:
    post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi", languages=["hindi"])
    view_id, _ = submit(slack, "U0BOB", "Hindi RoBERTa", languages=["hindi"], model="my own model")
    step = dumps(slack.view(view_id))
    assert "I do not recognise" in step and "JAX checkpoints on the Hub" in step
    assert "join_similar" in step and "PreTrain RoBERTa from scratch in Hindi" in step
    assert sum(v["callback_id"] == STEP_CALLBACK_ID for v in slack.views("U0BOB")) == 1
    slack.submit_view("U0BOB", view_id, {})
    assert len(slack.messages(CHANNEL)) == 2


def test_a_list_page_is_advice_to_link_one_checkpoint(bot: LocalBot, slack: FakeSlack) -> None:
    view_id, _ = submit(slack, "U0BOB", GOOD_NAME, model="https://huggingface.co/models?filter=jax")
    assert "is a list of models" in dumps(slack.view(view_id))


def test_a_model_outside_transformers_posts_at_once_with_the_guides_note(
    bot: LocalBot, slack: FakeSlack
) -> None:
    view_id, answer = submit(
        slack, "U0CAROL", "Putting NeRF on a diet: few-shot 3D scenes", model="JaxNeRF"
    )
    assert "Posting" in dumps(answer["view"])
    bot.settle()
    outcome = dumps(slack.view(view_id))
    assert "Proposal posted" in outcome and "is not part of 🤗 Transformers" in outcome


def test_the_form_carries_the_guides_pointers(bot: LocalBot, slack: FakeSlack) -> None:
    slack.slash_command("U0ALICE", "/propose")
    (view,) = slack.views("U0ALICE")
    text = dumps(view)
    for pointer in (
        "https://huggingface.co/models?filter=jax",
        "https://github.com/n2cholas/awesome-jax",
        "quickstart-flax-and-jax-in-transformers",
        "run_summarization_flax.py",
        "3 to 5 people work best, 10 at most",
        f"this week's {bot.rt.settings.TEAM_SIZE_THRESHOLD}",
        "What happens next",
        "join with its button or by reacting",
    ):
        assert pointer in text, pointer
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert not any("(Optional)" in label for label in labels)


def test_the_post_reads_like_the_guides_proposal(bot: LocalBot, slack: FakeSlack) -> None:
    long = "We pre-train T5 on French text. " * 40
    ts = post_proposal(
        slack,
        "U0ALICE",
        GOOD_NAME,
        languages=["french"],
        description=long,
        model="google/mt5-small",
        datasets="oscar (French part)\nmc4\nSome scraped forum posts",
        training_scripts="We can use run_t5_mlm_flax.py, then run_summarization_flax.py.",
        reads="https://arxiv.org/abs/1910.10683",
    )
    blocks = slack.message(CHANNEL, ts)["blocks"]
    text = dumps(blocks)
    headings = [s.title for s in SECTIONS if s.id not in ("name", "challenges", "outcome")]
    for title in headings:
        assert f"*{title}*" in text, title
    assert "4. Datasets" not in text and "8. Reads" not in text
    assert "<https://huggingface.co/google/mt5-small|google/mt5-small>" in text
    assert "<https://huggingface.co/datasets/oscar|oscar> (French part)" in text
    assert "<https://huggingface.co/datasets/mc4|mc4>" in text
    assert "Some scraped forum posts" in text and "datasets/Some" not in text
    assert "run_t5_mlm_flax.py|run_t5_mlm_flax.py>" in text
    description = next(b for b in blocks if b.get("block_id") == "description")
    assert description["text"]["text"].endswith(" …")
    assert len(description["text"]["text"]) < 700
    assert "View full proposal" in text


def test_anyone_can_read_the_whole_proposal(bot: LocalBot, slack: FakeSlack) -> None:
    long = "We pre-train T5 on French text. " * 40
    ts = post_proposal(slack, "U0ALICE", GOOD_NAME, languages=["french"], description=long)
    slack.click(
        "U0DAVE",
        "proposal_menu",
        channel=slack.channel_id(CHANNEL),
        message_ts=ts,
        selected_option="view:1",
    )
    bot.settle()
    (full,) = [v for v in slack.views("U0DAVE") if v["callback_id"] == "proposal_full"]
    assert long.strip() in dumps(full)
    assert "*Description*" in dumps(full)
    assert bot.rt.uow.proposals.get(1).answers["description"] == long.strip()  # type: ignore[union-attr]
