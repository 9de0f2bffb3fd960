"""The hot path of the app: a member reading one section, served from a per-worker cache.

The rendered answer (its bytes and ETag) is cached with what decides who may read it (the document's
status and audience); the caller's scope is checked on every read, so one entry serves everyone.
PostgreSQL triggers announce every change to sections and documents (migrations/0006), which evicts
the entry in every worker. A miss costs one query on a connection without a transaction: a single
statement is consistent on its own.
"""

from __future__ import annotations

from uuid import UUID

import msgspec

from api.db import Pool
from api.errors import NotFound
from api.handbook.schemas import Section
from api.handbook.scope import ContentScope
from api.http_cache import content_etag
from api.invalidation import InvalidationListener
from api.local_cache import LocalCache
from api.sql import queries_beside

Q = queries_beside(__file__)

CACHE_ENTRIES = 20_000
"""Rendered sections are a few KB: the whole handbook and study library fit many times over."""
CACHE_SECONDS = 600.0


class CachedSection(msgspec.Struct, frozen=True):
    document_id: UUID
    status: str
    audience_unit_id: int
    audience_path: tuple[int, ...]
    body: bytes
    etag: str


class SectionReader:
    """Readable sections by id, cached per worker and evicted by change announcements."""

    def __init__(self, pool: Pool, listener: InvalidationListener) -> None:
        self._pool = pool
        self._cache: LocalCache[UUID, CachedSection] = LocalCache(max_entries=CACHE_ENTRIES, ttl=CACHE_SECONDS)
        listener.on("section", lambda key: self.forget_section(UUID(key)))
        listener.on("document", self._evict_document)
        listener.on_state(self._listening)

    async def read(self, section_id: UUID, scope: ContentScope) -> CachedSection:
        """The section as the caller may see it; 404 when missing or out of their scope alike."""
        section = self._cache.get(section_id)
        if section is None:
            epoch = self._cache.epoch()
            async with self._pool.acquire() as conn:
                row = await conn.fetchrow(Q["get_section"], section_id)
            if row is None:
                raise NotFound(f"No section {section_id}.")
            body = msgspec.json.encode(msgspec.convert(dict(row), Section))
            section = CachedSection(
                document_id=row["document_id"],
                status=row["status"],
                audience_unit_id=row["audience_unit_id"],
                audience_path=tuple(row["audience_path"]),
                body=body,
                etag=content_etag(body),
            )
            self._cache.put(section_id, section, epoch=epoch)
        if not scope.can_read(section.status, section.audience_unit_id, section.audience_path):
            raise NotFound(f"No section {section_id}.")
        return section

    def forget_section(self, section_id: UUID) -> None:
        self._cache.evict(section_id)

    def forget_document(self, document_id: UUID) -> None:
        self._cache.evict_where(lambda section: section.document_id == document_id)

    def _evict_document(self, key: str) -> None:
        self.forget_document(UUID(key))

    def _listening(self, listening: bool) -> None:  # noqa: FBT001 - a state callback
        self._cache.clear()
        self._cache.enabled = listening
