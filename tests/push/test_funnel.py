"""A secretary follows a notice from publication to the members' taps: the push funnel per branch."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.settings import Settings
from push.mockservice import MockPushService
from push.payload import Notification
from tests.helpers import bearer
from tests.push.test_delivery import ORIGIN, add_devices
from tests.push.test_worker import start, wait_for


async def test_a_notice_is_delivered_shown_and_tapped_and_the_secretary_reads_the_funnel(
    push_settings: Settings, database_url: str, client: AsyncTestClient[Litestar]
) -> None:
    service = MockPushService(ORIGIN)
    devices = await add_devices(database_url, service, 2)
    secretary = await bearer(client, "demo.secretary")
    posted = await client.post(
        "/api/v1/notices", headers=secretary, json={"title": "Họp chi bộ tháng 12", "body": "Tối thứ Sáu, 19:30."}
    )
    assert posted.status_code == 201, posted.text
    notice_id = posted.json()["id"]

    stop = asyncio.Event()
    worker = start(push_settings, service, stop)

    async def delivered() -> bool:
        return service.accepted == len(devices)

    try:
        await wait_for(delivered)
    finally:
        stop.set()
        await asyncio.wait_for(worker, 15)

    # What each phone decrypted carries its inbox row and a receipt; the service worker reports with it.
    first, second = (msgspec.json.decode(service.messages(d.name)[0].plaintext, type=Notification) for d in devices)
    assert first.title == "Họp chi bộ tháng 12"
    assert first.receipt
    assert second.receipt
    assert first.id != second.id

    async def report(notification: Notification, event: str, receipt: str | None = None) -> Any:
        body = {"event": event, "receipt": receipt or notification.receipt}
        return await client.post(f"/api/v1/notifications/{notification.id}/events", json=body)

    assert (await report(first, "shown")).status_code == 204
    assert (await report(first, "clicked")).status_code == 204
    assert (await report(second, "shown")).status_code == 204
    assert (await report(second, "shown")).status_code == 204, "a repeated report changes nothing"
    # Someone else's receipt proves nothing, and answers like an id that does not exist.
    forged = await report(second, "clicked", receipt=first.receipt)
    assert forged.status_code == 404
    assert forged.headers["content-type"].startswith("application/problem+json")

    funnel = await client.get(f"/api/v1/notices/{notice_id}/delivery", headers=secretary)
    assert funnel.status_code == 200, funnel.text
    answer = funnel.json()
    [branch] = answer["branches"]
    assert branch["targeted"] >= len(devices), "every active member of the branch has it in the inbox"
    assert (branch["delivered"], branch["shown"], branch["clicked"]) == (2, 2, 1)
    assert answer["total"]["clicked"] == 1
    assert answer["push"]["targeted"] == 2
    assert answer["push"]["sent"] == 2
    assert answer["push"]["gone"] == answer["push"]["failed"] == 0

    member = await bearer(client, "demo.member")
    assert (await client.get(f"/api/v1/notices/{notice_id}/delivery", headers=member)).status_code == 403
