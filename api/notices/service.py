"""Notices: posting to every member under a unit (scheduled, pinned, expiring), editing, withdrawing and
the member's feed. Publication and its notification are written in one transaction."""

from __future__ import annotations

import base64
import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import msgspec

from api.audit.service import record
from api.auth.principal import Principal, Role
from api.auth.throttle import Throttle
from api.context import RequestContext
from api.db import Connection
from api.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound, TooManyRequests
from api.handbook.rendering import render_markdown
from api.notices import paging
from api.notices.feed import FeedWrites
from api.notices.schemas import (
    ManagedNotice,
    ManagedNoticePage,
    Notice,
    NoticeAttachment,
    NoticeCreate,
    NoticeState,
    NoticeUpdate,
    NoticeWithdraw,
)
from api.outbox import Audience, NotificationIntent, cancel_pending, enqueue_notification
from api.sql import queries_beside

Q = queries_beside(__file__)
POSTERS = frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.OFFICER, Role.ADMIN})
"""Secretaries and deputies post to their branch; committee officers and admins to their unit's subtree."""
POST_LIMIT, POST_WINDOW_SECONDS = 30, 3600
"""Notices one person may post per hour: enough for a busy day, too few to flood a province."""
SUMMARY_CHARS = 280
SCHEDULE_LIMIT = timedelta(days=366)
_STALE = "Thông báo đã được người khác sửa. Hãy tải lại bản mới nhất rồi sửa tiếp."
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def summarize(body_html: str) -> str:
    """Plain text of a rendered body for the feed; the input is our sanitizer's output, so tags are simple."""
    text = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", body_html))).strip()
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def source_of(notice_id: UUID) -> str:
    """What the notice's outbox rows are filed under, so a withdrawal can cancel what has not gone."""
    return f"notice:{notice_id}"


def topic_of(notice_id: UUID) -> str:
    """A Web Push topic (at most 32 URL-safe characters): a newer push of the notice replaces an older one."""
    return "n" + base64.urlsafe_b64encode(notice_id.bytes).decode("ascii").rstrip("=")


def state_of(row: Any) -> NoticeState:
    if row["withdrawn_at"] is not None:
        return "withdrawn"
    if not row["published"]:
        return "scheduled"
    return "expired" if row["expired"] else "published"


class NoticeService:
    def __init__(
        self,
        conn: Connection,
        ctx: RequestContext,
        *,
        posts: Throttle | None = None,
        writes: FeedWrites | None = None,
    ) -> None:
        self.conn = conn
        self.ctx = ctx
        self.posts = posts
        self.writes = writes
        """Tells the worker's feed copies what this request wrote (None: no copies to tell, e.g. a script)."""

    @property
    def principal(self) -> Principal:
        return self.ctx.caller

    # Posting -------------------------------------------------------------------------------------

    async def create(self, data: NoticeCreate) -> Notice:
        """Post a notice (now or at ``publish_at``) and queue its push in the same transaction."""
        if data.id is not None and (existing := await self.row(data.id)) is not None:
            return await self._replayed(existing)
        unit = await self._audience(data.unit_id)
        _check_times(data.publish_at, data.expires_at, scheduled=True)
        await self._check_attachments(data.attachments, unit["path"])
        await self._count_post()
        notice_id = data.id or uuid4()
        body_html = render_markdown(data.body)
        inserted = await self.conn.fetchval(
            Q["insert_notice"],
            notice_id,
            unit["id"],
            self.principal.account_id,
            self.principal.display_name,
            data.title,
            data.body,
            body_html,
            summarize(body_html),
            data.category,
            data.pinned,
            data.requires_acknowledgement,
            data.publish_at,
            data.expires_at,
        )
        if inserted is None:  # the same client id, sent twice at once: the other request made it
            return await self._replayed(await self.visible(notice_id))
        self.wrote_unit(unit["id"])
        await self.conn.execute(Q["insert_attachments"], notice_id, data.attachments)
        row = await self.visible(notice_id)
        await self._notify(row)
        await record(self.conn, self.ctx, "notice_created", target=source_of(notice_id), unit_id=unit["id"])
        return await self.present(row)

    async def update(self, notice_id: UUID, data: NoticeUpdate) -> Notice:
        """Edit a notice at the revision the author started from (stale: 409); a scheduled one's push follows."""
        current = await self._manageable(notice_id)
        changes = {
            name: value
            for name in data.__struct_fields__
            if name != "revision" and (value := getattr(data, name)) is not msgspec.UNSET
        }
        if "publish_at" in changes and current["published"]:
            raise Conflict("Thông báo đã đăng; không thể đổi giờ đăng.")
        merged = {**_fields(current), **changes}
        _check_times(merged["publish_at"], merged["expires_at"], scheduled="publish_at" in changes)
        if "attachments" in changes:
            await self._check_attachments(merged["attachments"], current["unit_path"])
        body_html = render_markdown(merged["body"]) if "body" in changes else current["body_html"]
        updated = await self.conn.fetchrow(
            Q["update_notice"],
            notice_id,
            data.revision,
            merged["title"],
            merged["body"],
            body_html,
            summarize(body_html),
            merged["category"],
            merged["pinned"],
            merged["requires_acknowledgement"],
            merged["publish_at"],
            merged["expires_at"],
        )
        if updated is None:
            raise Conflict(_STALE)
        self.wrote_unit(current["unit_id"])
        if "attachments" in changes:
            await self.conn.execute(Q["clear_attachments"], notice_id)
            await self.conn.execute(Q["insert_attachments"], notice_id, merged["attachments"])
        row = await self.visible(notice_id)
        if not current["published"]:
            # The queued push still carries the old text and time: queue it anew.
            await cancel_pending(self.conn, source_of(notice_id))
            await self._notify(row)
        await record(
            self.conn,
            self.ctx,
            "notice_updated",
            target=source_of(notice_id),
            unit_id=row["unit_id"],
            details={"fields": sorted(changes), "revision": updated["revision"]},
        )
        return await self.present(row)

    async def withdraw(self, notice_id: UUID, data: NoticeWithdraw) -> Notice:
        """Take a notice off every feed; what it queued and has not yet been sent is cancelled."""
        current = await self._manageable(notice_id)
        revision = await self.conn.fetchval(Q["withdraw_notice"], notice_id, data.revision, self.principal.account_id)
        if revision is None:
            raise Conflict(_STALE)
        self.wrote_unit(current["unit_id"])
        cancelled = await cancel_pending(self.conn, source_of(notice_id))
        await record(
            self.conn,
            self.ctx,
            "notice_withdrawn",
            target=source_of(notice_id),
            unit_id=current["unit_id"],
            details={"reason": data.reason, "was_scheduled": not current["published"], "cancelled": cancelled},
        )
        return await self.present(await self.visible(notice_id))

    # Reading -------------------------------------------------------------------------------------

    async def get(self, notice_id: UUID) -> Notice:
        """One notice; reading it marks nothing (MarkNoticeRead does)."""
        return await self.present(await self.visible(notice_id))

    async def managed(self, after: str | None, limit: int) -> ManagedNoticePage:
        """Every notice addressed inside the caller's posting scope, scheduled and withdrawn too."""
        position = paging.decode(after)
        roots = self.principal.units_for(POSTERS)
        rows = await self.conn.fetch(Q["managed_notices"], roots, position.published, position.id, limit + 1)
        items = [_managed(row) for row in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            next_cursor = paging.encode(paging.Position(pinned=False, published=items[-1].publish_at, id=items[-1].id))
        return ManagedNoticePage(items=items, next_cursor=next_cursor)

    # Scope ---------------------------------------------------------------------------------------

    def wrote_unit(self, unit_id: int) -> None:
        if self.writes is not None:
            self.writes.unit(unit_id)

    def wrote_receipts(self, member_id: UUID | None) -> None:
        if self.writes is not None and member_id is not None:
            self.writes.receipts(member_id)

    async def row(self, notice_id: UUID) -> Any:
        return await self.conn.fetchrow(Q["get_notice"], notice_id, self.principal.member_id, self.principal.branch_id)

    def can_manage(self, row: Any) -> bool:
        return self.principal.covers(POSTERS, row["unit_path"])

    async def visible(self, notice_id: UUID) -> Any:
        """The notice if the caller may see it: managers in its scope always, its readers once it is live."""
        row = await self.row(notice_id)
        if row is None or not (self.can_manage(row) or _readable(row, self.principal)):
            raise NotFound(f"Không có thông báo {notice_id}.")
        return row

    async def _manageable(self, notice_id: UUID) -> Any:
        row = await self.visible(notice_id)
        if not self.can_manage(row):
            raise Forbidden("Bạn không quản lý thông báo này.")
        if row["withdrawn_at"] is not None:
            raise Conflict("Thông báo đã được thu hồi.")
        return row

    async def _audience(self, unit_id: int | None) -> Any:
        """The unit named, if the caller may post there; by default the lowest unit they post for."""
        if unit_id is None:
            rows = await self.conn.fetch(Q["unit_paths"], self.principal.units_for(POSTERS))
            if not rows:
                raise Forbidden("Bạn không có quyền đăng thông báo.")
            unit_id = min(rows, key=lambda row: (-len(row["path"]), row["id"]))["id"]
        unit = await self.conn.fetchrow(Q["get_unit"], unit_id)
        if unit is None or not self.principal.covers(POSTERS, unit["path"]):
            raise NotFound(f"No org unit {unit_id}.")
        return unit

    async def _replayed(self, row: Any) -> Notice:
        """A client id seen before: its author gets the notice back unchanged; anyone else a conflict."""
        if row["author_id"] != self.principal.account_id:
            raise Conflict("Mã thông báo này đã được dùng.")
        return await self.present(row)

    async def _count_post(self) -> None:
        if self.posts is None:
            return
        verdict = await self.posts.attempt(str(self.principal.account_id))
        if not verdict.allowed:
            raise TooManyRequests(
                f"Mỗi giờ chỉ được đăng {self.posts.limit} thông báo; hãy thử lại sau.",
                retry_after=verdict.retry_after_seconds,
            )

    async def _check_attachments(self, attachments: list[UUID], unit_path: list[int]) -> None:
        usable = {row["id"] for row in await self.conn.fetch(Q["usable_attachments"], attachments, unit_path)}
        errors = []
        for index, attachment_id in enumerate(attachments):
            if attachment_id in attachments[:index]:
                errors.append(FieldError(field=f"attachments[{index}]", message="listed twice"))
            elif attachment_id not in usable:
                message = "not an attachment of a published document for this audience"
                errors.append(FieldError(field=f"attachments[{index}]", message=message))
        if errors:
            raise InvalidInput("Tệp đính kèm không hợp lệ.", errors=errors)

    async def _notify(self, row: Any) -> None:
        """Queue the push for the notice's whole audience, not before its publication time."""
        intent = NotificationIntent(
            kind="notice.published",
            category="notice",
            title=row["title"],
            body=row["summary"],
            url=f"/notices/{row['id']}",
            audience=Audience(units=(row["unit_id"],)),
            topic=topic_of(row["id"]),
            urgency="high" if row["category"] == "urgent" else "normal",
            ttl_seconds=86_400,
        )
        await enqueue_notification(self.conn, intent, source=source_of(row["id"]), available_at=row["publish_at"])

    async def present(self, row: Any) -> Notice:
        attachments = await self.conn.fetch(Q["notice_attachments"], row["id"])
        manage = self.can_manage(row)
        return Notice(
            id=row["id"],
            unit_id=row["unit_id"],
            unit_name=row["unit_name"],
            author_name=row["author_name"],
            title=row["title"],
            body_html=row["body_html"],
            body=row["body_md"] if manage else None,
            summary=row["summary"],
            category=row["category"],
            pinned=row["pinned"],
            requires_acknowledgement=row["requires_ack"],
            publish_at=row["publish_at"],
            expires_at=row["expires_at"],
            withdrawn_at=row["withdrawn_at"],
            state=state_of(row),
            revision=row["revision"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            attachments=[msgspec.convert(dict(a), NoticeAttachment) for a in attachments],
            can_manage=manage,
            read_at=row["read_at"],
            acknowledged_at=row["acknowledged_at"],
        )


def _managed(row: Any) -> ManagedNotice:
    return ManagedNotice(
        id=row["id"],
        unit_id=row["unit_id"],
        unit_name=row["unit_name"],
        author_name=row["author_name"],
        title=row["title"],
        category=row["category"],
        pinned=row["pinned"],
        requires_acknowledgement=row["requires_ack"],
        publish_at=row["publish_at"],
        expires_at=row["expires_at"],
        state=state_of(row),
        revision=row["revision"],
    )


def _readable(row: Any, principal: Principal) -> bool:
    """Addressed at or above the caller's branch (or a unit of theirs), published and not withdrawn."""
    return row["unit_id"] in principal.reach and row["published"] and row["withdrawn_at"] is None


def _fields(row: Any) -> dict[str, Any]:
    """A stored notice in the names of NoticeUpdate."""
    return {
        "title": row["title"],
        "body": row["body_md"],
        "category": row["category"],
        "pinned": row["pinned"],
        "requires_acknowledgement": row["requires_ack"],
        "publish_at": row["publish_at"],
        "expires_at": row["expires_at"],
    }


def _check_times(publish_at: datetime | None, expires_at: datetime | None, *, scheduled: bool) -> None:
    """A schedule at most a year ahead; an expiry after publication (and not already past)."""
    now = datetime.now(UTC)
    publication = max(publish_at or now, now)
    errors = []
    if scheduled and publication > now + SCHEDULE_LIMIT:
        errors.append(FieldError(field="publish_at", message="at most a year ahead"))
    if expires_at is not None and expires_at <= publication + timedelta(minutes=1):
        errors.append(FieldError(field="expires_at", message="must be later than the publication"))
    if errors:
        raise InvalidInput("Thời gian đăng hoặc hết hạn không hợp lệ.", errors=errors)
