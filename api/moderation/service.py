"""Moderation: reports from anyone who can see an item; moderators over its unit hide, restore, lock and
restrict; an author appeals once and another moderator decides. Every moderator's act is audited."""

from __future__ import annotations

from typing import Any, LiteralString
from uuid import UUID

import msgspec

from api.audit.service import record
from api.auth.principal import Principal
from api.context import RequestContext
from api.db import Connection
from api.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from api.feedback.access import MODERATORS, moderates, sees_faq, sees_thread
from api.feedback.limits import PostingLimits
from api.feedback.present import appeal_status
from api.moderation import alerts
from api.moderation.schemas import (
    AppealDecision,
    AppealRequest,
    ItemKind,
    ModerationCase,
    ModerationOutcome,
    ModerationRequest,
    PendingAppeal,
    QueueItem,
    ReasonCount,
    ReportReceipt,
    ReportRequest,
)
from api.sql import queries_beside

Q = queries_beside(__file__)
HIDE: dict[str, LiteralString] = {"thread": Q["hide_thread"], "reply": Q["hide_reply"], "faq": Q["hide_faq"]}


class ModerationService:
    def __init__(self, conn: Connection, ctx: RequestContext, limits: PostingLimits) -> None:
        self.conn = conn
        self.ctx = ctx
        self.limits = limits

    @property
    def principal(self) -> Principal:
        return self.ctx.caller

    # Reports -------------------------------------------------------------------------------------

    async def report(self, kind: ItemKind, item_id: UUID, data: ReportRequest) -> ReportReceipt:
        """File (or re-file) the caller's report on an item they can see; the moderators hear of it."""
        item = await self._visible_item(kind, item_id)
        await self.limits.charge("report", self.principal.account_id)
        row = await self.conn.fetchrow(
            Q["file_report"], kind, item_id, self.principal.account_id, data.reason, data.details
        )
        assert row is not None  # noqa: S101 - an upsert always returns its row
        if row["open"]:
            await alerts.reported(self.conn, kind, item_id, item["unit_path"])
        return ReportReceipt(
            item_kind=kind,
            item_id=item_id,
            reason=row["reason"],
            details=row["details"],
            reported_at=row["reported_at"],
        )

    async def retract(self, kind: ItemKind, item_id: UUID) -> None:
        """Withdraw the caller's report; filing again later still counts once."""
        await self._visible_item(kind, item_id)
        await self.conn.execute(Q["retract_report"], kind, item_id, self.principal.account_id)

    async def queue(self, limit: int) -> list[QueueItem]:
        """Items with open reports or a pending appeal in the caller's moderation subtrees, oldest first."""
        units = self.principal.units_for(MODERATORS)
        rows = await self.conn.fetch(Q["queue"], self.principal.account_id, units, limit)
        return [_queue_item(row) for row in rows]

    # Actions -------------------------------------------------------------------------------------

    async def act(self, kind: ItemKind, item_id: UUID, data: ModerationRequest) -> ModerationOutcome:
        """Hide, restore, lock, unlock, restrict the author, or dismiss the reports; resolves the open reports."""
        await self.conn.execute(Q["lock_item"], kind, item_id)
        item = await self._moderated_item(kind, item_id)
        if data.action in ("lock", "unlock") and kind != "thread":
            raise InvalidInput(
                "Chỉ khóa được cả chuỗi góp ý.", errors=[FieldError(field="action", message="threads only")]
            )
        details: dict[str, Any] = {}
        restricted_until = None
        if data.action == "hide":
            details["case_id"] = str(await self._hide(item, data))
        elif data.action == "restore":
            details["case_id"] = str(await self._restore(item))
        elif data.action in ("lock", "unlock"):
            if item["locked"] == (data.action == "lock"):
                raise Conflict("Chuỗi góp ý đã ở trạng thái này.")
            locker = self.principal.account_id if data.action == "lock" else None
            await self.conn.execute(Q["set_lock"], item_id, locker)
        elif data.action == "restrict":
            assert data.days is not None  # noqa: S101 - the schema requires days to restrict
            restriction = await self.conn.fetchrow(
                Q["restrict_author"], kind, item_id, item["unit_id"], data.reason, data.days, self.principal.account_id
            )
            assert restriction is not None  # noqa: S101 - the item was read under its lock
            restricted_until = restriction["ends_at"]
            # The restriction's id, not the account: the audit log must not name an anonymous asker.
            details |= {"restriction_id": str(restriction["id"]), "days": data.days}
            await alerts.tell_author(self.conn, kind, item_id, item["thread_id"], "restricted", data.message)
        await self.conn.execute(Q["resolve_reports"], kind, item_id)
        await record(
            self.conn,
            self.ctx,
            f"moderation_{data.action}",
            target=f"{kind}:{item_id}",
            unit_id=item["unit_id"],
            details=details | ({"reason": data.reason} if data.reason else {}),
        )
        after = await self._moderated_item(kind, item_id)
        return ModerationOutcome(
            item_kind=kind,
            item_id=item_id,
            action=data.action,
            hidden=after["hidden_case_id"] is not None,
            locked=after["locked"],
            case_id=after["hidden_case_id"],
            restricted_until=restricted_until,
        )

    async def appeal(self, case_id: UUID, data: AppealRequest) -> ModerationCase:
        """The author's one appeal against a hide; another moderator decides it."""
        case = await self._visible_case(case_id)
        if not case["mine"]:
            raise Forbidden("Chỉ người viết mới kháng nghị được.")
        if case["restored_at"] is not None:
            raise Conflict("Nội dung đã được hiện lại.")
        if await self.conn.fetchval(Q["appeal_case"], case_id, data.text) is None:
            raise Conflict("Mỗi quyết định ẩn chỉ được kháng nghị một lần.")
        # An anonymous asker's appeal is kept without an actor: the audit log must not name them.
        ctx = msgspec.structs.replace(self.ctx, principal=None) if case["by_anonymous_asker"] else self.ctx
        await record(self.conn, ctx, "moderation_appealed", target=f"case:{case_id}", unit_id=case["unit_id"])
        await alerts.appealed(self.conn, case["item_kind"], case["item_id"], case["unit_path"])
        return await self._case(case_id)

    async def decide(self, case_id: UUID, data: AppealDecision) -> ModerationCase:
        """A moderator other than the one who hid the item upholds or overturns the appeal."""
        case = await self._visible_case(case_id)
        if not moderates(self.principal, case["unit_path"]):
            raise NotFound(f"No moderation case {case_id}.")
        if case["hidden_by_me"]:
            raise Forbidden("Người đã ẩn nội dung không tự xét kháng nghị; một người kiểm duyệt khác sẽ xét.")
        if case["appealed_at"] is None or case["appeal_decided_at"] is not None or case["restored_at"] is not None:
            raise Conflict("Không có kháng nghị nào đang chờ xét.")
        decision = "upheld" if data.decision == "uphold" else "overturned"
        await self.conn.execute(Q["lock_item"], case["item_kind"], case["item_id"])
        if (
            await self.conn.fetchval(Q["decide_appeal"], case_id, decision, data.note, self.principal.account_id)
            is None
        ):
            raise Conflict("Kháng nghị này vừa được xét.")
        if decision == "overturned":
            await self.conn.execute(HIDE[case["item_kind"]], case["item_id"], None)
        await record(
            self.conn,
            self.ctx,
            f"moderation_appeal_{decision}",
            target=f"case:{case_id}",
            unit_id=case["unit_id"],
            details={"item": f"{case['item_kind']}:{case['item_id']}"},
        )
        await alerts.tell_author(self.conn, case["item_kind"], case["item_id"], case["thread_id"], decision, data.note)
        return await self._case(case_id)

    # Helpers -------------------------------------------------------------------------------------

    async def _hide(self, item: Any, data: ModerationRequest) -> UUID:
        if item["hidden_case_id"] is not None:
            raise Conflict("Nội dung này đã bị ẩn.")
        kind, item_id = item["item_kind"], item["item_id"]
        case_id: UUID = await self.conn.fetchval(
            Q["open_case"], kind, item_id, item["unit_id"], data.reason, data.message, self.principal.account_id
        )
        await self.conn.execute(HIDE[kind], item_id, case_id)
        await alerts.tell_author(self.conn, kind, item_id, item["thread_id"], "hidden", data.message or data.reason)
        return case_id

    async def _restore(self, item: Any) -> UUID:
        case_id: UUID | None = item["hidden_case_id"]
        if case_id is None:
            raise Conflict("Nội dung này không bị ẩn.")
        await self.conn.execute(Q["restore_case"], case_id, self.principal.account_id)
        await self.conn.execute(HIDE[item["item_kind"]], item["item_id"], None)
        await alerts.tell_author(self.conn, item["item_kind"], item["item_id"], item["thread_id"], "restored", "")
        return case_id

    async def _visible_item(self, kind: ItemKind, item_id: UUID) -> Any:
        row = await self.conn.fetchrow(Q["get_item"], kind, item_id, self.principal.account_id)
        if row is None or not self._sees(row):
            raise NotFound(f"No {kind} {item_id}.")
        return row

    async def _moderated_item(self, kind: ItemKind, item_id: UUID) -> Any:
        row = await self.conn.fetchrow(Q["get_item"], kind, item_id, self.principal.account_id)
        if row is None or not moderates(self.principal, row["unit_path"]):
            raise NotFound(f"No {kind} {item_id}.")
        return row

    async def _visible_case(self, case_id: UUID) -> Any:
        row = await self.conn.fetchrow(Q["get_case"], case_id, self.principal.account_id)
        if row is None or not (row["mine"] or self._sees(row)):
            raise NotFound(f"No moderation case {case_id}.")
        return row

    def _sees(self, row: Any) -> bool:
        if row["item_kind"] == "faq":
            return sees_faq(self.principal, row["unit_id"], row["unit_path"]) or moderates(
                self.principal, row["unit_path"]
            )
        return sees_thread(self.principal, mine=row["asks"], origin_path=row["origin_path"])

    async def _case(self, case_id: UUID) -> ModerationCase:
        row = await self.conn.fetchrow(Q["get_case"], case_id, self.principal.account_id)
        assert row is not None  # noqa: S101 - read in this transaction
        return ModerationCase(
            id=row["id"],
            item_kind=row["item_kind"],
            item_id=row["item_id"],
            thread_id=row["thread_id"],
            reason=row["reason"],
            message=row["message"],
            hidden_at=row["hidden_at"],
            restored_at=row["restored_at"],
            appeal=appeal_status(row),
            appeal_text=row["appeal_text"],
            appealed_at=row["appealed_at"],
            appeal_note=row["appeal_note"],
            appeal_decided_at=row["appeal_decided_at"],
        )


def _queue_item(row: Any) -> QueueItem:
    appeal = None
    if row["case_id"] is not None:
        appeal = PendingAppeal(
            case_id=row["case_id"],
            text=row["appeal_text"],
            appealed_at=row["appealed_at"],
            hidden_by_you=row["hidden_by_me"],
        )
    return QueueItem(
        item_kind=row["item_kind"],
        item_id=row["item_id"],
        thread_id=row["thread_id"],
        unit_id=row["unit_id"],
        unit_name=row["unit_name"],
        text=row["text"],
        hidden=row["hidden"],
        locked=row["locked"],
        report_count=row["report_count"],
        reasons=msgspec.convert(row["reasons"], list[ReasonCount]),
        first_reported_at=row["first_reported_at"],
        appeal=appeal,
        waiting_since=row["waiting_since"],
    )
