"""Scheduled work of the feedback domain: plain async functions a job runner calls with a connection."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from api.audit.service import record
from api.context import RequestContext
from api.db import Connection
from api.feedback import notify
from api.sql import queries_beside

Q = queries_beside(__file__)

BATCH = 200
"""Threads moved per transaction: short transactions, so answering officers never wait long on a lock."""
JOB_CONTEXT = RequestContext(principal=None, ip=None, user_agent="ehandbook job: feedback escalation")


async def escalate_overdue(conn: Connection, now: datetime) -> int:
    """Move every thread left unanswered past its level's deadline one level up, and tell both sides.

    Idempotent and safe to run concurrently: rows are claimed with FOR UPDATE SKIP LOCKED, and a moved
    thread's deadline restarts at ``now``, so a second run (or a repeat) finds nothing more to move. Each
    batch commits with its notifications and audit rows (a savepoint when the caller holds a transaction).

    Args:
        conn: a connection; transactions are opened here.
        now: the time to judge deadlines by (the scheduler's clock; tests pass their own).

    Returns:
        How many threads were moved.
    """
    moved = 0
    while True:
        async with conn.transaction():
            rows = await conn.fetch(Q["escalate_overdue"], now, BATCH)
            for row in rows:
                await _announce(conn, row)
        moved += len(rows)
        if len(rows) < BATCH:
            return moved


async def _announce(conn: Connection, row: Any) -> None:
    thread_id = row["id"]
    await record(
        conn,
        JOB_CONTEXT,
        "feedback_escalated",
        target=f"feedback:{thread_id}",
        unit_id=row["to_unit"],
        details={"from_unit": row["from_unit"], "from_level": row["from_level"], "to_level": row["to_level"]},
    )
    word = notify.KIND_WORDS[row["kind"]]
    await notify.tell_asker(
        conn,
        thread_id,
        kind="feedback.escalated",
        title=f"{word} của bạn đã được chuyển lên {row['to_name']}",
        body=row["title"] or "Chưa được trả lời đúng hạn nên đã chuyển lên cấp trên.",
    )
    officers = await notify.responsible_members(conn, row["to_unit"], row["to_level"])
    officers += await notify.responsible_members(conn, row["from_unit"], row["from_level"])
    await notify.notify(
        conn,
        thread_id,
        tuple(dict.fromkeys(officers)),
        kind="feedback.escalated",
        title="Góp ý quá hạn được chuyển lên cấp trên",
        body=f"{word} chưa được trả lời đúng hạn, nay do {row['to_name']} giải quyết.",
    )
