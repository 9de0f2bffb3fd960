"""Data kept past any use is purged by the scheduled jobs: ended sessions and dispatched outbox rows."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from api.auth import jobs as session_jobs
from api.auth.jobs import purge_ended
from api.db import connect
from api.outbox import jobs as outbox_jobs
from api.outbox.jobs import purge_dispatched

JUST = timedelta(minutes=1)
"""How far past or inside the limit the rows of the tests lie."""


async def test_sessions_ended_more_than_30_days_ago_are_purged_and_the_others_kept(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session_jobs, "BATCH", 2)  # several batches
    kept = session_jobs.KEPT
    conn = await connect(database_url)
    try:
        now = await conn.fetchval("select now()")
        account = await conn.fetchval("select id from accounts where username = 'demo.member'")
        other = await conn.fetchval("select id from accounts where username = 'demo.admin'")
        await conn.executemany(
            "insert into sessions (token_digest, account_id, created_at, expires_at, revoked_at, client_kind, "
            "user_agent, ip) values (sha256($1::text::bytea), $2, $3::timestamptz - interval '90 days', $3, $4, "
            "'cookie', $1, '203.0.113.7')",
            [
                ("expired-past", account, now - kept - JUST, None),
                ("expired-long-ago", other, now - 3 * kept, None),
                ("revoked-past", account, now + kept, now - kept - JUST),
                ("expired-inside", account, now - kept + JUST, None),
                ("revoked-inside", other, now + kept, now - kept + JUST),
                ("live", account, now + kept, None),
            ],
        )
        before = await conn.fetchval("select count(*) from sessions")

        assert await purge_ended(conn, now) == 3
        left = await conn.fetch("select user_agent from sessions where ip = '203.0.113.7'")
        assert sorted(row["user_agent"] for row in left) == ["expired-inside", "live", "revoked-inside"]
        assert await conn.fetchval("select count(*) from sessions") == before - 3
        assert await purge_ended(conn, now) == 0
        assert await purge_ended(conn, now + 2 * JUST) == 2  # the two inside the limit reach it
    finally:
        await conn.close()


async def test_purging_ended_sessions_announces_nothing_and_deleting_a_live_one_does(database_url: str) -> None:
    """An announcement makes every API worker scan its cache of callers; an ended session is in no cache
    (served only until its expiry, evicted when revoked), so the purge must not announce it (migration 0022)."""
    conn = await connect(database_url)
    listener = await connect(database_url)
    heard: list[str] = []
    ended = asyncio.Event()

    def hear(*args: object) -> None:
        heard.append(str(args[-1]))
        if args[-1] == "end":
            ended.set()

    await listener.add_listener("ehb_invalidate", hear)
    try:
        now = await conn.fetchval("select now()")
        accounts = await conn.fetch("select id from accounts where username in ('demo.member', 'demo.admin')")
        await conn.executemany(
            "insert into sessions (token_digest, account_id, expires_at, client_kind) "
            "values (sha256($1::text::bytea), $2, $3, 'bearer')",
            [(f"ended-{n}", accounts[n % 2]["id"], now - 2 * session_jobs.KEPT) for n in range(4)],
        )
        live = await conn.fetchval(
            "insert into sessions (token_digest, account_id, expires_at, client_kind) "
            "values (sha256('live'::bytea), $1, $2, 'bearer') returning id",
            accounts[0]["id"],
            now + session_jobs.KEPT,
        )
        assert await purge_ended(conn, now) == 4
        await conn.execute("delete from sessions where id = $1", live)
        await conn.execute("select pg_notify('ehb_invalidate', 'end')")
        await asyncio.wait_for(ended.wait(), 5)  # delivered in order: every announcement before it is in
        assert heard == [f"account:{accounts[0]['id']}", "end"], "only the live session's deletion is announced"
    finally:
        await listener.close()
        await conn.close()


async def test_outbox_rows_dispatched_more_than_30_days_ago_are_purged_and_the_inbox_kept(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox_jobs, "BATCH", 2)  # several batches
    kept = outbox_jobs.KEPT
    conn = await connect(database_url)
    try:
        now = await conn.fetchval("select now()")
        ids = {
            row["source"]: row["id"]
            for row in await conn.fetch(
                "insert into outbox (topic, source, payload, available_at, created_at, dispatched_at, fanned_out_at) "
                "select 'notification', s.source, '{}', s.at, s.at, s.dispatched, s.fanned "
                "from unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[]) "
                "as s(source, at, dispatched, fanned) returning id, source",
                ["past-1", "past-2", "past-3", "inside", "not-fanned-out", "waiting", "scheduled"],
                [now - 2 * kept] * 5 + [now - 2 * kept, now + kept],
                [now - kept - JUST, now - kept - JUST, now - 3 * kept, now - kept + JUST, now - 2 * kept, None, None],
                [now - kept - JUST, now - kept - JUST, now - 3 * kept, now - kept + JUST, None, None, None],
            )
        }
        # The inbox row of a purged notification stays, with what the funnel reads (decision 21).
        await conn.execute(
            "insert into notifications (outbox_id, member_id, kind, category, title, body, url, source, branch_id, "
            "created_at, delivered_at) select $1, m.id, 'notice.published', 'notices', 't', 'b', '/', 'past-1', "
            "m.branch_id, $2, $2 from members m join accounts a on a.member_id = m.id where a.username = 'demo.member'",
            ids["past-1"],
            now - kept - JUST,
        )
        before = await conn.fetchval("select count(*) from outbox")

        assert await purge_dispatched(conn, now) == 3
        left = await conn.fetch("select source from outbox where id = any($1::bigint[])", list(ids.values()))
        assert sorted(row["source"] for row in left) == ["inside", "not-fanned-out", "scheduled", "waiting"]
        assert await conn.fetchval("select count(*) from outbox") == before - 3
        inbox = await conn.fetchrow(
            "select source, delivered_at from notifications where outbox_id = $1", ids["past-1"]
        )
        assert inbox is not None
        assert inbox["source"] == "past-1"
        assert await purge_dispatched(conn, now) == 0
        assert await purge_dispatched(conn, now + 2 * JUST) == 1  # the one inside the limit reaches it
    finally:
        await conn.close()
