"""The home screen's inbox badge with no round trip: each worker's copy of members' inbox heads, kept by
announcements (decision 43).

A warm badge borrows no connection; a notification for a few members, one for a whole commune, a read mark
made through another worker or by psql all show once announced; the push funnel's columns announce nothing;
the writer sees its own marks at once; pages past the first read the database.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.db import connect
from api.invalidation import InvalidationListener
from api.notifications.inbox_heads import InboxHeads
from api.notifications.routes import INBOX_HEADS
from api.outbox import Audience, NotificationIntent, enqueue_notification
from push.outbox import expand_outbox
from tests.announced import app_heard, count_checkouts, heard
from tests.helpers import bearer

INBOX = "/api/v1/notifications"
BADGE = f"{INBOX}?limit=1"


async def _sql(database_url: str, query: str, *args: object) -> Any:
    conn = await connect(database_url)
    try:
        return await conn.fetch(query, *args)
    finally:
        await conn.close()


async def _notify(database_url: str, audience: Audience, title: str) -> None:
    """What a posted notice does: an outbox row, expanded into inbox rows as the worker's dispatcher does."""
    intent = NotificationIntent(
        kind="notice.published", category="notice", title=title, body="Họp chi bộ.", url="/notices/1", audience=audience
    )
    conn = await connect(database_url)
    try:
        async with conn.transaction():
            await enqueue_notification(conn, intent, source=f"test:{title}")
        await expand_outbox(conn)
    finally:
        await conn.close()


async def _inbox(client: AsyncTestClient[Any], who: dict[str, str], url: str = BADGE) -> dict[str, Any]:
    answer = await client.get(url, headers=who)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _shown(page: dict[str, Any]) -> tuple[int, list[str]]:
    return page["unread"], [item["title"] for item in page["items"]]


async def _member(database_url: str, username: str) -> UUID:
    rows = await _sql(database_url, "select member_id from accounts where username = $1", username)
    return UUID(str(rows[0]["member_id"]))


async def _commune_of(database_url: str, member_id: UUID) -> int:
    rows = await _sql(
        database_url,
        "select b.path[cardinality(b.path) - 1] as commune from members m join org_units b on b.id = m.branch_id "
        "where m.id = $1",
        member_id,
    )
    return int(rows[0]["commune"])


async def test_a_warm_badge_borrows_no_connection_and_revalidates_with_a_304(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    member = await bearer(client, "demo.member")
    member_id = await _member(database_url, "demo.member")
    await _notify(database_url, Audience(members=(member_id,)), "Một")
    await app_heard(app, database_url)
    first = await client.get(BADGE, headers=member)
    assert first.status_code == 200
    unread = (
        await _sql(
            database_url, "select count(*) from notifications where member_id = $1 and read_at is null", member_id
        )
    )[0][0]
    assert _shown(first.json()) == (unread, ["Một"])

    pool = count_checkouts(app)
    again = await client.get(BADGE, headers=member)
    assert pool.acquired == 0, "the member's inbox head kept: nothing asked of PostgreSQL"
    assert again.json() == first.json()
    same = await client.get(BADGE, headers={**member, "If-None-Match": first.headers["etag"]})
    assert same.status_code == 304
    assert pool.acquired == 0


async def test_changes_through_another_worker_the_dispatcher_or_psql_show_once_announced(
    app: Litestar,
    client: AsyncTestClient[Any],
    other: tuple[Litestar, AsyncTestClient[Litestar]],
    database_url: str,
) -> None:
    other_app, other_client = other
    member = await bearer(client, "demo.member")
    member_id = await _member(database_url, "demo.member")
    await _notify(database_url, Audience(members=(member_id,)), "Một")
    await heard(other_app.state.invalidation, database_url)
    unread, titles = _shown(await _inbox(other_client, member))
    assert titles == ["Một"]
    pool = count_checkouts(other_app)

    # For a few members: their inboxes are announced one by one.
    await _notify(database_url, Audience(members=(member_id,)), "Hai")
    await heard(other_app.state.invalidation, database_url)
    assert _shown(await _inbox(other_client, member)) == (unread + 1, ["Hai"])
    assert pool.acquired == 1

    # For a whole commune (hundreds of members): one announcement drops every kept inbox.
    await _notify(database_url, Audience(units=(await _commune_of(database_url, member_id),)), "Cả xã")
    assert (await _sql(database_url, "select count(*) from notifications where title = 'Cả xã'"))[0][0] > 100
    await heard(other_app.state.invalidation, database_url)
    assert _shown(await _inbox(other_client, member)) == (unread + 2, ["Cả xã"])
    assert pool.acquired == 2

    # The push funnel's marks are not shown, so they announce nothing.
    await _sql(
        database_url, "update notifications set delivered_at = now(), shown_at = now() where member_id = $1", member_id
    )
    await heard(other_app.state.invalidation, database_url)
    await _inbox(other_client, member)
    assert pool.acquired == 2

    # Read on the first worker (one phone), then by psql: the other worker (a tablet) follows.
    read_all = await client.post(f"{INBOX}/read", headers=member)
    assert read_all.status_code == 200, read_all.text
    await heard(other_app.state.invalidation, database_url)
    assert _shown(await _inbox(other_client, member)) == (0, ["Cả xã"])
    await _sql(
        database_url,
        "update notifications set read_at = null where member_id = $1 and title in ('Hai', 'Cả xã')",
        member_id,
    )
    await heard(other_app.state.invalidation, database_url)
    assert _shown(await _inbox(other_client, member)) == (2, ["Cả xã"])
    await _sql(database_url, "delete from notifications where member_id = $1 and title = 'Cả xã'", member_id)
    await heard(other_app.state.invalidation, database_url)
    assert _shown(await _inbox(other_client, member)) == (1, ["Hai"])


async def test_the_writer_sees_its_own_marks_before_any_announcement(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    member = await bearer(client, "demo.member")
    member_id = await _member(database_url, "demo.member")
    await _notify(database_url, Audience(members=(member_id,)), "Một")
    await app_heard(app, database_url)
    newest = (await _inbox(client, member))["items"][0]

    # This app hears nothing from now on: what it shows of its own writes cannot come from an announcement.
    heads: InboxHeads = app.state[INBOX_HEADS]
    listener: InvalidationListener = app.state.invalidation
    listener.off("inbox_member", heads.heads._announced)  # deafening one cache for the test
    try:
        before = (await _inbox(client, member))["unread"]
        marked = await client.post(f"{INBOX}/{newest['id']}/read", headers=member)
        assert marked.status_code == 200, marked.text
        page = await _inbox(client, member)
        assert page["unread"] == before - 1
        assert page["items"][0]["read_at"] is not None
        assert (await client.post(f"{INBOX}/read", headers=member)).status_code == 200
        assert (await _inbox(client, member))["unread"] == 0
        pool = count_checkouts(app)
        await _inbox(client, member)
        assert pool.acquired == 0, "once the writes are done, their results are kept again"

        # The same kind of change made elsewhere is not seen by a deaf cache: the test's premise holds.
        await _sql(database_url, "update notifications set read_at = null where member_id = $1", member_id)
        assert (await _inbox(client, member))["unread"] == 0
    finally:
        listener.on("inbox_member", heads.heads._announced)


async def test_the_inbox_screen_and_its_later_pages(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    member = await bearer(client, "demo.member")
    member_id = await _member(database_url, "demo.member")
    for number in range(5):
        await _notify(database_url, Audience(members=(member_id,)), f"Số {number}")
    await app_heard(app, database_url)
    await _inbox(client, member)  # the badge: two rows kept
    pool = count_checkouts(app)
    first = await _inbox(client, member, f"{INBOX}?limit=3")
    assert [item["title"] for item in first["items"]] == ["Số 4", "Số 3", "Số 2"]
    assert pool.acquired == 1, "more rows than kept: read once"
    assert (await _inbox(client, member, f"{INBOX}?limit=2"))["items"] == first["items"][:2]
    assert pool.acquired == 1, "fewer rows than kept: from the copy"
    older = await _inbox(client, member, f"{INBOX}?limit=3&after={first['next']}")
    assert [item["title"] for item in older["items"]][:2] == ["Số 1", "Số 0"]
    assert pool.acquired == 2, "later pages read the database"
    everything = await _inbox(client, member, f"{INBOX}?limit=100")
    assert (
        len(everything["items"])
        == (await _sql(database_url, "select count(*) from notifications where member_id = $1", member_id))[0][0]
    )
