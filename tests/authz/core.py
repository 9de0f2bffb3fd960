"""Matrix rows: health, docs, sign-in and sessions, org units, the member register, roles, audit."""

from __future__ import annotations

import httpx

from tests.authz.world import LOGINS, Request, World, get, unit
from tests.servers import DEMO_PASSWORD

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
}


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
    parent = unit(world, scope)["path"][-2]
    return await world.client.get("/api/v1/org/units", params={"parent_id": parent}, headers=world.auth(role))


async def _list_members(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.get(
        "/api/v1/members", params={"unit_id": unit(world, scope)["id"]}, headers=world.auth(role)
    )


async def _reset_access(world: World, role: str, scope: str) -> httpx.Response:
    target = world.plain_member_in if scope == "in" else world.member_out
    return await world.client.post(f"/api/v1/members/{target}/reset-access", headers=world.auth(role))


async def _issue_codes(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post(
        f"/api/v1/org/units/{unit(world, scope)['id']}/activation-codes", headers=world.auth(role)
    )


async def _import(world: World, role: str, scope: str) -> httpx.Response:
    branch_code = unit(world, scope)["code"]
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
        "/api/v1/role-grants", params={"unit_id": unit(world, scope)["id"]}, headers=world.auth(role)
    )


async def _grant(world: World, role: str, scope: str) -> httpx.Response:
    member = world.plain_member_in if scope == "in" else world.member_out
    return await world.client.post(
        "/api/v1/role-grants",
        headers=world.auth(role),
        json={"member_id": str(member), "role": "moderator", "unit_id": unit(world, scope)["id"]},
    )


async def _revoke_grant(world: World, role: str, scope: str) -> httpx.Response:
    member = world.plain_member_in if scope == "in" else world.member_out
    grant_id = await world.sql(
        "insert into role_grants (account_id, role, unit_id) select id, 'editor', $2 from accounts "
        "where member_id = $1 on conflict (account_id, role, unit_id) do update set role = excluded.role "
        "returning id",
        member,
        unit(world, scope)["id"],
    )
    return await world.client.delete(f"/api/v1/role-grants/{grant_id}", headers=world.auth(role))


async def _login(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post(
        "/api/v1/auth/login",
        headers=world.auth(role),
        json={"login": "demo.member", "password": DEMO_PASSWORD, "client": "bearer"},
    )


REQUESTS: dict[str, Request] = {
    "HealthLive": get(lambda w, s: "/health/live"),
    "HealthReady": get(lambda w, s: "/health/ready"),
    "GET /metrics": get(lambda w, s: "/metrics"),
    "GET /api": get(lambda w, s: "/api"),
    "GET /api/docs": get(lambda w, s: "/api/docs"),
    "GET /api/openapi.json": get(lambda w, s: "/api/openapi.json"),
    "GET /api/oauth2-redirect.html": get(lambda w, s: "/api/oauth2-redirect.html"),
    "GET /api/{path:str}": get(lambda w, s: "/api/no-such-page"),
    "Login": _login,
    "ActivateAccount": _activate,
    "Logout": _logout,
    "GetMe": get(lambda w, s: "/api/v1/me"),
    "ChangePassword": _change_password,
    "ListMySessions": get(lambda w, s: "/api/v1/me/sessions"),
    "RevokeOtherSessions": _revoke_others,
    "RevokeSession": _revoke_session,
    "GetOrgUnit": get(lambda w, s: f"/api/v1/org/units/{unit(w, s)['id']}"),
    "ListOrgUnits": _list_units,
    "ListMembers": _list_members,
    "GetMember": get(lambda w, s: f"/api/v1/members/{w.member_in if s == 'in' else w.member_out}"),
    "ResetMemberAccess": _reset_access,
    "IssueActivationCodes": _issue_codes,
    "ImportMembers": _import,
    "ListRoleGrants": _list_grants,
    "GrantRole": _grant,
    "RevokeRole": _revoke_grant,
    "ListAuditEvents": get(lambda w, s: "/api/v1/audit"),
}
