"""The access log: failed requests always, successful ones only when asked for, and never a secret."""

from __future__ import annotations

import logging
from uuid import uuid4

import pytest
from litestar.testing import AsyncTestClient

from api.app import create_app
from tests.helpers import bearer
from tests.servers import DEMO_PASSWORD, make_settings


def _lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [record.http for record in caplog.records if record.name == "ehandbook.access"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("access_log", ["problems", "all"])
async def test_what_the_access_log_keeps(
    access_log: str, database_url: str, redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(make_settings(database_url, redis_url, access_log=access_log))
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as client:
        auth = await bearer(client, "demo.member")
        caplog.set_level(logging.INFO, logger="ehandbook.access")
        caplog.clear()
        assert (await client.get("/api/v1/me", headers=auth)).status_code == 200
        assert (await client.get(f"/api/v1/sections/{uuid4()}", headers=auth)).status_code == 404
        wrong = {"login": "demo.member", "password": DEMO_PASSWORD + "x", "client": "bearer"}
        assert (await client.post("/api/v1/auth/login", json=wrong)).status_code == 401

    lines = _lines(caplog)
    statuses = [line["status"] for line in lines]
    if access_log == "all":
        assert statuses[0] == 200
        assert lines[0]["route"] == "/api/v1/me"
    else:
        assert 200 not in statuses, "successful fast requests stay out of the log by default"
    assert [s for s in statuses if s != 200] == [404, 401]
    logged = caplog.text + repr(lines)
    assert DEMO_PASSWORD not in logged
    assert auth["Authorization"].removeprefix("Bearer ") not in logged
