"""Matrix rows: notices, the feed, read receipts and reminders.

"In" notices are addressed to the demo branch, "out" ones to a branch of another commune. Posting
roles manage the notices of their subtree; members read those of their branch and the units above
it. Reading and acknowledging are for the members a notice is addressed to: staff who may see it
but are not among them get 403; everyone else 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import httpx

from tests.authz.world import Request, World, get, unit

MATRIX: dict[str, dict[str, tuple[int | str, ...]]] = {
    "CreateNotice": {"in": (401, 403, 201, 201, 403, 201, 201), "out": (401, 403, 404, 404, 403, 404, 201)},
    "ListNotices": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "ListManagedNotices": {"in": (401, 403, 200, 200, 403, 200, 200)},
    "GetNotice": {"in": (401, 200, 200, 200, 404, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "UpdateNotice": {"in": (401, 403, 200, 200, 403, 200, 200), "out": (401, 403, 404, 404, 403, 404, 200)},
    "WithdrawNotice": {"in": (401, 403, 200, 200, 403, 200, 200), "out": (401, 403, 404, 404, 403, 404, 200)},
    "MarkNoticeRead": {"in": (401, 200, 200, 403, 404, 403, 403), "out": (401, 404, 404, 404, 404, 404, 403)},
    "AcknowledgeNotice": {"in": (401, 200, 200, 403, 404, 403, 403), "out": (401, 404, 404, 404, 404, 404, 403)},
    "GetNoticeReceipts": {"in": (401, 403, 200, 200, 403, 200, 200), "out": (401, 403, 404, 404, 403, 404, 200)},
    "RemindNotice": {"in": (401, 403, 200, 200, 403, 200, 200), "out": (401, 403, 404, 404, 403, 404, 200)},
    "GetNoticeDelivery": {"in": (401, 403, 200, 200, 403, 200, 200), "out": (401, 403, 404, 404, 403, 404, 200)},
}


async def _fresh(world: World, scope: str) -> UUID:
    """A new published notice asking for acknowledgement, straight into the table: one per request where
    the first request would change what the next one finds (a withdrawal, a reminder)."""
    notice_id: UUID = await world.sql(
        "insert into notices (id, unit_id, author_id, author_name, title, body_md, body_html, summary, requires_ack) "
        "select $1, $2, id, 'Ma trận', 'Thông báo', 'Nội dung.', '<p>Nội dung.</p>', 'Nội dung.', true "
        "from accounts where username = 'demo.admin' returning id",
        uuid4(),
        unit(world, scope)["id"],
    )
    return notice_id


async def _shared(world: World, scope: str) -> UUID:
    notices = world.extras.setdefault("notices", {})
    if scope not in notices:
        notices[scope] = await _fresh(world, scope)
    return UUID(str(notices[scope]))


def _on_notice(
    suffix: str, method: str = "GET", body: Callable[[World, UUID], Any] | None = None, *, fresh: bool = False
) -> Request:
    async def request(world: World, role: str, scope: str) -> httpx.Response:
        notice_id = await (_fresh(world, scope) if fresh else _shared(world, scope))
        url = f"/api/v1/notices/{notice_id}{suffix}"
        payload = await body(world, notice_id) if body is not None else None
        return await world.client.request(method, url, headers=world.auth(role), json=payload)

    return request


async def _revision(world: World, notice_id: UUID) -> dict[str, Any]:
    return {"revision": await world.sql("select revision from notices where id = $1", notice_id)}


async def _edit(world: World, notice_id: UUID) -> dict[str, Any]:
    return {**await _revision(world, notice_id), "pinned": True}


async def _create(world: World, role: str, scope: str) -> httpx.Response:
    body = {"title": "Thông báo", "body": "Nội dung.", "unit_id": unit(world, scope)["id"]}
    return await world.client.post("/api/v1/notices", headers=world.auth(role), json=body)


REQUESTS: dict[str, Request] = {
    "CreateNotice": _create,
    "ListNotices": get(lambda w, s: "/api/v1/notices"),
    "ListManagedNotices": get(lambda w, s: "/api/v1/notices/managed"),
    "GetNotice": _on_notice(""),
    "UpdateNotice": _on_notice("", "PUT", _edit),
    "WithdrawNotice": _on_notice("/withdraw", "POST", _revision, fresh=True),
    "MarkNoticeRead": _on_notice("/read", "POST"),
    "AcknowledgeNotice": _on_notice("/acknowledge", "POST"),
    "GetNoticeReceipts": _on_notice("/receipts"),
    "RemindNotice": _on_notice("/remind", "POST", fresh=True),
    "GetNoticeDelivery": _on_notice("/delivery"),
}
