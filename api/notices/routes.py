"""Notices: secretaries and committees post, members read and acknowledge, posters follow up."""

from __future__ import annotations

from typing import Annotated, Any, cast

from litestar import Controller, Request, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from api.auth.guards import ACCESS, current_principal, requires, signed_in
from api.auth.principal import REGISTER_READERS
from api.auth.throttle import Throttle
from api.context import request_context
from api.db import Pool
from api.deps import Conn, UuidPath
from api.http_cache import Answer, etagged, etagged_bytes, shaped
from api.notices import delivery, receipts
from api.notices.feed import FeedCache, FeedWrites
from api.notices.schemas import (
    ManagedNoticePage,
    Notice,
    NoticeCreate,
    NoticeDelivery,
    NoticePage,
    NoticeReceipts,
    NoticeUpdate,
    NoticeWithdraw,
    Receipt,
    Reminder,
)
from api.notices.service import POST_LIMIT, POST_WINDOW_SECONDS, POSTERS, NoticeService
from api.pending_writes import request_writes, settle_request_writes
from api.transaction import NO_TRANSACTION

Cursor = Annotated[str | None, QueryParameter(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
PageSize = Annotated[int, QueryParameter(ge=1, le=100)]
FEED_CACHE = "notice_feeds"
"""Where the app keeps its FeedCache (made beside the other caches in api/app.py, with the listener)."""


async def provide_notices(conn: Conn, request: Request[Any, Any, Any], state: State) -> NoticeService:
    posts = Throttle(state.redis, namespace="notice-post", limit=POST_LIMIT, window_seconds=POST_WINDOW_SECONDS)
    writes = FeedWrites(request_writes(request), feed_cache(state))
    return NoticeService(conn, request_context(request), posts=posts, writes=writes)


def feed_cache(state: State) -> FeedCache:
    """The app's feed cache; an app built without one gets one on first use, with no listener (so every
    request checks its copies against the database, decision 32)."""
    feeds = state.get(FEED_CACHE)
    if feeds is None:
        feeds = state[FEED_CACHE] = FeedCache()
    return cast("FeedCache", feeds)


Notices = NamedDependency[NoticeService]


class NoticesController(Controller):
    path = "/api/v1/notices"
    tags = ["notices"]
    opt = {ACCESS: signed_in}
    dependencies = {"notices": Provide(provide_notices)}

    @post("", operation_id="CreateNotice", opt={ACCESS: requires(POSTERS)}, after_response=settle_request_writes)
    async def create(self, data: JSONBody[NoticeCreate], notices: Notices) -> Notice:
        """Post a notice to a unit in your scope (default: the unit you lead); ``publish_at`` schedules it."""
        return await notices.create(data)

    @get(
        "",
        operation_id="ListNotices",
        responses=shaped(NoticePage),
        opt={NO_TRANSACTION: True},  # the home screen's hottest read; no writes
    )
    async def list_notices(self, request: Request[Any, Any, Any], after: Cursor = None, limit: PageSize = 20) -> Answer:
        """Your feed: live notices of your branch and every unit above it, pinned first, newest first."""
        # No dependency, not even a connection: with the worker's copies warm nothing is asked of PostgreSQL
        # (api/notices/feed.py), and a connection is borrowed from the pool only when something must be read.
        # The caller straight from the session, not the whole request context (client address parsed, headers
        # read), which cost more than the rest of a warm feed request's own work.
        caller = current_principal(request)
        pool: Pool = request.app.state.db_pool
        feeds = feed_cache(request.app.state)
        body, etag = await feeds.encoded_page(pool.acquire, caller.reach, caller.member_id, after, limit)
        return etagged_bytes(request, body, etag)

    @get("/managed", operation_id="ListManagedNotices", opt={ACCESS: requires(POSTERS)})
    async def list_managed(self, notices: Notices, after: Cursor = None, limit: PageSize = 20) -> ManagedNoticePage:
        """Notices addressed inside your posting scope, scheduled and withdrawn ones too, newest first."""
        return await notices.managed(after, limit)

    @get("/{notice_id:uuid}", operation_id="GetNotice", responses=shaped(Notice))
    async def get_notice(self, request: Request[Any, Any, Any], notice_id: UuidPath, notices: Notices) -> Answer:
        """One notice with its rendered body and your read state (reading it here marks nothing)."""
        return etagged(request, await notices.get(notice_id))

    @put(
        "/{notice_id:uuid}",
        operation_id="UpdateNotice",
        opt={ACCESS: requires(POSTERS)},
        after_response=settle_request_writes,
    )
    async def update(self, notice_id: UuidPath, data: JSONBody[NoticeUpdate], notices: Notices) -> Notice:
        """Edit a notice (audited); a stale ``revision`` answers 409."""
        return await notices.update(notice_id, data)

    @post(
        "/{notice_id:uuid}/withdraw",
        operation_id="WithdrawNotice",
        opt={ACCESS: requires(POSTERS)},
        status_code=HTTP_200_OK,
        after_response=settle_request_writes,
    )
    async def withdraw(self, notice_id: UuidPath, data: JSONBody[NoticeWithdraw], notices: Notices) -> Notice:
        """Withdraw a notice (audited); a push not yet sent is cancelled."""
        return await notices.withdraw(notice_id, data)

    @post(
        "/{notice_id:uuid}/read",
        operation_id="MarkNoticeRead",
        status_code=HTTP_200_OK,
        after_response=settle_request_writes,
    )
    async def mark_read(self, notice_id: UuidPath, notices: Notices) -> Receipt:
        """Record that you opened the notice; doing it again changes nothing."""
        return await receipts.mark_read(notices, notice_id)

    @post(
        "/{notice_id:uuid}/acknowledge",
        operation_id="AcknowledgeNotice",
        status_code=HTTP_200_OK,
        after_response=settle_request_writes,
    )
    async def acknowledge(self, notice_id: UuidPath, notices: Notices) -> Receipt:
        """Confirm a notice that asks for it (xác nhận đã đọc); doing it again changes nothing."""
        return await receipts.acknowledge(notices, notice_id)

    @get("/{notice_id:uuid}/receipts", operation_id="GetNoticeReceipts", opt={ACCESS: requires(REGISTER_READERS)})
    async def get_receipts(self, notice_id: UuidPath, notices: Notices) -> NoticeReceipts:
        """Who has read and acknowledged: counts per branch in your scope, names within the branch you lead."""
        return await receipts.report(notices, notice_id)

    @get("/{notice_id:uuid}/delivery", operation_id="GetNoticeDelivery", opt={ACCESS: requires(REGISTER_READERS)})
    async def get_delivery(self, notice_id: UuidPath, notices: Notices) -> NoticeDelivery:
        """The push funnel per branch in your scope: reached, taken by the phone, shown, tapped (counts only)."""
        return await delivery.funnel(notices, notice_id)

    @post(
        "/{notice_id:uuid}/remind",
        operation_id="RemindNotice",
        opt={ACCESS: requires(REGISTER_READERS)},
        status_code=HTTP_200_OK,
    )
    async def remind(self, notice_id: UuidPath, notices: Notices) -> Reminder:
        """Remind those in your scope who have not read (or acknowledged) it; at most once a day (else 429)."""
        return await receipts.remind(notices, notice_id)
