"""Attachments (PDF and images) of documents: type sniffed from the bytes, size limited, stored by hash."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import msgspec

from api.audit.service import record
from api.errors import NotFound
from api.handbook.schemas import Attachment
from api.handbook.service import ContentService
from api.sql import queries_beside
from api.storage import BlobStore
from api.uploads import check_type

Q = queries_beside(__file__)


async def upload(
    content: ContentService, store: BlobStore, document_id: UUID, *, data: bytes, declared_type: str, file_name: str
) -> Attachment:
    """Attach a file to a document the caller may edit."""
    await content.editable_document(document_id)
    media_type = check_type(declared_type, data)
    digest = await store.put(data)
    row = await content.conn.fetchrow(
        Q["insert_attachment"], document_id, digest, media_type, len(data), file_name, content.account_id
    )
    await record(
        content.conn,
        content.ctx,
        "attachment_uploaded",
        target=f"document:{document_id}",
        details={"file": file_name, "bytes": len(data)},
    )
    assert row is not None  # noqa: S101 - insert ... returning always returns the row
    return msgspec.convert(dict(row), Attachment)


async def locate(content: ContentService, store: BlobStore, attachment_id: UUID) -> tuple[Attachment, Path]:
    """An attachment of a document the caller may read, with the file holding its bytes."""
    row = await content.conn.fetchrow(Q["get_attachment"], attachment_id)
    if row is None:
        raise NotFound(f"Không có tệp đính kèm {attachment_id}.")
    await content.readable_document(row["document_id"])
    path = await store.path(row["digest"])
    if path is None:
        raise NotFound(f"Không có tệp đính kèm {attachment_id}.")
    return msgspec.convert(dict(row), Attachment), path
