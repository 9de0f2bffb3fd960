"""A member on a phone: sign in, read the handbook, keep reading and searching with no network, install the app."""

from __future__ import annotations

import re
from pathlib import Path

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


async def test_sign_in_and_read_a_section(page: Page, artifacts: Path) -> None:
    await page.goto("/")
    await expect(page.get_by_role("heading", level=1, name="Đăng nhập")).to_be_visible()
    await shot(page, artifacts, "01-sign-in")
    await sign_in(page)
    await shot(page, artifacts, "02-home")

    await open_handbook_synced(page)
    await shot(page, artifacts, "03-handbook")
    documents = page.locator("a.card")
    assert await documents.count() >= 5
    await documents.first.click()
    await expect(page).to_have_url(re.compile(r"/handbook/[^/]+$"))
    await expect(page.get_by_role("heading", level=2, name="Các mục")).to_be_visible()
    await shot(page, artifacts, "04-document")

    first_section = page.locator("a.card").first
    title = (await first_section.locator(".card-title").inner_text()).strip()
    await first_section.click()
    await expect(page).to_have_url(re.compile(r"/handbook/[^/]+/[^/]+$"))
    await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    await shot(page, artifacts, "05-section")


async def test_offline_the_handbook_opens_and_search_folds_diacritics(page: Page, artifacts: Path) -> None:
    await sign_in(page)
    await open_handbook_synced(page)
    await under_service_worker(page)
    await expect(page.locator(".sync-state")).to_have_text("Đã cập nhật")

    await page.context.set_offline(True)
    await page.reload()
    await expect(page.get_by_role("heading", level=1, name="Sổ tay")).to_be_visible()
    await expect(page.locator("a.card").first).to_be_visible()
    await shot(page, artifacts, "06-handbook-offline")

    await page.locator("a.card").first.click()
    await page.locator("a.card").first.click()
    await expect(page.locator("main h1")).not_to_be_empty()
    await expect(page).to_have_url(re.compile(r"/handbook/[^/]+/[^/]+$"))

    await page.goto("/search")
    await page.get_by_role("searchbox").fill("nghi quyet")
    await page.get_by_role("button", name="Tìm", exact=True).click()
    await expect(page.get_by_text("Không kết nối được máy chủ", exact=False)).to_be_visible()
    hits = page.locator("ol.results > li")
    await expect(hits.first).to_be_visible()
    await expect(hits.filter(has_text=re.compile("nghị quyết", re.IGNORECASE)).first).to_be_visible()
    await shot(page, artifacts, "07-search-offline")


async def test_the_app_is_installable(page: Page) -> None:
    await sign_in(page)
    await under_service_worker(page)
    cdp = await page.context.new_cdp_session(page)
    answer = await cdp.send("Page.getInstallabilityErrors")
    assert answer["installabilityErrors"] == [], answer
