"""Small helpers the API tests share: signing in as the demo people."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.servers import DEMO_PASSWORD


async def sign_in(client: AsyncTestClient[Any], login: str, password: str = DEMO_PASSWORD) -> dict[str, Any]:
    """Sign in with the session cookie (as the PWA does) and send the CSRF header from then on."""
    response = await client.post("/api/v1/auth/login", json={"login": login, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    client.headers["X-CSRF-Token"] = body["me"]["csrf_token"]
    return body


async def bearer(client: AsyncTestClient[Any], login: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Sign in as an API client; return the Authorization header to send."""
    response = await client.post("/api/v1/auth/login", json={"login": login, "password": password, "client": "bearer"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}
