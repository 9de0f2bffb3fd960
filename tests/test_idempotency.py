"""Idempotency-Key: a replayed or concurrent duplicate POST returns the first answer and creates nothing."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.db import connect
from api.idempotency.keys import request_fingerprint
from tests.helpers import bearer


async def _document(client: AsyncTestClient[Litestar], admin: dict[str, str]) -> str:
    listed = await client.get("/api/v1/documents", headers=admin)
    return str(listed.json()[0]["id"])


async def _sections_titled(database_url: str, title: str) -> int:
    conn = await connect(database_url)
    try:
        return int(await conn.fetchval("select count(*) from sections where title = $1", title))
    finally:
        await conn.close()


async def test_a_replay_returns_the_first_answer_and_creates_nothing(
    client: AsyncTestClient[Litestar], database_url: str
) -> None:
    admin = await bearer(client, "demo.admin")
    url = f"/api/v1/documents/{await _document(client, admin)}/sections"
    body = {"title": "Mục gửi hai lần", "body_md": "Nội dung."}
    headers = {**admin, "Idempotency-Key": "offline-write-1"}

    first = await client.post(url, json=body, headers=headers)
    again = await client.post(url, json=body, headers=headers)

    assert first.status_code == 201, first.text
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await _sections_titled(database_url, "Mục gửi hai lần") == 1

    other = await client.post(url, json={**body, "title": "Khác"}, headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"].startswith("application/problem+json")
    assert "different request" in other.json()["detail"]


async def test_a_burst_of_duplicates_creates_once(client: AsyncTestClient[Litestar], database_url: str) -> None:
    admin = await bearer(client, "demo.admin")
    url = f"/api/v1/documents/{await _document(client, admin)}/sections"
    body = {"title": "Mục gửi cùng lúc", "body_md": "Nội dung."}
    headers = {**admin, "Idempotency-Key": "double-tap"}
    answers = await asyncio.gather(*(client.post(url, json=body, headers=headers) for _ in range(5)))

    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert sum(answer.headers.get("Idempotent-Replayed") == "true" for answer in answers) == 4
    assert await _sections_titled(database_url, "Mục gửi cùng lúc") == 1


async def test_a_refused_request_leaves_its_key_free(client: AsyncTestClient[Litestar], database_url: str) -> None:
    admin = await bearer(client, "demo.admin")
    url = f"/api/v1/documents/{await _document(client, admin)}/sections"
    headers = {**admin, "Idempotency-Key": "try-again"}

    refused = await client.post(url, json={"title": "", "body_md": "x"}, headers=headers)
    assert refused.status_code == 400

    # The refusal rolled back with its key: the corrected request (a different body) simply runs.
    fixed = await client.post(url, json={"title": "Mục sửa lại", "body_md": "x"}, headers=headers)
    assert fixed.status_code == 201, fixed.text
    assert "Idempotent-Replayed" not in fixed.headers


async def test_keys_belong_to_one_account(client: AsyncTestClient[Litestar], database_url: str) -> None:
    admin = await bearer(client, "demo.admin")
    document = await _document(client, admin)
    url = f"/api/v1/documents/{document}/sections"
    body: dict[str, Any] = {"title": "Mục của hai người", "body_md": "x"}

    for login in ("demo.admin", "demo.admin"):
        await client.post(url, json=body, headers={**await bearer(client, login), "Idempotency-Key": "shared-key"})
    assert await _sections_titled(database_url, "Mục của hai người") == 1  # two sessions, one account

    conn = await connect(database_url)
    try:
        # A second admin account using the same key is a different request altogether.
        await conn.execute(
            "insert into role_grants (account_id, role, unit_id) select a.id, 'admin', "
            "(select id from org_units where parent_id is null) from accounts a where a.username = 'demo.moderator'"
        )
    finally:
        await conn.close()
    moderator = await bearer(client, "demo.moderator")
    second = await client.post(url, json=body, headers={**moderator, "Idempotency-Key": "shared-key"})
    assert second.status_code == 201
    assert "Idempotent-Replayed" not in second.headers
    assert await _sections_titled(database_url, "Mục của hai người") == 2


async def test_malformed_keys_are_refused(client: AsyncTestClient[Litestar]) -> None:
    admin = await bearer(client, "demo.admin")
    url = f"/api/v1/documents/{await _document(client, admin)}/sections"
    for key in ("", "x" * 201, "has space", "ý".encode()):
        answer = await client.post(url, json={"title": "t", "body_md": "x"}, headers={**admin, "Idempotency-Key": key})
        assert answer.status_code == 400, key
        assert answer.headers["content-type"].startswith("application/problem+json")


async def _hold_key_then(
    database_url: str, fingerprint: bytes, answer: bytes, outcome: str, held: threading.Event
) -> None:
    """Play the first of two simultaneous requests: claim the key in a transaction left open until the
    second request waits on it, then commit (with a stored answer) or roll back."""
    conn = await connect(database_url)
    try:
        transaction = conn.transaction()
        await transaction.start()
        await conn.execute(
            "insert into idempotency_keys (account_id, key, request_hash, status, content_type, body) "
            "select id, 'in-flight', $1, 201, 'application/json', $2 from accounts where username = 'demo.admin'",
            fingerprint,
            answer,
        )
        held.set()
        for _ in range(1000):
            waiting = await conn.fetchval(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'"
            )
            if waiting:
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("the second request never waited for the key")
        await (transaction.commit() if outcome == "commit" else transaction.rollback())
    finally:
        await conn.close()


@pytest.mark.parametrize("outcome", ["commit", "rollback"])
async def test_a_duplicate_waits_for_the_request_in_flight(
    client: AsyncTestClient[Litestar], database_url: str, outcome: str
) -> None:
    """The second of two simultaneous requests waits for the first's transaction, then replays or runs."""
    admin = await bearer(client, "demo.admin")
    url = f"/api/v1/documents/{await _document(client, admin)}/sections"
    body = json.dumps({"title": "Mục song song", "body_md": "x"}).encode()
    stored_answer = b'{"stored":"by the first request"}'
    held = threading.Event()
    # The first request runs on its own thread and event loop: the test client blocks this one.
    first = asyncio.create_task(
        asyncio.to_thread(
            asyncio.run,
            _hold_key_then(database_url, request_fingerprint("POST", url, b"", body), stored_answer, outcome, held),
        )
    )
    await asyncio.to_thread(held.wait, 10)
    headers = {**admin, "Idempotency-Key": "in-flight", "Content-Type": "application/json"}
    answer = await client.post(url, content=body, headers=headers)
    await first

    assert answer.status_code == 201, answer.text
    if outcome == "commit":
        assert answer.content == stored_answer
        assert answer.headers["Idempotent-Replayed"] == "true"
        assert await _sections_titled(database_url, "Mục song song") == 0
    else:
        assert "Idempotent-Replayed" not in answer.headers
        assert await _sections_titled(database_url, "Mục song song") == 1
