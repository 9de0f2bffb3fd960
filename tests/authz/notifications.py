"""Matrix rows: Web Push devices, the notification inbox and preferences.

Everything here belongs to the caller alone: "in" is the caller's own device or notification, "out"
another account's (or member's), which every role, the province admin included, answers 404. Staff
accounts without a member record have an empty inbox, so their own-notification row is 404 too.
"""

from __future__ import annotations

from uuid import uuid4

import httpx

from api.notifications.receipts import receipt_for
from push.testclient import TestSubscriber
from tests.authz.world import LOGINS, Request, World, get
from tests.servers import TEST_SECRET

MATRIX: dict[str, dict[str, tuple[int | str, ...]]] = {
    "GetVapidPublicKey": {"in": (200, 200, 200, 200, 200, 200, 200)},
    "CreatePushSubscription": {"in": (401, 201, 201, 201, 201, 201, 201)},
    "ListPushSubscriptions": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "DeletePushSubscription": {"in": (401, 204, 204, 204, 204, 204, 204), "out": (401, 404, 404, 404, 404, 404, 404)},
    "ListNotifications": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "MarkNotificationRead": {"in": (401, 200, 200, 404, 404, 404, 404), "out": (401, 404, 404, 404, 404, 404, 404)},
    "MarkAllNotificationsRead": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "GetNotificationPreferences": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "UpdateNotificationPreferences": {"in": (401, 200, 200, 200, 200, 200, 200)},
    # Sessionless: the push's receipt is the proof, whoever sends it; "out" presents another row's receipt.
    "ReportNotificationEvent": {"in": (204, 204, 204, 204, 204, 204, 204), "out": (404, 404, 404, 404, 404, 404, 404)},
}


def _subscription_body() -> dict[str, object]:
    phone = TestSubscriber.generate(f"https://fcm.googleapis.com/fcm/send/{uuid4().hex}")
    return {
        "endpoint": phone.endpoint,
        "expirationTime": None,
        "keys": {"p256dh": phone.p256dh_b64, "auth": phone.auth_b64},
    }


async def _create(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post("/api/v1/push/subscriptions", headers=world.auth(role), json=_subscription_body())


async def _foreign_device(world: World) -> str:
    if "push_device_out" not in world.extras:
        owner = await world.sql(
            "insert into accounts (username, display_name) values ('matrix.push', 'x') returning id"
        )
        world.extras["push_device_out"] = str(
            await world.sql(
                "insert into push_subscriptions (account_id, endpoint, p256dh, auth) "
                "values ($1, 'https://fcm.googleapis.com/fcm/send/out', $2, $3) returning id",
                owner,
                b"\x04" + b"\x01" * 64,
                b"\x02" * 16,
            )
        )
    return str(world.extras["push_device_out"])


async def _delete(world: World, role: str, scope: str) -> httpx.Response:
    device = str(uuid4())
    if scope == "out":
        device = await _foreign_device(world)
    elif role in world.tokens:
        device = (await _create(world, role, scope)).json()["id"]
    return await world.client.delete(f"/api/v1/push/subscriptions/{device}", headers=world.auth(role))


async def _notification_of(world: World, member: object) -> int:
    notification: int = await world.sql(
        "insert into notifications (member_id, outbox_id, kind, category, title, body, url) "
        "values ($1, $2, 'notice.published', 'notice', 't', 'b', '/') returning id",
        member,
        -len(world.extras.setdefault("notifications", [0])),
    )
    world.extras["notifications"].append(notification)
    return notification


async def _mark_read(world: World, role: str, scope: str) -> httpx.Response:
    if scope == "out":
        target = await _notification_of(world, world.member_out)
    else:
        member = await world.sql("select member_id from accounts where username = $1", LOGINS.get(role, ""))
        # Without a member record there is nothing of one's own to mark: an id nobody reads.
        target = await _notification_of(world, member) if member is not None else 2**40
    return await world.client.post(f"/api/v1/notifications/{target}/read", headers=world.auth(role))


async def _mark_all(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post("/api/v1/notifications/read", headers=world.auth(role))


async def _update_preferences(world: World, role: str, scope: str) -> httpx.Response:
    body = {"muted_categories": ["study"], "quiet_hours": {"start": "22:00", "end": "06:00"}, "daily_digest": True}
    return await world.client.put("/api/v1/notifications/preferences", headers=world.auth(role), json=body)


async def _report_event(world: World, role: str, scope: str) -> httpx.Response:
    target = await _notification_of(world, world.member_in)
    receipt = receipt_for(TEST_SECRET, target if scope == "in" else target + 1)
    body = {"event": "clicked", "receipt": receipt}
    return await world.client.post(f"/api/v1/notifications/{target}/events", headers=world.auth(role), json=body)


REQUESTS: dict[str, Request] = {
    "GetVapidPublicKey": get(lambda w, s: "/api/v1/push/vapid-public-key"),
    "CreatePushSubscription": _create,
    "ListPushSubscriptions": get(lambda w, s: "/api/v1/push/subscriptions"),
    "DeletePushSubscription": _delete,
    "ListNotifications": get(lambda w, s: "/api/v1/notifications"),
    "MarkNotificationRead": _mark_read,
    "MarkAllNotificationsRead": _mark_all,
    "GetNotificationPreferences": get(lambda w, s: "/api/v1/notifications/preferences"),
    "UpdateNotificationPreferences": _update_preferences,
    "ReportNotificationEvent": _report_event,
}
