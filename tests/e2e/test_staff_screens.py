"""The staff screens issue 6 asked for, used for real against the server: the secretary moves one meeting and
cancels another and the member sees both; a committee assigns a study program and a member finds it; the
secretary publishes a good answer as an FAQ entry (the asker's name refused first); the editor attaches a file
to a section and deletes another section."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tests.e2e.conftest import PLAYWRIGHT_MISSING, e2e_unavailable, shot, sign_in
from tests.e2e.test_branch_life import api_as, fits_small_phone_with_large_text, post_json

try:
    from playwright.async_api import Page, Playwright, expect
except ModuleNotFoundError:
    e2e_unavailable(PLAYWRIGHT_MISSING)

if TYPE_CHECKING:
    from pathlib import Path

    from tests.app_server import AppServer

VIETNAM = timedelta(hours=7)


def at_local(days: int, hour: int, minute: int) -> datetime:
    """A moment `days` from today on the branch's calendar, at hour:minute Vietnam time, as UTC."""
    today = (datetime.now(UTC) + VIETNAM).date() + timedelta(days=days)
    return datetime(today.year, today.month, today.day, hour, minute, tzinfo=UTC) - VIETNAM


async def sign_out(page: Page) -> None:
    await page.goto("/profile")
    await page.get_by_role("button", name="Đăng xuất", exact=True).click()
    await expect(page.get_by_role("button", name="Ở lại")).to_be_visible()
    await page.get_by_role("button", name="Đăng xuất", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/sign-in$"))


async def cancel_from_manage_screen(page: Page, meeting_id: str, title: str, artifacts: Path) -> str:
    """Cancel with a reason (asked for, then confirmed); answers the notice members are shown."""
    await page.goto(f"/meetings/{meeting_id}/manage")
    await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    await page.get_by_text("Hủy buổi sinh hoạt", exact=True).click()
    await page.get_by_role("button", name="Tiếp tục hủy").click()
    await expect(page.get_by_text("Hãy ghi lý do hủy để đảng viên biết.")).to_be_visible()
    await page.get_by_label("Lý do hủy").fill("Trùng lịch họp của Đảng ủy xã, chi bộ sẽ báo lịch mới.")
    await page.get_by_role("button", name="Tiếp tục hủy").click()
    await expect(page.get_by_text("Hủy thì không hoàn tác được", exact=False)).to_be_visible()
    await shot(page, artifacts, "41-meeting-cancel-confirm")
    await page.get_by_role("button", name="Đồng ý hủy buổi sinh hoạt").click()
    notice = "Buổi sinh hoạt đã hủy: Trùng lịch họp của Đảng ủy xã, chi bộ sẽ báo lịch mới."
    await expect(page.get_by_text(notice)).to_be_visible()
    # Cancelled is final: no form to change it any more.
    await expect(page.get_by_text("Sửa buổi sinh hoạt", exact=True)).to_have_count(0)
    return notice


async def test_secretary_moves_a_meeting_and_cancels_another_and_the_member_sees_both(
    page: Page, playwright: Playwright, app_server: AppServer, artifacts: Path
) -> None:
    run = random.randrange(10**6)
    moved_title, cancelled_title = f"Sinh hoạt chuyên đề dời lịch {run}", f"Sinh hoạt chuyên đề bị hủy {run}"
    secretary, headers = await api_as(playwright, app_server.base_url, "demo.secretary")
    try:
        moved = await post_json(
            secretary,
            headers,
            "/api/v1/meetings",
            {"title": moved_title, "starts_at": at_local(3, 19, 30).isoformat(), "place": "Nhà văn hóa ấp 3"},
        )
        cancelled = await post_json(
            secretary,
            headers,
            "/api/v1/meetings",
            {"title": cancelled_title, "starts_at": at_local(4, 19, 30).isoformat()},
        )
    finally:
        await secretary.dispose()

    await sign_in(page, "demo.secretary")
    await page.goto(f"/meetings/{moved['id']}/manage")
    await expect(page.get_by_role("heading", level=1, name=moved_title)).to_be_visible()
    await page.get_by_text("Sửa buổi sinh hoạt", exact=True).click()
    title = page.get_by_label("Tên buổi sinh hoạt")
    await expect(title).to_have_value(moved_title)
    await expect(page.get_by_label("Giờ bắt đầu")).to_have_value("19:30")
    # Nothing changed yet: said so, and nothing is sent.
    await page.get_by_role("button", name="Lưu thay đổi").click()
    await expect(page.get_by_role("alert").filter(has_text="Chưa có gì khác so với lịch hiện tại.")).to_be_visible()
    await title.fill(" ")
    await page.get_by_role("button", name="Lưu thay đổi").click()
    await expect(page.get_by_text("Hãy nhập tên buổi sinh hoạt.")).to_be_visible()
    await expect(title).to_be_focused()
    await title.fill(moved_title)
    await page.get_by_label("Giờ bắt đầu").fill("20:15")
    await page.get_by_label("Địa điểm").fill("Hội trường ấp 5")
    materials = page.get_by_role("group", name="Tài liệu sinh hoạt").get_by_role("checkbox")
    material = (await materials.first.locator("xpath=..").inner_text()).strip()
    await materials.first.check()
    await page.get_by_role("button", name="Lưu thay đổi").click()
    await expect(page.get_by_text("Đã lưu thay đổi và báo cho đảng viên của chi bộ.")).to_be_visible()
    await shot(page, artifacts, "40-meeting-edit")
    await fits_small_phone_with_large_text(page)

    notice = await cancel_from_manage_screen(page, cancelled["id"], cancelled_title, artifacts)

    await sign_out(page)
    await sign_in(page, "demo.member")
    await page.goto("/meetings")
    moved_card = page.locator("a.card").filter(has_text=moved_title)
    await expect(moved_card).to_contain_text("Tại: Hội trường ấp 5")
    await expect(page.locator("a.card").filter(has_text=cancelled_title)).to_contain_text("Đã hủy")
    await moved_card.click()
    await expect(page.get_by_text("Từ 20:15 đến 22:15")).to_be_visible()
    await expect(page.locator("a.card").filter(has_text=material)).to_be_visible()
    await page.goto(f"/meetings/{cancelled['id']}")
    await expect(page.get_by_text(notice)).to_be_visible()
    await expect(page.get_by_role("button", name="Tôi sẽ tham dự")).to_have_count(0)


async def test_committee_assigns_a_study_program_and_a_member_finds_it(
    page: Page, playwright: Playwright, app_server: AppServer, artifacts: Path
) -> None:
    title = f"Học tập chuyên đề chuyển đổi số {random.randrange(10**6)}"
    member, _ = await api_as(playwright, app_server.base_url, "demo.member")
    try:
        me = await (await member.get("/api/v1/me")).json()
        branch = await (await member.get(f"/api/v1/org/units/{me['branch_id']}")).json()
        commune = await (await member.get(f"/api/v1/org/units/{branch['path'][-2]}")).json()
    finally:
        await member.dispose()

    await sign_in(page, "demo.admin")
    await page.goto("/study")
    await page.get_by_text("Giao chuyên đề học tập", exact=True).click()
    await page.get_by_role("button", name="Giao chuyên đề").click()
    await expect(page.get_by_text("Hãy chọn đơn vị được giao.")).to_be_visible()
    await expect(page.get_by_label("Đơn vị", exact=True)).to_be_focused()

    await page.get_by_label("Đơn vị", exact=True).select_option(index=1)
    # Down the tree: the program goes to the member's commune only.
    await page.get_by_label(re.compile("^Đơn vị trực thuộc")).select_option(label=commune["name"])
    await page.get_by_label("Tên chuyên đề").fill(title)
    due = ((datetime.now(UTC) + VIETNAM).date() + timedelta(days=7)).isoformat()
    await page.get_by_label("Hạn hoàn thành").fill(due)
    materials = page.get_by_role("group", name="Tài liệu cần đọc").get_by_role("checkbox")
    await materials.first.check()
    await page.get_by_label("Có bài kiểm tra trắc nghiệm").check()
    await page.get_by_label("Nội dung câu hỏi").fill("Chuyển đổi số trong chi bộ bắt đầu từ đâu?")
    await page.get_by_label("Phương án A").fill("Từ sổ tay đảng viên điện tử")
    await page.get_by_role("button", name="Giao chuyên đề").click()
    # Option B is left empty: one option is not a question.
    await expect(page.get_by_text("Cần từ 2 đến 10 phương án có nội dung.")).to_be_visible()
    await page.get_by_label("Phương án B").fill("Từ việc mua máy tính mới")
    await page.get_by_label("Yêu cầu viết bài thu hoạch").check()
    await page.get_by_label("Đề bài thu hoạch (không bắt buộc)").fill("Liên hệ việc dùng sổ tay ở chi bộ mình.")
    await shot(page, artifacts, "42-study-program-new")
    await fits_small_phone_with_large_text(page)
    await page.get_by_role("button", name="Giao chuyên đề").click()
    await expect(page.get_by_text(f"Đã giao chuyên đề «{title}».")).to_be_visible()
    await expect(page.locator("a.card").filter(has_text=title)).to_be_visible()

    programs = (await (await page.request.get("/api/v1/study/programs")).json())["items"]
    created = next(program for program in programs if program["title"] == title)
    assert created["unit_id"] == commune["id"], created
    assert created["quiz"] is not None, created
    assert created["reflection_required"] is True, created
    assert len(created["materials"]) == 1, created

    await sign_out(page)
    await sign_in(page, "demo.member")
    await page.goto("/study")
    await page.locator("a.card").filter(has_text=title).click()
    await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    await expect(page.get_by_text(created["materials"][0]["title"]).first).to_be_visible()
    await expect(page.get_by_role("link", name="Làm bài kiểm tra")).to_be_visible()


async def test_secretary_publishes_an_answer_as_an_faq_entry(
    page: Page, playwright: Playwright, app_server: AppServer, artifacts: Path
) -> None:
    question = f"Đảng viên đi làm ăn xa sinh hoạt tạm thời thế nào? ({random.randrange(10**6)})"
    answer = "Đồng chí làm thủ tục giới thiệu sinh hoạt tạm thời tại chi bộ nơi đến."
    member, member_headers = await api_as(playwright, app_server.base_url, "demo.member")
    secretary, secretary_headers = await api_as(playwright, app_server.base_url, "demo.secretary")
    try:
        thread = await post_json(
            member, member_headers, "/api/v1/feedback", {"body": question, "kind": "question", "faq_consent": True}
        )
        name = (
            thread["author"]["full_name"]
            if thread["author"]
            else (await (await member.get("/api/v1/me")).json())["display_name"]
        )
        await post_json(secretary, secretary_headers, f"/api/v1/feedback/{thread['id']}/replies", {"body": answer})
    finally:
        await member.dispose()
        await secretary.dispose()

    await sign_in(page, "demo.secretary")
    await page.goto(f"/feedback/{thread['id']}")
    await page.get_by_text("Công khai thành hỏi đáp", exact=True).click()
    await expect(page.get_by_label("Câu hỏi (công khai)")).to_have_value(question)
    await expect(page.get_by_label("Câu trả lời (công khai)")).to_have_value(answer)
    await page.get_by_label("Câu trả lời (công khai)").fill(
        f"Đồng chí {name} làm thủ tục giới thiệu sinh hoạt tạm thời."
    )
    await page.get_by_role("button", name="Công khai câu hỏi đáp").click()
    await expect(page.get_by_text(f"Hãy bỏ tên người hỏi ({name}) khỏi nội dung công khai.")).to_be_visible()
    await expect(page.get_by_label("Câu trả lời (công khai)")).to_be_focused()
    await page.get_by_label("Câu trả lời (công khai)").fill(answer)
    await shot(page, artifacts, "43-faq-publish")
    await page.get_by_role("button", name="Công khai câu hỏi đáp").click()
    await expect(page.get_by_text("Đã công khai thành hỏi đáp.")).to_be_visible()

    await sign_out(page)
    await sign_in(page, "demo.member")
    await page.goto("/faq")
    entry = page.locator("main").get_by_text(question)
    await expect(entry).to_be_visible()
    await expect(page.locator("main")).not_to_contain_text(name)


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


async def test_editor_attaches_a_file_to_a_section_and_deletes_another(
    page: Page, playwright: Playwright, app_server: AppServer, artifacts: Path
) -> None:
    run = random.randrange(10**6)
    admin, headers = await api_as(playwright, app_server.base_url, "demo.admin")
    try:
        document = await post_json(
            admin,
            headers,
            "/api/v1/documents",
            {"title": f"Tài liệu thử {run}", "slug": f"tai-lieu-thu-{run}", "kind": "guide"},
        )
        kept = await post_json(
            admin,
            headers,
            f"/api/v1/documents/{document['id']}/sections",
            {"title": "Mục giữ lại", "body_md": "Đoạn đầu."},
        )
        doomed = await post_json(
            admin, headers, f"/api/v1/documents/{document['id']}/sections", {"title": "Mục sẽ xóa", "body_md": "Bỏ."}
        )
    finally:
        await admin.dispose()

    await sign_in(page, "demo.admin")
    await page.goto(f"/editor/{document['id']}/{kept['id']}")
    await expect(page.get_by_role("heading", level=1, name="Mục giữ lại")).to_be_visible()
    file_input = page.get_by_label("Chọn tệp")
    # A "PDF" that is really HTML: the server refuses it, and says why in Vietnamese.
    await file_input.set_input_files({"name": "gia.pdf", "mimeType": "application/pdf", "buffer": b"<html>x</html>"})
    await page.get_by_role("button", name="Tải lên và chèn liên kết").click()
    await expect(page.get_by_role("alert").filter(has_text="Nội dung tệp không phải application/pdf")).to_be_visible()
    await file_input.set_input_files({"name": "ke-hoach.txt", "mimeType": "text/plain", "buffer": b"x"})
    await page.get_by_role("button", name="Tải lên và chèn liên kết").click()
    await expect(page.get_by_role("alert").filter(has_text="Chỉ nhận tệp PDF, PNG, JPEG hoặc WebP.")).to_be_visible()

    await file_input.set_input_files({"name": "Kế hoạch [số 1].pdf", "mimeType": "application/pdf", "buffer": PDF})
    await page.get_by_role("button", name="Tải lên và chèn liên kết").click()
    await expect(page.get_by_text("Đã chèn liên kết tới «Kế hoạch [số 1].pdf»", exact=False)).to_be_visible()
    body = page.get_by_label("Nội dung (Markdown)")
    await expect(body).to_have_value(
        re.compile(r"Đoạn đầu\.\n\n\[Kế hoạch \\\[số 1\\\]\.pdf\]\(/api/v1/attachments/[0-9a-f-]+\)\n$")
    )
    await expect(page.get_by_text("Đã có trong nội dung")).to_be_visible()
    await page.get_by_role("button", name="Lưu bản sửa").click()
    await expect(page.get_by_role("status").filter(has_text="Đã lưu bản sửa 2.")).to_be_visible()
    await shot(page, artifacts, "44-editor-attachment")
    await fits_small_phone_with_large_text(page)

    source: dict[str, Any] = await (await page.request.get(f"/api/v1/sections/{kept['id']}/source")).json()
    found = re.search(r"\((/api/v1/attachments/[0-9a-f-]+)\)", source["body_md"])
    assert found is not None, source["body_md"]
    assert '<a href="' + found.group(1) + '"' in source["body_html"], source["body_html"]
    served = await page.request.get(found.group(1))
    assert served.ok, served.status
    assert await served.body() == PDF

    await page.goto(f"/editor/{document['id']}/{doomed['id']}")
    await expect(page.get_by_role("heading", level=1, name="Mục sẽ xóa")).to_be_visible()
    await page.get_by_role("button", name="Xóa mục này").click()
    await expect(page.get_by_text("Xóa mục «Mục sẽ xóa» khỏi tài liệu?", exact=False)).to_be_visible()
    await page.get_by_role("button", name="Xóa mục", exact=True).click()
    await expect(page).to_have_url(re.compile(f"/editor/{document['id']}$"))
    await expect(page.get_by_role("link", name=re.compile("^Mục giữ lại"))).to_be_visible()
    await expect(page.get_by_role("link", name=re.compile("^Mục sẽ xóa"))).to_have_count(0)


async def test_secretary_stops_and_resumes_the_monthly_template_and_makes_its_meetings_now(
    page: Page, playwright: Playwright, app_server: AppServer
) -> None:
    title = f"Sinh hoạt thường kỳ khu phố {random.randrange(10**6)}"
    secretary, headers = await api_as(playwright, app_server.base_url, "demo.secretary")
    try:
        template = await post_json(
            secretary,
            headers,
            "/api/v1/meetings/templates",
            {"title": title, "day_of_month": 9, "local_time": "19:00", "place": "Hội trường khu phố"},
        )
        await sign_in(page, "demo.secretary")
        await page.goto("/meetings/manage")
        card = page.locator("li.card").filter(has_text=title)
        await card.get_by_role("button", name="Dừng lịch thường kỳ").click()
        await expect(card.get_by_text("Đã dừng", exact=True)).to_be_visible()
        stopped = await (await secretary.get("/api/v1/meetings/templates", headers=headers)).json()
        assert next(t for t in stopped if t["id"] == template["id"])["active"] is False
        await card.get_by_role("button", name="Chạy lại lịch thường kỳ").click()
        await expect(card.get_by_text("Đã dừng", exact=True)).to_have_count(0)
        await card.get_by_role("button", name=re.compile(r"^Tạo ngay các buổi của \d+ tháng tới$")).click()
        await expect(page.get_by_text("Đã gửi lên hệ thống.")).to_be_visible()
        after = await (await secretary.get("/api/v1/meetings/templates", headers=headers)).json()
        resumed = next(t for t in after if t["id"] == template["id"])
        assert resumed["active"] is True
        assert resumed["upcoming"], "the template's meetings to come exist"
    finally:
        await secretary.dispose()
