"""The member register on the phone, used for real against the server: the admin finds a member in the list,
issues an activation code from the member's card and the member activates with it; the admin grants the member
a role and revokes it, and both show in the audit log."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from tests.e2e.conftest import PLAYWRIGHT_MISSING, e2e_unavailable, shot, sign_in
from tests.e2e.test_branch_life import api_as, fits_small_phone_with_large_text
from tests.e2e.test_staff_screens import sign_out

try:
    from playwright.async_api import Page, Playwright, expect
except ModuleNotFoundError:
    e2e_unavailable(PLAYWRIGHT_MISSING)

if TYPE_CHECKING:
    from pathlib import Path

    from tests.app_server import AppServer

NEW_PASSWORD = "Hoa-sen-2026!"


def without_marks(text: str) -> str:
    """What a secretary types on a phone without a Vietnamese keyboard: no diacritics, đ as d."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in plain if not unicodedata.combining(char))


async def grants_of(admin: Any, account_id: str) -> list[dict[str, Any]]:
    answer = await admin.get("/api/v1/role-grants")
    assert answer.ok, await answer.text()
    return [grant for grant in await answer.json() if grant["account_id"] == account_id]


async def find_on_the_list(page: Page, name: str, card: str, artifacts: Path) -> None:
    """From Home to the member's card, searching the list as a secretary would type: no diacritics."""
    await page.get_by_role("link", name="Danh sách đảng viên", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Danh sách đảng viên")).to_be_visible()
    await expect(page.get_by_text("Đã tải 100 đảng viên.")).to_be_visible()
    await page.get_by_label("Tìm theo họ tên, số thẻ hoặc chi bộ").fill(f"{without_marks(name)} {card}")
    await expect(page.get_by_text("Tìm thấy 1 đảng viên.")).to_be_visible()
    await fits_small_phone_with_large_text(page)
    await shot(page, artifacts, "60-members-found")
    await page.get_by_role("link", name=re.compile(re.escape(name))).click()
    await expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    await expect(page.get_by_text("Chưa kích hoạt tài khoản")).to_be_visible()


async def issue_code(page: Page, name: str, card: str, artifacts: Path) -> str:
    """Ask, confirm, and read the code shown once."""
    await page.get_by_role("button", name="Cấp mã kích hoạt…").click()
    await expect(page.get_by_text("Mã kích hoạt được cấp theo chi bộ", exact=False)).to_be_visible()
    await page.get_by_role("button", name="Đồng ý cấp mã").click()
    sheet = page.get_by_role("region", name=f"Mã kích hoạt của {name}")
    await expect(sheet).to_be_visible()
    await expect(sheet.locator("dd").first).to_have_text(card)
    code = (await sheet.locator("dd").nth(1).inner_text()).strip()
    assert re.fullmatch(r"[A-Z0-9]{5}\W[A-Z0-9]{5}", code), code
    await fits_small_phone_with_large_text(page)
    await shot(page, artifacts, "61-member-code-issued")
    return code


async def grant_and_revoke(page: Page, admin: Any, target: dict[str, Any], artifacts: Path) -> str:
    """A moderator role on the member's branch, then taken away again (the server asked each time);
    answers the member's account id."""
    branch, name = target["branch_name"], target["full_name"]
    await page.get_by_role("combobox", name="Vai trò", exact=True).select_option(label="Kiểm duyệt viên")
    await page.get_by_role("button", name="Phân vai trò").click()
    await expect(page.get_by_text(f"Đã phân vai trò Kiểm duyệt viên tại {branch}.")).to_be_visible()
    roles = page.get_by_role("region", name="Vai trò", exact=True)
    await expect(roles.get_by_text(f"Kiểm duyệt viên – {branch}")).to_be_visible()
    held = [g for g in (await (await admin.get("/api/v1/role-grants")).json()) if g["role"] == "moderator"]
    mine = [g for g in held if g["unit_id"] == target["branch_id"] and g["display_name"] == name]
    assert len(mine) == 1, held
    account_id: str = mine[0]["account_id"]
    await shot(page, artifacts, "62-member-role-granted")

    await page.get_by_role("button", name="Thu hồi vai trò Kiểm duyệt viên…").click()
    await page.get_by_role("button", name="Đồng ý thu hồi").click()
    await expect(page.get_by_text(f"Đã thu hồi vai trò Kiểm duyệt viên tại {branch}.")).to_be_visible()
    await expect(page.get_by_text("Chưa có vai trò nào ngoài đảng viên.")).to_be_visible()
    assert await grants_of(admin, account_id) == []
    return account_id


async def activate(page: Page, card: str, code: str) -> None:
    """The member, with the code read out to them, sets a password and is signed in."""
    await page.goto("/activate")
    await expect(page.get_by_role("heading", level=1, name="Kích hoạt tài khoản")).to_be_visible()
    await page.get_by_label("Số thẻ đảng viên").fill(card)
    await page.get_by_label("Mã kích hoạt").fill(code)
    await page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    await page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    await page.get_by_role("button", name="Kích hoạt", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name=re.compile(r"^Xin chào, "))).to_be_visible()


async def test_admin_issues_a_code_the_member_activates_with_and_grants_then_revokes_a_role(
    page: Page, playwright: Playwright, app_server: AppServer, artifacts: Path
) -> None:
    admin, _ = await api_as(playwright, app_server.base_url, "demo.admin")
    # Someone on the list's first page who has never activated: the admin will find them by name.
    listed = await admin.get("/api/v1/members", params={"limit": 100})
    assert listed.ok, await listed.text()
    target = next(m for m in (await listed.json())["items"] if m["status"] == "active" and not m["activated"])
    name, card = target["full_name"], target["card_number"]

    await sign_in(page, "demo.admin")
    await find_on_the_list(page, name, card, artifacts)
    # The API gives an admin the whole citizen ID; the card never shows it, nor its last digits.
    record = await (await admin.get(f"/api/v1/members/{target['id']}")).json()
    assert record["citizen_id"], record
    assert record["citizen_id"][-4:] not in await page.locator("main").inner_text()
    code = await issue_code(page, name, card, artifacts)
    account_id = await grant_and_revoke(page, admin, target, artifacts)

    await page.goto("/audit")
    await expect(page.get_by_role("heading", level=1, name="Nhật ký hệ thống")).to_be_visible()
    for action in ("Thu hồi vai trò", "Phân vai trò", "Cấp mã kích hoạt"):
        await expect(page.locator("li.card").get_by_text(action, exact=True).first).to_be_visible()
    await fits_small_phone_with_large_text(page)
    await shot(page, artifacts, "63-audit-log")
    await sign_out(page)

    await activate(page, card, code)
    again = await admin.get(f"/api/v1/members/{target['id']}")
    assert again.ok, await again.text()
    assert (await again.json())["activated"] is True
    events = await admin.get("/api/v1/audit", params={"action": "account_activated"})
    assert events.ok, await events.text()
    assert [e["target"] for e in (await events.json())["items"]][:1] == [f"account:{account_id}"]
    await admin.dispose()
