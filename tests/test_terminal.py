"""Terminal rendering of messages, blocks and views: what a person reading the demo would see."""

from __future__ import annotations

import re
from typing import Any

import pytest
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    ImageBlock,
    ImageElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    RichTextBlock,
    RichTextElementParts,
    RichTextListElement,
    RichTextPreformattedElement,
    RichTextQuoteElement,
    RichTextSectionElement,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from slackbot.terminal import mrkdwn_to_text, render_blocks, render_message, render_view

ANSI = re.compile(r"\x1b\[[0-9;]*m")
NAMES = {"U1": "alice", "U2": "bob", "U3": "carol"}
CHANNELS = {"C1": "proposals"}
LANGUAGES = [("en", "English"), ("fr", "French"), ("hi", "Hindi")]


def plain(text: str) -> str:
    return ANSI.sub("", text)


def option(value: str, label: str) -> Option:
    return Option(value=value, label=label)


def sample_message_blocks() -> list[dict[str, Any]]:
    return [
        HeaderBlock(text=":seedling: Hindi GPT-2").to_dict(),
        SectionBlock(
            text="*Pretrain GPT-2 on Hindi*, proposed by <@U1>",
            fields=[
                MarkdownTextObject(text="*Team*\n<@U1>, <@U2>"),
                MarkdownTextObject(text="*Language*\nHindi"),
            ],
        ).to_dict(),
        ContextBlock(elements=[MarkdownTextObject(text="in <#C1>")]).to_dict(),
        ActionsBlock(
            elements=[
                ButtonElement(text="Join", action_id="join", style="primary"),
                ButtonElement(text="Withdraw", action_id="withdraw", style="danger"),
            ]
        ).to_dict(),
    ]


# ---- mrkdwn -----------------------------------------------------------------------------------


def test_user_mentions_use_names_and_fall_back_to_the_label_or_id() -> None:
    text = mrkdwn_to_text("<@U1> <@U9> <@U8|dora>", names=NAMES)
    assert text == "@alice @U9 @dora"


def test_channels_use_names_then_label_then_id() -> None:
    text = mrkdwn_to_text("<#C1> <#C2|random> <#C3>", channel_names=CHANNELS)
    assert text == "#proposals #random #C3"


def test_special_mentions() -> None:
    text = mrkdwn_to_text("<!channel> <!here|here> <!everyone> <!subteam^S1|@devs>")
    assert text == "@channel @here @everyone @devs"


def test_links_show_label_and_url() -> None:
    text = mrkdwn_to_text("see <https://x.org/a?b=1&amp;c=2|the plan> or <https://y.org>")
    assert text == "see the plan (https://x.org/a?b=1&c=2) or https://y.org"


def test_mailto_link_shows_the_address_once() -> None:
    assert mrkdwn_to_text("<mailto:a@b.org|a@b.org>") == "a@b.org"


def test_entities_are_unescaped_once() -> None:
    # "&amp;lt;" is how Slack escapes a literal "&lt;": it must not become "<".
    assert mrkdwn_to_text("a &amp; b &lt;@U1&gt; &amp;lt;", names=NAMES) == "a & b <@U1> &lt;"


def test_bold_italic_and_strike_lose_their_marks() -> None:
    text = mrkdwn_to_text("*Team* _soon_ ~gone~ 2*3*4 * not bold * run_mlm_flax.py ~5 or ~6")
    assert text == "Team soon gone 2*3*4 * not bold * run_mlm_flax.py ~5 or ~6"


def test_italic_and_strike_are_ansi_styles_with_color() -> None:
    assert mrkdwn_to_text("_soon_ ~gone~", color=True) == "\x1b[3msoon\x1b[0m \x1b[9mgone\x1b[0m"
    # A style ending inside another leaves the other on.
    assert mrkdwn_to_text("*a _b* c_", color=True) == "\x1b[1ma \x1b[3mb\x1b[0m\x1b[3m c\x1b[0m"


def test_bold_around_a_link_whose_url_has_a_star_or_underscore() -> None:
    text = mrkdwn_to_text("*<https://x.org/a*b_c_d|the plan>* and _<https://y.org/e_f>_")
    assert text == "the plan (https://x.org/a*b_c_d) and https://y.org/e_f"


def test_marks_inside_code_are_left_alone() -> None:
    assert mrkdwn_to_text("`*args* and _x_` *yes*") == "`*args* and _x_` yes"


def test_bold_around_a_mention() -> None:
    assert mrkdwn_to_text("*<@U1>* joined", names=NAMES) == "@alice joined"


def test_bold_is_ansi_bold_with_color() -> None:
    assert mrkdwn_to_text("*Team* x", color=True) == "\x1b[1mTeam\x1b[0m x"


def test_common_emoji_become_unicode_and_others_stay_codes() -> None:
    text = mrkdwn_to_text(":tada: :white_check_mark: :hourglass_flowing_sand: :hourglass: :foo:")
    assert text == "🎉 ✅ ⏳ ⌛ :foo:"


def test_skin_tones_are_dropped() -> None:
    assert mrkdwn_to_text(":wave::skin-tone-2: :shrug::skin-tone-5:") == "👋 :shrug:"


def test_emoji_inside_a_url_and_times_are_left_alone() -> None:
    text = mrkdwn_to_text("at 10:30:45 <https://x.org/:tada:/>")
    assert text == "at 10:30:45 https://x.org/:tada:/"


# ---- blocks -----------------------------------------------------------------------------------


def test_header_is_a_title_line_underlined() -> None:
    blocks = [HeaderBlock(text=":tada: Results").to_dict()]
    # The underline is as wide as the title is on screen, and an emoji takes two columns.
    assert render_blocks(blocks) == "🎉 Results\n══════════"
    assert render_blocks(blocks, color=True) == "\x1b[1;4m🎉 Results\x1b[0m"


def test_section_mrkdwn_text() -> None:
    block = SectionBlock(text="*Hi* <@U1> in <#C1>").to_dict()
    assert render_blocks([block], names=NAMES, channel_names=CHANNELS) == "Hi @alice in #proposals"


def test_section_plain_text_is_shown_as_written() -> None:
    block = SectionBlock(text=PlainTextObject(text="*not bold* <@U1> a &amp; b :tada:")).to_dict()
    assert render_blocks([block], names=NAMES) == "*not bold* <@U1> a &amp; b 🎉"


def test_short_fields_are_laid_out_in_two_columns() -> None:
    block = SectionBlock(
        fields=[
            MarkdownTextObject(text="*Team*\n<@U1>"),
            MarkdownTextObject(text="*Language*\nHindi"),
            MarkdownTextObject(text="*Model*"),
        ]
    ).to_dict()
    lines = render_blocks([block], names=NAMES, width=40).split("\n")
    assert lines == [
        "Team".ljust(22) + "Language",
        "@alice".ljust(22) + "Hindi",
        "Model",
    ]


def test_long_fields_are_one_per_line() -> None:
    long = "word " * 12
    block = SectionBlock(
        fields=[MarkdownTextObject(text=long), MarkdownTextObject(text="*Short*")]
    ).to_dict()
    lines = render_blocks([block], width=40).split("\n")
    assert lines[-1] == "Short"
    assert all(len(line) <= 40 for line in lines)
    assert " ".join(lines[:-1]).split() == long.split()


def test_section_button_accessory_at_the_end() -> None:
    block = SectionBlock(text="A proposal", accessory=ButtonElement(text="Join", action_id="j"))
    assert render_blocks([block.to_dict()]) == "A proposal  [ Join ]"


def test_section_overflow_accessory() -> None:
    overflow = OverflowMenuElement(options=[option("edit", "Edit")], action_id="o")
    block = SectionBlock(text="A proposal", accessory=overflow).to_dict()
    assert render_blocks([block]) == "A proposal  [⋯]"


def test_accessory_goes_on_its_own_line_when_the_text_is_full() -> None:
    block = SectionBlock(text="x" * 30, accessory=ButtonElement(text="Join", action_id="j"))
    assert render_blocks([block.to_dict()], width=32) == "x" * 30 + "\n[ Join ]"


def test_divider_is_a_line_across_the_width() -> None:
    assert render_blocks([DividerBlock().to_dict()], width=20) == "─" * 20


def test_context_joins_elements_and_shows_image_alt_text() -> None:
    block = ContextBlock(
        elements=[
            MarkdownTextObject(text="by <@U1>"),
            ImageElement(image_url="https://x.org/a.png", alt_text="avatar"),
            PlainTextObject(text="3 members"),
        ]
    ).to_dict()
    assert render_blocks([block], names=NAMES) == "by @alice · avatar · 3 members"
    assert render_blocks([block], names=NAMES, color=True) == (
        "\x1b[2mby @alice · avatar · 3 members\x1b[0m"
    )


def test_actions_buttons_selects_and_overflow() -> None:
    block = ActionsBlock(
        elements=[
            ButtonElement(text="Join", action_id="a"),
            StaticSelectElement(
                placeholder="Move to…", options=[option("a", "Team A")], action_id="b"
            ),
            StaticSelectElement(
                options=[option("a", "Team A")], initial_option=option("a", "Team A"), action_id="c"
            ),
            OverflowMenuElement(options=[option("x", "X")], action_id="d"),
        ]
    ).to_dict()
    assert render_blocks([block]) == "[ Join ]  [ Move to… ▾ ]  [ Team A ▾ ]  [⋯]"


def test_action_button_styles_are_colored() -> None:
    block = ActionsBlock(
        elements=[
            ButtonElement(text="Join", action_id="a", style="primary"),
            ButtonElement(text="Delete", action_id="b", style="danger"),
            ButtonElement(text="Later", action_id="c"),
        ]
    ).to_dict()
    assert render_blocks([block], color=True) == (
        "\x1b[32m[ Join ]\x1b[0m  \x1b[31m[ Delete ]\x1b[0m  [ Later ]"
    )


def test_actions_wrap_between_buttons_never_inside_one() -> None:
    buttons = [ButtonElement(text=f"Button number {i}", action_id=str(i)) for i in range(4)]
    lines = render_blocks([ActionsBlock(elements=buttons).to_dict()], width=44).split("\n")
    assert lines == [
        "[ Button number 0 ]  [ Button number 1 ]",
        "[ Button number 2 ]  [ Button number 3 ]",
    ]


def test_input_block_in_a_message() -> None:
    block = InputBlock(
        label="Name",
        optional=True,
        hint="Short and specific",
        element=PlainTextInputElement(action_id="v", placeholder="e.g. Hindi GPT-2"),
    ).to_dict()
    assert render_blocks([block]) == "Name [optional]\n[ e.g. Hindi GPT-2 … ]\nShort and specific"


def test_checkboxes_and_radio_buttons_show_every_option_and_mark_the_chosen() -> None:
    options = [option(v, label) for v, label in LANGUAGES]
    blocks = [
        InputBlock(
            label="Spoken",
            element=CheckboxesElement(options=options, initial_options=[options[1]]),
        ).to_dict(),
        InputBlock(
            label="Main",
            element=RadioButtonsElement(options=options, initial_option=options[2]),
        ).to_dict(),
    ]
    assert render_blocks(blocks).split("\n") == [
        "Spoken",
        "[ ] English  [x] French  [ ] Hindi",
        "Main",
        "( ) English  ( ) French  (•) Hindi",
    ]


def test_image_block_shows_alt_text_in_brackets() -> None:
    block = ImageBlock(image_url="https://x.org/chart.png", alt_text="teams per language")
    assert render_blocks([block.to_dict()]) == "[teams per language]"


def test_rich_text_best_effort() -> None:
    text = RichTextElementParts.Text
    block = RichTextBlock(
        elements=[
            RichTextSectionElement(
                elements=[
                    text(text="Hi ", style={"bold": True}),
                    RichTextElementParts.User(user_id="U1"),
                    text(text=", see "),
                    RichTextElementParts.Link(url="https://x.org", text="this"),
                    text(text=" in "),
                    RichTextElementParts.Channel(channel_id="C1"),
                    text(text=" "),
                    RichTextElementParts.Emoji(name="tada"),
                ]
            ),
            RichTextListElement(
                style="ordered",
                elements=[
                    RichTextSectionElement(elements=[text(text="one")]),
                    RichTextSectionElement(elements=[text(text="two")]),
                ],
            ),
            RichTextListElement(
                style="bullet", elements=[RichTextSectionElement(elements=[text(text="dot")])]
            ),
            RichTextPreformattedElement(elements=[text(text="x = 1\n  y = 2")]),
            RichTextQuoteElement(elements=[text(text="quoted")]),
        ]
    ).to_dict()
    assert render_blocks([block], names=NAMES, channel_names=CHANNELS).split("\n") == [
        "Hi @alice, see this (https://x.org) in #proposals 🎉",
        "1. one",
        "2. two",
        "• dot",
        "    x = 1",
        "      y = 2",
        "> quoted",
    ]


def test_unknown_block_type_is_named() -> None:
    blocks = [{"type": "video", "alt_text": "demo"}, DividerBlock().to_dict()]
    assert render_blocks(blocks, width=3) == "[video block]\n───"


def test_slack_sdk_objects_are_accepted_as_they_are() -> None:
    assert render_blocks([HeaderBlock(text="Hi"), DividerBlock()], width=2) == "Hi\n══\n──"


# ---- wrapping and color -----------------------------------------------------------------------


def test_long_text_wraps_at_width_and_keeps_its_newlines() -> None:
    words = " ".join(f"word{i}" for i in range(40))
    block = SectionBlock(text=f"{words}\n\nsecond paragraph").to_dict()
    lines = render_blocks([block], width=30).split("\n")
    assert max(len(line) for line in lines) <= 30
    assert len(lines) > 5
    assert lines[-2:] == ["", "second paragraph"]
    assert " ".join(lines[:-2]).split() == words.split()


def test_long_urls_are_not_broken() -> None:
    url = "https://huggingface.co/datasets/" + "x" * 40
    assert render_blocks([SectionBlock(text=f"see <{url}>").to_dict()], width=30) == f"see\n{url}"


def test_wrapping_ignores_color_codes() -> None:
    text = " ".join(f"*w{i}*" for i in range(30))
    blocks = [SectionBlock(text=text).to_dict()]
    colored = render_blocks(blocks, width=24, color=True)
    assert "\x1b[1m" in colored
    assert plain(colored) == render_blocks(blocks, width=24)


def test_style_does_not_leak_across_a_wrapped_line() -> None:
    block = SectionBlock(text="*" + " ".join(["bold"] * 10) + "*").to_dict()
    for line in render_blocks([block], width=20, color=True).split("\n"):
        assert line.startswith("\x1b[1m") and line.endswith("\x1b[0m")


def test_no_ansi_codes_without_color_and_some_with_it() -> None:
    message = {"text": "x", "blocks": sample_message_blocks(), "user": "U1", "ts": "1717243200.0"}
    view = View(
        type="modal",
        title="Edit",
        submit="Save",
        blocks=[InputBlock(block_id="b", label="L", hint="h", element=PlainTextInputElement())],
    )
    outputs = [
        render_message(message, names=NAMES),
        render_view(view, errors={"b": "wrong"}),
        render_blocks(sample_message_blocks()),
        mrkdwn_to_text("*bold*"),
    ]
    assert not any("\x1b" in out for out in outputs)
    colored = [
        render_message(message, names=NAMES, color=True),
        render_view(view, errors={"b": "wrong"}, color=True),
        render_blocks(sample_message_blocks(), color=True),
        mrkdwn_to_text("*bold*", color=True),
    ]
    assert all("\x1b[" in out for out in colored)


# ---- views ------------------------------------------------------------------------------------


def proposal_form(**languages: Any) -> View:
    return View(
        type="modal",
        callback_id="proposal_submit",
        title="Propose a project",
        submit="Post proposal",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id="name",
                label="Project name",
                hint="Say the task, the model and the language.",
                element=PlainTextInputElement(action_id="v", placeholder="e.g. Hindi GPT-2"),
            ),
            InputBlock(
                block_id="model",
                label="Model",
                element=PlainTextInputElement(action_id="v", initial_value="t5-base"),
            ),
            InputBlock(
                block_id="languages",
                label="Languages",
                optional=True,
                element=StaticMultiSelectElement(
                    action_id="v",
                    placeholder="Choose languages",
                    options=[option(v, label) for v, label in LANGUAGES],
                    **languages,
                ),
            ),
        ],
    )


def row(text: str, inner: int = 46) -> str:
    return f"│ {text.ljust(inner)} │"


def test_modal_is_a_box_with_title_fields_and_buttons() -> None:
    out = render_view(proposal_form(), width=50)
    rule = "─" * 48
    assert out.split("\n") == [
        f"╭{rule}╮",
        row("Propose a project"),
        f"├{rule}┤",
        row("Project name"),
        row("[ e.g. Hindi GPT-2 … ]"),
        row("Say the task, the model and the language."),
        row(""),
        row("Model"),
        row("[ t5-base ]"),
        row(""),
        row("Languages [optional]"),
        row("[ Choose languages ▾ ]"),
        f"├{rule}┤",
        row("[ Post proposal ]  [ Cancel ]"),
        f"╰{rule}╯",
    ]


def test_multi_select_lists_only_the_selected_options() -> None:
    chosen = [option("en", "English"), option("hi", "Hindi")]
    out = render_view(proposal_form(initial_options=chosen))
    assert "│ [x] English  [x] Hindi " in out
    assert "French" not in out
    assert "Choose languages" not in out


def test_errors_are_shown_under_their_block_in_red() -> None:
    errors = {"model": "Name a model", "gone": "Not a block here"}
    lines = render_view(proposal_form(), errors=errors, width=60).split("\n")
    rows = [line.strip("│ ") for line in lines]
    assert rows[rows.index("[ t5-base ]") + 1] == "! Name a model"
    # An error for a block the view does not have is not lost: it is shown first.
    assert rows[3] == "! gone: Not a block here"
    colored = render_view(proposal_form(), errors=errors, color=True)
    assert "\x1b[31m  ! Name a model\x1b[0m" in colored


def test_hint_is_dim_and_label_bold_with_color() -> None:
    out = render_view(proposal_form(), color=True)
    assert "\x1b[2mSay the task, the model and the language.\x1b[0m" in out
    assert "\x1b[1mProject name\x1b[0m" in out
    assert "\x1b[32m[ Post proposal ]\x1b[0m" in out


def test_modal_without_submit_has_a_cancel_button() -> None:
    view = View(type="modal", title="Saved", blocks=[SectionBlock(text="Done :tada:")])
    out = render_view(view.to_dict(), width=30)
    assert "│ Done 🎉" in out
    assert "[ Cancel ]" in out and "Save" not in out.split("Saved", 1)[1]


def test_box_lines_all_have_the_same_width() -> None:
    view = View(type="home", blocks=[SectionBlock(text=":warning: Wide 🎉 emoji, 中文")])
    lines = render_view(view, width=40).split("\n")
    assert "│ Home" in lines[1]
    # Every row is 40 columns: the emoji and CJK count twice, so they get less padding.
    assert [len(line) for line in lines] == [40, 40, 40, 37, 40]


# ---- messages ---------------------------------------------------------------------------------


def test_message_renders_blocks_rather_than_the_fallback_text() -> None:
    message = {"text": "fallback text", "blocks": sample_message_blocks(), "ts": "1717243200.0"}
    out = render_message(message, names=NAMES, channel_names=CHANNELS, width=60)
    assert out.split("\n") == [
        "2024-06-01 12:00 UTC",
        "🌱 Hindi GPT-2",
        "══════════════",
        "Pretrain GPT-2 on Hindi, proposed by @alice",
        "Team".ljust(32) + "Language",
        "@alice, @bob".ljust(32) + "Hindi",
        "in #proposals",
        "[ Join ]  [ Withdraw ]",
    ]


def test_message_without_blocks_renders_its_text() -> None:
    message = {"text": "*Hi* <@U1> :wave:", "blocks": None, "user": "U2", "ts": "0"}
    out = render_message(message, names=NAMES)
    assert out == "bob  1970-01-01 00:00 UTC\nHi @alice 👋"


@pytest.mark.parametrize(
    "reactions",
    [
        {"raised_hand": ["U1", "U2", "U3"], "tada": ["U9"]},
        [
            {"name": "raised_hand", "users": ["U1", "U2", "U3"], "count": 3},
            {"name": "tada", "users": ["U9"], "count": 1},
        ],
    ],
)
def test_reactions_below_the_message(reactions: Any) -> None:
    out = render_message({"text": "Vote!", "reactions": reactions}, names=NAMES)
    assert out == "Vote!\n:raised_hand: 3 (alice, bob, carol)\n:tada: 1 (U9)"


def test_reaction_count_comes_from_the_api_and_skin_tones_are_dropped() -> None:
    # The API lists only some users of a popular reaction; "count" is the real total.
    reactions = [{"name": "+1::skin-tone-3", "users": ["U1"], "count": 12}]
    out = render_message({"text": "x", "reactions": reactions}, names=NAMES)
    assert out.split("\n")[-1] == ":+1: 12 (alice)"


def test_thread_reply_is_marked() -> None:
    message = {"text": "x", "user": "U1", "ts": "100.0", "thread_ts": "50.0"}
    assert render_message(message, names=NAMES).split("\n")[0].endswith("· reply in thread")


def test_a_markdown_block_and_a_slack_date_read_in_the_terminal() -> None:
    blocks = [
        {"type": "markdown", "text": "# Hi\n- **Compute**: [ask](https://a.org)"},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "Closes <!date^1700000000^{time}|Tue 14 Nov>."},
        },
    ]
    out = render_blocks(blocks, width=60)
    assert "Hi" in out and "• Compute: ask (https://a.org)" in out
    assert "Closes Tue 14 Nov." in out and "<!date" not in out
