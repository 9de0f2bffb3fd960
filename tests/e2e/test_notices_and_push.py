"""Notices and push on the phone: push is turned on only by a tap, a push delivered to the service worker is
shown (and reported shown with its receipt), and a notice posted by the secretary reaches the member's feed,
is read and acknowledged."""

from __future__ import annotations

import base64
import json
import re
import secrets
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from api.notifications.receipts import receipt_for
from tests.e2e.conftest import PLAYWRIGHT_MISSING, e2e_unavailable, shot, sign_in, under_service_worker
from tests.servers import TEST_SECRET

try:
    from playwright.async_api import Page, expect
except ModuleNotFoundError:
    e2e_unavailable(PLAYWRIGHT_MISSING)

if TYPE_CHECKING:
    from tests.app_server import AppServer

ENABLED = "Đã bật thông báo trên điện thoại này."


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def p256_public_key() -> str:
    """A fresh P-256 public key, uncompressed and base64url: what browsers put in p256dh (and VAPID keys are)."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    return b64url(key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


def fake_push_script(subscription: dict[str, Any], vapid_public_key: str) -> str:
    """Headless Chromium has no push service to talk to (subscribe() hangs offline), and the e2e server runs
    without VAPID keys. Stand-ins, installed before the app's scripts: a PushManager that hands out a subscription
    with real P-256 keys on an allowed host, the VAPID key answer, and a permission that reads "default" until the
    app asks for it (the context has really granted it, so the service worker may show notifications)."""
    return f"""(() => {{
  const subscription = {json.dumps(subscription)};
  const vapid = {json.dumps({"enabled": True, "public_key": vapid_public_key})};
  const remembered = (key) => {{ try {{ return sessionStorage.getItem(key) === '1'; }} catch {{ return false; }} }};
  const remember = (key) => {{ try {{ sessionStorage.setItem(key, '1'); }} catch {{}} }};
  window.__e2ePermissionRequests = 0;
  Object.defineProperty(Notification, 'permission', {{
    configurable: true,
    get: () => (remembered('e2e-asked') ? 'granted' : 'default'),
  }});
  Notification.requestPermission = () => {{
    window.__e2ePermissionRequests += 1;
    remember('e2e-asked');
    return Promise.resolve('granted');
  }};
  const fake = {{
    endpoint: subscription.endpoint,
    expirationTime: null,
    options: {{ userVisibleOnly: true }},
    getKey: () => null,
    toJSON: () => subscription,
    unsubscribe: () => Promise.resolve(true),
  }};
  PushManager.prototype.getSubscription = function () {{
    return Promise.resolve(remembered('e2e-subscribed') ? fake : null);
  }};
  PushManager.prototype.subscribe = function (options) {{
    window.__e2eSubscribeOptions = {{
      userVisibleOnly: options.userVisibleOnly,
      keyBytes: new Uint8Array(options.applicationServerKey).length,
    }};
    remember('e2e-subscribed');
    return Promise.resolve(fake);
  }};
  const realFetch = window.fetch.bind(window);
  window.fetch = (input, init) =>
    String(input).endsWith('/api/v1/push/vapid-public-key')
      ? Promise.resolve(new Response(JSON.stringify(vapid), {{ headers: {{ 'Content-Type': 'application/json' }} }}))
      : realFetch(input, init);
}})();"""


async def insert_notification(database_url: str, username: str, title: str, url: str) -> int:
    """An inbox row for the account's member, as the push worker's outbox expansion writes them (no worker
    runs under the e2e server)."""
    conn = await asyncpg.connect(database_url)
    try:
        notification_id: int = await conn.fetchval(
            "insert into notifications (member_id, outbox_id, kind, category, title, body, url, source)"
            " select a.member_id, $2, 'notice', 'notice', $3, 'Nội dung thử', $4, 'e2e'"
            " from accounts a where a.username = $1 returning id",
            username,
            secrets.randbelow(2**31),
            title,
            url,
        )
    finally:
        await conn.close()
    return notification_id


async def shown_at(database_url: str, notification_id: int) -> object:
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetchval("select shown_at from notifications where id = $1", notification_id)
    finally:
        await conn.close()


async def my_devices(page: Page) -> list[str]:
    answer = await page.request.get("/api/v1/push/subscriptions")
    assert answer.ok, await answer.text()
    return [device["endpoint"] for device in await answer.json()]


async def service_worker_registration_id(page: Page, base_url: str) -> tuple[Any, str]:
    """A CDP session on the page and the id of the app's service worker registration."""
    cdp = await page.context.new_cdp_session(page)
    found: list[str] = []

    def on_update(event: dict[str, Any]) -> None:
        found.extend(r["registrationId"] for r in event["registrations"] if r["scopeURL"] == f"{base_url}/")

    cdp.on("ServiceWorker.workerRegistrationUpdated", on_update)
    await cdp.send("ServiceWorker.enable")
    for _ in range(100):
        if found:
            return cdp, found[0]
        await page.wait_for_timeout(100)
    raise AssertionError("no service worker registration reported over CDP")


async def test_push_is_enabled_by_a_tap_and_a_delivered_push_is_shown_and_reported(
    page: Page, app_server: AppServer, artifacts: Path
) -> None:
    endpoint = f"https://fcm.googleapis.com/fcm/send/e2e-{uuid.uuid4().hex}"
    subscription = {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": p256_public_key(), "auth": b64url(secrets.token_bytes(16))},
    }
    await page.context.grant_permissions(["notifications"], origin=app_server.base_url)
    await page.add_init_script(fake_push_script(subscription, p256_public_key()))

    await sign_in(page)
    await under_service_worker(page)
    # Nothing is asked or registered before the member taps the button.
    enable = page.get_by_role("button", name="Bật thông báo")
    await expect(enable).to_be_visible()
    assert await page.evaluate("window.__e2ePermissionRequests") == 0
    assert await my_devices(page) == []
    await shot(page, artifacts, "20-home-push-prompt")

    await enable.click()
    await expect(page.get_by_text(ENABLED)).to_be_visible()
    assert await page.evaluate("window.__e2ePermissionRequests") == 1
    assert await page.evaluate("window.__e2eSubscribeOptions") == {"userVisibleOnly": True, "keyBytes": 65}
    assert await my_devices(page) == [endpoint]

    # Every app open sends the subscription again (iOS drops them silently).
    async with page.expect_request(
        lambda request: request.url.endswith("/api/v1/push/subscriptions") and request.method == "POST"
    ) as resent:
        await page.reload()
    assert json.loads((await resent.value).post_data or "{}") == subscription

    title = "Họp chi bộ đột xuất tối nay"
    notification_id = await insert_notification(app_server.database_url, "demo.member", title, "/notices")
    payload = {
        "id": notification_id,
        "title": title,
        "body": "19 giờ tại nhà văn hoá",
        "url": "/notices",
        "tag": f"e2e-{notification_id}",
        "receipt": receipt_for(TEST_SECRET, notification_id),
    }
    cdp, registration_id = await service_worker_registration_id(page, app_server.base_url)
    await cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": app_server.base_url, "registrationId": registration_id, "data": json.dumps(payload)},
    )
    await page.wait_for_function(
        """title => navigator.serviceWorker.ready
            .then(registration => registration.getNotifications())
            .then(shown => shown.some(notification => notification.title === title))""",
        arg=title,
    )
    # The worker reported it shown with the push's receipt, and told the page: the inbox badge counts it.
    for _ in range(100):
        if await shown_at(app_server.database_url, notification_id) is not None:
            break
        await page.wait_for_timeout(100)
    assert await shown_at(app_server.database_url, notification_id) is not None
    await expect(page.get_by_role("link", name="Hộp thư, 1 tin chưa đọc")).to_be_visible()

    # A payload that does not parse still shows a notification (the generic one).
    await cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": app_server.base_url, "registrationId": registration_id, "data": "not json"},
    )
    await page.wait_for_function(
        """() => navigator.serviceWorker.ready
            .then(registration => registration.getNotifications())
            .then(shown => shown.some(notification => notification.title === 'Sổ tay Đảng viên'))"""
    )

    await page.get_by_role("link", name="Hộp thư, 1 tin chưa đọc").click()
    await expect(page.get_by_role("heading", level=1, name="Hộp thư")).to_be_visible()
    await expect(page.get_by_role("link", name=re.compile(title))).to_be_visible()
    await shot(page, artifacts, "21-inbox")


async def secretary_posts(page: Page, title: str, artifacts: Path) -> None:
    """As demo.secretary: an older pinned notice through the API, then a notice asking for acknowledgement
    through the screens, then the receipts screen it lands on."""
    await sign_in(page, "demo.secretary")
    csrf = next(cookie["value"] for cookie in await page.context.cookies() if cookie["name"] == "ehb_csrf")
    pinned = await page.request.post(
        "/api/v1/notices",
        data={"title": "Lịch trực cơ quan", "body": "Xem lịch trực.", "pinned": True},
        headers={"X-CSRF-Token": csrf, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert pinned.ok, await pinned.text()

    await page.get_by_role("link", name="Đăng và theo dõi thông báo").click()
    await expect(page.get_by_role("heading", level=1, name="Thông báo đã đăng")).to_be_visible()
    await shot(page, artifacts, "22-secretary-notices")
    await page.get_by_role("link", name="Đăng thông báo mới").click()
    await expect(page.get_by_role("heading", level=1, name="Đăng thông báo")).to_be_visible()
    # Title and text are required, in Vietnamese, before anything is sent.
    await page.get_by_role("button", name="Đăng thông báo", exact=True).click()
    await expect(page.get_by_text("Chưa nhập mục này.").first).to_be_visible()
    await page.get_by_label("Tiêu đề").fill(title)
    await page.get_by_label("Nội dung").fill("Đề nghị các đồng chí đọc kỹ và xác nhận.\n\nTrân trọng.")
    await page.get_by_label("Yêu cầu đảng viên xác nhận đã đọc").check()
    await shot(page, artifacts, "23-secretary-post")
    await page.get_by_role("button", name="Đăng thông báo", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Ai đã đọc")).to_be_visible()
    await expect(page.get_by_text(re.compile(r"^Đã đọc: 0/\d+"))).to_be_visible()
    await shot(page, artifacts, "24-secretary-receipts")


async def sign_out_from_profile(page: Page, artifacts: Path) -> None:
    await page.get_by_role("link", name="Tài khoản", exact=True).click()
    await expect(page.get_by_role("heading", level=1, name="Tài khoản")).to_be_visible()
    await expect(page.get_by_text("Thiết bị này", exact=False)).to_be_visible()
    await shot(page, artifacts, "25-profile")
    await page.get_by_role("button", name="Đăng xuất").click()
    await page.get_by_role("button", name="Đăng xuất").first.click()
    await expect(page).to_have_url(re.compile(r"/sign-in$"))


async def receipt_of(page: Page, notice_id: str) -> dict[str, Any]:
    """GetNotice as the member, once the read and the acknowledgement (sent by the outbox) are recorded."""
    answer: dict[str, Any] = {}
    for _ in range(50):
        answer = await (await page.request.get(f"/api/v1/notices/{notice_id}")).json()
        if answer["read_at"] and answer["acknowledged_at"]:
            break
        await page.wait_for_timeout(100)
    return answer


async def test_a_notice_posted_by_the_secretary_is_read_and_acknowledged_by_a_member(
    page: Page, artifacts: Path
) -> None:
    title = f"Thông báo thử {uuid.uuid4().hex[:6]}"
    await secretary_posts(page, title, artifacts)
    await sign_out_from_profile(page, artifacts)

    await sign_in(page)
    await under_service_worker(page)
    notices_tab = page.get_by_role("link", name=re.compile(r"^Thông báo"))
    await expect(notices_tab.filter(has_text="chưa đọc")).to_be_visible()
    await notices_tab.click()
    await expect(page.get_by_role("heading", level=1, name="Thông báo")).to_be_visible()
    card = page.locator("a.card").filter(has_text=title)
    await expect(card).to_contain_text("Chưa đọc")
    await expect(card).to_contain_text("Cần xác nhận")
    # Pinned first, then newest first.
    await expect(page.locator("a.card").first).to_contain_text("Lịch trực cơ quan")
    await expect(page.locator("a.card").first).to_contain_text("Ghim")
    await expect(page.locator("a.card").nth(1)).to_contain_text(title)
    await shot(page, artifacts, "26-notices-feed")

    await card.click()
    await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    await page.get_by_role("button", name="Tôi đã đọc và nắm được").click()
    await expect(page.get_by_text("Bạn đã xác nhận đọc thông báo này.")).to_be_visible()
    await shot(page, artifacts, "27-notice")
    answer = await receipt_of(page, page.url.rsplit("/", 1)[-1])
    assert answer["read_at"] is not None
    assert answer["acknowledged_at"] is not None

    # Back in the feed the notice is read and acknowledged, also when opened again with no signal.
    await page.get_by_role("link", name="Về danh sách thông báo").click()
    await expect(card).not_to_contain_text("Chưa đọc")
    await expect(card).to_contain_text("Đã xác nhận")
    await page.context.set_offline(True)
    await page.reload()
    await expect(
        page.get_by_text("Không có mạng: đang xem các thông báo đã lưu trên máy.", exact=False)
    ).to_be_visible()
    await card.click()
    await expect(page.get_by_text("Không có mạng: đây là bản đã lưu trên máy.")).to_be_visible()
    await page.context.set_offline(False)


async def test_new_screens_fit_320_px_at_double_text_size(page: Page, artifacts: Path) -> None:
    """The smallest phones with the text made twice as large: nothing wider than the screen."""
    await page.set_viewport_size({"width": 320, "height": 640})
    await sign_in(page, "demo.secretary")
    for path, heading in [
        ("/notices", "Thông báo"),
        ("/notifications", "Hộp thư"),
        ("/profile", "Tài khoản"),
        ("/secretary", "Thông báo đã đăng"),
        ("/secretary/new", "Đăng thông báo"),
    ]:
        await page.goto(path)
        await expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        await page.evaluate("document.documentElement.style.fontSize = '225%'")  # twice the app's 112.5%
        await page.wait_for_timeout(100)
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width}px wide at 320px with double text"
    await shot(page, artifacts, "28-secretary-post-320-double-text")
