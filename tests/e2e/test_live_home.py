"""The home screen follows the server's live stream (GetLiveUpdates): a notice posted while the member
looks at home shows up without a reload. The push worker's dispatcher, which announces new
notifications on the stream, does not run beside the test server; the test announces the notice
with the dispatcher's own publisher."""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING

import redis.asyncio as aioredis

from api.live.publisher import publish
from api.outbox import Audience, NotificationIntent
from tests.e2e.conftest import PLAYWRIGHT_MISSING, e2e_unavailable, sign_in
from tests.e2e.test_branch_life import api_as, post_json

try:
    from playwright.async_api import Page, Playwright, expect
except ModuleNotFoundError:
    e2e_unavailable(PLAYWRIGHT_MISSING)

if TYPE_CHECKING:
    from tests.app_server import AppServer


async def test_home_shows_a_new_notice_when_the_live_stream_announces_it(
    page: Page, playwright: Playwright, app_server: AppServer
) -> None:
    await sign_in(page, "demo.member")
    home_notices = page.locator("section[aria-labelledby='home-notices']")
    await expect(home_notices).to_be_visible()

    title = f"Thông báo trực tiếp {uuid.uuid4().hex[:6]}"
    secretary, headers = await api_as(playwright, app_server.base_url, "demo.secretary")
    try:
        notice = await post_json(secretary, headers, "/api/v1/notices", {"title": title, "body": "Họp tối nay."})
    finally:
        await secretary.dispose()
    intent = NotificationIntent(
        kind="notice.published",
        category="notice",
        title=title,
        body="",
        url=f"/notices/{notice['id']}",
        audience=Audience(units=(notice["unit_id"],)),
    )
    redis = aioredis.from_url(app_server.redis_url)
    try:
        # Announce until the member's open stream hears it (the app opens it right after signing in).
        async with asyncio.timeout(15):
            while not await publish(redis, intent):  # noqa: ASYNC110 - the listener is in the browser
                await asyncio.sleep(0.2)
    finally:
        await redis.aclose()
    # Without the stream, home refreshes at most once a minute or when the app comes back to the front.
    await expect(home_notices.get_by_text(title)).to_be_visible(timeout=10_000)
