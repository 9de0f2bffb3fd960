"""What the notice tests share: the demo people, their units, and direct looks into the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.testing import AsyncTestClient

from api.db import connect
from tests.helpers import bearer


async def fetch(database_url: str, query: str, *args: object) -> list[dict[str, Any]]:
    conn = await connect(database_url)
    try:
        return [dict(row) for row in await conn.fetch(query, *args)]
    finally:
        await conn.close()


async def scalar(database_url: str, query: str, *args: object) -> Any:
    conn = await connect(database_url)
    try:
        return await conn.fetchval(query, *args)
    finally:
        await conn.close()


@dataclass
class Demo:
    client: AsyncTestClient[Any]
    database_url: str
    member: dict[str, str]
    secretary: dict[str, str]
    admin: dict[str, str]
    branch_id: int
    commune_id: int
    other_branch_id: int
    """A branch of another commune."""
    member_id: str

    async def post(self, who: dict[str, str], **body: Any) -> dict[str, Any]:
        response = await self.client.post("/api/v1/notices", headers=who, json={"title": "T", "body": "B", **body})
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def feed(self, who: dict[str, str], **params: Any) -> dict[str, Any]:
        response = await self.client.get("/api/v1/notices", headers=who, params=params)
        assert response.status_code == 200, response.text
        return dict(response.json())


async def demo(client: AsyncTestClient[Any], database_url: str) -> Demo:
    member = await bearer(client, "demo.member")
    me = (await client.get("/api/v1/me", headers=member)).json()
    row = (
        await fetch(
            database_url,
            "select b.id, b.path from members m join org_units b on b.id = m.branch_id where m.id = $1::uuid",
            me["member_id"],
        )
    )[0]
    other = await scalar(
        database_url,
        "select id from org_units where kind = 'branch' and not (path @> array[$1::bigint]) "
        "and exists (select 1 from members where branch_id = org_units.id) order by code limit 1",
        row["path"][-2],
    )
    return Demo(
        client=client,
        database_url=database_url,
        member=member,
        secretary=await bearer(client, "demo.secretary"),
        admin=await bearer(client, "demo.admin"),
        branch_id=row["id"],
        commune_id=row["path"][-2],
        other_branch_id=other,
        member_id=me["member_id"],
    )
