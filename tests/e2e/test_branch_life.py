"""Branch life on the phone: feedback written with no network survives a reload and reaches the server once;
a member answers a meeting's RSVP and checks in with the code on the secretary's phone; a study program's quiz."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.e2e.conftest import PLAYWRIGHT_MISSING, e2e_unavailable, shot, sign_in, under_service_worker
from tests.servers import DEMO_PASSWORD

try:
    from playwright.async_api import APIRequestContext, Page, Playwright, expect
except ModuleNotFoundError:
    e2e_unavailable(PLAYWRIGHT_MISSING)

if TYPE_CHECKING:
    from tests.app_server import AppServer

FEEDBACK_TEXT = "Đề nghị chi bộ bố trí sinh hoạt buổi tối.\n1. Vì ban ngày bà con đi làm rẫy\n* và đi chợ"
PENDING = "Chờ gửi"


async def api_as(playwright: Playwright, base_url: str, login: str) -> tuple[APIRequestContext, dict[str, str]]:
    """An API client signed in as a demo account, and the CSRF header its unsafe requests need."""
    client = await playwright.request.new_context(base_url=base_url)
    answer = await client.post("/api/v1/auth/login", data={"login": login, "password": DEMO_PASSWORD})
    assert answer.ok, await answer.text()
    state = await client.storage_state()
    cookies = {cookie["name"]: cookie["value"] for cookie in state["cookies"]}
    return client, {"X-CSRF-Token": cookies["ehb_csrf"], "Idempotency-Key": str(uuid.uuid4())}


async def post_json(client: APIRequestContext, headers: dict[str, str], path: str, body: dict[str, Any]) -> Any:
    answer = await client.post(path, data=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
    assert answer.ok, f"{path}: {answer.status} {await answer.text()}"
    return await answer.json()


async def fits_small_phone_with_large_text(page: Page) -> None:
    """At 320 CSS px and twice the text size nothing is wider than the screen (no sideways scrolling)."""
    await page.set_viewport_size({"width": 320, "height": 640})
    await page.evaluate("document.documentElement.style.fontSize = '225%'")  # 200% of the app's 112.5%
    overflow = await page.evaluate("document.scrollingElement.scrollWidth - document.documentElement.clientWidth")
    await page.evaluate("document.documentElement.style.fontSize = ''")
    await page.set_viewport_size({"width": 390, "height": 844})
    assert overflow <= 0, f"{overflow}px wider than the screen at {page.url}"


async def my_feedback(page: Page) -> list[dict[str, Any]]:
    """ListMyFeedback with the member's own session (the page's cookies)."""
    answer = await page.request.get("/api/v1/feedback/mine")
    assert answer.ok, await answer.text()
    items: list[dict[str, Any]] = (await answer.json())["items"]
    return items


async def test_feedback_written_offline_survives_a_reload_and_is_sent_once(page: Page, artifacts: Path) -> None:
    await sign_in(page)
    await under_service_worker(page)
    await page.get_by_role("link", name="Góp ý", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Góp ý, kiến nghị")).to_be_visible()
    await expect(page.get_by_text("Bạn chưa gửi góp ý nào.")).to_be_visible()
    assert await my_feedback(page) == []

    await page.context.set_offline(True)
    await page.get_by_role("link", name="Viết góp ý mới").click()
    await page.get_by_label("Kiến nghị").check()
    await page.get_by_label("Nội dung").fill(FEEDBACK_TEXT)
    await page.get_by_label("Ẩn tên tôi với chi bộ").check()
    # The draft is on the phone: a reload with no network brings it back as typed.
    await page.reload()
    await expect(page.get_by_label("Nội dung")).to_have_value(FEEDBACK_TEXT)
    await expect(page.get_by_label("Ẩn tên tôi với chi bộ")).to_be_checked()
    await shot(page, artifacts, "20-feedback-new")
    await fits_small_phone_with_large_text(page)

    await page.get_by_role("button", name="Gửi góp ý").click()
    await expect(page).to_have_url(re.compile(r"/feedback$"))
    pending = page.locator(".card-pending")
    await expect(pending).to_have_count(1)
    await expect(pending).to_contain_text(PENDING)
    await page.reload()
    await expect(page.locator(".card-pending")).to_have_count(1)
    await expect(page.locator(".card-pending")).to_contain_text("Đề nghị chi bộ bố trí")
    await shot(page, artifacts, "21-feedback-pending-offline")

    await page.context.set_offline(False)
    await expect(page.locator(".card-pending")).to_have_count(0)
    thread_link = page.locator("a.card").filter(has_text="Đề nghị chi bộ bố trí")
    await expect(thread_link).to_have_count(1)
    sent = await my_feedback(page)
    assert len(sent) == 1, sent
    assert sent[0]["kind"] == "petition"
    assert sent[0]["anonymous"] is True

    # The thread shows the member's words as text, line breaks and "*" kept.
    await thread_link.click()
    await expect(page.locator("p.plain-text").first).to_have_text(FEEDBACK_TEXT)
    await shot(page, artifacts, "22-feedback-thread")

    # Once more online, after a reload: nothing is replayed a second time.
    await page.reload()
    await expect(page.locator("p.plain-text").first).to_have_text(FEEDBACK_TEXT)
    assert len(await my_feedback(page)) == 1
    await page.goto("/faq")
    await expect(page.get_by_role("heading", level=1, name="Hỏi đáp thường gặp")).to_be_visible()


async def test_rsvp_and_check_in_with_the_secretary_code(
    page: Page, playwright: Playwright, app_server: AppServer, artifacts: Path
) -> None:
    secretary, headers = await api_as(playwright, app_server.base_url, "demo.secretary")
    try:
        starts = (datetime.now(UTC) + timedelta(minutes=10)).replace(microsecond=0)
        meeting = await post_json(
            secretary,
            headers,
            "/api/v1/meetings",
            {
                "title": "Sinh hoạt chuyên đề tháng này",
                "starts_at": starts.isoformat(),
                "place": "Nhà văn hóa ấp 3",
                "agenda_md": "1. Học tập nghị quyết\n2. Ý kiến của đảng viên",
            },
        )
        await sign_in(page)
        await under_service_worker(page)
        await expect(page.locator("#life-title")).to_be_visible()
        await expect(page.locator("a.card").filter(has_text="Sinh hoạt chuyên đề tháng này")).to_be_visible()
        await page.get_by_role("link", name="Sinh hoạt", exact=True).click()
        await expect(page.get_by_role("heading", level=1, name="Sinh hoạt chi bộ")).to_be_visible()
        await shot(page, artifacts, "23-meetings")
        await page.locator("a.card").filter(has_text="Sinh hoạt chuyên đề tháng này").click()
        await expect(page.get_by_role("heading", level=1, name="Sinh hoạt chuyên đề tháng này")).to_be_visible()

        await page.get_by_role("button", name="Tôi sẽ tham dự").click()
        await expect(page.get_by_text("Đã ghi nhận câu trả lời của bạn.")).to_be_visible()
        await expect(page.get_by_role("button", name="Tôi sẽ tham dự")).to_have_attribute("aria-pressed", "true")
        await shot(page, artifacts, "24-meeting")
        await fits_small_phone_with_large_text(page)

        # No signal in the meeting hall: the phone notes the code and when it was typed, and sends it later.
        await page.context.set_offline(True)
        await page.get_by_role("link", name="Điểm danh bằng mã").click()
        await expect(page.get_by_role("heading", level=1, name="Điểm danh")).to_be_visible()
        answer = await secretary.get(f"/api/v1/meetings/{meeting['id']}/check-in-code")
        assert answer.ok, await answer.text()
        code = (await answer.json())["code"]
        assert re.fullmatch(r"[0-9]{6}", code)
        await page.get_by_label("Mã điểm danh (6 chữ số)").fill(code)
        await page.get_by_role("button", name="Điểm danh", exact=True).click()
        await expect(page.locator(".said-wait").first).to_contain_text(f"Đã ghi nhận mã {code} lúc")
        await shot(page, artifacts, "25-check-in-offline")
        await page.context.set_offline(False)
        await expect(page.locator(".said-ok")).to_have_text("Bạn đã điểm danh buổi sinh hoạt này.")

        roll = await secretary.get(f"/api/v1/meetings/{meeting['id']}/attendance")
        rows = [row for row in (await roll.json())["members"] if row["present"]]
        assert len(rows) == 1, rows
        assert rows[0]["rsvp"] == "attending"
        assert rows[0]["checked_in_at"] is not None
    finally:
        await secretary.dispose()


async def test_study_program_quiz_and_secretary_screens(
    page: Page, playwright: Playwright, app_server: AppServer, artifacts: Path
) -> None:
    admin, headers = await api_as(playwright, app_server.base_url, "demo.admin")
    try:
        me = await (await admin.get("/api/v1/me")).json()
        province = next(grant["unit_id"] for grant in me["roles"] if grant["role"] == "admin")
        question = {
            "text": "Chi bộ sinh hoạt thường kỳ bao lâu một lần?",
            "options": [{"text": "Mỗi tháng một lần", "correct": True}, {"text": "Mỗi năm một lần"}],
        }
        due = (datetime.now(UTC) + timedelta(days=5)).isoformat()
        await post_json(
            admin,
            headers,
            "/api/v1/study/programs",
            {
                "unit_id": province,
                "title": "Học tập Nghị quyết Đại hội",
                "due_at": due,
                "quiz": {"questions": [question]},
            },
        )
    finally:
        await admin.dispose()

    await sign_in(page, "demo.secretary")
    await page.goto("/study")
    await page.locator("a.card").filter(has_text="Học tập Nghị quyết Đại hội").click()
    await expect(page.get_by_role("heading", level=1, name="Học tập Nghị quyết Đại hội")).to_be_visible()
    await shot(page, artifacts, "26-study-program")
    await page.get_by_role("link", name="Làm bài kiểm tra").click()
    await page.get_by_label("Mỗi tháng một lần").check()
    await page.get_by_role("button", name="Nộp bài").click()
    await expect(page.get_by_text("Chúc mừng, bạn đã đạt.")).to_be_visible()
    await expect(page.get_by_text("100% (đúng 1/1 câu)")).to_be_visible()
    await shot(page, artifacts, "27-quiz-result")
    await fits_small_phone_with_large_text(page)

    # The secretary's own views: the meetings they run, with the rotating code drawn as a QR.
    await page.goto("/meetings/manage")
    await expect(page.get_by_role("heading", level=1, name="Quản lý sinh hoạt chi bộ")).to_be_visible()
    await page.get_by_text("Tạo buổi sinh hoạt chuyên đề").click()
    await page.get_by_label("Tên buổi sinh hoạt").fill("Sinh hoạt chuyên đề chuyển đổi số")
    soon = datetime.now(UTC) + timedelta(hours=7, minutes=10)  # on the branch's clock, Asia/Ho_Chi_Minh
    await page.get_by_label("Ngày", exact=True).fill(soon.date().isoformat())
    await page.get_by_label("Giờ bắt đầu").fill(soon.strftime("%H:%M"))
    await page.get_by_role("button", name="Tạo buổi sinh hoạt").click()
    await expect(page.get_by_text("Đã gửi lên hệ thống.")).to_be_visible()
    await page.goto("/meetings")
    await page.locator("a.card").filter(has_text="Sinh hoạt chuyên đề chuyển đổi số").click()
    await page.get_by_role("link", name="Điều hành buổi sinh hoạt").click()
    await expect(page.locator(".code-digits")).to_have_text(re.compile(r"^[0-9]{3} [0-9]{3}$"))
    await expect(page.locator("svg.qr")).to_be_visible()
    await page.locator(".code-panel").screenshot(path=str(artifacts / "28-check-in-code.png"))
    await fits_small_phone_with_large_text(page)
    await shot(page, artifacts, "29-meeting-roll")
