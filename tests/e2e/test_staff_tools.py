"""Staff tools on the phone: the admin edits a handbook section and sees the new revision and its diff;
the moderator opens the moderation queue. Both from Home, each tool in a chunk of its own."""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING

from tests.e2e.conftest import PLAYWRIGHT_MISSING, e2e_unavailable, shot, sign_in
from tests.e2e.test_branch_life import api_as, post_json

try:
    from playwright.async_api import Page, Playwright, expect
except ModuleNotFoundError:
    e2e_unavailable(PLAYWRIGHT_MISSING)

if TYPE_CHECKING:
    from pathlib import Path

    from tests.app_server import AppServer

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
    found = re.search(r"Bản sửa (\d+)", before)
    assert found is not None, before
    revision = int(found.group(1))
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

    # Someone else saves the section meanwhile: saving this copy says so in Vietnamese and offers the newer one.
    section_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    cookies = {cookie["name"]: cookie["value"] for cookie in await page.context.cookies()}
    source = await (await page.request.get(f"/api/v1/sections/{section_id}/source")).json()
    answer = await page.request.put(
        f"/api/v1/sections/{section_id}",
        data={"revision": source["revision"], "title": source["title"], "body_md": source["body_md"] + "\n\nThêm."},
        headers={"X-CSRF-Token": cookies["ehb_csrf"]},
    )
    assert answer.ok, await answer.text()
    await body.fill(f"{await body.input_value()}\n\nMột dòng nữa.")
    await page.get_by_role("button", name="Lưu bản sửa").click()
    await expect(page.get_by_role("alert").filter(has_text="vừa được người khác lưu một bản mới hơn")).to_be_visible()
    await page.get_by_role("button", name="Tải bản mới nhất").click()
    await expect(page.locator("main .card-meta").first).to_contain_text(f"Bản sửa {revision + 2}")
    await expect(body).not_to_have_value(re.compile("Một dòng nữa"))


REPORTED_TEXT = "Mua bán hàng giá rẻ <script>alert(1)</script> liên hệ ngay"


async def test_moderator_hides_a_reported_thread(
    page: Page, playwright: Playwright, app_server: AppServer, artifacts: Path
) -> None:
    member, headers = await api_as(playwright, app_server.base_url, "demo.member")
    secretary, secretary_headers = await api_as(playwright, app_server.base_url, "demo.secretary")
    try:
        thread = await post_json(member, headers, "/api/v1/feedback", {"body": REPORTED_TEXT})
        await post_json(
            secretary,
            secretary_headers,
            f"/api/v1/moderation/items/thread/{thread['id']}/report",
            {"reason": "spam"},
        )
    finally:
        await member.dispose()
        await secretary.dispose()

    await sign_in(page, "demo.moderator")
    await expect(page.get_by_role("link", name="Biên tập tài liệu")).to_have_count(0)
    await page.get_by_role("link", name="Kiểm duyệt góp ý").click()
    await expect(page.get_by_role("heading", level=1, name="Kiểm duyệt")).to_be_visible()
    item = page.locator(".moderation-item").filter(has_text=REPORTED_TEXT)
    # The member's words are shown as they were written, markup included, as text.
    await expect(item.locator(".plain-text").first).to_have_text(REPORTED_TEXT)
    await expect(item).to_contain_text("1 lượt báo cáo: Quảng cáo, rác (1)")
    await shot(page, artifacts, "staff-moderation")

    await item.get_by_role("button", name="Ẩn", exact=True).click()
    await item.get_by_role("button", name="Ẩn", exact=True).click()
    await expect(item.get_by_role("alert")).to_have_text("Hãy ghi lý do.")
    await item.get_by_label("Lý do").fill("Quảng cáo")
    await item.get_by_label("Lời nhắn gửi người viết").fill("Góp ý không đúng mục đích, xin gửi lại nội dung khác.")
    await item.get_by_role("button", name="Ẩn", exact=True).click()
    await expect(page.get_by_role("status").filter(has_text="Đã thực hiện: Ẩn.")).to_be_visible()
    # Hidden, with its reports dealt with: the item leaves the queue.
    await expect(item).to_have_count(0)


async def test_admin_imports_members_after_a_clean_dry_run(
    page: Page, playwright: Playwright, app_server: AppServer, artifacts: Path
) -> None:
    secretary, _ = await api_as(playwright, app_server.base_url, "demo.secretary")
    try:
        me = await (await secretary.get("/api/v1/me")).json()
    finally:
        await secretary.dispose()
    branch = next(grant["unit_code"] for grant in me["roles"] if grant["role"] == "secretary")
    card = f"9{random.randrange(10**9):09d}"  # a fresh card number each run
    header = "so_the,ho_ten,ngay_sinh,gioi_tinh,ngay_vao_dang,ma_chi_bo\n"
    good = f"{card},Nguyễn Thị Hoa,05/09/1978,Nữ,19/05/2005,{branch}\n"
    bad = f"12345,Trần Văn Bình,15/03/1980,Nam,19/05/2005,{branch}\n"

    await sign_in(page, "demo.admin")
    await page.get_by_role("link", name="Nhập danh sách đảng viên").click()
    await expect(page.get_by_role("heading", level=1, name="Nhập danh sách đảng viên")).to_be_visible()
    file_input = page.get_by_label("Tệp CSV")
    await file_input.set_input_files(
        {"name": "dang-vien.csv", "mimeType": "text/csv", "buffer": (header + good + bad).encode()}
    )
    await page.get_by_role("button", name="Kiểm tra tệp (chưa nhập)").click()
    await expect(page.get_by_role("heading", level=2, name="Kết quả kiểm tra (chưa nhập)")).to_be_visible()
    row = page.locator(".data-table tbody tr")
    await expect(row).to_have_count(1)
    await expect(row.locator("td").nth(0)).to_have_text("3")
    await expect(row.locator("td").nth(2)).to_have_text("so_the")
    await expect(page.get_by_text("Tệp còn lỗi.", exact=False)).to_be_visible()
    await expect(page.get_by_role("button", name="Nhập thật danh sách này")).to_have_count(0)
    await shot(page, artifacts, "staff-import-errors")

    await file_input.set_input_files(
        {"name": "dang-vien.csv", "mimeType": "text/csv", "buffer": (header + good).encode()}
    )
    await page.get_by_role("button", name="Kiểm tra tệp (chưa nhập)").click()
    await expect(page.locator(".data-table")).to_have_count(0)
    await page.get_by_role("button", name="Nhập thật danh sách này").click()
    await expect(page.get_by_role("heading", level=2, name="Đã nhập xong")).to_be_visible()
    await expect(page.locator(".facts div").filter(has_text="Thêm mới")).to_contain_text("1")


async def test_secretary_opens_the_reports(page: Page, artifacts: Path) -> None:
    await sign_in(page, "demo.secretary")
    await expect(page.get_by_role("link", name="Kiểm duyệt góp ý")).to_have_count(0)
    await page.get_by_role("link", name="Báo cáo", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Báo cáo")).to_be_visible()
    await expect(page.get_by_role("heading", level=2, name="Tiến độ học tập")).to_be_visible()
    # The demo handbook has documents that ask members to acknowledge them.
    ack = page.get_by_label("Tài liệu", exact=True)
    await ack.select_option(index=1)
    await expect(page.get_by_text(re.compile(r"^Đã xác nhận: \d+/\d+ \(\d+%\)$"))).to_be_visible()
    await expect(page.locator(".data-table tbody tr").first).to_be_visible()
    await shot(page, artifacts, "staff-reports")


async def test_admin_creates_and_publishes_a_document(page: Page, artifacts: Path) -> None:
    title = f"Hướng dẫn thử {random.randrange(10**6)}"  # a fresh slug each run
    await sign_in(page, "demo.admin")
    await page.get_by_role("link", name="Biên tập tài liệu").click()
    await page.locator("#new-document-title").fill(title)
    await page.get_by_label("Loại tài liệu").select_option(label="Hướng dẫn")
    await page.get_by_role("button", name="Tạo tài liệu (bản nháp)").click()
    await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    await expect(page.get_by_text("Bản nháp", exact=True)).to_be_visible()
    await expect(page.get_by_text("Tài liệu chưa có mục nào.")).to_be_visible()

    await page.locator("#new-section-title").fill("Mục một")
    await page.get_by_role("button", name="Thêm mục").click()
    await expect(page.get_by_role("heading", level=1, name="Mục một")).to_be_visible()
    await page.get_by_label("Nội dung (Markdown)").fill("# Tiêu đề\n\nĐoạn **đầu** tiên.")
    await expect(page.locator(".editor-preview h3")).to_have_text("Tiêu đề")
    await expect(page.locator(".editor-preview p")).to_have_text("Đoạn đầu tiên.")
    await page.get_by_role("button", name="Lưu bản sửa").click()
    await expect(page.get_by_role("status").filter(has_text="Đã lưu bản sửa")).to_be_visible()

    await page.get_by_role("link", name="Về tài liệu").click()
    await expect(page.get_by_role("link", name=re.compile("^Mục một"))).to_be_visible()
    await page.get_by_role("button", name="Phát hành cho đảng viên").click()
    await expect(page.get_by_text("Đã phát hành", exact=True)).to_be_visible()
    await shot(page, artifacts, "staff-editor-document")
    # Archiving hides the document from every member: it asks first.
    await page.get_by_role("button", name="Thôi phát hành (lưu trữ)").click()
    await page.get_by_role("button", name="Lưu trữ tài liệu").click()
    await expect(page.get_by_text("Đã lưu trữ", exact=True)).to_be_visible()


async def test_admin_overturns_an_appeal(
    page: Page, playwright: Playwright, app_server: AppServer, artifacts: Path
) -> None:
    text = f"Đề nghị công khai kinh phí sinh hoạt chi bộ, lần {random.randrange(10**6)}"
    appeal = "Tôi chỉ đề nghị công khai, không xúc phạm ai."
    member, headers = await api_as(playwright, app_server.base_url, "demo.member")
    moderator, moderator_headers = await api_as(playwright, app_server.base_url, "demo.moderator")
    try:
        thread = await post_json(member, headers, "/api/v1/feedback", {"body": text})
        outcome = await post_json(
            moderator,
            moderator_headers,
            f"/api/v1/moderation/items/thread/{thread['id']}/actions",
            {"action": "hide", "reason": "Xúc phạm", "message": "Xin viết lại."},
        )
        await post_json(member, headers, f"/api/v1/moderation/cases/{outcome['case_id']}/appeal", {"text": appeal})
    finally:
        await member.dispose()
        await moderator.dispose()

    # The admin did not hide it, so the admin may decide the appeal.
    await sign_in(page, "demo.admin")
    await page.get_by_role("link", name="Kiểm duyệt góp ý").click()
    item = page.locator(".moderation-item").filter(has_text=text)
    await expect(item.get_by_text("Có kháng nghị")).to_be_visible()
    await expect(item.get_by_text(appeal)).to_be_visible()
    await item.get_by_label("Ghi chú cho người viết (không bắt buộc)").fill("Nội dung phù hợp, đã hiện lại.")
    await item.get_by_role("button", name="Chấp nhận, hiện lại").click()
    await expect(page.get_by_role("status").filter(has_text="Đã chấp nhận kháng nghị")).to_be_visible()
    await expect(item).to_have_count(0)
