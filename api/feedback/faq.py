"""FAQ entries: a good answer, published with the asker's consent, anonymised, for the level's whole scope."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.audit.service import record
from api.auth.principal import Principal
from api.context import RequestContext
from api.db import Connection
from api.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from api.feedback import present
from api.feedback.access import answers_for, faq_readers, moderates, sees_faq
from api.feedback.schemas import Category, FaqEntry, FaqPage, FaqPublish
from api.feedback.service import visible_thread
from api.handbook.rendering import render_markdown
from api.sql import queries_beside

Q = queries_beside(__file__)


class FaqService:
    def __init__(self, conn: Connection, ctx: RequestContext) -> None:
        self.conn = conn
        self.ctx = ctx

    @property
    def principal(self) -> Principal:
        return self.ctx.caller

    async def publish(self, data: FaqPublish) -> FaqEntry:
        """Publish the officer's rewrite of an answered thread whose asker consented; the entry has no author."""
        thread = await visible_thread(self.conn, self.principal, data.thread_id)
        if not answers_for(self.principal, thread["level"], thread["unit_path"]):
            raise Forbidden("Bạn không phụ trách góp ý này.")
        if thread["answered_at"] is None or thread["status"] not in ("answered", "closed"):
            raise Conflict("Góp ý chưa được trả lời.")
        if not thread["faq_consent"]:
            raise Conflict("Người gửi chưa đồng ý công khai câu trả lời.")
        if thread["case_id"] is not None:
            raise Conflict("Góp ý này đang bị ẩn.")
        _refuse_name(thread, data)
        faq_id = await self.conn.fetchval(
            Q["insert_faq"],
            data.thread_id,
            thread["unit_id"],
            thread["category"],
            data.question,
            data.answer_md,
            render_markdown(data.answer_md),
            self.principal.account_id,
        )
        if faq_id is None:
            raise Conflict("Câu trả lời này đã được công khai.")
        await record(self.conn, self.ctx, "faq_published", target=f"faq:{faq_id}", unit_id=thread["unit_id"])
        return await self.get(faq_id)

    async def get(self, faq_id: UUID) -> FaqEntry:
        row = await self.conn.fetchrow(Q["get_faq"], faq_id, self.principal.account_id)
        if row is None or not sees_faq(self.principal, row["unit_id"], row["unit_path"]):
            raise NotFound(f"No FAQ entry {faq_id}.")
        return present.faq(row, moderator=moderates(self.principal, row["unit_path"]))

    async def list(self, category: Category | None, after: UUID | None, limit: int) -> FaqPage:
        """Entries at the units at or above the caller and inside their staff subtrees, newest first."""
        reach, staff = faq_readers(self.principal)
        rows = await self.conn.fetch(Q["list_faq"], self.principal.account_id, reach, staff, category, after, limit + 1)
        items = [present.faq(row, moderator=moderates(self.principal, row["unit_path"])) for row in rows[:limit]]
        return FaqPage(items=items, next_cursor=str(items[-1].id) if len(rows) > limit else None)


def _refuse_name(thread: Any, data: FaqPublish) -> None:
    """A named asker's name must not reach the entry. (An anonymous asker's name is unknown here, and is not
    looked up: a refusal would let an officer test guesses at it.)"""
    name = thread["author_name"]
    if not name:
        return
    folded = name.casefold()
    errors = [
        FieldError(field=field, message="contains the asker's name")
        for field, text in (("question", data.question), ("answer_md", data.answer_md))
        if folded in text.casefold()
    ]
    if errors:
        raise InvalidInput("Hãy bỏ tên người gửi khỏi nội dung công khai.", errors=errors)
