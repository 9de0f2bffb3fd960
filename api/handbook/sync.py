"""Offline sync: a manifest of everything a member may keep, then only what changed since a cursor.

The cursor is a transaction id horizon, not a timestamp or a sequence number: a change committed
late by a slow transaction is still sent next time, because everything at or after the oldest
transaction running at the last sync is sent again (clients compare content hashes, so a repeat
costs bytes, never correctness).
"""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

import msgspec

from api.db import Connection
from api.handbook.schemas import OfflineChanges, OfflineDocument, OfflineManifest, OfflineSection, SectionRef
from api.handbook.scope import ContentScope
from api.sql import queries_beside

Q = queries_beside(__file__)
FULL = "0"


async def manifest(conn: Connection, scope: ContentScope) -> OfflineManifest:
    cursor = await conn.fetchval(Q["sync_cursor"])
    return OfflineManifest(cursor=cursor, documents=await _documents(conn, scope, 0))


async def changes(conn: Connection, scope: ContentScope, since: str) -> OfflineChanges:
    """Everything written at or after ``since`` (a cursor from an earlier answer; "0" for all)."""
    cursor = await conn.fetchval(Q["sync_cursor"])
    horizon = int(since)
    rows = await conn.fetch(Q["offline_sections"], scope.ancestors, scope.staff, horizon)
    removed_docs = await conn.fetch(Q["offline_removed_documents"], scope.ancestors, scope.staff, horizon)
    removed_sections = await conn.fetch(Q["offline_removed_sections"], horizon)
    return OfflineChanges(
        cursor=cursor,
        documents=await _documents(conn, scope, horizon),
        sections=[msgspec.convert(dict(row), OfflineSection) for row in rows],
        removed_documents=[row["id"] for row in removed_docs],
        removed_sections=[row["id"] for row in removed_sections],
    )


async def _documents(conn: Connection, scope: ContentScope, since: int) -> list[OfflineDocument]:
    rows = await conn.fetch(Q["offline_documents"], scope.ancestors, scope.staff, since)
    refs: dict[UUID, list[SectionRef]] = defaultdict(list)
    for ref in await conn.fetch(Q["offline_section_refs"], [row["id"] for row in rows]):
        refs[ref["document_id"]].append(
            SectionRef(id=ref["id"], position=ref["position"], content_hash=ref["content_hash"])
        )
    return [OfflineDocument(sections=refs[row["id"]], **dict(row)) for row in rows]
