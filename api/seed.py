"""Seed a synthetic province (demo, tests, benchmarks) and the demo accounts.

The members go through the real importer, so the seed exercises the same path as a real import.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import msgspec

from api.auth.passwords import Passwords
from api.context import RequestContext
from api.db import Connection
from api.feedback.seed import seed_feedback
from api.handbook.seed import seed_handbook
from api.meetings.seed import seed_meetings
from api.members.csvformat import ParseResult
from api.members.importer import import_member_rows
from api.members.synthetic import generate_province
from api.notices.seed import seed_notices
from api.org.service import insert_units

DEMO_USERS = ("demo.member", "demo.secretary", "demo.moderator", "demo.admin")
SEED_DAY = date(2026, 11, 1)
"""A fixed "today" for generated dates, so a seed is the same on every machine and every day."""


class SeedReport(msgspec.Struct, frozen=True):
    units: int
    members: int
    sections: int


async def already_seeded(conn: Connection) -> bool:
    return bool(await conn.fetchval("select exists (select 1 from org_units where parent_id is null)"))


async def seed_province(conn: Connection, *, members: int, seed: int) -> SeedReport:
    """Create the org tree, import ``members`` synthetic members and publish the demo handbook, in the
    caller's transaction."""
    province = generate_province(members, seed, today=SEED_DAY)
    await insert_units(conn, [(u.code, u.name, u.kind, u.parent_code) for u in province.units])
    root_id = await conn.fetchval("select id from org_units where code = $1", province.units[0].code)
    parsed = ParseResult(rows=province.members, errors=[], total=len(province.members))
    ctx = RequestContext(principal=None, ip=None, user_agent="ehandbook seed")
    digest = hashlib.sha256(f"synthetic:{members}:{seed}".encode()).digest()
    await import_member_rows(
        conn, ctx, parsed, file_name=f"synthetic-{members}-{seed}.csv", file_digest=digest, scope_unit_ids=[root_id]
    )
    sections = await seed_handbook(conn, audience_unit_id=root_id)
    return SeedReport(units=len(province.units), members=len(province.members), sections=sections)


async def seed_demo_accounts(conn: Connection, passwords: Passwords, password: str) -> tuple[str, ...]:
    """Give the demo people usernames and a known password: a member and their secretary in the first
    branch, a moderator of its commune and an admin of the province."""
    branch = await conn.fetchrow(
        "select b.id, b.path from org_units b where b.kind = 'branch' and exists "
        "(select 1 from members m where m.branch_id = b.id group by m.branch_id having count(*) >= 2) "
        "order by b.code limit 1"
    )
    if branch is None:
        msg = "seed the province before the demo accounts"
        raise ValueError(msg)
    people = await conn.fetch(
        "select m.id, m.full_name from members m where m.branch_id = $1 and m.status = 'active' "
        "order by (m.position = 'Bí thư chi bộ') desc, m.card_number limit 2",
        branch["id"],
    )
    secretary, member = people[0], people[1]
    password_hash = await passwords.hash(password)
    now = datetime.now(UTC)
    for username, member_row in (("demo.member", member), ("demo.secretary", secretary)):
        await conn.execute(
            "update accounts set username = $2, password_hash = $3, activated_at = $4 where member_id = $1",
            member_row["id"],
            username,
            password_hash,
            now,
        )
    commune_id, province_id = branch["path"][-2], branch["path"][0]
    staff = (
        ("demo.moderator", "Kiểm duyệt viên (demo)", "moderator", commune_id),
        ("demo.admin", "Quản trị viên (demo)", "admin", province_id),
    )
    for username, name, _, _ in staff:
        await conn.execute(
            "insert into accounts (username, display_name, password_hash, activated_at) "
            "values ($1, $2, $3, $4) on conflict (username) do nothing",
            username,
            name,
            password_hash,
            now,
        )
    grants = [("demo.secretary", "secretary", branch["id"])] + [(u, role, unit) for u, _, role, unit in staff]
    await conn.executemany(
        "insert into role_grants (account_id, role, unit_id) "
        "select id, $2, $3 from accounts where username = $1 on conflict do nothing",
        grants,
    )
    return DEMO_USERS


async def seed_branch_life(conn: Connection) -> dict[str, int]:
    """Notices, monthly meetings and a few feedback threads, so the demo's screens are not empty.

    Needs the demo accounts (the notices and threads are theirs); each step is safe to repeat.
    """
    return {
        "notices": await seed_notices(conn),
        "meetings": await seed_meetings(conn),
        "feedback": await seed_feedback(conn),
    }
