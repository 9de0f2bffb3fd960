"""Scheduled work of the meetings domain: plain async functions the scheduler (api/scheduler.py) calls."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from api.db import Connection
from api.meetings import recurrence
from api.meetings.templates import materialise
from api.sql import load_queries

Q = load_queries(Path(__file__).with_name("jobs.sql"))

BATCH = 50
"""Branches per transaction: their due templates stay locked only that long (a secretary editing one waits)."""


async def materialise_due(conn: Connection, now: datetime) -> int:
    """Create the occurrences every active template owes up to its horizon, branch by branch.

    Templates make their first occurrences when created or changed; this job keeps their horizon moving
    as the months pass. Idempotent and safe to run concurrently (:func:`api.meetings.templates.materialise`
    locks the due templates, and (template, month) is unique): a second run waits, then finds nothing owed.
    Each batch of branches commits on its own (a savepoint when the caller holds a transaction).

    Args:
        conn: a connection; transactions are opened here.
        now: the time to judge the current month and the meetings already past by (the scheduler's clock).

    Returns:
        How many occurrences were created.
    """
    current = recurrence.month_of(now)
    created, after = 0, 0
    while True:
        branch_ids: list[int] = [
            row["branch_id"] for row in await conn.fetch(Q["owed_branches"], current, after, BATCH)
        ]
        if not branch_ids:
            return created
        async with conn.transaction():
            created += await materialise(conn, branch_ids, now)
        if len(branch_ids) < BATCH:
            return created
        after = branch_ids[-1]
