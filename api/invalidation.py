"""Change announcements from PostgreSQL to every worker's local caches (LISTEN/NOTIFY).

Writers announce with ``pg_notify('ehb_invalidate', '<kind>:<key>')`` inside their transaction (many
from triggers, so no writer can forget): PostgreSQL delivers it only when, and if, the transaction
commits, to every listening worker on every machine. Each worker holds one listening connection;
when it drops, the caches are cleared and switched off until it is back, since changes made
meanwhile would go unheard.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Callable
from typing import Any

import asyncpg

from api.db import Connection, connect

log = logging.getLogger("ehandbook.invalidation")

CHANNEL = "ehb_invalidate"
RECONNECT_SECONDS = (0.5, 1, 2, 5, 10)

Handler = Callable[[str], None]
"""Called with the key part of an announcement of its kind (and with "" when everything must go)."""


async def announce(conn: Connection, kind: str, key: str) -> None:
    """Announce a change in the caller's transaction (delivered at commit)."""
    await conn.execute("select pg_notify($1, $2)", CHANNEL, f"{kind}:{key}")


class InvalidationListener:
    """One LISTEN connection per worker, dispatching announcements to the caches that registered."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._handlers: dict[str, list[Handler]] = {}
        self._on_state: list[Callable[[bool], None]] = []
        self._conn: asyncpg.Connection[Any] | None = None
        self._task: asyncio.Task[None] | None = None
        self._lost = asyncio.Event()

    def on(self, kind: str, handler: Handler) -> None:
        self._handlers.setdefault(kind, []).append(handler)

    def off(self, kind: str, handler: Handler) -> None:
        """Stop calling a handler (a live stream that ended); unknown handlers are ignored."""
        handlers = self._handlers.get(kind, [])
        if handler in handlers:
            handlers.remove(handler)

    def on_state(self, callback: Callable[[bool], None]) -> None:
        """``callback(True)`` once listening (caches may serve), ``callback(False)`` when it is lost."""
        self._on_state.append(callback)

    async def start(self) -> None:
        await self._connect()
        self._task = asyncio.create_task(self._keep_listening(), name="invalidation-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._set_state(listening=False)
        if self._conn is not None and not self._conn.is_closed():
            await self._conn.close()

    async def _connect(self) -> None:
        conn = await connect(self._dsn)
        await conn.add_listener(CHANNEL, self._dispatch)
        conn.add_termination_listener(lambda _: self._lost.set())
        self._conn = conn
        self._lost.clear()
        self._set_state(listening=True)

    async def _keep_listening(self) -> None:
        while True:
            await self._lost.wait()
            self._set_state(listening=False)
            log.warning("invalidation listener lost its connection; local caches off until it is back")
            for delay in itertools.chain(RECONNECT_SECONDS, itertools.repeat(RECONNECT_SECONDS[-1])):
                await asyncio.sleep(delay)
                try:
                    await self._connect()
                except (OSError, asyncpg.PostgresError):
                    continue
                log.info("invalidation listener reconnected")
                break

    def _set_state(self, *, listening: bool) -> None:
        for callback in self._on_state:
            callback(listening)

    def _dispatch(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        kind, _, key = str(payload).partition(":")
        for handler in tuple(self._handlers.get(kind, ())):  # a handler may remove itself
            handler(key)
