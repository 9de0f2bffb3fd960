"""Read receipts: members open and acknowledge notices; secretaries see names within their branch,
committees counts per branch; reminders reach only those who have not read, at most once a day."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from api.audit.service import record
from api.auth.principal import BRANCH_LEADERS, REGISTER_READERS
from api.errors import Conflict, Forbidden, NotFound, TooManyRequests
from api.notices.schemas import BranchReceipts, MemberReceipt, NoticeReceipts, Receipt, Reminder
from api.notices.service import NoticeService, source_of, topic_of
from api.outbox import Audience, NotificationIntent, enqueue_notification
from api.sql import queries_beside

Q = queries_beside(__file__)


async def mark_read(notices: NoticeService, notice_id: UUID) -> Receipt:
    """The caller opened the notice; idempotent, so an offline replay or a second device counts once."""
    row = await _addressed(notices, notice_id)
    member_id = notices.principal.member_id
    notices.wrote_receipts(member_id)
    stored = await notices.conn.fetchrow(Q["mark_read"], notice_id, member_id, notices.principal.branch_id)
    if stored is None:
        stored = await notices.conn.fetchrow(Q["get_receipt"], notice_id, member_id)
    assert stored is not None  # noqa: S101 - written in this transaction or before it
    return Receipt(notice_id=row["id"], read_at=stored["read_at"], acknowledged_at=stored["acknowledged_at"])


async def acknowledge(notices: NoticeService, notice_id: UUID) -> Receipt:
    """The caller confirms the notice (which also counts as reading it); idempotent."""
    row = await _addressed(notices, notice_id)
    if not row["requires_ack"]:
        raise Conflict("Thông báo này không yêu cầu xác nhận.")
    member_id = notices.principal.member_id
    notices.wrote_receipts(member_id)
    stored = await notices.conn.fetchrow(Q["acknowledge"], notice_id, member_id, notices.principal.branch_id)
    if stored is None:
        stored = await notices.conn.fetchrow(Q["get_receipt"], notice_id, member_id)
    assert stored is not None  # noqa: S101 - written in this transaction or before it
    return Receipt(notice_id=row["id"], read_at=stored["read_at"], acknowledged_at=stored["acknowledged_at"])


async def report(notices: NoticeService, notice_id: UUID) -> NoticeReceipts:
    """Counts and percentages per branch within the caller's scope; names only in the branches they lead."""
    row = await notices.visible(notice_id)
    roots = await follow_up_roots(notices, row)
    conn = notices.conn
    rows = await conn.fetch(Q["receipt_counts"], notice_id, list(roots))
    branches = [_branch(r["unit_id"], r["code"], r["name"], r["members"], r["read"], r["acknowledged"]) for r in rows]
    total = _branch(
        None,
        "",
        "",
        sum(b.members for b in branches),
        sum(b.read for b in branches),
        sum(b.acknowledged for b in branches),
    )
    led = notices.principal.units_for(BRANCH_LEADERS)
    names = await conn.fetch(Q["receipt_names"], notice_id, list(roots), led) if led else []
    return NoticeReceipts(
        notice_id=notice_id,
        requires_acknowledgement=row["requires_ack"],
        total=total,
        branches=branches,
        members=[msgspec.convert(dict(name), MemberReceipt) for name in names],
        last_reminded_at=await conn.fetchval(Q["last_reminded"], notice_id),
    )


async def remind(notices: NoticeService, notice_id: UUID) -> Reminder:
    """Remind the members in the caller's scope who have not read (or not acknowledged) a live notice.

    A member hears at most one reminder of a notice a day: a reminder that would reach someone already
    reminded in the last 24 hours is refused with 429 and the time to wait.
    """
    row = await notices.visible(notice_id)
    if row["withdrawn_at"] is not None or not row["published"] or row["expired"]:
        raise Conflict("Chỉ nhắc được thông báo đang hiệu lực.")
    roots = await follow_up_roots(notices, row)
    conn = notices.conn
    await conn.execute(Q["lock_notice"], notice_id)
    above = sorted({unit for path in roots.values() for unit in path})
    wait = await conn.fetchval(Q["overlapping_reminder"], notice_id, list(roots), above)
    if wait is not None:
        raise TooManyRequests(
            "Thông báo này vừa được nhắc trong 24 giờ qua; mỗi ngày chỉ nhắc một lần.", retry_after=wait
        )
    members = [r["id"] for r in await conn.fetch(Q["unreached_members"], notice_id, list(roots), row["requires_ack"])]
    if not members:
        raise Conflict("Mọi người đã đọc thông báo này; không cần nhắc.")
    what = "xác nhận" if row["requires_ack"] else "đọc"
    intent = NotificationIntent(
        kind="notice.reminder",
        category="notice",
        title=f"Nhắc: {row['title']}",
        body=f"Bạn chưa {what} thông báo này.",
        url=f"/notices/{notice_id}",
        audience=Audience(members=tuple(members)),
        topic=topic_of(notice_id),
        ttl_seconds=86_400,
    )
    await enqueue_notification(conn, intent, source=source_of(notice_id))
    sent_at = await conn.fetchval(
        Q["insert_reminders"], notice_id, list(roots), notices.principal.account_id, len(members)
    )
    await record(
        conn,
        notices.ctx,
        "notice_reminded",
        target=source_of(notice_id),
        unit_id=row["unit_id"],
        details={"recipients": len(members), "units": sorted(roots)},
    )
    return Reminder(notice_id=notice_id, recipients=len(members), sent_at=sent_at)


async def _addressed(notices: NoticeService, notice_id: UUID) -> Any:
    """A live notice whose audience holds the caller's own branch."""
    row = await notices.visible(notice_id)
    if row["withdrawn_at"] is not None or not row["published"]:
        raise Conflict("Thông báo chưa đăng hoặc đã thu hồi.")
    if notices.principal.member_id is None or not row["in_audience"]:
        raise Forbidden("Thông báo này không gửi tới bạn.")
    return row


async def follow_up_roots(notices: NoticeService, row: Any) -> dict[int, list[int]]:
    """The part of the notice's audience the caller follows up, as subtree roots with their paths: the
    audience itself under a reader role at or above it, or each reader unit of theirs inside it."""
    principal = notices.principal
    paths = await notices.conn.fetch(Q["unit_paths"], principal.units_for(REGISTER_READERS))
    audience_path = list(row["unit_path"])
    roots: dict[int, list[int]] = {}
    for unit in paths:
        if unit["id"] in audience_path:
            roots[row["unit_id"]] = audience_path
        elif row["unit_id"] in unit["path"]:
            roots[unit["id"]] = list(unit["path"])
    # A root inside another root adds nobody.
    roots = {unit: path for unit, path in roots.items() if not any(other in path[:-1] for other in roots)}
    if not roots:
        raise NotFound(f"Không có thông báo {row['id']}.")
    return roots


def _branch(unit_id: int | None, code: str, name: str, members: int, read: int, acknowledged: int) -> BranchReceipts:
    return BranchReceipts(
        unit_id=unit_id,
        code=code,
        name=name,
        members=members,
        read=read,
        acknowledged=acknowledged,
        read_percent=_percent(read, members),
        acknowledged_percent=_percent(acknowledged, members),
    )


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0
