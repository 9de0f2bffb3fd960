"""Demo and benchmark data: every branch gets its monthly meeting template, and its next meetings exist."""

from __future__ import annotations

from datetime import UTC, datetime

from api.db import Connection
from api.meetings.access import Q
from api.meetings.recurrence import add_months, month_of
from api.meetings.templates import materialise

_AGENDA = (
    "1. Đánh giá kết quả thực hiện nhiệm vụ tháng\n"
    "2. Phương hướng, nhiệm vụ tháng tới\n"
    "3. Sinh hoạt chuyên đề (nếu có)\n"
    "4. Ý kiến của đảng viên"
)


async def seed_meetings(conn: Connection) -> int:
    """Give each branch without a template a monthly one (days spread over the month, evening meetings) and
    materialise it; returns how many meetings were made. Running it again makes nothing new."""
    now = datetime.now(UTC)
    rows = await conn.fetch(Q["seed_templates"], _AGENDA, add_months(month_of(now), -1))
    branches = [row["branch_id"] for row in rows]
    return await materialise(conn, branches, now) if branches else 0
