"""The feed with no round trip: the worker's copies of units and receipts, kept by announcements (decision 39).

A warm feed request borrows no connection at all; what another worker writes shows once its announcement
has arrived; what this worker writes shows at once; a lost listener sends every request to the database
again; time alone publishes a scheduled notice; the receipts kept are bounded.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api import invalidation
from api.db import connect, create_pool
from api.invalidation import CHANNEL, InvalidationListener
from api.notices.feed import FeedCache, FeedWrites
from api.notices.feed_pages import unit_notices
from api.notices.routes import FEED_CACHE
from api.pending_writes import WRITE_SECONDS, RequestWrites
from tests.announced import app_heard, count_checkouts, cut_listeners, eventually, heard
from tests.notices.helpers import Demo, demo, fetch, scalar


async def _feed(client: AsyncTestClient[Any], who: dict[str, str]) -> dict[str, Any]:
    answer = await client.get("/api/v1/notices", headers=who)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _shown(feed: dict[str, Any]) -> list[tuple[str, bool, bool]]:
    return [(item["title"], item["read"], item["acknowledged"]) for item in feed["items"]]


async def test_a_warm_feed_borrows_no_connection(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    d = await demo(client, database_url)
    await d.post(d.secretary, title="Một")
    await app_heard(app, database_url)
    first = await _feed(client, d.member)  # reads the units and the member's receipts
    pool = count_checkouts(app)
    again = await _feed(client, d.member)
    assert pool.acquired == 0, "units and receipts kept: nothing asked of PostgreSQL"
    assert again == first
    assert _shown(again) == [("Một", False, False)]
    assert again["unread_count"] == 1


async def test_a_write_through_one_app_shows_on_the_other_after_its_announcement(
    app: Litestar,
    client: AsyncTestClient[Any],
    other: tuple[Litestar, AsyncTestClient[Litestar]],
    database_url: str,
) -> None:
    other_app, other_client = other
    d = await demo(client, database_url)
    first = await d.post(d.secretary, title="Một")
    await heard(other_app.state.invalidation, database_url)
    assert _shown(await _feed(other_client, d.member)) == [("Một", False, False)]
    pool = count_checkouts(other_app)
    assert _shown(await _feed(other_client, d.member)) == [("Một", False, False)]
    assert pool.acquired == 0, "the other app serves the feed from its copies"

    # A notice posted through the first app: the other hears of it at commit.
    asks = await d.post(d.secretary, title="Hai", requires_acknowledgement=True)
    await heard(other_app.state.invalidation, database_url)
    feed = await _feed(other_client, d.member)
    assert _shown(feed) == [("Hai", False, False), ("Một", False, False)]
    assert feed["unread_count"] == 2

    # The member reads and acknowledges on the first app (a phone served by one worker, a tablet by another).
    assert (await client.post(f"/api/v1/notices/{first['id']}/read", headers=d.member)).status_code == 200
    assert (await client.post(f"/api/v1/notices/{asks['id']}/acknowledge", headers=d.member)).status_code == 200
    await heard(other_app.state.invalidation, database_url)
    feed = await _feed(other_client, d.member)
    assert _shown(feed) == [("Hai", True, True), ("Một", True, False)]
    assert feed["unread_count"] == 0

    # An edit and a withdrawal.
    edited = await client.put(
        f"/api/v1/notices/{first['id']}", headers=d.secretary, json={"revision": first["revision"], "title": "Sửa"}
    )
    assert edited.status_code == 200, edited.text
    withdrawn = await client.post(
        f"/api/v1/notices/{asks['id']}/withdraw", headers=d.secretary, json={"revision": asks["revision"]}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    await heard(other_app.state.invalidation, database_url)
    assert _shown(await _feed(other_client, d.member)) == [("Sửa", True, False)]

    # A receipt written by neither app (an import, psql): the trigger announces it too.
    await fetch(database_url, "delete from notice_receipts where member_id = $1::uuid", d.member_id)
    await heard(other_app.state.invalidation, database_url)
    pool.acquired = 0
    feed = await _feed(other_client, d.member)
    assert _shown(feed) == [("Sửa", False, False)]
    assert feed["unread_count"] == 1
    assert pool.acquired == 1, "the member's receipts were read again, once"
    await _feed(other_client, d.member)
    assert pool.acquired == 1


async def test_the_writer_sees_its_own_writes_before_any_announcement(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    d = await demo(client, database_url)
    notice = await d.post(d.secretary, title="Một")
    await app_heard(app, database_url)
    assert _shown(await _feed(client, d.member)) == [("Một", False, False)]

    # This app hears nothing from now on: what it shows of its own writes cannot come from an announcement.
    feeds: FeedCache = app.state[FEED_CACHE]
    listener: InvalidationListener = app.state.invalidation
    listener.off("notice_unit", feeds._unit_changed)  # deafening one cache for the test
    listener.off("notice_receipts", feeds._receipts_changed)
    try:
        assert (await client.post(f"/api/v1/notices/{notice['id']}/read", headers=d.member)).status_code == 200
        feed = await _feed(client, d.member)
        assert _shown(feed) == [("Một", True, False)], "the member's own read, at once"
        assert feed["unread_count"] == 0

        await d.post(d.secretary, title="Hai")
        assert _shown(await _feed(client, d.member)) == [("Hai", False, False), ("Một", True, False)]
        pool = count_checkouts(app)
        await _feed(client, d.member)
        assert pool.acquired == 0, "once the writes are done, their results are kept again"

        # The same kind of change made elsewhere is not seen by a deaf cache: the test's premise holds.
        await fetch(database_url, "delete from notice_receipts where member_id = $1::uuid", d.member_id)
        await app_heard(app, database_url)
        assert _shown(await _feed(client, d.member))[1] == ("Một", True, False)
    finally:
        listener.on("notice_unit", feeds._unit_changed)
        listener.on("notice_receipts", feeds._receipts_changed)


async def test_a_lost_listener_sends_every_feed_to_the_database_until_it_is_back(
    app: Litestar, client: AsyncTestClient[Any], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(invalidation, "RECONNECT_SECONDS", (3.0, 0.5))  # away long enough to look at
    d = await demo(client, database_url)
    await d.post(d.secretary, title="Một")
    await app_heard(app, database_url)
    await _feed(client, d.member)
    feeds: FeedCache = app.state[FEED_CACHE]
    assert feeds.announced

    await cut_listeners(database_url)

    async def deaf() -> bool:
        return not feeds.announced

    await eventually(deaf, "the feed cache hears that the listener is lost")
    assert feeds.receipts_kept() == 0

    # Written while nobody listens: no announcement reaches this app, the version read with the request does.
    await scalar(
        database_url,
        "insert into notices (id, unit_id, author_id, author_name, title, body_md, body_html, summary) "
        "select gen_random_uuid(), unit_id, author_id, author_name, 'Lúc mất kết nối', 'b', '<p>b</p>', 'b' "
        "from notices limit 1",
    )
    await fetch(
        database_url,
        "insert into notice_receipts (notice_id, member_id, branch_id) "
        "select id, $1::uuid, unit_id from notices where title = 'Một'",
        d.member_id,
    )
    pool = count_checkouts(app)
    feed = await _feed(client, d.member)
    assert _shown(feed) == [("Lúc mất kết nối", False, False), ("Một", True, False)]
    assert feed["unread_count"] == 1
    assert pool.acquired == 1
    await _feed(client, d.member)
    assert pool.acquired == 2, "every request asks the database while the listener is away"

    async def back() -> bool:
        return feeds.announced

    await eventually(back, "the listener reconnects")
    await _feed(client, d.member)
    pool.acquired = 0
    assert _shown(await _feed(client, d.member)) == [("Lúc mất kết nối", False, False), ("Một", True, False)]
    assert pool.acquired == 0, "copies are trusted again once the listener is back"


async def _wait_for_database_time(database_url: str, deadline: datetime) -> None:
    seconds = await scalar(database_url, "select extract(epoch from $1::timestamptz - now())::float", deadline)
    await asyncio.sleep(max(0.0, seconds) + 0.1)
    assert await scalar(database_url, "select now() > $1::timestamptz", deadline)


async def test_a_scheduled_notice_comes_out_when_its_time_comes_with_no_announcement(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    d = await demo(client, database_url)
    await d.post(d.secretary, title="Cũ")
    insert = (
        "insert into notices (id, unit_id, author_id, author_name, title, body_md, body_html, summary, "
        "publish_at, expires_at) select gen_random_uuid(), $1, author_id, author_name, $2, 'b', '<p>b</p>', 'b', "
        "$3::timestamptz, $4::timestamptz from notices limit 1"
    )
    soon = await scalar(database_url, "select clock_timestamp() + interval '6 seconds'")
    an_hour_ago = await scalar(database_url, "select now() - interval '1 hour'")
    await scalar(database_url, insert, d.branch_id, "Sắp đăng", soon, None)
    await scalar(database_url, insert, d.branch_id, "Sắp hết hạn", an_hour_ago, soon)
    await app_heard(app, database_url)
    feed = await _feed(client, d.member)
    assert [item["title"] for item in feed["items"]] == ["Cũ", "Sắp hết hạn"]
    pool = count_checkouts(app)
    assert (await _feed(client, d.member)) == feed
    assert pool.acquired == 0, "kept until the next scheduled change"
    assert await scalar(database_url, "select now() < $1::timestamptz", soon), "premise: the change is still to come"

    await _wait_for_database_time(database_url, soon)
    feed = await _feed(client, d.member)
    assert [item["title"] for item in feed["items"]] == ["Sắp đăng", "Cũ"], "time alone changed the feed"
    assert feed["unread_count"] == 2
    assert pool.acquired == 1, "the branch's copy was read again at its deadline"


async def test_the_receipts_kept_are_bounded(database_url: str) -> None:
    """Two caches with their own listeners, as two workers; the receipts of at most ``receipt_members``."""
    members = await fetch(
        database_url,
        "select m.id, b.path from members m join org_units b on b.id = m.branch_id where m.status = 'active' "
        "order by m.id limit 3",
    )
    assert len(members) == 3
    pool = await create_pool(database_url, min_size=1, max_size=2)
    listeners = [InvalidationListener(database_url), InvalidationListener(database_url)]
    small, large = FeedCache(listeners[0], receipt_members=2), FeedCache(listeners[1], receipt_members=10)
    try:
        for listener in listeners:
            await listener.start()
        for member in members:
            for feeds in (small, large):
                await feeds.first_page(pool.acquire, tuple(member["path"]), member["id"], 20)
        assert (small.receipts_kept(), large.receipts_kept()) == (2, 3)

        first: UUID = members[0]["id"]
        notice = await scalar(
            database_url,
            "insert into notices (id, unit_id, author_id, author_name, title, body_md, body_html, summary) "
            "select gen_random_uuid(), $1, id, 'A', 'Mới', 'b', '<p>b</p>', 'b' from accounts limit 1 returning id",
            members[0]["path"][-1],
        )
        await scalar(
            database_url,
            "insert into notice_receipts (notice_id, member_id, branch_id) values ($1, $2, $3)",
            notice,
            first,
            members[0]["path"][-1],
        )
        for listener in listeners:
            await heard(listener, database_url)
        assert large.receipts_kept() == 2, "the member's announced receipts were let go"
        page = await large.first_page(pool.acquire, tuple(members[0]["path"]), first, 20)
        assert page.items[0].title == "Mới"
        assert page.items[0].read
    finally:
        for listener in listeners:
            await listener.stop()
        await pool.close()


async def test_a_bulk_write_of_receipts_lets_every_member_go(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    d: Demo = await demo(client, database_url)
    notice = await d.post(d.secretary, title="Một")
    await app_heard(app, database_url)
    await _feed(client, d.member)
    feeds: FeedCache = app.state[FEED_CACHE]
    assert feeds.receipts_kept() == 1
    # More than 100 members in one statement: one announcement for all of them, not one each.
    heard_here: list[str] = []
    conn = await connect(database_url)
    try:
        await conn.add_listener(CHANNEL, lambda *message: heard_here.append(str(message[-1])))
        await scalar(
            database_url,
            "insert into notice_receipts (notice_id, member_id, branch_id) "
            "select $1::uuid, m.id, m.branch_id from members m",
            notice["id"],
        )
        await app_heard(app, database_url)
        await conn.execute("select 1")  # let this connection's notifications in too
    finally:
        await conn.close()
    assert await scalar(database_url, "select count(*) from members") > 100
    assert [text for text in heard_here if text.startswith("notice_receipts:")] == ["notice_receipts:"]
    assert feeds.receipts_kept() == 0
    assert _shown(await _feed(client, d.member)) == [("Một", True, False)]


def test_a_copy_is_kept_until_the_next_change_by_the_databases_clock_whatever_the_apps() -> None:
    """The deadline is the database's interval to its next change, counted on this worker's monotonic clock
    from before the statement was sent: the machines' wall clocks may disagree by hours."""
    database_now = datetime(2031, 1, 1, 12, 0, tzinfo=UTC)  # far from this machine's own time
    row = {
        "now": database_now,
        "version": 7,
        "unit_name": "Chi bộ",
        "id": uuid4(),
        "author_name": "A",
        "title": "Sắp đăng",
        "summary": "s",
        "category": "general",
        "pinned": False,
        "requires_ack": False,
        "publish_at": database_now + timedelta(seconds=2),
        "expires_at": None,
    }
    unit = unit_notices(1, [row], sent=100.0)
    assert unit.live == frozenset()
    assert unit.fresh_until == 102.0

    now = [101.9]
    feeds = FeedCache(clock=lambda: now[0])
    feeds._units.put(1, unit, epoch=feeds._units.epoch())
    assert feeds._announced_unit(1) is unit
    now[0] = 102.0
    assert feeds._announced_unit(1) is None, "read again from the moment the database's clock says"


def test_a_write_whose_request_never_reported_back_ages_out() -> None:
    now = [0.0]
    feeds = FeedCache(clock=lambda: now[0])
    request = RequestWrites()
    writes = FeedWrites(request, feeds)
    writes.unit(5)
    writes.unit(5)  # one request, one mark
    assert ("unit", 5) in feeds._pending
    other = FeedWrites(RequestWrites(), feeds)
    other.unit(5)
    request.settle()
    assert ("unit", 5) in feeds._pending, "another request's write to the unit is still under way"
    now[0] = WRITE_SECONDS + 1  # that request failed after writing: no settle will come
    assert ("unit", 5) not in feeds._pending
