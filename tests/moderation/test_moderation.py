"""Moderation end to end: reports counted once per person, the queue, hide -> appeal -> another moderator
decides, locking, restricting; every act audited and out-of-scope items not found."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient

from api.settings import Settings
from tests.feedback.support import PROBLEM, ask, demo, fetch, grant, outbox, scalar, staff
from tests.helpers import bearer


async def _audit(database_url: str, target: str) -> list[str]:
    rows = await fetch(database_url, "select action from audit_log where target = $1 order by id", target)
    return [row["action"] for row in rows]


async def _answered_faq(client: AsyncTestClient[Any], member: dict[str, str], secretary: dict[str, str]) -> str:
    thread = await ask(client, member, body="Hỏi để công khai.", faq_consent=True)
    await client.post(f"/api/v1/feedback/{thread['id']}/replies", headers=secretary, json={"body": "Đáp."})
    published = await client.post(
        "/api/v1/faq",
        headers=secretary,
        json={"thread_id": thread["id"], "question": "Câu hỏi chung?", "answer_md": "Câu trả lời."},
    )
    assert published.status_code == 201, published.text
    return str(published.json()["id"])


async def test_one_person_counts_once_and_moderators_hear_of_it(
    client: AsyncTestClient[Any], database_url: str
) -> None:
    units = await demo(database_url)
    # A moderator who is also a member, so notifications have someone to reach.
    await grant(database_url, "demo.secretary", "moderator", units.commune_id)
    member = await bearer(client, "demo.member")
    secretary = await bearer(client, "demo.secretary")
    moderator = await bearer(client, "demo.moderator")
    faq_id = await _answered_faq(client, member, secretary)
    report_url = f"/api/v1/moderation/items/faq/{faq_id}/report"

    first = await client.post(report_url, headers=member, json={"reason": "spam"})
    assert first.status_code == 201, first.text
    assert (await client.delete(report_url, headers=member)).status_code == 204
    refiled = await client.post(report_url, headers=member, json={"reason": "offensive", "details": "Lời lẽ."})
    assert refiled.json()["reported_at"] == first.json()["reported_at"]
    await client.post(report_url, headers=member, json={"reason": "offensive"})

    queue = (await client.get("/api/v1/moderation/queue", headers=moderator)).json()
    assert [(item["item_kind"], item["item_id"], item["report_count"]) for item in queue] == [("faq", faq_id, 1)]
    assert queue[0]["reasons"] == [{"reason": "offensive", "count": 1}]

    await client.post(report_url, headers=secretary, json={"reason": "spam"})
    queue = (await client.get("/api/v1/moderation/queue", headers=moderator)).json()
    assert queue[0]["report_count"] == 2
    assert queue[0]["reasons"] == [{"reason": "offensive", "count": 1}, {"reason": "spam", "count": 1}]

    # Four filings, one notification this hour, to the moderator who is a member.
    alerts = await outbox(database_url, "moderation.reported")
    assert [payload["audience"]["members"] for payload in alerts] == [[units.secretary_member_id]]

    # A retracted report leaves the count; dismissing clears the queue (and is audited).
    await client.delete(report_url, headers=secretary)
    assert (await client.get("/api/v1/moderation/queue", headers=moderator)).json()[0]["report_count"] == 1
    dismissed = await client.post(
        f"/api/v1/moderation/items/faq/{faq_id}/actions", headers=moderator, json={"action": "dismiss"}
    )
    assert dismissed.status_code == 200, dismissed.text
    assert (await client.get("/api/v1/moderation/queue", headers=moderator)).json() == []
    assert await _audit(database_url, f"faq:{faq_id}") == ["faq_published", "moderation_dismiss"]


async def test_hide_appeal_and_another_moderator_decides(client: AsyncTestClient[Any], database_url: str) -> None:
    units = await demo(database_url)
    member = await bearer(client, "demo.member")
    secretary = await bearer(client, "demo.secretary")
    moderator = await bearer(client, "demo.moderator")
    admin = await bearer(client, "demo.admin")
    thread = await ask(client, member, body="Câu hỏi.", level="commune")
    url = f"/api/v1/feedback/{thread['id']}"
    replied = await client.post(f"{url}/replies", headers=member, json={"body": "Lời lẽ nóng nảy."})
    reply_id = replied.json()["replies"][-1]["id"]
    item = f"/api/v1/moderation/items/reply/{reply_id}"

    hidden = await client.post(
        f"{item}/actions",
        headers=moderator,
        json={"action": "hide", "reason": "Lời lẽ xúc phạm", "message": "Xin viết lại ôn hòa hơn."},
    )
    assert hidden.status_code == 200, hidden.text
    case_id = hidden.json()["case_id"]
    assert hidden.json()["hidden"] is True
    again = await client.post(f"{item}/actions", headers=moderator, json={"action": "hide", "reason": "Lần nữa"})
    assert again.status_code == 409

    # Others see that something is hidden, not what; the author sees it with the reason; it is kept.
    seen = (await client.get(url, headers=secretary)).json()["replies"][-1]
    assert (seen["hidden"], seen["body"], seen["moderation"]) == (True, "", None)
    own = (await client.get(url, headers=member)).json()["replies"][-1]
    assert own["body"] == "Lời lẽ nóng nảy."
    assert own["moderation"]["message"] == "Xin viết lại ôn hòa hơn."
    assert own["moderation"]["can_appeal"] is True
    told = await outbox(database_url, "moderation.hidden")
    assert told[-1]["audience"]["members"] == [units.member_id]
    assert told[-1]["body"] == "Xin viết lại ôn hòa hơn."

    await _appeal_once(client, case_id, reply_id, member, secretary, moderator, admin)

    # The moderator who hid it does not decide; another one does.
    decision_url = f"/api/v1/moderation/cases/{case_id}/decision"
    same = await client.post(decision_url, headers=moderator, json={"decision": "overturn"})
    assert same.status_code == 403
    assert same.headers["content-type"].startswith(PROBLEM)
    decided = await client.post(decision_url, headers=admin, json={"decision": "overturn", "note": "Chấp nhận."})
    assert decided.status_code == 200, decided.text
    assert decided.json()["appeal"] == "overturned"
    assert decided.json()["restored_at"]
    assert (await client.post(decision_url, headers=admin, json={"decision": "uphold"})).status_code == 409
    shown = (await client.get(url, headers=secretary)).json()["replies"][-1]
    assert (shown["hidden"], shown["body"]) == (False, "Lời lẽ nóng nảy.")

    assert await _audit(database_url, f"reply:{reply_id}") == ["moderation_hide"]
    assert await _audit(database_url, f"case:{case_id}") == ["moderation_appealed", "moderation_appeal_overturned"]
    assert await outbox(database_url, "moderation.overturned")


async def test_hidden_thread_upheld_lock_and_restrict(client: AsyncTestClient[Any], database_url: str) -> None:
    member = await bearer(client, "demo.member")
    secretary = await bearer(client, "demo.secretary")
    moderator = await bearer(client, "demo.moderator")
    admin = await bearer(client, "demo.admin")
    thread = await ask(client, member, body="Nội dung sai sự thật.", title="Tiêu đề", anonymous=True)
    url = f"/api/v1/feedback/{thread['id']}"
    item = f"/api/v1/moderation/items/thread/{thread['id']}"

    hidden = await client.post(f"{item}/actions", headers=moderator, json={"action": "hide", "reason": "Sai sự thật"})
    case_id = hidden.json()["case_id"]
    seen = (await client.get(url, headers=secretary)).json()
    assert (seen["hidden"], seen["title"], seen["body"], seen["author"]) == (True, "", "", None)
    inbox = (await client.get("/api/v1/feedback/inbox", headers=secretary)).json()["items"][0]
    assert (inbox["hidden"], inbox["excerpt"]) == (True, "")
    await client.post(f"/api/v1/moderation/cases/{case_id}/appeal", headers=member, json={"text": "Đúng sự thật."})
    upheld = await client.post(
        f"/api/v1/moderation/cases/{case_id}/decision", headers=admin, json={"decision": "uphold"}
    )
    assert upheld.json()["appeal"] == "upheld"
    assert (await client.get(url, headers=secretary)).json()["hidden"] is True
    # The anonymous asker's appeal is audited without an actor.
    actors = await fetch(
        database_url,
        "select actor_id from audit_log where action = 'moderation_appealed' and target = $1",
        f"case:{case_id}",
    )
    assert actors == [{"actor_id": None}]

    locked = await client.post(f"{item}/actions", headers=moderator, json={"action": "lock"})
    assert locked.json()["locked"] is True
    assert (await client.post(f"{url}/replies", headers=member, json={"body": "Còn nữa."})).status_code == 409
    assert (await client.post(f"{url}/replies", headers=secretary, json={"body": "Trả lời."})).status_code == 409
    reply_lock = await client.post(
        f"/api/v1/moderation/items/reply/{uuid.uuid4()}/actions", headers=moderator, json={"action": "lock"}
    )
    assert reply_lock.status_code == 404
    unlocked = await client.post(f"{item}/actions", headers=moderator, json={"action": "unlock"})
    assert unlocked.json()["locked"] is False

    restricted = await client.post(
        f"{item}/actions",
        headers=moderator,
        json={"action": "restrict", "reason": "Nhiều lần sai sự thật", "days": 3, "message": "Tạm dừng 3 ngày."},
    )
    assert restricted.status_code == 200, restricted.text
    assert restricted.json()["restricted_until"]
    for path, body in (("/api/v1/feedback", {"body": "Góp ý mới."}), (f"{url}/replies", {"body": "Trả lời."})):
        refused = await client.post(path, headers=member, json=body)
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"].startswith(PROBLEM)
    # Reading and reporting stay open; the secretary is not restricted.
    assert (await client.get(url, headers=member)).status_code == 200
    assert (await client.post("/api/v1/feedback", headers=secretary, json={"body": "Bình thường."})).status_code == 201
    details = await scalar(
        database_url,
        "select details from audit_log where action = 'moderation_restrict' and target = $1",
        f"thread:{thread['id']}",
    )
    assert set(details) == {"restriction_id", "days", "reason"}, "the audit row does not name the author"
    assert await _audit(database_url, f"thread:{thread['id']}") == [
        "moderation_hide",
        "moderation_lock",
        "moderation_unlock",
        "moderation_restrict",
    ]


async def test_out_of_scope_items_are_not_found(
    client: AsyncTestClient[Any], database_url: str, settings: Settings
) -> None:
    units = await demo(database_url)
    member = await bearer(client, "demo.member")
    secretary = await bearer(client, "demo.secretary")
    thread = await ask(client, member, body="Trong xã.", level="commune")
    other_commune = await scalar(
        database_url, "select id from org_units where kind = 'commune' and id <> $1 limit 1", units.commune_id
    )
    outsider = await staff(client, database_url, settings, "far.moderator", "moderator", other_commune)
    item = f"/api/v1/moderation/items/thread/{thread['id']}"
    for method, path, body in (
        ("POST", f"{item}/report", {"reason": "spam"}),
        ("DELETE", f"{item}/report", None),
        ("POST", f"{item}/actions", {"action": "hide", "reason": "x"}),
    ):
        response = await client.request(method, path, headers=outsider, json=body)
        assert response.status_code == 404, (path, response.text)
    assert (await client.get("/api/v1/moderation/queue", headers=outsider)).json() == []
    # A plain member cannot see another's thread, so cannot report it either.
    other = await ask(client, secretary, body="Của bí thư.")
    hidden_from_member = await client.post(
        f"/api/v1/moderation/items/thread/{other['id']}/report", headers=member, json={"reason": "spam"}
    )
    assert hidden_from_member.status_code == 404


async def test_bad_moderation_input(client: AsyncTestClient[Any], database_url: str) -> None:
    member = await bearer(client, "demo.member")
    moderator = await bearer(client, "demo.moderator")
    thread = await ask(client, member, body="Câu hỏi.")
    item = f"/api/v1/moderation/items/thread/{thread['id']}"
    for path, body in (
        (f"{item}/actions", {"action": "hide"}),
        (f"{item}/actions", {"action": "hide", "reason": "   "}),
        (f"{item}/actions", {"action": "restrict", "reason": "x"}),
        (f"{item}/actions", {"action": "restrict", "reason": "x", "days": 0}),
        (f"{item}/actions", {"action": "restrict", "reason": "x", "days": 366}),
        (f"{item}/actions", {"action": "lock", "days": 3}),
        (f"{item}/actions", {"action": "delete"}),
        (f"{item}/actions", {"action": "hide", "reason": "r" * 501}),
        (f"{item}/report", {"reason": "dislike"}),
        (f"{item}/report", {"reason": "spam", "details": "d" * 1001}),
        (f"/api/v1/moderation/items/post/{thread['id']}/report", {"reason": "spam"}),
        (f"/api/v1/moderation/cases/{uuid.uuid4()}/appeal", {"text": ""}),
        (f"/api/v1/moderation/cases/{uuid.uuid4()}/decision", {"decision": "maybe"}),
    ):
        response = await client.post(path, headers=moderator, json=body)
        assert response.status_code == 400, (path, body, response.text)
        assert response.headers["content-type"].startswith(PROBLEM)
    assert (await client.get("/api/v1/moderation/queue", headers=moderator, params={"limit": 0})).status_code == 400
    assert await scalar(database_url, "select count(*) from moderation_cases") == 0
    assert await scalar(database_url, "select count(*) from moderation_reports") == 0


async def _appeal_once(
    client: AsyncTestClient[Any],
    case_id: str,
    reply_id: str,
    member: dict[str, str],
    secretary: dict[str, str],
    moderator: dict[str, str],
    admin: dict[str, str],
) -> None:
    # One appeal, by the author only.
    appeal_url = f"/api/v1/moderation/cases/{case_id}/appeal"
    assert (await client.post(appeal_url, headers=secretary, json={"text": "Tôi kháng nghị."})).status_code == 403
    appealed = await client.post(appeal_url, headers=member, json={"text": "Tôi chỉ nói sự thật."})
    assert appealed.status_code == 201, appealed.text
    assert appealed.json()["appeal"] == "pending"
    assert (await client.post(appeal_url, headers=member, json={"text": "Lần hai."})).status_code == 409

    queue = (await client.get("/api/v1/moderation/queue", headers=admin)).json()
    pending = next(entry for entry in queue if entry["item_id"] == reply_id)
    assert pending["appeal"]["case_id"] == case_id
    assert pending["appeal"]["hidden_by_you"] is False
    mine = next(e for e in (await client.get("/api/v1/moderation/queue", headers=moderator)).json())
    assert mine["appeal"]["hidden_by_you"] is True
