"""Matrix rows: reports, the moderation queue, moderators' actions and appeals.

Reports target an FAQ entry of the demo commune ("in") or of another commune ("out"): whoever can read
it may report it. Acting needs a moderator or admin over the item's unit (404 elsewhere). Appeals are
for the author of the hidden item (demo.member "in", a member elsewhere "out"); the "in" case was hidden
by demo.admin, who therefore may not decide it (403), the "out" one by demo.moderator.
"""

from __future__ import annotations

from uuid import UUID

import httpx

from tests.authz.feedback import new_thread
from tests.authz.world import Request, World, get, unit

MATRIX: dict[str, dict[str, tuple[int | str, ...]]] = {
    "ReportContent": {"in": (401, 201, 201, 201, 201, 201, 201), "out": (401, 404, 404, 404, 404, 404, 201)},
    "RetractReport": {"in": (401, 204, 204, 204, 204, 204, 204), "out": (401, 404, 404, 404, 404, 404, 204)},
    "ListModerationQueue": {"in": (401, 403, 403, 403, 200, 200, 200)},
    "ModerateContent": {"in": (401, 403, 403, 403, 200, 200, 200), "out": (401, 403, 403, 403, 404, 404, 200)},
    "AppealModeration": {"in": (401, 201, 403, 403, 403, 403, 403), "out": (401, 404, 404, 404, 404, 404, 403)},
    "DecideAppeal": {"in": (401, 403, 403, 403, 200, 200, 403), "out": (401, 403, 403, 403, 404, 404, 200)},
}


async def _new_faq(world: World, scope: str) -> UUID:
    thread_id = await new_thread(world, scope, status="answered")
    faq_id: UUID = await world.sql(
        "insert into faq_entries (thread_id, unit_id, category, question, answer_md, answer_html, published_by) "
        "select $1, $2, 'general', 'Hỏi?', 'Đáp.', '<p>Đáp.</p>', id from accounts where username = 'demo.admin' "
        "returning id",
        thread_id,
        unit(world, scope)["path"][-2],
    )
    return faq_id


async def _shared_faq(world: World, scope: str) -> UUID:
    entries = world.extras.setdefault("moderation_faq", {})
    if scope not in entries:
        entries[scope] = await _new_faq(world, scope)
    return UUID(str(entries[scope]))


async def _new_case(world: World, scope: str, *, hidden_by: str, appealed: bool) -> UUID:
    """A thread by the scope's member, hidden by ``hidden_by`` (and appealed), straight into the tables."""
    thread_id = await new_thread(world, scope)
    case_id: UUID = await world.sql(
        "insert into moderation_cases (item_kind, item_id, unit_id, reason, hidden_by, appeal_text, appealed_at) "
        "select 'thread', $1, $2, 'Vi phạm', id, case when $4 then 'Kháng nghị' end, case when $4 then now() end "
        "from accounts where username = $3 returning id",
        thread_id,
        unit(world, scope)["path"][-2],
        hidden_by,
        appealed,
    )
    await world.sql("update feedback_threads set hidden_case_id = $2 where id = $1", thread_id, case_id)
    return case_id


async def _report(world: World, role: str, scope: str) -> httpx.Response:
    url = f"/api/v1/moderation/items/faq/{await _shared_faq(world, scope)}/report"
    return await world.client.post(url, headers=world.auth(role), json={"reason": "spam"})


async def _retract(world: World, role: str, scope: str) -> httpx.Response:
    url = f"/api/v1/moderation/items/faq/{await _shared_faq(world, scope)}/report"
    return await world.client.delete(url, headers=world.auth(role))


async def _moderate(world: World, role: str, scope: str) -> httpx.Response:
    url = f"/api/v1/moderation/items/faq/{await _new_faq(world, scope)}/actions"
    return await world.client.post(url, headers=world.auth(role), json={"action": "hide", "reason": "Vi phạm"})


async def _appeal(world: World, role: str, scope: str) -> httpx.Response:
    case_id = await _new_case(world, scope, hidden_by="demo.moderator", appealed=False)
    url = f"/api/v1/moderation/cases/{case_id}/appeal"
    return await world.client.post(url, headers=world.auth(role), json={"text": "Kháng nghị."})


async def _decide(world: World, role: str, scope: str) -> httpx.Response:
    hidden_by = "demo.admin" if scope == "in" else "demo.moderator"
    case_id = await _new_case(world, scope, hidden_by=hidden_by, appealed=True)
    url = f"/api/v1/moderation/cases/{case_id}/decision"
    return await world.client.post(url, headers=world.auth(role), json={"decision": "uphold"})


REQUESTS: dict[str, Request] = {
    "ReportContent": _report,
    "RetractReport": _retract,
    "ListModerationQueue": get(lambda w, s: "/api/v1/moderation/queue"),
    "ModerateContent": _moderate,
    "AppealModeration": _appeal,
    "DecideAppeal": _decide,
}
