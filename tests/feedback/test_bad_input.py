"""Feedback input that must be refused with a problem naming what is wrong, writing nothing; posting limits."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.feedback.support import PROBLEM, ask, scalar
from tests.helpers import bearer


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"body": ""},
        {"body": "   \n\t "},
        {"body": "x" * 5001},
        {"body": "a\x00b"},
        {"body": "a\x07b"},
        {"body": "a\u202eb"},
        {"body": 5},
        {"body": "x", "kind": "complaint"},
        {"body": "x", "level": "nation"},
        {"body": "x", "category": "gossip"},
        {"body": "x", "title": "t" * 201},
        {"body": "x", "id": "not-a-uuid"},
        {"body": "x", "anonymous": "yes"},
        {"body": "x", "author_member_id": "00000000-0000-0000-0000-000000000000"},
    ],
)
async def test_bad_feedback_is_refused(client: AsyncTestClient[Any], database_url: str, body: dict[str, Any]) -> None:
    member = await bearer(client, "demo.member")
    response = await client.post("/api/v1/feedback", headers=member, json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["detail"]
    assert await scalar(database_url, "select count(*) from feedback_threads") == 0


async def test_a_lone_surrogate_is_refused(client: AsyncTestClient[Any], database_url: str) -> None:
    member = await bearer(client, "demo.member")
    headers = member | {"content-type": "application/json"}
    response = await client.post("/api/v1/feedback", headers=headers, content=b'{"body": "\\ud800"}')
    assert response.status_code == 400, response.text
    assert await scalar(database_url, "select count(*) from feedback_threads") == 0


async def test_bad_replies_ratings_and_statuses(client: AsyncTestClient[Any], database_url: str) -> None:
    member = await bearer(client, "demo.member")
    secretary = await bearer(client, "demo.secretary")
    thread = await ask(client, member)
    url = f"/api/v1/feedback/{thread['id']}"
    for path, body in (
        ("/replies", {"body": ""}),
        ("/replies", {"body": "x" * 5001}),
        ("/replies", {"body": "x", "thread_id": thread["id"]}),
        ("/rating", {"rating": 0}),
        ("/rating", {"rating": 6}),
        ("/rating", {"rating": 4.5}),
        ("/rating", {"rating": 5, "comment": "c" * 1001}),
        ("/status", {"status": "answered"}),
        ("/status", {"status": "new"}),
        ("/reopen", {"body": "x" * 5001}),
    ):
        response = await client.post(url + path, headers=member, json=body)
        assert response.status_code == 400, (path, body, response.text)
        assert response.headers["content-type"].startswith(PROBLEM)
    # Rating before any answer, acknowledging twice: the state says no.
    assert (await client.post(f"{url}/rating", headers=member, json={"rating": 4})).status_code == 409
    assert (await client.post(f"{url}/status", headers=secretary, json={"status": "acknowledged"})).status_code == 200
    assert (await client.post(f"{url}/status", headers=secretary, json={"status": "acknowledged"})).status_code == 409
    assert (await client.post(f"{url}/reopen", headers=member, json={})).status_code == 409
    for params in ({"limit": 0}, {"limit": 1000}, {"after": "not-a-uuid"}, {"status": "lost"}):
        response = await client.get("/api/v1/feedback/inbox", headers=secretary, params=params)
        assert response.status_code == 400, (params, response.text)
    assert (await client.get("/api/v1/faq", headers=member, params={"category": "x"})).status_code == 400
    bad_faq = {"thread_id": thread["id"], "question": "", "answer_md": "x"}
    assert (await client.post("/api/v1/faq", headers=secretary, json=bad_faq)).status_code == 400
    assert await scalar(database_url, "select count(*) from feedback_replies") == 0


async def test_staff_without_a_member_record_cannot_ask(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    response = await client.post("/api/v1/feedback", headers=admin, json={"body": "Quản trị hỏi."})
    assert response.status_code == 403


async def test_posting_limits_answer_429_with_retry_after(client: AsyncTestClient[Any], database_url: str) -> None:
    member = await bearer(client, "demo.member")
    for index in range(10):
        await ask(client, member, body=f"Góp ý số {index}")
    refused = await client.post("/api/v1/feedback", headers=member, json={"body": "Một lần nữa."})
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    assert await scalar(database_url, "select count(*) from feedback_threads") == 10
    # Another member is not held back by it.
    secretary = await bearer(client, "demo.secretary")
    await ask(client, secretary, body="Của bí thư.")
