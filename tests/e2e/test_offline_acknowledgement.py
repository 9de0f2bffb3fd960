"""Acknowledging a section with no network: kept on the phone across a reload, sent once the phone is online,
and recorded exactly once on the server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import asyncpg

from tests.e2e.conftest import (
    PLAYWRIGHT_MISSING,
    e2e_unavailable,
    open_handbook_synced,
    shot,
    sign_in,
    under_service_worker,
)

try:
    from playwright.async_api import Page, expect
except ModuleNotFoundError:
    e2e_unavailable(PLAYWRIGHT_MISSING)

if TYPE_CHECKING:
    from tests.e2e.conftest import AppServer

DOCUMENT = "Quyền và nhiệm vụ của đảng viên"  # requires_ack: true in api/handbook/seed_content/01-*.md
PENDING = "Đã ghi nhận trên máy. Sẽ gửi lên hệ thống khi có mạng."
DONE = "Bạn đã xác nhận đọc mục này."


async def acknowledgements_of(database_url: str, username: str) -> list[tuple[str, str]]:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "select s.title, a.section_id::text from acknowledgements a"
            " join accounts u on u.id = a.account_id join sections s on s.id = a.section_id"
            " where u.username = $1",
            username,
        )
    finally:
        await conn.close()
    return [(row[0], row[1]) for row in rows]


async def test_acknowledge_offline_then_online_is_recorded_once(
    page: Page, app_server: AppServer, artifacts: Path
) -> None:
    assert await acknowledgements_of(app_server.database_url, "demo.member") == []
    await sign_in(page)
    await open_handbook_synced(page)
    await under_service_worker(page)

    await page.locator("a.card").filter(has_text=DOCUMENT).click()
    to_acknowledge = page.locator("a.card").filter(has_text="Cần xác nhận đã đọc").first
    section_title = (await to_acknowledge.locator(".card-title").inner_text()).strip()
    await to_acknowledge.click()
    await expect(page).to_have_url(re.compile(r"/handbook/[^/]+/[^/]+$"))
    button = page.get_by_role("button", name="Tôi đã đọc và nắm được nội dung")
    await expect(button).to_be_visible()

    await page.context.set_offline(True)
    await button.click()
    await expect(page.get_by_text(PENDING)).to_be_visible()
    await page.reload()
    await expect(page.get_by_text(PENDING)).to_be_visible()
    await shot(page, artifacts, "08-acknowledged-offline")

    await page.context.set_offline(False)
    await expect(page.get_by_text(DONE)).to_be_visible()
    recorded = await acknowledgements_of(app_server.database_url, "demo.member")
    assert [title for title, _ in recorded] == [section_title], recorded

    # Once more online, after a reload: nothing is replayed a second time.
    await page.reload()
    await expect(page.get_by_text(DONE)).to_be_visible()
    assert await acknowledgements_of(app_server.database_url, "demo.member") == recorded
