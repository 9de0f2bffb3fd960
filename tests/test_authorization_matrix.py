"""One authorization matrix: every route x role x in-scope / out-of-scope -> expected status.

"In scope" targets live in the demo branch and its commune; "out of scope" targets in another
commune. Commune-level roles must answer 404 there (never 403: nobody may probe what exists),
while the province admin reaches both. A route of the app without a row here fails the suite.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
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

# Expected statuses in ROLES order. "in" and "out" name the target's scope; routes without a target
# have only "in". "200-empty" is a 200 whose list holds nothing (scope filters, not refuses).
MATRIX: dict[str, dict[str, tuple[int | str, ...]]] = {
    "HealthLive": {"in": (200, 200, 200, 200, 200, 200, 200)},
    "HealthReady": {"in": (200, 200, 200, 200, 200, 200, 200)},
    "GET /metrics": {"in": (200, 200, 200, 200, 200, 200, 200)},
    "GET /api": {"in": (200, 200, 200, 200, 200, 200, 200)},
    "GET /api/docs": {"in": (200, 200, 200, 200, 200, 200, 200)},
    "GET /api/openapi.json": {"in": (200, 200, 200, 200, 200, 200, 200)},
    "GET /api/oauth2-redirect.html": {"in": (200, 200, 200, 200, 200, 200, 200)},
    "GET /api/{path:str}": {"in": (404, 404, 404, 404, 404, 404, 404)},
    "Login": {"in": (200, 200, 200, 200, 200, 200, 200)},
    "ActivateAccount": {"in": (200, 200, 200, 200, 200, 200, 200)},
    "Logout": {"in": (401, 204, 204, 204, 204, 204, 204)},
    "GetMe": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "ChangePassword": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "ListMySessions": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "RevokeOtherSessions": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "RevokeSession": {"in": (401, 204, 204, 204, 204, 204, 204), "out": (401, 404, 404, 404, 404, 404, 404)},
    "GetOrgUnit": {"in": (401, 200, 200, 200, 200, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "ListOrgUnits": {"in": (401, 200, 200, 200, 200, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "ListMembers": {
        "in": (401, 403, 200, 200, 403, 200, 200),
        "out": (401, 403, "200-empty", "200-empty", 403, "200-empty", 200),
    },
    "GetMember": {"in": (401, 200, 200, 200, 404, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "ResetMemberAccess": {"in": (401, 403, 200, 403, 403, 200, 200), "out": (401, 403, 404, 403, 403, 404, 200)},
    "IssueActivationCodes": {"in": (401, 403, 200, 403, 403, 200, 200), "out": (401, 403, 404, 403, 403, 404, 200)},
    "ImportMembers": {
        "in": (401, 403, 403, 403, 403, "200-imported", "200-imported"),
        "out": (401, 403, 403, 403, 403, "200-rejected", "200-imported"),
    },
    "ListRoleGrants": {"in": (401, 403, 403, 403, 403, 200, 200), "out": (401, 403, 403, 403, 403, "200-empty", 200)},
    "GrantRole": {"in": (401, 403, 403, 403, 403, 201, 201), "out": (401, 403, 403, 403, 403, 404, 201)},
    "RevokeRole": {"in": (401, 403, 403, 403, 403, 204, 204), "out": (401, 403, 403, 403, 403, 404, 204)},
    "ListAuditEvents": {"in": (401, 403, 403, 403, 403, 200, 200)},
    # Content: "in" lives in the demo commune, "out" in another commune.
    "ListDocuments": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "GetDocument": {"in": (401, 200, 200, 200, 200, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "GetSection": {"in": (401, 200, 200, 200, 200, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "AcknowledgeSection": {"in": (401, 200, 200, 200, 200, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "GetOfflineManifest": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "GetOfflineChanges": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "SearchContent": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "CreateDocument": {"in": (401, 403, 403, 403, 403, 201, 201), "out": (401, 403, 403, 403, 403, 404, 201)},
    "UpdateDocument": {"in": (401, 403, 403, 403, 403, 200, 200), "out": (401, 403, 403, 403, 403, 404, 200)},
    "CreateSection": {"in": (401, 403, 403, 403, 403, 201, 201), "out": (401, 403, 403, 403, 403, 404, 201)},
    "GetSectionSource": {"in": (401, 403, 403, 403, 403, 200, 200), "out": (401, 403, 403, 403, 403, 404, 200)},
    "UpdateSection": {"in": (401, 403, 403, 403, 403, 200, 200), "out": (401, 403, 403, 403, 403, 404, 200)},
    "DeleteSection": {"in": (401, 403, 403, 403, 403, 204, 204), "out": (401, 403, 403, 403, 403, 404, 204)},
    "ListSectionRevisions": {"in": (401, 403, 403, 403, 403, 200, 200), "out": (401, 403, 403, 403, 403, 404, 200)},
    "GetAcknowledgementReport": {"in": (401, 403, 200, 200, 403, 200, 200), "out": (401, 403, 404, 404, 403, 404, 200)},
    "UploadAttachment": {"in": (401, 403, 403, 403, 403, 201, 201), "out": (401, 403, 403, 403, 403, 404, 201)},
    "GetAttachment": {"in": (401, 200, 200, 200, 200, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "CompareSectionRevisions": {"in": (401, 403, 403, 403, 403, 200, 200), "out": (401, 403, 403, 403, 403, 404, 200)},
    # Study: "in" programs target the demo commune, "out" ones another commune. Doing the work of a
    # program (progress, quiz, reflection) is for the members it is assigned to: staff who may see it
    # but are not assigned get 403; everyone else 404.
    "CreateStudyProgram": {"in": (401, 403, 403, 201, 403, 201, 201), "out": (401, 403, 403, 404, 403, 404, 201)},
    "ListStudyPrograms": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "GetStudyProgram": {"in": (401, 200, 200, 200, 404, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "RecordStudyProgress": {"in": (401, 200, 200, 403, 404, 403, 403), "out": (401, 404, 404, 404, 404, 404, 403)},
    "GetStudyQuiz": {"in": (401, 200, 200, 200, 404, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "SubmitQuizAttempt": {"in": (401, 200, 200, 403, 404, 403, 403), "out": (401, 404, 404, 404, 404, 404, 403)},
    "SubmitReflection": {"in": (401, 200, 200, 403, 404, 403, 403), "out": (401, 404, 404, 404, 404, 404, 403)},
    "ListReflections": {"in": (401, 403, 200, 403, 403, 403, 403), "out": (401, 403, 404, 403, 403, 403, 403)},
    "ReviewReflection": {"in": (401, 403, 200, 403, 403, 403, 403), "out": (401, 403, 404, 403, 403, 403, 403)},
    "GetStudyReport": {"in": (401, 403, 200, 200, 403, 200, 200), "out": (401, 403, 404, 404, 403, 404, 200)},
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


def _get(path: Callable[[World, str], str]) -> Request:
    async def request(world: World, role: str, scope: str) -> httpx.Response:
        return await world.client.get(path(world, scope), headers=world.auth(role))

    return request


def _unit(world: World, scope: str) -> dict[str, Any]:
    return world.branch if scope == "in" else world.other_branch


async def _activate(world: World, role: str, scope: str) -> httpx.Response:
    # A fresh code for a plain member each time: the route itself does not care who calls it.
    admin = {"Authorization": f"Bearer {await world.token_for('demo.admin')}"}
    sheet = await world.client.post(f"/api/v1/members/{world.plain_member_in}/reset-access", headers=admin)
    code = sheet.json()
    return await world.client.post(
        "/api/v1/auth/activate",
        headers=world.auth(role),
        json={
            "card_number": code["card_number"],
            "code": code["code"],
            "password": "a brand new passphrase",
            "client": "bearer",
        },
    )


async def _logout(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post("/api/v1/auth/logout", headers=world.auth(role))


async def _change_password(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post(
        "/api/v1/me/password",
        headers=world.auth(role),
        json={"current_password": DEMO_PASSWORD, "new_password": DEMO_PASSWORD},
    )


async def _revoke_session(world: World, role: str, scope: str) -> httpx.Response:
    owner = (
        LOGINS.get(role, "demo.member") if scope == "in" else ("demo.member" if role != "member" else "demo.secretary")
    )
    victim = await world.token_for(owner)
    sessions = await world.client.get("/api/v1/me/sessions", headers={"Authorization": f"Bearer {victim}"})
    victim_id = next(s["id"] for s in sessions.json() if s["current"])
    return await world.client.delete(f"/api/v1/me/sessions/{victim_id}", headers=world.auth(role))


async def _revoke_others(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post("/api/v1/me/sessions/revoke-others", headers=world.auth(role))


async def _list_units(world: World, role: str, scope: str) -> httpx.Response:
    parent = _unit(world, scope)["path"][-2]
    return await world.client.get("/api/v1/org/units", params={"parent_id": parent}, headers=world.auth(role))


async def _list_members(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.get(
        "/api/v1/members", params={"unit_id": _unit(world, scope)["id"]}, headers=world.auth(role)
    )


async def _reset_access(world: World, role: str, scope: str) -> httpx.Response:
    target = world.plain_member_in if scope == "in" else world.member_out
    return await world.client.post(f"/api/v1/members/{target}/reset-access", headers=world.auth(role))


async def _issue_codes(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post(
        f"/api/v1/org/units/{_unit(world, scope)['id']}/activation-codes", headers=world.auth(role)
    )


async def _import(world: World, role: str, scope: str) -> httpx.Response:
    branch_code = _unit(world, scope)["code"]
    card = "99" + str(abs(hash((role, scope))) % 10**8).zfill(8)
    body = (
        "so_the,ho_ten,ngay_sinh,gioi_tinh,ngay_vao_dang,ma_chi_bo\r\n"
        f"{card},Nguyễn Văn Ma Trận,01/02/1970,Nam,03/04/1995,{branch_code}\r\n"
    ).encode()
    return await world.client.post(
        "/api/v1/members/import", content=body, headers={**world.auth(role), "Content-Type": "text/csv"}
    )


async def _list_grants(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.get(
        "/api/v1/role-grants", params={"unit_id": _unit(world, scope)["id"]}, headers=world.auth(role)
    )


async def _grant(world: World, role: str, scope: str) -> httpx.Response:
    member = world.plain_member_in if scope == "in" else world.member_out
    return await world.client.post(
        "/api/v1/role-grants",
        headers=world.auth(role),
        json={"member_id": str(member), "role": "moderator", "unit_id": _unit(world, scope)["id"]},
    )


async def _revoke_grant(world: World, role: str, scope: str) -> httpx.Response:
    member = world.plain_member_in if scope == "in" else world.member_out
    grant_id = await world.sql(
        "insert into role_grants (account_id, role, unit_id) select id, 'editor', $2 from accounts "
        "where member_id = $1 on conflict (account_id, role, unit_id) do update set role = excluded.role "
        "returning id",
        member,
        _unit(world, scope)["id"],
    )
    return await world.client.delete(f"/api/v1/role-grants/{grant_id}", headers=world.auth(role))


async def _login(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post(
        "/api/v1/auth/login",
        headers=world.auth(role),
        json={"login": "demo.member", "password": DEMO_PASSWORD, "client": "bearer"},
    )


async def _new_section(world: World, scope: str) -> dict[str, Any]:
    admin = {"Authorization": f"Bearer {world.tokens['province_admin']}"}
    document_id = world.documents[scope]["id"]
    response = await world.client.post(
        f"/api/v1/documents/{document_id}/sections",
        headers=admin,
        json={"title": "Mục thử", "body_md": "Nội dung **thử**."},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _section(world: World, scope: str) -> str:
    return str(world.documents[scope]["section_id"])


async def _acknowledge(world: World, role: str, scope: str) -> httpx.Response:
    section = world.documents[scope]
    return await world.client.post(
        f"/api/v1/sections/{section['section_id']}/acknowledge",
        headers=world.auth(role),
        json={"ack_hash": section["ack_hash"]},
    )


async def _create_document(world: World, role: str, scope: str) -> httpx.Response:
    slug = f"matrix-{role.replace('_', '-')}-{scope}"
    commune = _unit(world, scope)["path"][-2]
    return await world.client.post(
        "/api/v1/documents",
        headers=world.auth(role),
        json={"slug": slug, "kind": "guide", "title": "Tài liệu thử", "audience_unit_id": commune},
    )


async def _update_document(world: World, role: str, scope: str) -> httpx.Response:
    document_id = world.documents[scope]["id"]
    revision = await world.sql("select revision from documents where id = $1", document_id)
    return await world.client.put(
        f"/api/v1/documents/{document_id}",
        headers=world.auth(role),
        json={"revision": revision, "summary": f"Sửa bởi {role}"},
    )


async def _create_section(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post(
        f"/api/v1/documents/{world.documents[scope]['id']}/sections",
        headers=world.auth(role),
        json={"title": "Mục mới", "body_md": "Văn bản."},
    )


async def _update_section(world: World, role: str, scope: str) -> httpx.Response:
    section_id = _section(world, scope)
    revision = await world.sql("select revision from sections where id = $1", UUID(section_id))
    return await world.client.put(
        f"/api/v1/sections/{section_id}",
        headers=world.auth(role),
        json={"revision": revision, "title": "Mục đã sửa", "body_md": f"Sửa bởi {role}."},
    )


async def _delete_section(world: World, role: str, scope: str) -> httpx.Response:
    section = await _new_section(world, scope)
    return await world.client.delete(
        f"/api/v1/sections/{section['id']}", params={"revision": section["revision"]}, headers=world.auth(role)
    )


def _program_body(world: World, scope: str) -> dict[str, Any]:
    quiz = {
        "max_attempts": 20,
        "questions": [{"text": "?", "options": [{"text": "A", "correct": True}, {"text": "B"}]}],
    }
    return {
        "unit_id": _unit(world, scope)["path"][-2],
        "title": "Học tập nghị quyết",
        "due_at": "2030-01-01T00:00:00Z",
        "materials": [world.documents[scope]["id"]],
        "quiz": quiz,
        "reflection_required": True,
    }


async def _program(world: World, scope: str) -> dict[str, Any]:
    if scope not in world.programs:
        admin = {"Authorization": f"Bearer {world.tokens['province_admin']}"}
        created = await world.client.post("/api/v1/study/programs", headers=admin, json=_program_body(world, scope))
        assert created.status_code == 201, created.text
        world.programs[scope] = dict(created.json())
    return world.programs[scope]


def _on_program(
    suffix: str, body: Callable[[World, str], Awaitable[Any]] | None = None, method: str = "GET"
) -> Request:
    async def request(world: World, role: str, scope: str) -> httpx.Response:
        url = f"/api/v1/study/programs/{(await _program(world, scope))['id']}{suffix}"
        if method == "GET":
            return await world.client.get(url, headers=world.auth(role))
        payload = await body(world, scope) if body is not None else None
        return await world.client.post(url, headers=world.auth(role), json=payload)

    return request


async def _create_program(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post("/api/v1/study/programs", headers=world.auth(role), json=_program_body(world, scope))


async def _progress_body(world: World, scope: str) -> Any:
    return {"events": [{"event_id": str(uuid4()), "kind": "read", "document_id": world.documents[scope]["id"]}]}


async def _attempt_body(world: World, scope: str) -> Any:
    return {"attempt_id": str(uuid4()), "answers": []}


async def _reflection_body(world: World, scope: str) -> Any:
    return {"reflection_id": str(uuid4()), "body": "Bài thu hoạch."}


async def _review(world: World, role: str, scope: str) -> httpx.Response:
    # A fresh submitted reflection each time, straight into the table (one per role would be refused
    # by the API while the previous one waits for review).
    program = await _program(world, scope)
    reflection_id = await world.sql(
        "insert into reflections (id, program_id, member_id, version, body) select $1, $2, $3, "
        "coalesce(max(version), 0) + 1, 'Bài thu hoạch.' from reflections where program_id = $2 and member_id = $3 "
        "returning id",
        uuid4(),
        UUID(program["id"]),
        world.member_in if scope == "in" else world.member_out,
    )
    return await world.client.post(
        f"/api/v1/study/reflections/{reflection_id}/review", headers=world.auth(role), json={"decision": "accept"}
    )


PDF = b"%PDF-1.4\n%%EOF\n"


async def _upload(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post(
        f"/api/v1/documents/{world.documents[scope]['id']}/attachments",
        params={"file_name": "nghi-quyet.pdf"},
        content=PDF,
        headers={**world.auth(role), "Content-Type": "application/pdf"},
    )


async def _get_attachment(world: World, role: str, scope: str) -> httpx.Response:
    if "attachment_id" not in world.documents[scope]:
        uploaded = await _upload(world, "province_admin", scope)
        world.documents[scope]["attachment_id"] = uploaded.json()["id"]
    return await world.client.get(
        f"/api/v1/attachments/{world.documents[scope]['attachment_id']}", headers=world.auth(role)
    )


REQUESTS: dict[str, Request] = {
    "HealthLive": _get(lambda w, s: "/health/live"),
    "HealthReady": _get(lambda w, s: "/health/ready"),
    "GET /metrics": _get(lambda w, s: "/metrics"),
    "GET /api": _get(lambda w, s: "/api"),
    "GET /api/docs": _get(lambda w, s: "/api/docs"),
    "GET /api/openapi.json": _get(lambda w, s: "/api/openapi.json"),
    "GET /api/oauth2-redirect.html": _get(lambda w, s: "/api/oauth2-redirect.html"),
    "GET /api/{path:str}": _get(lambda w, s: "/api/no-such-page"),
    "Login": _login,
    "ActivateAccount": _activate,
    "Logout": _logout,
    "GetMe": _get(lambda w, s: "/api/v1/me"),
    "ChangePassword": _change_password,
    "ListMySessions": _get(lambda w, s: "/api/v1/me/sessions"),
    "RevokeOtherSessions": _revoke_others,
    "RevokeSession": _revoke_session,
    "GetOrgUnit": _get(lambda w, s: f"/api/v1/org/units/{_unit(w, s)['id']}"),
    "ListOrgUnits": _list_units,
    "ListMembers": _list_members,
    "GetMember": _get(lambda w, s: f"/api/v1/members/{w.member_in if s == 'in' else w.member_out}"),
    "ResetMemberAccess": _reset_access,
    "IssueActivationCodes": _issue_codes,
    "ImportMembers": _import,
    "ListRoleGrants": _list_grants,
    "GrantRole": _grant,
    "RevokeRole": _revoke_grant,
    "ListAuditEvents": _get(lambda w, s: "/api/v1/audit"),
    "ListDocuments": _get(lambda w, s: "/api/v1/documents"),
    "GetDocument": _get(lambda w, s: f"/api/v1/documents/{w.documents[s]['id']}"),
    "GetSection": _get(lambda w, s: f"/api/v1/sections/{_section(w, s)}"),
    "AcknowledgeSection": _acknowledge,
    "GetOfflineManifest": _get(lambda w, s: "/api/v1/offline/manifest"),
    "GetOfflineChanges": _get(lambda w, s: "/api/v1/offline/changes?since=0"),
    "SearchContent": _get(lambda w, s: "/api/v1/search?q=nghi%20quyet"),
    "CreateDocument": _create_document,
    "UpdateDocument": _update_document,
    "CreateSection": _create_section,
    "GetSectionSource": _get(lambda w, s: f"/api/v1/sections/{_section(w, s)}/source"),
    "UpdateSection": _update_section,
    "DeleteSection": _delete_section,
    "ListSectionRevisions": _get(lambda w, s: f"/api/v1/sections/{_section(w, s)}/revisions"),
    "GetAcknowledgementReport": _get(lambda w, s: f"/api/v1/documents/{w.documents[s]['id']}/acknowledgements"),
    "UploadAttachment": _upload,
    "GetAttachment": _get_attachment,
    "CompareSectionRevisions": _get(lambda w, s: f"/api/v1/sections/{_section(w, s)}/compare?from=1&to=1"),
    "CreateStudyProgram": _create_program,
    "ListStudyPrograms": _get(lambda w, s: "/api/v1/study/programs"),
    "GetStudyProgram": _on_program(""),
    "RecordStudyProgress": _on_program("/progress", _progress_body, "POST"),
    "GetStudyQuiz": _on_program("/quiz"),
    "SubmitQuizAttempt": _on_program("/quiz/attempts", _attempt_body, "POST"),
    "SubmitReflection": _on_program("/reflections", _reflection_body, "POST"),
    "ListReflections": _on_program("/reflections"),
    "ReviewReflection": _review,
    "GetStudyReport": _on_program("/report"),
}


def route_keys(app: Litestar) -> set[str]:
    """Every route the app serves, by operation id (or method and path where it has none)."""
    keys = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.http_methods == {"OPTIONS"}:
                continue  # Litestar's automatic CORS preflight answers
            operation = handler.operation_id
            for method in sorted(handler.http_methods):
                keys.add(operation if isinstance(operation, str) else f"{method} {route.path}")
    return keys


def test_every_route_has_rows_in_the_matrix(app: Litestar) -> None:
    served = route_keys(app)
    assert served - set(MATRIX) == set(), "routes without rows in the authorization matrix"
    assert set(MATRIX) - served == set(), "matrix rows for routes that no longer exist"
    assert set(MATRIX) == set(REQUESTS)


async def _build_world(client: AsyncTestClient[Litestar], database_url: str, settings: Settings) -> World:
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
                "audience_unit_id": _unit(world, scope)["path"][-2],
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
        section = await _new_section(world, scope)
        source = await client.get(f"/api/v1/sections/{section['id']}", headers=admin)
        world.documents[scope] |= {"section_id": section["id"], "ack_hash": source.json()["ack_hash"]}
    return world


def _check(expected: int | str, response: httpx.Response) -> None:
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


@pytest.mark.parametrize("operation", sorted(MATRIX))
async def test_authorization(
    operation: str, client: AsyncTestClient[Litestar], database_url: str, settings: Settings
) -> None:
    world = await _build_world(client, database_url, settings)
    failures = []
    for scope, expectations in MATRIX[operation].items():
        for role, expected in zip(ROLES, expectations, strict=True):
            response = await REQUESTS[operation](world, role, scope)
            try:
                _check(expected, response)
            except AssertionError as error:
                failures.append(f"{operation} as {role} ({scope} scope): {error}")
    assert not failures, "\n".join(failures)
