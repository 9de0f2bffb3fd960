"""Issue 6's remaining screens used for real against the server: a member reports a secretary's reply
("Báo cáo vi phạm") and the moderator's queue lists it, then the member retracts it and the queue drops it;
the secretary withdraws a notice from the receipts screen (confirmed first) and the member no longer sees it;
an author whose reply was hidden reads the moderator's message and appeals, once."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from tests.e2e.conftest import PLAYWRIGHT_MISSING, e2e_unavailable, shot, sign_in
from tests.e2e.test_branch_life import api_as, fits_small_phone_with_large_text, post_json
from tests.e2e.test_staff_screens import sign_out

try:
    from playwright.async_api import APIRequestContext, Page, Playwright, expect
except ModuleNotFoundError:
    e2e_unavailable(PLAYWRIGHT_MISSING)

if TYPE_CHECKING:
    from pathlib import Path

    from tests.app_server import AppServer


async def queued_reply(moderator: APIRequestContext, reply_id: str) -> dict[str, Any] | None:
    """ListModerationQueue as demo.moderator: the entry for this reply, if any."""
    answer = await moderator.get("/api/v1/moderation/queue", params={"limit": 200})
    assert answer.ok, await answer.text()
    items: list[dict[str, Any]] = await answer.json()
    return next((item for item in items if item["item_kind"] == "reply" and item["item_id"] == reply_id), None)


async def test_a_member_reports_a_reply_the_moderator_sees_it_and_the_member_retracts_it(
    page: Page, playwright: Playwright, app_server: AppServer, artifacts: Path
) -> None:
    run = random.randrange(10**6)
    reply_text = f"Câu hỏi này không đáng trả lời. ({run})"
    member, member_headers = await api_as(playwright, app_server.base_url, "demo.member")
    secretary, secretary_headers = await api_as(playwright, app_server.base_url, "demo.secretary")
    try:
        thread = await post_json(
            member,
            member_headers,
            "/api/v1/feedback",
            {"body": f"Chi bộ có tổ chức học nghị quyết vào buổi tối không? ({run})", "kind": "question"},
        )
        answered = await post_json(
            secretary, secretary_headers, f"/api/v1/feedback/{thread['id']}/replies", {"body": reply_text}
        )
        reply = next(item for item in answered["replies"] if item["body"] == reply_text)
    finally:
        await member.dispose()
        await secretary.dispose()

    await sign_in(page, "demo.member")
    await page.goto(f"/feedback/{thread['id']}")
    answer = page.locator("li.reply").filter(has_text=reply_text)
    await expect(answer).to_be_visible()
    # The member's own thread has no report action; the secretary's reply has one.
    await expect(page.locator("details.report")).to_have_count(1)
    await answer.get_by_text("Báo cáo vi phạm", exact=True).click()
    await answer.get_by_role("button", name="Gửi báo cáo").click()
    await expect(answer.get_by_text("Hãy chọn lý do báo cáo.")).to_be_visible()
    await expect(answer.get_by_label("Lý do báo cáo")).to_be_focused()
    await answer.get_by_label("Lý do báo cáo").select_option(label="Lý do khác")
    await answer.get_by_role("button", name="Gửi báo cáo").click()
    await expect(answer.get_by_text("Hãy mô tả ngắn điều vi phạm.")).to_be_visible()
    await answer.get_by_label("Mô tả thêm", exact=False).fill("Trả lời thiếu tôn trọng người hỏi.")
    await fits_small_phone_with_large_text(page)
    await answer.get_by_role("button", name="Gửi báo cáo").click()
    await expect(answer.get_by_text("Đã gửi báo cáo. Cảm ơn bạn.")).to_be_visible()
    await expect(answer.get_by_text("Bạn đã báo cáo nội dung này")).to_be_visible()
    await shot(page, artifacts, "50-report-reply")

    moderator, _ = await api_as(playwright, app_server.base_url, "demo.moderator")
    try:
        queued = await queued_reply(moderator, reply["id"])
        assert queued is not None, "the reported reply is not in the moderator's queue"
        assert queued["report_count"] == 1
        assert queued["thread_id"] == thread["id"]
        assert [reason["reason"] for reason in queued["reasons"]] == ["other"]

        # The report is remembered on the phone after a reload, and can be retracted.
        await page.reload()
        answer = page.locator("li.reply").filter(has_text=reply_text)
        await answer.get_by_text("Bạn đã báo cáo nội dung này", exact=True).click()
        await answer.get_by_role("button", name="Rút báo cáo").click()
        await expect(answer.get_by_text("Đã rút báo cáo.")).to_be_visible()
        assert await queued_reply(moderator, reply["id"]) is None
    finally:
        await moderator.dispose()


async def test_the_secretary_withdraws_a_notice_and_the_member_no_longer_sees_it(
    page: Page, playwright: Playwright, app_server: AppServer, artifacts: Path
) -> None:
    title = f"Thông báo đăng nhầm {random.randrange(10**6)}"
    secretary, headers = await api_as(playwright, app_server.base_url, "demo.secretary")
    try:
        notice = await post_json(secretary, headers, "/api/v1/notices", {"title": title, "body": "Nội dung thử."})
    finally:
        await secretary.dispose()

    await sign_in(page, "demo.member")
    await page.goto("/notices")
    await expect(page.locator("main").get_by_text(title)).to_be_visible()
    await sign_out(page)

    await sign_in(page, "demo.secretary")
    await page.goto(f"/secretary/notices/{notice['id']}")
    await expect(page.get_by_role("heading", level=1, name="Ai đã đọc")).to_be_visible()
    await expect(page.get_by_role("heading", level=2, name="Thông báo đẩy đến đâu")).to_be_visible()
    await page.get_by_text("Thu hồi thông báo", exact=True).click()
    await page.get_by_label("Lý do thu hồi (không bắt buộc)").fill("Đăng nhầm chi bộ.")
    await page.get_by_role("button", name="Thu hồi…").click()
    await expect(page.get_by_text(f"Thu hồi «{title}»? Đảng viên sẽ không còn thấy thông báo này.")).to_be_visible()
    # Changing one's mind sends nothing.
    await page.get_by_role("button", name="Không thu hồi").click()
    still = await (await page.request.get(f"/api/v1/notices/{notice['id']}")).json()
    assert still["state"] == "published"
    await page.get_by_role("button", name="Thu hồi…").click()
    await fits_small_phone_with_large_text(page)
    await shot(page, artifacts, "51-withdraw-confirm")
    await page.get_by_role("button", name="Đồng ý thu hồi").click()
    await expect(page.get_by_text("Đã thu hồi thông báo.")).to_be_visible()
    await expect(page.get_by_text("Thông báo này đã được thu hồi.")).to_be_visible()
    withdrawn = await (await page.request.get(f"/api/v1/notices/{notice['id']}")).json()
    assert withdrawn["state"] == "withdrawn"
    await sign_out(page)

    await sign_in(page, "demo.member")
    await page.goto("/notices")
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await expect(page.locator("main").get_by_text(title)).to_have_count(0)
    feed = await (await page.request.get("/api/v1/notices")).json()
    assert all(item["id"] != notice["id"] for item in feed["items"])


async def test_an_author_sees_why_a_reply_was_hidden_and_appeals_once(
    page: Page, playwright: Playwright, app_server: AppServer, artifacts: Path
) -> None:
    run = random.randrange(10**6)
    words = f"Bổ sung: số điện thoại của đồng chí tổ trưởng là 0900000000. ({run})"
    message = "Bài có số điện thoại của người khác nên tạm ẩn."
    member, member_headers = await api_as(playwright, app_server.base_url, "demo.member")
    moderator, moderator_headers = await api_as(playwright, app_server.base_url, "demo.moderator")
    try:
        thread = await post_json(
            member,
            member_headers,
            "/api/v1/feedback",
            {"body": f"Xin hỏi lịch sinh hoạt tổ ({run})", "kind": "question"},
        )
        added = await post_json(member, member_headers, f"/api/v1/feedback/{thread['id']}/replies", {"body": words})
        reply = next(item for item in added["replies"] if item["body"] == words)
        await post_json(
            moderator,
            moderator_headers,
            f"/api/v1/moderation/items/reply/{reply['id']}/actions",
            {"action": "hide", "reason": "personal_data", "message": message},
        )

        await sign_in(page, "demo.member")
        await page.goto(f"/feedback/{thread['id']}")
        note = page.locator(".moderation-note")
        await expect(note).to_contain_text("Nội dung này của bạn đã bị người kiểm duyệt ẩn.")
        await expect(note).to_contain_text(f"Lời nhắn của người kiểm duyệt: {message}")
        await note.get_by_role("button", name="Gửi kháng nghị").click()
        await expect(note.get_by_text("Hãy viết lý do kháng nghị.")).to_be_visible()
        await expect(note.get_by_label("Nội dung kháng nghị")).to_be_focused()
        await note.get_by_label("Nội dung kháng nghị").fill("Số điện thoại là của văn phòng ấp, ai cũng biết.")
        await fits_small_phone_with_large_text(page)
        await note.get_by_role("button", name="Gửi kháng nghị").click()
        await expect(note.get_by_text("Đã gửi kháng nghị. Một người kiểm duyệt khác sẽ xét.")).to_be_visible()
        await shot(page, artifacts, "52-appeal")

        answer = await moderator.get("/api/v1/moderation/queue", params={"limit": 200})
        queued = next(item for item in await answer.json() if item["item_id"] == reply["id"])
        assert queued["hidden"] is True
        assert queued["appeal"]["text"] == "Số điện thoại là của văn phòng ấp, ai cũng biết."

        # Once only: after a reload the appeal is pending and no form is offered again.
        await page.reload()
        note = page.locator(".moderation-note")
        await expect(note.get_by_text("Kháng nghị của bạn đang chờ xét.")).to_be_visible()
        await expect(note.get_by_role("button", name="Gửi kháng nghị")).to_have_count(0)
    finally:
        await member.dispose()
        await moderator.dispose()
