"""Feedback end to end: a member asks (anonymously to the branch), officers answer, the member rates,
closes and reopens; who sees the asker's name, and every look at an anonymous name audited."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from litestar.testing import AsyncTestClient

from api.settings import Settings
from tests.feedback.support import PROBLEM, Demo, ask, demo, fetch, outbox, scalar, staff
from tests.helpers import bearer


async def test_anonymous_question_to_the_commune_from_asking_to_reopening(
    client: AsyncTestClient[Any], database_url: str, settings: Settings
) -> None:
    units = await demo(database_url)
    member = await bearer(client, "demo.member")
    secretary = await bearer(client, "demo.secretary")
    moderator = await bearer(client, "demo.moderator")
    officer = await staff(client, database_url, settings, "commune.officer", "officer", units.commune_id)

    thread = await ask(
        client,
        member,
        id=str(uuid.uuid4()),
        body="Đề nghị xã xem lại việc thu phí vệ sinh.",
        title="Phí vệ sinh",
        kind="petition",
        category="livelihood",
        level="commune",
        anonymous=True,
    )
    url = f"/api/v1/feedback/{thread['id']}"
    assert (thread["level"], thread["unit_id"], thread["status"]) == ("commune", units.commune_id, "new")
    assert thread["mine"]
    assert thread["author"]["full_name"] == units.member_name

    # The branch secretary sees the thread (it comes from their branch) but not who sent it; nor does the
    # commune officer answering it. The commune's moderator may look the name up, audited each time.
    await _only_moderators_learn_the_name(client, database_url, thread, units, [secretary, officer], moderator)

    # The branch secretary does not answer for the commune; the commune officer does.
    assert (await client.post(f"{url}/replies", headers=secretary, json={"body": "Chi bộ trả lời."})).status_code == 403
    acknowledged = await client.post(f"{url}/status", headers=officer, json={"status": "acknowledged"})
    assert acknowledged.json()["status"] == "acknowledged"
    answered = await client.post(f"{url}/replies", headers=officer, json={"body": "Xã sẽ rà soát trong tháng."})
    assert answered.status_code == 201, answered.text
    assert answered.json()["status"] == "answered"
    assert answered.json()["replies"][-1]["author_name"] == "commune.officer"
    told = await outbox(database_url, "feedback.answered")
    assert [payload["audience"]["members"] for payload in told] == [[units.member_id]]

    # The asker follows up: to others their reply is the asker's, nameless.
    follow_up = await client.post(f"{url}/replies", headers=member, json={"body": "Cảm ơn, xin hỏi thêm."})
    assert follow_up.status_code == 201
    replies = (await client.get(url, headers=secretary)).json()["replies"]
    assert [(r["by_asker"], r["author_name"]) for r in replies] == [(False, "commune.officer"), (True, None)]

    rated = await client.post(f"{url}/rating", headers=member, json={"rating": 5, "comment": "Rõ ràng."})
    assert rated.status_code == 200
    assert rated.json()["rating"] == 5
    assert (await client.post(f"{url}/rating", headers=officer, json={"rating": 1})).status_code == 403

    closed = await client.post(f"{url}/status", headers=member, json={"status": "closed"})
    assert closed.json()["status"] == "closed"
    assert closed.json()["reopen_until"] is not None
    refused = await client.post(f"{url}/replies", headers=officer, json={"body": "Thêm."})
    assert refused.status_code == 409
    reopened = await client.post(f"{url}/reopen", headers=member, json={"body": "Chưa thấy rà soát."})
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "acknowledged"
    assert reopened.json()["replies"][-1]["body"] == "Chưa thấy rà soát."

    # Closed again, and more than 14 days ago: reopening is refused.
    await client.post(f"{url}/status", headers=officer, json={"status": "closed"})
    await scalar(
        database_url,
        "update feedback_threads set closed_at = now() - interval '15 days' where id = $1",
        uuid.UUID(thread["id"]),
    )
    late = await client.post(f"{url}/reopen", headers=member, json={})
    assert late.status_code == 409
    assert late.headers["content-type"].startswith(PROBLEM)


async def test_a_named_question_to_the_branch(client: AsyncTestClient[Any], database_url: str) -> None:
    units = await demo(database_url)
    member = await bearer(client, "demo.member")
    secretary = await bearer(client, "demo.secretary")
    moderator = await bearer(client, "demo.moderator")

    thread = await ask(client, member, body="Tháng này họp chi bộ ngày nào?")
    assert (thread["level"], thread["category"], thread["kind"]) == ("branch", "general", "suggestion")
    assert thread["unit_id"] == units.branch_id
    url = f"/api/v1/feedback/{thread['id']}"
    seen = (await client.get(url, headers=secretary)).json()
    assert seen["author"]["full_name"] == units.member_name
    assert seen["responsible"] is True
    # The secretary (a member) was told of it; the commune moderator sees it but does not answer for a branch.
    received = await outbox(database_url, "feedback.received")
    assert received[-1]["audience"]["members"] == [units.secretary_member_id]
    assert units.member_name not in received[-1]["body"]
    assert (await client.post(f"{url}/replies", headers=moderator, json={"body": "Xã trả lời."})).status_code == 403
    answer = await client.post(f"{url}/replies", headers=secretary, json={"body": "Ngày 5."})
    assert answer.json()["status"] == "answered"
    assert answer.json()["answered_at"]

    mine = (await client.get("/api/v1/feedback/mine", headers=member)).json()
    assert [item["id"] for item in mine["items"]] == [thread["id"]]
    assert mine["items"][0]["reply_count"] == 1
    assert mine["next_cursor"] is None
    assert (await client.get("/api/v1/feedback/mine", headers=secretary)).json()["items"] == []


async def test_offline_ids_replay_and_cursor_pages(client: AsyncTestClient[Any], database_url: str) -> None:
    member = await bearer(client, "demo.member")
    secretary = await bearer(client, "demo.secretary")
    client_id = str(uuid.uuid4())
    body = {"id": client_id, "body": "Gửi khi không có sóng."}
    # The same offline message sent twice at once, and again later: one thread.
    first, second = await asyncio.gather(
        client.post("/api/v1/feedback", headers=member, json=body),
        client.post("/api/v1/feedback", headers=member, json=body),
    )
    again = await client.post("/api/v1/feedback", headers=member, json=body)
    assert {first.status_code, second.status_code, again.status_code} == {201}
    assert first.json()["id"] == second.json()["id"] == again.json()["id"] == client_id
    assert await scalar(database_url, "select count(*) from feedback_threads") == 1
    # Someone else cannot take the id.
    taken = await client.post("/api/v1/feedback", headers=secretary, json=body)
    assert taken.status_code == 409

    reply = {"id": str(uuid.uuid4()), "body": "Bổ sung."}
    for _ in range(2):
        replied = await client.post(f"/api/v1/feedback/{client_id}/replies", headers=member, json=reply)
        assert replied.status_code == 201
    assert await scalar(database_url, "select count(*) from feedback_replies") == 1

    for index in range(3):
        await ask(client, member, body=f"Câu hỏi {index}")
    seen: list[str] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"after": after} if after else {})
        page = (await client.get("/api/v1/feedback/mine", headers=member, params=params)).json()
        seen += [item["id"] for item in page["items"]]
        after = page["next_cursor"]
        if after is None:
            break
    assert len(seen) == len(set(seen)) == 4


async def test_out_of_scope_threads_are_not_found(
    client: AsyncTestClient[Any], database_url: str, settings: Settings
) -> None:
    units = await demo(database_url)
    member = await bearer(client, "demo.member")
    thread = await ask(client, member, body="Chỉ trong xã.", level="commune")
    other_commune = await scalar(
        database_url,
        "select id from org_units where kind = 'commune' and id <> $1 order by code limit 1",
        units.commune_id,
    )
    outsider = await staff(client, database_url, settings, "other.officer", "officer", other_commune)
    moderator = await staff(client, database_url, settings, "other.moderator", "moderator", other_commune)
    url = f"/api/v1/feedback/{thread['id']}"
    for headers, method, path, body in (
        (outsider, "GET", url, None),
        (outsider, "POST", f"{url}/replies", {"body": "x"}),
        (outsider, "POST", f"{url}/status", {"status": "acknowledged"}),
        (moderator, "POST", f"{url}/author", None),
        (member, "GET", f"/api/v1/feedback/{uuid.uuid4()}", None),
    ):
        response = await client.request(method, path, headers=headers, json=body)
        assert response.status_code == 404, (path, response.text)
        assert response.headers["content-type"].startswith(PROBLEM)
    inbox = (await client.get("/api/v1/feedback/inbox", headers=outsider)).json()
    assert inbox["items"] == []


async def _only_moderators_learn_the_name(
    client: AsyncTestClient[Any],
    database_url: str,
    thread: dict[str, Any],
    units: Demo,
    others: list[dict[str, str]],
    moderator: dict[str, str],
) -> None:
    url = f"/api/v1/feedback/{thread['id']}"
    for viewer in others:
        seen = await client.get(url, headers=viewer)
        assert seen.status_code == 200, seen.text
        assert seen.json()["author"] is None
        assert seen.json()["anonymous"] is True
        inbox = await client.get("/api/v1/feedback/inbox", headers=viewer)
        listed = next(item for item in inbox.json()["items"] if item["id"] == thread["id"])
        assert listed["author_name"] is None
        # Nothing in their answers carries the name or the member id.
        for text in (seen.text, inbox.text):
            assert units.member_name not in text
            assert units.member_id not in text
        assert (await client.post(f"{url}/author", headers=viewer)).status_code == 403
    for _ in range(2):
        revealed = await client.post(f"{url}/author", headers=moderator)
        assert revealed.status_code == 200, revealed.text
        assert revealed.json()["full_name"] == units.member_name
        assert revealed.json()["branch_id"] == units.branch_id
    audited = await fetch(
        database_url,
        "select l.action, l.unit_id, a.username from audit_log l join accounts a on a.id = l.actor_id "
        "where l.target = $1 order by l.id",
        f"feedback:{thread['id']}",
    )
    assert [(row["action"], row["username"]) for row in audited] == [("feedback_author_revealed", "demo.moderator")] * 2
    # Nothing else in the audit log points at the asker for this thread.
    assert not await scalar(
        database_url,
        "select count(*) from audit_log where target = $1 and actor_id = (select id from accounts "
        "where username = 'demo.member')",
        f"feedback:{thread['id']}",
    )
