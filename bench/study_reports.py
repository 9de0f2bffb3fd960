"""Study reports at province scale: one program assigned to every member of the synthetic province.

Targets (set here, reasons in bench/README.md), on this machine, with the real app under granian:

- the province report (GetStudyReport as the province admin: the total, 95 communes, about 3,000
  branches) p95 at most 200 ms one at a time, and at most 1 s with a few officers asking at once;
- a commune's report (as that commune's officer) and a branch secretary's report (with the member
  list) p95 at most 100 ms one at a time;
- the province's CSV export (``?format=csv``) at most 2 s.

    .venv/bin/python -m bench.study_reports [--members 131000] [--clients 4] [--repeats 30] [--duration 10]
        [--workers 1] [--keep] [--reuse DATABASE]

The province is bench/search.py's (the synthetic province through the real importer, demo accounts, a
handbook of 900 sections in at least three documents). The program is written straight in SQL: three
province-wide documents to read, a quiz of five questions (three attempts), a reflection required, due in
two weeks; ``--older-programs`` earlier programs with the same kind of progress fill the tables as a
province's past years would. Progress of each active member is decided by a hash of their id, so runs are
alike: 70% opened the program, 60% read all three documents and 10% one, 55% took the quiz (one to three
attempts; 52% passed), 55% submitted a reflection (50% accepted, 2% waiting, 3% returned once and sent
again): 50% completed. Then the tables are vacuumed and analysed, as autovacuum would have done.

Each report is asked ``--repeats`` times one at a time on a keep-alive connection, then by ``--clients``
clients at once (threads, one keep-alive connection each) for ``--duration`` seconds: p50/p95/p99 and rows.
The report statements run once under ``EXPLAIN (ANALYZE, BUFFERS)``. ``--keep`` leaves the database
(and prints its URL); ``--reuse`` measures an already populated one without building it again. Figures go
to stdout and bench/results/study_reports.json; the exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import http.client
import io
import json
import os
import re
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.asgi_server import HOST, ROOT, percentile_ms
from bench.search import (
    DEMO_PASSWORD,
    app_env,
    build_corpus,
    built_or_reused,
    granian,
    machine,
    sign_in,
    terminate_on_sigterm,
    write_report,
)

RESULTS = ROOT / "bench" / "results" / "study_reports.json"
OFFICER_LOGIN = "bench.officer"
TARGETS_MS = {
    "province": (200.0, 1000.0),
    "commune": (100.0, None),
    "branch": (100.0, None),
    "province_csv": (2000.0, None),
}
"""Per report: (p95 one at a time, p95 with ``--clients`` at once or None when not targeted)."""

QUESTIONS = [
    {
        "id": f"00000000-0000-4000-8000-00000000000{q}",
        "kind": "single",
        "text": f"Câu hỏi {q}",
        "options": [
            {"id": f"00000000-0000-4000-9000-0000000000{q}{o}", "text": f"Phương án {o}", "correct": o == 1}
            for o in range(1, 5)
        ],
    }
    for q in range(1, 6)
]

# $1 the program. h: a hash of the member (0-99) decides everything, so runs are alike.
MEMBERS_H = """
select m.id, abs(hashtext(m.id::text || $1::uuid::text)) % 100 as h
from members m where m.status = 'active'
"""
INSERT_EVENTS = f"""
insert into study_events (member_id, event_id, program_id, kind, document_id, occurred_at, recorded_at)
select x.id, gen_random_uuid(), $1, e.kind, e.document_id, now() - interval '3 days', now() - interval '3 days'
from ({MEMBERS_H}) x
cross join lateral (
    select 'opened' as kind, null::uuid as document_id where x.h < 70
    union all
    select 'read', d.document_id from unnest($2::uuid[]) with ordinality as d(document_id, n)
    where x.h < 60 or (x.h < 70 and d.n = 1)
    union all
    select 'completed', null where x.h < 50
) e
"""
INSERT_ATTEMPTS = f"""
insert into quiz_attempts (member_id, attempt_id, program_id, answers, correct, total, score_percent, passed,
                           submitted_at)
select x.id, gen_random_uuid(), $1, '[]'::jsonb, s.correct, 5, s.correct * 20.0, s.correct >= 4,
       now() - interval '2 days' + a.n * interval '1 hour'
from ({MEMBERS_H}) x
cross join lateral generate_series(1, 1 + x.h % 3) as a(n)
cross join lateral (
    select case when a.n = 1 + x.h % 3 and x.h < 52 then 4 + x.h % 2 else x.h % 4 end as correct
) s
where x.h < 55
"""
INSERT_REFLECTIONS = f"""
insert into reflections (id, program_id, member_id, version, body, status, submitted_at, reviewed_at)
select gen_random_uuid(), $1, x.id, v.version, 'Bài thu hoạch: liên hệ bản thân và nhiệm vụ của chi bộ.',
       v.status, now() - interval '2 days' + v.version * interval '1 hour',
       case when v.status <> 'submitted' then now() - interval '1 day' end
from ({MEMBERS_H}) x
cross join lateral (
    select 1 as version, case when x.h < 50 then 'accepted' when x.h < 52 then 'submitted' else 'returned' end
           as status
    union all
    select 2, 'submitted' where x.h >= 52
) v
where x.h < 55
"""
OFFICER = """
with officer as (
    update accounts set username = $1, activated_at = now(),
           password_hash = (select password_hash from accounts where username = 'demo.admin')
    where member_id = (select m.id from members m where m.branch_id <> $3 and m.status = 'active'
                       and m.branch_id in (select id from org_units where path @> array[$2::bigint])
                       order by m.card_number limit 1)
    returning id
)
insert into role_grants (account_id, role, unit_id) select id, 'officer', $2 from officer
"""


async def add_program(conn: Any, root: int, author: Any, documents: list[Any], *, due: timedelta, title: str) -> Any:
    """One province-wide program with its materials, quiz and the members' progress; its id."""
    program = await conn.fetchval(
        "insert into study_programs (unit_id, title, description, due_at, reflection_required, reflection_prompt, "
        "created_by, created_at) values ($1, $2, 'Chuyên đề toàn tỉnh', now() + $3, true, "
        "'Liên hệ bản thân.', $4, now() - interval '7 days') returning id",
        root,
        title,
        due,
        author,
    )
    await conn.execute(
        "insert into study_materials (program_id, document_id, position) "
        "select $1, d, n - 1 from unnest($2::uuid[]) with ordinality as t(d, n)",
        program,
        documents,
    )
    await conn.execute(
        "insert into study_quizzes (program_id, pass_percent, max_attempts, questions) values ($1, 80, 3, $2)",
        program,
        QUESTIONS,
    )
    await conn.execute(INSERT_EVENTS, program, documents)
    await conn.execute(INSERT_ATTEMPTS, program)
    await conn.execute(INSERT_REFLECTIONS, program)
    return program


async def populate(database: str, args: argparse.Namespace) -> dict[str, Any]:
    """Write the programs and the members' progress, make a commune officer, vacuum; what was written."""
    from api.db import connect  # noqa: PLC0415 - app modules load late

    started = time.perf_counter()
    conn = await connect(database)
    try:
        root = await conn.fetchval("select id from org_units where parent_id is null")
        author = await conn.fetchval("select id from accounts where username = 'demo.admin'")
        documents = [
            r["id"]
            for r in await conn.fetch(
                "select id from documents where status = 'published' and audience_unit_id = $1 order by id limit 3",
                root,
            )
        ]
        for index in range(args.older_programs):
            await add_program(
                conn, root, author, documents, due=timedelta(days=-30 * (index + 1)), title=f"Chuyên đề cũ {index + 1}"
            )
        program = await add_program(conn, root, author, documents, due=timedelta(days=14), title="Học tập Nghị quyết")
        branch = await conn.fetchrow(
            "select m.branch_id, b.path from accounts a join members m on m.id = a.member_id "
            "join org_units b on b.id = m.branch_id where a.username = 'demo.secretary'"
        )
        assert branch is not None
        commune = branch["path"][-2]
        await conn.execute(OFFICER, OFFICER_LOGIN, commune, branch["branch_id"])
        await conn.execute(
            "vacuum analyze study_programs, study_materials, study_quizzes, study_events, quiz_attempts, "
            "reflections, study_member_status, members, org_units, accounts, role_grants"
        )
        counts = await conn.fetchrow(
            "select (select count(*) from study_events) as events, (select count(*) from quiz_attempts) as attempts, "
            "(select count(*) from reflections) as reflections, "
            "(select count(*) from members where status = 'active') as active_members, "
            "(select count(*) from org_units where kind = 'branch') as branches, "
            "(select count(*) from org_units where kind = 'commune') as communes"
        )
    finally:
        await conn.close()
    return {
        **dict(counts or {}),
        "program": str(program),
        "commune": commune,
        "branch": branch["branch_id"],
        "seconds": round(time.perf_counter() - started, 1),
    }


async def facts(database: str) -> dict[str, Any]:
    """The program, commune and branch of an already populated database (``--reuse``)."""
    from api.db import connect  # noqa: PLC0415

    conn = await connect(database)
    try:
        row = await conn.fetchrow(
            "select (select id from study_programs where title = 'Học tập Nghị quyết') as program, "
            "m.branch_id as branch, b.path[array_length(b.path, 1) - 1] as commune "
            "from accounts a join members m on m.id = a.member_id join org_units b on b.id = m.branch_id "
            "where a.username = 'demo.secretary'"
        )
        assert row is not None
    finally:
        await conn.close()
    return {"program": str(row["program"]), "commune": row["commune"], "branch": row["branch"], "reused": True}


# --- measuring ------------------------------------------------------------------------------------------


def rows_of(body: bytes, *, csv_format: bool) -> int:
    """Rows a report answered: CSV lines after the header, or JSON units and members."""
    if csv_format:
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8-sig")))) - 1
    report = json.loads(body)
    return 1 + len(report["communes"]) + len(report["branches"]) + len(report["members"])


def _get(connection: http.client.HTTPConnection, path: str, auth: dict[str, str]) -> tuple[int, bytes]:
    start = time.perf_counter_ns()
    connection.request("GET", path, headers=auth)
    answer = connection.getresponse()
    body = answer.read()
    if answer.status != 200:
        raise RuntimeError(f"GET {path} answered {answer.status}: {body[:300]!r}")
    return time.perf_counter_ns() - start, body


def _summary(times: list[int], seconds: float, body: bytes, *, csv_format: bool) -> dict[str, Any]:
    times.sort()
    return {
        "requests": len(times),
        "rps": round(len(times) / seconds, 2),
        "p50_ms": round(percentile_ms(times, 0.50), 1),
        "p95_ms": round(percentile_ms(times, 0.95), 1),
        "p99_ms": round(percentile_ms(times, 0.99), 1),
        "max_ms": round(times[-1] / 1e6, 1),
        "bytes": len(body),
        "rows": rows_of(body, csv_format=csv_format),
    }


def one_by_one(port: int, path: str, auth: dict[str, str], repeats: int, *, csv_format: bool) -> dict[str, Any]:
    """``path`` alone on one keep-alive connection, ``repeats`` times (after two unmeasured requests)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    times: list[int] = []
    body = b""
    try:
        for _ in range(2):
            _get(connection, path, auth)
        started = time.perf_counter()
        for _ in range(repeats):
            elapsed, body = _get(connection, path, auth)
            times.append(elapsed)
        seconds = time.perf_counter() - started
    finally:
        connection.close()
    return _summary(times, seconds, body, csv_format=csv_format)


def concurrently(
    port: int, path: str, auth: dict[str, str], clients: int, seconds: float, *, csv_format: bool
) -> dict[str, Any]:
    """``clients`` threads, one keep-alive connection each, asking ``path`` again and again for ``seconds``."""
    times: list[int] = []
    bodies: list[bytes] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            while time.perf_counter() < deadline:
                elapsed, body = _get(connection, path, auth)
                with lock:
                    times.append(elapsed)
                    if not bodies:
                        bodies.append(body)
        except Exception as failure:  # noqa: BLE001 - reported after the run
            failures.append(failure)
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"a client failed: {failures[0]}")
    return {"clients": clients} | _summary(times, time.perf_counter() - started, bodies[0], csv_format=csv_format)


async def explain(database: str, data: dict[str, Any]) -> dict[str, Any]:
    """The report statements once each under EXPLAIN ANALYZE, with the scopes the app passes."""
    from api.db import connect  # noqa: PLC0415
    from api.study.reports import Q  # noqa: PLC0415

    conn = await connect(database)
    try:
        root = await conn.fetchval("select id from org_units where parent_id is null")
        program = data["program"]
        statements: dict[str, tuple[str, tuple[Any, ...]]] = {
            "report_units (province)": (Q["report_units"], (program, [root])),
            "report_units (commune)": (Q["report_units"], (program, [data["commune"]])),
            "report_units (branch)": (Q["report_units"], (program, [data["branch"]])),
            "report_members (branch)": (Q["report_members"], (program, [data["branch"]])),
        }
        plans = {}
        for name, (query, args) in statements.items():
            await conn.fetch(query, *args)  # warm, as the app's pool is
            plans[name] = [r[0] for r in await conn.fetch("explain (analyze, buffers) " + query, *args)]
    finally:
        await conn.close()
    report = {}
    for name, text in plans.items():
        execution = re.search(r"Execution Time: ([\d.]+) ms", "\n".join(text))
        report[name] = {"execution_ms": float(execution.group(1)) if execution else None, "plan": text}
    return report


def database(args: argparse.Namespace, tmp: Path) -> contextlib.AbstractContextManager[tuple[str, str, dict[str, Any]]]:
    """(database URL, Redis URL, what was written): built afresh, or the one ``--reuse`` names."""

    def build(url: str) -> dict[str, Any]:
        asyncio.run(build_corpus(url, sections=900, members=args.members, seed=args.seed))
        return asyncio.run(populate(url, args))

    keep_as = f"ehb_bench_study_{os.getpid()}" if args.keep else None
    return built_or_reused(
        tmp, reuse=args.reuse, keep_as=keep_as, build=build, facts=lambda url: asyncio.run(facts(url))
    )


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    report: dict[str, Any] = {}
    with database(args, tmp) as (db, redis, data):
        report["data"] = data
        print(f"data: {json.dumps(data, default=str)}", flush=True)
        url = f"/api/v1/study/programs/{data['program']}/report"
        runs = []
        for workers in args.workers:
            env = app_env(db, redis, tmp)
            with granian("api.asgi:app_from_env", env, workers=workers, log_dir=tmp, ready_path="/health/live") as port:
                asks = {
                    "province": (sign_in(port, "demo.admin", DEMO_PASSWORD), url),
                    "commune": (sign_in(port, OFFICER_LOGIN, DEMO_PASSWORD), url),
                    "branch": (sign_in(port, "demo.secretary", DEMO_PASSWORD), url),
                    "province_csv": (sign_in(port, "demo.admin", DEMO_PASSWORD), url + "?format=csv"),
                }
                figures: dict[str, Any] = {"workers": workers, "loadavg": os.getloadavg()}
                for name, (auth, path) in asks.items():
                    is_csv = name.endswith("csv")
                    alone = one_by_one(port, path, auth, args.repeats, csv_format=is_csv)
                    together = concurrently(port, path, auth, args.clients, args.duration, csv_format=is_csv)
                    figures[name] = {"alone": alone, "together": together, "verdict": _verdict(name, alone, together)}
                figures["loadavg_after"] = os.getloadavg()
            runs.append(figures)
            print_run(figures, args.clients)
        report["runs"] = runs
        report["explain"] = asyncio.run(explain(db, data))
        for name, plan in report["explain"].items():
            print(f"EXPLAIN ANALYZE {name}: {plan['execution_ms']} ms")
    return report


def _verdict(name: str, alone: dict[str, Any], together: dict[str, Any]) -> str:
    target_alone, target_together = TARGETS_MS[name]
    ok = alone["p95_ms"] <= target_alone and (target_together is None or together["p95_ms"] <= target_together)
    return "PASS" if ok else "FAIL"


def _target_text(name: str) -> str:
    alone, together = TARGETS_MS[name]
    return f"p95<={alone:.0f}" + (f", {together:.0f}" if together else "")


def print_run(figures: dict[str, Any], clients: int) -> None:
    load = ", ".join(f"{x:.2f}" for x in figures["loadavg"])
    header = (
        f"{'':<26} {'rows':>6} {'KB':>6} {'p50':>7} {'p95':>7} {'p99':>7} | {clients} at once: "
        f"{'req/s':>6} {'p50':>7} {'p95':>7} {'p99':>7}  {'target ms':>14} result"
    )
    print(f"\ngranian, {figures['workers']} worker(s), load average at start {load}\n{header}\n{'-' * len(header)}")
    labels = {
        "province": "province (admin)",
        "commune": "commune (officer)",
        "branch": "branch (secretary)",
        "province_csv": "province CSV (admin)",
    }
    for name, label in labels.items():
        alone, together = figures[name]["alone"], figures[name]["together"]
        print(
            f"{label:<26} {alone['rows']:>6} {alone['bytes'] / 1024:>6.0f} {alone['p50_ms']:>7.1f} "
            f"{alone['p95_ms']:>7.1f} {alone['p99_ms']:>7.1f} | {'':>{len(str(clients)) + 10}}"
            f"{together['rps']:>6.1f} {together['p50_ms']:>7.1f} {together['p95_ms']:>7.1f} "
            f"{together['p99_ms']:>7.1f}  {_target_text(name):>14} {figures[name]['verdict']}"
        )
    sys.stdout.flush()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=131_000, help="members of the synthetic province")
    parser.add_argument("--older-programs", type=int, default=2, help="earlier province-wide programs")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeats", type=int, default=30, help="requests of each report one at a time")
    parser.add_argument("--clients", type=int, default=4, help="clients asking the same report at once")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of each concurrent load")
    parser.add_argument("--workers", type=int, nargs="+", default=[1], help="granian worker counts to run")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="DATABASE", help="measure a database kept by --keep")
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    terminate_on_sigterm()
    report: dict[str, Any] = {
        "machine": machine(),
        "load": {"clients": args.clients, "repeats": args.repeats, "duration_s": args.duration},
        "targets_ms": TARGETS_MS,
    }
    print(f"GetStudyReport: {args.members:,} members, {args.clients} clients at once", flush=True)
    with tempfile.TemporaryDirectory(prefix="ehb-bench-") as tmp:
        try:
            report |= run(args, Path(tmp))
        except KeyboardInterrupt:
            print("\ninterrupted: servers stopped", file=sys.stderr)
            return 130
    write_report(args.output, report)
    passed = all(row[name]["verdict"] == "PASS" for row in report["runs"] for name in TARGETS_MS)
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
