"""Idempotency keys past their day are purged by the scheduled job, those of accounts that post no more too."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.db import connect
from api.idempotency import jobs
from api.idempotency.jobs import purge_expired


async def test_keys_older_than_a_day_are_purged_and_the_others_kept(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "BATCH", 2)  # several batches
    conn = await connect(database_url)
    try:
        await conn.execute(
            "insert into idempotency_keys (account_id, key, request_hash, created_at) "
            "select a.id, k.key, '\\x00', now() - k.age from accounts a, (values ('old-1', interval '25 hours'), "
            "('old-2', interval '3 days'), ('fresh', interval '23 hours')) as k(key, age) "
            "where a.username in ('demo.member', 'demo.admin')"
        )
        now = await conn.fetchval("select now()")
        assert await purge_expired(conn, now) == 4
        kept = await conn.fetch("select key from idempotency_keys")
        assert sorted(row["key"] for row in kept) == ["fresh", "fresh"]
        assert await purge_expired(conn, now) == 0
        assert await purge_expired(conn, now + timedelta(hours=2)) == 2
    finally:
        await conn.close()
