"""Matrix rows: feedback threads and FAQ entries.

"In" threads come from demo.member (the demo branch), addressed to the demo commune; "out" threads from
a member of another commune. Staff over the asker's branch see a thread; only the officers of the level
addressed answer it (403 to other staff who see it); only the asker rates, reopens and consents; only the
committee's moderators look up an asker. Everyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID, uuid4

import httpx

from tests.authz.world import Request, World, get, unit

MATRIX: dict[str, dict[str, tuple[int | str, ...]]] = {
    "CreateFeedback": {"in": (401, 201, 201, 403, 403, 403, 403)},
    "ListMyFeedback": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "ListFeedbackInbox": {"in": (401, 403, 200, 200, 200, 200, 200)},
    "GetFeedback": {"in": (401, 200, 200, 200, 200, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "ReplyFeedback": {"in": (401, 201, 403, 201, 201, 201, 201), "out": (401, 404, 404, 404, 404, 404, 201)},
    "SetFeedbackStatus": {"in": (401, 403, 403, 200, 200, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "RateFeedback": {"in": (401, 200, 403, 403, 403, 403, 403), "out": (401, 404, 404, 404, 404, 404, 403)},
    "ReopenFeedback": {"in": (401, 200, 403, 403, 403, 403, 403), "out": (401, 404, 404, 404, 404, 404, 403)},
    "SetFaqConsent": {"in": (401, 200, 403, 403, 403, 403, 403), "out": (401, 404, 404, 404, 404, 404, 403)},
    "RevealFeedbackAuthor": {"in": (401, 403, 403, 403, 200, 403, 403), "out": (401, 403, 403, 403, 404, 403, 403)},
    "PublishFaq": {"in": (401, 403, 403, 201, 201, 201, 201), "out": (401, 403, 404, 404, 404, 404, 201)},
    "ListFaq": {"in": (401, 200, 200, 200, 200, 200, 200)},
}


async def new_thread(world: World, scope: str, *, status: str = "new", anonymous: bool = False) -> UUID:
    """A commune-level thread straight into the table (one per request where requests change it)."""
    thread_id: UUID = await world.sql(
        "insert into feedback_threads (id, author_account_id, author_member_id, origin_branch_id, unit_id, level, "
        "kind, category, body, anonymous, faq_consent, status, answered_at, closed_at) "
        "select $1, a.id, m.id, m.branch_id, $3, 'commune', 'question', 'general', 'Câu hỏi.', $4, true, $5, "
        "case when $5 in ('answered', 'closed') then now() end, case when $5 = 'closed' then now() end "
        "from members m join accounts a on a.member_id = m.id where m.id = $2 returning id",
        uuid4(),
        world.member_in if scope == "in" else world.member_out,
        unit(world, scope)["path"][-2],
        anonymous,
        status,
    )
    return thread_id


def _on_thread(
    suffix: str,
    method: str = "GET",
    body: dict[str, Any] | None = None,
    *,
    status: str = "new",
    anonymous: bool = False,
) -> Request:
    async def request(world: World, role: str, scope: str) -> httpx.Response:
        thread_id = await new_thread(world, scope, status=status, anonymous=anonymous)
        url = f"/api/v1/feedback/{thread_id}{suffix}"
        return await world.client.request(method, url, headers=world.auth(role), json=body)

    return request


def _post(path: str, body: Callable[[World, str], Awaitable[dict[str, Any]]]) -> Request:
    async def request(world: World, role: str, scope: str) -> httpx.Response:
        return await world.client.post(path, headers=world.auth(role), json=await body(world, scope))

    return request


async def _ask(world: World, scope: str) -> dict[str, Any]:
    return {"body": "Góp ý."}


async def _publish(world: World, scope: str) -> dict[str, Any]:
    thread_id = await new_thread(world, scope, status="answered")
    return {"thread_id": str(thread_id), "question": "Câu hỏi chung?", "answer_md": "Câu trả lời."}


REQUESTS: dict[str, Request] = {
    "CreateFeedback": _post("/api/v1/feedback", _ask),
    "ListMyFeedback": get(lambda w, s: "/api/v1/feedback/mine"),
    "ListFeedbackInbox": get(lambda w, s: "/api/v1/feedback/inbox"),
    "GetFeedback": _on_thread(""),
    "ReplyFeedback": _on_thread("/replies", "POST", {"body": "Trả lời."}),
    "SetFeedbackStatus": _on_thread("/status", "POST", {"status": "acknowledged"}),
    "RateFeedback": _on_thread("/rating", "POST", {"rating": 4}, status="answered"),
    "ReopenFeedback": _on_thread("/reopen", "POST", {}, status="closed"),
    "SetFaqConsent": _on_thread("/faq-consent", "PUT", {"consent": False}),
    "RevealFeedbackAuthor": _on_thread("/author", "POST", anonymous=True),
    "PublishFaq": _post("/api/v1/faq", _publish),
    "ListFaq": get(lambda w, s: "/api/v1/faq"),
}
