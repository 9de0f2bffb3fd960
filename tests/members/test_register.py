"""Who sees which members, and which of their fields: the register's visibility rules."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from api.db import connect
from tests.helpers import bearer


async def _demo_branch(client: AsyncTestClient[Any], auth: dict[str, str]) -> int:
    return int((await client.get("/api/v1/me", headers=auth)).json()["branch_id"])


async def test_secretary_sees_own_branch_roster_without_citizen_ids(
    client: AsyncTestClient[Any], database_url: str
) -> None:
    secretary = await bearer(client, "demo.secretary")
    branch_id = await _demo_branch(client, secretary)
    roster = (await client.get("/api/v1/members", params={"limit": 500}, headers=secretary)).json()
    conn = await connect(database_url)
    try:
        expected = await conn.fetchval("select count(*) from members where branch_id = $1", branch_id)
    finally:
        await conn.close()
    assert len(roster["items"]) == expected
    assert {member["branch_id"] for member in roster["items"]} == {branch_id}
    assert all(member["citizen_id"] is None for member in roster["items"])


async def test_paging_walks_the_whole_scope_once(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    seen: list[str] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": 37} | ({"after": after} if after else {})
        page = (await client.get("/api/v1/members", params=params, headers=admin)).json()
        seen.extend(member["card_number"] for member in page["items"])
        after = page["next_cursor"]
        if after is None:
            break
    assert len(seen) == len(set(seen)) == 300
    assert seen == sorted(seen)


async def test_admin_sees_masked_citizen_id_in_lists_and_whole_in_a_record(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    listed = (await client.get("/api/v1/members", params={"limit": 50}, headers=admin)).json()["items"]
    with_id = next(member for member in listed if member["citizen_id"])
    assert with_id["citizen_id"].startswith("*********")
    record = (await client.get(f"/api/v1/members/{with_id['id']}", headers=admin)).json()
    assert len(record["citizen_id"]) == 12
    assert record["citizen_id"].isdigit()
    assert record["citizen_id"].endswith(with_id["citizen_id"][-3:])


async def test_member_sees_own_record_and_nobody_else(client: AsyncTestClient[Any]) -> None:
    member = await bearer(client, "demo.member")
    me = (await client.get("/api/v1/me", headers=member)).json()
    own = await client.get(f"/api/v1/members/{me['member_id']}", headers=member)
    assert own.status_code == 200
    assert own.json()["citizen_id"], "members see their own citizen ID"
    secretary = await bearer(client, "demo.secretary")
    colleague = (await client.get("/api/v1/me", headers=secretary)).json()["member_id"]
    assert (await client.get(f"/api/v1/members/{colleague}", headers=member)).status_code == 404
    assert (await client.get("/api/v1/members", headers=member)).status_code == 403


async def test_officer_sees_commune_subtree(client: AsyncTestClient[Any], database_url: str) -> None:
    admin = await bearer(client, "demo.admin")
    secretary = await bearer(client, "demo.secretary")
    branch_id = await _demo_branch(client, secretary)
    branch = (await client.get(f"/api/v1/org/units/{branch_id}", headers=admin)).json()
    commune_id = branch["path"][-2]
    member_id = (await client.get("/api/v1/me", headers=secretary)).json()["member_id"]
    granted = await client.post(
        "/api/v1/role-grants", headers=admin, json={"member_id": member_id, "role": "officer", "unit_id": commune_id}
    )
    assert granted.status_code == 201
    # The grant applies to the secretary's live session at once: the cached caller was dropped.
    commune = (await client.get("/api/v1/members", params={"limit": 500}, headers=secretary)).json()["items"]
    conn = await connect(database_url)
    try:
        expected = await conn.fetchval(
            "select count(*) from members m join org_units b on b.id = m.branch_id where b.path @> array[$1::bigint]",
            commune_id,
        )
    finally:
        await conn.close()
    assert len(commune) == expected > len([m for m in commune if m["branch_id"] == branch_id])
    children = (await client.get("/api/v1/org/units", params={"parent_id": commune_id}, headers=secretary)).json()
    assert {unit["kind"] for unit in children} == {"branch"}
    assert branch_id in {unit["id"] for unit in children}
