"""The home screen's meetings with no round trip: each worker's copies of branches' meetings to come and of
members' answers, kept by announcements (decision 41).

A warm listing borrows no connection; what another worker writes shows once its announcement has arrived,
whoever wrote it (a route, psql); what this worker writes shows at once; a lost listener sends every listing
to the database; a meeting that ends leaves the list with nobody writing anything.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api import invalidation
from api.invalidation import InvalidationListener
from api.meetings.routes import UPCOMING_MEETINGS
from api.meetings.upcoming import UpcomingMeetings
from tests.announced import app_heard, count_checkouts, cut_listeners, eventually, heard
from tests.meetings.support import MEETINGS, Branch, demo_branch, sql

UPCOMING = f"{MEETINGS}?when=upcoming&include_cancelled=true"


async def _listing(client: AsyncTestClient[Any], who: dict[str, str], url: str = UPCOMING) -> list[dict[str, Any]]:
    answer = await client.get(url, headers=who)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def _shown(items: list[dict[str, Any]]) -> list[tuple[str, str, str | None, str | None]]:
    return [(item["title"], item["status"], item["my_rsvp"], item["my_absence_status"]) for item in items]


async def _schedule(client: AsyncTestClient[Any], branch: Branch, title: str, days: int) -> dict[str, Any]:
    starts = datetime.now(UTC) + timedelta(days=days)
    answer = await client.post(
        MEETINGS,
        headers=branch.secretary,
        json={"kind": "thematic", "title": title, "starts_at": starts.isoformat(), "duration_minutes": 90},
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def _upcoming_titles(database_url: str, branch_id: int) -> list[str]:
    """What the branch has to come, straight from the database (the premise of a test that compares)."""
    rows = await sql(
        database_url,
        "select title from meetings where branch_id = $1 and ends_at > now() order by starts_at, id",
        branch_id,
    )
    return [row["title"] for row in rows]


async def test_a_warm_listing_borrows_no_connection_and_revalidates_with_a_304(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    branch = await demo_branch(client, database_url)
    await _schedule(client, branch, "Chuyên đề", days=3)
    await app_heard(app, database_url)
    first = await client.get(UPCOMING, headers=branch.member)  # reads the branch and the member's answers
    assert first.status_code == 200
    assert "Chuyên đề" in [item["title"] for item in first.json()["items"]]
    assert [item["title"] for item in first.json()["items"]] == await _upcoming_titles(database_url, branch.id)

    pool = count_checkouts(app)
    again = await client.get(UPCOMING, headers=branch.member)
    assert pool.acquired == 0, "the branch and the member's answers kept: nothing asked of PostgreSQL"
    assert again.json() == first.json()
    assert again.headers["etag"] == first.headers["etag"]
    same = await client.get(UPCOMING, headers={**branch.member, "If-None-Match": first.headers["etag"]})
    assert same.status_code == 304
    assert pool.acquired == 0


async def test_writes_through_one_app_or_psql_show_on_the_other_after_their_announcement(
    app: Litestar,
    client: AsyncTestClient[Any],
    other: tuple[Litestar, AsyncTestClient[Litestar]],
    database_url: str,
) -> None:
    other_app, other_client = other
    branch = await demo_branch(client, database_url)
    meeting = await _schedule(client, branch, "Chuyên đề", days=3)
    await heard(other_app.state.invalidation, database_url)
    assert ("Chuyên đề", "scheduled", None, None) in _shown(await _listing(other_client, branch.member))
    pool = count_checkouts(other_app)
    await _listing(other_client, branch.member)
    assert pool.acquired == 0, "the other app serves the listing from its copies"

    def mine(items: list[dict[str, Any]]) -> tuple[str, str, str | None, str | None]:
        return next(shown for item, shown in zip(items, _shown(items), strict=True) if item["id"] == meeting["id"])

    # The member answers and asks to be excused on the first app (a phone served by one worker, a tablet by another).
    rsvp = {"response": "not_attending", "rsvp_id": str(uuid.uuid4())}
    assert (await client.post(f"{MEETINGS}/{meeting['id']}/rsvp", headers=branch.member, json=rsvp)).status_code == 200
    absence = {"absence_id": str(uuid.uuid4()), "reason": "Đi công tác"}
    asked = await client.post(f"{MEETINGS}/{meeting['id']}/absences", headers=branch.member, json=absence)
    assert asked.status_code == 201, asked.text
    await heard(other_app.state.invalidation, database_url)
    assert mine(await _listing(other_client, branch.member)) == ("Chuyên đề", "scheduled", "not_attending", "requested")

    # The secretary approves (a write about another member), then edits and cancels the meeting.
    decided = await client.post(
        f"{MEETINGS}/absences/{absence['absence_id']}/decision", headers=branch.secretary, json={"decision": "approve"}
    )
    assert decided.status_code == 200, decided.text
    edited = await client.put(f"{MEETINGS}/{meeting['id']}", headers=branch.secretary, json={"title": "Đổi tên"})
    assert edited.status_code == 200, edited.text
    await heard(other_app.state.invalidation, database_url)
    assert mine(await _listing(other_client, branch.member)) == ("Đổi tên", "scheduled", "not_attending", "approved")
    cancelled = await client.post(
        f"{MEETINGS}/{meeting['id']}/cancel", headers=branch.secretary, json={"reason": "Bão"}
    )
    assert cancelled.status_code == 200, cancelled.text
    await heard(other_app.state.invalidation, database_url)
    assert mine(await _listing(other_client, branch.member)) == ("Đổi tên", "cancelled", "not_attending", "approved")
    hidden = await _listing(other_client, branch.member, f"{MEETINGS}?when=upcoming")
    assert meeting["id"] not in [item["id"] for item in hidden], "cancelled meetings only when asked for"

    # Written by neither app (an import, psql): the triggers announce it too.
    await sql(database_url, "update org_units set name = 'Chi bộ Đổi Tên' where id = $1", branch.id)
    await sql(database_url, "delete from meeting_rsvps where member_id = $1", branch.member_id)
    await heard(other_app.state.invalidation, database_url)
    pool.acquired = 0
    items = await _listing(other_client, branch.member)
    assert mine(items) == ("Đổi tên", "cancelled", None, "approved")
    assert {item["branch_name"] for item in items} == {"Chi bộ Đổi Tên"}
    assert pool.acquired == 1, "the branch and the member's answers were read again, on one connection"
    await _listing(other_client, branch.member)
    assert pool.acquired == 1


async def test_the_writer_sees_its_own_writes_before_any_announcement(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    branch = await demo_branch(client, database_url)
    meeting = await _schedule(client, branch, "Chuyên đề", days=3)
    await app_heard(app, database_url)
    await _listing(client, branch.member)

    # This app hears nothing from now on: what it shows of its own writes cannot come from an announcement.
    upcoming: UpcomingMeetings = app.state[UPCOMING_MEETINGS]
    listener: InvalidationListener = app.state.invalidation
    listener.off("meeting_branch", upcoming.branches._announced)  # deafening one cache for the test
    listener.off("meeting_member", upcoming.answers._announced)
    try:
        rsvp = {"response": "attending", "rsvp_id": str(uuid.uuid4())}
        answered = await client.post(f"{MEETINGS}/{meeting['id']}/rsvp", headers=branch.member, json=rsvp)
        assert answered.status_code == 200, answered.text
        assert ("Chuyên đề", "scheduled", "attending", None) in _shown(await _listing(client, branch.member))

        await _schedule(client, branch, "Thêm một buổi", days=4)
        titles = [title for title, *_ in _shown(await _listing(client, branch.member))]
        assert titles == await _upcoming_titles(database_url, branch.id)
        assert "Thêm một buổi" in titles
        pool = count_checkouts(app)
        await _listing(client, branch.member)
        assert pool.acquired == 0, "once the writes are done, their results are kept again"

        # The same kind of change made elsewhere is not seen by a deaf cache: the test's premise holds.
        await sql(database_url, "update meetings set title = 'Sửa ngoài' where id = $1", uuid.UUID(meeting["id"]))
        await app_heard(app, database_url)
        assert "Sửa ngoài" not in [title for title, *_ in _shown(await _listing(client, branch.member))]
    finally:
        listener.on("meeting_branch", upcoming.branches._announced)
        listener.on("meeting_member", upcoming.answers._announced)


async def test_a_lost_listener_sends_every_listing_to_the_database_until_it_is_back(
    app: Litestar, client: AsyncTestClient[Any], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(invalidation, "RECONNECT_SECONDS", (3.0, 0.5))  # away long enough to look at
    branch = await demo_branch(client, database_url)
    meeting = await _schedule(client, branch, "Chuyên đề", days=3)
    await app_heard(app, database_url)
    await _listing(client, branch.member)
    upcoming: UpcomingMeetings = app.state[UPCOMING_MEETINGS]
    assert upcoming.announced

    await cut_listeners(database_url)

    async def deaf() -> bool:
        return not upcoming.announced

    await eventually(deaf, "the meetings' copies hear that the listener is lost")
    assert len(upcoming) == 0

    # Written while nobody listens: no announcement reaches this app, so it must read.
    await sql(database_url, "update meetings set title = 'Lúc mất kết nối' where id = $1", uuid.UUID(meeting["id"]))
    pool = count_checkouts(app)
    assert ("Lúc mất kết nối", "scheduled", None, None) in _shown(await _listing(client, branch.member))
    await _listing(client, branch.member)
    assert pool.acquired == 2, "every listing asks the database while the listener is away"

    async def back() -> bool:
        return upcoming.announced

    await eventually(back, "the listener reconnects")
    await _listing(client, branch.member)
    pool.acquired = 0
    assert ("Lúc mất kết nối", "scheduled", None, None) in _shown(await _listing(client, branch.member))
    assert pool.acquired == 0, "copies are trusted again once the listener is back"


async def test_a_meeting_that_ends_leaves_the_list_with_nothing_written(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    branch = await demo_branch(client, database_url)
    rows = await sql(
        database_url,
        "insert into meetings (branch_id, kind, title, starts_at, ends_at, place, agenda_md, agenda_html, "
        "checkin_secret) values ($1, 'thematic', 'Sắp xong', now() - interval '1 hour', now() + interval '6 seconds', "
        "'', '', '', decode(repeat('ab', 32), 'hex')) returning ends_at",
        branch.id,
    )
    ends_at: datetime = rows[0]["ends_at"]
    await app_heard(app, database_url)
    listed = "Sắp xong" in [title for title, *_ in _shown(await _listing(client, branch.member))]
    assert datetime.now(UTC) < ends_at, "the machine was too slow to list the meeting before it ended"
    assert listed
    pool = count_checkouts(app)
    await asyncio.sleep(max(0.0, (ends_at - datetime.now(UTC)).total_seconds()) + 0.2)
    assert "Sắp xong" not in [title for title, *_ in _shown(await _listing(client, branch.member))]
    assert pool.acquired == 0, "nothing changed in the database: the copy itself knows when a meeting has ended"
