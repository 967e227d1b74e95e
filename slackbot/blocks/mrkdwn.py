"""User text in Slack's mrkdwn, safe by construction.

mrkdwn reads ``<…>`` as markup: ``<!channel>`` pings everyone, ``<@U…>`` mentions, ``<#C…>``
links a channel, ``<url|label>`` links. Every piece of user text, and every link, mention and
channel reference the bot writes, goes through this module:

- `escape` turns ``&``, ``<`` and ``>`` into entities, so typed markup stays text;
- `link` accepts only an http(s) URL, percent-encodes whatever could end the link or start new
  markup (``<``, ``>``, ``|``, spaces, quotes, control characters), and escapes the label;
- `mention` and `channel` write a reference only for something shaped like a Slack ID.

Nothing else in the bot writes ``<`` into a message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote, urlsplit, urlunsplit

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
# Characters a URL may keep as they are: RFC 3986's unreserved and reserved ones, minus the
# ones that mean something to mrkdwn or to a reader ("<>|" end a link; quotes and "`" too).
_URL_SAFE = "-._~:/?#[]@!$&'()*+,;=%"


def escape(text: str) -> str:
    """User text as mrkdwn that shows exactly what was typed: no markup survives."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str | None) -> str | None:
    """`url` made safe inside ``<…|…>``, or None if it is not an http(s) URL with a host."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme.lower() not in ("http", "https") or not host or "." not in host:
        return None
    if parts.username is not None or parts.password is not None:
        return None  # "https://trusted.org@evil.example" reads as one host and is another
    netloc = quote(parts.netloc, safe=_URL_SAFE)
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )


def label_text(label: str) -> str:
    # "|" would be read as the start of the label inside a label.
    return escape(label).replace("|", "¦")


def link(url: str | None, label: str) -> str:
    """A link to `url` reading `label`; just the label when `url` is not a safe http(s) URL."""
    safe = safe_url(url)
    if safe is None:
        return escape(label)
    return f"<{safe}|{label_text(label or safe)}>"


def url_text(url: str) -> str:
    """A URL the person typed, linked to itself (shown without its scheme), or as text."""
    safe = safe_url(url)
    if safe is None:
        return escape(url)
    shown = re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/")
    return f"<{safe}|{label_text(shown or safe)}>"


def mention(user_id: str) -> str:
    return f"<@{user_id}>" if _USER_ID.match(user_id) else escape(user_id)


def mentions(user_ids: Sequence[str]) -> str:
    return ", ".join(mention(u) for u in user_ids) or "nobody yet"


def channel(channel_id: str) -> str:
    return f"<#{channel_id}>" if _CHANNEL_ID.match(channel_id) else escape(channel_id)
