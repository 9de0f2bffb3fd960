"""The push funnel of a notice: reached in the inbox, taken by the phone, shown, tapped; per branch.

Counts only, in the caller's follow-up scope (as for receipts). The totals by push-service answer
(gone, failed, ...) cover the whole notice, so they are shown only to those who follow up all of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec

from api.notices.receipts import follow_up_roots
from api.notices.schemas import BranchDelivery, NoticeDelivery, PushTotals
from api.notices.service import NoticeService, source_of
from api.sql import load_queries

Q = load_queries(Path(__file__).with_name("delivery.sql"))


async def funnel(notices: NoticeService, notice_id: UUID) -> NoticeDelivery:
    """Per-branch delivery figures of a notice the caller may follow up."""
    row = await notices.visible(notice_id)
    roots = await follow_up_roots(notices, row)
    source = source_of(notice_id)
    rows = await notices.conn.fetch(Q["funnel_by_branch"], source, list(roots))
    branches = [msgspec.convert(dict(r), BranchDelivery) for r in rows]
    total = BranchDelivery(
        unit_id=None,
        code="",
        name="",
        targeted=sum(b.targeted for b in branches),
        delivered=sum(b.delivered for b in branches),
        shown=sum(b.shown for b in branches),
        clicked=sum(b.clicked for b in branches),
    )
    push = None
    if row["unit_id"] in roots:
        totals: Any = await notices.conn.fetchrow(Q["push_totals"], source)  # an aggregate: always one row
        push = msgspec.convert(dict(totals), PushTotals)
    return NoticeDelivery(notice_id=notice_id, total=total, branches=branches, push=push)
