"""Helpers for the in-memory index tests: waiting until it has heard every change, and both answers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, NamedTuple

from litestar.testing import AsyncTestClient

from api.db import Pool, connect, create_pool
from api.handbook.scope import ContentScope
from api.handbook.service import derived_columns
from api.invalidation import InvalidationListener
from api.search.cache import SearchCache
from api.search.folding import query_terms, search_words
from api.search.index import SearchIndex
from api.search.live_index import LiveSearchIndex
from api.search.service import _sql_search

SETTLE_SECONDS = 15.0


class Live(NamedTuple):
    """A worker's search parts, built as the app builds them, in the test's own event loop."""

    pool: Pool
    listener: InvalidationListener
    cache: SearchCache

    @property
    def index(self) -> LiveSearchIndex:
        assert self.cache.index is not None
        return self.cache.index


@asynccontextmanager
async def live_search(database_url: str) -> AsyncIterator[Live]:
    pool = await create_pool(database_url, min_size=1, max_size=3)
    listener = InvalidationListener(database_url)
    cache = SearchCache(listener, pool)
    try:
        yield Live(pool, listener, cache)
    finally:
        await cache.close()
        await listener.stop()
        await pool.close()


async def settled(listener: InvalidationListener, live: LiveSearchIndex, database_url: str) -> SearchIndex:
    """The index once it has applied every change committed before this call.

    Announcements reach the listener in commit order, so once a marker announced now has been heard,
    every earlier one has been too; then the index is waited for until it is current.
    """
    marker = str(uuid.uuid4())
    heard = asyncio.Event()

    def hear(key: str) -> None:
        if key == marker:
            heard.set()

    listener.on("section", hear)
    try:
        await execute(database_url, "select pg_notify('ehb_invalidate', $1)", f"section:{marker}")
        await asyncio.wait_for(heard.wait(), SETTLE_SECONDS)
    finally:
        listener.off("section", hear)
    return await asyncio.wait_for(live.wait_current(), SETTLE_SECONDS)


def app_settled(client: AsyncTestClient[Any], database_url: str) -> None:
    """:func:`settled` for the app under test, which runs in the test client's own thread and loop."""
    state = client.app.state
    client.blocking_portal.call(settled, state.invalidation, state.search_cache.index, database_url)


async def both(live: Live, index: SearchIndex, scope: ContentScope, query: str, *, limit: int = 50) -> list[str]:
    """The index's answer (section ids, best first), checked to be the sections the statement finds."""
    terms = query_terms(query)
    indexed = index.search(search_words(terms), scope.ancestors, scope.staff, limit=limit)
    statement = await _sql_search(live.pool, scope, terms, limit)
    found = [hit.section_id for hit in indexed]
    assert sorted(found) == sorted(hit.section_id for hit in statement), query
    return found


async def write_document(
    database_url: str, audience_unit_id: int, sections: list[tuple[str, str]], *, slug: str, status: str = "published"
) -> tuple[str, list[str]]:
    """A document of ``sections`` (title, body) written with the editor's derived columns; its id and theirs."""
    conn = await connect(database_url)
    try:
        async with conn.transaction():
            document = await conn.fetchval(
                "insert into documents (slug, kind, title, audience_unit_id, status) values ($1, 'guide', $1, $2, $3) "
                "returning id",
                slug,
                audience_unit_id,
                status,
            )
            ids = [
                await _insert_section(conn, document, position, *section) for position, section in enumerate(sections)
            ]
    finally:
        await conn.close()
    return str(document), ids


async def add_section(database_url: str, document_id: str, title: str, body: str) -> str:
    conn = await connect(database_url)
    try:
        return await _insert_section(conn, uuid.UUID(document_id), 1000, title, body)
    finally:
        await conn.close()


async def execute(database_url: str, statement: str, *args: Any) -> None:
    conn = await connect(database_url)
    try:
        await conn.execute(statement, *args)
    finally:
        await conn.close()


async def _insert_section(conn: Any, document: uuid.UUID, position: int, title: str, body: str) -> str:
    title, body_md, body_html, text, digest = derived_columns(title, body)
    section = await conn.fetchval(
        "insert into sections (document_id, position, title, body_md, body_html, search_text, content_hash, "
        "ack_hash) values ($1, $2, $3, $4, $5, $6, $7, $7) returning id",
        document,
        position,
        title,
        body_md,
        body_html,
        text,
        digest,
    )
    return str(section)
