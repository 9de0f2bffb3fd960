"""Matrix rows: branch meetings, templates, RSVPs, absences, check-in, attendance, minutes and quality.

"In" meetings belong to the demo branch, "out" ones to a branch of another commune; both are under way
(check-in is open). Managing is for the branch's secretaries and deputies; answering, asking to be excused
and checking in for the branch's members (committee staff who may see the meeting get 403); reading for
the branch's members and the committees above.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx

from api.meetings import codes
from tests.authz.world import Request, World, unit

LEAD = {"in": (401, 403, 200, 403, 403, 403, 403), "out": (401, 403, 404, 403, 403, 403, 403)}
LEAD_CREATE = {"in": (401, 403, 201, 403, 403, 403, 403), "out": (401, 403, 404, 403, 403, 403, 403)}
READ = {"in": (401, 200, 200, 200, 404, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)}
TAKE_PART = {"in": (401, 200, 200, 403, 404, 403, 403), "out": (401, 404, 404, 404, 404, 404, 403)}

MATRIX: dict[str, dict[str, tuple[int | str, ...]]] = {
    "CreateMeetingTemplate": LEAD_CREATE,
    "ListMeetingTemplates": {"in": LEAD["in"]},
    "UpdateMeetingTemplate": LEAD,
    "MaterialiseMeetingTemplate": LEAD,
    "CreateMeeting": LEAD_CREATE,
    "ListMeetings": READ,
    "GetMeeting": READ,
    "UpdateMeeting": LEAD,
    "CancelMeeting": LEAD,
    "PublishMinutes": LEAD,
    "RsvpMeeting": TAKE_PART,
    "RequestAbsence": {"in": (401, 201, 201, 403, 404, 403, 403), "out": TAKE_PART["out"]},
    "DecideAbsence": LEAD,
    "GetCheckInCode": LEAD,
    "CheckIn": TAKE_PART,
    "GetMeetingAttendance": LEAD,
    "MarkAttendance": LEAD,
    "GetMeetingQuality": {"in": (401, 403, 200, 200, 403, 200, 200), "out": (401, 403, 404, 404, 403, 404, 200)},
}


async def _new_meeting(world: World, scope: str) -> UUID:
    """A meeting under way in the scope's branch, straight into the table (nobody in the matrix leads "out")."""
    now = datetime.now(UTC)
    meeting_id = uuid4()
    await world.sql(
        "insert into meetings (id, branch_id, kind, title, starts_at, ends_at, place, agenda_md, agenda_html, "
        "checkin_secret) values ($1, $2, 'thematic', 'Sinh hoạt chuyên đề', $3, $4, 'Hội trường', '', '', $5)",
        meeting_id,
        unit(world, scope)["id"],
        now - timedelta(minutes=10),
        now + timedelta(hours=2),
        codes.new_secret(),
    )
    return meeting_id


async def _meeting(world: World, scope: str) -> UUID:
    meetings = world.extras.setdefault("meetings", {})
    if scope not in meetings:
        meetings[scope] = await _new_meeting(world, scope)
    meeting_id: UUID = meetings[scope]
    return meeting_id


async def _template(world: World, scope: str) -> UUID:
    templates = world.extras.setdefault("meeting_templates", {})
    if scope not in templates:
        templates[scope] = await world.sql(
            "insert into meeting_templates (branch_id, title, day_of_month, local_time, duration_minutes, place, "
            "agenda_md, months_ahead, materialised_through) values ($1, 'Sinh hoạt thường kỳ', 15, '19:30', 120, "
            "'', '', 3, (date_trunc('month', now()) - interval '1 month')::date) returning id",
            unit(world, scope)["id"],
        )
    template_id: UUID = templates[scope]
    return template_id


def _on_meeting(
    suffix: str,
    body: Callable[[World, str], Awaitable[Any]] | None = None,
    method: str = "GET",
    *,
    fresh: bool = False,
) -> Request:
    async def request(world: World, role: str, scope: str) -> httpx.Response:
        meeting_id = await (_new_meeting(world, scope) if fresh else _meeting(world, scope))
        url = f"/api/v1/meetings/{meeting_id}{suffix}"
        if method == "GET":
            return await world.client.get(url, headers=world.auth(role))
        payload = await body(world, scope) if body is not None else {}
        return await world.client.request(method, url, headers=world.auth(role), json=payload)

    return request


def _on_template(suffix: str, body: dict[str, Any], method: str) -> Request:
    async def request(world: World, role: str, scope: str) -> httpx.Response:
        url = f"/api/v1/meetings/templates/{await _template(world, scope)}{suffix}"
        return await world.client.request(method, url, headers=world.auth(role), json=body)

    return request


async def _create_template(world: World, role: str, scope: str) -> httpx.Response:
    body = {"branch_id": unit(world, scope)["id"], "day_of_month": 5, "local_time": "08:00"}
    return await world.client.post("/api/v1/meetings/templates", headers=world.auth(role), json=body)


async def _create_meeting(world: World, role: str, scope: str) -> httpx.Response:
    body = {
        "branch_id": unit(world, scope)["id"],
        "title": "Chuyên đề học tập",
        "starts_at": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
    }
    return await world.client.post("/api/v1/meetings", headers=world.auth(role), json=body)


async def _decide(world: World, role: str, scope: str) -> httpx.Response:
    # A fresh meeting and request each time: a member has one open request per meeting.
    meeting_id = await _new_meeting(world, scope)
    absence_id = await world.sql(
        "insert into meeting_absences (id, meeting_id, member_id, reason) values ($1, $2, $3, 'Đi công tác') "
        "returning id",
        uuid4(),
        meeting_id,
        world.member_in if scope == "in" else world.member_out,
    )
    return await world.client.post(
        f"/api/v1/meetings/absences/{absence_id}/decision", headers=world.auth(role), json={"decision": "approve"}
    )


async def _check_in(world: World, role: str, scope: str) -> httpx.Response:
    meeting_id = await _meeting(world, scope)
    secret = await world.sql("select checkin_secret from meetings where id = $1", meeting_id)
    code = codes.code_at(secret, codes.step_of(datetime.now(UTC)))
    return await world.client.post(
        f"/api/v1/meetings/{meeting_id}/check-ins",
        headers=world.auth(role),
        json={"check_in_id": str(uuid4()), "code": code},
    )


async def _rsvp_body(world: World, scope: str) -> Any:
    return {"rsvp_id": str(uuid4()), "response": "attending"}


async def _absence_body(world: World, scope: str) -> Any:
    return {"absence_id": str(uuid4()), "reason": "Đi khám bệnh"}


async def _marks_body(world: World, scope: str) -> Any:
    return {"marks": [{"member_id": str(world.member_in if scope == "in" else world.member_out), "present": True}]}


async def _update_body(world: World, scope: str) -> Any:
    return {"place": "Nhà văn hóa ấp"}


async def _minutes_body(world: World, scope: str) -> Any:
    return {"minutes_md": "Biên bản **buổi sinh hoạt**."}


def _list(world: World, scope: str) -> str:
    return f"/api/v1/meetings?branch_id={unit(world, scope)['id']}"


async def _list_meetings(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.get(_list(world, scope), headers=world.auth(role))


async def _quality(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.get(
        f"/api/v1/meetings/quality?unit_id={unit(world, scope)['id']}", headers=world.auth(role)
    )


async def _list_templates(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.get("/api/v1/meetings/templates", headers=world.auth(role))


REQUESTS: dict[str, Request] = {
    "CreateMeetingTemplate": _create_template,
    "ListMeetingTemplates": _list_templates,
    "UpdateMeetingTemplate": _on_template("", {"place": "Hội trường xã"}, "PUT"),
    "MaterialiseMeetingTemplate": _on_template("/materialise", {}, "POST"),
    "CreateMeeting": _create_meeting,
    "ListMeetings": _list_meetings,
    "GetMeeting": _on_meeting(""),
    "UpdateMeeting": _on_meeting("", _update_body, "PUT", fresh=True),
    "CancelMeeting": _on_meeting("/cancel", None, "POST", fresh=True),
    "PublishMinutes": _on_meeting("/minutes", _minutes_body, "POST"),
    "RsvpMeeting": _on_meeting("/rsvp", _rsvp_body, "POST"),
    "RequestAbsence": _on_meeting("/absences", _absence_body, "POST"),
    "DecideAbsence": _decide,
    "GetCheckInCode": _on_meeting("/check-in-code"),
    "CheckIn": _check_in,
    "GetMeetingAttendance": _on_meeting("/attendance"),
    "MarkAttendance": _on_meeting("/attendance", _marks_body, "POST"),
    "GetMeetingQuality": _quality,
}
