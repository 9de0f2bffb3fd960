"""Keeps each worker's search index (api/search/index.py) current, or says that it is not.

The index is built in the background once the invalidation listener is connected, so a worker is
ready at once and answers from PostgreSQL meanwhile. Every announcement of a section or document
(api/invalidation.py, sent by triggers at commit) makes the index not current at once, in the
listener's callback, before any other request runs; a background task then reads just the announced
sections and documents again and applies them. A lost listener could have missed announcements: the
index is not current until it is back and everything has been read again. While it is not current,
:attr:`LiveSearchIndex.current` is ``None`` and searches use the SQL statement, so no answer ever
depends on an index that may be behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from api.db import Pool
from api.invalidation import InvalidationListener
from api.search.index import SearchIndex
from api.sql import queries_beside

log = logging.getLogger("ehandbook.search")

Q = queries_beside(__file__)
FULL_RELOAD_SECTIONS = 2_000
"""More sections announced at once than this (an import, a bulk edit) are read again all together."""
BUILD_SLICE_SECONDS = 0.005
"""Longest stretch of indexing between two yields to the event loop: requests keep being served while a
worker builds (in slices of 100 sections, a loaded worker answered /health/live in up to a second)."""
RETRY_SECONDS = 1.0


class LiveSearchIndex:
    """The worker's search index and whether it may be used now."""

    def __init__(self, pool: Pool, listener: InvalidationListener) -> None:
        self._pool = pool
        self._index: SearchIndex | None = None
        self._listening = False
        self._stale = True
        self._full = True
        self._sections: set[str] = set()
        self._documents: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        self._became_current = asyncio.Event()
        self.build_seconds: float | None = None
        """How long the last full build took (read, parse and index)."""
        listener.on("section", self._section_changed)
        listener.on("document", self._document_changed)
        listener.on_state(self._listening_changed)

    @property
    def current(self) -> SearchIndex | None:
        """The index when it holds every change announced so far, else ``None``."""
        return None if self._stale else self._index

    async def wait_current(self) -> SearchIndex:
        """Wait until the index is current (tests, and whoever wants to know it was built)."""
        while (index := self.current) is None:
            self._became_current.clear()
            await self._became_current.wait()
        return index

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _section_changed(self, key: str) -> None:
        if key:
            self._sections.add(key)
        else:
            self._full = True
        self._changed()

    def _document_changed(self, key: str) -> None:
        if key:
            self._documents.add(key)
        else:
            self._full = True
        self._changed()

    def _listening_changed(self, listening: bool) -> None:  # noqa: FBT001 - a state callback
        self._listening = listening
        # Announcements may have been missed while not listening: everything is read again.
        self._full = True
        self._changed()

    def _changed(self) -> None:
        self._stale = True
        if self._listening and (self._task is None or self._task.done()):
            self._task = asyncio.get_running_loop().create_task(self._catch_up(), name="search-index")

    async def _catch_up(self) -> None:
        while self._listening and (self._full or self._sections or self._documents):
            try:
                await self._apply_changes()
            except Exception:
                log.exception("search index: reading the changes failed; searching with SQL until it is read again")
                self._full = True
                await asyncio.sleep(RETRY_SECONDS)
        if self._listening and not (self._full or self._sections or self._documents):
            self._stale = False
            self._became_current.set()

    async def _apply_changes(self) -> None:
        # The announced keys are taken before the rows are read: an announcement arriving meanwhile
        # is kept for the next round, since the rows may have been read before its commit.
        if self._full or self._index is None or len(self._sections) > FULL_RELOAD_SECTIONS:
            self._full = False
            self._sections, self._documents = set(), set()
            self._index = await self._build()
            return
        sections, documents = self._sections, self._documents
        self._sections, self._documents = set(), set()
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(Q["index_changed_sections"], list(sections), list(documents))
        self._index.replace(sections, documents, rows)

    async def _build(self) -> SearchIndex:
        started = time.perf_counter()
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(Q["index_sections"])
        index = SearchIndex()
        clock = time.perf_counter
        until = clock() + BUILD_SLICE_SECONDS
        for count, row in enumerate(rows):
            index.add(row)
            if count % 8 == 0 and clock() > until:
                await asyncio.sleep(0)
                until = clock() + BUILD_SLICE_SECONDS
        index.finish()
        self.build_seconds = time.perf_counter() - started
        log.info("search index: %d sections indexed in %.2f s", len(index), self.build_seconds)
        return index
