"""Feedback threads: a member asks a level, its officers answer, the member rates, closes or reopens."""

from __future__ import annotations

from typing import Any, LiteralString
from uuid import UUID, uuid4

from api.audit.service import record
from api.auth.principal import Principal
from api.context import RequestContext
from api.db import Connection
from api.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from api.feedback import notify, present
from api.feedback.access import IDENTITY_READERS, answers_for, moderates, sees_thread, staff_units
from api.feedback.limits import PostingLimits
from api.feedback.schemas import (
    AuthorIdentity,
    ConsentRequest,
    FeedbackCreate,
    FeedbackPage,
    FeedbackThread,
    RatingRequest,
    ReopenRequest,
    ReplyCreate,
    Status,
    StatusChange,
)
from api.moderation.restrictions import ensure_may_post
from api.sql import queries_beside

Q = queries_beside(__file__)


async def visible_thread(conn: Connection, principal: Principal, thread_id: UUID) -> Any:
    """The thread as the caller may see it, or NotFound (also when it exists outside their scope)."""
    row = await conn.fetchrow(Q["get_thread"], thread_id, principal.account_id)
    if row is None or not sees_thread(principal, mine=row["mine"], origin_path=row["origin_path"]):
        raise NotFound(f"No feedback {thread_id}.")
    return row


class FeedbackService:
    def __init__(self, conn: Connection, ctx: RequestContext, limits: PostingLimits) -> None:
        self.conn = conn
        self.ctx = ctx
        self.limits = limits

    @property
    def principal(self) -> Principal:
        return self.ctx.caller

    # Asking and reading --------------------------------------------------------------------------

    async def create(self, data: FeedbackCreate) -> FeedbackThread:
        """A member's new thread at their branch (default), commune or province; a replayed id answers it again."""
        caller = self.principal
        if caller.member_id is None or caller.branch_id is None:
            raise Forbidden("Chỉ đảng viên mới gửi được góp ý.")
        if data.id is not None and await self._already_mine(Q["thread_owner"], data.id):
            return await self.get(data.id)
        await ensure_may_post(self.conn, caller)
        unit = await self._level_unit(caller.branch_id, data.level)
        await self.limits.charge("feedback", caller.account_id)
        thread_id = data.id or uuid4()
        status = await self.conn.execute(
            Q["insert_thread"],
            thread_id,
            caller.account_id,
            caller.member_id,
            caller.branch_id,
            unit["id"],
            data.level,
            data.kind,
            data.category,
            data.title,
            data.body,
            data.anonymous,
            data.faq_consent,
        )
        if status.endswith(" 0"):  # a concurrent duplicate of the same id won the race
            await self._already_mine(Q["thread_owner"], thread_id)
            return await self.get(thread_id)
        word = notify.KIND_WORDS[data.kind]
        await notify.tell_officers(
            self.conn, thread_id, unit["id"], data.level, kind="feedback.received", body=f"{word} mới: {data.title}"
        )
        return await self.get(thread_id)

    async def get(self, thread_id: UUID) -> FeedbackThread:
        row = await visible_thread(self.conn, self.principal, thread_id)
        return await self._thread(row)

    async def list_mine(self, after: UUID | None, limit: int) -> FeedbackPage:
        rows = await self.conn.fetch(Q["list_mine"], self.principal.account_id, after, limit + 1)
        return self._page(rows, limit)

    async def inbox(self, status: Status | None, after: UUID | None, limit: int) -> FeedbackPage:
        """Threads of the members under the caller's units, newest first; the anonymous stay nameless."""
        units = staff_units(self.principal)
        rows = await self.conn.fetch(Q["list_inbox"], self.principal.account_id, units, status, after, limit + 1)
        return self._page(rows, limit)

    # Conversation --------------------------------------------------------------------------------

    async def reply(self, thread_id: UUID, data: ReplyCreate) -> FeedbackThread:
        """The asker or the officer answering for the thread's level adds a reply; an officer's answers it."""
        row = await self._locked(thread_id)
        if data.id is not None and await self._already_mine(Q["reply_owner"], data.id, thread=thread_id):
            return await self._thread(row)
        by_asker = row["mine"]
        if not by_asker and not answers_for(self.principal, row["level"], row["unit_path"]):
            raise Forbidden("Bạn không phụ trách trả lời góp ý này.")
        if row["status"] == "closed":
            raise Conflict("Góp ý đã đóng; người gửi có thể mở lại trong 14 ngày.")
        if row["locked"]:
            raise Conflict("Góp ý này đã bị khóa, không nhận thêm trả lời.")
        await ensure_may_post(self.conn, self.principal)
        await self.limits.charge("reply", self.principal.account_id)
        reply_id = data.id or uuid4()
        status = await self.conn.execute(
            Q["insert_reply"], reply_id, thread_id, self.principal.account_id, by_asker, data.body
        )
        if status.endswith(" 0"):
            raise Conflict("Mã trả lời này đã được dùng.")
        if by_asker:
            await self.conn.execute(Q["touch_thread"], thread_id)
            await notify.tell_officers(
                self.conn, thread_id, row["unit_id"], row["level"], kind="feedback.replied", body=data.body
            )
        else:
            await self.conn.execute(Q["mark_answered"], thread_id)
            await notify.tell_asker(
                self.conn, thread_id, kind="feedback.answered", title="Góp ý của bạn đã được trả lời", body=data.body
            )
        return await self.get(thread_id)

    async def set_status(self, thread_id: UUID, data: StatusChange) -> FeedbackThread:
        """The officer acknowledges a new thread; the asker or the officer closes an open one."""
        row = await self._locked(thread_id)
        responsible = answers_for(self.principal, row["level"], row["unit_path"])
        if data.status == "acknowledged":
            if not responsible:
                raise Forbidden("Bạn không phụ trách góp ý này.")
            if await self.conn.fetchval(Q["acknowledge"], thread_id) is None:
                raise Conflict("Chỉ góp ý mới gửi mới chuyển được sang đang xử lý.")
        else:
            if not (row["mine"] or responsible):
                raise Forbidden("Bạn không phụ trách góp ý này.")
            if await self.conn.fetchval(Q["close_thread"], thread_id) is None:
                raise Conflict("Góp ý này đã đóng.")
        if not row["mine"]:
            # Only officers' acts are audited: an audit row with the asker as actor would name them.
            await record(
                self.conn, self.ctx, f"feedback_{data.status}", target=f"feedback:{thread_id}", unit_id=row["unit_id"]
            )
            word = "đang được xử lý" if data.status == "acknowledged" else "đã được đóng"
            await notify.tell_asker(
                self.conn, thread_id, kind=f"feedback.{data.status}", title=f"Góp ý của bạn {word}", body=row["title"]
            )
        return await self.get(thread_id)

    async def rate(self, thread_id: UUID, data: RatingRequest) -> FeedbackThread:
        """The asker rates the answer (1 to 5); rating again replaces the earlier rating."""
        row = await self._asker_only(thread_id)
        if await self.conn.fetchval(Q["rate_thread"], row["id"], data.rating, data.comment) is None:
            raise Conflict("Góp ý chưa được trả lời.")
        return await self.get(thread_id)

    async def reopen(self, thread_id: UUID, data: ReopenRequest) -> FeedbackThread:
        """The asker reopens a thread within 14 days of its closing; it goes back to the officers."""
        row = await self._asker_only(thread_id)
        if row["status"] != "closed":
            raise Conflict("Góp ý này chưa đóng.")
        if data.body.strip():
            await ensure_may_post(self.conn, self.principal)
            await self.limits.charge("reply", self.principal.account_id)
        window = present.REOPEN_WINDOW
        if await self.conn.fetchval(Q["reopen_thread"], thread_id, window) is None:
            raise Conflict("Đã quá 14 ngày kể từ khi góp ý được đóng; hãy gửi góp ý mới.")
        if data.body.strip():
            by_asker = True
            await self.conn.execute(
                Q["insert_reply"], uuid4(), thread_id, self.principal.account_id, by_asker, data.body
            )
        await notify.tell_officers(
            self.conn, thread_id, row["unit_id"], row["level"], kind="feedback.reopened", body=data.body or row["title"]
        )
        return await self.get(thread_id)

    async def set_consent(self, thread_id: UUID, data: ConsentRequest) -> FeedbackThread:
        """The asker's consent to an anonymised FAQ entry; withdrawing it takes a published entry down."""
        await self._asker_only(thread_id)
        await self.conn.execute(Q["set_consent"], thread_id, data.consent)
        if not data.consent:
            await self.conn.fetch(Q["withdraw_faq"], thread_id)
        return await self.get(thread_id)

    async def reveal_author(self, thread_id: UUID) -> AuthorIdentity:
        """Who sent a thread: the committee's moderators only, and every look goes to the audit log.

        The only path by which the asker of an anonymous thread leaves the database.
        """
        row = await visible_thread(self.conn, self.principal, thread_id)
        if not self.principal.covers(IDENTITY_READERS, row["origin_path"]):
            raise Forbidden("Chỉ người kiểm duyệt của cấp ủy mới xem được người gửi.")
        await record(
            self.conn,
            self.ctx,
            "feedback_author_revealed",
            target=f"feedback:{thread_id}",
            unit_id=row["origin_branch_id"],
            details={"anonymous": row["anonymous"]},
        )
        identity = await self.conn.fetchrow(Q["reveal_author"], thread_id)
        assert identity is not None  # noqa: S101 - the thread was read in this transaction
        return AuthorIdentity(**dict(identity))

    # Helpers -------------------------------------------------------------------------------------

    async def _level_unit(self, branch_id: int, level: str) -> Any:
        rows = await self.conn.fetch(Q["branch_levels"], branch_id)
        found = rows[0] if level == "branch" and rows else next((r for r in rows if r["kind"] == level), None)
        if found is None:
            raise InvalidInput(
                "Không có cấp nhận này phía trên chi bộ của bạn.",
                errors=[FieldError(field="level", message="no such level above your branch")],
            )
        return found

    async def _already_mine(self, query: LiteralString, item_id: UUID, *, thread: UUID | None = None) -> bool:
        """Whether a client-made id was already used by the caller (a replay); 409 when used by someone else."""
        existing = await self.conn.fetchrow(query, item_id, self.principal.account_id)
        if existing is None:
            return False
        if not existing["mine"] or (thread is not None and existing["thread_id"] != thread):
            raise Conflict("Mã này đã được dùng.")
        return True

    async def _locked(self, thread_id: UUID) -> Any:
        await self.conn.execute(Q["lock_thread_row"], thread_id)
        return await visible_thread(self.conn, self.principal, thread_id)

    async def _asker_only(self, thread_id: UUID) -> Any:
        row = await self._locked(thread_id)
        if not row["mine"]:
            raise Forbidden("Chỉ người gửi mới làm được việc này.")
        return row

    async def _thread(self, row: Any) -> FeedbackThread:
        caller = self.principal
        moderator = moderates(caller, row["unit_path"])
        mine = row["mine"]
        rows = await self.conn.fetch(Q["list_replies"], row["id"], caller.account_id)
        replies = [present.reply(reply, moderator=moderator) for reply in rows]
        return FeedbackThread(
            id=row["id"],
            kind=row["kind"],
            category=row["category"],
            level=row["level"],
            unit_id=row["unit_id"],
            unit_name=row["unit_name"],
            origin_branch_id=row["origin_branch_id"],
            title=present.shown(row, row["title"], mine=mine, moderator=moderator),
            body=present.shown(row, row["body"], mine=mine, moderator=moderator),
            anonymous=row["anonymous"],
            author=present.person(row),
            mine=mine,
            status=row["status"],
            created_at=row["created_at"],
            answer_due_at=row["answer_due_at"],
            overdue=present.overdue(row),
            escalations=row["escalations"],
            acknowledged_at=row["acknowledged_at"],
            answered_at=row["answered_at"],
            closed_at=row["closed_at"],
            reopen_until=present.reopen_until(row),
            rating=row["rating"],
            rating_comment=row["rating_comment"],
            faq_consent=row["faq_consent"],
            locked=row["locked"],
            hidden=row["case_id"] is not None,
            moderation=present.moderation_note(row, mine=mine, moderator=moderator),
            responsible=answers_for(caller, row["level"], row["unit_path"]),
            can_moderate=moderator,
            replies=replies,
        )

    def _page(self, rows: list[Any], limit: int) -> FeedbackPage:
        caller = self.principal
        items = [
            present.summary(
                row,
                responsible=answers_for(caller, row["level"], row["unit_path"]),
                moderator=moderates(caller, row["unit_path"]),
            )
            for row in rows[:limit]
        ]
        return FeedbackPage(items=items, next_cursor=str(items[-1].id) if len(rows) > limit else None)
