"""ReportNotificationEvent refuses what is not a device's report of its own push, with a problem answer."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from api.notifications.receipts import receipt_for
from tests.servers import TEST_SECRET

GOOD = {"event": "shown", "receipt": receipt_for(TEST_SECRET, 7)}


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/v1/notifications/7/events", {**GOOD, "event": "opened"}, 400),
        ("/api/v1/notifications/7/events", {**GOOD, "receipt": "short"}, 400),
        ("/api/v1/notifications/7/events", {**GOOD, "receipt": "<script>alert(1)</script>xxx"}, 400),
        ("/api/v1/notifications/7/events", {**GOOD, "extra": 1}, 400),
        ("/api/v1/notifications/7/events", {"event": "shown"}, 400),
        ("/api/v1/notifications/7/events", [GOOD], 400),
        ("/api/v1/notifications/0/events", GOOD, 400),
        ("/api/v1/notifications/99999999999999999999/events", GOOD, 400),
        # Well formed, but row 7 does not exist: the same 404 as a wrong receipt.
        ("/api/v1/notifications/7/events", GOOD, 404),
    ],
)
async def test_bad_reports_get_a_problem(client: AsyncTestClient[Any], path: str, body: object, status: int) -> None:
    answer = await client.post(path, json=body)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_an_oversized_report_is_refused(client: AsyncTestClient[Any]) -> None:
    answer = await client.post(
        "/api/v1/notifications/7/events",
        content=b'{"event": "shown", "receipt": "' + b"a" * 2_000_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert answer.status_code in {400, 413}
    assert answer.headers["content-type"].startswith("application/problem+json")
