"""The member's notice feed and a province-wide notice's read receipts, on the full synthetic province.

Targets (issue 4, section 7), on this machine:

- the member home feed (notices + next meeting + unread counts) p99 at most 50 ms with 64 concurrent
  clients, over 300,000 notices and about 3,000,000 read receipts. The app's home screen asks
  ``GET /api/v1/notices`` (ListNotices: the notices and their unread count), ``GET /api/v1/meetings?
  when=upcoming`` (ListMeetings: the next meeting) and ``GET /api/v1/notifications?limit=1`` (the inbox's
  unread count), so the load asks the three, one for one for one; each is also loaded alone, and every
  throughput is given as a share of the bare "hello world" served by granian with the same workers in the
  same run;
- ``GET /api/v1/notices/{id}/receipts`` (GetNoticeReceipts) for a province-wide notice, asked by the
  province admin (counts for every branch of the province): at most 100 ms.

    .venv/bin/python -m bench.notices_feed [--members 131000] [--notices 300000] [--reads-per-member 21]
        [--feed-members 64] [--connections 64] [--duration 10] [--workers 1 2] [--keep] [--reuse DATABASE]

The province is bench/search.py's (the synthetic province through the real importer, demo accounts, a
small handbook). Notices are written straight in SQL: 1,000 to the province, 200 to each commune and the
rest spread over the branches, published over the past year, about 1% pinned, a third expiring two weeks
after publication (so most of those have expired), 1% withdrawn and 0.5% scheduled ahead; one more is the
province-wide notice whose receipts are counted. Receipts: every active member has read the
``--reads-per-member`` newest notices of their branch and the two newest of their commune, and 60% the
province-wide one. Meetings: each branch has a monthly template, its occurrences made by the scheduled job's
own function months ahead, a held meeting in each of the past twelve months with 85% of its members
present, and 40% of the members have answered the next one. Inboxes: 40 notifications per active member
over the past year, three unread. Then the tables are vacuumed and analysed, as autovacuum would have done.

``--feed-members`` members of different branches get a password and sign in (bearer tokens); the load
cycles over their home screens (the feed's first page, 20 items, with its unread count; their branch's
meetings to come; their inbox count). The hello world and the feed are then loaded again with
``--low-connections`` clients, where the server's own queueing no longer hides the feed's cost.
Afterwards the receipts are asked one by one on a keep-alive connection, and the statements of a feed
request, of a unit's reload and of the receipt counts run once under ``EXPLAIN (ANALYZE, BUFFERS)``. Figures go to
stdout and bench/results/notices_feed.json; the exit status is 1 when a target is missed.

Building the province takes minutes: ``--keep`` leaves the database (and prints its name), ``--reuse NAME``
measures a kept one again after applying any newer migration (the load only reads, sign-ins aside), so old
and new code can be alternated on one database.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.asgi_server import HOST, ROOT, percentile_ms
from bench.search import (
    DEMO_PASSWORD,
    Measured,
    Request,
    app_env,
    build_corpus,
    built_or_reused,
    granian,
    http_request,
    load,
    machine,
    pick_client,
    sign_in,
    terminate_on_sigterm,
    write_report,
)

RESULTS = ROOT / "bench" / "results" / "notices_feed.json"
TARGET_HOME_P99_MS = 50.0
TARGET_RECEIPTS_MS = 100.0
FEED = "/api/v1/notices"
INBOX_COUNT = "/api/v1/notifications?limit=1"
"""The inbox badge on the home screen, as the app asks for it (pwa/src/app/notifications/inbox.ts)."""
UPCOMING_MEETINGS = "/api/v1/meetings?when=upcoming&include_cancelled=true"
"""The home screen's next meetings, as the app asks for them (pwa/src/app/life/HomeBlock.tsx)."""
MEETING_TEMPLATES = """
insert into meeting_templates (branch_id, title, day_of_month, local_time, duration_minutes, place, agenda_md,
                               months_ahead, materialised_through, created_by)
select b.id, 'Sinh hoạt chi bộ thường kỳ', 1 + b.id % 28, '19:30', 120, 'Hội trường ấp', '', 3,
       (date_trunc('month', now() at time zone 'Asia/Ho_Chi_Minh') - interval '1 month')::date, $1
from org_units b where b.kind = 'branch' and not exists (select from meeting_templates t where t.branch_id = b.id)
"""
PAST_MEETINGS = """
insert into meetings (branch_id, kind, title, starts_at, ends_at, place, agenda_md, agenda_html, status,
                      checkin_secret, minutes_md, minutes_html, minutes_published_at, minutes_updated_at)
select b.id, 'thematic', 'Sinh hoạt tháng ' || g, t.at, t.at + interval '2 hours', 'Hội trường ấp', '', '', 'held',
       decode(md5(b.id::text || g), 'hex') || decode(md5(g || b.id::text), 'hex'), 'Biên bản', '<p>Biên bản</p>',
       t.at + interval '1 day', t.at + interval '1 day'
from org_units b cross join generate_series(1, 12) as g
cross join lateral (select now() - g * interval '1 month' as at) t
where b.kind = 'branch'
"""
PAST_ATTENDANCE = """
insert into meeting_attendance (meeting_id, member_id, marked, marked_at)
select mt.id, m.id, true, mt.ends_at
from meetings mt join members m on m.branch_id = mt.branch_id
where mt.status = 'held' and m.status = 'active' and abs(hashtext(m.id::text || mt.id::text)) % 100 < 85
"""
NEXT_MEETING_RSVPS = """
insert into meeting_rsvps (meeting_id, member_id, response, rsvp_id, answered_at)
select n.id, m.id, case when abs(hashtext(m.id::text)) % 10 < 9 then 'attending' else 'not_attending' end,
       gen_random_uuid(), now() - interval '1 day'
from members m
cross join lateral (
    select id from meetings where branch_id = m.branch_id and starts_at > now() order by starts_at limit 1
) n
where m.status = 'active' and abs(hashtext(m.id::text)) % 10 < 4
"""
BODY = "Kính gửi các đồng chí đảng viên.\n\nĐề nghị các đồng chí **tham dự đầy đủ** và đúng giờ."
HTML = (
    "<p>Kính gửi các đồng chí đảng viên.</p>\n"
    "<p>Đề nghị các đồng chí <strong>tham dự đầy đủ</strong> và đúng giờ.</p>\n"
)
SUMMARY = "Kính gửi các đồng chí đảng viên. Đề nghị các đồng chí tham dự đầy đủ và đúng giờ."

# $1 author, $2 notices per unit, $3 the units. Row g of a unit decides its kind, so runs are alike.
INSERT_NOTICES = """
insert into notices (id, unit_id, author_id, author_name, title, body_md, body_html, summary, category, pinned,
                     requires_ack, publish_at, expires_at, withdrawn_at)
select gen_random_uuid(), t.unit_id, $1, 'Văn phòng', 'Thông báo số ' || t.g, $4, $5, $6,
       (array['general', 'meeting', 'study', 'urgent'])[1 + t.g % 4], t.g % 97 = 0, t.g % 5 = 0, t.at,
       case when t.g % 3 = 0 then t.at + interval '14 days' end,
       case when t.g % 101 = 0 then t.at + interval '1 hour' end
from (
    select u.unit_id, g,
           case when g % 199 = 0 then now() + random() * interval '30 days'
                else now() - random() * interval '365 days' end as at
    from unnest($3::bigint[]) as u (unit_id) cross join generate_series(1, $2) as g
) t
"""
INBOX_ROWS = """
insert into notifications (member_id, outbox_id, kind, category, title, body, url, created_at, read_at, source,
                           branch_id)
select m.id, g, 'notice.published', 'general', 'Thông báo số ' || g, $1, '/notices', now() - g * interval '9 days',
       case when g > 3 then now() - g * interval '9 days' + interval '1 hour' end, 'notice:bench-' || g, m.branch_id
from members m cross join generate_series(1, 40) as g
where m.status = 'active'
"""
MEETING_COUNTS = (
    "(select count(*) from meetings) as meetings, (select count(*) from meetings where ends_at > now()) "
    "as upcoming_meetings, (select count(*) from meeting_attendance) as attendance, "
    "(select count(*) from meeting_rsvps) as rsvps, (select count(*) from notifications) as inbox_rows"
)
READ_BRANCH = """
insert into notice_receipts (notice_id, member_id, branch_id, read_at, acknowledged_at)
select n.id, m.id, m.branch_id, n.publish_at + interval '2 hours',
       case when n.requires_ack then n.publish_at + interval '3 hours' end
from members m
cross join lateral (
    select id, publish_at, requires_ack from notices
    where unit_id = m.branch_id and withdrawn_at is null and publish_at <= now()
    order by publish_at desc limit $1
) n
where m.status = 'active'
"""
READ_COMMUNE = """
insert into notice_receipts (notice_id, member_id, branch_id, read_at)
select n.id, m.id, m.branch_id, n.publish_at + interval '1 day'
from members m
join org_units b on b.id = m.branch_id
cross join lateral (
    select id, publish_at from notices
    where unit_id = b.path[2] and withdrawn_at is null and publish_at <= now()
    order by publish_at desc limit 2
) n
where m.status = 'active'
"""
READ_PROVINCE_WIDE = """
insert into notice_receipts (notice_id, member_id, branch_id, read_at, acknowledged_at)
select $1, m.id, m.branch_id, now() - interval '1 day', case when abs(hashtext(m.id::text)) % 10 < 4 then now() end
from members m where m.status = 'active' and abs(hashtext(m.id::text)) % 10 < 6
"""
FEED_MEMBERS = """
update accounts a set username = 'bench.m' || lpad(pick.n::text, 5, '0'), activated_at = now(),
       password_hash = (select password_hash from accounts where username = 'demo.member')
from (
    select one.id, row_number() over (order by one.branch_id) as n
    from (
        select distinct on (m.branch_id) m.id, m.branch_id
        from members m join accounts x on x.member_id = m.id
        where m.status = 'active' and x.username is null
        order by m.branch_id, hashtext(m.id::text)
    ) one
    order by hashtext(one.id::text)
    limit $1
) pick
where a.member_id = pick.id
returning a.username
"""


async def populate(database: str, args: argparse.Namespace) -> dict[str, Any]:
    """Write the notices and receipts, give the feed members passwords, vacuum; what was written."""
    from api.db import connect  # noqa: PLC0415 - app modules load late

    started = time.perf_counter()
    conn = await connect(database)
    try:
        author = await conn.fetchval("select id from accounts where username = 'demo.admin'")
        units = {
            kind: [r["id"] for r in await conn.fetch("select id from org_units where kind = $1 order by id", kind)]
            for kind in ("province", "commune", "branch")
        }
        text = (BODY, HTML, SUMMARY)
        await conn.execute(INSERT_NOTICES, author, 1_000, units["province"], *text)
        await conn.execute(INSERT_NOTICES, author, 200, units["commune"], *text)
        per_branch = max(1, (args.notices - 1_000 - 200 * len(units["commune"])) // len(units["branch"]))
        await conn.execute(INSERT_NOTICES, author, per_branch, units["branch"], *text)
        wide = await conn.fetchval(
            "insert into notices (id, unit_id, author_id, author_name, title, body_md, body_html, summary, "
            "requires_ack, publish_at) values (gen_random_uuid(), $1, $2, 'Văn phòng', 'Toàn tỉnh', $3, $4, $5, "
            "true, now() - interval '2 days') returning id",
            units["province"][0],
            author,
            *text,
        )
        await conn.execute(READ_BRANCH, args.reads_per_member)
        await conn.execute(READ_COMMUNE)
        await conn.execute(READ_PROVINCE_WIDE, wide)
        logins = [r["username"] for r in await conn.fetch(FEED_MEMBERS, args.feed_members)]
        await schedule_meetings(conn, author)
        await fill_inboxes(conn)
        await conn.execute(
            "vacuum analyze notices, notice_receipts, members, accounts, org_units, notice_branch_reads, "
            "branch_active_members, notice_unit_versions, meetings, meeting_templates, meeting_attendance, "
            "meeting_rsvps, notifications"
        )
        counts = await conn.fetchrow(
            "select (select count(*) from notices) as notices, (select count(*) from notice_receipts) as receipts, "
            "(select count(*) from notice_receipts where notice_id = $1) as wide_reads, " + MEETING_COUNTS,
            wide,
        )
    finally:
        await conn.close()
    return {
        **dict(counts or {}),
        "branches": len(units["branch"]),
        "province_wide_notice": str(wide),
        "feed_logins": logins,
        "seconds": round(time.perf_counter() - started, 1),
    }


async def schedule_meetings(conn: Any, author: Any) -> None:
    """A year of branch life: templates and their next months (by the scheduled job), past meetings held,
    their attendance, and the answers to the next meeting. Nothing when the meetings are there already."""
    if await conn.fetchval("select exists (select from meetings)"):
        return
    from api.meetings.jobs import materialise_due  # noqa: PLC0415 - app modules load late

    await conn.execute(MEETING_TEMPLATES, author)
    await materialise_due(conn, datetime.now(UTC))
    async with conn.transaction():
        await conn.execute(PAST_MEETINGS)
        await conn.execute(PAST_ATTENDANCE)
        await conn.execute(NEXT_MEETING_RSVPS)


async def fill_inboxes(conn: Any) -> None:
    """Every active member's inbox: the last year's 40 notifications, three of them unread. Nothing when the
    inboxes are filled already."""
    if await conn.fetchval("select exists (select from notifications)"):
        return
    await conn.execute(INBOX_ROWS, SUMMARY)
    await conn.execute("vacuum analyze notifications")


async def facts(database: str, args: argparse.Namespace) -> dict[str, Any]:
    """What an already populated database (``--reuse``) holds, after applying any newer migration."""
    from api.db import connect  # noqa: PLC0415
    from api.migrate import migrate  # noqa: PLC0415

    conn = await connect(database)
    try:
        applied = await migrate(conn)
        # A database kept before the meetings were part of the bench gets them now.
        await schedule_meetings(conn, await conn.fetchval("select id from accounts where username = 'demo.admin'"))
        await fill_inboxes(conn)
        counts = await conn.fetchrow(
            "select (select count(*) from notices) as notices, (select count(*) from notice_receipts) as receipts, "
            "(select count(*) from org_units where kind = 'branch') as branches, "
            "(select id from notices where title = 'Toàn tỉnh') as wide, " + MEETING_COUNTS
        )
        assert counts is not None
        wide_reads = await conn.fetchval("select count(*) from notice_receipts where notice_id = $1", counts["wide"])
        logins = await conn.fetch(
            "select username from accounts where username like 'bench.m%' order by username limit $1",
            args.feed_members,
        )
    finally:
        await conn.close()
    return {
        "notices": counts["notices"],
        "receipts": counts["receipts"],
        "meetings": counts["meetings"],
        "upcoming_meetings": counts["upcoming_meetings"],
        "attendance": counts["attendance"],
        "rsvps": counts["rsvps"],
        "inbox_rows": counts["inbox_rows"],
        "wide_reads": wide_reads,
        "branches": counts["branches"],
        "province_wide_notice": str(counts["wide"]),
        "feed_logins": [row["username"] for row in logins],
        "seconds": 0.0,
        "reused": True,
        "migrations_applied": applied,
    }


def province(args: argparse.Namespace, tmp: Path) -> contextlib.AbstractContextManager[tuple[str, str, dict[str, Any]]]:
    """(database URL, Redis URL, what it holds): built afresh (and dropped, unless ``--keep``), or reused."""

    def build(url: str) -> dict[str, Any]:
        asyncio.run(build_corpus(url, sections=60, members=args.members, seed=args.seed))
        return asyncio.run(populate(url, args))

    keep_as = f"ehb_bench_feed_{os.getpid()}" if args.keep else None
    return built_or_reused(
        tmp, reuse=args.reuse, keep_as=keep_as, build=build, facts=lambda url: asyncio.run(facts(url, args))
    )


def server_cpu_seconds(port: int) -> float:
    """CPU time used so far by the server on ``port``: its process group (granian and its workers), from /proc."""
    needle = f"--port\0{port}\0".encode()
    proc = Path("/proc")
    leader = next(
        (int(p.name) for p in proc.iterdir() if p.name.isdigit() and needle in _read(p / "cmdline")),
        None,
    )
    if leader is None:
        return float("nan")
    ticks = 0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        # Fields after the command's closing parenthesis: state, ppid, pgrp, ... utime (14th), stime (15th).
        fields = _read(entry / "stat").rpartition(b")")[2].split()
        if len(fields) > 12 and int(fields[2]) == leader:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # the process ended meanwhile
        return b""


def metered(
    client: str, port: int, requests: list[Request], connections: int, seconds: float
) -> tuple[Measured, dict[str, float]]:
    """``load``, with the server's CPU per completed request and the machine's load average before and after:
    the machine is shared, and a busy neighbour shows in the second figure, not in the first."""
    before, load_before = server_cpu_seconds(port), os.getloadavg()[0]
    measured = load(client, port, requests, connections, seconds)
    cpu = server_cpu_seconds(port) - before
    return measured, {
        "cpu_ms_per_request": 1000 * cpu / max(1, measured.requests),
        "cpu_cores": cpu / measured.seconds,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }


def one_by_one(port: int, path: str, auth: dict[str, str], repeats: int, *, warmup: int) -> dict[str, Any]:
    """``path`` alone on one keep-alive connection, ``repeats`` times after ``warmup`` unmeasured requests.

    The target is the steady state: the first answers prepare the statements, PostgreSQL settles on a
    custom or generic plan for a prepared statement only after five executions, and the worker's caches
    fill. One unmeasured request left all that in the measured ones, where one slow answer in 30 made
    the p99.
    """
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    times: list[int] = []
    try:
        for index in range(warmup + repeats):
            start = time.perf_counter_ns()
            connection.request("GET", path, headers=auth)
            answer = connection.getresponse()
            body = answer.read()
            if answer.status != 200:
                raise RuntimeError(f"GET {path} answered {answer.status}: {body[:300]!r}")
            if index >= warmup:
                times.append(time.perf_counter_ns() - start)
    finally:
        connection.close()
    times.sort()
    return {
        "requests": repeats,
        "bytes": len(body),
        "median_ms": statistics.median(times) / 1e6,
        "p99_ms": percentile_ms(times, 0.99),
        "max_ms": times[-1] / 1e6,
        "slowest_ms": [round(t / 1e6, 1) for t in times[-5:]],
    }


async def explain(database: str, wide: str, login: str) -> dict[str, Any]:
    """The feed of one bench member and the province-wide counts, once each under EXPLAIN ANALYZE."""
    from api.db import connect  # noqa: PLC0415
    from api.notices.feed import Q as FEED  # noqa: PLC0415
    from api.notices.service import Q  # noqa: PLC0415

    conn = await connect(database)
    try:
        member = await conn.fetchrow(
            "select m.id, b.path from accounts a join members m on m.id = a.member_id "
            "join org_units b on b.id = m.branch_id where a.username = $1",
            login,
        )
        assert member is not None
        root = await conn.fetchval("select id from org_units where parent_id is null")
        plans = {
            # What every feed request asks: versions, unit names and the member's own receipts.
            "feed_state": await conn.fetch(
                "explain (analyze, buffers) " + FEED["feed_state"], list(member["path"]), member["id"]
            ),
            # What a worker reads when the province's notices changed (its largest unit).
            "unit_notices (province)": await conn.fetch("explain (analyze, buffers) " + FEED["unit_notices"], root),
            "receipt_counts": await conn.fetch("explain (analyze, buffers) " + Q["receipt_counts"], wide, [root]),
        }
    finally:
        await conn.close()
    report = {}
    for name, rows in plans.items():
        text = [row[0] for row in rows]
        execution = re.search(r"Execution Time: ([\d.]+) ms", "\n".join(text))
        report[name] = {"execution_ms": float(execution.group(1)) if execution else None, "plan": text}
    return report


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    report: dict[str, Any] = {}
    with province(args, tmp) as (db, redis, data):
        logins = data.pop("feed_logins")
        report["data"] = data
        print(
            f"data: {data['notices']:,} notices, {data['receipts']:,} receipts ({data['wide_reads']:,} of the "
            f"province-wide notice), {data['branches']:,} branches, {data['meetings']:,} meetings "
            f"({data['upcoming_meetings']:,} to come), {data['attendance']:,} attendance rows, {data['rsvps']:,} "
            f"answers, {data['inbox_rows']:,} inbox rows, written in {data['seconds']:.0f} s",
            flush=True,
        )
        env = app_env(db, redis, tmp)
        runs = []
        for workers in args.workers:
            with granian("bench.asgi_server:hello_app", {}, workers=workers, log_dir=tmp, ready_path="/") as port:
                load(args.client, port, [("/", {})], args.connections, args.warmup)
                hello, hello_meter = metered(args.client, port, [("/", {})], args.connections, args.duration)
                hello_low = load(args.client, port, [("/", {})], args.low_connections, args.duration)
            with granian("api.asgi:app_from_env", env, workers=workers, log_dir=tmp, ready_path="/health/live") as port:
                auths = [sign_in(port, login, DEMO_PASSWORD) for login in logins]
                feeds: list[Request] = [(FEED, auth) for auth in auths]
                upcoming: list[Request] = [(UPCOMING_MEETINGS, auth) for auth in auths]
                inboxes: list[Request] = [(INBOX_COUNT, auth) for auth in auths]
                for path, auth in (*feeds, *upcoming, *inboxes):
                    status, _, body = http_request(port, "GET", path, headers=auth)
                    if status != 200:
                        raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
                # The home screen: each member's feed, meetings and inbox count, one for one for one.
                homes = [request for three in zip(feeds, upcoming, inboxes, strict=True) for request in three]
                load(args.client, port, homes, args.connections, args.warmup)
                home, home_meter = metered(args.client, port, homes, args.connections, args.duration)
                feed, feed_meter = metered(args.client, port, feeds, args.connections, args.duration)
                meetings, meetings_meter = metered(args.client, port, upcoming, args.connections, args.duration)
                inbox, inbox_meter = metered(args.client, port, inboxes, args.connections, args.duration)
                feed_low, feed_low_meter = metered(args.client, port, feeds, args.low_connections, args.duration)
                # The floor of any signed-in request (session, middleware, one small answer): GET /api/v1/me.
                mes = [("/api/v1/me", auth) for auth in auths]
                me, me_meter = metered(args.client, port, mes, args.connections, args.duration)
                admin = sign_in(port, "demo.admin", DEMO_PASSWORD)
                receipts = one_by_one(
                    port,
                    f"/api/v1/notices/{data['province_wide_notice']}/receipts",
                    admin,
                    args.repeats,
                    warmup=5 * workers,
                )
            runs.append(_verdicts(workers, (hello, home), (args.low_connections, hello_low, feed_low), receipts))
            runs[-1]["feed"] = asdict(feed)
            runs[-1]["meetings"] = asdict(meetings)
            runs[-1]["inbox"] = asdict(inbox)
            runs[-1]["me"] = asdict(me)
            runs[-1]["meters"] = {
                "hello": hello_meter,
                "home": home_meter,
                "feed": feed_meter,
                "feed_low": feed_low_meter,
                "me": me_meter,
                "meetings": meetings_meter,
                "inbox": inbox_meter,
            }
            print_run(runs[-1])
        report["runs"] = runs
        report["explain"] = asyncio.run(explain(db, data["province_wide_notice"], logins[0]))
        for name, plan in report["explain"].items():
            print(f"EXPLAIN ANALYZE {name}: {plan['execution_ms']} ms")
    return report


def _verdicts(
    workers: int, full: tuple[Measured, Measured], low: tuple[int, Measured, Measured], receipts: dict[str, Any]
) -> dict[str, Any]:
    hello, home = full
    home_ok = home.p99_ms <= TARGET_HOME_P99_MS and not home.errors
    return {
        "workers": workers,
        "hello": asdict(hello),
        "home": asdict(home),
        "home_ratio_to_hello": home.rps / hello.rps,
        "low": {
            "connections": low[0],
            "hello": asdict(low[1]),
            "feed": asdict(low[2]),
            "feed_ratio": low[2].rps / low[1].rps,
        },
        "receipts": receipts,
        "verdicts": {
            "home_p99": "PASS" if home_ok else "FAIL",
            "receipts": "PASS" if receipts["p99_ms"] <= TARGET_RECEIPTS_MS else "FAIL",
        },
    }


def print_run(row: dict[str, Any]) -> None:
    header = (
        f"{'':<34} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'x hello':>8} {'target':>9} {'result':>6}"
    )
    print(f"\ngranian, {row['workers']} worker(s)\n{header}\n{'-' * len(header)}")
    hello, home, receipts = row["hello"], row["home"], row["receipts"]
    print(f"{'hello world (bare Litestar)':<34} {hello['rps']:>8.0f} {hello['p50_ms']:>7.2f} {hello['p99_ms']:>7.2f}")
    print(
        f"{'home: notices, meetings, inbox':<34} {home['rps']:>8.0f} {home['p50_ms']:>7.2f} {home['p99_ms']:>7.2f} "
        f"{home['errors']:>6} {row['home_ratio_to_hello']:>8.1%} {'p99<=50':>9} {row['verdicts']['home_p99']:>6}"
    )
    for name, measured in (
        ("ListNotices alone", row["feed"]),
        ("ListMeetings upcoming alone", row["meetings"]),
        ("ListNotifications, count, alone", row["inbox"]),
        ("GetMe (signed-in floor)", row["me"]),
    ):
        figures = f"{measured['rps']:>8.0f} {measured['p50_ms']:>7.2f} {measured['p99_ms']:>7.2f}"
        print(f"{name:<34} {figures} {measured['errors']:>6} {measured['rps'] / hello['rps']:>8.1%}")
    low, clients = row["low"], row["low"]["connections"]
    for name, measured, ratio in (
        (f"hello world, {clients} clients", low["hello"], ""),
        (f"ListNotices, {clients} clients", low["feed"], f"{low['feed_ratio']:>8.1%}"),
    ):
        figures = f"{measured['rps']:>8.0f} {measured['p50_ms']:>7.2f} {measured['p99_ms']:>7.2f}"
        print(f"{name:<34} {figures} {measured['errors']:>6} {ratio}")
    print(
        f"{'GetNoticeReceipts, province, 1 at a time':<34} {1000 / receipts['median_ms']:>8.0f} "
        f"{receipts['median_ms']:>7.2f} {receipts['p99_ms']:>7.2f} {0:>6} {'':>8} {'p99<=100':>9} "
        f"{row['verdicts']['receipts']:>6}"
    )
    print(f"{'':<34} the slowest five: {', '.join(str(t) for t in receipts['slowest_ms'])} ms")
    for name, meter in row["meters"].items():
        print(
            f"{'server CPU, ' + name:<34} {meter['cpu_ms_per_request']:>8.3f} ms a request, "
            f"{meter['cpu_cores']:.2f} cores; load average {meter['load_before']:.2f} -> {meter['load_after']:.2f}"
        )
    sys.stdout.flush()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=131_000, help="members of the synthetic province")
    parser.add_argument("--notices", type=int, default=300_000)
    parser.add_argument("--reads-per-member", type=int, default=21, help="newest branch notices each member read")
    parser.add_argument("--feed-members", type=int, default=64, help="members (one per branch) whose feeds are asked")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--low-connections", type=int, default=8, help="clients of the second, lighter load")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per load")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each load")
    parser.add_argument("--repeats", type=int, default=100, help="receipt reports asked one by one")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="granian worker counts to run")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="DATABASE", help="measure a database kept by --keep")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    pick_client(parser, args)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    terminate_on_sigterm()
    report: dict[str, Any] = {
        "machine": machine(),
        "load": {"client": args.client, "connections": args.connections, "duration_s": args.duration},
        "targets": {"home_p99_ms": TARGET_HOME_P99_MS, "receipts_ms": TARGET_RECEIPTS_MS},
    }
    print(
        f"The home feed and GetNoticeReceipts: {args.members:,} members, about {args.notices:,} notices, "
        f"{args.connections} connections, load from {args.client}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="ehb-bench-") as tmp:
        try:
            report |= run(args, Path(tmp))
        except KeyboardInterrupt:
            print("\ninterrupted: servers stopped", file=sys.stderr)
            return 130
    write_report(args.output, report)
    passed = all(v == "PASS" for row in report["runs"] for v in row["verdicts"].values())
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
