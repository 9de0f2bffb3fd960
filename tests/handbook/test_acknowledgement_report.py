"""Acknowledgement reports: a secretary sees names in the branch, committees see counts per branch."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.helpers import bearer


async def test_secretary_sees_who_read_and_admin_sees_counts(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    member = await bearer(client, "demo.member")
    secretary = await bearer(client, "demo.secretary")
    created = (
        await client.post(
            "/api/v1/documents",
            headers=admin,
            json={"slug": "can-doc", "kind": "regulation", "title": "Quy định", "requires_ack": True},
        )
    ).json()
    section = (
        await client.post(
            f"/api/v1/documents/{created['id']}/sections",
            headers=admin,
            json={"title": "Điều 1", "body_md": "Nội dung.", "requires_ack": True},
        )
    ).json()
    revision = (await client.get(f"/api/v1/documents/{created['id']}", headers=admin)).json()["revision"]
    await client.put(
        f"/api/v1/documents/{created['id']}", headers=admin, json={"revision": revision, "status": "published"}
    )
    ack_hash = (await client.get(f"/api/v1/sections/{section['id']}", headers=member)).json()["ack_hash"]
    await client.post(f"/api/v1/sections/{section['id']}/acknowledge", headers=member, json={"ack_hash": ack_hash})

    mine = (await client.get(f"/api/v1/documents/{created['id']}/acknowledgements", headers=secretary)).json()
    me = (await client.get("/api/v1/me", headers=member)).json()
    assert len(mine["branches"]) == 1
    branch = mine["branches"][0]
    assert branch["branch_id"] == me["branch_id"]
    assert branch["acknowledged"] == 1
    assert branch["percent"] == round(100 / branch["members"], 1)
    acknowledged = [m for m in mine["members"] if m["acknowledged"]]
    assert [m["member_id"] for m in acknowledged] == [me["member_id"]]
    assert len(mine["members"]) == branch["members"]

    province = (await client.get(f"/api/v1/documents/{created['id']}/acknowledgements", headers=admin)).json()
    assert len(province["branches"]) > 1
    assert sum(b["acknowledged"] for b in province["branches"]) == 1
    assert province["members"] == [], "no names above the branch"
    assert (await client.get(f"/api/v1/documents/{created['id']}/acknowledgements", headers=member)).status_code == 403
