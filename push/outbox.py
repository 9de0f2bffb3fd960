"""Expand waiting notification rows of the outbox into members' inboxes.

The dispatcher calls :func:`expand_outbox` before fanning pushes out: the inbox is written first and
in PostgreSQL, so a member sees every notification even when no push ever arrives. Each outbox row
becomes one ``INSERT ... SELECT`` (a province-wide notice is 131,000 rows in one statement, not
131,000 round trips), and ``unique (outbox_id, member_id)`` makes a repeat after a crash harmless.
"""

from __future__ import annotations

import logging
from pathlib import Path

import msgspec

from api.db import Connection
from api.outbox.schemas import NotificationIntent
from api.sql import load_queries

Q = load_queries(Path(__file__).with_name("outbox.sql"))
DEFAULT_BATCH = 50
"""Outbox rows per transaction; each may fan out to a whole province, so batches stay small."""

log = logging.getLogger("ehandbook.push.outbox")


async def expand_outbox(conn: Connection, batch: int = DEFAULT_BATCH) -> int:
    """Write the inbox rows of due notification rows and mark those rows dispatched.

    Rows locked by another dispatcher are skipped, not waited for. A row whose payload is no
    :class:`NotificationIntent` (written by a buggy release) is logged and marked dispatched, so
    that it cannot block the rows behind it forever.

    Args:
        conn: A connection outside any transaction; this function opens its own.
        batch: At most this many outbox rows are taken.

    Returns:
        How many outbox rows were expanded (including unreadable ones).
    """
    async with conn.transaction():
        rows = await conn.fetch(Q["take_waiting"], batch)
        for row in rows:
            try:
                intent = msgspec.convert(row["payload"], NotificationIntent)
            except msgspec.ValidationError:
                log.exception("outbox row %s is not a notification intent", row["id"])
                continue
            await conn.execute(
                Q["insert_inbox"],
                row["id"],
                intent.kind,
                intent.category,
                intent.title,
                intent.body,
                intent.url,
                list(intent.audience.units),
                list(intent.audience.members),
                row["source"],
            )
        if rows:
            await conn.execute(Q["mark_dispatched"], [row["id"] for row in rows])
    return len(rows)
