"""Staff tools on the phone: the admin edits a handbook section and sees the new revision and its diff;
the moderator opens the moderation queue. Both from Home, each tool in a chunk of its own."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tests.e2e.conftest import PLAYWRIGHT_MISSING, e2e_unavailable, shot, sign_in

try:
    from playwright.async_api import Page, expect
except ModuleNotFoundError:
    e2e_unavailable(PLAYWRIGHT_MISSING)

if TYPE_CHECKING:
    from pathlib import Path

ADDED_LINE = "Đảng viên đọc kỹ mục này trước buổi sinh hoạt <b>chi bộ</b>."


async def test_admin_edits_a_section_and_sees_the_new_revision(page: Page, artifacts: Path) -> None:
    await sign_in(page, "demo.admin")
    await page.get_by_role("link", name="Biên tập tài liệu").click()
    await expect(page.get_by_role("heading", level=1, name="Biên tập tài liệu")).to_be_visible()
    await page.locator("a.card").first.click()
    await expect(page.get_by_role("heading", level=2, name="Các mục")).to_be_visible()
    await page.locator("a.card").first.click()

    body = page.get_by_label("Nội dung (Markdown)")
    await expect(body).to_be_visible()
    before = await page.locator("main .card-meta").first.inner_text()
    revision = int(re.search(r"Bản sửa (\d+)", before).group(1))  # type: ignore[union-attr]
    await body.fill(f"{await body.input_value()}\n\n{ADDED_LINE}")
    # The preview shows what was typed as text: the markup stays visible, nothing is interpreted.
    await expect(page.locator(".editor-preview")).to_contain_text(ADDED_LINE)
    await expect(page.locator(".editor-preview b")).to_have_count(0)
    await page.get_by_label(re.compile("^Thay đổi quan trọng")).check()
    await page.get_by_role("button", name="Lưu bản sửa").click()
    await expect(page.get_by_role("status").filter(has_text=f"Đã lưu bản sửa {revision + 1}.")).to_be_visible()

    revisions = page.locator(".revisions")
    await expect(revisions.get_by_text(f"Bản sửa {revision + 1}", exact=True)).to_be_visible()
    await expect(revisions.get_by_text("Quan trọng").first).to_be_visible()
    await revisions.get_by_role("button", name="So với bản trước").first.click()
    await expect(page.locator(".diff-added").filter(has_text=ADDED_LINE)).to_be_visible()
    await shot(page, artifacts, "staff-editor-revision")


async def test_moderator_opens_the_moderation_queue(page: Page, artifacts: Path) -> None:
    await sign_in(page, "demo.moderator")
    await expect(page.get_by_role("link", name="Biên tập tài liệu")).to_have_count(0)
    await page.get_by_role("link", name="Kiểm duyệt góp ý").click()
    await expect(page.get_by_role("heading", level=1, name="Kiểm duyệt")).to_be_visible()
    await expect(page.locator("main .loading")).to_have_count(0)
    await expect(page.get_by_text("Không có gì cần xét.").or_(page.locator(".moderation-item").first)).to_be_visible()
    await shot(page, artifacts, "staff-moderation")
