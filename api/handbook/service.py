"""Reading and editing handbook content, with revisions, optimistic concurrency and acknowledgements."""

from __future__ import annotations

import difflib
from typing import Any
from uuid import UUID

import asyncpg
import msgspec

from api.audit.service import record
from api.context import RequestContext
from api.db import Connection
from api.errors import Conflict, NotFound
from api.handbook.rendering import content_hash, render_markdown
from api.handbook.schemas import (
    Acknowledgement,
    Document,
    DocumentCreate,
    DocumentUpdate,
    RevisionDiff,
    SectionCreate,
    SectionRevision,
    SectionSource,
    SectionSummary,
    SectionUpdate,
)
from api.handbook.scope import ContentScope
from api.search.folding import search_text
from api.sql import queries_beside

Q = queries_beside(__file__)
_STALE = "Nội dung đã được người khác sửa. Hãy tải lại bản mới nhất rồi sửa tiếp."


class ContentService:
    def __init__(self, conn: Connection, ctx: RequestContext, scope: ContentScope) -> None:
        self.conn = conn
        self.ctx = ctx
        self.scope = scope

    @property
    def account_id(self) -> UUID:
        return self.ctx.caller.account_id

    # Reading -------------------------------------------------------------------------------------

    async def list_documents(self) -> list[Document]:
        rows = await self.conn.fetch(Q["list_documents"], self.scope.ancestors, self.scope.staff, self.scope.editor)
        return [msgspec.convert(dict(row), Document) for row in rows]

    async def document(self, document_id: UUID) -> Document:
        row = await self.readable_document(document_id)
        sections = await self.conn.fetch(Q["document_sections"], document_id, self.account_id)
        document = dict(row)
        document.pop("audience_path")
        document["sections"] = [msgspec.convert(dict(s), SectionSummary) for s in sections]
        document["attachments"] = [dict(a) for a in await self.conn.fetch(Q["list_attachments"], document_id)]
        return msgspec.convert(document, Document)

    async def section_source(self, section_id: UUID) -> SectionSource:
        row = await self._editable_section(section_id)
        return msgspec.convert(dict(row), SectionSource)

    # Editing -------------------------------------------------------------------------------------

    async def create_document(self, data: DocumentCreate) -> Document:
        audience = data.audience_unit_id or min(self.scope.editor)
        await self._require_editable_unit(audience)
        try:
            document_id = await self.conn.fetchval(
                Q["insert_document"],
                data.slug,
                data.kind,
                data.title,
                data.summary,
                audience,
                data.requires_ack,
                data.position,
                self.account_id,
            )
        except asyncpg.UniqueViolationError:
            raise Conflict(f"Đã có tài liệu với đường dẫn «{data.slug}».") from None
        await record(self.conn, self.ctx, "document_created", target=f"document:{document_id}", unit_id=audience)
        return await self.document(document_id)

    async def update_document(self, document_id: UUID, data: DocumentUpdate) -> Document:
        current = await self.editable_document(document_id)
        changes = {
            name: value
            for name in data.__struct_fields__
            if name != "revision" and (value := getattr(data, name)) is not msgspec.UNSET
        }
        merged = {**dict(current), **changes}
        if "audience_unit_id" in changes:
            await self._require_editable_unit(merged["audience_unit_id"])
        revision = await self.conn.fetchval(
            Q["update_document"],
            document_id,
            data.revision,
            merged["title"],
            merged["summary"],
            merged["status"],
            merged["audience_unit_id"],
            merged["requires_ack"],
            merged["position"],
        )
        if revision is None:
            raise Conflict(_STALE)
        await record(
            self.conn,
            self.ctx,
            "document_updated",
            target=f"document:{document_id}",
            unit_id=merged["audience_unit_id"],
            details={"fields": sorted(changes)},
        )
        return await self.document(document_id)

    async def create_section(self, document_id: UUID, data: SectionCreate) -> SectionSource:
        await self.editable_document(document_id)
        end = await self.conn.fetchval(Q["next_position"], document_id)
        position = end if data.position is None else min(data.position, end)
        await self.conn.execute(Q["make_room"], document_id, position)
        section_id = await self.conn.fetchval(
            Q["insert_section"],
            document_id,
            position,
            data.title,
            data.body_md,
            render_markdown(data.body_md),
            search_text(f"{data.title}\n{data.body_md}"),
            content_hash(data.title, data.body_md),
            data.requires_ack,
        )
        await self._record_revision(section_id, 1, data.title, data.body_md, material=True)
        await self.conn.execute(Q["bump_document"], document_id)
        return await self.section_source(section_id)

    async def update_section(self, section_id: UUID, data: SectionUpdate) -> SectionSource:
        current = await self._editable_section(section_id)
        requires_ack = current["requires_ack"] if data.requires_ack is msgspec.UNSET else data.requires_ack
        revision = await self.conn.fetchval(
            Q["update_section"],
            section_id,
            data.revision,
            data.title,
            data.body_md,
            render_markdown(data.body_md),
            search_text(f"{data.title}\n{data.body_md}"),
            content_hash(data.title, data.body_md),
            data.material,
            requires_ack,
        )
        if revision is None:
            raise Conflict(_STALE)
        await self.conn.execute(
            Q["insert_revision"], section_id, revision, data.title, data.body_md, data.material, self.account_id
        )
        return await self.section_source(section_id)

    async def delete_section(self, section_id: UUID, revision: int) -> None:
        await self._editable_section(section_id)
        document_id = await self.conn.fetchval(Q["delete_section"], section_id, revision)
        if document_id is None:
            raise Conflict(_STALE)
        await self.conn.execute(Q["bump_document"], document_id)
        await record(self.conn, self.ctx, "section_deleted", target=f"section:{section_id}")

    async def revisions(self, section_id: UUID) -> list[SectionRevision]:
        await self._editable_section(section_id)
        rows = await self.conn.fetch(Q["list_revisions"], section_id)
        return [msgspec.convert(dict(row), SectionRevision) for row in rows]

    async def compare(self, section_id: UUID, old: int, new: int) -> RevisionDiff:
        await self._editable_section(section_id)
        texts = []
        for revision in (old, new):
            row = await self.conn.fetchrow(Q["get_revision"], section_id, revision)
            if row is None:
                raise NotFound(f"Section {section_id} has no revision {revision}.")
            texts.append(f"# {row['title']}\n\n{row['body_md']}".splitlines(keepends=True))
        diff = "".join(difflib.unified_diff(texts[0], texts[1], fromfile=f"r{old}", tofile=f"r{new}"))
        return RevisionDiff(section_id=section_id, from_revision=old, to_revision=new, diff=diff)

    # Acknowledging -------------------------------------------------------------------------------

    async def acknowledge(self, section_id: UUID, ack_hash: str) -> Acknowledgement:
        """Record "I have read this" for the version read; an older version answers 409."""
        row = await self._readable_section(section_id)
        if row["ack_hash"] != ack_hash:
            raise Conflict("Nội dung này đã được cập nhật. Vui lòng đọc bản mới rồi xác nhận lại.")
        digest = bytes.fromhex(ack_hash)
        await self.conn.execute(Q["acknowledge"], self.account_id, section_id, digest)
        at = await self.conn.fetchval(Q["get_acknowledgement"], self.account_id, section_id, digest)
        return Acknowledgement(section_id=section_id, ack_hash=ack_hash, acknowledged_at=at)

    # Scope checks (out of scope answers 404, exactly like missing) --------------------------------

    async def readable_document(self, document_id: UUID) -> Any:
        row = await self.conn.fetchrow(Q["get_document"], document_id)
        if row is None or not self.scope.can_read(row["status"], row["audience_unit_id"], row["audience_path"]):
            raise NotFound(f"No document {document_id}.")
        return row

    async def editable_document(self, document_id: UUID) -> Any:
        row = await self.conn.fetchrow(Q["get_document"], document_id)
        if row is None or not self.scope.can_edit(row["audience_path"]):
            raise NotFound(f"No document {document_id}.")
        return row

    async def _readable_section(self, section_id: UUID) -> Any:
        row = await self.conn.fetchrow(Q["get_section"], section_id)
        if row is None or not self.scope.can_read(row["status"], row["audience_unit_id"], row["audience_path"]):
            raise NotFound(f"No section {section_id}.")
        return row

    async def _editable_section(self, section_id: UUID) -> Any:
        row = await self.conn.fetchrow(Q["get_section"], section_id)
        if row is None or not self.scope.can_edit(row["audience_path"]):
            raise NotFound(f"No section {section_id}.")
        return row

    async def _record_revision(
        self, section_id: UUID, revision: int, title: str, body_md: str, *, material: bool
    ) -> None:
        await self.conn.execute(Q["insert_revision"], section_id, revision, title, body_md, material, self.account_id)

    async def _require_editable_unit(self, unit_id: int) -> None:
        rows = await self.conn.fetch(Q["unit_paths"], [unit_id])
        if not rows or not self.scope.can_edit(rows[0]["path"]):
            raise NotFound(f"No org unit {unit_id}.")


def derived_columns(title: str, body_md: str) -> tuple[str, str, str, str, bytes]:
    """A section's stored columns from what the editor wrote: source, rendering, search text, hash."""
    return title, body_md, render_markdown(body_md), search_text(f"{title}\n{body_md}"), content_hash(title, body_md)
