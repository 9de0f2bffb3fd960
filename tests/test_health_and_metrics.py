"""Health probes and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import Secret
from tests.helpers import bearer
from tests.servers import make_settings


async def test_ready_checks_both_servers(client: AsyncTestClient[Any], database_url: str) -> None:
    assert (await client.get("/health/ready")).json() == {"status": "ok", "postgres": "ok", "redis": "ok"}
    broken = make_settings(database_url, "redis://127.0.0.1:1/0")
    async with AsyncTestClient(app=create_app(broken), base_url="https://testserver.local") as other:
        response = await other.get("/health/ready")
        assert response.status_code == 503
        assert response.json()["redis"] == "unavailable"
        assert (await other.get("/health/live")).status_code == 200


async def test_metrics_group_paths_by_route(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    members = (await client.get("/api/v1/members", params={"limit": 2}, headers=admin)).json()["items"]
    for member in members:
        await client.get(f"/api/v1/members/{member['id']}", headers=admin)
    text = (await client.get("/metrics")).text
    assert 'path="/api/v1/members/{member_id}"' in text
    assert members[0]["id"] not in text


async def test_metrics_are_private_in_production(database_url: str, redis_url: str) -> None:
    settings = make_settings(database_url, redis_url, mode="production", metrics_token=Secret("scrape-token-1"))
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as client:
        assert (await client.get("/metrics")).status_code == 403
        scraped = await client.get("/metrics", headers={"Authorization": "Bearer scrape-token-1"})
        assert scraped.status_code == 200
        assert "strict-transport-security" in (await client.get("/health/live")).headers
    closed = make_settings(database_url, redis_url, mode="production")
    async with AsyncTestClient(app=create_app(closed), base_url="https://testserver.local") as client:
        assert (await client.get("/metrics")).status_code == 404
