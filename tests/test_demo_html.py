"""`slackbot demo --html FILE`: the week as a page that looks like Slack, checked in a real
browser (Debian's headless Chromium): the posts, a modal and the Home tab are on the page, its
script ran, the console has no error, its emoji are drawn in color, and an #anchor in the
address opens its view. Without a browser: Slack's styles around links, each message's time,
and the anchors and table of contents."""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from slackbot.demo import EVERYONE, Demo
from slackbot.demo_html import CSS, HtmlPage, page

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium: .ci/run installs Debian's chromium package")
        pytest.skip("no Chromium here (`apt-get install chromium`; CI installs it)")
    return found


def dump_dom(url: str, profile: Path) -> subprocess.CompletedProcess[str]:
    """The page's DOM after its scripts ran, in headless Chromium with a fresh profile."""
    shown = subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr[-2000:]
    return shown


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The scripted week's page, written once for this module's tests, and the demo's result."""
    workdir = tmp_path_factory.mktemp("week")
    path = workdir / "week.html"
    result = Demo(io.StringIO(), color=False, workdir=workdir).play(html=path)
    return path, result


def test_the_week_as_a_web_page_renders_in_a_browser(
    week: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    page_path, result = week
    assert result["violations"] == []
    shown = dump_dom(page_path.as_uri(), tmp_path / "profile")
    dom = shown.stdout
    assert 'data-ready="yes"' in dom  # the page's script ran to its end
    for seen in (
        "PreTrain RoBERTa from scratch in Hindi",  # the posts
        "PreTrain RoBERTa from scratch in Italian (team 2)",
        "is officially created!",  # a thread reply
        "Before you post",  # a modal
        "How this week works",  # a Home tab
        "the week at a glance",  # the organizers' dashboard
        "You joined",  # a DM
        "submitted its demo!",  # the end of the week: the announcement in the thread
        "Demos to judge",  # a judge's Home tab
        "Score a demo",  # the judge's form
        "The winners of the community week!",
    ):
        assert seen in dom, seen
    assert "<script>" not in dom.split("</nav>")[0]  # user text never became markup
    console = [line for line in shown.stderr.splitlines() if "CONSOLE" in line]
    errors = [line for line in console if re.search(r"error|uncaught", line, re.IGNORECASE)]
    assert errors == []


# --- Slack's styles around links -------------------------------------------------------------

NAMES = {"U1": "asha", "UBOT": "community-week"}
CHANNELS = {"C1": "flax-jax-community-week"}
LINK = '<a href="https://x.test/p1" target="_blank" rel="noopener">PreTrain</a>'


@pytest.mark.parametrize(
    ("mrkdwn", "shown"),
    [
        ("*<https://x.test/p1|PreTrain>* is full", f"<b>{LINK}</b> is full"),
        ("• *<https://x.test/p1|PreTrain>* — Hindi", f"• <b>{LINK}</b> — Hindi"),
        ("_<https://x.test/p1|PreTrain>_", f"<i>{LINK}</i>"),
        ("~<https://x.test/p1|PreTrain>~", f"<s>{LINK}</s>"),
        ("*Join <https://x.test/p1|PreTrain> now*", f"<b>Join {LINK} now</b>"),
        ("*<@U1>* joined", '<b><span class="mention">@asha</span></b> joined'),
        ("_see <#C1>_", '<i>see <span class="mention">#flax-jax-community-week</span></i>'),
        ("*bold*, _italic_ and ~struck~", "<b>bold</b>, <i>italic</i> and <s>struck</s>"),
        ("_*both*_ and *_both_*", "<i><b>both</b></i> and <b><i>both</i></b>"),
        ("(*bold*)", "(<b>bold</b>)"),
        ("*two*\n*lines*", "<b>two</b><br><b>lines</b>"),
        # Where Slack shows the marks as they are:
        ("2*3*4 and a*b", "2*3*4 and a*b"),
        ("run_mlm_flax.py", "run_mlm_flax.py"),
        ("* not bold *", "* not bold *"),
        ("*across\nlines*", "*across<br>lines*"),
        ("`*code* :tada:` *bold*", "<code>*code* :tada:</code> <b>bold</b>"),
        ("&lt;b&gt; *&amp;*", "&lt;b&gt; <b>&amp;</b>"),
        # Our private-use marks in the text are dropped, not taken for the links' stand-ins:
        ("\ue0000\ue001<https://x.test/p1|\ue0000\ue001PreTrain>", "0" + LINK.replace(">P", ">0P")),
    ],
)
def test_bold_italic_and_strike_as_slack_shows_them_also_around_links(
    mrkdwn: str, shown: str
) -> None:
    assert HtmlPage(NAMES, CHANNELS).mrkdwn(mrkdwn) == shown


def test_the_page_has_no_literal_asterisk_beside_a_linked_name(
    week: tuple[Path, dict[str, Any]],
) -> None:
    text = week[0].read_text(encoding="utf-8")
    beside = re.findall(r".{0,40}(?:[*_~]\s*<a\b|</a>\s*[*_~]).{0,40}", text)
    assert beside == []
    # The bot's lists bold each project's linked name: bold around the link, in every one.
    bold_links = re.findall(r"<b><a [^>]*>(PreTrain RoBERTa[^<]*)</a></b>", text)
    assert len(bold_links) >= 5
    assert not re.search(r"[*_~](?:<[^>]+>)*PreTrain", text)


# --- times -----------------------------------------------------------------------------------


def test_a_message_shows_its_time_in_utc() -> None:
    ts = "1700000000.000100"  # 2023-11-14 22:13:20 UTC
    shown = HtmlPage(NAMES, CHANNELS).message({"user": "U1", "ts": ts, "text": "hi"})
    assert (
        '<span class="who">asha</span><time class="when" datetime="2023-11-14T22:13:20Z" '
        'title="2023-11-14 22:13 UTC">22:13 UTC</time>'
    ) in shown
    # A message built by hand without a ts shows no time, and no error.
    assert "<time" not in HtmlPage(NAMES, CHANNELS).message({"user": "U1", "text": "hi"})


def test_every_message_on_the_page_shows_its_time(week: tuple[Path, dict[str, Any]]) -> None:
    text = week[0].read_text(encoding="utf-8")
    messages = text.count('<div class="msg">')
    times = re.findall(
        r'<span class="who">[^<]*</span><time class="when" datetime="([^"]+)" '
        r'title="([^"]+)">([^<]+)</time>',
        text,
    )
    assert messages > 20
    assert len(times) == messages  # every message, in the channel, its threads and the DMs
    for iso, title, hhmm in times:
        moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        assert re.fullmatch(r"\d\d:\d\d UTC", hhmm)
        assert hhmm == moment.strftime("%H:%M UTC")
        assert title == moment.strftime("%Y-%m-%d %H:%M UTC")


def test_the_page_links_a_checkpoint_and_marks_its_flax_weights(
    week: tuple[Path, dict[str, Any]],
) -> None:
    """The demo's Hub stand-in answered: the model is linked to the Hub, with its ✓."""
    text = week[0].read_text(encoding="utf-8")
    assert (
        '<a href="https://huggingface.co/roberta-base" target="_blank" rel="noopener">'
        "roberta-base</a> ✓ Flax weights"
    ) in text
    assert "no model <code>roberta-bse</code> on the Hub — a typo?" in text


# --- anchors and the table of contents --------------------------------------------------------


class _Anchors(HTMLParser):
    """Every id on the page, the sidebar's links, and the panes' ids."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.panes: list[str] = []
        self.in_nav = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "nav":
            self.in_nav = True
        if tag == "a" and self.in_nav:
            self.links.append(str(found.get("href")))
        if tag == "section" and "pane" in str(found.get("class")).split():
            self.panes.append(str(found.get("id")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.in_nav = False


def test_each_view_has_a_unique_anchor_and_the_contents_link_to_each(
    week: tuple[Path, dict[str, Any]],
) -> None:
    text = week[0].read_text(encoding="utf-8")
    parsed = _Anchors()
    parsed.feed(text)
    assert len(parsed.ids) == len(set(parsed.ids)), sorted(parsed.ids)
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in parsed.ids), parsed.ids
    # The table of contents: every link is to an anchor on the page, and every pane is listed.
    assert parsed.links and all(link.startswith("#") for link in parsed.links), parsed.links
    targets = [link[1:] for link in parsed.links]
    assert [t for t in targets if t not in parsed.ids] == []
    assert len(targets) == len(set(targets))
    assert set(parsed.panes) <= set(targets)
    for view in (
        "channel",
        "modals",
        "home-suzana",
        "home-luca",
        "home-patrick",
        "dm-asha",
        "dm-suzana",
    ):
        assert view in parsed.panes, view
    modals = [t for t in targets if t.startswith("modal-")]
    assert len(modals) == text.count('<div class="modal">') >= 2
    # Every message on the page is in one view with an anchor.
    sections = re.findall(r"<section (.*?)</section>", text, re.DOTALL)
    assert all(s.startswith('id="') for s in sections)
    assert text.count('<div class="msg">') == sum(s.count('<div class="msg">') for s in sections)
    # Any person's DMs and Home tab are named after them.
    people = set(EVERYONE.values())
    assert {t.split("-", 1)[1] for t in targets if t.startswith(("dm-", "home-"))} <= people


def test_views_whose_names_read_alike_get_anchors_of_their_own() -> None:
    home = {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]}
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Hello"}, "blocks": []}
    dm = [{"user": "UBOT", "ts": "1700000000.000100", "text": "hi"}]
    shown = page(
        title="t",
        channel=("week", []),
        dms={"Ana": dm, "ana": dm, "a.na": dm},
        modals=[("ana", modal), ("ana", modal)],
        homes={"Ana": home, "ana": home},
        names=NAMES,
        channel_names=CHANNELS,
    )
    parsed = _Anchors()
    parsed.feed(shown)
    assert parsed.ids == [
        "channel",
        "dm-ana",
        "dm-ana-2",
        "dm-a-na",
        "modals",
        "modal-1-ana",
        "modal-2-ana",
        "home-ana",
        "home-ana-2",
    ]
    assert [link[1:] for link in parsed.links] == parsed.ids


@pytest.mark.parametrize(
    ("anchor", "pane"),
    [("home-suzana", "home-suzana"), ("dm-asha", "dm-asha"), ("modal-2-ravi", "modals")],
)
def test_an_anchor_in_the_address_opens_its_view(
    week: tuple[Path, dict[str, Any]], tmp_path: Path, anchor: str, pane: str
) -> None:
    shown = dump_dom(f"{week[0].as_uri()}#{anchor}", tmp_path / "profile").stdout
    assert 'data-ready="yes"' in shown
    opened = re.findall(r'<section id="([^"]+)" class="pane on"', shown)
    assert opened == [pane]
    lit = [
        re.search(r'href="#([^"]+)"', link).group(1)  # type: ignore[union-attr]
        for link in re.findall(r"<a [^>]*>", shown)
        if re.search(r'class="[^"]*\bon\b', link)
    ]
    assert lit[-1] == anchor  # the sidebar shows where the reader is


# --- emoji -----------------------------------------------------------------------------------

# Appended to a copy of the page: draws each emoji on the page on a canvas in the font the page
# gives its element, and counts the pixels that are in color. A missing glyph (an empty box, or
# nothing) is drawn in the text's black, never in color: the same count for a code point that no
# font has is the control. Also each shown emoji's width, in ems of its element's font.
EMOJI_PROBE = r"""
(function () {
  var emoji = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/gu;
  var canvas = document.createElement('canvas');
  canvas.width = 96;
  canvas.height = 96;
  var ctx = canvas.getContext('2d', {willReadFrequently: true});
  function draw(text, family) {
    ctx.clearRect(0, 0, 96, 96);
    ctx.font = '64px ' + family;
    ctx.fillStyle = '#000';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, 8, 48);
    var data = ctx.getImageData(0, 0, 96, 96).data, ink = 0, color = 0;
    for (var i = 0; i < data.length; i += 4) {
      if (data[i + 3] < 128) continue;
      ink++;
      var hi = Math.max(data[i], data[i + 1], data[i + 2]);
      var lo = Math.min(data[i], data[i + 1], data[i + 2]);
      if (hi - lo > 60) color++;
    }
    return {ink: ink, color: color};
  }
  var drawn = {}, widths = [];
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    var node = walker.currentNode, match;
    if (node.parentElement.closest('script, style')) continue;
    var style = getComputedStyle(node.parentElement);
    emoji.lastIndex = 0;
    while ((match = emoji.exec(node.data))) {
      var range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      var width = range.getBoundingClientRect().width;
      if (width > 0) widths.push([match[0], width / parseFloat(style.fontSize)]);
      if (!drawn[match[0]]) drawn[match[0]] = draw(match[0], style.fontFamily);
    }
  }
  var family = getComputedStyle(document.body).fontFamily;
  var out = document.createElement('pre');
  out.id = 'emoji-probe';
  out.textContent = JSON.stringify({
    drawn: drawn, widths: widths, family: family,
    missing: draw('\u{10FFFD}', family), letter: draw('A', family),
  });
  document.body.appendChild(out);
})();
"""


def test_the_page_asks_for_a_color_emoji_font() -> None:
    families = [f for f in re.findall(r"font(?:-family)?:([^;}]*)", CSS) if f != "inherit"]
    assert families and all('"Noto Color Emoji"' in f for f in families), families


def test_emoji_are_drawn_in_color_in_the_browser(
    week: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    chromium()
    fonts = shutil.which("fc-list")
    if fonts and not os.environ.get("CI"):
        listed = subprocess.run([fonts, ":", "family"], capture_output=True, text=True).stdout
        if "color emoji" not in listed.lower():
            pytest.skip("no color emoji font (`apt-get install fonts-noto-color-emoji`)")
    probe = tmp_path / "probe.html"
    text = week[0].read_text(encoding="utf-8")
    probe.write_text(text.replace("</body>", f"<script>{EMOJI_PROBE}</script></body>"))
    dom = dump_dom(probe.as_uri(), tmp_path / "profile").stdout
    found = re.search(r'<pre id="emoji-probe">(.*?)</pre>', dom, re.DOTALL)
    assert found, dom[-2000:]
    result = json.loads(html.unescape(found.group(1)))
    # The control: what has no glyph, and a letter, have ink but no color.
    assert result["missing"]["color"] == 0 and result["letter"]["color"] == 0, result
    assert result["letter"]["ink"] > 100, result  # the canvas did draw
    drawn = result["drawn"]
    assert len(drawn) >= 5, drawn  # the bot's messages use emoji: ✋ 🔔 🎉 …
    gray = {e: d for e, d in drawn.items() if d["color"] < 100}
    assert gray == {}, f"drawn without color (an empty box?): {gray}; font: {result['family']}"
    # The emoji on show take an emoji's room: an empty box is narrower than an em.
    assert result["widths"], result
    narrow = [(e, round(w, 2)) for e, w in result["widths"] if w < 0.8]
    assert narrow == []


def test_a_slack_date_and_a_markdown_block_read_on_the_page() -> None:
    page_ = HtmlPage(NAMES, CHANNELS)
    shown = page_.mrkdwn("Closes <!date^1700000000^{date_short_pretty} at {time}|Tue 14 Nov>.")
    assert shown == 'Closes <time class="when" data-ts="1700000000">Tue 14 Nov</time>.'
    block = page_.block({"type": "markdown", "text": "# Hi\n**Compute**: [ask](https://a.org)"})
    assert "<b>Hi</b>" in block and "<b>Compute</b>" in block and 'href="https://a.org"' in block
