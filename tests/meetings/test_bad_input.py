"""Meeting input that must be refused with a problem naming the field, and writes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.meetings.support import MEETINGS, demo_branch, sql

PROBLEM = "application/problem+json"
SOON = (datetime.now(UTC) + timedelta(days=2)).isoformat()


async def _counts(database_url: str) -> tuple[int, int, int]:
    rows = await sql(
        database_url,
        "select (select count(*) from meetings) as m, (select count(*) from meeting_templates) as t, "
        "(select count(*) from audit_log) as a",
    )
    return rows[0]["m"], rows[0]["t"], rows[0]["a"]


def _fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors") or [{"field": "body"}]]


TEMPLATE = {"day_of_month": 10, "local_time": "19:30"}


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"day_of_month": 0}, "day_of_month"),
        ({"day_of_month": 32}, "day_of_month"),
        ({"local_time": "24:00"}, "local_time"),
        ({"local_time": "7:30"}, "local_time"),
        ({"local_time": "19:30:00"}, "local_time"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"months_ahead": 13}, "months_ahead"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "body"),
        ({"title": "x" * 301}, "title"),
        ({"agenda_md": "x" * 20_001}, "agenda_md"),
        ({"place": "a\x00b"}, "body"),
        ({"branch_id": 0}, "branch_id"),
        ({"branch_id": 2**63}, "branch_id"),
        ({"branch_id": 999_999}, "404"),
        ({"weekly": True}, "body"),
    ],
)
async def test_bad_templates(
    client: AsyncTestClient[Any], database_url: str, extra: dict[str, Any], field: str
) -> None:
    branch = await demo_branch(client, database_url)
    before = await _counts(database_url)
    response = await client.post(f"{MEETINGS}/templates", headers=branch.secretary, json={**TEMPLATE, **extra})
    assert response.status_code == (404 if field == "404" else 400), response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    if field != "404":
        assert any(f.startswith(field) or field == "body" for f in _fields(response)), _fields(response)
    assert await _counts(database_url) == before


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"starts_at": "2030-01-01T00:00:00"}, "starts_at"),
        ({"starts_at": "0001-01-01T00:00:00+01:00"}, "body"),
        ({"starts_at": "2040-01-01T00:00:00Z"}, "starts_at"),
        ({"starts_at": "2001-01-01T00:00:00Z"}, "starts_at"),
        ({"starts_at": "yesterday"}, "starts_at"),
        ({"materials": [str(uuid.uuid4())]}, "materials[0]"),
        ({"materials": [str(uuid.uuid4()) for _ in range(21)]}, "materials"),
        ({"materials": "not-a-list"}, "materials"),
        ({"id": "not-a-uuid"}, "id"),
        ({"kind": "weekly"}, "kind"),
        ({"duration_minutes": 10_000}, "duration_minutes"),
        ({"agenda_md": "a\x00b"}, "body"),
    ],
)
async def test_bad_meetings(client: AsyncTestClient[Any], database_url: str, extra: dict[str, Any], field: str) -> None:
    branch = await demo_branch(client, database_url)
    before = await _counts(database_url)
    body = {"title": "Chuyên đề", "starts_at": SOON, **extra}
    response = await client.post(MEETINGS, headers=branch.secretary, json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert any(f.startswith(field) or field == "body" for f in _fields(response)), _fields(response)
    assert await _counts(database_url) == before


async def test_a_document_of_another_commune_or_listed_twice_is_not_a_material(
    client: AsyncTestClient[Any], database_url: str
) -> None:
    branch = await demo_branch(client, database_url)
    rows = await sql(
        database_url,
        "insert into documents (slug, kind, title, audience_unit_id, status) select 'xa-khac', 'guide', 'Khác', id, "
        "'published' from org_units where kind = 'commune' and id <> $1 order by id limit 1 returning id",
        branch.commune_id,
    )
    elsewhere = str(rows[0]["id"])
    mine = str((await sql(database_url, "select id from documents where status = 'published' limit 1"))[0]["id"])
    body = {"title": "Chuyên đề", "starts_at": SOON, "materials": [mine, elsewhere, mine]}
    response = await client.post(MEETINGS, headers=branch.secretary, json=body)
    assert response.status_code == 400, response.text
    assert _fields(response) == ["materials[1]", "materials[2]"]


async def test_bad_taking_part(client: AsyncTestClient[Any], database_url: str) -> None:
    branch = await demo_branch(client, database_url)
    created = await client.post(
        MEETINGS,
        headers=branch.secretary,
        json={"title": "Họp", "starts_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat()},
    )
    url = f"{MEETINGS}/{created.json()['id']}"
    cases: list[tuple[str, dict[str, Any], str, dict[str, str]]] = [
        ("/rsvp", {"rsvp_id": str(uuid.uuid4()), "response": "maybe"}, "response", branch.member),
        ("/rsvp", {"rsvp_id": "x", "response": "attending"}, "rsvp_id", branch.member),
        ("/absences", {"absence_id": str(uuid.uuid4()), "reason": ""}, "reason", branch.member),
        ("/absences", {"absence_id": str(uuid.uuid4()), "reason": "  "}, "body", branch.member),
        ("/absences", {"absence_id": str(uuid.uuid4()), "reason": "x" * 1001}, "reason", branch.member),
        ("/check-ins", {"check_in_id": str(uuid.uuid4()), "code": "12345"}, "code", branch.member),
        ("/check-ins", {"check_in_id": str(uuid.uuid4()), "code": "abcdef"}, "code", branch.member),
        ("/check-ins", {"check_in_id": str(uuid.uuid4()), "code": 123456}, "code", branch.member),
        (
            "/check-ins",
            {"check_in_id": str(uuid.uuid4()), "code": "123456", "observed_at": "2026-01-01T10:00:00"},
            "observed_at",
            branch.member,
        ),
        ("/check-ins", {"code": "123456"}, "body", branch.member),
        ("/attendance", {"marks": []}, "marks", branch.secretary),
        ("/attendance", {"marks": [{"member_id": str(uuid.uuid4()), "present": True}]}, "marks[0]", branch.secretary),
        (
            "/attendance",
            {"marks": [{"member_id": str(branch.member_id), "present": True}] * 2},
            "marks[1].member_id",
            branch.secretary,
        ),
        ("/minutes", {"minutes_md": ""}, "minutes_md", branch.secretary),
        ("/minutes", {"minutes_md": "x" * 100_001}, "minutes_md", branch.secretary),
        ("/cancel", {"reason": "x" * 1001}, "reason", branch.secretary),
    ]
    for suffix, body, field, headers in cases:
        response = await client.post(f"{url}{suffix}", headers=headers, json=body)
        assert response.status_code == 400, (suffix, body, response.text)
        assert response.headers["content-type"].startswith(PROBLEM)
        assert any(f.startswith(field) or field == "body" for f in _fields(response)), (suffix, _fields(response))
    rows = await sql(database_url, "select count(*) from meeting_attendance")
    assert rows[0]["count"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "when=soon",
        "after=not-a-uuid",
        "branch_id=abc",
        "branch_id=0",
        "include_cancelled=perhaps",
    ],
)
async def test_bad_list_parameters(client: AsyncTestClient[Any], database_url: str, query: str) -> None:
    branch = await demo_branch(client, database_url)
    response = await client.get(f"{MEETINGS}?{query}", headers=branch.member)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(PROBLEM)


@pytest.mark.parametrize(
    "query",
    [
        "since=2026-05-01&until=2026-04-01",
        "since=2024-01-01&until=2026-01-01",
        "since=0001-01-01&until=0001-02-01",
        "until=9999-12-31",
        "until=0001-01-01",
        "since=yesterday",
        "unit_id=0",
    ],
)
async def test_bad_quality_parameters(client: AsyncTestClient[Any], database_url: str, query: str) -> None:
    branch = await demo_branch(client, database_url)
    response = await client.get(f"{MEETINGS}/quality?{query}", headers=branch.secretary)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
