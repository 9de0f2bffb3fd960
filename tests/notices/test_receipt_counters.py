"""Read and acknowledged counts per notice and branch, kept by triggers as receipts are written.

They must always equal a count over the receipts themselves: a repeated or concurrent read by one
member counts once, an acknowledgement counts the read too, bulk writes and removals are followed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from litestar.testing import AsyncTestClient

from tests.notices.helpers import demo, fetch, scalar

COUNTED = "select branch_id, read, acknowledged from notice_branch_reads where notice_id = $1::uuid order by branch_id"
RECOUNTED = (
    "select branch_id, count(*)::integer as read, count(acknowledged_at)::integer as acknowledged "
    "from notice_receipts where notice_id = $1::uuid group by branch_id order by branch_id"
)


async def _counted(database_url: str, notice_id: str) -> list[tuple[int, int, int]]:
    rows = await fetch(database_url, COUNTED, notice_id)
    return [(r["branch_id"], r["read"], r["acknowledged"]) for r in rows if r["read"] or r["acknowledged"]]


async def _recounted(database_url: str, notice_id: str) -> list[tuple[int, int, int]]:
    return [(r["branch_id"], r["read"], r["acknowledged"]) for r in await fetch(database_url, RECOUNTED, notice_id)]


async def test_a_member_counts_once_however_often_and_however_at_once(
    client: AsyncTestClient[Any], database_url: str
) -> None:
    d = await demo(client, database_url)
    notice = await d.post(d.secretary, title="Đếm", requires_acknowledgement=True)
    url = f"/api/v1/notices/{notice['id']}"
    reads = await asyncio.gather(*(client.post(f"{url}/read", headers=d.member) for _ in range(3)))
    assert [r.status_code for r in reads] == [200, 200, 200]
    assert await _counted(database_url, notice["id"]) == [(d.branch_id, 1, 0)]

    acks = await asyncio.gather(*(client.post(f"{url}/acknowledge", headers=d.member) for _ in range(2)))
    assert [r.status_code for r in acks] == [200, 200]
    assert (await client.post(f"{url}/read", headers=d.member)).status_code == 200
    assert await _counted(database_url, notice["id"]) == [(d.branch_id, 1, 1)]
    assert await _counted(database_url, notice["id"]) == await _recounted(database_url, notice["id"])


async def test_acknowledging_unread_counts_the_read_too(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    notice = await d.post(d.secretary, title="Xác nhận ngay", requires_acknowledgement=True)
    answer = await client.post(f"/api/v1/notices/{notice['id']}/acknowledge", headers=d.member)
    assert answer.status_code == 200, answer.text
    assert await _counted(database_url, notice["id"]) == [(d.branch_id, 1, 1)]
    report = (await client.get(f"/api/v1/notices/{notice['id']}/receipts", headers=d.admin)).json()
    assert (report["total"]["read"], report["total"]["acknowledged"]) == (1, 1)


async def test_bulk_writes_and_removals_keep_the_counts_exact(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    notice = await d.post(d.admin, title="Cả tỉnh", requires_acknowledgement=True)
    # Every active member reads in one statement, a third acknowledge in another, then some receipts go.
    await scalar(
        database_url,
        "insert into notice_receipts (notice_id, member_id, branch_id) "
        "select $1::uuid, id, branch_id from members where status = 'active'",
        notice["id"],
    )
    await scalar(
        database_url,
        "update notice_receipts set acknowledged_at = now() "
        "where notice_id = $1::uuid and abs(hashtext(member_id::text)) % 3 = 0",
        notice["id"],
    )
    await scalar(
        database_url,
        "delete from notice_receipts where notice_id = $1::uuid and abs(hashtext(member_id::text)) % 5 = 0",
        notice["id"],
    )
    counted = await _counted(database_url, notice["id"])
    assert counted == await _recounted(database_url, notice["id"])
    assert sum(read for _, read, _ in counted) > 0
    assert 0 < sum(acknowledged for _, _, acknowledged in counted) < sum(read for _, read, _ in counted)

    report = (await client.get(f"/api/v1/notices/{notice['id']}/receipts", headers=d.admin)).json()
    by_branch = {b["unit_id"]: (b["read"], b["acknowledged"]) for b in report["branches"]}
    for branch, read, acknowledged in counted:
        assert by_branch.get(branch, (0, 0)) == (read, acknowledged)


async def test_active_members_per_branch_follow_the_register(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    headcount = (
        "select coalesce(sum(members), 0) from branch_active_members where branch_id = $1 "
        "having sum(members) = (select count(*) from members where branch_id = $1 and status = 'active')"
    )
    before = await scalar(database_url, headcount, d.branch_id)
    assert before is not None, "the counter equals a count over the register"
    assert before > 1
    # One member moves to another branch, one leaves the register, one row is touched without change.
    moved, gone = [
        r["id"]
        for r in await fetch(
            database_url,
            "select id from members where branch_id = $1 and status = 'active' order by id limit 2",
            d.branch_id,
        )
    ]
    await scalar(database_url, "update members set branch_id = $2 where id = $1", moved, d.other_branch_id)
    await scalar(database_url, "update members set status = 'transferred_out' where id = $1", gone)
    await scalar(database_url, "update members set position = position || '' where branch_id = $1", d.branch_id)
    assert await scalar(database_url, headcount, d.branch_id) == before - 2
    assert await scalar(database_url, headcount, d.other_branch_id) is not None

    notice = await d.post(d.secretary, title="Sĩ số")
    report = (await client.get(f"/api/v1/notices/{notice['id']}/receipts", headers=d.secretary)).json()
    assert report["total"]["members"] == before - 2
