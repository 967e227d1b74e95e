"""Times as Slack shows them: `<!date^…>` tokens, which every reader's client renders in their
own time zone, with a UTC fallback for clients that cannot (and for notifications). Every time
the bot shows a person goes through here; the export keeps ISO times in UTC."""

from __future__ import annotations

from datetime import datetime, timezone

# Slack's tokens: {date_short_pretty} says "today"/"yesterday" where it can; {time} follows
# the reader's 12/24-hour preference.
WHEN = "{date_short_pretty} at {time}"
DAY = "{date_long_pretty}"


def slack_date(when: datetime | float, token: str = WHEN) -> str:
    """`<!date^1626652800^{date_short_pretty} at {time}|Mon 19 Jul 2021 00:00 UTC>`."""
    moment = (
        datetime.fromtimestamp(when, tz=timezone.utc)
        if isinstance(when, (int, float))
        else when.astimezone(timezone.utc)
    )
    fallback = moment.strftime("%a %d %b %Y %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{token}|{fallback}>"
