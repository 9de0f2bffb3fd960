"""FAQ entries: published only with the asker's consent, anonymised, readable across the level's scope."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from api.settings import Settings
from tests.feedback.support import ask, demo, scalar, staff
from tests.helpers import bearer


async def test_publishing_needs_consent_and_leaves_the_asker_out(
    client: AsyncTestClient[Any], database_url: str, settings: Settings
) -> None:
    units = await demo(database_url)
    member = await bearer(client, "demo.member")
    secretary = await bearer(client, "demo.secretary")
    thread = await ask(client, member, body="Đảng phí tính theo lương nào?", category="party_building")
    url = f"/api/v1/feedback/{thread['id']}"
    publish = {
        "thread_id": thread["id"],
        "question": "Đảng phí được tính theo mức lương nào?",
        "answer_md": "Theo **lương đóng bảo hiểm xã hội**. <script>alert(1)</script>",
    }
    not_yet = await client.post("/api/v1/faq", headers=secretary, json=publish)
    assert not_yet.status_code == 409, "not answered yet"
    await client.post(f"{url}/replies", headers=secretary, json={"body": "Theo lương đóng BHXH."})
    no_consent = await client.post("/api/v1/faq", headers=secretary, json=publish)
    assert no_consent.status_code == 409
    assert "đồng ý" in no_consent.json()["detail"]

    # Only the asker gives consent.
    assert (await client.put(f"{url}/faq-consent", headers=secretary, json={"consent": True})).status_code == 403
    consented = await client.put(f"{url}/faq-consent", headers=member, json={"consent": True})
    assert consented.json()["faq_consent"] is True

    named = await client.post(
        "/api/v1/faq", headers=secretary, json=publish | {"question": f"{units.member_name} hỏi về đảng phí"}
    )
    assert named.status_code == 400
    assert [error["field"] for error in named.json()["errors"]] == ["question"]

    published = await client.post("/api/v1/faq", headers=secretary, json=publish)
    assert published.status_code == 201, published.text
    entry = published.json()
    assert entry["question"] == publish["question"]
    assert "<strong>lương đóng bảo hiểm xã hội</strong>" in entry["answer_html"]
    assert "<script" not in entry["answer_html"]
    assert entry["category"] == "party_building"
    assert entry["unit_id"] == units.branch_id
    assert units.member_name not in published.text
    assert units.member_id not in published.text
    assert set(entry) >= {"id", "question", "answer_html"}
    assert "author" not in entry
    assert "thread_id" not in entry
    assert (await client.post("/api/v1/faq", headers=secretary, json=publish)).status_code == 409

    # The whole branch reads it; a committee elsewhere does not.
    listed = (await client.get("/api/v1/faq", headers=member)).json()
    assert [item["id"] for item in listed["items"]] == [entry["id"]]
    filtered = await client.get("/api/v1/faq", headers=member, params={"category": "policy"})
    assert filtered.json()["items"] == []
    other_commune = await scalar(
        database_url, "select id from org_units where kind = 'commune' and id <> $1 limit 1", units.commune_id
    )
    outsider = await staff(client, database_url, settings, "faq.outsider", "officer", other_commune)
    assert (await client.get("/api/v1/faq", headers=outsider)).json()["items"] == []

    # Withdrawing consent takes the entry down; consenting again lets it be published again.
    await client.put(f"{url}/faq-consent", headers=member, json={"consent": False})
    assert (await client.get("/api/v1/faq", headers=member)).json()["items"] == []
    assert (await client.post("/api/v1/faq", headers=secretary, json=publish)).status_code == 409
    await client.put(f"{url}/faq-consent", headers=member, json={"consent": True})
    again = await client.post("/api/v1/faq", headers=secretary, json=publish)
    assert again.status_code == 201
    assert again.json()["id"] == entry["id"]


async def test_an_anonymous_askers_name_cannot_be_probed_through_publishing(
    client: AsyncTestClient[Any], database_url: str
) -> None:
    units = await demo(database_url)
    member = await bearer(client, "demo.member")
    secretary = await bearer(client, "demo.secretary")
    thread = await ask(client, member, body="Hỏi ẩn danh.", anonymous=True, faq_consent=True)
    await client.post(f"/api/v1/feedback/{thread['id']}/replies", headers=secretary, json={"body": "Trả lời."})
    # A guess at the name is not refused (a refusal would confirm it); the officer's text is theirs to check.
    guess = await client.post(
        "/api/v1/faq",
        headers=secretary,
        json={"thread_id": thread["id"], "question": f"{units.member_name}?", "answer_md": "Trả lời."},
    )
    assert guess.status_code == 201
