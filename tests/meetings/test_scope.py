"""Out-of-scope ids answer 404 (nobody can probe another branch), and the meeting's state is respected."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from api.meetings import codes
from tests.meetings.support import MEETINGS, demo_branch, sql


async def _foreign_meeting(database_url: str, commune_id: int, *, ends_ago: timedelta | None = None) -> uuid.UUID:
    """A meeting of a branch in another commune (or, with ``ends_ago``, of the demo branch, long over)."""
    now = datetime.now(UTC)
    ends_at = now + timedelta(hours=2) if ends_ago is None else now - ends_ago
    rows = await sql(
        database_url,
        "insert into meetings (branch_id, kind, title, starts_at, ends_at, place, agenda_md, agenda_html, "
        "checkin_secret) select b.id, 'thematic', 'Họp', $2::timestamptz - interval '2 hours', $2, '', '', '', $3 "
        "from org_units b where b.kind = 'branch' and "
        "(($4 and b.id = (select branch_id from members m join accounts a on a.member_id = m.id "
        "where a.username = 'demo.member')) or (not $4 and not b.path @> array[$1::bigint])) "
        "order by b.code limit 1 returning id",
        commune_id,
        ends_at,
        codes.new_secret(),
        ends_ago is not None,
    )
    meeting_id: uuid.UUID = rows[0]["id"]
    return meeting_id


async def test_another_branch_is_not_found(client: AsyncTestClient[Any], database_url: str) -> None:
    branch = await demo_branch(client, database_url)
    meeting_id = await _foreign_meeting(database_url, branch.commune_id)
    other_branch = (await sql(database_url, "select branch_id from meetings where id = $1", meeting_id))[0]["branch_id"]
    absence = (
        await sql(
            database_url,
            "insert into meeting_absences (id, meeting_id, member_id, reason) select $1, $2, m.id, 'Ốm' "
            "from members m where m.branch_id = $3 limit 1 returning id",
            uuid.uuid4(),
            meeting_id,
            other_branch,
        )
    )[0]["id"]
    url = f"{MEETINGS}/{meeting_id}"
    member_calls = [
        ("GET", url, None),
        ("POST", f"{url}/rsvp", {"rsvp_id": str(uuid.uuid4()), "response": "attending"}),
        ("POST", f"{url}/absences", {"absence_id": str(uuid.uuid4()), "reason": "Ốm"}),
        ("POST", f"{url}/check-ins", {"check_in_id": str(uuid.uuid4()), "code": "123456"}),
        ("GET", f"{MEETINGS}?branch_id={other_branch}", None),
        ("GET", f"{MEETINGS}/{uuid.uuid4()}", None),
    ]
    secretary_calls = [
        ("PUT", url, {"place": "Khác"}),
        ("POST", f"{url}/cancel", {}),
        ("POST", f"{url}/minutes", {"minutes_md": "Biên bản"}),
        ("GET", f"{url}/check-in-code", None),
        ("GET", f"{url}/attendance", None),
        ("POST", f"{url}/attendance", {"marks": [{"member_id": str(branch.member_id), "present": True}]}),
        ("POST", f"{MEETINGS}/absences/{absence}/decision", {"decision": "approve"}),
        ("GET", f"{MEETINGS}/quality?unit_id={other_branch}", None),
        ("POST", MEETINGS, {"branch_id": other_branch, "title": "Họp", "starts_at": "2030-01-01T00:00:00Z"}),
        ("POST", f"{MEETINGS}/templates", {"branch_id": other_branch, "day_of_month": 1, "local_time": "08:00"}),
        ("PUT", f"{MEETINGS}/templates/{uuid.uuid4()}", {"active": False}),
    ]
    for headers, calls in ((branch.member, member_calls), (branch.secretary, secretary_calls)):
        for method, path, body in calls:
            response = await client.request(method, path, headers=headers, json=body)
            assert response.status_code == 404, (method, path, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
    attendance = await sql(database_url, "select count(*) from meeting_attendance")
    assert attendance[0]["count"] == 0
    status = await sql(database_url, "select status, place from meetings where id = $1", meeting_id)
    assert (status[0]["status"], status[0]["place"]) == ("scheduled", "")


async def test_the_meeting_state_is_respected(client: AsyncTestClient[Any], database_url: str) -> None:
    branch = await demo_branch(client, database_url)
    ahead = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    future = (await client.post(MEETINGS, headers=branch.secretary, json={"title": "Họp", "starts_at": ahead})).json()
    url = f"{MEETINGS}/{future['id']}"
    # Not started: no minutes, no roll call, no code yet (but the secret for the secretary's phone).
    assert (await client.post(f"{url}/minutes", headers=branch.secretary, json={"minutes_md": "x"})).status_code == 409
    marks = {"marks": [{"member_id": str(branch.member_id), "present": True}]}
    assert (await client.post(f"{url}/attendance", headers=branch.secretary, json=marks)).status_code == 409
    view = (await client.get(f"{url}/check-in-code", headers=branch.secretary)).json()
    assert (view["code"], view["qr_payload"]) == (None, None)
    assert len(view["secret"]) == 52
    # Cancelled: nobody checks in or answers, and the code is gone.
    assert (await client.post(f"{url}/cancel", headers=branch.secretary, json={})).status_code == 200
    code = {"check_in_id": str(uuid.uuid4()), "code": "123456"}
    assert (await client.post(f"{url}/check-ins", headers=branch.member, json=code)).status_code == 409
    rsvp = {"rsvp_id": str(uuid.uuid4()), "response": "attending"}
    assert (await client.post(f"{url}/rsvp", headers=branch.member, json=rsvp)).status_code == 409
    assert (await client.get(f"{url}/check-in-code", headers=branch.secretary)).status_code == 409

    # Long over: a phone that comes back after a week is too late, even with a code valid back then.
    over = await _foreign_meeting(database_url, branch.commune_id, ends_ago=timedelta(days=8))
    secret = (await sql(database_url, "select checkin_secret from meetings where id = $1", over))[0]["checkin_secret"]
    seen_at = datetime.now(UTC) - timedelta(days=8, hours=1)
    late = {"check_in_id": str(uuid.uuid4()), "code": codes.code_at(secret, codes.step_of(seen_at))}
    late["observed_at"] = seen_at.isoformat()
    assert (await client.post(f"{MEETINGS}/{over}/check-ins", headers=branch.member, json=late)).status_code == 409
    past = (await client.get(f"{MEETINGS}?when=past", headers=branch.member)).json()["items"]
    assert [item["id"] for item in past] == [str(over)]


async def test_a_client_made_id_makes_one_meeting(client: AsyncTestClient[Any], database_url: str) -> None:
    branch = await demo_branch(client, database_url)
    body = {"id": str(uuid.uuid4()), "title": "Họp chuyên đề", "starts_at": "2030-01-01T00:00:00Z"}
    body["starts_at"] = (datetime.now(UTC) + timedelta(days=5)).isoformat()
    first = await client.post(MEETINGS, headers=branch.secretary, json=body)
    again = await client.post(MEETINGS, headers=branch.secretary, json=body)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] == body["id"]
    rows = await sql(database_url, "select count(*) from meetings where id = $1", uuid.UUID(body["id"]))
    assert rows[0]["count"] == 1
    second = {"title": "Họp tiếp", "starts_at": (datetime.now(UTC) + timedelta(days=6)).isoformat()}
    assert (await client.post(MEETINGS, headers=branch.secretary, json=second)).status_code == 201

    # Walking the pages one by one: the next first, each meeting once.
    seen: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = (await client.get(f"{MEETINGS}?limit=1{cursor}", headers=branch.member)).json()
        seen += page["items"]
        if page["next_cursor"] is None:
            break
        cursor = f"&after={page['next_cursor']}"
    assert [item["starts_at"] for item in seen] == sorted(item["starts_at"] for item in seen)
    titles = [item["title"] for item in seen]
    assert titles.count("Họp chuyên đề") == titles.count("Họp tiếp") == 1
    assert titles.index("Họp chuyên đề") < titles.index("Họp tiếp")
