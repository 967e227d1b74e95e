"""The terminal demo fits the terminal it is written to: no line wider than the width, boxes with
straight borders (wide characters counted as the terminal draws them), words cut only when wider
than a whole line, and Slack's mrkdwn marks never shown as literal characters."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, SectionBlock
from slack_sdk.models.views import View

from slackbot.demo import Demo
from slackbot.demo_interactive import help_text
from slackbot.terminal import render_view, terminal_width
from slackbot.text_layout import display_width, fit, wrap

WIDTHS = [72, 80]
# Slack's *bold* (or _italic_ or ~strike~) as it would be left in text: a mark at a word's
# start, a closing mark at a word's end.
MRKDWN_STYLE = re.compile(r"(?<![\w*_~])([*_~])[^\s*_~][^\n]*?(?<=\S)\1(?![\w*_~])")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


Played = tuple[int, Path, str]  # the width, the work directory, what the terminal shows


def play(width: int | None, workdir: Path) -> str:
    out = io.StringIO()
    result = Demo(out, color=False, workdir=workdir, width=width).play()
    assert result["violations"] == []
    return out.getvalue()


@pytest.fixture(scope="module", params=WIDTHS)
def scripted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Played:
    workdir = tmp_path_factory.mktemp(f"demo{request.param}")
    return request.param, workdir, play(request.param, workdir)


@pytest.fixture(scope="module")
def golden_width(tmp_path_factory: pytest.TempPathFactory) -> Played:
    """The demo as the golden file has it: not a terminal, so 88 columns."""
    workdir = tmp_path_factory.mktemp("demo88")
    return 88, workdir, play(None, workdir)


def checked_lines(text: str) -> Iterator[str]:
    """The demo's lines, but for what is shown verbatim: the organizers' CSV export and the
    command that exports it (wrapping either would break it)."""
    verbatim = False
    for line in text.splitlines():
        if line.startswith("The organizers' export"):
            verbatim = True
        elif line.startswith("Try: DATABASE_PATH="):
            verbatim = False
            continue
        if not verbatim:
            yield line


def boxes(text: str) -> list[list[str]]:
    found: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("╭"):
            current = []
        if current is not None:
            current.append(line)
        if line.startswith("╰") and current is not None:
            found.append(current)
            current = None
    return found


# ---- the scripted demo ------------------------------------------------------------------------


def test_no_line_of_the_scripted_demo_is_wider_than_the_terminal(scripted: Played) -> None:
    width, workdir, text = scripted
    # A path is never cut (it would no longer be copied whole): the database's may be wider.
    too_wide = [
        line
        for line in checked_lines(text)
        if display_width(line) > width and line != f"{workdir}/community_week.db"
    ]
    assert too_wide == []
    assert "The database is at" in text  # the verbatim part is still there
    assert "ID,Project,Description" in text


def test_every_box_of_the_scripted_demo_has_straight_borders(scripted: Played) -> None:
    width, _, text = scripted
    found = boxes(text)
    assert len(found) >= 3  # the modals of the first and fourth steps
    for box in found:
        # Every row as wide as the terminal allows, the right border in the same column.
        assert {display_width(line) for line in box} == {width}, "\n".join(box)
        for line in box[1:-1]:
            assert line[0] in "│├" and line[-1] in "│┤", line


def test_the_scripted_demo_cuts_no_word(scripted: Played, golden_width: Played) -> None:
    """Every word shown is a word the golden width shows too: narrower, the lines break at
    spaces (a word is cut only when wider than a whole line, and the demo has none)."""

    def words(played: Played) -> set[str]:
        _, workdir, text = played
        prose = "\n".join(checked_lines(text.replace(str(workdir), "<tmp>")))
        prose = re.sub(r"\d", "0", prose)  # times, ports
        return set(re.sub(r"[│╭╮╰╯├┤─═]+", " ", prose).split())

    assert words(scripted) - words(golden_width) == set()


def test_the_scripted_demo_shows_no_mrkdwn_marks(scripted: Played) -> None:
    _, _, text = scripted
    prose = "\n".join(checked_lines(text))
    assert MRKDWN_STYLE.findall(prose) == []
    assert "· edited" in prose  # "_edited_", in italic in Slack


def test_the_golden_width_is_kept_when_the_output_is_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    assert Demo(io.StringIO(), color=False, workdir=tmp_path).width == 88
    assert terminal_width(io.StringIO()) == 88


@pytest.mark.parametrize(("columns", "width"), [(60, 72), (72, 72), (80, 80), (95, 95), (200, 100)])
def test_on_a_terminal_the_width_is_its_columns_within_bounds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, columns: int, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    assert terminal_width(_Terminal()) == width
    assert Demo(_Terminal(), workdir=tmp_path).width == width


# ---- the interactive demo ---------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_interactive_help_fits_with_a_hanging_indent(tmp_path: Path, width: int) -> None:
    typed = iter(["help", "quit"])
    out = io.StringIO()
    Demo(out, color=False, workdir=tmp_path, width=width).interactive(read=lambda _: next(typed))
    text = out.getvalue()
    start = text.index("commands:", text.index("commands:") + 1)  # the one typed
    end = text.index("\n", text.index("are the judges)", start))
    shown = text[start:end].splitlines()
    assert len(shown) > 17
    assert [line for line in shown if display_width(line) > width] == []
    # Only the headings start at the left edge: a wrapped description, usage or list hangs.
    assert [line.split(":")[0] for line in shown if not line.startswith("  ")] == [
        "commands",
        "people",
    ]
    assert "[--language L[,L]]" in text  # an option is never cut


@pytest.mark.parametrize("width", [72, 80, 100])
def test_help_text_aligns_descriptions_in_a_column(width: int) -> None:
    lines = help_text(["asha", "suzana"], "suzana", width=width).splitlines()
    column = next(line for line in lines if line.startswith("  react ")).index("react with")
    for line in lines[1:-1]:
        if line.strip().startswith(("propose ", "[", "--")):
            continue  # propose's usage, too long for the column, has lines of its own
        # A usage, then its description from the column on; or a description continued.
        assert line[column - 2 : column] == "  " and line[column] != " ", line


PROPOSE_CLIP = (
    "propose asha CLIP for Spanish image search --model clip --description 'Search' "
    "--datasets 'Captioned images' --scripts run_clip_flax.py"
)


def test_a_note_to_one_person_shows_its_bold_as_the_terminal_does(tmp_path: Path) -> None:
    """The bot answers "You left *CLIP for Spanish image search*." in mrkdwn."""
    typed = iter(
        [
            PROPOSE_CLIP,
            "join meera 1",
            "leave meera 1",
            "quit",
        ]
    )
    out = io.StringIO()
    Demo(out, color=False, workdir=tmp_path, width=72).interactive(read=lambda _: next(typed))
    text = out.getvalue()
    assert "You left CLIP for Spanish image search." in " ".join(text.split())
    assert "*CLIP" not in text and "search*" not in text

    typed = iter([PROPOSE_CLIP, "join meera 1", "leave meera 1"])
    out = io.StringIO()
    (tmp_path / "color").mkdir()
    demo = Demo(out, color=True, workdir=tmp_path / "color", width=72)
    demo.interactive(read=lambda _: next(typed, "quit"))
    assert "You left \x1b[1mCLIP for Spanish image search\x1b[0m." in out.getvalue()


# ---- the layout itself ------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_a_modal_of_wide_characters_keeps_its_border(width: int) -> None:
    # Counted in characters, each line of emoji would fit; in columns, they are twice as wide.
    view = View(
        type="modal",
        title="✋ Joined",
        blocks=[
            SectionBlock(text="✋ " * 40 + "中文 " * 20),
            SectionBlock(text="see <https://huggingface.co/" + "x" * 90 + ">"),
            ActionsBlock(elements=[ButtonElement(text="y" * 75, action_id="long")]),
        ],
    )
    lines = render_view(view, width=width).splitlines()
    assert {display_width(line) for line in lines} == {width}, "\n".join(lines)


def test_words_are_cut_only_when_wider_than_a_line() -> None:
    text = "a " + "b" * 25 + " cc dd"
    assert wrap(text, 10) == ["a", "b" * 10, "b" * 10, "bbbbb cc", "dd"]
    assert wrap("GPT-2 models: fine-tuning", 12) == ["GPT-2", "models:", "fine-tuning"]
    # Counted in columns: "✋" takes two.
    assert wrap("✋ ✋ ✋ ✋", 7) == ["✋ ✋", "✋ ✋"]
    # A URL stays whole when asked (the terminal folds it; it stays clickable).
    url = "https://huggingface.co/" + "x" * 20
    assert wrap(f"see {url}", 20, whole_urls=True) == ["see", url]


def test_fit_leaves_lines_that_fit_and_hangs_the_rest() -> None:
    box = "│ padded   │"
    assert fit(box, 12) == box
    assert fit("+ one two three four", 10).splitlines() == ["+ one two", "  three", "  four"]
    assert fit("  field: one two three", 16).splitlines() == ["  field: one", "    two three"]
    assert fit("! a mistake said in one line", 14).splitlines()[0].startswith("! ")
    assert all(not line.startswith("!") for line in fit("! a b c d e f g h", 6).splitlines()[1:])
