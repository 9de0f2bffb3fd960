"""ListStudyPrograms pages: every program in the caller's scope exactly once, latest due first, cursor-paged."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from api.db import connect
from tests.helpers import bearer
from tests.study.test_programs import _demo_units, _grant

DUE = ("2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z", "2030-03-01T00:00:00Z")


async def _ids(database_url: str, query: str, *args: object) -> set[str]:
    conn = await connect(database_url)
    try:
        return {str(row[0]) for row in await conn.fetch(query, *args)}
    finally:
        await conn.close()


async def _create(client: AsyncTestClient[Any], admin: dict[str, str], unit_id: int, count: int) -> None:
    """``count`` programs on one unit, several sharing a due date (so the id breaks ties)."""
    for index in range(count):
        body = {"unit_id": unit_id, "title": f"Chuyên đề {unit_id}-{index}", "due_at": DUE[index % len(DUE)]}
        created = await client.post("/api/v1/study/programs", headers=admin, json=body)
        assert created.status_code == 201, created.text


async def _all_pages(client: AsyncTestClient[Any], headers: dict[str, str], limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": limit}
    for _ in range(100):
        answer = await client.get("/api/v1/study/programs", headers=headers, params=params)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert len(page["items"]) <= limit
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        assert len(page["items"]) == limit, "only the last page may be short"
        params = {"limit": limit, "after": page["next_cursor"]}
    raise AssertionError("the pages never ended")


def _in_order(items: list[dict[str, Any]]) -> bool:
    keys = [(item["due_at"], item["id"]) for item in items]
    return keys == sorted(keys, reverse=True)


async def test_pages_cover_the_scope_exactly_once(client: AsyncTestClient[Any], database_url: str) -> None:
    admin = await bearer(client, "demo.admin")
    branch_id, commune_id = await _demo_units(client, admin)
    other_commune = min(
        await _ids(database_url, "select id from org_units where kind = 'commune' and id <> $1", commune_id), key=int
    )
    province_id = int(next(iter(await _ids(database_url, "select id from org_units where parent_id is null"))))
    await _create(client, admin, province_id, 2)
    await _create(client, admin, commune_id, 5)
    await _create(client, admin, branch_id, 3)
    await _create(client, admin, int(other_commune), 4)

    everything = await _ids(database_url, "select id from study_programs")
    assert len(everything) == 14
    seen = await _all_pages(client, admin, limit=3)
    assert len(seen) == len({p["id"] for p in seen}) == 14, "no program twice, none left out"
    assert {p["id"] for p in seen} == everything
    assert _in_order(seen)

    # A member: the programs aimed at their branch and the units above it, nothing of the other commune.
    member = await bearer(client, "demo.member")
    assigned = await _ids(
        database_url,
        "select p.id from study_programs p join org_units b on b.id = $1 where p.unit_id = any(b.path)",
        branch_id,
    )
    assert len(assigned) == 10
    mine = await _all_pages(client, member, limit=4)
    assert len(mine) == len(assigned)
    assert {p["id"] for p in mine} == assigned
    assert all(p["progress"] is not None for p in mine)
    assert _in_order(mine)

    # A commune officer: the commune's subtree and the province's programs, not the other commune's.
    await _grant(client, admin, "demo.secretary", "officer", commune_id)
    officer = await bearer(client, "demo.secretary")
    in_scope = await _ids(
        database_url,
        "select p.id from study_programs p join org_units u on u.id = p.unit_id "
        "where u.path @> array[$1::bigint] or p.unit_id = $2",
        commune_id,
        province_id,
    )
    theirs = await _all_pages(client, officer, limit=5)
    assert len(theirs) == len(in_scope) == 10
    assert {p["id"] for p in theirs} == in_scope

    # One page as large as the scope has no next cursor.
    whole = (await client.get("/api/v1/study/programs", headers=admin, params={"limit": 14})).json()
    assert len(whole["items"]) == 14
    assert whole["next_cursor"] is None


@pytest.mark.parametrize(
    "params",
    [
        {"after": "bm90LWEtY3Vyc29y"},  # base64 of "not-a-cursor"
        {"after": "MTIzNA"},  # base64 of "1234": no id
        {"after": "x"},  # not base64 at all
        {"after": "a b"},  # outside the cursor alphabet
        {"after": "A" * 101},
        {"limit": 0},
        {"limit": 101},
        {"limit": "ten"},
    ],
)
async def test_a_bad_cursor_or_limit_is_a_problem(client: AsyncTestClient[Any], params: dict[str, Any]) -> None:
    member = await bearer(client, "demo.member")
    answer = await client.get("/api/v1/study/programs", headers=member, params=params)
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == 400
    assert any(error["field"] in {"after", "limit"} for error in problem.get("errors", [])), problem
