"""The pure parts: rotating codes (derivation, window, drift) and monthly recurrence on the local clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from api.db import connect
from api.meetings import codes, recurrence
from api.meetings.seed import seed_meetings
from api.meetings.views import attendance_count, band

SECRET = bytes(range(32))
START = datetime(2027, 3, 15, 12, 30, tzinfo=UTC)
END = START + timedelta(hours=2)


def test_codes_are_six_digits_stable_and_rotate() -> None:
    step = codes.step_of(START)
    code = codes.code_at(SECRET, step)
    assert len(code) == 6
    assert code.isdigit()
    assert codes.code_at(SECRET, step) == code
    assert codes.code_at(bytes(32), step) != code, "another meeting's secret gives other codes"
    assert len({codes.code_at(SECRET, step + n) for n in range(20)}) > 15
    assert codes.step_start(step) <= START < codes.step_start(step + 1)


def test_a_code_is_valid_around_the_time_it_was_seen_within_the_window() -> None:
    opens, closes = codes.window(START, END)
    seen = START + timedelta(minutes=40)
    code = codes.code_at(SECRET, codes.step_of(seen))
    assert codes.verify(SECRET, code, seen, opens, closes)
    assert codes.verify(SECRET, code, seen + timedelta(seconds=45), opens, closes), "clocks drift a little"
    assert not codes.verify(SECRET, code, seen + timedelta(minutes=3), opens, closes), "but not minutes"
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert not codes.verify(SECRET, wrong, seen, opens, closes)
    # Outside the window no code is valid, even the one derived for that moment.
    early = opens - timedelta(minutes=5)
    assert not codes.verify(SECRET, codes.code_at(SECRET, codes.step_of(early)), early, opens, closes)
    late = closes + timedelta(minutes=5)
    assert not codes.verify(SECRET, codes.code_at(SECRET, codes.step_of(late)), late, opens, closes)


def test_the_exported_secret_is_base32_of_the_secret() -> None:
    text = codes.exported_secret(SECRET)
    assert len(text) == 52
    assert set(text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def test_occurrences_follow_the_local_clock_and_short_months() -> None:
    found = recurrence.occurrences(
        day_of_month=31,
        local_time=time(19, 30),
        duration_minutes=90,
        after=date(2027, 1, 1),
        through=date(2027, 4, 1),
        not_before=datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert [o.month for o in found] == [date(2027, 2, 1), date(2027, 3, 1), date(2027, 4, 1)]
    assert [o.starts_at.astimezone(recurrence.VIETNAM).day for o in found] == [28, 31, 30]
    assert found[0].starts_at == datetime(2027, 2, 28, 12, 30, tzinfo=UTC), "19:30 in Hanoi is 12:30 UTC"
    assert found[0].ends_at - found[0].starts_at == timedelta(minutes=90)


def test_occurrences_never_lie_in_the_past() -> None:
    now = datetime(2027, 3, 15, 13, 0, tzinfo=UTC)  # 20:00 local on the 15th
    found = recurrence.occurrences(
        day_of_month=15,
        local_time=time(19, 30),
        duration_minutes=120,
        after=date(2027, 2, 1),
        through=recurrence.horizon(now, 3),
        not_before=now,
    )
    assert [o.month for o in found] == [date(2027, 4, 1), date(2027, 5, 1), date(2027, 6, 1)]


def test_months_wrap_over_years_and_local_midnight() -> None:
    assert recurrence.add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert recurrence.add_months(date(2027, 1, 1), -1) == date(2026, 12, 1)
    # 18:00 UTC on 31 December is already 1 January in Vietnam.
    assert recurrence.month_of(datetime(2026, 12, 31, 18, 0, tzinfo=UTC)) == date(2027, 1, 1)


def test_bands_and_excused_absences() -> None:
    assert [band(p) for p in (100, 90, 89.99, 75, 74.9, 65, 64.9)] == [
        "at_least_90",
        "at_least_90",
        "75_to_90",
        "75_to_90",
        "65_to_75",
        "65_to_75",
        "below_65",
    ]
    count = attendance_count(active_members=20, present=17, excused=2)
    assert (count.expected, count.attendance_percent, count.band) == (18, 94.4, "at_least_90")
    assert attendance_count(active_members=2, present=0, excused=2).band is None
    # 89.96% rounds to 90.0 for display but stays below the top band.
    almost = attendance_count(active_members=2499, present=2248, excused=0)
    assert (almost.attendance_percent, almost.band) == (90.0, "75_to_90")


async def test_the_seed_gives_every_branch_its_monthly_meetings_once(database_url: str) -> None:
    conn = await connect(database_url)
    try:
        async with conn.transaction():
            made = await seed_meetings(conn)
            again = await seed_meetings(conn)
        branches = await conn.fetchval("select count(*) from org_units where kind = 'branch'")
        templates = await conn.fetchval("select count(*) from meeting_templates")
        meetings = await conn.fetchval("select count(*) from meetings")
    finally:
        await conn.close()
    assert (templates, again) == (branches, 0)
    assert made == meetings >= 3 * branches
