"""Malformed, oversized, mistyped and hostile input: always a 4xx problem, never a 500, nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from api.db import connect
from tests.helpers import bearer

JSON = {"content-type": "application/json"}

BAD_BODIES = [
    pytest.param(b"{bad", 400, id="malformed-json"),
    pytest.param(b'{"login": 5, "password": "x"}', 400, id="wrong-type"),
    pytest.param(b'{"login": "a", "password": "x", "is_admin": true}', 400, id="unknown-field"),
    pytest.param(b'{"password": "x"}', 400, id="missing-field"),
    pytest.param(b"[]", 400, id="array-not-object"),
    pytest.param(b"null", 400, id="null"),
    pytest.param(b'{"login": "a\\u0000b", "password": "x"}', 400, id="nul-character"),
    pytest.param(b'{"login": "\\ud800", "password": "x"}', 400, id="lone-surrogate"),
    pytest.param(b'{"login": "\xff\xfe", "password": "x"}', 400, id="invalid-utf8"),
    pytest.param(b'{"login": "' + b"a" * 101 + b'", "password": "x"}', 400, id="login-too-long"),
    pytest.param(b'{"login": "a", "password": "' + b"p" * 1025 + b'"}', 400, id="password-too-long"),
    pytest.param(b'{"login": "a", "password": "x", "client": "root"}', 400, id="bad-enum"),
    pytest.param(b"x" * 2_000_000, 413, id="oversized"),
]


async def _counts(database_url: str) -> tuple[int, int, int]:
    conn = await connect(database_url)
    try:
        row = await conn.fetchrow(
            "select (select count(*) from sessions) as s, (select count(*) from audit_log) "
            "as a, (select count(*) from accounts) as c"
        )
        assert row is not None
        return row["s"], row["a"], row["c"]
    finally:
        await conn.close()


@pytest.mark.parametrize(("body", "status"), BAD_BODIES)
async def test_bad_login_bodies(client: AsyncTestClient[Any], database_url: str, body: bytes, status: int) -> None:
    before = await _counts(database_url)
    response = await client.post("/api/v1/auth/login", content=body, headers=JSON)
    assert response.status_code == status, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["status"] == status
    assert problem["type"].startswith("https://")
    assert problem["title"]
    assert problem["detail"]
    assert await _counts(database_url) == before, "a refused request writes nothing"


async def test_field_errors_name_the_field(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/api/v1/auth/login", json={"login": 5, "password": "x"})
    assert response.json()["errors"] == [{"field": "login", "message": "Expected `str`, got `int`"}]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/org/units/99999999999999999999999", 400),
        ("GET", "/api/v1/org/units/0", 400),
        ("GET", "/api/v1/members/not-a-uuid", 404),
        ("GET", "/api/v1/members?limit=abc", 400),
        ("GET", "/api/v1/members?limit=100000", 400),
        ("GET", "/api/v1/members?after=%00", 400),
        ("GET", "/api/v1/members?unit_id=1e99", 400),
        ("GET", "/api/v1/audit?after=-5", 400),
        ("DELETE", "/api/v1/role-grants/99999999999999999999", 400),
        ("POST", "/api/v1/role-grants", 400),
        ("GET", "/api/v1/no-such-route", 404),
        ("PATCH", "/api/v1/me", 405),
    ],
)
async def test_bad_paths_and_parameters(client: AsyncTestClient[Any], method: str, path: str, status: int) -> None:
    admin = await bearer(client, "demo.admin")
    response = await client.request(method, path, headers=admin)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "payload",
    [
        {"member_id": "00000000-0000-0000-0000-000000000000", "role": "admin", "unit_id": 2**63},
        {"member_id": "00000000-0000-0000-0000-000000000000", "role": "superuser", "unit_id": 1},
        {"member_id": "not-a-uuid", "role": "admin", "unit_id": 1},
        {"role": "admin", "unit_id": 1},
    ],
)
async def test_bad_role_grants(client: AsyncTestClient[Any], database_url: str, payload: dict[str, Any]) -> None:
    admin = await bearer(client, "demo.admin")
    before = await _counts(database_url)
    response = await client.post("/api/v1/role-grants", json=payload, headers=admin)
    assert 400 <= response.status_code < 500, response.text
    assert await _counts(database_url) == before


async def test_security_headers_on_every_answer(client: AsyncTestClient[Any]) -> None:
    for path in ("/health/live", "/api/v1/me", "/nowhere"):
        response = await client.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-request-id"]
