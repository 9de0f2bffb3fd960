"""Web Push devices, the notification inbox and notification preferences of the signed-in caller."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, cast

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from api.auth.guards import ACCESS, current_principal, signed_in
from api.auth.middleware import SESSIONLESS
from api.context import app_settings, request_context
from api.db import Pool
from api.deps import AppSettings, Conn, IdPath, UuidPath
from api.http_cache import Answer, etagged, shaped
from api.notifications.inbox_heads import InboxHeads, InboxWrites
from api.notifications.schemas import (
    MarkedRead,
    Notification,
    NotificationEvent,
    NotificationPage,
    NotificationPreferences,
    NotificationPreferencesUpdate,
    PushSubscription,
    PushSubscriptionCreate,
    VapidPublicKey,
)
from api.notifications.service import NotificationService, record_event
from api.pending_writes import request_writes, settle_request_writes
from api.settings import Settings
from api.transaction import NO_TRANSACTION
from push.vapid import load_private_key, public_key_b64

Cursor = Annotated[str | None, QueryParameter(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
PageSize = Annotated[int, QueryParameter(ge=1, le=100)]


INBOX_HEADS = "inbox_heads"
"""Where the app keeps its InboxHeads (made beside the other caches in api/app.py, with the listener)."""


def inbox_heads(state: State) -> InboxHeads:
    """The app's copies of members' inbox heads; an app built without a listener gets copies that are never
    trusted, so every inbox request reads PostgreSQL."""
    heads = state.get(INBOX_HEADS)
    if heads is None:
        heads = state[INBOX_HEADS] = InboxHeads()
    return cast("InboxHeads", heads)


async def provide_notifications(conn: Conn, request: Request[Any, Any, Any]) -> NotificationService:
    writes = None
    if request.method not in {"GET", "HEAD"}:
        writes = InboxWrites(request_writes(request), inbox_heads(request.app.state))
    return NotificationService(conn, request_context(request), app_settings(request), inbox_writes=writes)


Notifications = NamedDependency[NotificationService]


@lru_cache(maxsize=4)
def _public_key_of(private_key: str) -> str:
    return public_key_b64(load_private_key(private_key))


def _public_key(settings: Settings) -> VapidPublicKey:
    if not settings.push_enabled or settings.vapid_private_key is None:
        return VapidPublicKey(enabled=False, public_key=None)
    return VapidPublicKey(enabled=True, public_key=_public_key_of(settings.vapid_private_key.reveal()))


class PushController(Controller):
    path = "/api/v1/push"
    tags = ["push"]
    dependencies = {"notifications": Provide(provide_notifications)}

    @get("/vapid-public-key", operation_id="GetVapidPublicKey")
    async def vapid_public_key(self, settings: AppSettings) -> VapidPublicKey:
        """The applicationServerKey for ``pushManager.subscribe()``; public, as every push service sees it anyway."""
        return _public_key(settings)

    @post(
        "/subscriptions",
        operation_id="CreatePushSubscription",
        opt={ACCESS: signed_in},
        status_code=HTTP_201_CREATED,
        responses={
            200: ResponseSpec(
                data_container=PushSubscription, generate_examples=False, description="An existing device, refreshed"
            )
        },
    )
    async def subscribe(
        self, data: JSONBody[PushSubscriptionCreate], notifications: Notifications
    ) -> Response[PushSubscription]:
        """Register this device (``PushSubscription.toJSON()`` as is); sent again on every app open, it refreshes."""
        device, created = await notifications.subscribe(data)
        return Response(device, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get("/subscriptions", operation_id="ListPushSubscriptions", opt={ACCESS: signed_in})
    async def devices(self, notifications: Notifications) -> list[PushSubscription]:
        """My devices, the most recently seen first."""
        return await notifications.devices()

    @delete(
        "/subscriptions/{subscription_id:uuid}",
        operation_id="DeletePushSubscription",
        opt={ACCESS: signed_in},
        status_code=HTTP_204_NO_CONTENT,
    )
    async def unsubscribe(self, subscription_id: UuidPath, notifications: Notifications) -> None:
        """Stop pushing to one of my devices."""
        await notifications.unsubscribe(subscription_id)


class NotificationsController(Controller):
    path = "/api/v1/notifications"
    tags = ["notifications"]
    opt = {ACCESS: signed_in}
    after_response = staticmethod(settle_request_writes)  # the read marks: see InboxWrites
    dependencies = {"notifications": Provide(provide_notifications)}

    @get(
        "",
        operation_id="ListNotifications",
        responses=shaped(NotificationPage),
        opt={NO_TRANSACTION: True},  # the home screen's badge; reads only
    )
    async def inbox(self, request: Request[Any, Any, Any], after: Cursor = None, limit: PageSize = 30) -> Answer:
        """My inbox, newest first, with the unread count; ``?after=`` pages to older ones."""
        # As ListNotices: no dependency, so the badge borrows no connection when the worker's copy of the
        # member's inbox head is warm (api/notifications/inbox_heads.py).
        pool: Pool = request.app.state.db_pool
        member_id = current_principal(request).member_id
        page = None
        if after is None and member_id is not None:
            page = await inbox_heads(request.app.state).first_page(pool.acquire, member_id, limit)
        if page is None:
            async with pool.acquire() as conn:
                page = await NotificationService(conn, request_context(request), app_settings(request)).inbox(
                    after, limit
                )
        return etagged(request, page)

    @post("/{notification_id:int}/read", operation_id="MarkNotificationRead", status_code=HTTP_200_OK)
    async def mark_read(self, notification_id: IdPath, notifications: Notifications) -> Notification:
        """Mark one notification read (again is harmless)."""
        return await notifications.mark_read(notification_id)

    @post("/read", operation_id="MarkAllNotificationsRead", status_code=HTTP_200_OK)
    async def mark_all_read(self, notifications: Notifications) -> MarkedRead:
        """Mark every notification read."""
        return await notifications.mark_all_read()

    @get("/preferences", operation_id="GetNotificationPreferences")
    async def preferences(self, notifications: Notifications) -> NotificationPreferences:
        """Muted categories, quiet hours (local time) and the daily digest flag; defaults when never set."""
        return await notifications.preferences()

    @put("/preferences", operation_id="UpdateNotificationPreferences")
    async def update_preferences(
        self, data: JSONBody[NotificationPreferencesUpdate], notifications: Notifications
    ) -> NotificationPreferences:
        """Replace my preferences."""
        return await notifications.update_preferences(data)


class NotificationEventsController(Controller):
    path = "/api/v1/notifications"
    tags = ["notifications"]

    @post(
        "/{notification_id:int}/events",
        operation_id="ReportNotificationEvent",
        status_code=HTTP_204_NO_CONTENT,
        opt={SESSIONLESS: True},  # the service worker has no CSRF token; the push's receipt is the proof
    )
    async def report_event(
        self, notification_id: IdPath, data: JSONBody[NotificationEvent], conn: Conn, settings: AppSettings
    ) -> None:
        """The service worker reports that a push was shown or tapped, proven by the receipt it carried."""
        await record_event(conn, settings.secret_key.reveal(), notification_id, data)
