"""Import the member list exported from the national member database: validate, stage, upsert.

The whole import runs in the caller's transaction, so a crash midway leaves nothing half-done, and
an unchanged row is never written, so re-importing the same file changes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from api.audit.service import record
from api.context import RequestContext
from api.db import Connection
from api.errors import FieldError, Unprocessable
from api.members.csvformat import (
    ImportFileError,
    MemberRow,
    ParseResult,
    RowError,
    parse_member_csv,
    row_digest,
    unknown_branch_error,
)
from api.members.schemas import ImportReport
from api.org.service import branch_index
from api.sql import load_queries

Q = load_queries(Path(__file__).with_name("import_queries.sql"))


class _DatabaseCheck(NamedTuple):
    query: str
    needs_scope: bool
    field: str
    code: str
    message: str


# Rules only the database can check, in the order a row is judged by them.
_DATABASE_CHECKS = (
    _DatabaseCheck(
        query="stage_foreign_members",
        needs_scope=True,
        field="card_number",
        code="member_outside_scope",
        message="Số thẻ thuộc đảng viên ngoài phạm vi quản lý",
    ),
    _DatabaseCheck(
        query="stage_citizen_id_taken",
        needs_scope=False,
        field="citizen_id",
        code="duplicate_citizen_id",
        message="Số CCCD đã thuộc về một đảng viên khác",
    ),
)

_STAGE_COLUMNS = [
    "line",
    "card_number",
    "full_name",
    "date_of_birth",
    "gender",
    "phone",
    "email",
    "citizen_id",
    "joined_on",
    "official_on",
    "branch_id",
    "position",
    "status",
    "source_digest",
]


async def import_members_file(
    conn: Connection,
    ctx: RequestContext,
    data: bytes,
    *,
    file_name: str,
    scope_unit_ids: list[int],
    dry_run: bool = False,
    today: date | None = None,
) -> ImportReport:
    """Parse and import one CSV file into the branches within ``scope_unit_ids``."""
    try:
        parsed = parse_member_csv(data, today=today)
    except ImportFileError as error:
        raise Unprocessable(error.message, errors=[FieldError(field="file", message=error.code)]) from error
    return await import_member_rows(
        conn,
        ctx,
        parsed,
        file_name=file_name,
        file_digest=hashlib.sha256(data).digest(),
        scope_unit_ids=scope_unit_ids,
        dry_run=dry_run,
    )


async def import_member_rows(
    conn: Connection,
    ctx: RequestContext,
    parsed: ParseResult,
    *,
    file_name: str,
    file_digest: bytes,
    scope_unit_ids: list[int],
    dry_run: bool = False,
) -> ImportReport:
    """Import already-parsed rows (the seed uses this directly). A dry run reports and keeps nothing."""
    async with _rolled_back(conn) if dry_run else contextlib.nullcontext():
        return await _import(
            conn,
            ctx,
            parsed,
            file_name=file_name,
            file_digest=file_digest,
            scope_unit_ids=scope_unit_ids,
            keep=not dry_run,
        )


@contextlib.asynccontextmanager
async def _rolled_back(conn: Connection) -> AsyncIterator[None]:
    """Run the block in a savepoint that is always rolled back: the dry run does everything for real."""
    savepoint = conn.transaction()
    await savepoint.start()
    try:
        yield
    finally:
        await savepoint.rollback()


async def _import(
    conn: Connection,
    ctx: RequestContext,
    parsed: ParseResult,
    *,
    file_name: str,
    file_digest: bytes,
    scope_unit_ids: list[int],
    keep: bool,
) -> ImportReport:
    errors = list(parsed.errors)
    branches = await branch_index(conn)
    scope = set(scope_unit_ids)
    records = []
    for row in parsed.rows:
        branch = branches.get(row.branch_code)
        if branch is None or not (branch[1] & scope):
            # A branch outside the importer's scope is reported exactly like a missing one.
            errors.append(unknown_branch_error(row))
            continue
        records.append(_stage_record(row, branch[0]))

    await conn.execute(Q["create_stage"])
    await conn.copy_records_to_table("import_stage", records=records, columns=_STAGE_COLUMNS)
    by_line = {row.line: row for row in parsed.rows}
    rejected: list[int] = []
    for check in _DATABASE_CHECKS:
        # Each check unstages what it rejects, so a row with two problems is reported once.
        args = [scope_unit_ids] if check.needs_scope else []
        lines = [row["line"] for row in await conn.fetch(Q[check.query], *args)]
        if lines:
            await conn.execute(Q["unstage_lines"], lines)
            errors.extend(_row_error(by_line[line], check.field, check.code, check.message) for line in lines)
            rejected.extend(lines)
    counts = await conn.fetchrow(Q["upsert_members"])
    assert counts is not None  # noqa: S101 - an aggregate always returns one row
    inserted, updated = counts["inserted"], counts["updated"]
    staged = len(records) - len(rejected)
    errors.sort(key=lambda error: error.line)
    unchanged = staged - inserted - updated
    batch_id = None
    if keep:
        actor = ctx.principal.account_id if ctx.principal else None
        batch_id = await conn.fetchval(
            Q["record_batch"],
            actor,
            file_name[:200],
            file_digest,
            parsed.total,
            inserted,
            updated,
            unchanged,
            len(errors),
        )
        await record(
            conn,
            ctx,
            "members_imported",
            target=f"import:{batch_id}",
            unit_id=min(scope_unit_ids, default=None),
            details={
                "file": file_name[:200],
                "rows": parsed.total,
                "inserted": inserted,
                "updated": updated,
                "unchanged": unchanged,
                "rejected": len(errors),
            },
        )
    return ImportReport(
        batch_id=batch_id,
        rows_total=parsed.total,
        inserted=inserted,
        updated=updated,
        unchanged=unchanged,
        rejected=len(errors),
        errors=errors,
    )


def _row_error(row: MemberRow, field: str, code: str, message: str) -> RowError:
    return RowError(line=row.line, card_number=row.card_number, field=field, code=code, message=message)


def _stage_record(row: MemberRow, branch_id: int) -> tuple[Any, ...]:
    return (
        row.line,
        row.card_number,
        row.full_name,
        row.date_of_birth,
        row.gender,
        row.phone,
        row.email,
        row.citizen_id,
        row.joined_on,
        row.official_on,
        branch_id,
        row.position,
        row.status,
        row_digest(row),
    )
