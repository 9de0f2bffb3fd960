"""Branch meetings end to end: a monthly template, RSVPs, an excused absence, check-in online and offline,
minutes, and the meeting's quality band."""

from __future__ import annotations

import base64
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar.testing import AsyncTestClient

from api.meetings import codes
from api.settings import Settings
from tests.helpers import bearer
from tests.meetings.support import MEETINGS, Branch, demo_branch, more_members, published_document, sql

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _expected_months(now: datetime, day: int, hour: int, minute: int, months_ahead: int) -> set[tuple[int, int]]:
    """The (year, month) of every occurrence a fresh template owes, worked out independently of the service."""
    local = now.astimezone(VIETNAM)
    found = set()
    for offset in range(months_ahead + 1):
        index = local.year * 12 + local.month - 1 + offset
        year, month = divmod(index, 12)
        month += 1
        starts = datetime(year, month, day, hour, minute, tzinfo=VIETNAM)
        if starts > now:
            found.add((year, month))
    return found


def _months(items: list[dict[str, Any]]) -> list[tuple[int, int]]:
    starts = [datetime.fromisoformat(item["starts_at"]).astimezone(VIETNAM) for item in items]
    return [(s.year, s.month) for s in starts]


def _band(percent: float) -> str:
    if percent >= 90:
        return "at_least_90"
    if percent >= 75:
        return "75_to_90"
    if percent >= 65:
        return "65_to_75"
    return "below_65"


def _secret(code_view: dict[str, Any]) -> bytes:
    text = code_view["secret"]
    return base64.b32decode(text + "=" * (-len(text) % 8))


async def _template_occurrences(client: AsyncTestClient[Any], branch: Branch, template_id: str) -> list[dict[str, Any]]:
    page = (await client.get(f"{MEETINGS}?limit=100", headers=branch.member)).json()
    return [item for item in page["items"] if item["template_id"] == template_id]


async def test_monthly_template_materialises_each_month_once(client: AsyncTestClient[Any], database_url: str) -> None:
    branch = await demo_branch(client, database_url)
    body = {
        "day_of_month": 15,
        "local_time": "19:30",
        "place": "Nhà văn hóa ấp 3",
        "agenda_md": "1. Đánh giá tháng\n2. Nhiệm vụ tháng tới <script>alert(1)</script>",
    }
    created = await client.post(f"{MEETINGS}/templates", headers=branch.secretary, json=body)
    assert created.status_code == 201, created.text
    template = created.json()
    expected = _expected_months(datetime.now(UTC), 15, 19, 30, 3)
    assert set(_months(template["upcoming"])) == expected

    first = await _template_occurrences(client, branch, template["id"])
    second = await _template_occurrences(client, branch, template["id"])
    again = await client.post(f"{MEETINGS}/templates/{template['id']}/materialise", headers=branch.secretary)
    assert again.status_code == 200, again.text
    assert [m["id"] for m in first] == [m["id"] for m in second] == [m["id"] for m in again.json()["upcoming"]]
    assert sorted(_months(first)) == sorted(expected), "one meeting per month, none twice"
    stored = await sql(database_url, "select count(*) from meetings where template_id = $1", uuid.UUID(template["id"]))
    assert stored[0]["count"] == len(expected)

    local = datetime.fromisoformat(first[0]["starts_at"]).astimezone(VIETNAM)
    assert (local.day, local.hour, local.minute) == (15, 19, 30)
    detail = (await client.get(f"{MEETINGS}/{first[0]['id']}", headers=branch.member)).json()
    assert detail["kind"] == "regular"
    assert "<script" not in detail["agenda_html"]
    assert "<ol>" in detail["agenda_html"]

    # The secretary moves one occurrence by hand, then the template to 20:00: the others follow, that one not.
    moved = await client.put(f"{MEETINGS}/{first[0]['id']}", headers=branch.secretary, json={"place": "Hội trường xã"})
    assert moved.status_code == 200, moved.text
    changed = await client.put(
        f"{MEETINGS}/templates/{template['id']}", headers=branch.secretary, json={"local_time": "20:00"}
    )
    assert changed.status_code == 200, changed.text
    after = await _template_occurrences(client, branch, template["id"])
    hours = {m["id"]: datetime.fromisoformat(m["starts_at"]).astimezone(VIETNAM).hour for m in after}
    assert hours[first[0]["id"]] == 19
    assert all(hour == 20 for meeting_id, hour in hours.items() if meeting_id != first[0]["id"])
    notified = await sql(database_url, "select count(*) from outbox where source like 'meeting:%'")
    assert notified[0]["count"] == len(expected), "one push per moved meeting (the hand-moved one: its own)"


async def test_change_and_cancel_notify_the_branch_at_high_urgency(
    client: AsyncTestClient[Any], database_url: str
) -> None:
    branch = await demo_branch(client, database_url)
    starts = datetime.now(UTC) + timedelta(days=10)
    created = await client.post(
        MEETINGS, headers=branch.secretary, json={"title": "Chuyên đề", "starts_at": starts.isoformat()}
    )
    assert created.status_code == 201, created.text
    meeting = created.json()
    source = f"meeting:{meeting['id']}"

    retitled = await client.put(f"{MEETINGS}/{meeting['id']}", headers=branch.secretary, json={"title": "Chuyên đề 2"})
    assert retitled.status_code == 200
    assert await sql(database_url, "select 1 from outbox where source = $1", source) == [], "no push for a title"

    later = (starts + timedelta(hours=1)).isoformat()
    moved = await client.put(f"{MEETINGS}/{meeting['id']}", headers=branch.secretary, json={"starts_at": later})
    assert moved.status_code == 200, moved.text
    rows = await sql(database_url, "select payload from outbox where source = $1", source)
    assert len(rows) == 1
    payload = rows[0]["payload"]
    assert (payload["kind"], payload["urgency"], payload["category"]) == ("meeting.changed", "high", "meeting")
    assert payload["audience"]["units"] == [branch.id]

    cancelled = await client.post(
        f"{MEETINGS}/{meeting['id']}/cancel", headers=branch.secretary, json={"reason": "Trùng lịch họp xã"}
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    rows = await sql(database_url, "select payload from outbox where source = $1", source)
    assert [row["payload"]["kind"] for row in rows] == ["meeting.cancelled"], "the stale change is withdrawn"
    assert "Trùng lịch họp xã" in rows[0]["payload"]["body"]

    again = await client.post(f"{MEETINGS}/{meeting['id']}/cancel", headers=branch.secretary, json={})
    assert again.status_code == 200
    assert len(await sql(database_url, "select 1 from outbox where source = $1", source)) == 1
    refused = await client.put(f"{MEETINGS}/{meeting['id']}", headers=branch.secretary, json={"place": "Khác"})
    assert refused.status_code == 409
    upcoming = (await client.get(MEETINGS, headers=branch.member)).json()["items"]
    assert meeting["id"] not in [m["id"] for m in upcoming]
    with_cancelled = (await client.get(f"{MEETINGS}?include_cancelled=true", headers=branch.member)).json()["items"]
    assert meeting["id"] in [m["id"] for m in with_cancelled]


@dataclass
class Day:
    """One meeting under way and the people in it."""

    client: AsyncTestClient[Any]
    database_url: str
    branch: Branch
    url: str
    excused: tuple[UUID, dict[str, str]]
    offline: tuple[UUID, dict[str, str]]


async def test_meeting_day_from_rsvp_to_quality_band(
    client: AsyncTestClient[Any], database_url: str, settings: Settings
) -> None:
    branch = await demo_branch(client, database_url)
    excused, offline = await more_members(client, database_url, settings, branch.id, 2)
    created = await client.post(
        MEETINGS,
        headers=branch.secretary,
        json={
            "id": str(uuid.uuid4()),
            "title": "Sinh hoạt chuyên đề tháng",
            "starts_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
            "place": "Hội trường ấp",
            "materials": [await published_document(database_url)],
        },
    )
    assert created.status_code == 201, created.text
    day = Day(client, database_url, branch, f"{MEETINGS}/{created.json()['id']}", excused, offline)
    await _answer_and_excuse(day)
    await _check_in_online_and_offline(day)
    await _mark_by_hand(day)
    await _minutes_and_quality(day)


async def _answer_and_excuse(day: Day) -> None:
    client, url, branch = day.client, day.url, day.branch
    # The member answers; a replay, and an older answer arriving late, change nothing.
    answer = {"rsvp_id": str(uuid.uuid4()), "response": "attending"}
    assert (await client.post(f"{url}/rsvp", headers=branch.member, json=answer)).status_code == 200
    assert (await client.post(f"{url}/rsvp", headers=branch.member, json=answer)).json()["response"] == "attending"
    earlier = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    stale = {"rsvp_id": str(uuid.uuid4()), "response": "not_attending", "answered_at": earlier}
    assert (await client.post(f"{url}/rsvp", headers=branch.member, json=stale)).json()["response"] == "attending"

    # Another asks to be excused; a second open request is refused; the secretary approves.
    excused = day.excused[1]
    request = {"absence_id": str(uuid.uuid4()), "reason": "Đi viện thăm mẹ"}
    asked = await client.post(f"{url}/absences", headers=excused, json=request)
    assert asked.status_code == 201, asked.text
    assert (await client.post(f"{url}/absences", headers=excused, json=request)).json()["id"] == request["absence_id"]
    twice = {"absence_id": str(uuid.uuid4()), "reason": "Lần nữa"}
    assert (await client.post(f"{url}/absences", headers=excused, json=twice)).status_code == 409
    decided = await client.post(
        f"{MEETINGS}/absences/{request['absence_id']}/decision", headers=branch.secretary, json={"decision": "approve"}
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"
    assert (await client.get(url, headers=excused)).json()["my_absence"]["status"] == "approved"
    told = await sql(
        day.database_url, "select payload from outbox where source = $1", f"meeting-absence:{request['absence_id']}"
    )
    assert told[0]["payload"]["audience"]["members"] == [str(day.excused[0])]


async def _check_in_online_and_offline(day: Day) -> None:
    client, url, branch = day.client, day.url, day.branch
    # The secretary shows the code; the member enters it online.
    view = (await client.get(f"{url}/check-in-code", headers=branch.secretary)).json()
    assert view["qr_payload"].endswith(view["code"])
    secret = _secret(view)
    online = {"check_in_id": str(uuid.uuid4()), "code": codes.code_at(secret, codes.step_of(datetime.now(UTC)))}
    checked = await client.post(f"{url}/check-ins", headers=branch.member, json=online)
    assert checked.status_code == 200, checked.text
    assert checked.json()["present"] is True

    # Without signal, another member noted a code and the time two minutes ago; wrong, expired or future
    # codes are refused ...
    offline = day.offline[1]
    seen_at = datetime.now(UTC) - timedelta(minutes=2)
    noted = codes.code_at(secret, codes.step_of(seen_at))
    wrong = "000000" if noted != "000000" else "111111"
    before_opening = datetime.now(UTC) - timedelta(hours=3)
    refusals = [
        {"code": wrong, "observed_at": seen_at.isoformat()},
        {"code": noted},  # the old code claimed as seen now: expired
        {"code": codes.code_at(secret, codes.step_of(before_opening)), "observed_at": before_opening.isoformat()},
    ]
    for refusal in refusals:
        body = {"check_in_id": str(uuid.uuid4()), **refusal}
        refused = await client.post(f"{url}/check-ins", headers=offline, json=body)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == "code"
    ahead = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    future = {"check_in_id": str(uuid.uuid4()), "code": noted, "observed_at": ahead}
    assert (await client.post(f"{url}/check-ins", headers=offline, json=future)).status_code == 400

    # ... the noted one is accepted on sync, and the same check-in replayed (or another) counts once.
    synced = {"check_in_id": str(uuid.uuid4()), "code": noted, "observed_at": seen_at.isoformat()}
    accepted = await client.post(f"{url}/check-ins", headers=offline, json=synced)
    assert accepted.status_code == 200, accepted.text
    assert datetime.fromisoformat(accepted.json()["observed_at"]) == seen_at
    assert (await client.post(f"{url}/check-ins", headers=offline, json=synced)).status_code == 200
    assert (await client.post(f"{url}/check-ins", headers=branch.member, json=online)).status_code == 200
    meeting_id = UUID(url.rsplit("/", 1)[1])
    rows = await sql(day.database_url, "select count(*) from meeting_attendance where meeting_id = $1", meeting_id)
    assert rows[0]["count"] == 2


async def _mark_by_hand(day: Day) -> None:
    """The secretary marks by hand enough members to land in the 75-90% band."""
    client, url, branch = day.client, day.url, day.branch
    roll = (await client.get(f"{url}/attendance", headers=branch.secretary)).json()
    active = roll["count"]["active_members"]
    assert (roll["count"]["present"], roll["count"]["excused"], roll["count"]["expected"]) == (2, 1, active - 1)
    target = math.ceil(0.8 * (active - 1))
    known = {str(branch.member_id), str(day.offline[0]), str(day.excused[0])}
    unmarked = [r["member_id"] for r in roll["members"] if r["active"] and r["member_id"] not in known]
    marks = [{"member_id": member_id, "present": True} for member_id in unmarked[: target - 2]]
    marks += [{"member_id": member_id, "present": False} for member_id in unmarked[target - 2 :]]
    marked = await client.post(f"{url}/attendance", headers=branch.secretary, json={"marks": marks})
    assert marked.status_code == 200, marked.text
    count = marked.json()["count"]
    percent = 100 * target / (active - 1)
    assert (count["present"], count["attendance_percent"]) == (target, round(percent, 1))
    assert count["band"] == _band(percent) == "75_to_90"


async def _minutes_and_quality(day: Day) -> None:
    """Minutes (sanitized) the same day; the quality report agrees with the roll."""
    client, url, branch = day.client, day.url, day.branch
    minutes = {"minutes_md": "# Biên bản\n\nChi bộ thống nhất. <img src=x onerror=alert(1)>"}
    published = await client.post(f"{url}/minutes", headers=branch.secretary, json=minutes)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "held"
    assert "<img" not in published.json()["minutes_html"]
    assert "<h1>" in published.json()["minutes_html"]
    report = await client.get(f"{MEETINGS}/quality?unit_id={branch.id}", headers=branch.secretary)
    assert report.status_code == 200, report.text
    [row] = report.json()["branches"]
    [scored] = report.json()["meetings"]
    assert (row["meetings"], row["minutes_on_time"], row["materials_on_time"]) == (1, 1, 0)
    assert row["band"] == scored["attendance"]["band"] == "75_to_90"
    assert scored["attendance"]["excused"] == 1

    # Materials linked two days ahead would have counted; the commune's view lists every branch.
    await sql(day.database_url, "update meeting_materials set linked_at = now() - interval '2 days'")
    admin = await bearer(client, "demo.admin")
    commune = (await client.get(f"{MEETINGS}/quality?unit_id={branch.commune_id}", headers=admin)).json()
    mine = next(b for b in commune["branches"] if b["branch_id"] == branch.id)
    assert (mine["materials_on_time"], mine["band"]) == (1, "75_to_90")
    assert len(commune["branches"]) > 1
    assert commune["meetings"] == [], "meeting by meeting only for one branch"


async def test_guessing_codes_is_throttled(client: AsyncTestClient[Any], database_url: str) -> None:
    branch = await demo_branch(client, database_url)
    created = await client.post(
        MEETINGS,
        headers=branch.secretary,
        json={"title": "Họp", "starts_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat()},
    )
    url = f"{MEETINGS}/{created.json()['id']}"
    code = (await client.get(f"{url}/check-in-code", headers=branch.secretary)).json()["code"]
    wrong = f"{(int(code) + 500_000) % 1_000_000:06d}"
    statuses = [
        (
            await client.post(
                f"{url}/check-ins", headers=branch.member, json={"check_in_id": str(uuid.uuid4()), "code": wrong}
            )
        ).status_code
        for _ in range(11)
    ]
    assert statuses == [422] * 10 + [429]
    right = await client.post(
        f"{url}/check-ins", headers=branch.member, json={"check_in_id": str(uuid.uuid4()), "code": code}
    )
    assert right.status_code == 429, "even the right code waits once the limit is reached"
    assert right.headers["retry-after"]
