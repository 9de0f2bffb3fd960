"""Activation with a one-time code, access resets, and sign-in throttling across requests."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.db import connect
from tests.helpers import bearer
from tests.servers import make_settings


async def test_secretary_prints_codes_and_member_activates(client: AsyncTestClient[Any], database_url: str) -> None:
    secretary = await bearer(client, "demo.secretary")
    me = (await client.get("/api/v1/me", headers=secretary)).json()
    sheet = await client.post(f"/api/v1/org/units/{me['branch_id']}/activation-codes", headers=secretary)
    assert sheet.status_code == 200
    codes = sheet.json()["codes"]
    assert codes, "the demo branch has members who never activated"
    first = codes[0]

    # Typed by an older member: lower case, no dash, spaces around.
    typed = f"  {first['code'].replace('-', '').lower()} "
    weak = await client.post(
        "/api/v1/auth/activate", json={"card_number": first["card_number"], "code": typed, "password": "short"}
    )
    assert weak.status_code == 400
    assert weak.json()["errors"][0]["field"] == "password"
    done = await client.post(
        "/api/v1/auth/activate",
        json={"card_number": first["card_number"], "code": typed, "password": "hoa sen nở 2026", "client": "bearer"},
    )
    assert done.status_code == 200, done.text
    token = done.json()["token"]
    assert (await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})).json()["card_number"] == (
        first["card_number"]
    )

    again = await client.post(
        "/api/v1/auth/activate",
        json={"card_number": first["card_number"], "code": typed, "password": "hoa sen nở 2026"},
    )
    assert again.status_code == 401, "a code works once"
    signed_in = await client.post(
        "/api/v1/auth/login", json={"login": first["card_number"], "password": "hoa sen nở 2026"}
    )
    assert signed_in.status_code == 200

    conn = await connect(database_url)
    try:
        actions = [r["action"] for r in await conn.fetch("select action from audit_log order by id")]
    finally:
        await conn.close()
    assert "activation_codes_issued" in actions
    assert "account_activated" in actions


async def test_reset_access_signs_member_out_everywhere(client: AsyncTestClient[Any]) -> None:
    member = await bearer(client, "demo.member")
    member_id = (await client.get("/api/v1/me", headers=member)).json()["member_id"]
    secretary = await bearer(client, "demo.secretary")
    reset = await client.post(f"/api/v1/members/{member_id}/reset-access", headers=secretary)
    assert reset.status_code == 200
    assert (await client.get("/api/v1/me", headers=member)).status_code == 401
    old_password = await client.post(
        "/api/v1/auth/login", json={"login": "demo.member", "password": "demo-password-2026"}
    )
    assert old_password.status_code == 401
    new = await client.post(
        "/api/v1/auth/activate",
        json={"card_number": reset.json()["card_number"], "code": reset.json()["code"], "password": "mật khẩu mới 1"},
    )
    assert new.status_code == 200


async def test_a_thousand_wrong_passwords_lock_the_account_and_write_little(database_url: str, redis_url: str) -> None:
    settings = make_settings(database_url, redis_url, login_account_limit=5, login_address_limit=10_000)
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as client:
        statuses = []
        for attempt in range(1000):
            response = await client.post(
                "/api/v1/auth/login", json={"login": "demo.member", "password": f"guess-{attempt}"}
            )
            statuses.append(response.status_code)
            assert response.headers["content-type"].startswith("application/problem+json")
        assert statuses[:5] == [401] * 5
        assert set(statuses[5:]) == {429}
        locked = await client.post(
            "/api/v1/auth/login", json={"login": "demo.member", "password": "demo-password-2026"}
        )
        assert locked.status_code == 429, "even the right password waits out the lockout"
        assert 1 <= int(locked.headers["retry-after"]) <= settings.login_window_seconds
        # Other members are not locked out by someone hammering one account.
        assert (
            await client.post("/api/v1/auth/login", json={"login": "demo.secretary", "password": "demo-password-2026"})
        ).status_code == 200
    conn = await connect(database_url)
    try:
        failures = await conn.fetchval("select count(*) from audit_log where action = 'sign_in_failed'")
        locks = await conn.fetchval("select count(*) from audit_log where action = 'sign_in_locked'")
        sessions = await conn.fetchval("select count(*) from sessions")
    finally:
        await conn.close()
    assert (failures, locks) == (5, 1), "each refusal past the lockout writes nothing"
    assert sessions == 1


async def test_throttle_is_shared_between_app_instances(database_url: str, redis_url: str) -> None:
    """Two workers (two apps on the same Redis) count attempts together."""
    settings = make_settings(database_url, redis_url, login_account_limit=4)
    apps: list[Litestar] = [create_app(settings), create_app(settings)]
    async with (
        AsyncTestClient(app=apps[0], base_url="https://testserver.local") as one,
        AsyncTestClient(app=apps[1], base_url="https://testserver.local") as two,
    ):
        statuses = []
        for attempt in range(6):
            worker = (one, two)[attempt % 2]
            response = await worker.post("/api/v1/auth/login", json={"login": "demo.admin", "password": "nope"})
            statuses.append(response.status_code)
    assert statuses == [401, 401, 401, 401, 429, 429]


async def test_client_address_comes_only_from_the_trusted_header(database_url: str, redis_url: str) -> None:
    settings = make_settings(
        database_url, redis_url, login_address_limit=3, login_account_limit=100, client_ip_header="X-Real-IP"
    )
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as client:
        for _ in range(3):
            await client.post(
                "/api/v1/auth/login",
                json={"login": "nobody", "password": "x"},
                headers={"X-Real-IP": "203.0.113.7", "X-Forwarded-For": "198.51.100.1"},
            )
        blocked = await client.post(
            "/api/v1/auth/login", json={"login": "nobody", "password": "x"}, headers={"X-Real-IP": "203.0.113.7"}
        )
        other = await client.post(
            "/api/v1/auth/login", json={"login": "nobody", "password": "x"}, headers={"X-Real-IP": "203.0.113.8"}
        )
    assert blocked.status_code == 429
    assert other.status_code == 401


async def test_many_members_behind_one_address_are_not_locked_out(database_url: str, redis_url: str) -> None:
    """Successful sign-ins do not use up the address's budget; only failures do."""
    settings = make_settings(database_url, redis_url, login_address_limit=3, login_account_limit=100)
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as client:
        for _ in range(10):
            for login in ("demo.member", "demo.secretary"):
                response = await client.post(
                    "/api/v1/auth/login", json={"login": login, "password": "demo-password-2026"}
                )
                assert response.status_code == 200
        failures = [await client.post("/api/v1/auth/login", json={"login": "x", "password": "y"}) for _ in range(4)]
    assert [r.status_code for r in failures] == [401, 401, 401, 429]
