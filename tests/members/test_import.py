"""The member import end to end: HTTP in, report out, and what the database holds afterwards."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeAlias
from uuid import UUID

import asyncpg
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.auth.passwords import Passwords
from api.context import RequestContext
from api.db import connect
from api.members import importer
from api.members.csvformat import MemberRow, unknown_branch_error, write_member_csv
from api.members.fields import COLUMNS
from api.settings import Settings
from tests.helpers import bearer
from tests.servers import make_settings

IMPORT = "/api/v1/members/import"
CSV = {"Content-Type": "text/csv"}
HEADERS = [column.header for column in COLUMNS]
if TYPE_CHECKING:
    Conn: TypeAlias = asyncpg.Connection[asyncpg.Record]
else:
    Conn = asyncpg.Connection  # generic only in the stubs

_EXPORT = """
select m.card_number, m.full_name, m.date_of_birth, m.gender, m.phone, m.email, m.citizen_id, m.joined_on,
       m.official_on, u.code as branch_code, m.position, m.status
from members m join org_units u on u.id = m.branch_id
"""


# --- building files ------------------------------------------------------------------------------


def new_member(number: int, branch_code: str, **changes: Any) -> MemberRow:
    """A member the seed cannot contain: 11-digit card (the seed's have 10), Hà Nội citizen ID (seed: 075)."""
    row = MemberRow(
        line=0,
        card_number=f"9{number:010d}",
        full_name="Trần Thị Mới",
        date_of_birth=date(1990, 1, 2),
        gender="female",
        phone=f"0399{number:06d}",
        email=None,
        citizen_id=f"00119{number:07d}",
        joined_on=date(2015, 5, 19),
        official_on=date(2016, 5, 19),
        branch_code=branch_code,
        position="",
        status="active",
    )
    return msgspec.structs.replace(row, **changes)


def cells(row: MemberRow) -> dict[str, str]:
    """The cells the canonical writer gives a row, by header, so a test can spoil one of them."""
    reader = csv.reader(io.StringIO(write_member_csv([row]).decode("utf-8-sig")))
    header, values = list(reader)
    return dict(zip(header, values, strict=True))


def csv_file(records: Sequence[MemberRow | dict[str, str]]) -> bytes:
    """A file as the national database exports it; data row i (from 0) is on line i + 2."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for record in records:
        by_header = cells(record) if isinstance(record, MemberRow) else record
        writer.writerow([by_header[header] for header in HEADERS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


async def export(conn: Conn, where: str = "true", *args: object) -> list[MemberRow]:
    """Members as they are in the database, as import rows (line numbers are set by their position)."""
    rows = await conn.fetch(f"{_EXPORT} where {where} order by m.card_number", *args)
    return [msgspec.convert({**dict(row), "line": 0}, MemberRow) for row in rows]


# --- fixtures and small queries ------------------------------------------------------------------


@pytest.fixture
async def conn(database_url: str) -> AsyncIterator[Conn]:
    connection = await connect(database_url)
    yield connection
    await connection.close()


@pytest.fixture
async def admin(client: AsyncTestClient[Litestar]) -> dict[str, str]:
    return await bearer(client, "demo.admin")


class Branches(msgspec.Struct, frozen=True):
    """Two branches of one commune and one branch of another commune of the seeded province."""

    commune_id: int
    home: str
    home_2: str
    other_commune_id: int
    other: str


@pytest.fixture
async def branches(conn: Conn) -> Branches:
    rows = await conn.fetch(
        "select b.code, c.id as commune_id from org_units b join org_units c on c.id = b.parent_id "
        "where b.kind = 'branch' and exists (select 1 from members m where m.branch_id = b.id) order by b.code"
    )
    home = [row for row in rows if row["commune_id"] == rows[0]["commune_id"]]
    other = next(row for row in rows if row["commune_id"] != rows[0]["commune_id"])
    assert len(home) >= 2, "the tiny province should have communes with several branches"
    return Branches(home[0]["commune_id"], home[0]["code"], home[1]["code"], other["commune_id"], other["code"])


async def post_import(
    client: AsyncTestClient[Litestar], auth: dict[str, str], data: bytes, *, dry_run: bool = False
) -> Any:
    response = await client.post(
        IMPORT, content=data, headers={**auth, **CSV}, params={"file_name": "dang-vien.csv", "dry_run": dry_run}
    )
    assert response.status_code == 200, response.text
    return response.json()


def error_summary(report: dict[str, Any]) -> list[tuple[int, str | None, str | None, str]]:
    return [(e["line"], e["card_number"], e["field"], e["code"]) for e in report["errors"]]


def figures(report: dict[str, Any]) -> dict[str, int]:
    return {key: report[key] for key in ("rows_total", "inserted", "updated", "unchanged", "rejected")}


async def count(conn: Conn, query: str, *args: object) -> int:
    value = await conn.fetchval(query, *args)
    assert isinstance(value, int)
    return value


async def updated_at(conn: Conn) -> dict[str, datetime]:
    return {
        row["card_number"]: row["updated_at"] for row in await conn.fetch("select card_number, updated_at from members")
    }


async def source_digests(conn: Conn) -> dict[str, bytes]:
    return {
        row["card_number"]: row["source_digest"]
        for row in await conn.fetch("select card_number, source_digest from members")
    }


class Snapshot(msgspec.Struct, frozen=True):
    members: int
    accounts: int
    batches: int
    import_events: int


async def snapshot(conn: Conn) -> Snapshot:
    return Snapshot(
        members=await count(conn, "select count(*)::int from members"),
        accounts=await count(conn, "select count(*)::int from accounts"),
        batches=await count(conn, "select count(*)::int from import_batches"),
        import_events=await count(conn, "select count(*)::int from audit_log where action = 'members_imported'"),
    )


# --- good rows and bad rows ----------------------------------------------------------------------


async def test_good_rows_import_and_every_bad_row_is_reported_by_line(
    client: AsyncTestClient[Litestar], admin: dict[str, str], conn: Conn, branches: Branches
) -> None:
    existing = (await export(conn))[0]
    assert existing.citizen_id is not None
    good = [new_member(n, branches.home if n % 2 else branches.other) for n in range(1, 5)]
    bad_card = cells(new_member(11, branches.home)) | {"so_the": "12345"}
    bad_date = cells(new_member(12, branches.home)) | {"ngay_sinh": "31/02/1980"}
    bad_phone = cells(new_member(13, branches.home)) | {"dien_thoai": "0123"}
    unknown_branch = new_member(14, "ZZ.999.99")
    duplicate_card = new_member(1, branches.home, full_name="Lê Văn Trùng", citizen_id="001199999999")
    taken_citizen_id = new_member(15, branches.home, citizen_id=existing.citizen_id)
    records: list[MemberRow | dict[str, str]] = [good[0], bad_card, good[1], bad_date, existing, bad_phone]
    records += [unknown_branch, good[2], duplicate_card, taken_citizen_id, good[3]]
    data = csv_file(records)
    before = await snapshot(conn)

    report = await post_import(client, admin, data)

    assert error_summary(report) == [
        (3, "12345", "card_number", "invalid_card_number"),
        (5, "90000000012", "date_of_birth", "invalid_date"),
        (7, "90000000013", "phone", "invalid_phone"),
        (8, "90000000014", "branch_code", "unknown_branch"),
        (10, "90000000001", "card_number", "duplicate_card_number"),
        (11, "90000000015", "citizen_id", "duplicate_citizen_id"),
    ]
    assert all(error["message"] for error in report["errors"]), "every error carries a message for the admin"
    assert "dòng 2" in report["errors"][4]["message"], "a duplicate names the line it repeats"
    assert figures(report) == {"rows_total": 11, "inserted": 4, "updated": 0, "unchanged": 1, "rejected": 6}
    assert UUID(report["batch_id"])

    imported = await conn.fetch(
        "select m.card_number, m.full_name, u.code, a.username, a.password_hash, a.display_name, a.activated_at "
        "from members m join org_units u on u.id = m.branch_id left join accounts a on a.member_id = m.id "
        "where m.card_number like '9%' and length(m.card_number) = 11 order by m.card_number"
    )
    assert [(row["card_number"], row["code"]) for row in imported] == [(g.card_number, g.branch_code) for g in good]
    assert imported[0]["full_name"] == "Trần Thị Mới", "the duplicate line did not overwrite the first one"
    for row in imported:
        assert row["display_name"] == row["full_name"], "every new member gets an account"
        assert row["username"] is None
        assert row["password_hash"] is None, "accounts start without a password (activation code later)"
        assert row["activated_at"] is None
    after = await snapshot(conn)
    assert after == Snapshot(before.members + 4, before.accounts + 4, before.batches + 1, before.import_events + 1)
    batch = await conn.fetchrow("select * from import_batches where id = $1", UUID(report["batch_id"]))
    assert batch is not None
    assert (batch["file_name"], batch["rows_total"], batch["inserted"], batch["unchanged"], batch["rejected"]) == (
        "dang-vien.csv",
        11,
        4,
        1,
        6,
    )
    event = await conn.fetchrow("select * from audit_log where action = 'members_imported' order by id desc limit 1")
    assert event is not None
    assert event["target"] == f"import:{report['batch_id']}"
    assert event["actor_id"] == await conn.fetchval("select id from accounts where username = 'demo.admin'")
    assert event["details"]["inserted"] == 4


async def test_an_unknown_branch_is_reported_with_its_code(
    client: AsyncTestClient[Litestar], admin: dict[str, str], branches: Branches
) -> None:
    row = msgspec.structs.replace(new_member(1, "ZZ.999.99"), line=2)

    report = await post_import(client, admin, csv_file([row]))

    # csvformat.unknown_branch_error is the database side's error for this code: the admin must see which
    # code is unknown, as for every other bad value.
    assert report["errors"] == [msgspec.to_builtins(unknown_branch_error(row))], (
        "unknown_branch must use csvformat.unknown_branch_error, naming the code"
    )


async def test_a_file_without_valid_rows_imports_nothing_and_is_still_recorded(
    client: AsyncTestClient[Litestar], admin: dict[str, str], conn: Conn
) -> None:
    before = await snapshot(conn)
    header_only = await post_import(client, admin, csv_file([]))
    all_bad = await post_import(client, admin, csv_file([cells(new_member(1, "DN")) | {"so_the": "x"}]))

    assert figures(header_only) == {"rows_total": 0, "inserted": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    assert figures(all_bad) == {"rows_total": 1, "inserted": 0, "updated": 0, "unchanged": 0, "rejected": 1}
    after = await snapshot(conn)
    assert after == msgspec.structs.replace(before, batches=before.batches + 2, import_events=before.import_events + 2)


# --- idempotency and updates ---------------------------------------------------------------------


async def test_reimporting_the_same_file_changes_nothing(
    client: AsyncTestClient[Litestar], admin: dict[str, str], conn: Conn, branches: Branches
) -> None:
    register = await export(conn)
    data = csv_file([*register, new_member(1, branches.home), new_member(2, branches.other)])
    first = await post_import(client, admin, data)
    assert figures(first) == {"rows_total": 302, "inserted": 2, "updated": 0, "unchanged": 300, "rejected": 0}
    stamps = await updated_at(conn)
    digests = await source_digests(conn)
    before = await snapshot(conn)

    again = await post_import(client, admin, data)

    assert figures(again) == {"rows_total": 302, "inserted": 0, "updated": 0, "unchanged": 302, "rejected": 0}
    assert again["errors"] == []
    assert again["batch_id"] != first["batch_id"], "every import is recorded, even one that changes nothing"
    assert await updated_at(conn) == stamps, "no row was rewritten"
    assert await source_digests(conn) == digests
    after = await snapshot(conn)
    assert after == msgspec.structs.replace(before, batches=before.batches + 1, import_events=before.import_events + 1)


async def test_changed_rows_update_and_only_they_move(
    client: AsyncTestClient[Litestar], admin: dict[str, str], conn: Conn, branches: Branches
) -> None:
    register = await export(conn)
    stamps = await updated_at(conn)
    phone_change, position_change = register[10], register[20]
    new_phone = "0911000111" if phone_change.phone != "0911000111" else "0911000112"
    changed = list(register)
    changed[10] = msgspec.structs.replace(phone_change, phone=new_phone)
    # The name changes too: the account's display name must follow it.
    changed[20] = msgspec.structs.replace(position_change, position="Chi ủy viên", full_name="Phạm Văn Đổi")
    newcomer = new_member(1, branches.home_2)
    changed.insert(150, newcomer)

    report = await post_import(client, admin, csv_file(changed))

    assert figures(report) == {"rows_total": 301, "inserted": 1, "updated": 2, "unchanged": 298, "rejected": 0}
    now = await updated_at(conn)
    moved = {card for card, stamp in now.items() if stamps.get(card) != stamp}
    assert moved == {phone_change.card_number, position_change.card_number, newcomer.card_number}
    assert await conn.fetchval("select phone from members where card_number = $1", phone_change.card_number) == (
        new_phone
    )
    row = await conn.fetchrow(
        "select m.position, m.full_name, a.display_name from members m join accounts a on a.member_id = m.id "
        "where m.card_number = $1",
        position_change.card_number,
    )
    assert row is not None
    assert tuple(row) == ("Chi ủy viên", "Phạm Văn Đổi", "Phạm Văn Đổi")
    assert await export(conn, "m.card_number = $1", newcomer.card_number) == [newcomer]


# --- dry run -------------------------------------------------------------------------------------


async def test_dry_run_reports_what_a_real_run_would_and_writes_nothing(
    client: AsyncTestClient[Litestar], admin: dict[str, str], conn: Conn, branches: Branches
) -> None:
    register = await export(conn)
    records: list[MemberRow | dict[str, str]] = list(register[:50])
    records[5] = msgspec.structs.replace(register[5], phone="0911222333")
    records += [new_member(n, branches.home) for n in range(1, 4)]
    records.append(new_member(4, "ZZ.404"))
    records.append(cells(new_member(5, branches.home)) | {"gioi_tinh": "Khác"})
    data = csv_file(records)
    before, stamps = await snapshot(conn), await updated_at(conn)

    dry = await post_import(client, admin, data, dry_run=True)

    assert dry["batch_id"] is None
    assert figures(dry) == {"rows_total": 55, "inserted": 3, "updated": 1, "unchanged": 49, "rejected": 2}
    assert await snapshot(conn) == before, "no member, account, batch or audit event"
    assert await updated_at(conn) == stamps
    assert await conn.fetchval("select phone from members where card_number = $1", register[5].card_number) == (
        register[5].phone
    )

    real = await post_import(client, admin, data)
    assert figures(real) == figures(dry)
    assert real["errors"] == dry["errors"]
    assert (await snapshot(conn)).members == before.members + 3


# --- scope ---------------------------------------------------------------------------------------


async def commune_admin(
    client: AsyncTestClient[Litestar], admin: dict[str, str], conn: Conn, settings: Settings, commune_id: int
) -> dict[str, str]:
    """Make a member of the commune its admin, give them a password, sign them in; return their auth header."""
    member = await conn.fetchrow(
        "select m.id, m.card_number from members m join org_units u on u.id = m.branch_id "
        "where u.parent_id = $1 and m.status = 'active' "
        "and not exists (select 1 from accounts a where a.member_id = m.id and a.username is not null) "
        "order by m.card_number limit 1",
        commune_id,
    )
    assert member is not None
    granted = await client.post(
        "/api/v1/role-grants",
        json={"member_id": str(member["id"]), "role": "admin", "unit_id": commune_id},
        headers=admin,
    )
    assert granted.status_code in (200, 201), granted.text
    password = "commune admin passphrase"
    await conn.execute(
        "update accounts set username = 'commune.admin', password_hash = $2, activated_at = now() where member_id = $1",
        member["id"],
        await Passwords(settings).hash(password),
    )
    return await bearer(client, "commune.admin", password)


async def test_commune_admin_cannot_import_or_overwrite_outside_their_commune(
    client: AsyncTestClient[Litestar], admin: dict[str, str], conn: Conn, settings: Settings, branches: Branches
) -> None:
    auth = await commune_admin(client, admin, conn, settings, branches.commune_id)
    home_member = (await export(conn, "m.branch_id = (select id from org_units where code = $1)", branches.home))[0]
    foreign, foreign_2 = (
        await export(conn, "m.branch_id = (select id from org_units where code = $1)", branches.other)
    )[:2]
    stamps = await updated_at(conn)
    records: list[MemberRow | dict[str, str]] = [
        new_member(1, branches.home),  # line 2: inside the commune, imported
        new_member(2, branches.other),  # line 3: a branch of another commune
        # line 4: take a member of another commune into one's own branch
        msgspec.structs.replace(foreign, branch_code=branches.home, phone="0911999888"),
        msgspec.structs.replace(foreign_2, phone="0911999777"),  # line 5: edit one where they are
        msgspec.structs.replace(home_member, branch_code=branches.other),  # line 6: move one's member out of scope
        new_member(3, branches.home_2),  # line 7: another branch of the commune, imported
    ]

    report = await post_import(client, auth, csv_file(records))

    assert error_summary(report) == [
        (3, "90000000002", "branch_code", "unknown_branch"),
        (4, foreign.card_number, "card_number", "member_outside_scope"),
        (5, foreign_2.card_number, "branch_code", "unknown_branch"),
        (6, home_member.card_number, "branch_code", "unknown_branch"),
    ]
    assert figures(report) == {"rows_total": 6, "inserted": 2, "updated": 0, "unchanged": 0, "rejected": 4}
    assert await export(conn, "m.card_number = any($1)", [foreign.card_number, foreign_2.card_number]) == [
        foreign,
        foreign_2,
    ], "the other commune's members are untouched"
    assert await export(conn, "m.card_number = $1", home_member.card_number) == [home_member]
    assert await count(conn, "select count(*)::int from members where card_number = '90000000002'") == 0
    written = {card for card, stamp in (await updated_at(conn)).items() if stamps.get(card) != stamp}
    assert written == {"90000000001", "90000000003"}, "only the two new members were written"
    event = await conn.fetchrow("select unit_id from audit_log where action = 'members_imported' order by id desc")
    assert event is not None
    assert event["unit_id"] == branches.commune_id, "the import is audited on the importer's own unit"


async def test_a_row_with_two_database_side_problems_is_reported_once(
    client: AsyncTestClient[Litestar], admin: dict[str, str], conn: Conn, settings: Settings, branches: Branches
) -> None:
    # A member of another commune whose row also carries a citizen ID that belongs to a third member.
    auth = await commune_admin(client, admin, conn, settings, branches.commune_id)
    foreign = (await export(conn, "m.branch_id = (select id from org_units where code = $1)", branches.other))[0]
    third = (await export(conn, "m.branch_id = (select id from org_units where code = $1)", branches.home))[0]
    assert third.citizen_id is not None
    row = msgspec.structs.replace(foreign, branch_code=branches.home, citizen_id=third.citizen_id)

    report = await post_import(client, auth, csv_file([row, new_member(1, branches.home)]))

    # The figures must add up: rows_total == inserted + updated + unchanged + rejected, one error per bad row.
    assert {"error_lines": [error["line"] for error in report["errors"]], **figures(report)} == {
        "error_lines": [2],
        "rows_total": 2,
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }, "a row both outside scope and with a taken citizen ID must be rejected once"


# --- a crash leaves nothing ----------------------------------------------------------------------


async def test_a_failure_after_the_copy_rolls_everything_back(
    conn: Conn, branches: Branches, monkeypatch: pytest.MonkeyPatch
) -> None:
    register = await export(conn)
    changed = msgspec.structs.replace(register[0], phone="0911444555")
    data = csv_file([changed, *[new_member(n, branches.home) for n in range(1, 21)]])
    before, stamps = await snapshot(conn), await updated_at(conn)
    seen: dict[str, int] = {}

    async def crash(conn: Any, *_: Any, **__: Any) -> None:
        # By now the rows are copied, upserted and the batch written: all of it must go.
        seen["staged"] = await conn.fetchval("select count(*)::int from import_stage")
        seen["members"] = await conn.fetchval("select count(*)::int from members")
        raise RuntimeError("the server died")

    monkeypatch.setattr(importer, "record", crash)
    ctx = RequestContext(principal=None, ip=None, user_agent="test")
    root = await conn.fetchval("select id from org_units where parent_id is null")
    with pytest.raises(RuntimeError, match="the server died"):
        async with conn.transaction():
            await importer.import_members_file(conn, ctx, data, file_name="crash.csv", scope_unit_ids=[root])

    assert seen == {"staged": 21, "members": before.members + 20}, "the failure came after the COPY and upsert"
    assert await snapshot(conn) == before
    assert await updated_at(conn) == stamps
    assert await count(conn, "select count(*)::int from members where length(card_number) = 11") == 0
    assert await count(conn, "select count(*)::int from import_batches where file_name = 'crash.csv'") == 0


async def test_a_cancelled_import_leaves_nothing(
    database_url: str, conn: Conn, branches: Branches, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = csv_file([new_member(n, branches.home) for n in range(1, 201)])
    before = await snapshot(conn)
    copied = asyncio.Event()
    real_copy = asyncpg.Connection.copy_records_to_table

    async def copy_then_hang(self: Conn, *args: Any, **kwargs: Any) -> str:
        result = await real_copy(self, *args, **kwargs)
        copied.set()
        await asyncio.Event().wait()  # the worker is stopped here, mid-import, with the COPY done
        return result

    monkeypatch.setattr(asyncpg.Connection, "copy_records_to_table", copy_then_hang)
    worker = await connect(database_url)
    try:

        async def run() -> None:
            ctx = RequestContext(principal=None, ip=None, user_agent="test")
            root = await worker.fetchval("select id from org_units where parent_id is null")
            async with worker.transaction():
                await importer.import_members_file(worker, ctx, data, file_name="cancel.csv", scope_unit_ids=[root])

        task = asyncio.create_task(run())
        async with asyncio.timeout(30):
            await copied.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        await worker.close()

    assert await snapshot(conn) == before
    assert await count(conn, "select count(*)::int from members where length(card_number) = 11") == 0


# --- HTTP edge cases -----------------------------------------------------------------------------


def assert_problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert problem["type"].endswith("/" + slug)
    return problem


async def test_wrong_content_type_is_415(
    client: AsyncTestClient[Litestar], admin: dict[str, str], conn: Conn, branches: Branches
) -> None:
    data = csv_file([new_member(1, branches.home)])
    for content_type in ("application/json", "multipart/form-data; boundary=x", "application/octet-stream"):
        response = await client.post(IMPORT, content=data, headers={**admin, "Content-Type": content_type})
        problem = assert_problem(response, 415, "unsupported-media-type")
        assert "text/csv" in problem["detail"]
    assert await count(conn, "select count(*)::int from members where length(card_number) = 11") == 0


async def test_a_file_that_is_not_utf8_is_422_naming_the_reason(
    client: AsyncTestClient[Litestar], admin: dict[str, str], conn: Conn, branches: Branches
) -> None:
    text = csv_file([new_member(1, branches.home)]).decode("utf-8-sig")
    data = text.encode("cp1258", errors="replace")  # what plain "Save as CSV" gives on a Vietnamese Windows
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    before = await snapshot(conn)

    response = await client.post(IMPORT, content=data, headers={**admin, **CSV})

    problem = assert_problem(response, 422, "unprocessable")
    assert "không phải mã UTF-8" in problem["detail"]
    assert "CSV UTF-8" in problem["detail"], "the detail says how to save the file properly"
    assert problem["errors"] == [{"field": "file", "message": "not_utf8"}]
    assert await snapshot(conn) == before


async def test_missing_required_columns_is_422(
    client: AsyncTestClient[Litestar], admin: dict[str, str], conn: Conn, branches: Branches
) -> None:
    row = cells(new_member(1, branches.home))
    kept = [header for header in HEADERS if header not in ("ngay_sinh", "ma_chi_bo")]
    data = (",".join(kept) + "\r\n" + ",".join(row[header] for header in kept) + "\r\n").encode()
    before = await snapshot(conn)

    response = await client.post(IMPORT, content=data, headers={**admin, **CSV})

    problem = assert_problem(response, 422, "unprocessable")
    assert "ngay_sinh" in problem["detail"]
    assert "ma_chi_bo" in problem["detail"]
    assert "ho_ten" not in problem["detail"]
    assert problem["errors"] == [{"field": "file", "message": "missing_columns"}]
    assert await snapshot(conn) == before


async def stream_post(
    app: Litestar, path: str, headers: dict[str, str], data: bytes, chunk_size: int
) -> tuple[int, bytes]:
    """POST ``data`` in chunks straight to the ASGI app, without a Content-Length header.

    The test client cannot stream a request body, so this plays the server's part.
    """
    chunks = [data[start : start + chunk_size] for start in range(0, len(data), chunk_size)]
    messages = [{"type": "http.request", "body": chunk, "more_body": True} for chunk in chunks]
    messages[-1]["more_body"] = False
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers.items()]
        + [(b"host", b"testserver.local"), (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver.local", 443),
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # a real server would wait for the client to disconnect
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)  # type: ignore[arg-type]
    status = next(message["status"] for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return status, body


async def test_a_body_over_the_limit_is_413(database_url: str, redis_url: str, conn: Conn, branches: Branches) -> None:
    small = create_app(make_settings(database_url, redis_url, import_max_bytes=2048))
    one_row = csv_file([new_member(1, branches.home)])
    too_big = csv_file([new_member(n, branches.home) for n in range(2, 40)])
    assert len(one_row) < 2048 < len(too_big)
    before = await snapshot(conn)

    async with AsyncTestClient(app=small, base_url="https://testserver.local") as client:
        auth = await bearer(client, "demo.admin")
        declared = await client.post(IMPORT, content=too_big, headers={**auth, **CSV})
        assert_problem(declared, 413, "payload-too-large")
        # No Content-Length (chunked upload): the limit must hold while the body streams in.
        # The app and its pool live on the test client's own event loop (the portal's thread): run it there.
        status, body = await asyncio.to_thread(
            client.blocking_portal.call, stream_post, small, IMPORT, {**auth, **CSV}, too_big, 500
        )
        assert status == 413, body
        assert msgspec.json.decode(body)["type"].endswith("/payload-too-large")
        assert await snapshot(conn) == before
        fits = await client.post(IMPORT, content=one_row, headers={**auth, **CSV})
        assert fits.status_code == 200, fits.text
        assert fits.json()["inserted"] == 1


@pytest.mark.parametrize("login", ["demo.member", "demo.secretary", "demo.moderator"])
async def test_only_admins_may_import(
    client: AsyncTestClient[Litestar], conn: Conn, branches: Branches, login: str
) -> None:
    auth = await bearer(client, login)
    before = await snapshot(conn)
    response = await client.post(IMPORT, content=csv_file([new_member(1, branches.home)]), headers={**auth, **CSV})
    assert_problem(response, 403, "forbidden")
    assert await snapshot(conn) == before


async def test_signed_out_callers_are_401(client: AsyncTestClient[Litestar], branches: Branches) -> None:
    response = await client.post(IMPORT, content=csv_file([new_member(1, branches.home)]), headers=CSV)
    assert_problem(response, 401, "unauthenticated")
