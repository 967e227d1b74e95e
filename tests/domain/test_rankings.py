"""The database's rankings (`store.ranking_queries`) agree with the rules in `domain.ranking`."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from slackbot.domain.ranking import compose, joinable, waiting
from slackbot.store.db import Store
from slackbot.store.ranking_queries import Rankings
from slackbot.store.standing_columns import StandingColumns

project = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["open", "official", "closed", "withdrawn", "pending"]),
        "team_size": st.integers(1, 12),
        "own_min": st.one_of(st.none(), st.integers(0, 12)),
        "own_max": st.one_of(st.none(), st.integers(2, 12)),
        "posted_at": st.integers(0, 20).map(float),  # many ties, to test the tie-breaks
    }
)


@settings(max_examples=120, deadline=None)
@given(
    projects=st.lists(project, max_size=40),
    since=st.integers(-1, 20).map(float),
    limit=st.integers(0, 12),
    offset=st.integers(0, 12),
    changes=st.lists(
        st.tuples(
            st.integers(0, 39),
            st.sampled_from(["open", "official", "closed", "withdrawn", "delete"]),
            st.integers(1, 12),
        ),
        max_size=10,
    ),
)
def test_sql_rankings_match_the_rules(
    tmp_path_factory,
    projects: list[dict],
    since: float,
    limit: int,
    offset: int,
    changes: list[tuple[int, str, int]],  # type: ignore[no-untyped-def]
) -> None:
    store = Store(tmp_path_factory.mktemp("r") / "r.db")
    store.migrate()
    for n, p in enumerate(projects):
        store.conn.execute(
            "INSERT INTO proposals (submission_key, proposer_id, status, name, ts, posted_at, "
            "wishers, min_team_size, max_team_size) VALUES (?, 'U', ?, 'x', ?, ?, ?, ?, ?)",
            (
                f"k{n}",
                p["status"],
                None if p["status"] == "pending" else f"{n}.0",
                p["posted_at"],
                p["team_size"] - 1,
                p["own_min"],
                p["own_max"],
            ),
        )
    columns = StandingColumns(store, default_threshold=3, default_max=8)
    columns.refresh_all()
    rankings = Rankings(store, columns)
    agree(rankings, since, limit, offset)
    # The counts are kept by triggers as projects change, leave the lists, or are deleted.
    for index, status, size in changes:
        if index >= len(projects):
            continue
        if status == "delete":
            store.conn.execute("DELETE FROM proposals WHERE submission_key = ?", (f"k{index}",))
            continue
        store.conn.execute(
            "UPDATE proposals SET status = ?, wishers = ? WHERE submission_key = ?",
            (status, size - 1, f"k{index}"),
        )
        (pid,) = store.conn.execute(
            "SELECT id FROM proposals WHERE submission_key = ?", (f"k{index}",)
        ).fetchone() or (None,)
        if pid is not None:
            columns.refresh(pid)
    agree(rankings, since, limit, offset)
    store.close()


def agree(rankings: Rankings, since: float, limit: int, offset: int) -> None:
    standings = rankings.standings()
    expected = compose(standings, since=since)
    got = rankings.ranked_plan(since=since, need_limit=limit, new_limit=limit)
    assert (got.open, got.forming, got.official) == (
        expected.open,
        expected.forming,
        expected.official,
    )
    assert got.need_members == expected.need_members[:limit]
    assert got.newest == expected.newest[:limit]
    assert (got.need_total, got.newest_total) == (expected.need_total, expected.newest_total)

    page, total = rankings.ranked_joinable(limit, offset)
    assert page == joinable(standings)[offset : offset + limit]
    assert total == len(joinable(standings))
    assert rankings.ranked_waiting(limit) == waiting(standings)[:limit]


def test_new_since_the_last_digest_leaves_out_official_teams() -> None:
    from slackbot.domain.ranking import Standing, newest_first
    from slackbot.domain.teams import TeamStatus

    standings = [
        Standing(1, TeamStatus.OFFICIAL, 3, 3, 10, 100.0),
        Standing(2, TeamStatus.LOOKING, 1, 3, 10, 90.0),
        Standing(3, TeamStatus.READY, 3, 3, 10, 80.0),
    ]
    assert [s.proposal_id for s in newest_first(standings, since=0.0)] == [2, 3]
