"""The database schema, as numbered migrations. Each one reads and writes rows itself (never the
application's models or rules, which change after the migration is written); `Store.migrate`
runs the ones a database has not had yet.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from slackbot.domain.template import SECTIONS


def _v1(db: sqlite_utils.Database) -> None:
    columns: dict[str, type] = {
        "id": int,
        "submission_key": str,
        "proposer_id": str,
        "status": str,
    }
    columns.update({s.id: str for s in SECTIONS})
    columns.update(
        {
            "language_other": str,
            "min_team_size": int,
            "max_team_size": int,
            "channel": str,
            "ts": str,
            "permalink": str,
            "post_attempts": int,
            "last_post_error": str,
            "post_claim_until": float,
            "post_started_at": float,
            "created_at": float,
            "updated_at": float,
            "edited_at": float,
            "posted_at": float,
        }
    )
    db.table("proposals").create(columns, pk="id", not_null={"proposer_id", "status", "name"})
    db.table("proposals").create_index(["submission_key"], unique=True)
    db.table("proposals").create_index(["channel", "ts"], unique=True)
    db.table("proposals").create_index(["status"])
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("events_seen").create({"event_id": str, "seen_at": float}, pk="event_id")


def _v2(db: sqlite_utils.Database) -> None:
    """Teams: join signals, leaves, official teams, organizer alerts."""
    db.table("join_signals").create(
        {"proposal_id": int, "user_id": str, "source": str, "present": int, "at": float},
        pk=("proposal_id", "user_id", "source"),
        foreign_keys=[("proposal_id", "proposals", "id")],
    )
    db.table("leaves").create(
        {"proposal_id": int, "user_id": str, "left_at": float},
        pk=("proposal_id", "user_id"),
    )
    db.table("teams").create(
        {
            "proposal_id": int,
            "name": str,
            "members": str,
            "made_by": str,
            "made_at": float,
            "channel_id": str,
            "channel_name": str,
            "thread_ts": str,
        },
        pk="proposal_id",
        foreign_keys=[("proposal_id", "proposals", "id")],
    )
    db.table("alerts").create(
        {
            "proposal_id": int,
            "kind": str,
            "state": str,
            "claimed_at": float,
            "sent_at": float,
            "handled_by": str,
            "handled_at": float,
            "outcome": str,
        },
        pk=("proposal_id", "kind"),
    )
    db.table("alert_messages").create(
        {"proposal_id": int, "kind": str, "channel": str, "ts": str, "recipient": str},
        pk=("channel", "ts"),
    )
    db.table("proposals").add_column("reconciled_at", float)
    db.table("proposals").add_column("last_roster_hash", str)


SEARCH_COLUMNS = ["name", "description", "languages", "language_other", "model", "datasets"]


def _v3(db: sqlite_utils.Database) -> None:
    """Digests (one claim row per scheduled slot), full-text search, Home tab visitors."""
    db.table("digest_runs").create(
        {
            "slot": str,
            "claimed_by": str,
            "claimed_at": float,
            "posted_at": float,
            "ts": str,
            "outcome": str,
        },
        pk="slot",
    )
    db.table("home_visitors").create({"user_id": str, "first_opened": float}, pk="user_id")
    db.table("proposals").enable_fts(
        SEARCH_COLUMNS, fts_version="FTS5", tokenize="porter", create_triggers=True
    )


def _v4(db: sqlite_utils.Database) -> None:
    """The team size, derived from join signals, kept on the proposal at each change so that
    rankings of thousands of projects read one column instead of aggregating signals."""
    db.table("proposals").add_column("team_size", int, not_null_default=1)
    db.execute(
        "UPDATE proposals SET team_size = 1 + (SELECT COUNT(DISTINCT s.user_id) FROM "
        "join_signals s LEFT JOIN leaves l ON l.proposal_id = s.proposal_id AND "
        "l.user_id = s.user_id WHERE s.proposal_id = proposals.id AND s.present = 1 AND "
        "s.user_id != proposals.proposer_id AND s.at > COALESCE(l.left_at, 0))"
    )


def _v5(db: sqlite_utils.Database) -> None:
    """Each proposal's normalised idea (model family, task, distinctive words), indexed, so the
    similar-project check finds "GPT-2" when someone writes "gpt2". The values are derived by the
    application (ProposalRepository.backfill_ideas at start-up): a migration never runs today's
    rules on old rows."""
    proposals = db.table("proposals")
    proposals.add_column("idea_terms", str)
    proposals.add_column("variants", str)  # JSON ids: the same idea in other languages
    # A draft held while its author decides what to do about similar projects.
    db.table("drafts").create(
        {"key": str, "user_id": str, "draft": str, "created_at": float}, pk="key"
    )
    proposals.disable_fts()
    proposals.enable_fts(
        [*SEARCH_COLUMNS, "idea_terms"],
        fts_version="FTS5",
        tokenize="porter",
        create_triggers=True,
    )
    proposals.rebuild_fts()


def _v6(db: sqlite_utils.Database) -> None:
    """Organizer controls: every action audited; the compute a team was given."""
    db.table("audit").create(
        {
            "id": int,
            "at": float,
            "actor": str,
            "action": str,
            "proposal_id": int,
            "before": str,
            "after": str,
        },
        pk="id",
    )
    db.table("audit").create_index(["proposal_id"])
    db.table("proposals").add_column("compute", str)


def _v7(db: sqlite_utils.Database) -> None:
    """Rankings read a few numbers of every live project: a covering index serves them
    without reading the wide rows (descriptions, idea terms)."""
    db.execute(
        "CREATE INDEX proposals_standing ON proposals "
        "(status, ts, id, min_team_size, max_team_size, posted_at, team_size)"
    )


def _v8(db: sqlite_utils.Database) -> None:
    """Durability: the inbox of acknowledged requests whose work is not done yet, and the
    posts whose roster on screen is older than the team in the database."""
    db.table("inbox").create(
        {
            "id": int,
            "key": str,  # the event_id, or the trigger_id: a delivery seen twice is one row
            "handler": str,
            "lane": str,
            "body": str,
            "user_id": str,
            "received_at": float,
            "state": str,  # pending, done, failed
            "attempts": int,
            "next_at": float,
            "owner": str,  # host:pid of the process working on it
            "lease_until": float,
            "done_at": float,
            "error": str,
        },
        pk="id",
        not_null={"key", "handler", "lane", "body", "state"},
    )
    db.table("inbox").create_index(["key"], unique=True)
    db.table("inbox").create_index(["state", "next_at"])
    db.table("redraws").create(
        {
            "proposal_id": int,
            "version": int,
            "marked_at": float,
            "claimed_until": float,
            "owner": str,
        },
        pk="proposal_id",
    )
    db.table("proposals").add_column("post_owner", str)  # who holds the posting lease


def _v9(db: sqlite_utils.Database) -> None:
    """Alerts exactly once per organizer: a delivery row per (alert, recipient) with its state,
    instead of one state for the whole alert. Copies already sent are kept as sent."""
    db.table("alert_deliveries").create(
        {
            "proposal_id": int,
            "kind": str,
            "recipient": str,
            "state": str,  # pending, sending, sent, moot
            "attempts": int,
            "next_at": float,
            "claimed_until": float,
            "owner": str,
            "sending_since": float,
            "channel": str,
            "ts": str,
        },
        pk=("proposal_id", "kind", "recipient"),
    )
    db.table("alert_deliveries").create_index(["state", "next_at"])
    db.execute(
        "INSERT OR IGNORE INTO alert_deliveries "
        "(proposal_id, kind, recipient, state, attempts, next_at, channel, ts) "
        "SELECT proposal_id, kind, recipient, 'sent', 1, 0, channel, ts FROM alert_messages"
    )


def _v10(db: sqlite_utils.Database) -> None:
    """O(1) joins and rankings that do not grow with the week.

    `wishes` keeps each person's current wish to join a project (when it began), so a reaction
    updates one row instead of re-reading every join of the post; `proposals.wishers` counts
    them. The ranking columns (`standing`, `needed`, `join_group`, `join_key`) are kept current
    at each change, so the digest, /projects and the Home tab read an index, not a scan."""
    db.table("wishes").create(
        {"proposal_id": int, "user_id": str, "since": float}, pk=("proposal_id", "user_id")
    )
    db.execute("CREATE INDEX wishes_order ON wishes (proposal_id, since, user_id)")
    # A person's wish began at their earliest present signal newer than their last leave.
    db.execute(
        "INSERT INTO wishes (proposal_id, user_id, since) "
        "SELECT s.proposal_id, s.user_id, MIN(s.at) FROM join_signals s "
        "JOIN proposals p ON p.id = s.proposal_id "
        "LEFT JOIN leaves l ON l.proposal_id = s.proposal_id AND l.user_id = s.user_id "
        "WHERE s.present = 1 AND s.user_id != p.proposer_id AND s.at > COALESCE(l.left_at, 0) "
        "GROUP BY s.proposal_id, s.user_id"
    )
    proposals = db.table("proposals")
    proposals.add_column("wishers", int, not_null_default=0)
    db.execute(
        "UPDATE proposals SET wishers = "
        "(SELECT COUNT(*) FROM wishes w WHERE w.proposal_id = proposals.id)"
    )
    for column, kind in (
        ("standing", str),  # looking, ready, full, official; NULL when not listed
        ("needed", int),  # people still needed to reach the threshold
        ("join_group", int),  # 0: needs members, 1: has room; NULL: cannot be joined
        ("join_key", int),  # within a group: needed (group 0) or size (group 1)
    ):
        proposals.add_column(column, kind)
    db.execute("DROP INDEX IF EXISTS proposals_standing")
    db.execute("CREATE INDEX proposals_need ON proposals (standing, needed, posted_at, id)")
    db.execute("CREATE INDEX proposals_queue ON proposals (standing, posted_at, id)")
    db.execute(
        "CREATE INDEX proposals_joinable ON proposals (join_group, join_key, posted_at, id) "
        "WHERE join_group IS NOT NULL"
    )
    db.execute("CREATE INDEX proposals_posted ON proposals (posted_at, id)")


def _v11(db: sqlite_utils.Database) -> None:
    """Budgets shared by every process (one row per Slack call sent, kept a minute), leases
    that let one process at a time run a scheduled job, and what each Home tab last showed."""
    db.execute("CREATE TABLE rate_sends (key TEXT NOT NULL, at REAL NOT NULL)")
    db.execute("CREATE INDEX rate_sends_key_at ON rate_sends (key, at)")
    db.execute("CREATE TABLE job_leases (job TEXT PRIMARY KEY, owner TEXT, until REAL NOT NULL)")
    db.table("home_visitors").add_column("shown", str)
    db.table("proposals").add_column("idea", str)  # JSON, filled by backfill_ideas at start


def _v12(db: sqlite_utils.Database) -> None:
    """Reads that do not grow with the week: a person's own proposals and joins by index, and
    the number of projects in each standing (and joinable) kept by triggers, not counted."""
    db.execute("CREATE INDEX proposals_proposer ON proposals (proposer_id, id)")
    db.execute("CREATE INDEX wishes_user ON wishes (user_id, proposal_id)")
    db.execute(
        "CREATE INDEX proposals_listed_posted ON proposals (posted_at) WHERE standing IS NOT NULL"
    )
    db.execute("CREATE TABLE standing_counts (key TEXT PRIMARY KEY, n INTEGER NOT NULL)")
    db.execute(
        "INSERT INTO standing_counts (key, n) SELECT standing, COUNT(*) FROM proposals "
        "WHERE standing IS NOT NULL GROUP BY standing"
    )
    db.execute(
        "INSERT INTO standing_counts (key, n) "
        "SELECT 'joinable', COUNT(*) FROM proposals WHERE join_group IS NOT NULL"
    )

    def add(row: str, sign: str) -> str:
        return (
            f"INSERT INTO standing_counts (key, n) SELECT {row}.standing, {sign}1 "
            f"WHERE {row}.standing IS NOT NULL "
            f"ON CONFLICT (key) DO UPDATE SET n = n {sign} 1; "
            f"INSERT INTO standing_counts (key, n) SELECT 'joinable', {sign}1 "
            f"WHERE {row}.join_group IS NOT NULL "
            f"ON CONFLICT (key) DO UPDATE SET n = n {sign} 1;"
        )

    db.execute(
        f"CREATE TRIGGER proposals_count_in AFTER INSERT ON proposals BEGIN {add('NEW', '+')} END"
    )
    db.execute(
        f"CREATE TRIGGER proposals_count_out AFTER DELETE ON proposals BEGIN {add('OLD', '-')} END"
    )
    db.execute(
        "CREATE TRIGGER proposals_count_moved AFTER UPDATE OF standing, join_group ON proposals "
        "WHEN OLD.standing IS NOT NEW.standing OR "
        "(OLD.join_group IS NULL) != (NEW.join_group IS NULL) "
        f"BEGIN {add('OLD', '-')} {add('NEW', '+')} END"
    )


def _v13(db: sqlite_utils.Database) -> None:
    """Joining by button, leaving by reaction (a removal seen as an event, not inferred by
    reconciliation, outweighs an earlier button join); the notices people get about their
    place, sent from a durable outbox; requests to join official teams; second teams."""
    db.execute("ALTER TABLE join_signals ADD COLUMN inferred INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "CREATE TABLE notices (id INTEGER PRIMARY KEY, user_id TEXT NOT NULL, "
        "proposal_id INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT, "
        "created_at REAL NOT NULL, due_at REAL NOT NULL, sent_at REAL, "
        "claimed_until REAL NOT NULL DEFAULT 0)"
    )
    db.execute("CREATE INDEX notices_due ON notices (due_at) WHERE sent_at IS NULL")
    db.execute("CREATE INDEX notices_user ON notices (user_id, proposal_id) WHERE sent_at IS NULL")
    db.execute(
        "CREATE TABLE join_requests (proposal_id INTEGER NOT NULL, user_id TEXT NOT NULL, "
        "asked_at REAL NOT NULL, decided_by TEXT, decided_at REAL, outcome TEXT, "
        "PRIMARY KEY (proposal_id, user_id))"
    )
    db.table("proposals").add_column("second_of", int)


def _v14(db: sqlite_utils.Database) -> None:
    """What organizers see: people's names (users.info, cached with their age), the proposals
    channel's members (conversations.members, cached), when a "Not yet" was last raised again,
    and one-off events done once (the teams-closed summary)."""
    db.execute(
        "CREATE TABLE people (user_id TEXT PRIMARY KEY, name TEXT, is_bot INTEGER NOT NULL "
        "DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, fetched_at REAL NOT NULL)"
    )
    db.execute("CREATE TABLE channel_members (user_id TEXT PRIMARY KEY, synced_at REAL NOT NULL)")
    db.execute("CREATE TABLE once_done (key TEXT PRIMARY KEY, at REAL NOT NULL)")
    db.execute("ALTER TABLE alerts ADD COLUMN reminded_at REAL")
    # The digest counts the projects looking for members by language (a partial index: only
    # those rows, so the count does not read the whole week).
    db.execute(
        "CREATE INDEX proposals_looking_languages ON proposals (languages) "
        "WHERE standing = 'looking'"
    )


def _v15(db: sqlite_utils.Database) -> None:
    """Changes made in Slack behind the bot's back: a post deleted (by an admin), a team channel
    archived."""
    db.execute("ALTER TABLE proposals ADD COLUMN post_gone_at REAL")
    db.execute("ALTER TABLE teams ADD COLUMN channel_archived_at REAL")


def _v16_compute(db: sqlite_utils.Database) -> None:
    """The week's compute pool (one allocation per official team at most), what each member
    was sent and what they answered (It works / Problem), what a team was told about its
    compute, and the Hub usernames of official members with the last reminder sent."""
    db.execute(
        "CREATE TABLE compute_pool (id INTEGER PRIMARY KEY, label TEXT NOT NULL, "
        "details TEXT NOT NULL, kind TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '', "
        "added_by TEXT NOT NULL, added_at REAL NOT NULL, proposal_id INTEGER, given_at REAL, "
        "returned_at REAL)"
    )
    db.execute("CREATE UNIQUE INDEX compute_pool_label ON compute_pool (label COLLATE NOCASE)")
    db.execute(
        "CREATE UNIQUE INDEX compute_pool_team ON compute_pool (proposal_id) "
        "WHERE proposal_id IS NOT NULL"
    )
    db.execute(
        "CREATE TABLE compute_sent (allocation_id INTEGER NOT NULL, proposal_id INTEGER NOT NULL, "
        "recipient TEXT NOT NULL, sent_at REAL NOT NULL, "
        "PRIMARY KEY (allocation_id, proposal_id, recipient))"
    )
    db.execute(
        "CREATE TABLE compute_answers (proposal_id INTEGER NOT NULL, user_id TEXT NOT NULL, "
        "allocation_id INTEGER NOT NULL, works INTEGER NOT NULL, problem TEXT NOT NULL "
        "DEFAULT '', at REAL NOT NULL, PRIMARY KEY (proposal_id, user_id))"
    )
    db.execute(
        "CREATE TABLE compute_told (proposal_id INTEGER NOT NULL, what TEXT NOT NULL, "
        "at REAL NOT NULL, PRIMARY KEY (proposal_id, what))"
    )
    db.execute(
        "CREATE TABLE hub_usernames (user_id TEXT PRIMARY KEY, username TEXT, "
        "given_at REAL, reminded_at REAL)"
    )


def _v17_demo_submissions(db: sqlite_utils.Database) -> None:
    """The end of the week: each official team's demo submission (one per team, with the ts of
    its announcement in the post's thread and in the channel, so an edit updates them and a
    restart finishes a half-done one), the judges' scores (private), the reminders sent, and
    the winners' announcement."""
    db.execute(
        "CREATE TABLE demo_submissions (proposal_id INTEGER PRIMARY KEY, demo_url TEXT NOT NULL, "
        "summary TEXT NOT NULL, models TEXT NOT NULL DEFAULT '', video_url TEXT NOT NULL "
        "DEFAULT '', jury_note TEXT NOT NULL DEFAULT '', submitted_by TEXT NOT NULL, "
        "submitted_at REAL NOT NULL, updated_by TEXT NOT NULL, updated_at REAL NOT NULL, "
        "version INTEGER NOT NULL DEFAULT 1, thread_ts TEXT, line_ts TEXT, "
        "announced_version INTEGER NOT NULL DEFAULT 0, claimed_until REAL NOT NULL DEFAULT 0, "
        # An attempt at each message was made (Slack may have it though its ts is not stored):
        # the next attempt looks for it by its metadata before posting.
        "thread_tried INTEGER NOT NULL DEFAULT 0, line_tried INTEGER NOT NULL DEFAULT 0)"
    )
    db.execute(
        "CREATE TABLE judge_scores (proposal_id INTEGER NOT NULL, judge_id TEXT NOT NULL, "
        "scores TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '', scored_at REAL NOT NULL, "
        "PRIMARY KEY (proposal_id, judge_id))"
    )
    db.execute(
        "CREATE TABLE demo_reminders (proposal_id INTEGER NOT NULL, kind TEXT NOT NULL, "
        "deadline REAL NOT NULL, sent_at REAL NOT NULL, PRIMARY KEY (proposal_id, kind, deadline))"
    )
    db.execute(
        "CREATE TABLE demo_winners (id INTEGER PRIMARY KEY CHECK (id = 1), winners TEXT NOT NULL, "
        "announced_by TEXT NOT NULL, at REAL NOT NULL, channel TEXT, ts TEXT)"
    )


def _v18_hub_answers(db: sqlite_utils.Database) -> None:
    """What the Hugging Face Hub said of the models and datasets proposals name, cached (a day
    for one that exists, an hour for one that does not)."""
    db.execute(
        "CREATE TABLE hub_answers (kind TEXT NOT NULL, repo_id TEXT NOT NULL, "
        "answer TEXT NOT NULL, asked_at REAL NOT NULL, expires_at REAL NOT NULL, "
        "PRIMARY KEY (kind, repo_id))"
    )


def _v19_compute_sends_and_repairs(db: sqlite_utils.Database) -> None:
    """A compute message's claim says whether its send completed: `sending` with an owner and a
    lease until Slack took it, then `sent`. A claim a stopped process left is taken again (its
    lease expired, or released at start-up) and looks for the message before sending it. Rows
    from before are taken as sent: sending one twice is worse than the rare one lost.
    A machine re-given after a problem is set aside (out of the pool) until an organizer says
    it is fixed."""
    db.execute("ALTER TABLE compute_sent ADD COLUMN state TEXT NOT NULL DEFAULT 'sent'")
    db.execute("ALTER TABLE compute_sent ADD COLUMN owner TEXT")
    db.execute("ALTER TABLE compute_sent ADD COLUMN claimed_until REAL NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE compute_sent ADD COLUMN tried_since REAL")
    db.execute("ALTER TABLE compute_pool ADD COLUMN set_aside_at REAL")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1,
    _v2,
    _v3,
    _v4,
    _v5,
    _v6,
    _v7,
    _v8,
    _v9,
    _v10,
    _v11,
    _v12,
    _v13,
    _v14,
    _v15,
    _v16_compute,
    _v17_demo_submissions,
    _v18_hub_answers,
    _v19_compute_sends_and_repairs,
]
