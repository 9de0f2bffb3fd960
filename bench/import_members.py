"""Benchmark the member import at province size: 131,000 rows first, then again unchanged, then 1% changed.

Targets (from the issue): the first import and the idempotent re-run each within 30 seconds on a 2-core
machine. For scale, the same run times a plain ``COPY`` of the very file into an unindexed scratch table:
the floor any import pays to get the rows into PostgreSQL, so the ratio says what validation, scope checks
and the upsert cost on top.

    .venv/bin/python -m bench.import_members [--members 131000] [--seed 2026]

PostgreSQL comes from ``EHB_BENCH_DATABASE_URL`` (a fresh database is created on that server and dropped
afterwards) or, without it, an embedded server in a temporary folder deleted at the end. Redis plays no
part in an import, so none is started. Figures go to stdout and to ``bench/results/import_members.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import msgspec

from api.context import RequestContext
from api.db import connect
from api.members.csvformat import MemberRow, parse_member_csv, write_member_csv
from api.members.fields import COLUMNS
from api.members.importer import import_members_file
from api.members.schemas import ImportReport
from api.members.synthetic import generate_province
from api.migrate import migrate
from api.org.service import insert_units

DEFAULT_MEMBERS = 131_000
DEFAULT_SEED = 2026
TARGET_SECONDS = 30.0
TODAY = date(2026, 11, 1)
"""The generator's and the validator's "today": fixed, so every run imports exactly the same file."""
RESULTS = Path(__file__).resolve().parent / "results" / "import_members.json"

T = TypeVar("T")


class Step(msgspec.Struct, frozen=True):
    """One timed step and what it did."""

    name: str
    rows: int
    seconds: float
    target_seconds: float | None = None
    inserted: int | None = None
    updated: int | None = None
    unchanged: int | None = None
    rejected: int | None = None

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")

    @property
    def passed(self) -> bool | None:
        return None if self.target_seconds is None else self.seconds <= self.target_seconds


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A server DSN: EHB_BENCH_DATABASE_URL, else an embedded server in a temporary folder."""
    external = os.environ.get("EHB_BENCH_DATABASE_URL")
    if external:
        yield external
        return
    from api.embedded import embedded_postgres  # noqa: PLC0415 - only needed without an external server

    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ehb-bench-")))
        # Exits run in reverse: the server stops before its folder is removed.
        yield stack.enter_context(embedded_postgres(tmp, database="postgres"))


def with_database(dsn: str, database: str) -> str:
    return urlunsplit(urlsplit(dsn)._replace(path="/" + database))


@contextlib.asynccontextmanager
async def fresh_database(server_dsn: str) -> Any:
    """Create an empty database for this run and drop it afterwards, whatever happens."""
    name = f"ehb_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'create database "{name}"')
    finally:
        await admin.close()
    try:
        yield with_database(server_dsn, name)
    finally:
        admin = await asyncpg.connect(server_dsn)
        try:
            await admin.execute(f'drop database if exists "{name}" with (force)')
        finally:
            await admin.close()


async def timed(action: Callable[[], Awaitable[T]]) -> tuple[T, float]:
    start = time.perf_counter()
    result = await action()
    return result, time.perf_counter() - start


def one_percent_changed(rows: list[MemberRow]) -> tuple[list[MemberRow], int]:
    """Every hundredth member gets a new phone number or position, as a monthly re-export would show."""
    changed, count = list(rows), 0
    for index in range(0, len(rows), 100):
        row = rows[index]
        if index % 200 == 0:
            phone = f"09{index % 10**8:08d}"
            changed[index] = msgspec.structs.replace(row, phone=phone if phone != row.phone else "0388888888")
        else:
            changed[index] = msgspec.structs.replace(row, position=row.position + " (kiêm nhiệm)")
        count += 1
    return changed, count


async def copy_baseline(conn: asyncpg.Connection[asyncpg.Record], data: bytes) -> float:
    """COPY the raw file into an unindexed scratch table of text columns: the floor of any import."""
    columns = ", ".join(f"{column.header} text" for column in COLUMNS)
    async with conn.transaction():
        await conn.execute(f"create temp table copy_baseline ({columns}) on commit drop")
        _, seconds = await timed(
            lambda: conn.copy_to_table(
                "copy_baseline", source=io.BytesIO(data.removeprefix(b"\xef\xbb\xbf")), format="csv", header=True
            )
        )
    return seconds


async def run_import(
    conn: asyncpg.Connection[asyncpg.Record], data: bytes, name: str, root_id: int
) -> tuple[ImportReport, float]:
    """One import as the CLI runs it: one transaction, committed; the time includes the commit."""
    ctx = RequestContext(principal=None, ip=None, user_agent="ehandbook bench")

    async def action() -> ImportReport:
        async with conn.transaction():
            return await import_members_file(
                conn, ctx, data, file_name=name, scope_unit_ids=[root_id], dry_run=False, today=TODAY
            )

    return await timed(action)


def check(report: ImportReport, *, rows: int, inserted: int, updated: int, unchanged: int) -> None:
    found = (report.rows_total, report.inserted, report.updated, report.unchanged, report.rejected)
    expected = (rows, inserted, updated, unchanged, 0)
    if found != expected:
        first = report.errors[:3]
        raise SystemExit(f"unexpected import report {found}, expected {expected}; first errors: {first}")


def step_of(name: str, report: ImportReport, seconds: float) -> Step:
    return Step(
        name=name,
        rows=report.rows_total,
        seconds=seconds,
        target_seconds=TARGET_SECONDS,
        inserted=report.inserted,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=report.rejected,
    )


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


async def bench(members: int, seed: int, server_dsn: str) -> tuple[list[Step], dict[str, Any]]:
    # Other work on the machine skews the figures; the load average is kept with them to say so.
    load_at_start = [round(load, 2) for load in os.getloadavg()] if hasattr(os, "getloadavg") else None
    generated = time.perf_counter()
    province = generate_province(members, seed, today=TODAY)
    data = write_member_csv(province.members)
    changed_rows, changed_count = one_percent_changed(province.members)
    changed_data = write_member_csv(changed_rows)
    generated = time.perf_counter() - generated
    print(f"generated {members:,} members, {len(province.units):,} units, {len(data) / 1e6:.1f} MB of CSV "
          f"in {generated:.1f} s (not timed below)", flush=True)  # fmt: skip

    async with fresh_database(server_dsn) as dsn:
        conn = await connect(dsn)
        try:
            await migrate(conn)
            async with conn.transaction():
                await insert_units(conn, [(u.code, u.name, u.kind, u.parent_code) for u in province.units])
            root_id = await conn.fetchval("select id from org_units where parent_id is null")
            server_version = await conn.fetchval("show server_version")

            baseline = Step("baseline: COPY file into scratch table", members, await copy_baseline(conn, data))
            start = time.perf_counter()
            parsed = parse_member_csv(data, today=TODAY)
            parse = Step("parse + validate only (no database)", len(parsed.rows), time.perf_counter() - start)
            del parsed

            first, first_s = await run_import(conn, data, "bench-first.csv", root_id)
            check(first, rows=members, inserted=members, updated=0, unchanged=0)
            again, again_s = await run_import(conn, data, "bench-again.csv", root_id)
            check(again, rows=members, inserted=0, updated=0, unchanged=members)
            delta, delta_s = await run_import(conn, changed_data, "bench-changed.csv", root_id)
            check(delta, rows=members, inserted=0, updated=changed_count, unchanged=members - changed_count)
        finally:
            await conn.close()

    steps = [
        baseline,
        parse,
        step_of("(a) first import: all new", first, first_s),
        step_of("(b) same file again: all unchanged", again, again_s),
        step_of("(c) 1% of rows changed", delta, delta_s),
    ]
    machine = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "processor": cpu_model(),
        "load_average_at_start": load_at_start,
        "python": platform.python_version(),
        "postgres": server_version,
        "postgres_source": "external" if os.environ.get("EHB_BENCH_DATABASE_URL") else "embedded (pgserver)",
        "csv_bytes": len(data),
        "units": len(province.units),
    }
    return steps, machine


def table(steps: list[Step], baseline: float) -> str:
    header = f"{'step':<40} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'x COPY':>7} {'target':>8} {'result':>6}"
    lines = [header, "-" * len(header)]
    for step in steps:
        target = f"<= {step.target_seconds:.0f} s" if step.target_seconds is not None else "-"
        result = {True: "PASS", False: "FAIL", None: "-"}[step.passed]
        lines.append(
            f"{step.name:<40} {step.rows:>9,} {step.seconds:>8.2f} {step.rows_per_second:>9,.0f} "
            f"{step.seconds / baseline:>7.1f} {target:>8} {result:>6}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--members", type=int, default=DEFAULT_MEMBERS, help="rows in the file (default 131000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the synthetic province")
    args = parser.parse_args(argv)
    if args.members < 100:
        parser.error("--members must be at least 100 (1% of the rows change in step c)")

    with postgres_server() as server_dsn:
        steps, machine = asyncio.run(bench(args.members, args.seed, server_dsn))

    baseline = steps[0].seconds
    print(table(steps, baseline))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = {
        "benchmark": "import_members",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "members": args.members,
        "seed": args.seed,
        "target_seconds": TARGET_SECONDS,
        "machine": machine,
        "steps": [
            {
                **msgspec.to_builtins(step),
                "rows_per_second": round(step.rows_per_second),
                "ratio_to_baseline": round(step.seconds / baseline, 2),
                "passed": step.passed,
            }
            for step in steps
        ],
    }
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"figures written to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    return 0 if all(step.passed is not False for step in steps) else 1


if __name__ == "__main__":
    sys.exit(main())
