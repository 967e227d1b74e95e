"""The organizers' dashboard, read from the database in a few queries that do not scan the
week twice: who is in how many teams (members, not the waitlist), the projects by standing,
language and task, the ones nobody joined. The proposals channel's members come from the
cached copy (store/people.py)."""

from __future__ import annotations

import time

from slackbot.domain.dashboard import DashboardFacts
from slackbot.store.db import Store

_LIVE = (
    "SELECT id, proposer_id, COALESCE(wishers, 0) AS wishers, COALESCE(max_team_size, ?) AS mx "
    "FROM proposals WHERE standing IS NOT NULL"
)


class DashboardQueries:
    def __init__(self, store: Store) -> None:
        self.store = store

    def facts(
        self, *, default_max: int, stale_after: float, not_participants: set[str]
    ) -> DashboardFacts:
        conn = self.store.conn
        teams_of = {
            str(user): int(n)
            for user, n in conn.execute(
                # Teams without a waitlist (nearly all): every wisher is a member; only the
                # over-subscribed ones are ranked to tell members from the waitlist.
                f"WITH live AS ({_LIVE}), members AS ("
                "SELECT w.user_id FROM wishes w JOIN live l ON l.id = w.proposal_id "
                "WHERE l.wishers <= l.mx - 1 "
                "UNION ALL SELECT user_id FROM (SELECT w.user_id, l.mx, ROW_NUMBER() OVER "
                "(PARTITION BY w.proposal_id ORDER BY w.since, w.user_id) AS n FROM wishes w "
                "JOIN live l ON l.id = w.proposal_id WHERE l.wishers > l.mx - 1) "
                "WHERE n <= mx - 1 "
                "UNION ALL SELECT proposer_id FROM live) "
                "SELECT user_id, COUNT(*) FROM members GROUP BY user_id",
                (default_max,),
            )
        }
        proposers = int(
            conn.execute(
                "SELECT COUNT(DISTINCT proposer_id) FROM proposals WHERE standing IS NOT NULL"
            ).fetchone()[0]
        )
        standings = {
            str(key): int(n)
            for key, n in conn.execute(
                "SELECT key, n FROM standing_counts WHERE key != 'joinable' AND n > 0"
            )
        }
        oversubscribed = [
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM proposals WHERE standing IS NOT NULL AND "
                "wishers > COALESCE(max_team_size, ?) - 1 ORDER BY wishers DESC, id",
                (default_max,),
            )
        ]
        unjoined = [
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM proposals WHERE standing = 'looking' AND COALESCE(wishers, 0) = 0 "
                "AND posted_at < ? ORDER BY posted_at, id",
                (time.time() - stale_after,),
            )
        ]
        languages = [
            (str(v), int(n))
            for v, n in conn.execute(
                "SELECT j.value, COUNT(*) FROM proposals p, json_each(p.languages) j "
                "WHERE p.standing IS NOT NULL GROUP BY j.value ORDER BY COUNT(*) DESC, j.value"
            )
        ]
        tasks = [
            (str(v), int(n))
            for v, n in conn.execute(
                "SELECT j.value, COUNT(*) FROM proposals p, json_each(p.idea, '$.tasks') j "
                "WHERE p.standing IS NOT NULL AND p.idea IS NOT NULL GROUP BY j.value "
                "ORDER BY COUNT(*) DESC, j.value"
            )
        ]
        members = [
            str(r[0]) for r in conn.execute("SELECT user_id FROM channel_members ORDER BY user_id")
        ]
        participants = [u for u in members if u not in not_participants]
        return DashboardFacts(
            participants=participants,
            channel_read=bool(members),
            teams_of=teams_of,
            proposers=proposers,
            standings=standings,
            oversubscribed=oversubscribed,
            unjoined=unjoined,
            languages=languages,
            tasks=tasks,
        )
