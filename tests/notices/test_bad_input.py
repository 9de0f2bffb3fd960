"""Notice input that must be refused with a 4xx problem and write nothing; hostile Markdown renders inert;
a create that rolls back leaves no push behind."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient

from api.auth.principal import Grant, Principal, Role
from api.context import RequestContext
from api.db import connect
from api.notices.schemas import NoticeCreate
from api.notices.service import NoticeService
from tests.notices.helpers import demo, fetch, scalar

PROBLEM = "application/problem+json"


async def _written(database_url: str) -> tuple[int, int, int]:
    row = (
        await fetch(
            database_url,
            "select (select count(*) from notices) as n, (select count(*) from outbox) as o, "
            "(select count(*) from audit_log where action like 'notice%') as a",
        )
    )[0]
    return row["n"], row["o"], row["a"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "", "body": "B"}, "title"),
        ({"title": "x" * 201, "body": "B"}, "title"),
        ({"title": "T", "body": "b" * 20_001}, "body"),
        ({"title": "T", "body": ""}, "body"),
        ({"title": "T"}, "body"),
        ({"body": "B"}, "body"),
        ({"title": "T\x00", "body": "B"}, "body"),
        ({"title": "T", "body": "B", "category": "party"}, "category"),
        ({"title": "T", "body": "B", "pinned": "yes"}, "pinned"),
        ({"title": "T", "body": "B", "unit_id": 0}, "unit_id"),
        ({"title": "T", "body": "B", "unit_id": 2**63}, "unit_id"),
        ({"title": "T", "body": "B", "id": "not-a-uuid"}, "id"),
        ({"title": "T", "body": "B", "publish_at": "2030-01-01T00:00:00"}, "publish_at"),
        ({"title": "T", "body": "B", "publish_at": "0001-01-01T00:00:00+01:00"}, "body"),
        ({"title": "T", "body": "B", "publish_at": "2030-01-01T00:00:00Z"}, "publish_at"),
        ({"title": "T", "body": "B", "expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
        ({"title": "T", "body": "B", "attachments": ["00000000-0000-0000-0000-000000000001"]}, "attachments[0]"),
        ({"title": "T", "body": "B", "attachments": [str(UUID(int=i)) for i in range(11)]}, "attachments"),
        ({"title": "T", "body": "B", "author_id": "00000000-0000-0000-0000-000000000001"}, "body"),
    ],
)
async def test_bad_notices_are_refused(
    client: AsyncTestClient[Any], database_url: str, body: dict[str, Any], field: str
) -> None:
    d = await demo(client, database_url)
    before = await _written(database_url)
    response = await client.post("/api/v1/notices", headers=d.secretary, json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    fields = [error["field"] for error in response.json().get("errors") or [{"field": "body"}]]
    assert any(f.startswith(field) for f in fields) or field == "body", fields
    assert await _written(database_url) == before


@pytest.mark.parametrize(
    "body",
    [
        {"revision": 0},
        {"revision": 1, "title": ""},
        {"revision": 1, "body": "b" * 20_001},
        {"revision": 1, "expires_at": "2001-01-01T00:00:00Z"},
        {"revision": 1, "category": 5},
        {"title": "No revision"},
    ],
)
async def test_bad_edits_are_refused(client: AsyncTestClient[Any], database_url: str, body: dict[str, Any]) -> None:
    d = await demo(client, database_url)
    notice = await d.post(d.secretary)
    response = await client.put(f"/api/v1/notices/{notice['id']}", headers=d.secretary, json=body)
    assert response.status_code == 400, response.text
    assert (await client.get(f"/api/v1/notices/{notice['id']}", headers=d.secretary)).json()["revision"] == 1


async def test_an_oversized_request_is_refused(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    response = await client.post(
        "/api/v1/notices", headers={**d.secretary, "content-type": "application/json"}, content=b"x" * 3_000_000
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM)


class _Markup(HTMLParser):
    """Every tag and attribute of some HTML, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


async def test_hostile_markdown_renders_inert(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    hostile = (
        "<script>alert(1)</script>\n\n[bấm vào đây](javascript:alert(1)) "
        '<img src=x onerror="alert(1)"> [ok](https://example.org/ "t")\n\n'
        "<iframe src=//evil></iframe> ![x](data:text/html;base64,PHNjcmlwdD4=) [y](vbscript:x)"
    )
    notice = await d.post(d.secretary, title="<b>Tiêu đề</b>", body=hostile)
    shown = (await client.get(f"/api/v1/notices/{notice['id']}", headers=d.member)).json()
    markup = _Markup()
    markup.feed(shown["body_html"])
    assert {tag for tag, _ in markup.tags} == {"p", "a"}, "the hostile tags arrive as text, never as markup"
    links = [dict(attrs) for tag, attrs in markup.tags if tag == "a"]
    assert links == [{"href": "https://example.org/", "title": "t", "rel": "noopener noreferrer"}]
    assert shown["title"] == "<b>Tiêu đề</b>", "titles are text: the app shows them as such"
    [item] = (await d.feed(d.member))["items"]
    assert item["summary"].startswith("<script>alert(1)</script>"), "the summary is plain text, shown as text"


async def test_a_rolled_back_create_leaves_no_outbox_row(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    account = (
        await fetch(database_url, "select a.id, a.member_id from accounts a where a.username = 'demo.secretary'")
    )[0]
    principal = Principal(
        account_id=account["id"],
        session_id=account["id"],
        display_name="Bí thư",
        member_id=account["member_id"],
        branch_id=d.branch_id,
        grants=(Grant(Role.SECRETARY, d.branch_id),),
        reach=(d.commune_id, d.branch_id),
    )
    conn = await connect(database_url)
    try:
        transaction = conn.transaction()
        await transaction.start()
        service = NoticeService(conn, RequestContext(principal=principal, ip=None, user_agent="test"))
        notice = await service.create(NoticeCreate(title="Sẽ bị huỷ", body="Giao dịch lùi lại."))
        inside = await conn.fetchval("select count(*) from outbox where source = $1", f"notice:{notice.id}")
        assert inside == 1, "written in the same transaction as the notice"
        await transaction.rollback()
    finally:
        await conn.close()
    assert await scalar(database_url, "select count(*) from outbox") == 0
    assert await scalar(database_url, "select count(*) from notices") == 0
