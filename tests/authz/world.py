"""The seeded province as the authorization matrix sees it: the demo branch ("in") and a branch of
another commune ("out"), a bearer token per role, and the helpers every row module shares."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.auth.passwords import Passwords
from api.db import connect
from api.settings import Settings
from tests.servers import DEMO_PASSWORD

ROLES = ("anonymous", "member", "secretary", "officer", "moderator", "commune_admin", "province_admin")
LOGINS = {
    "member": "demo.member",
    "secretary": "demo.secretary",
    "officer": "matrix.officer",
    "moderator": "demo.moderator",
    "commune_admin": "matrix.admin",
    "province_admin": "demo.admin",
}


@dataclass
class World:
    """The seeded province, seen from the demo branch, plus a bearer token per role."""

    client: AsyncTestClient[Litestar]
    database_url: str
    branch: dict[str, Any]
    other_branch: dict[str, Any]
    member_in: UUID
    plain_member_in: UUID
    member_out: UUID
    tokens: dict[str, str] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per scope: a published document whose audience is the demo commune ("in") or another one."""
    extras: dict[str, Any] = field(default_factory=dict)
    """Whatever a row module builds once per world and reuses across roles (keyed by its own names)."""
    programs: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per scope: a study program for the demo commune ("in") or another one, made when first needed."""

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role in self.tokens else {}

    async def token_for(self, login: str) -> str:
        response = await self.client.post(
            "/api/v1/auth/login", json={"login": login, "password": DEMO_PASSWORD, "client": "bearer"}
        )
        assert response.status_code == 200, response.text
        return str(response.json()["token"])

    async def sql(self, query: str, *args: object) -> Any:
        conn = await connect(self.database_url)
        try:
            return await conn.fetchval(query, *args)
        finally:
            await conn.close()


Request = Callable[[World, str, str], Awaitable[httpx.Response]]


def get(path: Callable[[World, str], str]) -> Request:
    async def request(world: World, role: str, scope: str) -> httpx.Response:
        return await world.client.get(path(world, scope), headers=world.auth(role))

    return request


def unit(world: World, scope: str) -> dict[str, Any]:
    return world.branch if scope == "in" else world.other_branch


async def new_section(world: World, scope: str) -> dict[str, Any]:
    admin = {"Authorization": f"Bearer {world.tokens['province_admin']}"}
    document_id = world.documents[scope]["id"]
    response = await world.client.post(
        f"/api/v1/documents/{document_id}/sections",
        headers=admin,
        json={"title": "Mục thử", "body_md": "Nội dung **thử**."},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def build_world(client: AsyncTestClient[Litestar], database_url: str, settings: Settings) -> World:
    conn = await connect(database_url)
    try:
        branch = dict(
            await conn.fetchrow(
                "select b.id, b.code, b.path from org_units b join members m on m.branch_id = b.id "
                "join accounts a on a.member_id = m.id where a.username = 'demo.member'"
            )
        )
        other = dict(
            await conn.fetchrow(
                "select id, code, path from org_units where kind = 'branch' and not (path @> array[$1::bigint]) "
                "and exists (select 1 from members where branch_id = org_units.id) order by code limit 1",
                branch["path"][-2],
            )
        )
        member_in = await conn.fetchval("select member_id from accounts where username = 'demo.member'")
        plain_in = await conn.fetchval(
            "select m.id from members m join accounts a on a.member_id = m.id where m.branch_id = $1 "
            "and a.username is null and m.status = 'active' order by m.card_number limit 1",
            branch["id"],
        )
        member_out = await conn.fetchval(
            "select id from members where branch_id = $1 and status = 'active' order by card_number limit 1",
            other["id"],
        )
        password_hash = await Passwords(settings).hash(DEMO_PASSWORD)
        for username, role in (("matrix.officer", "officer"), ("matrix.admin", "admin")):
            account = await conn.fetchval(
                "insert into accounts (username, display_name, password_hash, activated_at) "
                "values ($1, $1, $2, now()) returning id",
                username,
                password_hash,
            )
            await conn.execute(
                "insert into role_grants (account_id, role, unit_id) values ($1, $2, $3)",
                account,
                role,
                branch["path"][-2],
            )
    finally:
        await conn.close()
    world = World(
        client=client,
        database_url=database_url,
        branch=branch,
        other_branch=other,
        member_in=member_in,
        plain_member_in=plain_in,
        member_out=member_out,
    )
    for role, login in LOGINS.items():
        world.tokens[role] = await world.token_for(login)
    admin = {"Authorization": f"Bearer {world.tokens['province_admin']}"}
    for scope in ("in", "out"):
        created = await client.post(
            "/api/v1/documents",
            headers=admin,
            json={
                "slug": f"matrix-{scope}",
                "kind": "guide",
                "title": "Tài liệu",
                "audience_unit_id": unit(world, scope)["path"][-2],
            },
        )
        assert created.status_code == 201, created.text
        document = created.json()
        published = await client.put(
            f"/api/v1/documents/{document['id']}",
            headers=admin,
            json={"revision": document["revision"], "status": "published"},
        )
        assert published.status_code == 200, published.text
        world.documents[scope] = {"id": document["id"]}
        section = await new_section(world, scope)
        source = await client.get(f"/api/v1/sections/{section['id']}", headers=admin)
        world.documents[scope] |= {"section_id": section["id"], "ack_hash": source.json()["ack_hash"]}
    return world


def check(expected: int | str, response: httpx.Response) -> None:
    if isinstance(expected, int):
        assert response.status_code == expected, response.text[:300]
        if expected >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")
        return
    status, _, detail = expected.partition("-")
    assert response.status_code == int(status), response.text[:300]
    body = response.json()
    if detail == "empty":
        assert (body["items"] if isinstance(body, dict) else body) == []
    elif detail == "imported":
        assert body["inserted"] + body["updated"] + body["unchanged"] == 1, body
    elif detail == "rejected":
        assert [error["code"] for error in body["errors"]] == ["unknown_branch"], body
