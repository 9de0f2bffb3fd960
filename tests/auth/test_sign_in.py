"""Sign-in journeys: cookie and bearer sessions, CSRF, logout, password change, session lists."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.helpers import bearer, sign_in
from tests.servers import DEMO_PASSWORD


async def test_member_signs_in_with_cookie_reads_me_and_signs_out(client: AsyncTestClient[Any]) -> None:
    body = await sign_in(client, "demo.member")
    assert body["token"] is None, "the PWA's token must stay in the HttpOnly cookie"
    set_cookie = client.cookies.get("ehb_session")
    assert set_cookie

    me = await client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["username"] == "demo.member"
    assert me.json()["card_number"]
    assert me.headers["cache-control"] == "private, no-store"

    out = await client.post("/api/v1/auth/logout")
    assert out.status_code == 204
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_cookie_session_needs_csrf_header_for_unsafe_requests(client: AsyncTestClient[Any]) -> None:
    await sign_in(client, "demo.member")
    csrf = client.headers.pop("X-CSRF-Token")
    refused = await client.post("/api/v1/auth/logout")
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    client.headers["X-CSRF-Token"] = "A" * len(csrf)
    assert (await client.post("/api/v1/auth/logout")).status_code == 403
    client.headers["X-CSRF-Token"] = csrf
    assert (await client.post("/api/v1/auth/logout")).status_code == 204


async def test_bearer_token_signs_in_by_card_number(client: AsyncTestClient[Any]) -> None:
    auth = await bearer(client, "demo.member")
    card = (await client.get("/api/v1/me", headers=auth)).json()["card_number"]
    client.cookies.clear()
    by_card = await bearer(client, card)
    me = await client.get("/api/v1/me", headers=by_card)
    assert me.json()["username"] == "demo.member"
    # A bearer client needs no CSRF token: the browser never sends it on its own.
    assert (await client.post("/api/v1/auth/logout", headers=by_card)).status_code == 204


async def test_wrong_password_is_a_problem_and_audited(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/api/v1/auth/login", json={"login": "demo.member", "password": "wrong-password"})
    assert response.status_code == 401
    problem = response.json()
    assert problem["type"].endswith("/unauthenticated")
    assert problem["title"] == "Sign-in required"
    admin = await bearer(client, "demo.admin")
    events = (await client.get("/api/v1/audit", params={"action": "sign_in_failed"}, headers=admin)).json()
    assert len(events["items"]) == 1
    assert "demo.member" not in events["items"][0]["target"], "login names are masked in the audit log"


async def test_password_change_ends_other_sessions(client: AsyncTestClient[Any]) -> None:
    other_device = await bearer(client, "demo.member")
    await sign_in(client, "demo.member")
    sessions = (await client.get("/api/v1/me/sessions")).json()
    assert len(sessions) == 2
    assert sum(session["current"] for session in sessions) == 1

    changed = await client.post(
        "/api/v1/me/password", json={"current_password": DEMO_PASSWORD, "new_password": "a new passphrase 42"}
    )
    assert changed.status_code == 200
    assert changed.json() == {"revoked": 1}
    assert (await client.get("/api/v1/me", headers=other_device)).status_code == 401
    assert (await client.get("/api/v1/me")).status_code == 200
    old = await client.post("/api/v1/auth/login", json={"login": "demo.member", "password": DEMO_PASSWORD})
    assert old.status_code == 401


async def test_revoke_one_session(client: AsyncTestClient[Any]) -> None:
    phone = await bearer(client, "demo.secretary")
    laptop = await bearer(client, "demo.secretary")
    sessions = (await client.get("/api/v1/me/sessions", headers=laptop)).json()
    phone_session = next(s for s in sessions if not s["current"])
    revoked = await client.delete(f"/api/v1/me/sessions/{phone_session['id']}", headers=laptop)
    assert revoked.status_code == 204
    assert (await client.get("/api/v1/me", headers=phone)).status_code == 401
    again = await client.delete(f"/api/v1/me/sessions/{phone_session['id']}", headers=laptop)
    assert again.status_code == 404
